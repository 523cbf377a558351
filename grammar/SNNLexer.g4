// Tokens of the .snn language. Keywords are reserved; unit names (ms, mV, ...) are ordinary
// identifiers so that a model may still call a gating variable `m` or `h`.
lexer grammar SNNLexer;

IMPORT      : 'import';
NEURON      : 'neuron';
SYNAPSE     : 'synapse';
NETWORK     : 'network';
PARAMETERS  : 'parameters';
STATE       : 'state';
EQUATIONS   : 'equations';
SPIKE       : 'spike';
WHEN        : 'when';
RESET       : 'reset';
REFRACTORY  : 'refractory';
UNLESS      : 'unless';
UPDATE      : 'update';
ON_PRE      : 'on_pre';
ON_POST     : 'on_post';
ON_TEACHER  : 'on_teacher';
TAUGHT      : 'taught';
PRE         : 'pre';
POST        : 'post';
INPUTS      : 'inputs';
INPUT       : 'input';
RESPONSE    : 'response';
OUTPUT      : 'output';
SUMMED      : 'summed';
ONTO        : 'onto';
MODULATED   : 'modulated';
BY          : 'by';
POPULATION  : 'population';
CONNECT     : 'connect';
WITH        : 'with';
DELAY       : 'delay';
RECORD      : 'record';
SPIKES      : 'spikes';
TIMED_ARRAY : 'timed_array';
ARRAY       : 'array';
OF          : 'of';
EVERY       : 'every';
FINAL       : 'final';
RUN         : 'run';
RUNTIME     : 'runtime';
AND         : 'and';
OR          : 'or';
NOT         : 'not';
IF          : 'if';
ELSE        : 'else';
AT          : 'at';

ARROW   : '->';
PLUSEQ  : '+=';
MINUSEQ : '-=';
STAREQ  : '*=';
SLASHEQ : '/=';
LE      : '<=';
GE      : '>=';
EQEQ    : '==';
NE      : '!=';
POW     : '**' | '^';
LT      : '<';
GT      : '>';
ASSIGN  : '=';
PLUS    : '+';
MINUS   : '-';
STAR    : '*';
SLASH   : '/';
PERCENT : '%';
LPAREN  : '(';
RPAREN  : ')';
LBRACE  : '{';
RBRACE  : '}';
LBRACK  : '[';
RBRACK  : ']';
COMMA   : ',';
COLON   : ':';
SEMI    : ';';
DOT     : '.';

NUMBER
    : DIGITS ('.' DIGITS?)? EXPONENT?
    | '.' DIGITS EXPONENT?
    ;
fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

IDENT  : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING : '"' ~["\r\n]* '"' ;

// Line comments stay in the token stream, off the parser's channel, so that a Python floor
// division `a // b` (whose `// b` is a comment here) can be warned about.
LINE_COMMENT  : ('//' | '#') ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;

// Anything else becomes a token the parser cannot use, so it is reported with its location.
ERROR_CHAR : . ;
