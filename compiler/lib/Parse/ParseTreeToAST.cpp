// Walks the ANTLR parse tree once and builds the hand-written AST. Only called on trees without
// syntax errors, so every mandatory child is present; optional ones are checked for null.
#include "ParseTreeToAST.h"

#include <cmath>
#include <cstdlib>

using P = snn_antlr::SNNParser;

namespace snn::parse {
namespace {

class Builder {
public:
  Builder(uint32_t file, DiagnosticEngine &d) : file_(file), diags_(d) {}

  SourceLoc loc(antlr4::Token *t) const {
    if (!t)
      return {};
    return {file_, static_cast<uint32_t>(t->getLine()),
            static_cast<uint32_t>(t->getCharPositionInLine() + 1)};
  }
  SourceLoc loc(antlr4::tree::TerminalNode *n) const { return n ? loc(n->getSymbol()) : SourceLoc{}; }
  SourceLoc loc(antlr4::ParserRuleContext *c) const { return c ? loc(c->getStart()) : SourceLoc{}; }

  ast::File file(P::FileContext *ctx) {
    ast::File f;
    f.fileId = file_;
    for (auto *imp : ctx->importDecl()) {
      std::string s = imp->STRING()->getText();
      f.imports.push_back({s.substr(1, s.size() - 2), loc(imp->STRING())});
    }
    for (auto *def : ctx->definition()) {
      if (auto *n = def->neuronDef())
        f.neurons.push_back(neuron(n));
      else if (auto *s = def->synapseDef())
        f.synapses.push_back(synapse(s));
      else if (auto *n = def->networkDef())
        f.networks.push_back(network(n));
    }
    return f;
  }

private:
  ast::NeuronDef neuron(P::NeuronDefContext *ctx) {
    ast::NeuronDef n;
    n.name = ctx->IDENT()->getText();
    n.loc = loc(ctx->IDENT());
    for (auto *item : ctx->neuronItem()) {
      if (auto *c = dynamic_cast<P::ParamsBlockContext *>(item)) {
        for (auto *b : c->binding())
          n.params.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::StateBlockContext *>(item)) {
        for (auto *b : c->binding())
          n.state.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::EquationsBlockContext *>(item)) {
        if (c->optName) {
          if (c->optName->getText() != "method")
            diags_.error(loc(c->optName), "unknown equations option '" + c->optName->getText() +
                                              "' (expected 'method')");
          else if (!n.method.empty())
            diags_.error(loc(c->optName), "integration method of neuron '" + n.name +
                                              "' is given twice");
          n.method = c->optValue->getText();
          n.methodLoc = loc(c->optValue);
        }
        for (auto *e : c->equation())
          if (auto eq = equation(e))
            n.equations.push_back(std::move(*eq));
        for (auto *b : c->binding())
          n.aliases.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::SpikeItemContext *>(item)) {
        if (n.threshold) {
          diags_.error(loc(c), "neuron '" + n.name + "' has more than one spike condition");
          diags_.note(n.thresholdLoc, "previous spike condition is here");
        }
        n.threshold = expr(c->expr());
        n.thresholdLoc = loc(c);
      } else if (auto *c = dynamic_cast<P::ResetItemContext *>(item)) {
        statements(c->statement(), {}, n.reset);
      } else if (auto *c = dynamic_cast<P::UpdateItemContext *>(item)) {
        statements(c->statement(), {}, n.update);
      } else if (auto *c = dynamic_cast<P::EveryItemContext *>(item)) {
        n.every.push_back(every(c, c->period, c->statement()));
      } else if (auto *c = dynamic_cast<P::InputsBlockContext *>(item)) {
        for (auto *b : c->binding())
          n.inputs.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::RefractoryItemContext *>(item)) {
        if (n.refractory) {
          diags_.error(loc(c), "neuron '" + n.name + "' has more than one refractory period");
          diags_.note(n.refractoryLoc, "previous refractory period is here");
        }
        n.refractory = expr(c->expr());
        n.refractoryLoc = loc(c);
        if (c->optName) {
          std::string value = c->optValue->getText();
          if (c->optName->getText() != "inputs")
            diags_.error(loc(c->optName), "unknown refractory option '" +
                                              c->optName->getText() + "' (expected 'inputs')");
          else if (value != "drop" && value != "hold")
            diags_.error(loc(c->optValue), "refractory inputs must be 'drop' or 'hold', not '" +
                                               value + "'");
          n.holdRefractoryInputs = value == "hold";
        }
      }
    }
    return n;
  }

  ast::SynapseDef synapse(P::SynapseDefContext *ctx) {
    ast::SynapseDef s;
    s.name = ctx->IDENT()->getText();
    s.loc = loc(ctx->IDENT());
    for (auto *item : ctx->synapseItem()) {
      if (auto *c = dynamic_cast<P::SynParamsBlockContext *>(item)) {
        for (auto *b : c->binding())
          s.params.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::SynStateBlockContext *>(item)) {
        for (auto *b : c->binding())
          s.state.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::SynPreBlockContext *>(item)) {
        for (auto *b : c->binding())
          s.preTraces.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::SynPostBlockContext *>(item)) {
        for (auto *b : c->binding())
          s.postTraces.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::SynEquationsBlockContext *>(item)) {
        for (auto *e : c->equation())
          if (auto eq = equation(e))
            s.equations.push_back(std::move(*eq));
      } else if (auto *c = dynamic_cast<P::SynOnPostBlockContext *>(item)) {
        s.hasOnPost = true;
        statements(c->statement(), {}, s.onPost);
      } else if (auto *c = dynamic_cast<P::SynOnTeacherBlockContext *>(item)) {
        s.hasOnTeacher = true;
        statements(c->statement(), {}, s.onTeacher);
      } else if (auto *c = dynamic_cast<P::SynOnPreBlockContext *>(item)) {
        statements(c->statement(), {}, s.onPre);
      } else if (auto *c = dynamic_cast<P::SynEveryItemContext *>(item)) {
        s.every.push_back(every(c, c->period, c->statement()));
      } else if (auto *c = dynamic_cast<P::SynResponseBlockContext *>(item)) {
        for (auto *b : c->binding())
          s.response.push_back(binding(b));
      } else if (auto *c = dynamic_cast<P::SynOutputItemContext *>(item)) {
        if (s.output) {
          diags_.error(loc(c), "synapse '" + s.name + "' has more than one output");
          diags_.note(s.outputLoc, "previous output is here");
        } else if (s.summed) {
          diags_.error(loc(c), "synapse '" + s.name + "' has an output and a summed value: it "
                               "feeds one input");
          diags_.note(s.summedLoc, "previous one is here");
        }
        s.output = expr(c->expr());
        s.outputLoc = loc(c);
      } else if (auto *c = dynamic_cast<P::SynSummedItemContext *>(item)) {
        if (s.summed || s.output) {
          diags_.error(loc(c), "synapse '" + s.name + "' has " +
                                   (s.summed ? "more than one summed value"
                                             : "an output and a summed value") +
                                   ": it feeds one input");
          diags_.note(s.summed ? s.summedLoc : s.outputLoc, "previous one is here");
        }
        s.summed = expr(c->expr());
        s.summedLoc = loc(c);
      }
    }
    return s;
  }

  ast::NetworkDef network(P::NetworkDefContext *ctx) {
    ast::NetworkDef n;
    n.name = ctx->IDENT()->getText();
    n.loc = loc(ctx->IDENT());
    for (auto *item : ctx->networkItem()) {
      bool change = dynamic_cast<P::SettingContext *>(item) ||
                    dynamic_cast<P::ParamChangeContext *>(item) ||
                    dynamic_cast<P::RunContext *>(item);
      if (!n.runs.empty() && !change) {
        // Declarations hold for the whole simulation, which starts at the first run.
        diags_.error(loc(item), "'" + item->getStart()->getText() + "' after a 'run': the "
                     "network is declared before its first run; between runs stand only "
                     "parameter changes ('P.x = value', 'name = value') and further runs");
        diags_.note(n.runs.front().loc, "the first run is here");
        continue;
      }
      if (auto *c = dynamic_cast<P::SettingContext *>(item)) {
        if (n.runs.empty())
          n.settings.push_back({c->IDENT()->getText(), loc(c->IDENT()), expr(c->expr())});
        else
          n.changes.push_back({"", c->IDENT()->getText(), loc(c->IDENT()), loc(c->IDENT()),
                               expr(c->expr()), n.runs.size()});
      } else if (auto *c = dynamic_cast<P::ParamChangeContext *>(item)) {
        n.changes.push_back({c->owner->getText(), c->param->getText(), loc(c->owner),
                             loc(c->param), expr(c->expr()), n.runs.size()});
      } else if (auto *c = dynamic_cast<P::PopulationContext *>(item)) {
        ast::PopulationDecl p;
        p.name = c->popName->getText();
        p.loc = loc(c->popName);
        p.model = c->modelName->getText();
        p.modelLoc = loc(c->modelName);
        p.size = expr(c->expr());
        // Overrides sit in (...) and initialisers in {...}; tell them apart by position.
        size_t brace = c->LBRACE() ? c->LBRACE()->getSymbol()->getTokenIndex() : SIZE_MAX;
        for (auto *b : c->binding()) {
          if (b->getStart()->getTokenIndex() > brace)
            p.init.push_back(binding(b));
          else
            p.overrides.push_back(binding(b));
        }
        // `at ...` before or after the initial values, once.
        auto at = c->positions();
        if (!at.empty())
          p.positions = positions(at[0]);
        if (at.size() > 1)
          diags_.error(loc(at[1]->getStart()), "population '" + p.name +
                                                   "' is given positions twice");
        n.populations.push_back(std::move(p));
      } else if (auto *c = dynamic_cast<P::SpikeSourceContext *>(item)) {
        ast::PopulationDecl p;
        p.name = c->popName->getText();
        p.loc = loc(c->popName);
        std::string file = c->STRING()->getText();
        p.sourceFile = file.substr(1, file.size() - 2);
        p.sourceLoc = loc(c->STRING());
        p.size = expr(c->expr());
        if (auto *at = c->positions())
          p.positions = positions(at);
        n.populations.push_back(std::move(p));
      } else if (auto *c = dynamic_cast<P::ConnectContext *>(item)) {
        ast::ConnectDecl cd;
        cd.loc = loc(c);
        if (c->connName) {
          cd.name = c->connName->getText();
          cd.nameLoc = loc(c->connName);
        }
        cd.pre = popRef(c->pre);
        cd.post = popRef(c->post);
        cd.rule = ruleCall(c->ruleCall());
        if (c->condition)
          cd.condition = expr(c->condition);
        if (c->delayExpr)
          cd.delay = expr(c->delayExpr);
        if (c->synName) {
          cd.synapse = c->synName->getText();
          cd.synapseLoc = loc(c->synName);
        }
        // Overrides sit in (...) and initial values of the synapse state in {...} (the first
        // brace; a later one opens an inline on_pre, which holds assignments, not bindings).
        auto braces = c->LBRACE();
        size_t brace = braces.empty() ? SIZE_MAX : braces[0]->getSymbol()->getTokenIndex();
        for (auto *b : c->binding()) {
          if (b->getStart()->getTokenIndex() > brace)
            cd.synapseInit.push_back(binding(b));
          else
            cd.synapseOverrides.push_back(binding(b));
        }
        if (c->target) {
          cd.onto = c->target->getText();
          cd.ontoLoc = loc(c->target);
        }
        if (c->modPop) {
          cd.modulatorPop = popRef(c->modPop);
          cd.modulatorVar = c->modVar->getText();
          cd.modulatorVarLoc = loc(c->modVar);
        }
        if (c->teacherPop)
          cd.teacherPop = popRef(c->teacherPop);
        cd.hasInlineOnPre = c->ON_PRE() != nullptr;
        statements(c->statement(), {}, cd.onPre);
        n.connections.push_back(std::move(cd));
      } else if (auto *c = dynamic_cast<P::TimedArrayContext *>(item)) {
        ast::TimedArrayDecl a;
        a.name = c->arrayName->getText();
        a.loc = loc(c->arrayName);
        for (auto *e : c->expr())
          if (e != c->interval)
            a.values.push_back(expr(e));
        a.interval = expr(c->interval);
        n.timedArrays.push_back(std::move(a));
      } else if (auto *c = dynamic_cast<P::TimedArrayFileContext *>(item)) {
        ast::TimedArrayDecl a;
        a.name = c->arrayName->getText();
        a.loc = loc(c->arrayName);
        a.file = dataLoad(c->dataLoad());
        a.interval = expr(c->interval);
        n.timedArrays.push_back(std::move(a));
      } else if (auto *c = dynamic_cast<P::ArrayDeclContext *>(item)) {
        n.arrays.push_back({c->arrayName->getText(), loc(c->arrayName), dataLoad(c->dataLoad())});
      } else if (auto *c = dynamic_cast<P::RuntimeParamsContext *>(item)) {
        for (auto *r : c->runtimeRef())
          n.runtimeParams.push_back(
              {r->owner->getText(), r->param->getText(), loc(r->owner), loc(r->param)});
      } else if (auto *c = dynamic_cast<P::InputDeclContext *>(item)) {
        ast::InputDecl in;
        in.loc = loc(c);
        in.pop = popRef(c->popRef());
        ast::Assignment a;
        a.target = c->var->getText();
        a.loc = loc(c->var);
        a.op = c->op->getType() == P::PLUSEQ ? ast::AssignOp::Add : ast::AssignOp::Sub;
        a.value = expr(c->expr());
        in.assign.push_back(std::move(a));
        n.inputs.push_back(std::move(in));
      } else if (auto *c = dynamic_cast<P::RecordSpikesContext *>(item)) {
        ast::RecordDecl r;
        r.loc = loc(c);
        r.spikes = true;
        r.pop = popRef(c->popRef());
        n.records.push_back(std::move(r));
      } else if (auto *c = dynamic_cast<P::RecordRateContext *>(item)) {
        if (c->what->getText() != "rate") {
          diags_.error(loc(c->what), "expected 'spikes' or 'rate' after 'record', found '" +
                                         c->what->getText() + "'");
          continue;
        }
        ast::RecordDecl r;
        r.loc = loc(c);
        r.rate = true;
        r.pop = popRef(c->popRef());
        if (c->expr())
          r.every = expr(c->expr());
        n.records.push_back(std::move(r));
      } else if (auto *c = dynamic_cast<P::RecordStateContext *>(item)) {
        ast::RecordDecl r;
        r.loc = loc(c);
        r.pop.name = c->popName->getText();
        r.pop.loc = loc(c->popName);
        if (c->slice())
          r.pop.slice = slice(c->slice());
        r.var = c->varName->getText();
        r.varLoc = loc(c->varName);
        r.final = c->FINAL() != nullptr;
        if (c->expr())
          r.every = expr(c->expr());
        n.records.push_back(std::move(r));
      } else if (auto *c = dynamic_cast<P::RunContext *>(item)) {
        n.runs.push_back({loc(c), expr(c->expr())});
      }
    }
    return n;
  }

  static std::string unquote(antlr4::tree::TerminalNode *s) {
    std::string t = s->getText();
    return t.substr(1, t.size() - 2);
  }

  ast::RuleCall ruleCall(P::RuleCallContext *r) {
    ast::RuleCall rule;
    rule.name = r->IDENT()->getText();
    rule.loc = loc(r->IDENT());
    for (auto *a : r->argument())
      rule.args.push_back({a->IDENT()   ? a->IDENT()->getText()
                           : a->DELAY() ? std::string("delay")
                                        : std::string(),
                           loc(a), a->expr() ? expr(a->expr()) : nullptr,
                           a->STRING() ? unquote(a->STRING()) : std::string()});
    return rule;
  }

  ast::Positions positions(P::PositionsContext *ctx) {
    ast::Positions at;
    at.loc = loc(ctx);
    if (auto *f = dynamic_cast<P::PositionsFileContext *>(ctx)) {
      at.kind = ast::Positions::Kind::File;
      at.file = dataLoad(f->dataLoad());
    } else if (auto *l = dynamic_cast<P::PositionsLayoutContext *>(ctx)) {
      at.kind = ast::Positions::Kind::Layout;
      at.layout = ruleCall(l->ruleCall());
    } else if (auto *e = dynamic_cast<P::PositionsExprsContext *>(ctx)) {
      at.kind = ast::Positions::Kind::Exprs;
      for (auto *b : e->binding())
        at.exprs.push_back(binding(b));
    }
    return at;
  }

  ast::DataLoad dataLoad(P::DataLoadContext *ctx) {
    ast::DataLoad d;
    d.fn = ctx->fn->getText();
    d.fnLoc = loc(ctx->fn);
    d.path = unquote(ctx->STRING());
    d.pathLoc = loc(ctx->STRING());
    if (ctx->scale)
      d.scale = expr(ctx->scale);
    return d;
  }

  ast::PopRef popRef(P::PopRefContext *ctx) {
    ast::PopRef r;
    r.name = ctx->IDENT()->getText();
    r.loc = loc(ctx->IDENT());
    if (ctx->slice())
      r.slice = slice(ctx->slice());
    return r;
  }

  ast::Slice slice(P::SliceContext *ctx) {
    ast::Slice s;
    s.loc = loc(ctx);
    s.lo = expr(ctx->lo);
    if (ctx->hi)
      s.hi = expr(ctx->hi);
    return s;
  }

  ast::Binding binding(P::BindingContext *ctx) {
    return {ctx->IDENT()->getText(), loc(ctx->IDENT()), expr(ctx->expr())};
  }

  std::optional<ast::Equation> equation(P::EquationContext *ctx) {
    std::string lhs = ctx->lhs->getText();
    if (lhs.size() < 2 || lhs[0] != 'd' || ctx->dt->getText() != "dt") {
      diags_.error(loc(ctx->lhs), "expected a derivative such as 'dv/dt' on the left of an "
                                  "equation, found '" + lhs + "/" + ctx->dt->getText() + "'");
      return std::nullopt;
    }
    ast::Equation eq;
    eq.var = lhs.substr(1);
    eq.loc = loc(ctx->lhs);
    eq.rhs = expr(ctx->expr());
    eq.unlessRefractory = ctx->UNLESS() != nullptr;
    return eq;
  }

  /// `every T { ... }` of a neuron or a synapse.
  ast::Every every(antlr4::ParserRuleContext *ctx, P::ExprContext *period,
                   const std::vector<P::StatementContext *> &stmts) {
    ast::Every e;
    e.period = expr(period);
    e.loc = loc(ctx);
    statements(stmts, {}, e.body);
    return e;
  }

  /// Appends the assignments of `stmts` to `out`, each under `guards` and the ifs it stands in.
  void statements(const std::vector<P::StatementContext *> &stmts,
                  const std::vector<ast::Guard> &guards, std::vector<ast::Assignment> &out) {
    for (auto *st : stmts) {
      if (auto *a = st->assignment()) {
        out.push_back(assignment(a));
        out.back().guards = guards;
      } else if (auto *i = st->ifStatement()) {
        ifStatement(i, guards, out);
      }
    }
  }

  void ifStatement(P::IfStatementContext *ctx, const std::vector<ast::Guard> &guards,
                   std::vector<ast::Assignment> &out) {
    auto cond = std::make_shared<ast::Condition>();
    cond->cond = expr(ctx->cond);
    cond->loc = loc(ctx);
    std::vector<ast::Guard> inner = guards;
    inner.push_back({cond, false});
    statements(ctx->thenBody, inner, out);
    inner.back().negated = true;
    if (ctx->elseIf) {
      ifStatement(ctx->elseIf, inner, out); // `else if c {...}`: an if in the else branch
    } else {
      statements(ctx->elseBody, inner, out);
    }
  }

  ast::Assignment assignment(P::AssignmentContext *ctx) {
    ast::Assignment a;
    a.target = ctx->IDENT()->getText();
    a.loc = ctx->side ? loc(ctx->side) : loc(ctx->IDENT());
    if (ctx->side)
      a.side = ctx->side->getType() == P::PRE ? ast::Side::Pre : ast::Side::Post;
    switch (ctx->op->getType()) {
    case P::PLUSEQ: a.op = ast::AssignOp::Add; break;
    case P::MINUSEQ: a.op = ast::AssignOp::Sub; break;
    case P::STAREQ: a.op = ast::AssignOp::Mul; break;
    case P::SLASHEQ: a.op = ast::AssignOp::Div; break;
    default: a.op = ast::AssignOp::Set; break;
    }
    a.value = expr(ctx->expr());
    return a;
  }

  ast::ExprPtr binary(antlr4::Token *op, ast::BinaryOp kind, P::ExprContext *l, P::ExprContext *r) {
    return std::make_unique<ast::BinaryExpr>(loc(op), kind, expr(l), expr(r));
  }

  ast::ExprPtr expr(P::ExprContext *ctx) {
    if (auto *c = dynamic_cast<P::PrimaryExprContext *>(ctx))
      return primary(c->primary());
    if (auto *c = dynamic_cast<P::PowExprContext *>(ctx))
      return binary(c->POW()->getSymbol(), ast::BinaryOp::Pow, c->lhs, c->rhs);
    if (auto *c = dynamic_cast<P::UnaryExprContext *>(ctx))
      return std::make_unique<ast::UnaryExpr>(
          loc(c->op), c->op->getType() == P::MINUS ? ast::UnaryOp::Neg : ast::UnaryOp::Plus,
          expr(c->expr()));
    if (auto *c = dynamic_cast<P::NotExprContext *>(ctx))
      return std::make_unique<ast::UnaryExpr>(loc(c), ast::UnaryOp::Not, expr(c->expr()));
    if (auto *c = dynamic_cast<P::MulExprContext *>(ctx))
      return binary(c->op,
                    c->op->getType() == P::STAR    ? ast::BinaryOp::Mul
                    : c->op->getType() == P::SLASH ? ast::BinaryOp::Div
                                                   : ast::BinaryOp::Mod,
                    c->lhs, c->rhs);
    if (auto *c = dynamic_cast<P::AddExprContext *>(ctx))
      return binary(c->op, c->op->getType() == P::PLUS ? ast::BinaryOp::Add : ast::BinaryOp::Sub,
                    c->lhs, c->rhs);
    if (auto *c = dynamic_cast<P::CmpExprContext *>(ctx)) {
      ast::BinaryOp k = ast::BinaryOp::Lt;
      switch (c->op->getType()) {
      case P::LE: k = ast::BinaryOp::Le; break;
      case P::GT: k = ast::BinaryOp::Gt; break;
      case P::GE: k = ast::BinaryOp::Ge; break;
      case P::EQEQ: k = ast::BinaryOp::Eq; break;
      case P::NE: k = ast::BinaryOp::Ne; break;
      default: break;
      }
      return binary(c->op, k, c->lhs, c->rhs);
    }
    if (auto *c = dynamic_cast<P::AndExprContext *>(ctx))
      return binary(c->AND()->getSymbol(), ast::BinaryOp::And, c->lhs, c->rhs);
    if (auto *c = dynamic_cast<P::OrExprContext *>(ctx))
      return binary(c->OR()->getSymbol(), ast::BinaryOp::Or, c->lhs, c->rhs);
    if (auto *c = dynamic_cast<P::CondExprContext *>(ctx)) {
      // `a if c else b` (Python's conditional expression): a call of the reserved name `if`, so
      // that every walk over calls sees its three operands (condition first).
      auto call = std::make_unique<ast::CallExpr>(loc(c->IF()->getSymbol()), "if");
      call->args.push_back(expr(c->cond));
      call->args.push_back(expr(c->then));
      call->args.push_back(expr(c->els));
      return call;
    }
    // Unreachable for a tree without syntax errors; keep the AST total anyway.
    return std::make_unique<ast::NumberExpr>(loc(ctx));
  }

  ast::ExprPtr primary(P::PrimaryContext *ctx) {
    if (auto *c = dynamic_cast<P::QuantityContext *>(ctx)) {
      auto n = std::make_unique<ast::NumberExpr>(loc(c->NUMBER()));
      n->text = c->NUMBER()->getText();
      n->value = std::strtod(n->text.c_str(), nullptr);
      if (!std::isfinite(n->value))
        diags_.error(n->loc, "number '" + n->text + "' is too large");
      if (c->unit) {
        n->unit = c->unit->getText();
        n->unitLoc = loc(c->unit);
      }
      return n;
    }
    if (auto *c = dynamic_cast<P::CallContext *>(ctx)) {
      auto call = std::make_unique<ast::CallExpr>(loc(c->IDENT()), c->IDENT()->getText());
      for (auto *a : c->expr())
        call->args.push_back(expr(a));
      return call;
    }
    if (auto *c = dynamic_cast<P::NameContext *>(ctx))
      return std::make_unique<ast::NameExpr>(loc(c->IDENT()), c->IDENT()->getText());
    if (auto *c = dynamic_cast<P::SideNameContext *>(ctx))
      return std::make_unique<ast::NameExpr>(
          loc(c->side), c->IDENT()->getText(),
          c->side->getType() == P::PRE ? ast::Side::Pre : ast::Side::Post);
    if (auto *c = dynamic_cast<P::ParenContext *>(ctx))
      return expr(c->expr());
    return std::make_unique<ast::NumberExpr>(loc(ctx));
  }

  uint32_t file_;
  DiagnosticEngine &diags_;
};

} // namespace

ast::File buildAST(P::FileContext *tree, uint32_t fileId, DiagnosticEngine &diags) {
  return Builder(fileId, diags).file(tree);
}

} // namespace snn::parse
