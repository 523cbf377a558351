// Syntax of the .snn language (docs/language.md is the prose spec). Statement separators ';' are
// optional: a quantity's unit must stand on the same line as its number, which is what lets a
// newline end a statement such as `E_L = -49 mV` without a ';'.
parser grammar SNNParser;

options { tokenVocab = SNNLexer; }

@parser::members {
  // True when the next token starts on the line of the previous one: `20 ms` is a quantity, but a
  // number ending one statement and a name starting the next are not.
  bool sameLine() { return _input->LT(-1)->getLine() == _input->LT(1)->getLine(); }
}

file : importDecl* definition* EOF ;

importDecl : IMPORT STRING SEMI? ;

definition : neuronDef | synapseDef | networkDef ;

// ---- neuron ---------------------------------------------------------------------------------
neuronDef : NEURON IDENT LBRACE neuronItem* RBRACE ;

neuronItem
    : PARAMETERS LBRACE binding* RBRACE                 # paramsBlock
    | STATE LBRACE binding* RBRACE                      # stateBlock
    | EQUATIONS (LPAREN optName=IDENT ASSIGN optValue=IDENT RPAREN)?
          LBRACE (equation | binding)* RBRACE           # equationsBlock
    | SPIKE WHEN expr SEMI?                             # spikeItem
    | RESET LBRACE statement* RBRACE                    # resetItem
    | REFRACTORY expr (LPAREN optName=(IDENT | INPUTS | INPUT) ASSIGN optValue=IDENT RPAREN)?
          SEMI?                                         # refractoryItem
    | UPDATE LBRACE statement* RBRACE                   # updateItem
    | EVERY period=expr LBRACE statement* RBRACE        # everyItem
    | INPUTS LBRACE binding* RBRACE                     # inputsBlock
    ;

binding    : IDENT ASSIGN expr SEMI? ;
equation   : lhs=IDENT SLASH dt=IDENT ASSIGN expr (UNLESS REFRACTORY)? SEMI? ;
assignment : (side=(PRE | POST) DOT)? IDENT op=(ASSIGN | PLUSEQ | MINUSEQ | STAREQ | SLASHEQ) expr SEMI? ;
// The statements of reset, update and event blocks: assignments, and ifs of them.
statement  : assignment | ifStatement ;
ifStatement
    : IF cond=expr LBRACE thenBody+=statement* RBRACE
      (ELSE (LBRACE elseBody+=statement* RBRACE | elseIf=ifStatement))? SEMI? ;

// ---- synapse --------------------------------------------------------------------------------
synapseDef : SYNAPSE IDENT LBRACE synapseItem* RBRACE ;

synapseItem
    : PARAMETERS LBRACE binding* RBRACE                 # synParamsBlock
    | STATE LBRACE binding* RBRACE                      # synStateBlock
    | PRE LBRACE binding* RBRACE                        # synPreBlock
    | POST LBRACE binding* RBRACE                       # synPostBlock
    | EQUATIONS LBRACE equation* RBRACE                 # synEquationsBlock
    | ON_POST LBRACE statement* RBRACE                  # synOnPostBlock
    | ON_TEACHER LBRACE statement* RBRACE               # synOnTeacherBlock
    | ON_PRE LBRACE statement* RBRACE                   # synOnPreBlock
    | RESPONSE LBRACE binding* RBRACE                   # synResponseBlock
    | OUTPUT expr SEMI?                                 # synOutputItem
    | SUMMED expr SEMI?                                 # synSummedItem
    | EVERY period=expr LBRACE statement* RBRACE        # synEveryItem
    ;

// ---- network --------------------------------------------------------------------------------
networkDef : NETWORK IDENT LBRACE networkItem* RBRACE ;

networkItem
    : IDENT ASSIGN expr SEMI?                                               # setting
    | POPULATION popName=IDENT ASSIGN modelName=IDENT LBRACK expr RBRACK
          (LPAREN (binding (COMMA binding)*)? RPAREN)?
          (AT positions)? (LBRACE binding* RBRACE)? (AT positions)? SEMI?   # population
    | POPULATION popName=IDENT ASSIGN SPIKES LPAREN STRING RPAREN
          LBRACK expr RBRACK (AT positions)? SEMI?                          # spikeSource
    | CONNECT (connName=IDENT ASSIGN)? pre=popRef ARROW post=popRef WITH ruleCall
          (IF condition=expr)?
          (DELAY delayExpr=expr)?
          (SYNAPSE synName=IDENT (LPAREN (binding (COMMA binding)*)? RPAREN)?
               (LBRACE binding* RBRACE)?)?
          (ONTO target=IDENT)?
          (MODULATED BY modPop=popRef DOT modVar=IDENT)?
          (TAUGHT BY teacherPop=popRef)?
          (ON_PRE LBRACE statement* RBRACE)? SEMI?                          # connect
    | RECORD SPIKES OF popRef SEMI?                                         # recordSpikes
    | RECORD what=IDENT OF popRef (EVERY expr)? SEMI?                       # recordRate
    | RECORD FINAL? popName=IDENT DOT varName=IDENT slice? (EVERY expr)? SEMI?      # recordState
    | TIMED_ARRAY arrayName=IDENT ASSIGN LBRACK (expr (COMMA expr)*)? RBRACK
          EVERY interval=expr SEMI?                                         # timedArray
    | TIMED_ARRAY arrayName=IDENT ASSIGN dataLoad EVERY interval=expr SEMI? # timedArrayFile
    | ARRAY arrayName=IDENT ASSIGN dataLoad SEMI?                           # arrayDecl
    | RUNTIME runtimeRef (COMMA runtimeRef)* SEMI?                          # runtimeParams
    | INPUT popRef DOT var=IDENT op=(PLUSEQ | MINUSEQ) expr SEMI?          # inputDecl
    | RUN expr SEMI?                                                        # run
    | owner=IDENT DOT param=IDENT ASSIGN expr SEMI?                         # paramChange
    ;

popRef   : IDENT slice? ;
runtimeRef : owner=IDENT DOT param=IDENT ;
slice    : LBRACK lo=expr (COLON hi=expr)? RBRACK ;
// `at grid(20, 20, spacing = 50 um)`, `at load("xy.npy") * 1 um`, `at (x = ..., y = ...)`
positions
    : dataLoad                                             # positionsFile
    | ruleCall                                             # positionsLayout
    | LPAREN binding (COMMA binding)* RPAREN               # positionsExprs
    ;
ruleCall : IDENT (LPAREN (argument (COMMA argument)*)? RPAREN)? ;
argument : ((IDENT | DELAY) ASSIGN)? (expr | STRING) ;
// `load("W.npy") * 1 mV`: numbers read from a file, in the unit (and scale) that follows
dataLoad : fn=IDENT LPAREN STRING RPAREN (STAR scale=expr)? ;

// ---- expressions (earlier alternatives bind tighter) ----------------------------------------
expr
    : primary                                              # primaryExpr
    | <assoc=right> lhs=expr POW rhs=expr                  # powExpr
    | op=(MINUS | PLUS) expr                               # unaryExpr
    | lhs=expr op=(STAR | SLASH | PERCENT) rhs=expr        # mulExpr
    | lhs=expr op=(PLUS | MINUS) rhs=expr                  # addExpr
    | lhs=expr op=(LT | LE | GT | GE | EQEQ | NE) rhs=expr  # cmpExpr
    | NOT expr                                             # notExpr
    | lhs=expr AND rhs=expr                                # andExpr
    | lhs=expr OR rhs=expr                                 # orExpr
    | <assoc=right> then=expr IF cond=expr ELSE els=expr   # condExpr
    ;

primary
    : NUMBER ({sameLine()}? unit=IDENT)?                   # quantity
    | IDENT LPAREN (expr (COMMA expr)*)? RPAREN            # call
    | IDENT                                                # name
    | side=(PRE | POST) DOT IDENT                          # sideName
    | LPAREN expr RPAREN                                   # paren
    ;
