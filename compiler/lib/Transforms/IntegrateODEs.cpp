// integrate-odes (see IntegrateODEs.h). The pass classifies each population's system of equations
// symbolically on the folded IR (parameters are numbers by now), then emits the update for the
// chosen method. All methods first bind what they need from the state at the start of the step
// (`let`s) and only then store, so the order of equations never matters.
#include "snn/Transforms/IntegrateODEs.h"

#include "snn/IR/IRPrinter.h"
#include "snn/IR/Simplify.h"
#include "snn/Transforms/MatrixExp.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace snn::transforms {
namespace {

using namespace ir;

/// Identifies the unknowns of a linearisation: returns a key for a leaf that is an unknown.
using UnknownKey = std::function<std::optional<uint64_t>(const Expr &)>;

bool mentions(const Expr &e, const UnknownKey &key) {
  if (key(e))
    return true;
  for (auto &a : e.args)
    if (mentions(*a, key))
      return true;
  return false;
}

bool mentionsOp(const Expr &e, Op op) {
  if (e.op == op)
    return true;
  for (auto &a : e.args)
    if (mentionsOp(*a, op))
      return true;
  return false;
}

/// e = sum_k coeff[k] * unknown_k + rest, with coefficients and rest free of unknowns.
struct Linear {
  std::map<uint64_t, ExprRef> coeff;
  ExprRef rest;
};

std::optional<Linear> linearize(const ExprRef &e, const UnknownKey &key) {
  if (!mentions(*e, key))
    return Linear{{}, e};
  if (auto k = key(*e))
    return Linear{{{*k, real(1)}}, real(0)};
  auto scale = [](Linear l, Op op, const ExprRef &by) {
    for (auto &[k, c] : l.coeff)
      c = binary(op, c, by);
    l.rest = binary(op, l.rest, by);
    return l;
  };
  switch (e->op) {
  case Op::Neg: {
    auto l = linearize(e->args[0], key);
    if (!l)
      return l;
    for (auto &[k, c] : l->coeff)
      c = unary(Op::Neg, c);
    l->rest = unary(Op::Neg, l->rest);
    return l;
  }
  case Op::Add:
  case Op::Sub: {
    auto l = linearize(e->args[0], key);
    auto r = linearize(e->args[1], key);
    if (!l || !r)
      return std::nullopt;
    for (auto &[k, c] : r->coeff) {
      auto it = l->coeff.find(k);
      l->coeff[k] = it == l->coeff.end() ? (e->op == Op::Add ? c : unary(Op::Neg, c))
                                         : binary(e->op, it->second, c);
    }
    l->rest = binary(e->op, l->rest, r->rest);
    return l;
  }
  case Op::Mul: {
    auto l = linearize(e->args[0], key);
    auto r = linearize(e->args[1], key);
    if (!l || !r)
      return std::nullopt;
    if (l->coeff.empty())
      return scale(*r, Op::Mul, l->rest);
    if (r->coeff.empty())
      return scale(*l, Op::Mul, r->rest);
    return std::nullopt;
  }
  case Op::Div: {
    if (mentions(*e->args[1], key))
      return std::nullopt;
    auto l = linearize(e->args[0], key);
    if (!l)
      return l;
    return scale(*l, Op::Div, e->args[1]);
  }
  default:
    return std::nullopt;
  }
}

/// Replaces loads of the system's variables and the time, for evaluating a right-hand side at an
/// intermediate stage.
ExprRef substitute(const ExprRef &e, uint32_t pop, bool onSynapse,
                   const std::map<uint32_t, ExprRef> &vars, const ExprRef &time) {
  return mapExpr(e, [&](const ExprRef &n) -> ExprRef {
    if (n->op == Op::Load && n->onSynapse == onSynapse && n->pop == pop) {
      auto it = vars.find(n->var);
      if (it != vars.end())
        return it->second;
    }
    if (n->op == Op::Time && time)
      return time;
    return n;
  });
}

bool constantValue(const ExprRef &e, double &v) { return isConst(*simplify(e), &v); }

bool hasNonFinite(const Expr &e) {
  if (e.op == Op::Const && !std::isfinite(e.value))
    return true;
  double d;
  if (e.op == Op::Div && isConst(*e.args[1], &d) && d == 0)
    return true;
  for (auto &a : e.args)
    if (hasNonFinite(*a))
      return true;
  return false;
}

class Integrator {
public:
  Integrator(Module &m, DiagnosticEngine &d) : m_(m), diags_(d) {}

  void run() {
    for (auto &k : m_.step) {
      if (k.phase == Phase::Update)
          for (auto &s : k.body) {
          if (s->kind == Stmt::Kind::Loop && k.pop >= 0)
            lowerLoop(s->body, static_cast<uint32_t>(k.pop));
          // A projection's synapse equations: loop %pre { for_synapses ... { ode ... } }.
          if (s->kind == Stmt::Kind::Loop && k.proj >= 0)
            for (auto &row : s->body)
              if (row->kind == Stmt::Kind::ForRow)
                lowerLoop(row->body, static_cast<uint32_t>(k.proj), /*onSynapse=*/true);
        }
      lowerTraces(k.body);
    }
  }

  /// Event-driven traces: x' = a x + b with constant a, b is advanced exactly over the time since
  /// the neuron's last event, x <- x e^(a s) + b (e^(a s) - 1)/a with s = t - t_last (the
  /// compiler folds a and b; the runtime pays one exp per advance, and nothing between events).
  void lowerTraces(Block &b) {
    for (auto &s : b) {
      lowerTraces(s->body);
      lowerTraces(s->elseBody);
      if (s->kind != Stmt::Kind::AdvanceTrace)
        continue;
      ExprRef value = simplify(s->value);
      uint32_t pop = s->pop, var = s->var;
      bool onSynapse = s->onSynapse; // a trace kept per synapse (per-synapse delays)
      UnknownKey own = [&](const Expr &e) -> std::optional<uint64_t> {
        if (e.op == Op::Load && e.onSynapse == onSynapse && e.pop == pop && e.var == var)
          return e.var;
        return std::nullopt;
      };
      auto lin = linearize(value, own);
      double a = 0, c = 0;
      bool ok = lin && !mentionsOp(*lin->rest, Op::Time) &&
                (lin->coeff.empty() || constantValue(lin->coeff.begin()->second, a)) &&
                constantValue(lin->rest, c);
      std::string name = onSynapse ? m_.projections[pop].vars[var].name
                                   : m_.populations[pop].vars[var].name;
      if (!ok) {
        error(s->loc, "trace '" + name.substr(name.rfind('_') + 1) + "' must be linear with "
                      "constant coefficients to be integrated between events");
        s = makeNote("invalid trace");
        continue;
      }
      auto at = [&](uint32_t v) {
        return onSynapse ? loadSynapse(pop, v, s->index) : load(pop, v, Type::Real, s->index);
      };
      ExprRef x = at(var);
      ExprRef since = binary(Op::Sub, timeNow(), at(s->timeVar));
      ExprRef next;
      if (a == 0) {
        next = binary(Op::Add, x, binary(Op::Mul, real(c), since));
      } else {
        ExprRef decay = call("exp", {binary(Op::Mul, real(a), since)});
        next = binary(Op::Mul, x, decay);
        if (c != 0)
          next = binary(Op::Add, next,
                        binary(Op::Mul, real(c / a), binary(Op::Sub, decay, real(1))));
      }
      if (!s->name.empty()) // the value at t into a local, the trace left as it is
        s = makeLet(s->name, simplify(next));
      else
        s = onSynapse ? makeStoreSynapse(pop, var, s->index, simplify(next))
                      : makeStore(pop, var, s->index, simplify(next));
    }
  }

private:
  // ---- per-population system --------------------------------------------------------------
  struct System {
    uint32_t pop;                   // population, or projection when onSynapse
    bool onSynapse = false;         // the equations of a projection's synapse variables
    std::vector<uint32_t> vars;     // state variable of each equation
    std::vector<ExprRef> rhs;       // deterministic part
    std::vector<ExprRef> noiseGain; // coefficient of xi, or null
    std::vector<ExprRef> noise;     // the xi random number of the equation, or null
    std::vector<bool> frozen;       // `unless refractory`
    std::vector<SourceLoc> locs;    // each equation, for diagnostics
    ExprRef index;
  };

  const std::vector<Var> &vars(const System &s) const {
    return s.onSynapse ? m_.projections[s.pop].vars : m_.populations[s.pop].vars;
  }
  const std::string &ownerName(const System &s) const {
    return s.onSynapse ? m_.projections[s.pop].name : m_.populations[s.pop].name;
  }
  /// "neuron 'LIF'" or "the synapses of projection 'ab'", for messages.
  std::string model(const System &s) const {
    return s.onSynapse ? "the synapses of projection '" + ownerName(s) + "'"
                       : "neuron '" + m_.populations[s.pop].model + "'";
  }
  /// Synapse equations have no method of their own: the compiler chooses.
  Method method(const System &s) const {
    return s.onSynapse ? Method::Auto : m_.populations[s.pop].method;
  }
  SourceLoc methodLoc(const System &s) const {
    return s.onSynapse ? SourceLoc{} : m_.populations[s.pop].methodLoc;
  }
  std::string varName(const System &s, size_t k) const { return vars(s)[s.vars[k]].name; }
  std::string qualified(const System &s, size_t k) const {
    return "d" + ownerName(s) + "." + varName(s, k) + "/dt";
  }
  ExprRef x(const System &s, size_t k) const {
    return s.onSynapse ? loadSynapse(s.pop, s.vars[k], s.index)
                       : load(s.pop, s.vars[k], Type::Real, s.index);
  }
  ExprRef notRefractory() const { return local("not_refractory", Type::Bool); }

  /// Several populations of one neuron model share its equations: report each problem once.
  void error(SourceLoc loc, const std::string &msg) {
    if (reported_.insert(msg).second)
      diags_.error(loc, msg);
  }

  void lowerLoop(Block &body, uint32_t popIndex, bool onSynapse = false) {
    System sys;
    sys.pop = popIndex;
    sys.onSynapse = onSynapse;
    Block rest;
    size_t insertAt = SIZE_MAX;
    for (auto &s : body) {
      if (s->kind != Stmt::Kind::Ode) {
        rest.push_back(std::move(s));
        continue;
      }
      insertAt = std::min(insertAt, rest.size());
      sys.vars.push_back(s->var);
      sys.rhs.push_back(simplify(s->value));
      sys.frozen.push_back(s->unlessRefractory);
      sys.locs.push_back(s->loc);
      sys.index = s->index;
    }
    if (sys.vars.empty()) {
      body = std::move(rest);
      return;
    }
    Block lowered = integrate(sys);
    Block result;
    for (size_t i = 0; i <= rest.size(); ++i) {
      if (i == insertAt)
        for (auto &s : lowered)
          result.push_back(std::move(s));
      if (i < rest.size())
        result.push_back(std::move(rest[i]));
    }
    body = std::move(result);
  }

  Block integrate(System &sys) {
    size_t n = sys.vars.size();

    // Separate white noise: each right-hand side must be affine in its xi.
    UnknownKey noiseKey = [](const Expr &e) -> std::optional<uint64_t> {
      if (e.op == Op::Rand && e.perStep && e.dist == RandDist::Normal)
        return e.stream;
      return std::nullopt;
    };
    bool stochastic = false;
    sys.noiseGain.assign(n, nullptr);
    sys.noise.assign(n, nullptr);
    for (size_t k = 0; k < n; ++k) {
      if (!mentions(*sys.rhs[k], noiseKey))
        continue;
      auto lin = linearize(sys.rhs[k], noiseKey);
      if (!lin) {
        error(sys.locs[k], "white noise 'xi' must enter 'd" + varName(sys, k) + "/dt' of " +
                               model(sys) + " linearly (as a term gain*xi)");
        return {};
      }
      stochastic = true;
      sys.rhs[k] = simplify(lin->rest);
      auto [stream, gain] = *lin->coeff.begin();
      sys.noiseGain[k] = simplify(gain);
      sys.noise[k] = rand(RandDist::Normal, stream, sys.index, /*perStep=*/true);
    }

    // A parameter that folds to inf or NaN (a time constant of 0) would silently fill the state
    // with NaN: refuse it where the equation is written.
    for (size_t k = 0; k < n; ++k)
      if (hasNonFinite(*sys.rhs[k]) || (sys.noiseGain[k] && hasNonFinite(*sys.noiseGain[k]))) {
        error(sys.locs[k], "the right-hand side of 'd" + varName(sys, k) + "/dt' of " +
                               model(sys) + " is not finite once parameters are substituted (a "
                               "division by zero, e.g. a time constant of 0?)");
        return {};
      }

    Method method = this->method(sys);
    if (stochastic) {
      if (method != Method::Auto && method != Method::Euler) {
        error(methodLoc(sys), std::string("integration method '") + methodName(method) +
                                  "' does not apply to the stochastic equations of " +
                                  model(sys) + " (they contain xi); use 'euler' (Euler-Maruyama)");
        return {};
      }
      return eulerMaruyama(sys);
    }

    // Classification on the deterministic system.
    std::set<uint32_t> varSet(sys.vars.begin(), sys.vars.end());
    UnknownKey stateKey = [&](const Expr &e) -> std::optional<uint64_t> {
      if (e.op == Op::Load && e.onSynapse == sys.onSynapse && e.pop == sys.pop &&
          varSet.count(e.var))
        return e.var;
      return std::nullopt;
    };
    std::vector<Linear> linear;
    std::string notLinear, whyNotLinear;
    const RuntimeParam *runtimeCoeff = nullptr; // a run-time parameter in a coefficient
    for (size_t k = 0; k < n && notLinear.empty(); ++k) {
      auto lin = linearize(sys.rhs[k], stateKey);
      double c;
      bool ok = lin.has_value();
      if (ok)
        for (auto &[var, coeff] : lin->coeff) {
          // A coefficient of run-time parameters only: exact, with run-time propagators.
          bool runtime = !constantValue(coeff, c) && onlyRuntimeParams(*coeff);
          if (runtime && !runtimeCoeff)
            runtimeCoeff = runtimeParamIn(*coeff);
          ok = ok && (constantValue(coeff, c) || runtime);
        }
      if (!ok) {
        notLinear = varName(sys, k);
        whyNotLinear = "is not linear with constant coefficients in the state variables";
      } else if (mentionsOp(*lin->rest, Op::Time)) {
        notLinear = varName(sys, k);
        whyNotLinear = "depends on the time t";
      } else {
        linear.push_back(*lin);
      }
    }
    std::string notCondLinear;
    for (size_t k = 0; k < n && notCondLinear.empty(); ++k) {
      uint32_t own = sys.vars[k];
      UnknownKey ownKey = [&](const Expr &e) -> std::optional<uint64_t> {
        if (e.op == Op::Load && e.onSynapse == sys.onSynapse && e.pop == sys.pop && e.var == own)
          return e.var;
        return std::nullopt;
      };
      if (!linearize(sys.rhs[k], ownKey))
        notCondLinear = varName(sys, k);
    }

    if (runtimeCoeff && sys.onSynapse && notLinear.empty() &&
        (method == Method::Auto || method == Method::Exact)) {
      // Without the parameter fixed, the system would silently leave exact integration.
      error(runtimeCoeff->loc,
            "run-time parameter '" + qualifiedName(*runtimeCoeff) + "' is a coefficient of the synapse equations of " +
                model(sys) + ", which are integrated exactly with propagators computed at "
                "compile time; make it a compile-time parameter, or choose a method that "
                "evaluates it every step (method = exponential_euler, rk4, rk2 or euler)");
      return {};
    }
    if (method == Method::Auto)
      method = notLinear.empty()       ? Method::Exact
               : notCondLinear.empty() ? Method::ExponentialEuler
                                       : Method::RK4;
    if (method == Method::Exact && !notLinear.empty()) {
      error(methodLoc(sys), "integration method 'exact' does not apply to " + model(sys) +
                                ": 'd" + notLinear + "/dt' " + whyNotLinear);
      return {};
    }
    if (method == Method::ExponentialEuler && !notCondLinear.empty()) {
      error(methodLoc(sys), "integration method 'exponential_euler' does not apply to " +
                                model(sys) + ": 'd" + notCondLinear + "/dt' is not linear in '" +
                             notCondLinear + "'");
      return {};
    }
    switch (method) {
    case Method::Exact: return exact(sys, linear);
    case Method::ExponentialEuler: return exponentialEuler(sys);
    case Method::RK4: return rungeKutta(sys, 4);
    case Method::RK2: return rungeKutta(sys, 2);
    case Method::Euler:
    case Method::Auto: return rungeKutta(sys, 1);
    }
    return {};
  }

  /// `unless refractory` for the explicit methods: the derivative is zero while refractory, as in
  /// Brian2 (which multiplies it by not_refractory).
  ExprRef gated(const System &s, size_t k, const ExprRef &f) const {
    return s.frozen[k] ? select(notRefractory(), f, real(0)) : f;
  }

  void note(Block &out, const System &s, const std::string &what) {
    for (size_t k = 0; k < s.vars.size(); ++k)
      out.push_back(makeNote(qualified(s, k) + ": " + what));
  }

  /// Whether `e` is built from constants and run-time parameters only.
  bool onlyRuntimeParams(const Expr &e) const {
    if (e.op == Op::Load)
      return runtimeParamIn(e) != nullptr;
    if (e.op == Op::Local || e.op == Op::Time || e.op == Op::Rand || e.op == Op::Table)
      return false;
    for (auto &a : e.args)
      if (!onlyRuntimeParams(*a))
        return false;
    return true;
  }

  /// The run-time parameter whose scalar variable `e` reads, if any.
  const RuntimeParam *runtimeParamIn(const Expr &e) const {
    if (e.op == Op::Load && !e.onSynapse)
      for (auto &rp : m_.runtimeParams)
        if (rp.pop == e.pop && rp.var == e.var)
          return &rp;
    for (auto &a : e.args)
      if (auto *r = runtimeParamIn(*a))
        return r;
    return nullptr;
  }

  // ---- exact ------------------------------------------------------------------------------
  /// A variable whose equation involves only itself (x' = a x + b) gets its propagator from the
  /// scalar formulas exp(a dt) and expm1(a dt)/a, correctly rounded by libm, rather than from the
  /// series: independent decays are then exactly what a hand-written model would use.
  void exactDecoupledRows(const Matrix &a, Matrix &phi, Matrix &gamma) const {
    size_t n = a.size();
    for (size_t k = 0; k < n; ++k) {
      bool decoupled = true;
      for (size_t j = 0; j < n; ++j)
        decoupled = decoupled && (j == k || a[k][j] == 0);
      if (!decoupled)
        continue;
      double z = a[k][k] * m_.dt;
      std::fill(phi[k].begin(), phi[k].end(), 0.0);
      std::fill(gamma[k].begin(), gamma[k].end(), 0.0);
      phi[k][k] = std::exp(z);
      gamma[k][k] = a[k][k] == 0 ? m_.dt : std::expm1(z) / a[k][k];
    }
  }

  /// The update of an exact system whose propagators the runtime computes: the same sums as the
  /// compile-time path (phi x over every j, then gamma b over the varying b_j, then the folded
  /// constant), with the matrices read from scalar variables, so a run-time value gives the
  /// bits of compiling it in.
  Block exactAtRunTime(const System &s, Block out, const std::vector<ExprRef> &coeffs,
                       const std::vector<ExprRef> &bValue, bool anyFrozen) {
    size_t n = s.vars.size();
    Population &pop = m_.populations[s.pop];
    RuntimeSystem rs;
    rs.pop = s.pop;
    rs.n = static_cast<uint32_t>(n);
    rs.coeffs = coeffs;
    rs.frozen = s.frozen;
    for (size_t j = 0; j < n; ++j) {
      double c;
      rs.bConst.push_back(isConst(*bValue[j], &c) ? c : std::nan(""));
    }
    std::string tag = "_prop" + std::to_string(m_.runtimeSystems.size()) + "_";
    auto vars = [&](const std::string &what, size_t count) {
      std::vector<uint32_t> out;
      for (size_t k = 0; k < count; ++k) {
        out.push_back(static_cast<uint32_t>(pop.vars.size()));
        pop.vars.push_back({tag + what + std::to_string(k), Type::Real, /*scalar=*/true});
      }
      return out;
    };
    rs.phi = vars("phi", n * n);
    rs.gamma = vars("gamma", n * n);
    rs.constant = vars("c", n);
    if (anyFrozen) {
      rs.phiR = vars("phiR", n * n);
      rs.gammaR = vars("gammaR", n * n);
      rs.constantR = vars("cR", n);
    }
    // Entries that are zero whatever the parameters are left out, as the compile-time path
    // leaves out zeros: phi_kj and gamma_kj vanish unless x_j influences x_k through A (the
    // transitive closure of its pattern); while refractory, frozen rows have no influence.
    auto closure = [&](bool refractory) {
      std::vector<std::vector<bool>> r(n, std::vector<bool>(n, false));
      for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) {
          double c;
          bool zero = constantValue(coeffs[i * n + j], c) && c == 0;
          r[i][j] = i == j || (!zero && !(refractory && s.frozen[i]));
        }
      for (size_t m = 0; m < n; ++m)
        for (size_t i = 0; i < n; ++i)
          for (size_t j = 0; j < n; ++j)
            r[i][j] = r[i][j] || (r[i][m] && r[m][j]);
      return r;
    };
    auto reach = closure(false), reachR = closure(true);
    auto at = [&](uint32_t var) { return load(s.pop, var, Type::Real, integer(0)); };
    auto row = [&](const std::vector<uint32_t> &ph, const std::vector<uint32_t> &ga,
                   const std::vector<uint32_t> &cst, const std::vector<std::vector<bool>> &r,
                   bool frozenRow, size_t k) {
      ExprRef sum;
      auto add = [&sum](ExprRef term) { sum = sum ? binary(Op::Add, sum, term) : term; };
      for (size_t j = 0; j < n; ++j)
        if (r[k][j])
          add(binary(Op::Mul, at(ph[k * n + j]), x(s, j)));
      if (frozenRow) // no input while refractory: gamma's row and the constant are zero
        return sum;
      for (size_t j = 0; j < n; ++j)
        if (r[k][j] && !isConst(*bValue[j]))
          add(binary(Op::Mul, at(ga[k * n + j]), bValue[j]));
      add(at(cst[k]));
      return sum;
    };
    std::vector<ExprRef> next(n);
    for (size_t k = 0; k < n; ++k) {
      next[k] = row(rs.phi, rs.gamma, rs.constant, reach, false, k);
      // A row that is not frozen and that no frozen variable feeds evolves the same way.
      bool same = !s.frozen[k];
      for (size_t j = 0; j < n; ++j)
        same = same && !(reach[k][j] && s.frozen[j]);
      if (anyFrozen && !same)
        next[k] = select(notRefractory(), next[k],
                         row(rs.phiR, rs.gammaR, rs.constantR, reachR, s.frozen[k], k));
    }
    m_.runtimeSystems.push_back(std::move(rs));
    return store(s, std::move(out), next);
  }

  Block exact(const System &s, const std::vector<Linear> &lin) {
    size_t n = s.vars.size();
    std::map<uint32_t, size_t> pos;
    for (size_t k = 0; k < n; ++k)
      pos[s.vars[k]] = k;
    Matrix a(n, std::vector<double>(n, 0.0));
    std::vector<ExprRef> coeffs(n * n, real(0));
    bool runtimeA = false;
    std::vector<ExprRef> b(n);
    for (size_t k = 0; k < n; ++k) {
      for (auto &[var, coeff] : lin[k].coeff) {
        size_t j = pos[static_cast<uint32_t>(var)];
        ExprRef c = simplify(coeff);
        coeffs[k * n + j] = c;
        if (!constantValue(c, a[k][j]))
          runtimeA = true;
      }
      b[k] = simplify(lin[k].rest);
    }
    Block out;
    note(out, s, "exact (linear system of " + std::to_string(n) + ", propagator exp(A*dt)" +
                     (runtimeA ? ", computed at run time from run-time parameters)" : ")"));
    // Inhomogeneous terms that vary at run time (state without an equation) are bound once.
    std::vector<ExprRef> bValue(n);
    for (size_t k = 0; k < n; ++k) {
      double c;
      if (constantValue(b[k], c)) {
        bValue[k] = real(c);
      } else {
        std::string name = "b_" + varName(s, k);
        out.push_back(makeLet(name, b[k]));
        bValue[k] = local(name, Type::Real);
      }
    }
    bool anyFrozen = std::find(s.frozen.begin(), s.frozen.end(), true) != s.frozen.end();
    if (runtimeA)
      return exactAtRunTime(s, std::move(out), coeffs, bValue, anyFrozen);
    Matrix phi, gamma;
    propagators(a, m_.dt, phi, gamma);
    exactDecoupledRows(a, phi, gamma);
    Matrix phiR, gammaR;
    if (anyFrozen) {
      // Refractory neurons: frozen variables have zero derivative, the rest evolve as before.
      Matrix aR = a;
      for (size_t k = 0; k < n; ++k)
        if (s.frozen[k])
          std::fill(aR[k].begin(), aR[k].end(), 0.0);
      propagators(aR, m_.dt, phiR, gammaR);
      exactDecoupledRows(aR, phiR, gammaR);
      for (size_t k = 0; k < n; ++k)
        if (s.frozen[k])
          std::fill(gammaR[k].begin(), gammaR[k].end(), 0.0);
    }
    auto row = [&](const Matrix &ph, const Matrix &ga, size_t k) {
      ExprRef sum;
      auto add = [&sum](ExprRef term) { sum = sum ? binary(Op::Add, sum, term) : term; };
      for (size_t j = 0; j < n; ++j)
        if (ph[k][j] != 0)
          add(ph[k][j] == 1 ? x(s, j) : binary(Op::Mul, real(ph[k][j]), x(s, j)));
      double constant = 0;
      for (size_t j = 0; j < n; ++j) {
        if (ga[k][j] == 0)
          continue;
        double c;
        if (isConst(*bValue[j], &c))
          constant += ga[k][j] * c;
        else
          add(binary(Op::Mul, real(ga[k][j]), bValue[j]));
      }
      if (constant != 0 || !sum)
        add(real(constant));
      return sum;
    };
    std::vector<ExprRef> next(n);
    for (size_t k = 0; k < n; ++k) {
      next[k] = row(phi, gamma, k);
      if (anyFrozen) {
        bool same = phi[k] == phiR[k] && gamma[k] == gammaR[k];
        if (!same)
          next[k] = select(notRefractory(), next[k], row(phiR, gammaR, k));
      }
    }
    return store(s, std::move(out), next);
  }

  // ---- exponential Euler ------------------------------------------------------------------
  Block exponentialEuler(const System &s) {
    size_t n = s.vars.size();
    Block out;
    note(out, s, "exponential euler");
    std::vector<ExprRef> next(n);
    for (size_t k = 0; k < n; ++k) {
      uint32_t own = s.vars[k];
      UnknownKey ownKey = [&](const Expr &e) -> std::optional<uint64_t> {
        if (e.op == Op::Load && e.onSynapse == s.onSynapse && e.pop == s.pop && e.var == own)
          return e.var;
        return std::nullopt;
      };
      auto lin = linearize(s.rhs[k], ownKey);
      ExprRef a = lin->coeff.count(own) ? simplify(lin->coeff.at(own)) : real(0);
      std::string f = "f_" + varName(s, k);
      out.push_back(makeLet(f, s.rhs[k]));
      double av;
      if (constantValue(a, av)) {
        // Constant a: the factor dt*phi1(a*dt) is a number (dt itself when a == 0).
        double factor = av == 0 ? m_.dt : std::expm1(av * m_.dt) / av;
        next[k] = binary(Op::Add, x(s, k), binary(Op::Mul, real(factor), local(f, Type::Real)));
      } else {
        // x + dt*f*exprel(a*dt), exprel(z) = (exp(z) - 1)/z: exact when a and the rest of f are
        // constant over the step, and well defined as a*dt -> 0.
        std::string an = "a_" + varName(s, k);
        out.push_back(makeLet(an, a));
        ExprRef z = binary(Op::Mul, local(an, Type::Real), real(m_.dt));
        next[k] = binary(Op::Add, x(s, k),
                         binary(Op::Mul,
                                binary(Op::Mul, real(m_.dt), local(f, Type::Real)),
                                call("exprel", {z})));
      }
      if (s.frozen[k])
        next[k] = select(notRefractory(), next[k], x(s, k));
    }
    return store(s, std::move(out), next);
  }

  // ---- explicit Runge-Kutta (Euler, midpoint RK2, classical RK4) ---------------------------
  Block rungeKutta(const System &s, int order) {
    size_t n = s.vars.size();
    Block out;
    note(out, s, order == 4 ? "rk4" : order == 2 ? "rk2 (midpoint)" : "forward euler");
    double dt = m_.dt;
    // Stage c: derivatives at the state x + c*dt*k_prev and time t + c*dt.
    auto stage = [&](const std::string &prefix, const std::string &prevPrefix, double c) {
      std::map<uint32_t, ExprRef> subst;
      if (!prevPrefix.empty())
        for (size_t j = 0; j < n; ++j) {
          std::string sn = "s" + prefix.substr(1) + "_" + varName(s, j);
          out.push_back(makeLet(sn, binary(Op::Add, x(s, j),
                                           binary(Op::Mul, real(c * dt),
                                                  local(prevPrefix + "_" + varName(s, j),
                                                        Type::Real)))));
          subst[s.vars[j]] = local(sn, Type::Real);
        }
      ExprRef time = c == 0 ? nullptr : binary(Op::Add, timeNow(), real(c * dt));
      for (size_t k = 0; k < n; ++k)
        out.push_back(makeLet(prefix + "_" + varName(s, k),
                              simplify(gated(s, k, substitute(s.rhs[k], s.pop, s.onSynapse, subst, time)))));
    };
    auto k = [&](const std::string &prefix, size_t j) {
      return local(prefix + "_" + varName(s, j), Type::Real);
    };
    std::vector<ExprRef> next(n);
    if (order == 1) {
      for (size_t j = 0; j < n; ++j)
        out.push_back(makeLet("d_" + varName(s, j), simplify(gated(s, j, s.rhs[j]))));
      for (size_t j = 0; j < n; ++j)
        next[j] = binary(Op::Add, x(s, j), binary(Op::Mul, real(dt), k("d", j)));
    } else if (order == 2) {
      stage("k1", "", 0);
      stage("k2", "k1", 0.5);
      for (size_t j = 0; j < n; ++j)
        next[j] = binary(Op::Add, x(s, j), binary(Op::Mul, real(dt), k("k2", j)));
    } else {
      stage("k1", "", 0);
      stage("k2", "k1", 0.5);
      stage("k3", "k2", 0.5);
      stage("k4", "k3", 1.0);
      for (size_t j = 0; j < n; ++j) {
        ExprRef sum = binary(Op::Add,
                             binary(Op::Add, k("k1", j), binary(Op::Mul, real(2), k("k2", j))),
                             binary(Op::Add, binary(Op::Mul, real(2), k("k3", j)), k("k4", j)));
        next[j] = binary(Op::Add, x(s, j), binary(Op::Mul, real(dt / 6), sum));
      }
    }
    return store(s, std::move(out), next);
  }

  // ---- Euler-Maruyama ---------------------------------------------------------------------
  Block eulerMaruyama(const System &s) {
    size_t n = s.vars.size();
    Block out;
    for (size_t k = 0; k < n; ++k)
      out.push_back(makeNote(qualified(s, k) + ": " +
                             (s.noise[k] ? "euler-maruyama" : "forward euler (stochastic system)")));
    double dt = m_.dt;
    std::vector<ExprRef> next(n);
    for (size_t k = 0; k < n; ++k)
      out.push_back(makeLet("d_" + varName(s, k), simplify(gated(s, k, s.rhs[k]))));
    for (size_t k = 0; k < n; ++k) {
      ExprRef drift = binary(Op::Mul, real(dt), local("d_" + varName(s, k), Type::Real));
      next[k] = binary(Op::Add, x(s, k), drift);
      if (s.noise[k]) {
        // dW = sqrt(dt) * N(0, 1), drawn per neuron and step from the counter-based RNG.
        std::string g = "g_" + varName(s, k);
        out.push_back(makeLet(g, simplify(gated(s, k, s.noiseGain[k]))));
        next[k] = binary(Op::Add, next[k],
                         binary(Op::Mul, binary(Op::Mul, real(std::sqrt(dt)), local(g, Type::Real)),
                                s.noise[k]));
      }
    }
    return store(s, std::move(out), next);
  }

  /// Binds every new value, then stores them: all updates read the state at the step's start.
  Block store(const System &s, Block out, const std::vector<ExprRef> &next) {
    size_t n = s.vars.size();
    if (n == 1) {
      out.push_back(storeVar(s, 0, simplify(next[0])));
      return out;
    }
    for (size_t k = 0; k < n; ++k)
      out.push_back(makeLet(varName(s, k) + "_next", simplify(next[k])));
    for (size_t k = 0; k < n; ++k)
      out.push_back(storeVar(s, k, local(varName(s, k) + "_next", Type::Real)));
    return out;
  }

  StmtPtr storeVar(const System &s, size_t k, ExprRef value) const {
    return s.onSynapse ? makeStoreSynapse(s.pop, s.vars[k], s.index, std::move(value))
                       : makeStore(s.pop, s.vars[k], s.index, std::move(value));
  }

  Module &m_;
  DiagnosticEngine &diags_;
  std::set<std::string> reported_;
};

} // namespace

void integrateODEs(ir::Module &m, DiagnosticEngine &diags) { Integrator(m, diags).run(); }

} // namespace snn::transforms
