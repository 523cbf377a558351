// integrate-odes (see IntegrateODEs.h). The classification is deliberately narrow for now: a
// right-hand side that is affine in its own variable with constant coefficients, and reads no other
// state, is solved exactly; anything else falls back to forward Euler. Richer solvers (coupled
// linear systems, exponential Euler, RK) will slot in here.
#include "snn/Transforms/IntegrateODEs.h"

#include "snn/IR/IRPrinter.h"
#include "snn/IR/Simplify.h"

#include <cmath>
#include <optional>

namespace snn::transforms {
namespace {

using namespace ir;

bool dependsOnState(const Expr &e) {
  if (e.op == Op::Load || e.op == Op::Local || e.op == Op::Time || e.op == Op::Rand)
    return true;
  for (auto &a : e.args)
    if (dependsOnState(*a))
      return true;
  return false;
}

struct Affine {
  ExprRef a, b; // rhs = a*x + b
};

/// Writes `e` as a*x + b with a and b free of state, where x is variable `var` of population
/// `pop` at the loop index; nullopt if it is not of that form.
std::optional<Affine> decompose(const ExprRef &e, uint32_t pop, uint32_t var) {
  if (!dependsOnState(*e))
    return Affine{real(0), e};
  switch (e->op) {
  case Op::Load:
    if (e->pop == pop && e->var == var)
      return Affine{real(1), real(0)};
    return std::nullopt;
  case Op::Neg: {
    auto x = decompose(e->args[0], pop, var);
    if (!x)
      return x;
    return Affine{unary(Op::Neg, x->a), unary(Op::Neg, x->b)};
  }
  case Op::Add:
  case Op::Sub: {
    auto l = decompose(e->args[0], pop, var);
    auto r = decompose(e->args[1], pop, var);
    if (!l || !r)
      return std::nullopt;
    return Affine{binary(e->op, l->a, r->a), binary(e->op, l->b, r->b)};
  }
  case Op::Mul: {
    auto l = decompose(e->args[0], pop, var);
    auto r = decompose(e->args[1], pop, var);
    if (!l || !r)
      return std::nullopt;
    double v;
    if (isConst(*simplify(l->a), &v) && v == 0)
      return Affine{binary(Op::Mul, l->b, r->a), binary(Op::Mul, l->b, r->b)};
    if (isConst(*simplify(r->a), &v) && v == 0)
      return Affine{binary(Op::Mul, l->a, r->b), binary(Op::Mul, l->b, r->b)};
    return std::nullopt;
  }
  case Op::Div: {
    auto l = decompose(e->args[0], pop, var);
    if (!l || dependsOnState(*e->args[1]))
      return std::nullopt;
    return Affine{binary(Op::Div, l->a, e->args[1]), binary(Op::Div, l->b, e->args[1])};
  }
  default:
    return std::nullopt;
  }
}

class Integrator {
public:
  explicit Integrator(Module &m) : m_(m) {}

  void run() {
    for (auto &k : m_.step)
      if (k.phase == Phase::Update)
        for (auto &s : k.body)
          if (s->kind == Stmt::Kind::Loop)
            lowerLoopBody(s->body);
  }

private:
  void lowerLoopBody(Block &body) {
    std::vector<StmtPtr> odes;
    size_t first = body.size();
    Block rest;
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i]->kind == Stmt::Kind::Ode) {
        first = std::min(first, rest.size());
        odes.push_back(std::move(body[i]));
      } else {
        rest.push_back(std::move(body[i]));
      }
    }
    if (odes.empty()) {
      body = std::move(rest);
      return;
    }
    Block notes, lets, stores;
    for (auto &ode : odes) {
      const Population &pop = m_.populations[ode->pop];
      const std::string var = pop.name + "." + pop.vars[ode->var].name;
      ExprRef x = load(ode->pop, ode->var, Type::Real, ode->index);
      ExprRef next;
      auto aff = decompose(ode->value, ode->pop, ode->var);
      double a = 0, b = 0;
      if (aff && isConst(*simplify(aff->a), &a) && isConst(*simplify(aff->b), &b) && a != 0) {
        // Exact solution over one step: x(t+dt) = P*x + Q with P = exp(a dt) and
        // Q = b*(exp(a dt) - 1)/a, written with expm1 to stay accurate for small a*dt.
        double P = std::exp(a * m_.dt);
        double Q = b * std::expm1(a * m_.dt) / a;
        if (Q == 0)
          Q = 0; // print -0 as 0
        next = binary(Op::Mul, x, real(P));
        if (Q != 0)
          next = binary(Op::Add, next, real(Q));
        notes.push_back(makeNote("d" + var + "/dt: exact (linear, x <- " + formatNumber(P) +
                                 "*x + " + formatNumber(Q) + ")"));
      } else {
        std::string d = "d_" + pop.vars[ode->var].name;
        lets.push_back(makeLet(d, simplify(ode->value)));
        next = binary(Op::Add, x, binary(Op::Mul, real(m_.dt), local(d, Type::Real)));
        notes.push_back(makeNote("d" + var + "/dt: forward euler"));
      }
      if (ode->unlessRefractory)
        next = select(local("not_refractory", Type::Bool), next, x);
      stores.push_back(makeStore(ode->pop, ode->var, ode->index, next));
    }
    // Every right-hand side reads the state at the start of the step: all derivatives are bound
    // before the first store.
    Block lowered;
    for (auto *part : {&notes, &lets, &stores})
      for (auto &s : *part)
        lowered.push_back(std::move(s));
    Block result;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (i == first)
        for (auto &s : lowered)
          result.push_back(std::move(s));
      result.push_back(std::move(rest[i]));
    }
    if (first >= rest.size())
      for (auto &s : lowered)
        result.push_back(std::move(s));
    body = std::move(result);
  }

  Module &m_;
};

} // namespace

void integrateODEs(ir::Module &m) { Integrator(m).run(); }

} // namespace snn::transforms
