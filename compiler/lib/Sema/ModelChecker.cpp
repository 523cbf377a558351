// Models: neuron and synapse definitions (parameters, state, equations, named
// expressions, spike conditions, resets, event blocks) and the statements of their blocks.
#include "ModelChecker.h"

#include "snn/Sema/ConstEval.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace snn::sema {

using ast::BinaryOp;
using ast::Expr;

void ModelChecker::collectDefinitions() {
  std::map<std::string, SourceLoc> seen;
  auto declare = [&](const std::string &name, SourceLoc loc) {
    auto [it, fresh] = seen.emplace(name, loc);
    if (!fresh) {
      error(loc, "redefinition of '" + name + "'");
      note(it->second, "previous definition is here");
    }
    return fresh;
  };
  for (auto &f : program_.files) {
    for (auto &n : f.neurons)
      if (declare(n.name, n.loc))
        result_.neurons[n.name].def = &n;
    for (auto &s : f.synapses)
      if (declare(s.name, s.loc))
        result_.synapses[s.name].def = &s;
    for (auto &n : f.networks)
      declare(n.name, n.loc);
  }
}

std::map<std::string, Dim>
ModelChecker::checkParams(const std::vector<const ast::Binding *> &bindings,
                          const std::string &owner, const std::set<const ast::Binding *> *overrides,
                          bool timeVarying) {
  std::map<std::string, const ast::Binding *> byName;
  for (auto *b : bindings)
    byName[b->name] = b;
  std::map<std::string, Dim> dims;
  Scope scope;
  scope.context = "a parameter";
  // A population's parameters may vary in time (a function of t, a timed array) or per neuron
  // (i, N, random draws: Izhikevich's heterogeneous a, b, c, d).
  scope.allowTime = scope.allowTables = scope.allowInit = timeVarying;
  auto check = [&](const std::string &name) -> std::optional<Dim> {
    auto t = exprs_.checkExpr(*byName[name]->value, scope);
    if (!t)
      return std::nullopt;
    if (t->isBool) {
      error(byName[name]->value->loc,
            "parameter '" + name + "' of " + owner + " must be a number, not a condition");
      return std::nullopt;
    }
    // A literal NaN (0/0) would flow into every propagator and step count that uses it.
    std::string why;
    SourceLoc where;
    if (auto v = evalConst(*byName[name]->value, why, where); v && std::isnan(v->value)) {
      error(byName[name]->value->loc,
            "parameter '" + name + "' of " + owner + " is not a number (NaN)");
      return std::nullopt;
    }
    dims[name] = t->dim;
    return t->dim;
  };
  auto cycle = [&](const std::string &name, const std::string &path,
                   const std::vector<std::string> &members, SourceLoc loc) {
    const ast::Binding *override = nullptr;
    for (auto &m : members)
      if (!override && overrides && overrides->count(byName[m]))
        override = byName[m];
    // The model alone is acyclic (it was checked first), so the override is what is wrong;
    // reporting it there also keeps one population's cycle from hiding another's.
    if (override)
      error(override->loc, "override of '" + override->name + "' in " + owner +
                               " makes its definition cyclic (" + path + ")");
    else
      error(loc, "cyclic definition of parameter '" + name + "' (" + path + ")");
  };
  DefinitionResolver resolver(check, cycle);
  scope.param = [&](const std::string &name, SourceLoc loc, bool &known) -> std::optional<Dim> {
    known = byName.count(name) != 0;
    return known ? resolver.use(name, loc) : std::nullopt;
  };
  for (auto *b : bindings)
    resolver.resolve(b->name);
  return dims;
}

std::vector<const ast::Binding *> ModelChecker::unique(const std::vector<ast::Binding> &bs,
                                                       std::map<std::string, SourceLoc> &seen,
                                                       const std::string &what) {
  std::vector<const ast::Binding *> out;
  for (auto &b : bs) {
    auto [it, fresh] = seen.emplace(b.name, b.loc);
    if (!fresh) {
      error(b.loc, "redefinition of " + what + " '" + b.name + "'");
      note(it->second, "previous definition is here");
      continue;
    }
    out.push_back(&b);
  }
  return out;
}

void ModelChecker::setStateNames(const ast::NeuronDef *n) {
  currentStateNames_.clear();
  if (n)
    for (auto &b : n->state)
      currentStateNames_.insert(b.name);
}

Scope ModelChecker::paramScope(const std::map<std::string, Dim> &dims,
                               const std::vector<ast::Binding> &decls, const std::string &context) {
  Scope s;
  s.context = context;
  s.param = [&dims, &decls](const std::string &name, SourceLoc, bool &known) -> std::optional<Dim> {
    auto it = dims.find(name);
    known = it != dims.end() || declares(decls, name);
    return it != dims.end() ? std::optional<Dim>(it->second) : std::nullopt;
  };
  return s;
}

void ModelChecker::checkNeuron(NeuronInfo &info) {
  const ast::NeuronDef &n = *info.def;
  std::map<std::string, SourceLoc> names;
  auto params = unique(n.params, names, "parameter");
  auto states = unique(n.state, names, "state variable");
  setStateNames(&n);
  info.paramDims = checkParams(params, "neuron '" + n.name + "'");

  // A state variable's unit is the unit of its initial value.
  // Initial values are computed in declaration order, so each may use the state variables
  // declared before it (Izhikevich's u = b*v).
  Scope init = paramScope(info.paramDims, n.params, "an initial value");
  init.allowInit = true;
  std::map<std::string, Dim> earlier;
  init.state = &earlier;
  checkInitialValues(states, init, info.stateDims, &earlier);

  // Inputs: their declared value (what they hold with nothing connected) gives the unit.
  Scope inputScope = paramScope(info.paramDims, n.params, "the value of an input");
  checkInitialValues(unique(n.inputs, names, "input"), inputScope, info.inputDims, nullptr);

  Scope dyn = paramScope(info.paramDims, n.params, "an equation");
  dyn.state = &info.stateDims;
  dyn.stateDecls = &n.state;
  dyn.inputs = &info.inputDims;
  dyn.allowTime = true;
  checkAliases(info, unique(n.aliases, names, "named expression"), dyn);
  dyn.alias = [&info](const std::string &name, SourceLoc, bool &known) -> std::optional<Dim> {
    known = info.aliasDecls.count(name) != 0;
    auto it = info.aliasDims.find(name);
    return it == info.aliasDims.end() ? std::nullopt : std::optional<Dim>(it->second);
  };

  checkMethod(info);
  checkEquations(info, states, dyn);
  checkEvents(info, dyn);
}

/// `method = ...`: one of the integrators.
void ModelChecker::checkMethod(NeuronInfo &info) {
  const ast::NeuronDef &n = *info.def;
  if (!n.method.empty()) {
    static const std::map<std::string, Method> methods = {
        {"exact", Method::Exact},
        {"exponential_euler", Method::ExponentialEuler},
        {"rk4", Method::RK4},
        {"rk2", Method::RK2},
        {"euler", Method::Euler}};
    auto m = methods.find(n.method);
    if (m == methods.end())
      error(n.methodLoc, "unknown integration method '" + n.method +
                             "' (expected exact, exponential_euler, rk4, rk2 or euler)");
    else
      info.method = m->second;
  }
}

/// One equation per state variable, each a rate of its unit.
void ModelChecker::checkEquations(NeuronInfo &info, const std::vector<const ast::Binding *> &states,
                                  const Scope &dyn) {
  const ast::NeuronDef &n = *info.def;
  Scope ode = dyn;
  ode.allowNoise = true;
  std::map<std::string, SourceLoc> odes;
  for (auto &eq : n.equations) {
    auto sd = info.stateDims.find(eq.var);
    bool isState =
        std::any_of(states.begin(), states.end(), [&](auto *b) { return b->name == eq.var; });
    if (!isState) {
      bool isParam =
          std::any_of(n.params.begin(), n.params.end(), [&](auto &b) { return b.name == eq.var; });
      error(eq.loc, "'d" + eq.var + "/dt': '" + eq.var + "' is " +
                        (isParam ? "a parameter" : "not a state variable") + " of neuron '" +
                        n.name + "'" + (isParam ? "; only state variables have equations" : ""));
      continue;
    }
    auto [it, fresh] = odes.emplace(eq.var, eq.loc);
    if (!fresh) {
      error(eq.loc, "second equation for '" + eq.var + "'");
      note(it->second, "first equation is here");
      continue;
    }
    if (eq.unlessRefractory && !n.refractory)
      error(eq.loc,
            "'unless refractory' in neuron '" + n.name + "', which has no refractory period");
    auto t = exprs_.checkExpr(*eq.rhs, ode);
    if (!t || sd == info.stateDims.end())
      continue;
    Dim want = sd->second / dims::second();
    if (t->isBool || t->dim != want)
      error(eq.rhs->loc, "right-hand side of 'd" + eq.var + "/dt' has unit '" +
                             (t->isBool ? std::string("boolean") : t->dim.str()) + "', expected '" +
                             want.str() + "'");
  }
}

/// The spike condition, reset, update and every blocks, and the refractory period.
void ModelChecker::checkEvents(NeuronInfo &info, const Scope &dyn) {
  const ast::NeuronDef &n = *info.def;
  Scope events = dyn;
  events.allowRand = true;
  if (n.threshold) {
    auto t = exprs_.checkExpr(*n.threshold, events);
    if (t && !t->isBool)
      error(n.threshold->loc, "spike condition must be a condition such as 'v > V_th', not a "
                              "value of unit '" +
                                  t->dim.str() + "'");
  }
  checkAssignments(n.reset, events, info.stateDims, "reset of neuron '" + n.name + "'");
  checkAssignments(n.update, events, info.stateDims, "update block of neuron '" + n.name + "'");
  for (auto &e : n.every) {
    checkPeriod(e);
    checkAssignments(e.body, events, info.stateDims, "an every block of neuron '" + n.name + "'");
  }
  if (n.refractory) {
    if (!n.threshold)
      error(n.refractoryLoc,
            "refractory period in neuron '" + n.name + "', which has no spike condition");
    // A time (evaluated at each spike: it may use the neuron's state and rand(), Brian2's
    // refractory='ref'), or a condition the neuron stays refractory while it holds after a
    // spike (Brian2's refractory='v > -20*mV').
    Scope ref = events;
    ref.context = "a refractory period";
    auto t = exprs_.checkExpr(*n.refractory, ref);
    std::string why;
    SourceLoc where;
    if (t && !t->isBool && t->dim != dims::second())
      error(n.refractory->loc, "refractory period must be a time or a condition (as in "
                               "'refractory v > -20 mV'), got a value of unit '" +
                                   t->dim.str() + "'");
    else if (auto v = evalConst(*n.refractory, why, where); v && std::isnan(v->value))
      error(n.refractory->loc, "refractory period is not a number (NaN)");
  }
}

void ModelChecker::checkAliases(NeuronInfo &info, const std::vector<const ast::Binding *> &aliases,
                                const Scope &base) {
  for (auto *b : aliases)
    info.aliasDecls[b->name] = b;
  Scope scope = base;
  scope.context = "a named expression";
  auto check = [&](const std::string &name) -> std::optional<Dim> {
    const ast::Binding *b = info.aliasDecls.at(name);
    auto t = exprs_.checkExpr(*b->value, scope);
    if (!t)
      return std::nullopt;
    if (t->isBool) {
      error(b->value->loc, "named expression '" + name + "' must be a number, not a condition");
      return std::nullopt;
    }
    info.aliasDims[name] = t->dim;
    return t->dim;
  };
  DefinitionResolver resolver(check, [&](const std::string &name, const std::string &path,
                                         const std::vector<std::string> &, SourceLoc loc) {
    error(loc, "cyclic definition of '" + name + "' (" + path + ")");
  });
  scope.alias = [&](const std::string &name, SourceLoc loc, bool &known) -> std::optional<Dim> {
    known = info.aliasDecls.count(name) != 0;
    return known ? resolver.use(name, loc) : std::nullopt;
  };
  for (auto *b : aliases)
    resolver.resolve(b->name);
}

void ModelChecker::checkSynapseParams(SynapseInfo &info) {
  setStateNames(nullptr);
  std::map<std::string, SourceLoc> names;
  auto params = unique(info.def->params, names, "parameter");
  info.paramDims = checkParams(params, "synapse '" + info.def->name + "'");
  // Per-synapse state: its unit is that of its initial value, which may be random.
  Scope init = paramScope(info.paramDims, info.def->params, "an initial value of a synapse");
  init.allowInit = true;
  init.allowIndex = false;
  init.synapseIndices = true;
  // In declaration order: an initial value may use the synapse variables declared before it
  // (those whose own initial value was invalid quietly).
  std::map<std::string, Dim> earlier;
  std::set<std::string> invalid;
  init.synState = &earlier;
  init.invalidNames = &invalid;
  for (const ast::Binding *b : unique(info.def->state, names, "synapse variable")) {
    checkInitialValues({b}, init, info.stateDims, &earlier);
    if (!earlier.count(b->name))
      invalid.insert(b->name);
  }
  Scope traceInit = paramScope(info.paramDims, info.def->params, "the initial value of a trace");
  checkInitialValues(unique(info.def->preTraces, names, "presynaptic trace"), traceInit,
                     info.preDims, nullptr);
  checkInitialValues(unique(info.def->postTraces, names, "postsynaptic trace"), traceInit,
                     info.postDims, nullptr);
  checkInitialValues(unique(info.def->response, names, "response variable"), traceInit,
                     info.responseDims, nullptr);
  for (auto &e : info.def->every)
    checkPeriod(e);
  // A trace's equation may use parameters, t and the traces of its own side.
  std::set<std::string> seen;
  for (auto &eq : info.def->equations) {
    bool isPre = info.preDims.count(eq.var), isPost = info.postDims.count(eq.var);
    bool isResponse = info.responseDims.count(eq.var);
    bool isState = info.stateDims.count(eq.var);
    if (!isPre && !isPost && !isResponse && !isState) {
      if (!declares(info.def->preTraces, eq.var) && !declares(info.def->postTraces, eq.var) &&
          !declares(info.def->response, eq.var) && !declares(info.def->state, eq.var))
        error(eq.loc, "'d" + eq.var + "/dt': '" + eq.var +
                          "' is not a variable, trace or "
                          "response variable of synapse '" +
                          info.def->name + "'");
      continue;
    }
    if (!seen.insert(eq.var).second) {
      error(eq.loc, "second equation for '" + eq.var + "'");
      continue;
    }
    if (isState) {
      info.synapseEquations.push_back(&eq); // checked per connection (its modulator)
      continue;
    }
    Scope scope = paramScope(info.paramDims, info.def->params, "a trace equation");
    scope.allowTime = true;
    const auto &own = isPre ? info.preDims : isPost ? info.postDims : info.responseDims;
    if (isResponse)
      scope.response = &own;
    else
      (isPre ? scope.preTraces : scope.postTraces) = &own;
    auto t = exprs_.checkExpr(*eq.rhs, scope);
    Dim want = own.at(eq.var) / dims::second();
    if (t && (t->isBool || t->dim != want))
      error(eq.rhs->loc, "right-hand side of 'd" + eq.var + "/dt' has unit '" +
                             (t->isBool ? std::string("boolean") : t->dim.str()) + "', expected '" +
                             want.str() + "'");
  }
}

void ModelChecker::checkTraceUpdates(const std::vector<ast::Assignment> &stmts,
                                     const SynapseInfo &syn, bool pre, const std::string &block) {
  const auto &own = pre ? syn.preDims : syn.postDims;
  const auto &other = pre ? syn.postDims : syn.preDims;
  NameRef::Kind ownKind = pre ? NameRef::Kind::PreTrace : NameRef::Kind::PostTrace;
  for (size_t k = 0; k < stmts.size(); ++k) {
    const ast::Assignment &a = stmts[k];
    if (other.count(a.target)) {
      error(a.loc, block + " cannot write the " + (pre ? "postsynaptic" : "presynaptic") +
                       " trace '" + a.target + "'");
      continue;
    }
    if (!own.count(a.target))
      continue;
    if (!a.guards.empty()) {
      error(a.loc, "the " + std::string(pre ? "presynaptic" : "postsynaptic") + " trace '" +
                       a.target +
                       "' is updated once per spike, so its update cannot stand in "
                       "an 'if' of " +
                       block);
      continue;
    }
    std::vector<NameRef> used;
    namesIn(*a.value, used);
    for (auto &r : used)
      if (r.kind != ownKind && r.kind != NameRef::Kind::Param && r.kind != NameRef::Kind::Unit &&
          r.kind != NameRef::Kind::Time && r.kind != NameRef::Kind::Dt &&
          r.kind != NameRef::Kind::Pi && r.kind != NameRef::Kind::NetConst) {
        error(a.value->loc,
              "the " + std::string(pre ? "presynaptic" : "postsynaptic") + " trace '" + a.target +
                  "' is updated once per spike, so it "
                  "may only use parameters and " +
                  (pre ? "presynaptic" : "postsynaptic") + " traces, not '" + r.name + "'");
        break;
      }
    bool readBefore = false, readAfter = false;
    for (size_t j = 0; j < stmts.size(); ++j) {
      if (j == k || own.count(stmts[j].target))
        continue;
      std::vector<NameRef> r;
      namesIn(*stmts[j].value, r);
      for (auto &g : stmts[j].guards)
        namesIn(*g.condition->cond, r);
      bool reads = std::any_of(r.begin(), r.end(),
                               [&](auto &x) { return x.kind == ownKind && x.name == a.target; });
      if (reads)
        (j < k ? readBefore : readAfter) = true;
    }
    if (readBefore && readAfter)
      error(a.loc, "the update of trace '" + a.target +
                       "' sits between synapse statements that "
                       "read it; move it before or after them");
  }
}

void ModelChecker::checkInitialValues(const std::vector<const ast::Binding *> &states,
                                      const Scope &scope, std::map<std::string, Dim> &dims,
                                      std::map<std::string, Dim> *visible) {
  for (auto *b : states) {
    auto t = exprs_.checkExpr(*b->value, scope);
    if (!t)
      continue;
    if (t->isBool) {
      error(b->value->loc, "initial value of '" + b->name + "' must be a number");
      continue;
    }
    // A constant initial value that is not a finite number (0/0, 1e308 * 10) would start every
    // neuron as NaN or inf without a word.
    std::string why;
    SourceLoc at;
    if (auto v = evalConst(*b->value, why, at); v && !std::isfinite(v->value))
      error(b->value->loc, "initial value of '" + b->name + "' is " +
                               (std::isnan(v->value) ? "not a number (NaN)" : "infinite"));
    dims[b->name] = t->dim;
    if (visible)
      (*visible)[b->name] = t->dim;
  }
}

void ModelChecker::checkAssignments(const std::vector<ast::Assignment> &as, const Scope &scope,
                                    const std::map<std::string, Dim> &targets,
                                    const std::string &where) {
  std::set<const ast::Condition *> checked;
  for (auto &a : as) {
    for (auto &g : a.guards) { // each if's condition, once, before its first statement
      if (!checked.insert(g.condition.get()).second)
        continue;
      auto c = exprs_.checkExpr(*g.condition->cond, scope);
      if (c && !c->isBool)
        error(g.condition->cond->loc, "the condition of an 'if' must be a condition, got a "
                                      "value of unit '" +
                                          c->dim.str() + "'");
    }
    auto target = targets.find(a.target);
    auto t = exprs_.checkExpr(*a.value, scope);
    if (a.side != ast::Side::None && !sideTargetValid(a, scope))
      continue;
    if (a.side == ast::Side::None && a.target == "target" && !scope.target)
      target = targets.end(); // `target` without `onto` is reported by the connection
    if (target == targets.end()) {
      if (scope.stateDecls && declares(*scope.stateDecls, a.target))
        continue; // a state variable with an invalid initial value, already reported
      error(a.loc,
            "cannot assign to '" + a.target + "' in " + where + ": it is not a state variable");
      continue;
    }
    if (!t)
      continue;
    if (t->isBool) {
      error(a.value->loc, "cannot assign a condition to '" + a.target + "'");
      continue;
    }
    checkHeldInput(a, scope);
    bool scaling = a.op == ast::AssignOp::Mul || a.op == ast::AssignOp::Div;
    Dim want = scaling ? Dim::none() : target->second;
    if (t->dim != want) {
      error(a.value->loc,
            std::string("cannot ") +
                (scaling ? "scale '" + a.target + "' by a value of unit '"
                         : "assign a value of unit '") +
                t->dim.str() + "'" +
                (scaling ? "; the factor must be dimensionless"
                         : " to '" + a.target + "' of unit '" + target->second.str() + "'"));
      continue;
    }
    // A constant that is not a finite number (0 * inf, 1e308 * 10) would be written into the
    // state at run time without a word.
    std::string why;
    SourceLoc at;
    if (auto v = evalConst(*a.value, why, at); v && !std::isfinite(v->value))
      error(a.value->loc, "the value assigned to '" + a.target + "' in " + where + " is " +
                              (std::isnan(v->value) ? "not a number (NaN)" : "infinite"));
  }
}

void ModelChecker::checkHeldInput(const ast::Assignment &a, const Scope &scope) {
  if (!scope.heldBy || a.side == ast::Side::Pre || !scope.state)
    return;
  std::string name =
      a.side == ast::Side::None && a.target == "target" ? scope.targetName : a.target;
  if (!scope.state->count(name) || a.op == ast::AssignOp::Add || a.op == ast::AssignOp::Sub)
    return;
  const auto &eqs = scope.heldBy->equations;
  if (std::none_of(eqs.begin(), eqs.end(),
                   [&](auto &eq) { return eq.var == name && eq.unlessRefractory; }))
    return;
  error(a.loc,
        "neuron '" + scope.heldBy->name +
            "' holds inputs that arrive while it is "
            "refractory ('refractory ... (inputs = hold)'), so a synapse can only add to its "
            "'unless refractory' variable '" +
            name + "' (+= or -=)");
  note(scope.heldBy->refractoryLoc, "inputs are held here");
}

bool ModelChecker::sideTargetValid(const ast::Assignment &a, const Scope &scope) {
  bool pre = a.side == ast::Side::Pre;
  std::string q = std::string(pre ? "pre." : "post.") + a.target;
  if (!scope.synapseSides) {
    error(a.loc, "'" + q +
                     "' names a neuron of a synapse and can only be used in a synapse's "
                     "on_pre or on_post");
    return false;
  }
  auto has = [&](const std::map<std::string, Dim> *m) { return m && m->count(a.target); };
  if (pre) {
    if (has(scope.preTraces))
      return true;
    if (has(scope.preState) || has(scope.preParams))
      error(a.loc, "cannot assign to '" + q +
                       "': a synapse changes only its own variables, "
                       "its traces and the postsynaptic neuron");
    else
      error(a.loc, scope.preWhat + " has no variable '" + a.target + "'");
    return false;
  }
  if (has(scope.postTraces) || has(scope.response) || has(scope.state))
    return true;
  if (scope.stateDecls && declares(*scope.stateDecls, a.target))
    return false; // invalid initial value, already reported
  if (has(scope.postParams))
    error(a.loc, "cannot assign to '" + q + "': it is a parameter of the " + scope.postWhat +
                     ", a constant");
  else
    error(a.loc, scope.postWhat + " has no variable '" + a.target + "'");
  return false;
}

void ModelChecker::checkPeriod(const ast::Every &e) {
  std::string why;
  SourceLoc where;
  auto v = evalConst(*e.period, why, where);
  if (!v)
    error(where.valid() ? where : e.period->loc,
          "the period of 'every' must be a constant: " + why);
  else if (v->dim != dims::second())
    error(e.period->loc,
          "the period of 'every' must be a time, got a value of unit '" + v->dim.str() + "'");
  else if (!(v->value > 0) || !std::isfinite(v->value))
    error(e.period->loc, "the period of 'every' must be positive and finite");
}

void ModelChecker::checkPeriodSteps(const ast::Every &e, const std::string &where) {
  std::string why;
  SourceLoc at;
  auto v = evalConst(*e.period, why, at);
  if (!v || v->dim != dims::second() || !(v->value > 0) || !std::isfinite(v->value) || !dtValid_)
    return; // reported with the model
  double steps = v->value / result_.network.dt;
  if (std::fabs(steps - std::round(steps)) > 1e-6 * std::fmax(std::round(steps), 1.0) ||
      std::round(steps) < 1)
    error(e.period->loc, "the period of 'every' (" + fmtNum(v->value * 1e3) +
                             " ms) is not "
                             "a whole number of time steps (dt = " +
                             fmtNum(result_.network.dt * 1e3) + " ms, " + where + ")");
}

} // namespace snn::sema
