// Semantic analysis of a .snn program: name resolution, dimension checking, cycle detection among
// parameters and range checks on the network's structure. Errors are reported and analysis goes
// on, so that one run shows every problem it can; checks that depend on a failed one are skipped
// rather than repeated (an invalid sub-expression yields nullopt and is not reported twice).
#include "snn/Sema/Sema.h"

#include "snn/Sema/ConstEval.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <cctype>
#include <set>
#include <sstream>

namespace snn {
namespace {

/// A definition cycle [first, last) back to `name`, for a message: 'a' -> 'b' -> 'a', with the
/// middle of a long one elided ('p0' -> 'p1' -> 'p2' -> ... 4994 more ... -> 'p4999' -> 'p0').
template <typename It> std::string cyclePath(It first, It last, const std::string &name) {
  constexpr long kShown = 6;
  long n = static_cast<long>(std::distance(first, last));
  std::string path;
  long k = 0;
  for (It it = first; it != last; ++it, ++k) {
    if (n > kShown + 2 && k == kShown / 2)
      path += "... " + std::to_string(n - kShown) + " more ... -> ";
    if (n > kShown + 2 && k >= kShown / 2 && k < n - kShown / 2)
      continue;
    path += "'" + *it + "' -> ";
  }
  return path + "'" + name + "'";
}

using ast::BinaryOp;
using ast::Expr;

std::string fmtNum(double v) {
  if (std::isnan(v))
    return "NaN"; // not "nan" or "-nan", whichever sign the platform gives 0/0
  std::ostringstream os;
  os << v;
  return os.str();
}

/// How names inside an expression may be resolved.
struct Scope {
  /// Parameter lookup; returns the parameter's dimension or nullopt if it is unknown or invalid.
  /// `known` is set to whether the name is a parameter at all.
  std::function<std::optional<Dim>(const std::string &, SourceLoc, bool &known)> param;
  const std::map<std::string, Dim> *state = nullptr;
  /// Every state variable declared alongside `state`, including those whose initial value was
  /// rejected (and so have no unit): their uses are skipped quietly, not called undeclared.
  const std::vector<ast::Binding> *stateDecls = nullptr;
  /// Alias (named expression) lookup, like `param`.
  std::function<std::optional<Dim>(const std::string &, SourceLoc, bool &known)> alias;
  bool allowTime = false;   // t and dt
  bool allowInit = false;   // i, N, uniform(), normal()
  bool allowNoise = false;  // xi
  bool allowRand = false;   // rand(): spike condition, reset and update blocks
  bool allowIndex = true;   // i and N (with allowInit): not for synapse state
  bool synapseIndices = false; // i and j: the pre and post neuron of a synapse (its initial
                               // values and delay)
  /// Per-synapse state of the synapse model (on_pre only).
  const std::map<std::string, Dim> *synState = nullptr;
  /// The synapse model's declarations (state, traces, response): a name declared there whose
  /// initial value was invalid is not "undeclared" (that error was already reported).
  std::vector<const std::vector<ast::Binding> *> synDecls;
  bool allowTotal = false; // total(e): a synapse's every block
  /// Names whose declaration was invalid (already reported): their uses are skipped quietly.
  const std::set<std::string> *invalidNames = nullptr;
  /// Presynaptic and postsynaptic traces of the synapse model.
  const std::map<std::string, Dim> *preTraces = nullptr, *postTraces = nullptr;
  /// Response variables of the synapse model (kept per postsynaptic neuron).
  const std::map<std::string, Dim> *response = nullptr;
  /// Inputs of the enclosing neuron (what synapses feed).
  const std::map<std::string, Dim> *inputs = nullptr;
  /// Synapse code: `pre.x` and `post.x` name the neurons on either side; preState is null when
  /// the presynaptic population is a spike source. preWhat/postWhat describe them in messages.
  bool synapseSides = false;
  const std::map<std::string, Dim> *preState = nullptr;
  /// Parameters of the neurons on either side (constants of their populations), readable as
  /// `pre.J`, `post.J` and, after the synapse's own names, bare `J` (postsynaptic).
  const std::map<std::string, Dim> *preParams = nullptr, *postParams = nullptr;
  std::string preWhat, postWhat;
  /// The unit of `target` when the connection chose a variable with `onto`, and its name.
  std::optional<Dim> target;
  std::string targetName;
  /// Synapse code onto a neuron whose refractory inputs are held (`(inputs = hold)`): its writes
  /// to the neuron's `unless refractory` variables must be sums, which can be held.
  const ast::NeuronDef *heldBy = nullptr;
  /// The unit of `modulator` when the connection chose one with `modulated by`.
  std::optional<Dim> modulator;
  bool allowTables = false; // timed arrays (a population's parameter overrides, with t)
  std::string context;      // used in "cannot use X in <context>"
};

class Analyzer {
public:
  Analyzer(const ast::Program &p, SourceManager &sm, DiagnosticEngine &d)
      : program_(p), sm_(sm), diags_(d) {}

  std::optional<SemaResult> run() {
    collectDefinitions();
    for (auto &[name, info] : result_.neurons)
      checkNeuron(info);
    for (auto &[name, info] : result_.synapses)
      checkSynapseParams(info);
    const ast::NetworkDef *net = nullptr;
    for (auto &f : program_.files)
      for (auto &n : f.networks) {
        if (net) {
          error(n.loc, "only one network per program is supported; '" + n.name +
                           "' follows '" + net->name + "'");
          note(net->loc, "first network is here");
          continue;
        }
        net = &n;
      }
    if (net)
      checkNetwork(*net);
    if (diags_.hasErrors())
      return std::nullopt;
    return std::move(result_);
  }

  bool hasNetwork() const { return result_.network.def != nullptr; }

private:
  // ---- diagnostics ------------------------------------------------------------------------
  // A neuron's parameters are re-checked for each population that overrides some of them; the
  // set keeps a problem in the neuron itself from being reported once per population.
  void error(SourceLoc loc, const std::string &msg) {
    auto key = std::make_tuple(loc.file, loc.line, loc.col, msg);
    if (reported_.insert(key).second)
      diags_.error(loc, msg);
  }
  void note(SourceLoc loc, const std::string &msg) { diags_.note(loc, msg); }

  // ---- definitions ------------------------------------------------------------------------
  void collectDefinitions() {
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

  /// Checks a set of parameter bindings (a neuron's or a synapse's, with overrides applied) and
  /// returns their dimensions. Parameters may refer to each other in any order; cycles are errors.
  /// `overrides`, if given, are the bindings among `bindings` that a population or connection
  /// substitutes for the model's own; a cycle through one is reported at the override.
  /// `timeVarying`: the bindings may use t and timed arrays (a population's overrides: an
  /// injected current that changes in time).
  std::map<std::string, Dim> checkParams(const std::vector<const ast::Binding *> &bindings,
                                         const std::string &owner,
                                         const std::set<const ast::Binding *> *overrides = nullptr,
                                         bool timeVarying = false) {
    std::map<std::string, const ast::Binding *> byName;
    for (auto *b : bindings)
      byName[b->name] = b;
    std::map<std::string, Dim> dims;
    std::map<std::string, int> state; // 0 unvisited, 1 in progress, 2 done (dims set if valid)
    std::vector<std::string> stack;

    std::function<std::optional<Dim>(const std::string &)> resolve;
    Scope scope;
    scope.context = "a parameter";
    // A population's parameters may vary in time (a function of t, a timed array) or per neuron
    // (i, N, random draws: Izhikevich's heterogeneous a, b, c, d).
    scope.allowTime = scope.allowTables = scope.allowInit = timeVarying;
    scope.param = [&](const std::string &name, SourceLoc loc, bool &known) -> std::optional<Dim> {
      known = byName.count(name) != 0;
      if (!known)
        return std::nullopt;
      if (state[name] == 1) {
        const ast::Binding *override = nullptr;
        auto first = std::find(stack.begin(), stack.end(), name);
        for (auto it = first; it != stack.end(); ++it)
          if (!override && overrides && overrides->count(byName[*it]))
            override = byName[*it];
        std::string path = cyclePath(first, stack.end(), name);
        // The model alone is acyclic (it was checked first), so the override is what is wrong;
        // reporting it there also keeps one population's cycle from hiding another's.
        if (override)
          error(override->loc, "override of '" + override->name + "' in " + owner +
                                   " makes its definition cyclic (" + path + ")");
        else
          error(loc, "cyclic definition of parameter '" + name + "' (" + path + ")");
        return std::nullopt;
      }
      return resolve(name);
    };
    resolve = [&](const std::string &name) -> std::optional<Dim> {
      if (state[name] == 2) {
        auto it = dims.find(name);
        return it == dims.end() ? std::nullopt : std::optional<Dim>(it->second);
      }
      state[name] = 1;
      stack.push_back(name);
      auto t = checkExpr(*byName[name]->value, scope);
      stack.pop_back();
      state[name] = 2;
      if (!t)
        return std::nullopt;
      if (t->isBool) {
        error(byName[name]->value->loc, "parameter '" + name + "' of " + owner +
                                            " must be a number, not a condition");
        return std::nullopt;
      }
      // A literal NaN (0/0) would flow into every propagator and step count that uses it.
      std::string why;
      SourceLoc where;
      if (auto v = evalConst(*byName[name]->value, why, where); v && std::isnan(v->value)) {
        error(byName[name]->value->loc, "parameter '" + name + "' of " + owner +
                                            " is not a number (NaN)");
        return std::nullopt;
      }
      dims[name] = t->dim;
      return t->dim;
    };
    for (auto *b : bindings)
      resolve(b->name);
    return dims;
  }

  /// Reports duplicate names among bindings; returns the bindings without the duplicates.
  std::vector<const ast::Binding *> unique(const std::vector<ast::Binding> &bs,
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

  /// Makes the state variables of `n` (none for nullptr) the ones that parameters and initial
  /// values are told they cannot use; without this a population or synapse would be checked
  /// against the states of whichever neuron was analysed last.
  void setStateNames(const ast::NeuronDef *n) {
    currentStateNames_.clear();
    if (n)
      for (auto &b : n->state)
        currentStateNames_.insert(b.name);
  }

  static bool declares(const std::vector<ast::Binding> &decls, const std::string &name) {
    return std::any_of(decls.begin(), decls.end(), [&](auto &b) { return b.name == name; });
  }

  /// Names resolve to the parameters in `dims`. A parameter declared in `decls` but missing from
  /// `dims` had an invalid definition, already reported; its uses yield nullopt quietly rather
  /// than a cascade of "undeclared name" errors.
  /// The scope refers to `dims` and `decls`, which must outlive it: temporaries are refused.
  Scope paramScope(std::map<std::string, Dim> &&dims, const std::vector<ast::Binding> &decls,
                   const std::string &context) = delete;
  Scope paramScope(const std::map<std::string, Dim> &dims, const std::vector<ast::Binding> &&decls,
                   const std::string &context) = delete;
  Scope paramScope(const std::map<std::string, Dim> &dims, const std::vector<ast::Binding> &decls,
                   const std::string &context) {
    Scope s;
    s.context = context;
    s.param = [&dims, &decls](const std::string &name, SourceLoc,
                              bool &known) -> std::optional<Dim> {
      auto it = dims.find(name);
      known = it != dims.end() || declares(decls, name);
      return it != dims.end() ? std::optional<Dim>(it->second) : std::nullopt;
    };
    return s;
  }

  void checkNeuron(NeuronInfo &info) {
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

    if (!n.method.empty()) {
      static const std::map<std::string, Method> methods = {
          {"exact", Method::Exact}, {"exponential_euler", Method::ExponentialEuler},
          {"rk4", Method::RK4},     {"rk2", Method::RK2},
          {"euler", Method::Euler}};
      auto m = methods.find(n.method);
      if (m == methods.end())
        error(n.methodLoc, "unknown integration method '" + n.method +
                               "' (expected exact, exponential_euler, rk4, rk2 or euler)");
      else
        info.method = m->second;
    }

    Scope ode = dyn;
    ode.allowNoise = true;
    std::map<std::string, SourceLoc> odes;
    for (auto &eq : n.equations) {
      auto sd = info.stateDims.find(eq.var);
      bool isState = std::any_of(states.begin(), states.end(),
                                 [&](auto *b) { return b->name == eq.var; });
      if (!isState) {
        bool isParam = std::any_of(n.params.begin(), n.params.end(),
                                   [&](auto &b) { return b.name == eq.var; });
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
        error(eq.loc, "'unless refractory' in neuron '" + n.name +
                          "', which has no refractory period");
      auto t = checkExpr(*eq.rhs, ode);
      if (!t || sd == info.stateDims.end())
        continue;
      Dim want = sd->second / dims::second();
      if (t->isBool || t->dim != want)
        error(eq.rhs->loc, "right-hand side of 'd" + eq.var + "/dt' has unit '" +
                               (t->isBool ? std::string("boolean") : t->dim.str()) +
                               "', expected '" + want.str() + "'");
    }

    Scope events = dyn;
    events.allowRand = true;
    if (n.threshold) {
      auto t = checkExpr(*n.threshold, events);
      if (t && !t->isBool)
        error(n.threshold->loc, "spike condition must be a condition such as 'v > V_th', not a "
                                "value of unit '" + t->dim.str() + "'");
    }
    checkAssignments(n.reset, events, info.stateDims, "reset of neuron '" + n.name + "'");
    checkAssignments(n.update, events, info.stateDims, "update block of neuron '" + n.name + "'");
    for (auto &e : n.every) {
      checkPeriod(e);
      checkAssignments(e.body, events, info.stateDims, "an every block of neuron '" + n.name + "'");
    }
    if (n.refractory) {
      if (!n.threshold)
        error(n.refractoryLoc, "refractory period in neuron '" + n.name +
                                   "', which has no spike condition");
      // A time (evaluated at each spike: it may use the neuron's state and rand(), Brian2's
      // refractory='ref'), or a condition the neuron stays refractory while it holds after a
      // spike (Brian2's refractory='v > -20*mV').
      Scope ref = events;
      ref.context = "a refractory period";
      auto t = checkExpr(*n.refractory, ref);
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

  /// Named expressions may use state, parameters, t and each other (in any order, without
  /// cycles); their unit is that of their expression.
  void checkAliases(NeuronInfo &info, const std::vector<const ast::Binding *> &aliases,
                    const Scope &base) {
    for (auto *b : aliases)
      info.aliasDecls[b->name] = b;
    std::map<std::string, int> state; // 0 unvisited, 1 in progress, 2 done
    std::vector<std::string> stack;
    std::function<std::optional<Dim>(const std::string &)> resolve;
    Scope scope = base;
    scope.context = "a named expression";
    scope.alias = [&](const std::string &name, SourceLoc loc, bool &known) -> std::optional<Dim> {
      known = info.aliasDecls.count(name) != 0;
      if (!known)
        return std::nullopt;
      if (state[name] == 1) {
        std::string path = cyclePath(std::find(stack.begin(), stack.end(), name), stack.end(), name);
        error(loc, "cyclic definition of '" + name + "' (" + path + ")");
        return std::nullopt;
      }
      return resolve(name);
    };
    resolve = [&](const std::string &name) -> std::optional<Dim> {
      if (state[name] == 2) {
        auto it = info.aliasDims.find(name);
        return it == info.aliasDims.end() ? std::nullopt : std::optional<Dim>(it->second);
      }
      state[name] = 1;
      stack.push_back(name);
      const ast::Binding *b = info.aliasDecls.at(name);
      auto t = checkExpr(*b->value, scope);
      stack.pop_back();
      state[name] = 2;
      if (!t)
        return std::nullopt;
      if (t->isBool) {
        error(b->value->loc, "named expression '" + name + "' must be a number, not a condition");
        return std::nullopt;
      }
      info.aliasDims[name] = t->dim;
      return t->dim;
    };
    for (auto *b : aliases)
      resolve(b->name);
  }

  void checkSynapseParams(SynapseInfo &info) {
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
          error(eq.loc, "'d" + eq.var + "/dt': '" + eq.var + "' is not a variable, trace or "
                        "response variable of synapse '" + info.def->name + "'");
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
      auto t = checkExpr(*eq.rhs, scope);
      Dim want = own.at(eq.var) / dims::second();
      if (t && (t->isBool || t->dim != want))
        error(eq.rhs->loc, "right-hand side of 'd" + eq.var + "/dt' has unit '" +
                               (t->isBool ? std::string("boolean") : t->dim.str()) +
                               "', expected '" + want.str() + "'");
    }
  }

  /// Names a checked expression refers to, with their kinds.
  void namesIn(const ast::Expr &e, std::vector<NameRef> &out) const {
    if (auto it = result_.names.find(&e); it != result_.names.end())
      out.push_back(it->second);
    if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e))
      namesIn(*u->operand, out);
    if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e)) {
      namesIn(*b->lhs, out);
      namesIn(*b->rhs, out);
    }
    if (auto *c = ast::dyn_cast<ast::CallExpr>(&e))
      for (auto &a : c->args)
        namesIn(*a, out);
  }

  /// The plasticity rules of an on_pre (pre = true) or on_post block: a trace of the event's own
  /// side is kept per neuron, so its update runs once per spike, before or after the loop over
  /// the neuron's synapses; it may therefore only use parameters and traces of that side, and
  /// must not sit between synapse statements that read it. The other side's traces are read-only.
  void checkTraceUpdates(const std::vector<ast::Assignment> &stmts, const SynapseInfo &syn,
                         bool pre, const std::string &block) {
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
                         a.target + "' is updated once per spike, so its update cannot stand in "
                         "an 'if' of " + block);
        continue;
      }
      std::vector<NameRef> used;
      namesIn(*a.value, used);
      for (auto &r : used)
        if (r.kind != ownKind && r.kind != NameRef::Kind::Param && r.kind != NameRef::Kind::Unit &&
            r.kind != NameRef::Kind::Time && r.kind != NameRef::Kind::Dt &&
            r.kind != NameRef::Kind::Pi && r.kind != NameRef::Kind::NetConst) {
          error(a.value->loc, "the " + std::string(pre ? "presynaptic" : "postsynaptic") +
                                  " trace '" + a.target + "' is updated once per spike, so it "
                                  "may only use parameters and " +
                                  (pre ? "presynaptic" : "postsynaptic") + " traces, not '" +
                                  r.name + "'");
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
        error(a.loc, "the update of trace '" + a.target + "' sits between synapse statements that "
                     "read it; move it before or after them");
    }
  }

  /// Checks state declarations in order; a variable's unit is that of its initial value. With
  /// `visible`, each checked variable becomes usable by the initial values after it.
  void checkInitialValues(const std::vector<const ast::Binding *> &states, const Scope &scope,
                          std::map<std::string, Dim> &dims, std::map<std::string, Dim> *visible) {
    for (auto *b : states) {
      auto t = checkExpr(*b->value, scope);
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

  void checkAssignments(const std::vector<ast::Assignment> &as, const Scope &scope,
                        const std::map<std::string, Dim> &targets, const std::string &where) {
    std::set<const ast::Condition *> checked;
    for (auto &a : as) {
      for (auto &g : a.guards) { // each if's condition, once, before its first statement
        if (!checked.insert(g.condition.get()).second)
          continue;
        auto c = checkExpr(*g.condition->cond, scope);
        if (c && !c->isBool)
          error(g.condition->cond->loc, "the condition of an 'if' must be a condition, got a "
                                            "value of unit '" + c->dim.str() + "'");
      }
      auto target = targets.find(a.target);
      auto t = checkExpr(*a.value, scope);
      if (a.side != ast::Side::None && !sideTargetValid(a, scope))
        continue;
      if (a.side == ast::Side::None && a.target == "target" && !scope.target)
        target = targets.end(); // `target` without `onto` is reported by the connection
      if (target == targets.end()) {
        if (scope.stateDecls && declares(*scope.stateDecls, a.target))
          continue; // a state variable with an invalid initial value, already reported
        error(a.loc, "cannot assign to '" + a.target + "' in " + where +
                         ": it is not a state variable");
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
        error(a.value->loc, std::string("cannot ") +
                                (scaling ? "scale '" + a.target + "' by a value of unit '"
                                         : "assign a value of unit '") +
                                t->dim.str() + "'" +
                                (scaling ? "; the factor must be dimensionless"
                                         : " to '" + a.target + "' of unit '" +
                                               target->second.str() + "'"));
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

  /// Onto a neuron that holds its refractory inputs, synapse code may only add to (or subtract
  /// from) its `unless refractory` variables: a sum can be held and applied later, a `=` or `*=`
  /// has no meaning once the value it acted on has moved on.
  void checkHeldInput(const ast::Assignment &a, const Scope &scope) {
    if (!scope.heldBy || a.side == ast::Side::Pre || !scope.state)
      return;
    std::string name = a.side == ast::Side::None && a.target == "target" ? scope.targetName
                                                                           : a.target;
    if (!scope.state->count(name) || a.op == ast::AssignOp::Add || a.op == ast::AssignOp::Sub)
      return;
    const auto &eqs = scope.heldBy->equations;
    if (std::none_of(eqs.begin(), eqs.end(),
                     [&](auto &eq) { return eq.var == name && eq.unlessRefractory; }))
      return;
    error(a.loc, "neuron '" + scope.heldBy->name + "' holds inputs that arrive while it is "
                 "refractory ('refractory ... (inputs = hold)'), so a synapse can only add to its "
                 "'unless refractory' variable '" + name + "' (+= or -=)");
    note(scope.heldBy->refractoryLoc, "inputs are held here");
  }

  /// `pre.x = ...` may only set a presynaptic trace; `post.x = ...` a postsynaptic trace, a
  /// response variable or a state variable of the postsynaptic neuron.
  bool sideTargetValid(const ast::Assignment &a, const Scope &scope) {
    bool pre = a.side == ast::Side::Pre;
    std::string q = std::string(pre ? "pre." : "post.") + a.target;
    if (!scope.synapseSides) {
      error(a.loc, "'" + q + "' names a neuron of a synapse and can only be used in a synapse's "
                   "on_pre or on_post");
      return false;
    }
    auto has = [&](const std::map<std::string, Dim> *m) { return m && m->count(a.target); };
    if (pre) {
      if (has(scope.preTraces))
        return true;
      if (has(scope.preState) || has(scope.preParams))
        error(a.loc, "cannot assign to '" + q + "': a synapse changes only its own variables, "
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

  // ---- expressions ------------------------------------------------------------------------
  std::optional<ExprType> record(const Expr &e, ExprType t) {
    result_.types[&e] = t;
    return t;
  }

  static ExprType num(Dim d) { return ExprType{false, d}; }

  std::optional<ExprType> checkExpr(const Expr &e, const Scope &s) {
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

  std::optional<ExprType> checkName(const ast::NameExpr &n, const Scope &s) {
    auto resolved = [&](NameRef::Kind k, ExprType t) {
      result_.names[&n] = NameRef{k, n.name};
      return record(n, t);
    };
    if (n.side != ast::Side::None)
      return checkSideName(n, s);
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
    // A network's constants, after the model's own names (which shadow them, as a model's names
    // shadow Brian2's namespace).
    if (auto it = result_.network.constants.find(n.name); it != result_.network.constants.end())
      return resolved(NameRef::Kind::NetConst, num(it->second.dim));
    if (n.name == "t" || n.name == "dt") {
      if (!s.allowTime) {
        error(n.loc, "'" + n.name + "' cannot be used in " + s.context);
        return std::nullopt;
      }
      return resolved(n.name == "t" ? NameRef::Kind::Time : NameRef::Kind::Dt,
                      num(dims::second()));
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
        error(n.loc, "'" + n.name + "' (the neuron " +
                         (n.name == "i" ? "index" : "count") + ") can only be used in an "
                         "initial value");
        return std::nullopt;
      }
      return resolved(n.name == "i" ? NameRef::Kind::Index : NameRef::Kind::Size,
                      num(Dim::none()));
    }
    if (n.name == "pi")
      return resolved(NameRef::Kind::Pi, num(Dim::none()));
    if (const UnitInfo *u = lookupUnit(n.name))
      return resolved(NameRef::Kind::Unit, num(u->dim));
    if ((!s.allowTime || s.allowTables) && currentStateNames_.count(n.name)) {
      if (s.allowInit && s.context != "a parameter") // parameters may use i and N, not state
        error(n.loc, "state variable '" + n.name + "' is initialised later; an initial value can "
                     "only use the state variables declared before it");
      else
        error(n.loc, "state variable '" + n.name + "' cannot be used in " + s.context);
      return std::nullopt;
    }
    if (s.invalidNames && s.invalidNames->count(n.name))
      return std::nullopt; // declared, but its initial value is invalid (already reported)
    for (auto *decls : s.synDecls)
      if (declares(*decls, n.name))
        return std::nullopt; // declared, but its initial value is invalid (already reported)
    error(n.loc, "use of undeclared name '" + n.name + "'");
    return std::nullopt;
  }

  /// `pre.x` and `post.x` in synapse code: a trace of that side, a response variable (post), or
  /// a state variable of the neuron on that side.
  std::optional<ExprType> checkSideName(const ast::NameExpr &n, const Scope &s) {
    bool pre = n.side == ast::Side::Pre;
    std::string q = std::string(pre ? "pre." : "post.") + n.name;
    if (!s.synapseSides) {
      error(n.loc, "'" + q + "' names a neuron of a synapse and can only be used in a synapse's "
                   "on_pre, on_post or output, or in the initial values a connection gives "
                   "(connect A -> B with ... synapse S { w = " + q + " })");
      return std::nullopt;
    }
    if (pre && s.context == "an output") {
      error(n.loc, "'" + q + "' cannot be used in an output, which is computed per postsynaptic "
                   "neuron");
      return std::nullopt;
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
    error(n.loc, (pre ? s.preWhat : s.postWhat) + " has no variable '" + n.name + "'");
    return std::nullopt;
  }

  std::optional<ExprType> checkBinary(const ast::BinaryExpr &b, const Scope &s) {
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
        error(b.loc, std::string("cannot ") + (b.op == BinaryOp::Add ? "add" : "subtract") +
                         " '" + l->dim.str() + "' and '" + r->dim.str() + "'");
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

  std::optional<ExprType> checkPower(const Expr &whole, ExprType base, ExprType exp,
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
      error(expExpr.loc, "the exponent of a value of unit '" + base.dim.str() +
                             "' must be a constant number");
      return std::nullopt;
    }
    auto d = base.dim.pow(c->value);
    if (!d) {
      error(expExpr.loc, "cannot raise '" + base.dim.str() + "' to the power " +
                             fmtNum(c->value));
      return std::nullopt;
    }
    return record(whole, num(*d));
  }

  std::optional<ExprType> checkCall(const ast::CallExpr &c, const Scope &s) {
    struct Fn {
      int arity;
      enum { Dimensionless, Sqrt, Same, Pow, Random, Uniform01, Poisson, Binomial } kind;
    };
    static const std::map<std::string, Fn> fns = {
        {"exp", {1, Fn::Dimensionless}},   {"log", {1, Fn::Dimensionless}},
        {"log10", {1, Fn::Dimensionless}}, {"sin", {1, Fn::Dimensionless}},
        {"cos", {1, Fn::Dimensionless}},   {"tanh", {1, Fn::Dimensionless}},
        {"tan", {1, Fn::Dimensionless}},   {"atan", {1, Fn::Dimensionless}},
        {"sinh", {1, Fn::Dimensionless}},  {"cosh", {1, Fn::Dimensionless}},
        {"exprel", {1, Fn::Dimensionless}}, {"sqrt", {1, Fn::Sqrt}},
        {"abs", {1, Fn::Same}},            {"min", {2, Fn::Same}},
        {"max", {2, Fn::Same}},            {"clip", {3, Fn::Same}},
        {"floor", {1, Fn::Same}},          {"ceil", {1, Fn::Same}},
        {"round", {1, Fn::Same}},
        {"pow", {2, Fn::Pow}},             {"uniform", {2, Fn::Random}},
        {"normal", {2, Fn::Random}},       {"rand", {0, Fn::Uniform01}},
        {"poisson", {1, Fn::Poisson}},     {"randn", {0, Fn::Uniform01}},
        {"binomial", {2, Fn::Binomial}},
    };
    auto it = fns.find(c.callee);
    std::vector<std::optional<ExprType>> args;
    bool ok = true;
    for (auto &a : c.args) {
      args.push_back(checkExpr(*a, s));
      ok = ok && args.back().has_value();
    }
    if (it == fns.end() && (s.allowTables || invalidArrays_.count(c.callee))) {
      if (invalidArrays_.count(c.callee))
        return std::nullopt; // its declaration was reported
      int k = result_.network.findTimedArray(c.callee);
      if (k >= 0) {
        if (c.args.size() != 1) {
          error(c.loc, "timed array '" + c.callee + "' takes one argument, the time");
          return std::nullopt;
        }
        if (args[0] && (args[0]->isBool || args[0]->dim != dims::second())) {
          error(c.args[0]->loc, "the argument of timed array '" + c.callee +
                                    "' must be a time, got unit '" +
                                    (args[0]->isBool ? std::string("boolean")
                                                     : args[0]->dim.str()) + "'");
          return std::nullopt;
        }
        return ok ? std::optional<ExprType>(num(result_.network.timedArrays[k].dim))
                  : std::nullopt;
      }
    }
    // int(x): a condition as 0 or 1 (int(v > 0)), or a dimensionless number truncated toward
    // zero, as Brian2's int().
    if (c.callee == "int") {
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
    // total(e): the sum of e over the connection's synapses onto the same postsynaptic neuron.
    if (c.callee == "total") {
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
    // `a if c else b`: a condition, then two values of one unit (or two conditions).
    if (c.callee == "if") {
      if (!ok)
        return std::nullopt;
      if (!args[0]->isBool) {
        error(c.args[0]->loc, "the condition of 'a if c else b' must be a condition, got a value "
                              "of unit '" + args[0]->dim.str() + "'");
        return std::nullopt;
      }
      if (args[1]->isBool != args[2]->isBool ||
          (!args[1]->isBool && args[1]->dim != args[2]->dim)) {
        auto what = [](const ExprType &t) {
          return t.isBool ? std::string("a condition") : "unit '" + t.dim.str() + "'";
        };
        error(c.args[2]->loc, "the two values of 'a if c else b' differ: " + what(*args[1]) +
                                  " and " + what(*args[2]));
        return std::nullopt;
      }
      return record(c, *args[1]);
    }
    if (it == fns.end() && result_.network.findTimedArray(c.callee) >= 0) {
      error(c.loc, "timed array '" + c.callee + "' can only be used where a population sets a "
                   "parameter: population P = Model[n](I = " + c.callee + "(t))");
      return std::nullopt;
    }
    if (it == fns.end()) {
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
        error(c.loc, "'binomial()' can only be used in a spike condition, a reset or update "
                     "block, an input or an initial value");
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
        error(c.loc, "'poisson()' can only be used in a spike condition, a reset or update block, "
                     "an input or an initial value");
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
        error(c.loc, "'" + c.callee + "()' can only be used in a spike condition, a reset or update block, or "
                     "an initial value (equations take white noise 'xi' instead)");
        return std::nullopt;
      }
      return record(c, num(Dim::none()));
    case Fn::Same:
    case Fn::Random:
      // Drawn once per neuron (initial values, parameters) or per neuron and step (spike
      // conditions, reset, update and every blocks, inputs), like rand().
      if (fn.kind == Fn::Random && !s.allowInit && !s.allowRand) {
        error(c.loc, "'" + c.callee + "' can only be used in an initial value, a parameter, a "
                     "spike condition, a reset, update or every block, or an input");
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
    }
    return std::nullopt;
  }

  // ---- network ------------------------------------------------------------------------------
  /// `e` as a constant of the network. Without `env` it is evaluated with the constants as
  /// declared, for something fixed when the network is built (the constants read are noted, so
  /// that a change between runs cannot silently miss them); with `env`, with the constants as
  /// the protocol's changes left them.
  std::optional<ConstValue> constant(const Expr &e, const std::string &what,
                                     const ConstNames *env = nullptr) {
    std::string why;
    SourceLoc where;
    ConstUses uses;
    auto v = evalConst(e, why, where, env ? env : &result_.network.constants, &uses);
    if (!v)
      error(where.valid() ? where : e.loc, what + " must be a constant: " + why);
    if (!env)
      for (auto &[name, loc] : uses)
        buildUses_.emplace(name, std::make_pair(loc, what));
    return v;
  }

  /// Notes the network constants that `e` (checked, so its names resolved) reads: it is
  /// evaluated once, when the network is built or initialised (`what`).
  void noteBuildUses(const Expr &e, const std::string &what) {
    if (auto *n = ast::dyn_cast<ast::NameExpr>(&e)) {
      auto it = result_.names.find(n);
      if (it != result_.names.end() && it->second.kind == NameRef::Kind::NetConst)
        buildUses_.emplace(n->name, std::make_pair(n->loc, what));
    }
    if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e))
      noteBuildUses(*u->operand, what);
    if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e)) {
      noteBuildUses(*b->lhs, what);
      noteBuildUses(*b->rhs, what);
    }
    if (auto *c = ast::dyn_cast<ast::CallExpr>(&e))
      for (auto &a : c->args)
        noteBuildUses(*a, what);
  }

  /// A non-negative integer constant (sizes, indices, k).
  std::optional<uint64_t> integer(const Expr &e, const std::string &what, uint64_t max) {
    auto v = constant(e, what);
    if (!v)
      return std::nullopt;
    if (!v->dim.isDimensionless() || v->value != std::floor(v->value) || v->value < 0 ||
        v->value > static_cast<double>(max)) {
      error(e.loc, what + " must be an integer between 0 and " + std::to_string(max) + ", got " +
                       (v->dim.isDimensionless() ? fmtNum(v->value)
                                                 : "a value of unit '" + v->dim.str() + "'"));
      return std::nullopt;
    }
    return static_cast<uint64_t>(v->value);
  }

  std::optional<double> duration(const Expr &e, const std::string &what,
                                 const ConstNames *env = nullptr) {
    auto v = constant(e, what, env);
    if (!v)
      return std::nullopt;
    if (v->dim != dims::second()) {
      error(e.loc, what + " must have unit 'second', got '" + v->dim.str() + "'");
      return std::nullopt;
    }
    // NaN passes every `< 0` and range test after this (and then casts to an integer number of
    // steps with undefined behaviour), so it stops here, with infinities.
    if (!std::isfinite(v->value)) {
      error(e.loc, what + " must be finite, got " +
                       (std::isnan(v->value) ? std::string("NaN") : fmtNum(v->value) + " s"));
      return std::nullopt;
    }
    return v->value;
  }

  /// Resolves `P` or `P[a:b]` to a population index and a half-open range.
  bool popRange(const ast::PopRef &r, uint32_t &pop, uint32_t &begin, uint32_t &end) {
    auto it = popIndex_.find(r.name);
    if (it == popIndex_.end()) {
      if (!invalidPops_.count(r.name))
        error(r.loc, "unknown population '" + r.name + "'");
      return false;
    }
    pop = it->second;
    uint32_t size = result_.network.populations[pop].size;
    begin = 0;
    end = size;
    if (!r.slice)
      return true;
    auto lo = integer(*r.slice->lo, "slice bound", 0x7fffffff);
    if (!lo)
      return false;
    uint64_t hi = *lo + 1;
    if (r.slice->hi) {
      auto h = integer(*r.slice->hi, "slice bound", 0x7fffffff);
      if (!h)
        return false;
      hi = *h;
    }
    std::string text = r.slice->hi ? "[" + std::to_string(*lo) + ":" + std::to_string(hi) + "]"
                                    : "[" + std::to_string(*lo) + "]";
    if (hi > size) {
      error(r.slice->loc, "slice " + text + " is past the end of population '" + r.name +
                              "' of size " + std::to_string(size));
      return false;
    }
    if (*lo >= hi) {
      error(r.slice->loc, "slice " + text + " of population '" + r.name + "' is empty");
      return false;
    }
    begin = static_cast<uint32_t>(*lo);
    end = static_cast<uint32_t>(hi);
    return true;
  }

  void checkNetwork(const ast::NetworkDef &n) {
    NetworkInfo &net = result_.network;
    net.def = &n;
    std::map<std::string, SourceLoc> settingsSeen;
    for (auto &s : n.settings) {
      if (auto [it, fresh] = settingsSeen.emplace(s.name, s.loc); !fresh) {
        bool setting = s.name == "dt" || s.name == "seed" || s.name == "precision";
        error(s.loc, std::string(setting ? "network setting '" : "network constant '") + s.name +
                         "' is given twice");
        note(it->second, "first given here");
        continue;
      }
      if (s.name == "dt") {
        dtValid_ = false;
        if (auto d = duration(*s.value, "dt")) {
          if (*d <= 0)
            error(s.value->loc, "dt must be positive");
          else if (*d < 1e-9)
            error(s.value->loc, "dt " + fmtNum(*d) + " s is below 1 ns: no network needs such a "
                                "step, and 1 ms of it would take more than a million steps");
          else {
            net.dt = *d;
            dtValid_ = true;
          }
        }
      } else if (s.name == "seed") {
        if (auto v = integer(*s.value, "seed", UINT32_MAX))
          net.seed = *v;
      } else if (s.name == "precision") {
        auto *name = ast::dyn_cast<ast::NameExpr>(s.value.get());
        if (name && name->name == "float64")
          net.precision = Precision::Float64;
        else if (name && name->name == "float32")
          net.precision = Precision::Float32;
        else
          error(s.value->loc, "precision must be 'float64' or 'float32'");
      } else {
        defineConstant(s);
      }
    }

    for (auto &a : n.timedArrays)
      checkTimedArray(a);
    for (auto &p : n.populations)
      checkPopulation(p);
    for (auto &c : n.connections)
      checkConnection(c);
    for (auto &r : n.records)
      checkRecord(r);
    for (auto &rp : n.runtimeParams)
      checkRuntimeParam(rp);
    for (auto &in : n.inputs)
      checkInput(in);
    checkProtocol(n);
  }

  // ---- the protocol: runs and the changes between them -------------------------------------

  /// Each run's duration and the changes between runs, in order; each is evaluated with the
  /// network constants as the changes before it left them (`run T; T = 2 s; run T`).
  void checkProtocol(const ast::NetworkDef &n) {
    NetworkInfo &net = result_.network;
    if (n.runs.empty()) {
      error(n.loc, "network '" + n.name + "' has no 'run' statement");
      for (auto &c : n.changes)
        checkChange(c, net.constants);
      return;
    }
    ConstNames env = net.constants;
    double total = 0;
    bool ok = true;
    for (size_t k = 0; k <= n.runs.size(); ++k) {
      for (auto &c : n.changes)
        if (c.phase == k)
          checkChange(c, env);
      if (k == n.runs.size())
        break;
      const ast::RunDecl &r = n.runs[k];
      auto d = duration(*r.duration, "run duration", &env);
      if (!d) {
        ok = false;
        continue;
      }
      if (*d < 0) {
        error(r.duration->loc, "run duration must not be negative, got " + fmtNum(*d) + " s");
        ok = false;
        continue;
      }
      total += *d;
      if (dtValid_ && total / net.dt > 0x1p53) {
        error(r.duration->loc, std::string(n.runs.size() > 1 ? "the runs together last " : "run duration ") +
                                   fmtNum(total) + " s is more than 2^53 steps of dt = " +
                                   fmtNum(net.dt * 1e3) + " ms");
        ok = false;
      }
      net.runs.push_back(*d);
    }
    if (ok)
      net.duration = total;
    for (auto &c : n.changes)
      if (c.phase == n.runs.size())
        diags_.warning(c.loc, "this change has no effect: no run follows it");
    checkChangedConstantsAreLive();
  }

  /// `P.x = v`, `C.x = v` or `name = v` before run `c.phase`: the parameter becomes run-time
  /// and takes v when that run starts.
  void checkChange(const ast::ParamChange &c, ConstNames &env) {
    NetworkInfo &net = result_.network;
    std::string what = (c.owner.empty() ? "" : c.owner + ".") + c.name;
    if (c.phase == 0) {
      error(c.loc, "'" + what + " = ...' before the first run: give the value where '" +
                       (c.owner.empty() ? c.name : c.owner) +
                       "' is declared; a change stands between two runs");
      return;
    }
    using Owner = RuntimeParamInfo::Owner;
    Owner owner;
    uint32_t index = 0;
    Dim dim;
    if (c.owner.empty()) {
      if (c.name == "dt" || c.name == "seed" || c.name == "precision") {
        error(c.loc, "network setting '" + c.name + "' cannot change between runs");
        return;
      }
      auto it = env.find(c.name);
      if (it == env.end()) {
        error(c.loc, "no network constant '" + c.name + "' to change: constants are defined "
                     "before the first run");
        return;
      }
      owner = Owner::Network;
      dim = it->second.dim;
    } else if (auto pop = popIndex_.find(c.owner); pop != popIndex_.end()) {
      const PopulationInfo &info = net.populations[pop->second];
      if (!info.neuron) {
        error(c.loc, "'" + c.owner + "' is a spike source: it has no parameters");
        return;
      }
      auto d = info.neuron->paramDims.find(c.name);
      if (d == info.neuron->paramDims.end()) {
        error(c.nameLoc, "neuron '" + info.decl->model + "' of population '" + c.owner +
                             "' has no parameter '" + c.name + "'" +
                             known(info.neuron->paramDims));
        return;
      }
      if (std::count(info.perNeuron.begin(), info.perNeuron.end(), c.name)) {
        error(c.nameLoc, "parameter '" + c.name + "' of population '" + c.owner + "' differs "
                         "per neuron: a change between runs gives the population one value");
        return;
      }
      owner = Owner::Population;
      index = pop->second;
      dim = d->second;
    } else if (auto conn = connIndex_.find(c.owner); conn != connIndex_.end()) {
      const ConnectionInfo &info = net.connections[conn->second];
      const SynapseInfo *syn = info.synapse;
      auto d = syn ? syn->paramDims.find(c.name) : std::map<std::string, Dim>::const_iterator();
      if (!syn || d == syn->paramDims.end()) {
        error(c.nameLoc, "the synapse of connection '" + c.owner + "' has no parameter '" +
                             c.name + "'" + (syn ? known(syn->paramDims) : std::string()));
        return;
      }
      owner = Owner::Connection;
      index = conn->second;
      dim = d->second;
    } else {
      error(c.loc, invalidPops_.count(c.owner) ? "population '" + c.owner + "' is invalid"
                   : env.count(c.owner)
                       ? "'" + c.owner + "' is a network constant: change it as '" + c.owner +
                             " = value'"
                       : "no population or connection named '" + c.owner + "'");
      return;
    }
    auto v = constant(*c.value, "the new value of '" + what + "'", &env);
    if (!v)
      return;
    if (v->dim != dim) {
      error(c.value->loc, "'" + what + "' has unit '" + dim.str() + "', but its new value has "
                          "unit '" + v->dim.str() + "'");
      return;
    }
    if (!std::isfinite(v->value)) {
      error(c.value->loc, "the new value of '" + what + "' is " +
                              (std::isnan(v->value) ? "not a number (NaN)" : "infinite"));
      return;
    }
    if (owner == Owner::Network)
      env[c.name] = *v;
    uint32_t param = runtimeParamFor(owner, index, c.name, dim, c.nameLoc);
    for (auto &other : net.changes)
      if (other.param == param && other.phase == c.phase) {
        error(c.loc, "'" + what + "' is changed twice before the same run");
        note(other.decl->loc, "first changed here");
        return;
      }
    net.changes.push_back({&c, param, v->value, c.phase});
  }

  static std::string known(const std::map<std::string, Dim> &names) {
    std::string list;
    for (auto &[name, dim] : names)
      list += (list.empty() ? "" : ", ") + name;
    return list.empty() ? " (it has none)" : " (it has " + list + ")";
  }

  /// The run-time parameter for (owner, index, name), declared now if it is not yet.
  uint32_t runtimeParamFor(RuntimeParamInfo::Owner owner, uint32_t index, const std::string &name,
                           Dim dim, SourceLoc loc) {
    auto &params = result_.network.runtimeParams;
    for (size_t k = 0; k < params.size(); ++k)
      if (params[k].owner == owner && params[k].pop == index && params[k].name == name)
        return static_cast<uint32_t>(k);
    RuntimeParamInfo r;
    r.owner = owner;
    r.loc = loc;
    r.pop = index;
    r.name = name;
    r.dim = dim;
    params.push_back(std::move(r));
    return static_cast<uint32_t>(params.size() - 1);
  }

  /// A network constant changed between runs must reach only what reads it while running:
  /// sizes, probabilities, delays, timed arrays and per-neuron parameters are computed once.
  void checkChangedConstantsAreLive() {
    NetworkInfo &net = result_.network;
    std::set<std::string> reported;
    for (auto &c : net.changes) {
      const RuntimeParamInfo &r = net.runtimeParams[c.param];
      if (r.owner != RuntimeParamInfo::Owner::Network || !reported.insert(r.name).second)
        continue;
      auto use = buildUses_.find(r.name);
      if (use == buildUses_.end())
        continue;
      error(c.decl->loc, "network constant '" + r.name + "' cannot change between runs: it is "
                         "read once, when the network is built (" + use->second.second + ")");
      note(use->second.first, "used here");
    }
  }

  /// `name = value` in a network, for a name other than a setting: a constant usable in every
  /// expression of the network after it (overrides, initial values, rules, delays, records, run),
  /// the model's own names shadowing it; it shadows a unit of its name used as a value (`g = 5`,
  /// Brunel's relative inhibition, is not the gram; `5 g` still is). Its value must be a finite
  /// constant.
  void defineConstant(const ast::Binding &b) {
    static const std::set<std::string> reserved = {"t", "i", "j", "N", "xi", "pi", "target",
                                                   "modulator"};
    if (reserved.count(b.name)) {
      error(b.loc, "'" + b.name + "' cannot name a network constant: it is a predefined name "
                   "(network settings are dt, seed and precision)");
      return;
    }
    // A misspelt setting (`sead = 3`, `DT = 0.1 ms`) would silently become an unused constant.
    for (const char *setting : {"dt", "seed", "precision"})
      if (nearMiss(b.name, setting))
        diags_.warning(b.loc, "'" + b.name + "' defines a network constant, not a setting; did "
                              "you mean '" + setting + "'?");
    auto v = constant(*b.value, "network constant '" + b.name + "'");
    if (!v)
      return;
    if (!std::isfinite(v->value)) {
      error(b.value->loc, "network constant '" + b.name + "' is " +
                              (std::isnan(v->value) ? "not a number (NaN)" : "infinite"));
      return;
    }
    result_.network.constants[b.name] = *v;
  }

  /// Equal but for letter case, or (for names of 3 letters or more) one letter added, dropped,
  /// changed or two neighbours swapped.
  static bool nearMiss(const std::string &a, const std::string &b) {
    auto lower = [](std::string x) {
      for (char &c : x)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return x;
    };
    std::string x = lower(a), y = lower(b);
    if (x == y)
      return true;
    if (y.size() < 3 || x.size() + 1 < y.size() || y.size() + 1 < x.size())
      return false;
    if (x.size() == y.size()) {
      size_t k = 0;
      while (k < x.size() && x[k] == y[k])
        ++k;
      if (x.compare(k + 1, std::string::npos, y, k + 1, std::string::npos) == 0)
        return true; // one changed
      return k + 1 < x.size() && x[k] == y[k + 1] && x[k + 1] == y[k] &&
             x.compare(k + 2, std::string::npos, y, k + 2, std::string::npos) == 0; // swapped
    }
    const std::string &shorter = x.size() < y.size() ? x : y, &longer = x.size() < y.size() ? y : x;
    size_t k = 0;
    while (k < shorter.size() && shorter[k] == longer[k])
      ++k;
    return shorter.compare(k, std::string::npos, longer, k + 1, std::string::npos) == 0;
  }

  /// The period of `every` must be a positive constant time (the whole number of steps is
  /// checked with the network's dt, checkPeriodSteps).
  void checkPeriod(const ast::Every &e) {
    std::string why;
    SourceLoc where;
    auto v = evalConst(*e.period, why, where);
    if (!v)
      error(where.valid() ? where : e.period->loc, "the period of 'every' must be a constant: " +
                                                       why);
    else if (v->dim != dims::second())
      error(e.period->loc, "the period of 'every' must be a time, got a value of unit '" +
                               v->dim.str() + "'");
    else if (!(v->value > 0) || !std::isfinite(v->value))
      error(e.period->loc, "the period of 'every' must be positive and finite");
  }

  void checkPeriodSteps(const ast::Every &e, const std::string &where) {
    std::string why;
    SourceLoc at;
    auto v = evalConst(*e.period, why, at);
    if (!v || v->dim != dims::second() || !(v->value > 0) || !std::isfinite(v->value) ||
        !dtValid_)
      return; // reported with the model
    double steps = v->value / result_.network.dt;
    if (std::fabs(steps - std::round(steps)) > 1e-6 * std::fmax(std::round(steps), 1.0) ||
        std::round(steps) < 1)
      error(e.period->loc, "the period of 'every' (" + fmtNum(v->value * 1e3) + " ms) is not "
                           "a whole number of time steps (dt = " +
                           fmtNum(result_.network.dt * 1e3) + " ms, " + where + ")");
  }

  /// A synapse model's `every` blocks, per connection: statements on the synapse's own
  /// variables, reading them, its parameters, both neurons and total(e), the sum of e over the
  /// connection's synapses onto the same postsynaptic neuron.
  void checkSynapseEvery(const ast::ConnectDecl &c, const SynapseInfo &syn, Scope s) {
    s.preTraces = s.postTraces = s.response = nullptr;
    s.target.reset();
    s.allowTotal = true;
    s.stateDecls = nullptr; // a neuron's variable is never a target here: no quiet skip
    s.context = "an every block of synapse '" + syn.def->name + "'";
    for (auto &e : syn.def->every) {
      checkPeriodSteps(e, "connection of '" + c.pre.name + "' to '" + c.post.name + "'");
      checkAssignments(e.body, s, syn.stateDims, s.context);
    }
  }

  /// What in `e` makes a parameter differ per neuron (i, N, random draws) or in time (t, a timed
  /// array), and the parameters it reads.
  struct ParamUses {
    const ast::Expr *perNeuron = nullptr, *time = nullptr;
    std::set<std::string> params;
  };
  void paramUses(const ast::Expr &e, ParamUses &u) const {
    if (auto *n = ast::dyn_cast<ast::NameExpr>(&e)) {
      auto r = result_.names.find(&e);
      if (r == result_.names.end())
        return;
      if (r->second.kind == NameRef::Kind::Index || r->second.kind == NameRef::Kind::Size)
        u.perNeuron = u.perNeuron ? u.perNeuron : &e;
      if (r->second.kind == NameRef::Kind::Time)
        u.time = u.time ? u.time : &e;
      if (r->second.kind == NameRef::Kind::Param)
        u.params.insert(n->name);
      return;
    }
    if (auto *un = ast::dyn_cast<ast::UnaryExpr>(&e))
      return paramUses(*un->operand, u);
    if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e)) {
      paramUses(*b->lhs, u);
      return paramUses(*b->rhs, u);
    }
    if (auto *c = ast::dyn_cast<ast::CallExpr>(&e)) {
      if (c->callee == "rand" || c->callee == "uniform" || c->callee == "normal" ||
          c->callee == "poisson" || c->callee == "binomial" || c->callee == "randn")
        u.perNeuron = u.perNeuron ? u.perNeuron : &e;
      if (result_.network.findTimedArray(c->callee) >= 0)
        u.time = u.time ? u.time : &e;
      for (auto &a : c->args)
        paramUses(*a, u);
    }
  }

  /// The parameters of a population that differ per neuron, each after those it uses; one that
  /// would differ per neuron and vary in time is an error (it is computed once, at the start).
  std::vector<std::string> perNeuronParams(const std::vector<const ast::Binding *> &params,
                                           const std::string &pop) {
    std::map<std::string, ParamUses> uses;
    for (auto *b : params)
      paramUses(*b->value, uses[b->name]);
    std::set<std::string> per;
    for (bool changed = true; changed;) {
      changed = false;
      for (auto *b : params) {
        const ParamUses &u = uses[b->name];
        if (per.count(b->name))
          continue;
        bool viaParam = std::any_of(u.params.begin(), u.params.end(),
                                    [&](const std::string &n) { return per.count(n) != 0; });
        if (u.perNeuron || viaParam) {
          per.insert(b->name);
          changed = true;
        }
      }
    }
    std::vector<std::string> order;
    std::set<std::string> placed;
    std::function<void(const std::string &)> place = [&](const std::string &n) {
      if (!per.count(n) || !placed.insert(n).second)
        return;
      for (auto &dep : uses[n].params)
        place(dep);
      order.push_back(n);
    };
    for (auto *b : params)
      if (per.count(b->name)) {
        place(b->name);
        if (const ast::Expr *t = uses[b->name].time)
          error(t->loc, "parameter '" + b->name + "' of population '" + pop + "' differs per "
                        "neuron, so it is computed once, at the start, and cannot depend on time");
      }
    return order;
  }

  /// `input P[a:b].v += e`: e is computed for each neuron of the slice every step, like an update
  /// block of its neuron (parameters, state, t, dt, rand(), poisson(), network constants), and
  /// added to its state variable v.
  void checkInput(const ast::InputDecl &in) {
    InputInfo info;
    info.decl = &in;
    if (!popRange(in.pop, info.pop, info.begin, info.end))
      return;
    const PopulationInfo &pop = result_.network.populations[info.pop];
    if (!pop.neuron) {
      error(in.pop.loc, "population '" + in.pop.name + "' is a spike source: it has no state "
                        "variables an input could add to");
      return;
    }
    const NeuronInfo &n = *pop.neuron;
    Scope s = paramScope(n.paramDims, n.def->params, "an input");
    s.state = &n.stateDims;
    s.stateDecls = &n.def->state;
    s.allowTime = true;
    s.allowRand = true;
    s.alias = [&n](const std::string &name, SourceLoc, bool &known) -> std::optional<Dim> {
      known = n.aliasDecls.count(name) != 0;
      auto it = n.aliasDims.find(name);
      return it == n.aliasDims.end() ? std::nullopt : std::optional<Dim>(it->second);
    };
    size_t before = diags_.errorCount();
    checkAssignments(in.assign, s, n.stateDims, "an input to population '" + in.pop.name + "'");
    if (diags_.errorCount() == before)
      result_.network.inputs.push_back(info);
  }

  /// `timed_array name = [v0, v1, ...] every T`: constant values of one unit, T > 0.
  void checkTimedArray(const ast::TimedArrayDecl &a) {
    NetworkInfo &net = result_.network;
    if (net.findTimedArray(a.name) >= 0) {
      error(a.loc, "redefinition of timed array '" + a.name + "'");
      return;
    }
    TimedArrayInfo info;
    info.name = a.name;
    bool ok = true;
    if (a.values.empty()) {
      error(a.loc, "timed array '" + a.name + "' has no values");
      ok = false;
    }
    for (size_t k = 0; k < a.values.size(); ++k) {
      auto v = constant(*a.values[k], "a value of a timed array");
      if (!v) {
        ok = false;
        continue;
      }
      if (k == 0)
        info.dim = v->dim;
      else if (v->dim != info.dim) {
        error(a.values[k]->loc, "value of timed array '" + a.name + "' has unit '" + v->dim.str() +
                                    "', but its first value has '" + info.dim.str() + "'");
        ok = false;
      }
      if (!std::isfinite(v->value)) {
        error(a.values[k]->loc, "value " + std::to_string(k) + " of timed array '" + a.name +
                                    "' is " + (std::isnan(v->value) ? "not a number (NaN)"
                                                                    : "infinite"));
        ok = false;
      }
      info.values.push_back(v->value);
    }
    if (auto d = duration(*a.interval, "the interval of a timed array")) {
      if (*d <= 0) {
        error(a.interval->loc, "the interval of a timed array must be positive");
        ok = false;
      }
      info.interval = *d;
    } else {
      ok = false;
    }
    if (ok)
      net.timedArrays.push_back(std::move(info));
    else
      invalidArrays_.insert(a.name);
  }

  void checkPopulation(const ast::PopulationDecl &p) {
    NetworkInfo &net = result_.network;
    if (auto [it, fresh] = popDecls_.emplace(p.name, p.loc); !fresh) {
      error(p.loc, "redefinition of population '" + p.name + "'");
      note(it->second, "previous definition is here");
      return;
    }
    // Until it proves valid, a population is known by name only, so that statements using it
    // are skipped quietly instead of calling it unknown.
    invalidPops_.insert(p.name);
    auto size = integer(*p.size, "population size", 0x7fffffff);
    if (size && *size == 0)
      error(p.size->loc, "population '" + p.name + "' must have at least one neuron");
    if (!p.sourceFile.empty()) {
      if (!size || *size == 0)
        return;
      // Relative paths are relative to the file that names them, like imports.
      std::filesystem::path file(p.sourceFile);
      if (file.is_relative())
        file = std::filesystem::path(sm_.path(p.sourceLoc.file)).parent_path() / file;
      auto events = readSpikeFile(file.string(), static_cast<uint32_t>(*size), net.dt,
                                  p.sourceLoc, sm_, diags_);
      if (!events)
        return;
      PopulationInfo info;
      info.decl = &p;
      info.size = static_cast<uint32_t>(*size);
      info.source = std::move(*events);
      invalidPops_.erase(p.name);
      popIndex_[p.name] = static_cast<uint32_t>(net.populations.size());
      net.populations.push_back(std::move(info));
      return;
    }
    auto nit = result_.neurons.find(p.model);
    if (nit == result_.neurons.end()) {
      error(p.modelLoc, result_.synapses.count(p.model)
                            ? "'" + p.model + "' is a synapse model, not a neuron model"
                            : "unknown neuron model '" + p.model + "'");
      return;
    }
    if (!size || *size == 0)
      return;
    const NeuronInfo &neuron = nit->second;
    setStateNames(neuron.def);
    PopulationInfo info;
    info.decl = &p;
    info.neuron = &neuron;
    info.size = static_cast<uint32_t>(*size);

    // Overrides replace the neuron's own parameter bindings; the whole set is re-checked so that
    // an override may refer to other parameters and cycles through overrides are caught.
    std::map<std::string, const ast::Binding *> overrides;
    for (auto &o : p.overrides) {
      if (!neuron.paramDims.count(o.name) &&
          std::none_of(neuron.def->params.begin(), neuron.def->params.end(),
                       [&](auto &b) { return b.name == o.name; })) {
        error(o.loc, "'" + o.name + "' is not a parameter of neuron '" + p.model + "'");
        continue;
      }
      if (auto [it, fresh] = overrides.emplace(o.name, &o); !fresh) {
        error(o.loc, "parameter '" + o.name + "' is overridden twice");
        note(it->second->loc, "first given here");
      }
    }
    std::vector<const ast::Binding *> params;
    std::set<std::string> seen;
    for (auto &b : neuron.def->params) {
      if (!seen.insert(b.name).second)
        continue;
      auto o = overrides.find(b.name);
      params.push_back(o == overrides.end() ? &b : o->second);
    }
    if (!overrides.empty()) {
      std::set<const ast::Binding *> substituted;
      for (auto &[name, o] : overrides)
        substituted.insert(o);
      auto dims = checkParams(params, "population '" + p.name + "'", &substituted,
                              /*timeVarying=*/true);
      for (auto &[name, o] : overrides) {
        auto d = dims.find(name);
        auto want = neuron.paramDims.find(name);
        if (d != dims.end() && want != neuron.paramDims.end() && d->second != want->second)
          error(o->value->loc, "override of '" + name + "' has unit '" + d->second.str() +
                                   "', expected '" + want->second.str() + "'");
      }
    }
    info.params = params;
    info.perNeuron = perNeuronParams(params, p.name);
    for (const ast::Binding *b : params)
      if (std::count(info.perNeuron.begin(), info.perNeuron.end(), b->name))
        noteBuildUses(*b->value, "parameter '" + b->name + "' of population '" + p.name +
                                     "', computed per neuron at initialisation");
    for (auto &e : neuron.def->every)
      checkPeriodSteps(e, "population '" + p.name + "'");

    std::map<std::string, const ast::Binding *> inits;
    for (auto &b : p.init) {
      auto sd = neuron.stateDims.find(b.name);
      // As in the neuron: an initial value may use the state variables declared before it.
      std::map<std::string, Dim> earlier;
      for (auto &decl : neuron.def->state) {
        if (decl.name == b.name)
          break;
        if (auto d = neuron.stateDims.find(decl.name); d != neuron.stateDims.end())
          earlier[decl.name] = d->second;
      }
      Scope init = paramScope(neuron.paramDims, neuron.def->params, "an initial value");
      init.allowInit = true;
      init.state = &earlier;
      auto t = checkExpr(*b.value, init);
      if (sd == neuron.stateDims.end()) {
        if (declares(neuron.def->state, b.name))
          continue; // declared, but its own initial value is invalid (already reported)
        error(b.loc, "'" + b.name + "' is not a state variable of neuron '" + p.model + "'");
        continue;
      }
      if (auto [it, fresh] = inits.emplace(b.name, &b); !fresh) {
        error(b.loc, "initial value of '" + b.name + "' is given twice");
        note(it->second->loc, "first given here");
        continue;
      }
      if (t && (t->isBool || t->dim != sd->second))
        error(b.value->loc, "initial value of '" + b.name + "' has unit '" +
                                (t->isBool ? std::string("boolean") : t->dim.str()) +
                                "', expected '" + sd->second.str() + "'");
    }
    seen.clear();
    for (auto &b : neuron.def->state) {
      if (!seen.insert(b.name).second)
        continue;
      auto o = inits.find(b.name);
      info.init.push_back(o == inits.end() ? &b : o->second);
    }
    invalidPops_.erase(p.name);
    popIndex_[p.name] = static_cast<uint32_t>(net.populations.size());
    net.populations.push_back(std::move(info));
  }

  void checkConnection(const ast::ConnectDecl &c) {
    NetworkInfo &net = result_.network;
    ConnectionInfo info;
    info.decl = &c;
    bool ok = popRange(c.pre, info.pre, info.preBegin, info.preEnd);
    ok = popRange(c.post, info.post, info.postBegin, info.postEnd) && ok;

    // Rule and its arguments.
    const std::string &rule = c.rule.name;
    std::map<std::string, const ast::Argument *> args;
    std::vector<std::string> allowed;
    if (rule == "all_to_all") {
      info.rule = ConnRule::AllToAll;
      allowed = {"autapses"};
    } else if (rule == "one_to_one") {
      info.rule = ConnRule::OneToOne;
    } else if (rule == "bernoulli") {
      info.rule = ConnRule::Bernoulli;
      allowed = {"p", "autapses"};
    } else if (rule == "fixed_indegree") {
      info.rule = ConnRule::FixedIndegree;
      allowed = {"k", "autapses"};
    } else {
      error(c.rule.loc, "unknown connectivity rule '" + rule +
                            "' (expected all_to_all, one_to_one, bernoulli or fixed_indegree)");
      return;
    }
    size_t positional = 0;
    for (auto &a : c.rule.args) {
      std::string name = a.name;
      if (name.empty()) {
        if (positional >= allowed.size() || allowed[positional] == "autapses") {
          error(a.loc, "too many arguments for '" + rule + "'");
          ok = false;
          continue;
        }
        name = allowed[positional++];
      }
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        error(a.loc, "'" + rule + "' has no argument '" + name + "'");
        ok = false;
        continue;
      }
      if (auto [it, fresh] = args.emplace(name, &a); !fresh) {
        error(a.loc, "argument '" + name + "' of '" + rule + "' is given twice");
        note(it->second->loc, "first given here");
        ok = false;
      }
    }
    if (auto it = args.find("autapses"); it != args.end()) {
      auto *v = ast::dyn_cast<ast::NameExpr>(it->second->value.get());
      if (v && (v->name == "true" || v->name == "false"))
        info.autapses = v->name == "true";
      else {
        error(it->second->value->loc, "autapses must be 'true' or 'false'");
        ok = false;
      }
    }
    if (info.rule == ConnRule::Bernoulli) {
      auto it = args.find("p");
      if (it == args.end()) {
        error(c.rule.loc, "'bernoulli' needs a connection probability p");
        ok = false;
      } else if (auto v = constant(*it->second->value, "connection probability")) {
        if (!v->dim.isDimensionless() || !(v->value >= 0 && v->value <= 1)) {
          error(it->second->value->loc,
                "connection probability must be a number in [0, 1], got " +
                    (v->dim.isDimensionless() ? fmtNum(v->value)
                                              : "a value of unit '" + v->dim.str() + "'"));
          ok = false;
        } else
          info.p = v->value;
      } else
        ok = false;
    }
    if (info.rule == ConnRule::FixedIndegree) {
      auto it = args.find("k");
      if (it == args.end()) {
        error(c.rule.loc, "'fixed_indegree' needs an in-degree k");
        ok = false;
      } else if (auto v = integer(*it->second->value, "in-degree", 0x7fffffff)) {
        info.k = static_cast<uint32_t>(*v);
        if (ok) {
          // Pre candidates per post neuron: the pre range, less the neuron itself when autapses
          // are excluded and it lies in that range.
          uint64_t candidates = info.preEnd - info.preBegin;
          bool overlap = info.pre == info.post && info.postBegin < info.preEnd &&
                         info.preBegin < info.postEnd;
          if (!info.autapses && overlap)
            --candidates;
          if (info.k > candidates) {
            error(it->second->value->loc, "in-degree " + std::to_string(info.k) +
                                              " exceeds the " + std::to_string(candidates) +
                                              " available presynaptic neurons");
            ok = false;
          }
        }
      } else
        ok = false;
    }
    if (info.rule == ConnRule::OneToOne && ok &&
        info.preEnd - info.preBegin != info.postEnd - info.postBegin) {
      error(c.rule.loc, "one_to_one needs ranges of equal size, got " +
                            std::to_string(info.preEnd - info.preBegin) + " and " +
                            std::to_string(info.postEnd - info.postBegin) + " neurons");
      ok = false;
    }

    // Synapse model and on_pre.
    std::map<std::string, Dim> synDims;
    if (!c.synapse.empty()) {
      auto sit = result_.synapses.find(c.synapse);
      if (sit == result_.synapses.end()) {
        error(c.synapseLoc, result_.neurons.count(c.synapse)
                                ? "'" + c.synapse + "' is a neuron model, not a synapse model"
                                : "unknown synapse model '" + c.synapse + "'");
        ok = false;
      } else {
        info.synapse = &sit->second;
        std::map<std::string, const ast::Binding *> overrides;
        for (auto &o : c.synapseOverrides) {
          if (std::none_of(sit->second.def->params.begin(), sit->second.def->params.end(),
                           [&](auto &b) { return b.name == o.name; })) {
            error(o.loc, "'" + o.name + "' is not a parameter of synapse '" + c.synapse + "'");
            ok = false;
          } else if (auto [it, fresh] = overrides.emplace(o.name, &o); !fresh) {
            error(o.loc, "parameter '" + o.name + "' is overridden twice");
            note(it->second->loc, "first given here");
            ok = false;
          }
        }
        std::set<std::string> seen;
        for (auto &b : sit->second.def->params) {
          if (!seen.insert(b.name).second)
            continue;
          auto o = overrides.find(b.name);
          info.synapseParams.push_back(o == overrides.end() ? &b : o->second);
        }
        setStateNames(nullptr);
        std::set<const ast::Binding *> substituted;
        for (auto &[name, o] : overrides)
          substituted.insert(o);
        synDims = checkParams(info.synapseParams, "synapse '" + c.synapse + "'", &substituted);
        for (auto &[name, o] : overrides) {
          auto d = synDims.find(name);
          auto want = sit->second.paramDims.find(name);
          if (d != synDims.end() && want != sit->second.paramDims.end() &&
              d->second != want->second) {
            error(o->value->loc, "override of '" + name + "' has unit '" + d->second.str() +
                                     "', expected '" + want->second.str() + "'");
            // Check on_pre with the unit the model declares, so that the bad override is not
            // reported a second time in the synapse's own statements.
            d->second = want->second;
            ok = false;
          }
        }
      }
    }
    std::string why;
    SourceLoc where;
    if (c.delay && !evalConst(*c.delay, why, where, &result_.network.constants)) {
      ok = checkSynapseDelay(*c.delay, info) && ok;
      noteBuildUses(*c.delay, "a delay, drawn per synapse at initialisation");
    } else if (c.delay) {
      // A constant delay is exact to the step: one that is not a whole number of steps is
      // refused rather than silently rounded (Brian2 rounds; NEST refuses).
      if (auto d = duration(*c.delay, "delay")) {
        double steps = *d / net.dt;
        double rounded = std::round(steps);
        if (*d < 0) {
          error(c.delay->loc, "delay must not be negative, got " + fmtNum(*d * 1e3) + " ms");
          ok = false;
        } else if (rounded > 1e6) {
          // The ring holds every step's spikes of the longest delay: a bound, not rounding.
          error(c.delay->loc, "delay " + fmtNum(*d * 1e3) + " ms is " + fmtNum(rounded) +
                                  " time steps; at most 1000000 steps (" +
                                  fmtNum(net.dt * 1e6) + " s at dt = " + fmtNum(net.dt * 1e3) +
                                  " ms) are supported");
          ok = false;
        } else if (std::fabs(steps - rounded) > 1e-6 * std::fmax(rounded, 1.0)) {
          error(c.delay->loc, "delay " + fmtNum(*d * 1e3) + " ms is not a whole number of time "
                              "steps (dt = " + fmtNum(net.dt * 1e3) + " ms); delays are not "
                              "rounded");
          ok = false;
        } else {
          info.delaySteps = static_cast<uint32_t>(rounded);
        }
      } else {
        ok = false;
      }
    }
    if (info.synapse)
      ok = checkSynapseInit(c, info) && ok;
    else if (!c.synapseInit.empty()) {
      error(c.synapseInit.front().loc, "initial values need a synapse model with state");
      ok = false;
    }
    if (c.synapse.empty() && !c.hasInlineOnPre) {
      error(c.loc, "connection has no effect: give a synapse model or an on_pre block");
      ok = false;
    }
    if (!c.synapse.empty() && c.hasInlineOnPre) {
      error(c.loc, "give either a synapse model or an inline on_pre block, not both");
      ok = false;
    }
    if (!c.onto.empty() && !info.synapse) {
      error(c.ontoLoc, "'onto' chooses what a synapse model acts on; an inline on_pre names the "
                       "variable directly");
      ok = false;
    }
    std::optional<Dim> modulator;
    if (c.modulatorPop && !(modulator = chooseModulator(c, info)))
      ok = false;
    if (popIndexValid(info.post) && !net.populations[info.post].neuron) {
      error(c.post.loc, "'" + c.post.name + "' is a spike source and cannot receive synapses");
      ok = false;
    } else if (popIndexValid(info.post)) {
      const NeuronInfo &post = *net.populations[info.post].neuron;
      static const std::vector<ast::Binding> none;
      Scope s = paramScope(synDims, info.synapse ? info.synapse->def->params : none, "on_pre");
      s.state = &post.stateDims;
      s.stateDecls = &post.def->state;
      s.allowTime = true;
      s.synapseSides = true;
      s.modulator = modulator;
      s.postWhat = "postsynaptic neuron '" + post.def->name + "'";
      s.postParams = &post.paramDims;
      if (post.def->holdRefractoryInputs)
        s.heldBy = post.def;
      if (popIndexValid(info.pre) && net.populations[info.pre].neuron) {
        s.preState = &net.populations[info.pre].neuron->stateDims;
        s.preParams = &net.populations[info.pre].neuron->paramDims;
        s.preWhat = "presynaptic neuron '" + net.populations[info.pre].neuron->def->name + "'";
      } else {
        s.preWhat = "presynaptic population '" + c.pre.name + "' (a spike source)";
      }
      // Without a valid `onto` the model's uses of `target` cannot be checked; the error at the
      // connection says why.
      bool bodies = (!info.synapse || chooseTarget(c, info, post, s)) &&
                    (!c.modulatorPop || modulator);
      ok = ok && bodies;
      const auto &stmts = info.synapse ? info.synapse->def->onPre : c.onPre;
      unsigned before = diags_.errorCount();
      // Targets: the synapse's own variables and the postsynaptic neuron's state. A name in both
      // would be ambiguous, so it is refused where the synapse variable is declared.
      std::map<std::string, Dim> targets = post.stateDims;
      std::map<std::string, Dim> postTargets = post.stateDims;
      if (info.synapse) {
        const SynapseInfo &syn = *info.synapse;
        s.synState = &syn.stateDims;
        s.preTraces = &syn.preDims;
        s.postTraces = &syn.postDims;
        s.response = &syn.responseDims;
        s.synDecls = {&syn.def->state, &syn.def->preTraces, &syn.def->postTraces,
                      &syn.def->response};
        for (auto *decls : {&syn.def->state, &syn.def->preTraces, &syn.def->postTraces,
                            &syn.def->response})
          for (auto &b : *decls)
            if (post.stateDims.count(b.name))
              error(b.loc, "synapse variable '" + b.name + "' of '" + c.synapse +
                               "' has the name of a state variable of the postsynaptic neuron '" +
                               post.def->name + "'");
        for (auto &[name, d] : syn.stateDims) {
          targets[name] = d;
          postTargets[name] = d;
        }
        for (auto &[name, d] : syn.preDims)
          targets[name] = d;
        for (auto &[name, d] : syn.postDims)
          postTargets[name] = d;
        for (auto &[name, d] : syn.responseDims) {
          targets[name] = d;
          postTargets[name] = d;
        }
        if (s.target) {
          targets["target"] = *s.target;
          postTargets["target"] = *s.target;
        }
      }
      // Writes to the other side's traces are reported by checkTraceUpdates.
      auto withOthers = [&](std::map<std::string, Dim> t, bool pre) {
        if (info.synapse)
          for (auto &[name, d] : pre ? info.synapse->postDims : info.synapse->preDims)
            t[name] = d;
        return t;
      };
      if (bodies)
        checkAssignments(stmts, s, withOthers(targets, true),
                         "on_pre (targets are synapse variables and state variables of neuron '" +
                             post.def->name + "')");
      if (info.synapse && info.synapse->def->output && info.ontoInput)
        checkOutput(*info.synapse, s, post, info.onto);
      if (info.synapse && info.synapse->def->summed && info.ontoInput)
        checkSummed(c, info, s, post);
      if (info.synapse && bodies) {
        checkTraceUpdates(stmts, *info.synapse, true, "on_pre");
        if (info.synapse->def->hasOnPost) {
          s.context = "on_post";
          checkAssignments(info.synapse->def->onPost, s, withOthers(postTargets, false),
                           "on_post (targets are synapse variables, postsynaptic traces and "
                           "state variables of neuron '" + post.def->name + "')");
          checkTraceUpdates(info.synapse->def->onPost, *info.synapse, false, "on_post");
        }
        checkSynapseEquations(*info.synapse, s);
        if (!info.synapse->def->every.empty())
          checkSynapseEvery(c, *info.synapse, s);
      }
      if (diags_.errorCount() != before && info.synapse)
        note(c.loc, "in synapse '" + c.synapse + "' as used by this connection");
      ok = ok && diags_.errorCount() == before;
    }
    if (!ok)
      return;
    const std::string &preName = net.populations[info.pre].decl->name;
    const std::string &postName = net.populations[info.post].decl->name;
    // Projection names share the namespace of parameter owners with populations: keep them
    // distinct from both.
    auto taken = [&](const std::string &name) {
      return popDecls_.count(name) || connIndex_.count(name);
    };
    if (!c.name.empty()) {
      if (taken(c.name)) {
        error(c.nameLoc, "redefinition of '" + c.name + "'");
        return;
      }
      info.name = c.name;
    } else {
      info.name = preName + "_to_" + postName;
      for (int k = 1; taken(info.name); ++k)
        info.name = preName + "_to_" + postName + "_" + std::to_string(k);
    }
    connIndex_[info.name] = static_cast<uint32_t>(net.connections.size());
    net.connections.push_back(std::move(info));
  }

  /// Whether a synapse model uses the name `target` (the variable chosen with `onto`).
  static bool mentionsTarget(const ast::SynapseDef &syn) {
    std::function<bool(const ast::Expr &)> in = [&](const ast::Expr &e) {
      if (auto *n = ast::dyn_cast<ast::NameExpr>(&e))
        return n->side == ast::Side::None && n->name == "target";
      if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e))
        return in(*u->operand);
      if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e))
        return in(*b->lhs) || in(*b->rhs);
      if (auto *c = ast::dyn_cast<ast::CallExpr>(&e))
        return std::any_of(c->args.begin(), c->args.end(), [&](auto &a) { return in(*a); });
      return false;
    };
    for (auto *block : {&syn.onPre, &syn.onPost})
      for (auto &a : *block)
        if ((a.side == ast::Side::None && a.target == "target") || in(*a.value) ||
            std::any_of(a.guards.begin(), a.guards.end(),
                        [&](auto &g) { return in(*g.condition->cond); }))
          return true;
    return false;
  }

  /// `onto X`: a model with an output feeds input X of the postsynaptic neuron; a model that
  /// writes `target` acts on state variable X. Sets `s.target` for the latter.
  bool chooseTarget(const ast::ConnectDecl &c, ConnectionInfo &info, const NeuronInfo &post,
                    Scope &s) {
    const ast::SynapseDef &syn = *info.synapse->def;
    bool usesTarget = mentionsTarget(syn);
    const std::string &model = "synapse '" + syn.name + "'";
    const std::string &neuron = "neuron '" + post.def->name + "'";
    if (c.onto.empty()) {
      if (syn.output || syn.summed) {
        error(c.synapseLoc, model + " has " + (syn.output ? "an output" : "a summed value") +
                                "; choose the input of " + neuron +
                                " it feeds with 'onto <input>'");
        return false;
      }
      if (usesTarget) {
        error(c.synapseLoc, model + " acts on 'target'; choose the variable of " + neuron +
                                " it stands for with 'onto <variable>'");
        return false;
      }
      return true;
    }
    info.onto = c.onto;
    if (syn.output || syn.summed) {
      if (post.inputDims.count(c.onto)) {
        info.ontoInput = true;
        return true;
      }
      error(c.ontoLoc, "'" + c.onto + "' is not an input of " + neuron +
                           (post.def->inputs.empty()
                                ? " (it declares none; an output feeds a name declared in the "
                                  "neuron's 'inputs' block)"
                                : ""));
      return false;
    }
    if (!usesTarget) {
      error(c.ontoLoc, model + " has neither an output nor a 'target' for 'onto' to choose");
      return false;
    }
    if (auto it = post.stateDims.find(c.onto); it != post.stateDims.end()) {
      s.target = it->second;
      s.targetName = c.onto;
      return true;
    }
    if (post.inputDims.count(c.onto))
      error(c.ontoLoc, "'" + c.onto + "' is an input of " + neuron + "; only a synapse with an "
                       "output can feed it");
    else if (!declares(post.def->state, c.onto))
      error(c.ontoLoc, neuron + " has no state variable '" + c.onto + "'");
    return false;
  }

  /// `summed <expr>`: per synapse, from its variables and parameters, the neurons on both sides
  /// (not traces, which are brought up to date only at spikes); of the input's unit. An input is
  /// the sum of one connection only (Brian2 refuses two summed variables onto one target).
  void checkSummed(const ast::ConnectDecl &c, const ConnectionInfo &info, const Scope &events,
                   const NeuronInfo &post) {
    const SynapseInfo &syn = *info.synapse;
    Scope s = events;
    s.context = "a summed value";
    s.target.reset();
    auto t = checkExpr(*syn.def->summed, s);
    std::vector<NameRef> used;
    namesIn(*syn.def->summed, used);
    for (auto &r : used)
      if (r.kind == NameRef::Kind::PreTrace || r.kind == NameRef::Kind::PostTrace) {
        error(syn.def->summedLoc, "the summed value of synapse '" + syn.def->name +
                                      "' cannot read the trace '" + r.name + "': traces are "
                                      "brought up to date only at spikes");
        return;
      }
    Dim want = post.inputDims.at(info.onto);
    if (t && (t->isBool || t->dim != want))
      error(syn.def->summed->loc, "summed value of synapse '" + syn.def->name + "' has unit '" +
                                      (t->isBool ? std::string("boolean") : t->dim.str()) +
                                      "', but input '" + info.onto + "' of neuron '" +
                                      post.def->name + "' has unit '" + want.str() + "'");
    auto key = std::make_pair(info.post, info.onto);
    if (auto [it, fresh] = summedInputs_.emplace(key, c.ontoLoc); !fresh) {
      error(c.ontoLoc, "input '" + info.onto + "' of population '" + c.post.name +
                           "' is already the sum of another connection; a summed input has one "
                           "source");
      note(it->second, "the first is here");
    }
  }

  /// A synapse's output: an expression of its parameters, response variables and the
  /// postsynaptic neuron's state, with the unit of the input it feeds.
  void checkOutput(const SynapseInfo &syn, const Scope &events, const NeuronInfo &post,
                   const std::string &input) {
    Scope o = events;
    o.context = "an output";
    o.synState = nullptr; // per synapse: the output is computed per postsynaptic neuron
    o.preTraces = o.postTraces = nullptr;
    o.preState = nullptr;
    o.preParams = nullptr;
    o.target.reset();
    auto t = checkExpr(*syn.def->output, o);
    Dim want = post.inputDims.at(input);
    if (t && (t->isBool || t->dim != want))
      error(syn.def->output->loc, "output of synapse '" + syn.def->name + "' has unit '" +
                                      (t->isBool ? std::string("boolean") : t->dim.str()) +
                                      "', but input '" + input + "' of neuron '" +
                                      post.def->name + "' has unit '" + want.str() + "'");
  }

  /// `modulated by P[k].x`: one neuron's state variable, read by every synapse of the connection
  /// as `modulator` (a neuromodulator such as dopamine). Returns its unit.
  std::optional<Dim> chooseModulator(const ast::ConnectDecl &c, ConnectionInfo &info) {
    const ast::PopRef &ref = *c.modulatorPop;
    if (c.synapse.empty()) {
      error(ref.loc, "'modulated by' gives a synapse model its 'modulator'; an inline on_pre "
                     "names variables directly");
      return std::nullopt;
    }
    uint32_t pop = 0, begin = 0, end = 0;
    if (!popRange(ref, pop, begin, end))
      return std::nullopt;
    const PopulationInfo &p = result_.network.populations[pop];
    if (!p.neuron) {
      error(ref.loc, "'" + ref.name + "' is a spike source; a modulator is a state variable of "
                     "a neuron");
      return std::nullopt;
    }
    if (end - begin != 1) {
      error(ref.loc, "a modulator is the variable of one neuron, but '" + ref.name + "' selects " +
                         std::to_string(end - begin) + "; pick one with '" + ref.name + "[k]'");
      return std::nullopt;
    }
    auto d = p.neuron->stateDims.find(c.modulatorVar);
    if (d == p.neuron->stateDims.end()) {
      error(c.modulatorVarLoc, "'" + c.modulatorVar + "' is not a state variable of neuron '" +
                                   p.neuron->def->name + "'");
      return std::nullopt;
    }
    info.modulatorPop = static_cast<int>(pop);
    info.modulatorIndex = begin;
    info.modulatorVar = c.modulatorVar;
    return d->second;
  }

  /// Equations of per-synapse variables (integrated every step): they may use the synapse's
  /// parameters and variables, `modulator`, t and the neurons on either side, but not traces,
  /// which only exist at events.
  void checkSynapseEquations(const SynapseInfo &syn, Scope s) {
    s.preTraces = s.postTraces = s.response = nullptr;
    s.context = "a synapse equation";
    for (const ast::Equation *eq : syn.synapseEquations) {
      auto t = checkExpr(*eq->rhs, s);
      Dim want = syn.stateDims.at(eq->var) / dims::second();
      if (t && (t->isBool || t->dim != want))
        error(eq->rhs->loc, "right-hand side of 'd" + eq->var + "/dt' has unit '" +
                                (t->isBool ? std::string("boolean") : t->dim.str()) +
                                "', expected '" + want.str() + "'");
    }
  }

  /// A delay that varies between synapses: random (`uniform(1 ms, 3 ms)`) or a function of the
  /// synapse's pre and post indices i and j. Each synapse's value is rounded to the nearest step
  /// when the network is built (as Brian2 does): a continuous distribution has no whole-step
  /// values to insist on. Negative values that can be seen here are refused; the runtime refuses
  /// the others when it builds the synapses.
  bool checkSynapseDelay(const ast::Expr &e, ConnectionInfo &info) {
    static const std::vector<ast::Binding> none;
    static const std::map<std::string, Dim> noParams;
    setStateNames(nullptr);
    Scope s = paramScope(noParams, none, "a delay");
    s.allowInit = true;
    s.allowIndex = false;
    s.synapseIndices = true;
    auto t = checkExpr(e, s);
    if (!t)
      return false;
    if (t->isBool || t->dim != dims::second()) {
      error(e.loc, "delay must have unit 'second', got '" +
                       (t->isBool ? std::string("boolean") : t->dim.str()) + "'");
      return false;
    }
    // uniform(a, b) with constant bounds: a negative lower bound is a mistake visible now.
    if (auto *call = ast::dyn_cast<ast::CallExpr>(&e); call && call->args.size() == 2) {
      std::string why;
      SourceLoc where;
      auto lo = evalConst(*call->args[0], why, where, &result_.network.constants);
      if (call->callee == "uniform" && lo && lo->value < 0) {
        error(call->args[0]->loc, "delay must not be negative, but uniform() starts at " +
                                      fmtNum(lo->value * 1e3) + " ms");
        return false;
      }
      auto hi = evalConst(*call->args[1], why, where, &result_.network.constants);
      if (call->callee == "uniform" && lo && hi && hi->value < lo->value) {
        error(e.loc, "uniform(a, b) needs a <= b");
        return false;
      }
    }
    info.synapseDelay = &e;
    return true;
  }

  /// `synapse S(...) { w = ... }`: initial values replacing the synapse model's defaults.
  bool checkSynapseInit(const ast::ConnectDecl &c, ConnectionInfo &info) {
    const SynapseInfo &syn = *info.synapse;
    bool ok = true;
    std::map<std::string, Dim> dims;
    for (auto *b : info.synapseParams)
      if (syn.paramDims.count(b->name))
        dims[b->name] = syn.paramDims.at(b->name);
    Scope init = paramScope(dims, syn.def->params, "an initial value of a synapse");
    init.allowInit = true;
    init.allowIndex = false;
    init.synapseIndices = true;
    // A connection's initial values may also read the neurons on either side (`w = pre.x`,
    // `post.x` or a bare postsynaptic name) and the synapse variables declared before.
    const NetworkInfo &net = result_.network;
    init.synapseSides = true;
    if (popIndexValid(info.post) && net.populations[info.post].neuron) {
      const NeuronInfo &post = *net.populations[info.post].neuron;
      init.state = &post.stateDims;
      init.stateDecls = &post.def->state;
      init.postParams = &post.paramDims;
      init.postWhat = "postsynaptic neuron '" + post.def->name + "'";
    } else {
      init.postWhat = "postsynaptic population '" + c.post.name + "'";
    }
    if (popIndexValid(info.pre) && net.populations[info.pre].neuron) {
      const NeuronInfo &pre = *net.populations[info.pre].neuron;
      init.preState = &pre.stateDims;
      init.preParams = &pre.paramDims;
      init.preWhat = "presynaptic neuron '" + pre.def->name + "'";
    } else {
      init.preWhat = "presynaptic population '" + c.pre.name + "' (a spike source)";
    }
    std::map<std::string, const ast::Binding *> given;
    for (auto &b : c.synapseInit) {
      std::map<std::string, Dim> earlier;
      for (auto &decl : syn.def->state) {
        if (decl.name == b.name)
          break;
        if (auto d = syn.stateDims.find(decl.name); d != syn.stateDims.end())
          earlier[decl.name] = d->second;
      }
      init.synState = &earlier;
      auto t = checkExpr(*b.value, init);
      auto want = syn.stateDims.find(b.name);
      if (want == syn.stateDims.end()) {
        if (!declares(syn.def->state, b.name))
          error(b.loc, "'" + b.name + "' is not a variable of synapse '" + c.synapse + "'");
        ok = false;
        continue;
      }
      if (auto [it, fresh] = given.emplace(b.name, &b); !fresh) {
        error(b.loc, "initial value of '" + b.name + "' is given twice");
        note(it->second->loc, "first given here");
        ok = false;
        continue;
      }
      if (t && (t->isBool || t->dim != want->second)) {
        error(b.value->loc, "initial value of '" + b.name + "' has unit '" +
                                (t->isBool ? std::string("boolean") : t->dim.str()) +
                                "', expected '" + want->second.str() + "'");
        ok = false;
      }
    }
    std::set<std::string> seen;
    for (auto &b : syn.def->state) {
      if (!seen.insert(b.name).second)
        continue;
      auto g = given.find(b.name);
      info.synapseInit.push_back(g == given.end() ? &b : g->second);
    }
    return ok;
  }

  bool popIndexValid(uint32_t i) const {
    return i < result_.network.populations.size() && result_.network.def;
  }

  /// `runtime P.x`: x must be a parameter of population P's neuron, named once.
  void checkRuntimeParam(const ast::RuntimeParamDecl &d) {
    NetworkInfo &net = result_.network;
    auto pop = popIndex_.find(d.owner);
    if (pop == popIndex_.end()) {
      error(d.loc, connIndex_.count(d.owner)
                       ? "'" + d.owner + "' is a projection: run-time parameters are parameters "
                                         "of populations"
                       : "no population named '" + d.owner + "'");
      return;
    }
    const PopulationInfo &info = net.populations[pop->second];
    if (!info.neuron) {
      error(d.loc, "'" + d.owner + "' is a spike source: it has no parameters");
      return;
    }
    const ast::Binding *binding = nullptr;
    for (const ast::Binding *b : info.params)
      if (b->name == d.name)
        binding = b;
    if (!binding) {
      std::string known;
      for (const ast::Binding *b : info.params)
        known += (known.empty() ? "" : ", ") + b->name;
      error(d.nameLoc, "neuron '" + info.decl->model + "' of population '" + d.owner +
                           "' has no parameter '" + d.name + "'" +
                           (known.empty() ? std::string(" (it has none)")
                                          : " (it has " + known + ")"));
      return;
    }
    if (std::count(info.perNeuron.begin(), info.perNeuron.end(), d.name)) {
      error(d.nameLoc, "parameter '" + d.name + "' of population '" + d.owner + "' differs per "
                       "neuron: a run-time parameter has one value for the population");
      return;
    }
    for (auto &other : net.runtimeParams)
      if (other.pop == pop->second && other.name == d.name) {
        error(d.nameLoc, "'" + d.owner + "." + d.name + "' is declared run-time twice");
        note(other.loc, "first declared here");
        return;
      }
    RuntimeParamInfo r;
    r.decl = &d;
    r.loc = d.nameLoc;
    r.pop = pop->second;
    r.name = d.name;
    auto t = result_.types.find(binding->value.get());
    if (t != result_.types.end())
      r.dim = t->second.dim;
    net.runtimeParams.push_back(std::move(r));
  }

  void checkRecord(const ast::RecordDecl &r) {
    NetworkInfo &net = result_.network;
    RecordInfo info;
    info.decl = &r;
    info.spikes = r.spikes;
    if (!r.spikes && !popIndex_.count(r.pop.name) && connIndex_.count(r.pop.name)) {
      checkSynapseRecord(r, info);
      return;
    }
    if (!popRange(r.pop, info.pop, info.begin, info.end))
      return;
    if (r.final && r.every) {
      error(r.every->loc, "a 'final' record takes no interval");
      return;
    }
    info.everySteps = r.final ? 0 : 1;
    info.rate = r.rate;
    if (r.rate) {
      if (r.every && !recordInterval(*r.every, info.everySteps))
        return;
      net.records.push_back(std::move(info));
      return;
    }
    if (!r.spikes) {
      if (!net.populations[info.pop].neuron) {
        error(r.varLoc, "'" + r.pop.name + "' is a spike source and has no state variables");
        return;
      }
      const NeuronInfo &neuron = *net.populations[info.pop].neuron;
      if (!neuron.stateDims.count(r.var)) {
        if (declares(neuron.def->state, r.var))
          return; // declared, but its initial value is invalid (already reported)
        error(r.varLoc, "'" + r.var + "' is not a state variable of neuron '" +
                            neuron.def->name + "'");
        return;
      }
      info.var = r.var;
      if (r.every && !recordInterval(*r.every, info.everySteps))
        return;
    }
    net.records.push_back(std::move(info));
  }

  /// `every T` in steps; false (reported) if T is not a positive multiple of dt.
  bool recordInterval(const ast::Expr &every, uint32_t &steps) {
    const NetworkInfo &net = result_.network;
    auto d = duration(every, "record interval");
    // With an invalid dt (already reported) the interval cannot be judged.
    if (!d || !dtValid_)
      return false;
    double exact = *d / net.dt;
    double rounded = std::round(exact);
    if (rounded < 1 || rounded > 2147483647.0 || std::fabs(exact - rounded) > 1e-6 * rounded) {
      error(every.loc, "record interval " + fmtNum(*d * 1e3) + " ms is not a positive multiple of dt (" +
                           fmtNum(net.dt * 1e3) + " ms)");
      return false;
    }
    steps = static_cast<uint32_t>(rounded);
    return true;
  }

  /// `record ee.w every T` or `record final ee.w`: a variable of every synapse of a connection.
  void checkSynapseRecord(const ast::RecordDecl &r, RecordInfo &info) {
    NetworkInfo &net = result_.network;
    const ConnectionInfo &conn = net.connections[connIndex_.at(r.pop.name)];
    info.synapses = true;
    info.pop = connIndex_.at(r.pop.name);
    if (r.pop.slice) {
      error(r.pop.slice->loc, "a record of synapse variables takes no slice: it records every "
                              "synapse of '" + r.pop.name + "'");
      return;
    }
    if (!conn.synapse || !conn.synapse->stateDims.count(r.var)) {
      if (conn.synapse && declares(conn.synapse->def->state, r.var))
        return; // declared, but its initial value is invalid (already reported)
      error(r.varLoc, "'" + r.var + "' is not a variable of the synapses of '" + r.pop.name + "'");
      return;
    }
    info.var = r.var;
    if (r.final && r.every) {
      error(r.every->loc, "a 'final' record takes no interval");
      return;
    }
    if (!r.final && !r.every) {
      error(r.loc, "recording a synapse variable needs 'every T' or 'final' (every step of every "
                   "synapse is rarely what is wanted)");
      return;
    }
    info.everySteps = 0;
    if (r.every && !recordInterval(*r.every, info.everySteps))
      return;
    net.records.push_back(std::move(info));
  }

  const ast::Program &program_;
  SourceManager &sm_;
  DiagnosticEngine &diags_;
  SemaResult result_;
  std::map<std::string, uint32_t> popIndex_;
  std::map<std::string, uint32_t> connIndex_; // connections by name
  std::map<std::string, SourceLoc> popDecls_;  // every population declared, valid or not
  std::map<std::pair<uint32_t, std::string>, SourceLoc> summedInputs_; // (post, input)
  std::set<std::string> invalidPops_;          // declared but rejected (already reported)
  std::set<std::string> invalidArrays_;        // timed arrays rejected (already reported)
  bool dtValid_ = true;
  std::set<std::string> currentStateNames_;
  std::set<std::tuple<uint32_t, uint32_t, uint32_t, std::string>> reported_;
  /// Network constants read where the network is built or initialised: the first such use of
  /// each, with what it was (a change between runs would not reach it).
  std::map<std::string, std::pair<SourceLoc, std::string>> buildUses_;
};

} // namespace

std::optional<SemaResult> analyze(const ast::Program &program, SourceManager &sm,
                                  DiagnosticEngine &diags) {
  return Analyzer(program, sm, diags).run();
}

} // namespace snn
