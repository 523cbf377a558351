// Expressions: the type (a unit, or a condition) of every expression and the
// resolution of every name in it, against a Scope that says what the context allows.
#include "ExprChecker.h"

#include "snn/Sema/ConstEval.h"
#include "snn/Sema/DataFile.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace snn::sema {

using ast::BinaryOp;
using ast::Expr;

std::optional<ExprType> ExprChecker::record(const Expr &e, ExprType t) {
  result_.types[&e] = t;
  return t;
}

ExprType ExprChecker::num(Dim d) { return ExprType{false, d}; }

std::optional<ExprType> ExprChecker::checkExpr(const Expr &e, const Scope &s) {
  using namespace ast;
  switch (e.kind) {
  case Expr::Kind::Number: {
    auto &n = static_cast<const NumberExpr &>(e);
    if (n.unit.empty())
      return record(e, num(Dim::none()));
    const UnitInfo *u = lookupUnit(n.unit);
    if (!u) {
      error(n.unitLoc, "unknown unit '" + n.unit + "'");
      return std::nullopt;
    }
    return record(e, num(u->dim));
  }
  case Expr::Kind::Name:
    return checkName(static_cast<const NameExpr &>(e), s);
  case Expr::Kind::Unary: {
    auto &u = static_cast<const UnaryExpr &>(e);
    auto t = checkExpr(*u.operand, s);
    if (!t)
      return t;
    if (u.op == UnaryOp::Not) {
      if (!t->isBool) {
        error(u.loc, "'not' needs a condition, got a value of unit '" + t->dim.str() + "'");
        return std::nullopt;
      }
      return record(e, *t);
    }
    if (t->isBool) {
      error(u.loc, "cannot negate a condition");
      return std::nullopt;
    }
    return record(e, *t);
  }
  case Expr::Kind::Binary:
    return checkBinary(static_cast<const BinaryExpr &>(e), s);
  case Expr::Kind::Call:
    return checkCall(static_cast<const CallExpr &>(e), s);
  }
  return std::nullopt;
}

std::optional<ExprType> ExprChecker::resolved(const ast::NameExpr &n, NameRef::Kind k, ExprType t) {
  result_.names[&n] = NameRef{k, n.name};
  return record(n, t);
}

/// A name: the model's own names first (modelName), then the network's constants, the
/// predefined names (predefinedName) and units.
std::optional<ExprType> ExprChecker::checkName(const ast::NameExpr &n, const Scope &s) {
  if (n.side != ast::Side::None)
    return checkSideName(n, s);
  bool handled = true;
  if (auto t = modelName(n, s, handled); handled)
    return t;
  auto resolved = [&](NameRef::Kind k, ExprType t) { return this->resolved(n, k, t); };
  // A network's constants, after the model's own names (which shadow them, as a model's names
  // shadow Brian2's namespace).
  if (auto it = result_.network.constants.find(n.name); it != result_.network.constants.end())
    return resolved(NameRef::Kind::NetConst, num(it->second.dim));
  handled = true;
  if (auto t = predefinedName(n, s, handled); handled)
    return t;
  if (const UnitInfo *u = lookupUnit(n.name))
    return resolved(NameRef::Kind::Unit, num(u->dim));
  if ((!s.allowTime || s.allowTables) && currentStateNames_.count(n.name)) {
    // Parameters and positions may use i and N, not state.
    if (s.allowInit && s.context != "a parameter" && s.context != "a position")
      error(n.loc, "state variable '" + n.name +
                       "' is initialised later; an initial value can "
                       "only use the state variables declared before it");
    else
      error(n.loc, "state variable '" + n.name + "' cannot be used in " + s.context);
    return std::nullopt;
  }
  if (s.invalidNames && s.invalidNames->count(n.name))
    return std::nullopt; // declared, but its initial value is invalid (already reported)
  for (auto &[names, what] : s.unavailable)
    if (names->count(n.name)) {
      error(n.loc, "'" + n.name + "' is " + what + " and cannot be used in " + s.context);
      return std::nullopt;
    }
  for (auto *decls : s.synDecls)
    if (declares(*decls, n.name))
      return std::nullopt; // declared, but its initial value is invalid (already reported)
  error(n.loc, "use of undeclared name '" + n.name + "'");
  return std::nullopt;
}

/// The names the scope's model gives (target, modulator, synapse state, responses, traces,
/// state, inputs, parameters, named expressions); `handled` false if `n` is none of them.
std::optional<ExprType> ExprChecker::modelName(const ast::NameExpr &n, const Scope &s,
                                               bool &handled) {
  auto resolved = [&](NameRef::Kind k, ExprType t) { return this->resolved(n, k, t); };
  if (s.target && n.name == "target")
    return resolved(NameRef::Kind::Target, num(*s.target));
  if (n.name == "modulator" && (s.modulator || s.synState)) {
    if (s.modulator)
      return resolved(NameRef::Kind::Modulator, num(*s.modulator));
    error(n.loc, "'modulator' stands for the neuron variable a connection names with "
                 "'modulated by P.x', and this connection names none");
    return std::nullopt;
  }
  if (s.synState) {
    auto it = s.synState->find(n.name);
    if (it != s.synState->end())
      return resolved(NameRef::Kind::SynState, num(it->second));
  }
  if (s.response)
    if (auto it = s.response->find(n.name); it != s.response->end())
      return resolved(NameRef::Kind::Response, num(it->second));
  for (auto [traces, kind] : {std::pair{s.preTraces, NameRef::Kind::PreTrace},
                              std::pair{s.postTraces, NameRef::Kind::PostTrace}})
    if (traces)
      if (auto it = traces->find(n.name); it != traces->end())
        return resolved(kind, num(it->second));
  if (s.state) {
    auto it = s.state->find(n.name);
    if (it != s.state->end())
      return resolved(NameRef::Kind::State, num(it->second));
    if (s.stateDecls && declares(*s.stateDecls, n.name))
      return std::nullopt; // its initial value is invalid, already reported
  }
  if (s.inputs)
    if (auto it = s.inputs->find(n.name); it != s.inputs->end())
      return resolved(NameRef::Kind::Input, num(it->second));
  if (s.param) {
    bool known = false;
    auto d = s.param(n.name, n.loc, known);
    if (known)
      return d ? resolved(NameRef::Kind::Param, num(*d)) : std::nullopt;
  }
  if (s.postParams)
    if (auto it = s.postParams->find(n.name); it != s.postParams->end())
      return resolved(NameRef::Kind::PostParam, num(it->second));
  if (s.alias) {
    bool known = false;
    auto d = s.alias(n.name, n.loc, known);
    if (known)
      return d ? resolved(NameRef::Kind::Alias, num(*d)) : std::nullopt;
  }
  handled = false;
  return std::nullopt;
}

/// t, dt, xi, i, j, N and pi where the context allows them; `handled` false for other names.
std::optional<ExprType> ExprChecker::predefinedName(const ast::NameExpr &n, const Scope &s,
                                                    bool &handled) {
  auto resolved = [&](NameRef::Kind k, ExprType t) { return this->resolved(n, k, t); };
  if (n.name == "t" || n.name == "dt") {
    // dt is a constant of the network, so anything computed at initialisation may read it too
    // (`delay max(normal(1.5 ms, 0.75 ms), dt)`).
    if (!s.allowTime && !(n.name == "dt" && s.allowInit)) {
      error(n.loc, "'" + n.name + "' cannot be used in " + s.context);
      return std::nullopt;
    }
    return resolved(n.name == "t" ? NameRef::Kind::Time : NameRef::Kind::Dt, num(dims::second()));
  }
  if (n.name == "xi") {
    if (!s.allowNoise) {
      error(n.loc, "white noise 'xi' can only be used in an equation");
      return std::nullopt;
    }
    return resolved(NameRef::Kind::Noise, num(*dims::second().pow(-0.5)));
  }
  if (s.synapseIndices && (n.name == "i" || n.name == "j"))
    return resolved(n.name == "i" ? NameRef::Kind::PreIndex : NameRef::Kind::PostIndex,
                    num(Dim::none()));
  if (n.name == "i" || n.name == "N") {
    if (s.allowInit && !s.allowIndex) {
      error(n.loc, "'" + n.name + "' (the neuron " + (n.name == "i" ? "index" : "count") +
                       ") is not defined in " + s.context +
                       (s.synapseIndices ? "; i and j are the synapse's presynaptic and "
                                           "postsynaptic neurons"
                                         : ""));
      return std::nullopt;
    }
    if (!s.allowInit) {
      error(n.loc, "'" + n.name + "' (the neuron " + (n.name == "i" ? "index" : "count") +
                       ") can only be used in an "
                       "initial value");
      return std::nullopt;
    }
    return resolved(n.name == "i" ? NameRef::Kind::Index : NameRef::Kind::Size, num(Dim::none()));
  }
  if (n.name == "pi")
    return resolved(NameRef::Kind::Pi, num(Dim::none()));
  if (n.name == "distance" && s.positionsHere)
    return distance(n, s);
  if (n.name == "kernel" && s.kernel)
    return resolved(NameRef::Kind::Kernel, num(s.kernel->dim));
  if (n.name == "kernel" && s.kernelFailed)
    return std::nullopt;
  if (n.name == "kernel" && (s.synapseSides || s.positionsHere)) {
    error(n.loc, "'kernel' is the kernel element of a synapse of a conv2d connection (connect A "
                 "-> B with conv2d(K) ...), and this connection's rule is not conv2d");
    return std::nullopt;
  }
  handled = false;
  return std::nullopt;
}

/// `distance` between a synapse's neurons: both populations need positions of as many
/// coordinates, in one unit.
std::optional<ExprType> ExprChecker::distance(const ast::NameExpr &n, const Scope &s) {
  for (auto [at, pop] : {std::pair{s.prePositions, &s.prePop}, {s.postPositions, &s.postPop}})
    if (!at) {
      error(n.loc, "'distance' needs the positions of both populations, and '" + *pop +
                       "' has none (give them with `at grid(...)`, `at (x = ...)` or "
                       "`at load(\"...\")`)");
      return std::nullopt;
    }
  const PositionInfo &a = *s.prePositions, &b = *s.postPositions;
  if (a.dims != b.dims) {
    error(n.loc, "'distance' between positions of " + std::to_string(a.dims) + " and " +
                     std::to_string(b.dims) + " coordinates ('" + s.prePop + "' and '" +
                     s.postPop + "')");
    return std::nullopt;
  }
  if (a.dim != b.dim) {
    error(n.loc, "'distance' between positions in '" + a.dim.str() + "' and '" + b.dim.str() +
                     "' ('" + s.prePop + "' and '" + s.postPop + "')");
    return std::nullopt;
  }
  return resolved(n, NameRef::Kind::Distance, num(a.dim));
}

std::optional<ExprType> ExprChecker::checkSideName(const ast::NameExpr &n, const Scope &s) {
  bool pre = n.side == ast::Side::Pre;
  std::string q = std::string(pre ? "pre." : "post.") + n.name;
  if (!s.synapseSides) {
    error(n.loc, "'" + q +
                     "' names a neuron of a synapse and can only be used in a synapse's "
                     "on_pre, on_post or output, or in the initial values a connection gives "
                     "(connect A -> B with ... synapse S { w = " +
                     q + " })");
    return std::nullopt;
  }
  if (pre && s.context == "an output") {
    error(n.loc, "'" + q +
                     "' cannot be used in an output, which is computed per postsynaptic "
                     "neuron");
    return std::nullopt;
  }
  if (s.positionsHere && (n.name == "x" || n.name == "y" || n.name == "z")) {
    const PositionInfo *at = pre ? s.prePositions : s.postPositions;
    uint32_t axis = static_cast<uint32_t>(n.name[0] - 'x');
    if (at && axis < at->dims) {
      result_.names[&n] = NameRef{pre ? NameRef::Kind::PrePosition : NameRef::Kind::PostPosition,
                                  n.name};
      return record(n, num(at->dim));
    }
    const std::string &popName = pre ? s.prePop : s.postPop;
    if (at) {
      error(n.loc, "'" + q + "': the positions of population '" + popName + "' have " +
                     std::to_string(at->dims) + " coordinate" + (at->dims == 1 ? "" : "s") +
                     (at->dims == 1 ? " (x)" : at->dims == 2 ? " (x, y)" : ""));
      return std::nullopt;
    }
  }
  std::vector<std::pair<const std::map<std::string, Dim> *, NameRef::Kind>> where;
  if (pre)
    where = {{s.preTraces, NameRef::Kind::PreTrace},
             {s.preState, NameRef::Kind::PreState},
             {s.preParams, NameRef::Kind::PreParam}};
  else
    where = {{s.postTraces, NameRef::Kind::PostTrace},
             {s.response, NameRef::Kind::Response},
             {s.state, NameRef::Kind::State},
             {s.postParams, NameRef::Kind::PostParam}};
  for (auto [vars, kind] : where)
    if (vars)
      if (auto it = vars->find(n.name); it != vars->end()) {
        result_.names[&n] = NameRef{kind, n.name};
        return record(n, num(it->second));
      }
  if (!pre && s.stateDecls && declares(*s.stateDecls, n.name))
    return std::nullopt; // its initial value is invalid, already reported
  const bool position = n.name == "x" || n.name == "y" || n.name == "z";
  std::string hint;
  if (position && s.positionsHere)
    hint = " and population '" + (pre ? s.prePop : s.postPop) +
           "' has no positions (give them with `at grid(...)`, `at (x = ...)` or `at "
           "load(\"...\")`)";
  else if (position)
    hint = " (positions are read only where the network is built: by a connection's rule, "
           "condition, delay and the initial values it gives)";
  error(n.loc, (pre ? s.preWhat : s.postWhat) + " has no variable '" + n.name + "'" + hint);
  return std::nullopt;
}

std::optional<ExprType> ExprChecker::checkBinary(const ast::BinaryExpr &b, const Scope &s) {
  auto l = checkExpr(*b.lhs, s);
  auto r = checkExpr(*b.rhs, s);
  if (!l || !r)
    return std::nullopt;
  const char *sp = ast::spelling(b.op);
  auto needNumbers = [&]() {
    if (l->isBool || r->isBool) {
      error(b.loc, std::string("operator '") + sp + "' needs numbers, not conditions");
      return false;
    }
    return true;
  };
  switch (b.op) {
  case BinaryOp::Add:
  case BinaryOp::Sub:
    if (!needNumbers())
      return std::nullopt;
    if (l->dim != r->dim) {
      error(b.loc, std::string("cannot ") + (b.op == BinaryOp::Add ? "add" : "subtract") + " '" +
                       l->dim.str() + "' and '" + r->dim.str() + "'");
      return std::nullopt;
    }
    return record(b, *l);
  case BinaryOp::Mul:
    if (!needNumbers())
      return std::nullopt;
    return record(b, num(l->dim * r->dim));
  case BinaryOp::Div:
    if (!needNumbers())
      return std::nullopt;
    return record(b, num(l->dim / r->dim));
  case BinaryOp::Mod:
    if (!needNumbers())
      return std::nullopt;
    if (l->dim != r->dim) {
      error(b.loc, "'%' needs operands of one unit, got '" + l->dim.str() + "' and '" +
                       r->dim.str() + "'");
      return std::nullopt;
    }
    return record(b, *l);
  case BinaryOp::Pow:
    if (!needNumbers())
      return std::nullopt;
    return checkPower(b, *l, *r, *b.rhs);
  case BinaryOp::Lt:
  case BinaryOp::Le:
  case BinaryOp::Gt:
  case BinaryOp::Ge:
  case BinaryOp::Eq:
  case BinaryOp::Ne:
    if (!needNumbers())
      return std::nullopt;
    if (l->dim != r->dim) {
      error(b.loc, "cannot compare '" + l->dim.str() + "' with '" + r->dim.str() + "'");
      return std::nullopt;
    }
    return record(b, ExprType{true, Dim::none()});
  case BinaryOp::And:
  case BinaryOp::Or:
    if (!l->isBool || !r->isBool) {
      error(b.loc, std::string("'") + sp + "' needs conditions on both sides");
      return std::nullopt;
    }
    return record(b, ExprType{true, Dim::none()});
  }
  return std::nullopt;
}

std::optional<ExprType> ExprChecker::checkPower(const Expr &whole, ExprType base, ExprType exp,
                                                const Expr &expExpr) {
  if (!exp.dim.isDimensionless()) {
    error(expExpr.loc, "exponent must be dimensionless, got '" + exp.dim.str() + "'");
    return std::nullopt;
  }
  if (base.dim.isDimensionless())
    return record(whole, num(Dim::none()));
  // A dimensioned base needs an exponent known now, or the result's unit would be unknown.
  std::string why;
  SourceLoc where;
  auto c = evalConst(expExpr, why, where);
  if (!c) {
    error(expExpr.loc,
          "the exponent of a value of unit '" + base.dim.str() + "' must be a constant number");
    return std::nullopt;
  }
  auto d = base.dim.pow(c->value);
  if (!d) {
    error(expExpr.loc, "cannot raise '" + base.dim.str() + "' to the power " + fmtNum(c->value));
    return std::nullopt;
  }
  return record(whole, num(*d));
}

struct ExprChecker::Fn {
  int arity;
  enum { Dimensionless, Sqrt, Same, Pow, FloorDiv, Random, Uniform01, Poisson, Binomial } kind;
};

namespace {

using Fn = ExprChecker::Fn;

/// The built-in functions: their arity and how their result's unit follows from the arguments.
const std::map<std::string, Fn> &builtins() {
  static const std::map<std::string, Fn> fns = {
      {"exp", {1, Fn::Dimensionless}},
      {"log", {1, Fn::Dimensionless}},
      {"log10", {1, Fn::Dimensionless}},
      {"sin", {1, Fn::Dimensionless}},
      {"cos", {1, Fn::Dimensionless}},
      {"tanh", {1, Fn::Dimensionless}},
      {"tan", {1, Fn::Dimensionless}},
      {"atan", {1, Fn::Dimensionless}},
      {"sinh", {1, Fn::Dimensionless}},
      {"cosh", {1, Fn::Dimensionless}},
      {"exprel", {1, Fn::Dimensionless}},
      {"sqrt", {1, Fn::Sqrt}},
      {"abs", {1, Fn::Same}},
      {"min", {2, Fn::Same}},
      {"max", {2, Fn::Same}},
      {"clip", {3, Fn::Same}},
      {"floor", {1, Fn::Same}},
      {"ceil", {1, Fn::Same}},
      {"round", {1, Fn::Same}},
      {"pow", {2, Fn::Pow}},
      {"div", {2, Fn::FloorDiv}},
      {"uniform", {2, Fn::Random}},
      {"normal", {2, Fn::Random}},
      {"rand", {0, Fn::Uniform01}},
      {"poisson", {1, Fn::Poisson}},
      {"randn", {0, Fn::Uniform01}},
      {"binomial", {2, Fn::Binomial}},
  };
  return fns;
}

} // namespace

} // namespace snn::sema

bool snn::isRandomFunction(const std::string &callee) {
  auto it = sema::builtins().find(callee);
  if (it == sema::builtins().end())
    return false;
  auto k = it->second.kind;
  return k == sema::Fn::Random || k == sema::Fn::Uniform01 || k == sema::Fn::Poisson ||
         k == sema::Fn::Binomial;
}

namespace snn::sema {

void ExprChecker::randomMisplaced(const ast::CallExpr &c) {
  error(c.loc, "'" + c.callee +
                   "()' cannot be used here: random numbers are drawn in initial values, "
                   "parameters, spike conditions, reset, update and every blocks, inputs, and "
                   "synapse event code (equations take white noise 'xi')");
}

/// A call: a timed array, `int`, `total`, `a if c else b` (parsed as a call "if"), or a
/// built-in function.
std::optional<ExprType> ExprChecker::checkCall(const ast::CallExpr &c, const Scope &s) {
  const auto &fns = builtins();
  auto it = fns.find(c.callee);
  CallArgs args;
  bool ok = true;
  for (auto &a : c.args) {
    args.push_back(checkExpr(*a, s));
    ok = ok && args.back().has_value();
  }
  if (it == fns.end() && (s.allowTables || invalidArrays_.count(c.callee))) {
    if (invalidArrays_.count(c.callee))
      return std::nullopt; // its declaration was reported
    if (result_.network.findTimedArray(c.callee) >= 0)
      return checkTimedArrayCall(c, args, ok);
  }
  if (it == fns.end() && result_.network.findArray(c.callee) >= 0)
    return checkArrayCall(c, args, ok);
  if (c.callee == "int")
    return checkIntCall(c, args, ok);
  if (c.callee == "total")
    return checkTotalCall(c, s, args, ok);
  if (c.callee == "if")
    return checkConditional(c, args, ok);
  if (it == fns.end() && result_.network.findTimedArray(c.callee) >= 0) {
    error(c.loc, "timed array '" + c.callee +
                     "' can only be used where a population sets a "
                     "parameter: population P = Model[n](I = " +
                     c.callee + "(t))");
    return std::nullopt;
  }
  if (it == fns.end()) {
    // Models are checked before the network declares its arrays, and cannot read them anyway.
    for (auto &f : program_.files)
      for (auto &n : f.networks)
        for (auto &a : n.arrays)
          if (a.name == c.callee) {
            error(c.loc, "array '" + c.callee + "' belongs to network '" + n.name +
                             "': a model cannot read it; give it where a population sets a "
                             "parameter (population P = M[n](x = " + c.callee + "(i)))");
            return std::nullopt;
          }
    error(c.loc, "unknown function '" + c.callee + "'");
    return std::nullopt;
  }
  const Fn &fn = it->second;
  if (static_cast<int>(c.args.size()) != fn.arity) {
    error(c.loc, "'" + c.callee + "' expects " + std::to_string(fn.arity) + " argument" +
                     (fn.arity == 1 ? "" : "s") + ", got " + std::to_string(c.args.size()));
    return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  return checkBuiltin(c, s, fn, args);
}

std::optional<ExprType> ExprChecker::checkTimedArrayCall(const ast::CallExpr &c,
                                                         const CallArgs &args, bool ok) {
  int k = result_.network.findTimedArray(c.callee);
  const TimedArrayInfo &ta = result_.network.timedArrays[k];
  if (c.args.size() != (ta.columns ? 2u : 1u)) {
    error(c.loc, ta.columns ? "timed array '" + c.callee + "' holds a value per neuron (" +
                                  std::to_string(ta.columns) + " columns): read it as " +
                                  c.callee + "(t, i)"
                            : "timed array '" + c.callee + "' takes one argument, the time");
    return std::nullopt;
  }
  if (ta.columns) {
    auto *n = ast::dyn_cast<ast::NameExpr>(c.args[1].get());
    if (!n || n->side != ast::Side::None || n->name != "i") {
      error(c.args[1]->loc, "the neuron of timed array '" + c.callee + "' is the neuron's "
                                "index i: " + c.callee + "(t, i)");
      return std::nullopt;
    }
    if (arrayExtents_.size() == 1 && arrayExtents_[0].first != ta.columns) {
      error(c.loc, "timed array '" + c.callee + "' has " + std::to_string(ta.columns) +
                       " columns, but i runs over the " + std::to_string(arrayExtents_[0].first) +
                       " neurons of " + arrayExtents_[0].second);
      return std::nullopt;
    }
  }
  if (args[0] && (args[0]->isBool || args[0]->dim != dims::second())) {
    error(c.args[0]->loc,
          "the argument of timed array '" + c.callee + "' must be a time, got unit '" +
              (args[0]->isBool ? std::string("boolean") : args[0]->dim.str()) + "'");
    return std::nullopt;
  }
  return ok ? std::optional<ExprType>(num(result_.network.timedArrays[k].dim)) : std::nullopt;
}

bool ExprChecker::isFunction(const std::string &name) {
  return builtins().count(name) || name == "int" || name == "total" || name == "if";
}

std::optional<ExprType> ExprChecker::checkArrayCall(const ast::CallExpr &c, const CallArgs &args,
                                                    bool ok) {
  const ArrayInfo &a = result_.network.arrays[result_.network.findArray(c.callee)];
  const bool synapse = arrayExtents_.size() == 2;
  if (arrayExtents_.empty()) {
    error(c.loc, "array '" + c.callee + "' can only be read where a population gives its "
                 "parameters and initial values (" + c.callee + "(i)) or a connection its "
                 "synapses' initial values and delay (" + c.callee + "(i, j))");
    return std::nullopt;
  }
  std::string shape = shapeText(a.shape);
  if (a.shape.size() > 2) {
    error(c.loc, "array '" + c.callee + "' of shape " + shape + " has " +
                     std::to_string(a.shape.size()) + " dimensions: it is a convolution kernel, "
                     "read by a conv2d rule (connect A -> B with conv2d(" + c.callee +
                     ")), not as " + c.callee + "(...)");
    return std::nullopt;
  }
  std::string form = a.shape.size() == 2 ? c.callee + "(i, j)"
                                         : c.callee + (synapse ? "(i) or " + c.callee + "(j)"
                                                               : "(i)");
  if (c.args.size() != a.shape.size() || (a.shape.size() == 2 && !synapse)) {
    error(c.loc, "array '" + c.callee + "' of shape " + shape + " is read as " + form +
                     (a.shape.size() == 2 && !synapse
                          ? ", in a connection's initial values or delay"
                          : ""));
    return std::nullopt;
  }
  for (size_t k = 0; k < c.args.size(); ++k) {
    auto *n = ast::dyn_cast<ast::NameExpr>(c.args[k].get());
    const char *want = a.shape.size() == 2 ? (k ? "j" : "i") : nullptr;
    bool index = n && n->side == ast::Side::None &&
                 (want ? n->name == want : n->name == "i" || (synapse && n->name == "j"));
    if (!index) {
      error(c.args[k]->loc, "array '" + c.callee + "' is read as " + form +
                                ": its indices are the neuron's index i" +
                                (synapse ? " and j (the synapse's pre- and postsynaptic "
                                           "neurons, counted from the connection's ranges)"
                                         : "") +
                                ", not an expression");
      return std::nullopt;
    }
    // i: the first extent (population or presynaptic range); j: the postsynaptic range.
    const auto &[extent, what] = arrayExtents_[n->name == "j" ? 1 : 0];
    if (a.shape[k] != extent) {
      error(c.loc, "array '" + c.callee + "' has shape " + shape + ", but " + n->name +
                       " runs over the " + std::to_string(extent) + " neurons of " + what);
      return std::nullopt;
    }
  }
  return ok ? std::optional<ExprType>(num(a.dim)) : std::nullopt;
}

std::optional<ExprType> ExprChecker::checkIntCall(const ast::CallExpr &c, const CallArgs &args,
                                                  bool ok) {
  if (c.args.size() != 1) {
    error(c.loc, "'int' expects 1 argument, got " + std::to_string(c.args.size()));
    return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  if (!args[0]->isBool && !args[0]->dim.isDimensionless()) {
    error(c.args[0]->loc, "argument of 'int' must be a condition or dimensionless, got '" +
                              args[0]->dim.str() + "'");
    return std::nullopt;
  }
  return record(c, num(Dim::none()));
}

std::optional<ExprType> ExprChecker::checkTotalCall(const ast::CallExpr &c, const Scope &s,
                                                    const CallArgs &args, bool ok) {
  if (!s.allowTotal) {
    error(c.loc, "'total()' sums over a neuron's incoming synapses and can only be used in a "
                 "synapse's every block");
    return std::nullopt;
  }
  if (c.args.size() != 1) {
    error(c.loc, "'total' expects 1 argument, got " + std::to_string(c.args.size()));
    return std::nullopt;
  }
  if (!ok)
    return std::nullopt;
  std::function<bool(const ast::Expr &)> nested = [&](const ast::Expr &x) {
    if (auto *cc = ast::dyn_cast<ast::CallExpr>(&x))
      return cc->callee == "total" ||
             std::any_of(cc->args.begin(), cc->args.end(), [&](auto &a) { return nested(*a); });
    if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&x))
      return nested(*u->operand);
    if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&x))
      return nested(*b->lhs) || nested(*b->rhs);
    return false;
  };
  if (args[0]->isBool || nested(*c.args[0])) {
    error(c.args[0]->loc, "the argument of 'total' must be a number without another total()");
    return std::nullopt;
  }
  return record(c, *args[0]);
}

std::optional<ExprType> ExprChecker::checkConditional(const ast::CallExpr &c, const CallArgs &args,
                                                      bool ok) {
  if (!ok)
    return std::nullopt;
  if (!args[0]->isBool) {
    error(c.args[0]->loc, "the condition of 'a if c else b' must be a condition, got a value "
                          "of unit '" +
                              args[0]->dim.str() + "'");
    return std::nullopt;
  }
  if (args[1]->isBool != args[2]->isBool || (!args[1]->isBool && args[1]->dim != args[2]->dim)) {
    auto what = [](const ExprType &t) {
      return t.isBool ? std::string("a condition") : "unit '" + t.dim.str() + "'";
    };
    error(c.args[2]->loc,
          "the two values of 'a if c else b' differ: " + what(*args[1]) + " and " + what(*args[2]));
    return std::nullopt;
  }
  return record(c, *args[1]);
}

/// A built-in function of the table, with valid arguments of the right number.
std::optional<ExprType> ExprChecker::checkBuiltin(const ast::CallExpr &c, const Scope &s,
                                                  const Fn &fn, const CallArgs &args) {
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i]->isBool) {
      error(c.args[i]->loc, "argument of '" + c.callee + "' must be a number");
      return std::nullopt;
    }
  switch (fn.kind) {
  case Fn::Dimensionless:
    if (!args[0]->dim.isDimensionless()) {
      error(c.args[0]->loc, "argument of '" + c.callee + "' must be dimensionless, got '" +
                                args[0]->dim.str() + "'");
      return std::nullopt;
    }
    return record(c, num(Dim::none()));
  case Fn::Sqrt: {
    auto d = args[0]->dim.pow(0.5);
    if (!d) {
      error(c.args[0]->loc, "cannot take the square root of '" + args[0]->dim.str() + "'");
      return std::nullopt;
    }
    return record(c, num(*d));
  }
  case Fn::Binomial:
    // A binomial count of n trials of probability p (Brian2's BinomialFunction, exact here:
    // PoissonInput draws one per step).
    if (!s.allowRand && !s.allowInit) {
      randomMisplaced(c);
      return std::nullopt;
    }
    for (size_t i = 0; i < 2; ++i)
      if (!args[i]->dim.isDimensionless()) {
        error(c.args[i]->loc, std::string("the ") + (i ? "probability" : "number of trials") +
                                  " of 'binomial' must be dimensionless, got '" +
                                  args[i]->dim.str() + "'");
        return std::nullopt;
      }
    return record(c, num(Dim::none()));
  case Fn::Poisson:
    // A Poisson count of mean `lam`, drawn like rand(): per neuron and step, or once per
    // neuron in an initial value (Brian2's poisson(l)).
    if (!s.allowRand && !s.allowInit) {
      randomMisplaced(c);
      return std::nullopt;
    }
    if (!args[0]->dim.isDimensionless()) {
      error(c.args[0]->loc, "the mean of 'poisson' must be dimensionless, got '" +
                                args[0]->dim.str() + "' (a rate times a time: rate * dt)");
      return std::nullopt;
    }
    return record(c, num(Dim::none()));
  case Fn::Uniform01:
    // A uniform number in (0, 1), fresh for every neuron and step (or per neuron in an initial
    // value): Brian2's rand(), e.g. `spike when rand() < rate * dt` for Poisson inputs.
    if (!s.allowRand && !s.allowInit) {
      randomMisplaced(c);
      return std::nullopt;
    }
    return record(c, num(Dim::none()));
  case Fn::Same:
  case Fn::Random:
    // Drawn once per neuron (initial values, parameters) or per neuron and step (spike
    // conditions, reset, update and every blocks, inputs), like rand().
    if (fn.kind == Fn::Random && !s.allowInit && !s.allowRand) {
      randomMisplaced(c);
      return std::nullopt;
    }
    for (size_t i = 1; i < args.size(); ++i)
      if (args[i]->dim != args[0]->dim) {
        error(c.args[i]->loc, "arguments of '" + c.callee + "' must have the same unit: '" +
                                  args[0]->dim.str() + "' and '" + args[i]->dim.str() + "'");
        return std::nullopt;
      }
    return record(c, num(args[0]->dim));
  case Fn::Pow:
    return checkPower(c, *args[0], *args[1], *c.args[1]);
  case Fn::FloorDiv:
    // Python's and Brian2's a // b (in .snn '//' starts a comment): floor(a / b), a number.
    if (args[0]->dim != args[1]->dim) {
      error(c.args[1]->loc, "arguments of 'div' must have the same unit: '" +
                                args[0]->dim.str() + "' and '" + args[1]->dim.str() + "'");
      return std::nullopt;
    }
    return record(c, num(Dim::none()));
  }
  return std::nullopt;
}

} // namespace snn::sema
