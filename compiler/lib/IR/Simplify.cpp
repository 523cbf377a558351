// Bottom-up constant folding, a few exact identities (x*1, x+0, -1*x) and the removal of the
// removable singularity of HH-style rate functions (see Simplify.h).
#include "snn/IR/Simplify.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace snn::ir {
namespace {

bool constOf(const ExprRef &e, double &v) { return isConst(*e, &v); }

} // namespace

double exprel(double x) {
  // (exp(x) - 1)/x, SciPy's and Brian2's convention, with its removable singularity at 0 filled
  // by the series 1 + x/2 + x^2/6 + ... (the x^2 term is below half an ulp for |x| < 1e-8).
  // Near and past exp's overflow (x > 700, where the -1 is far below rounding) (e/x)*e with
  // e = exp(x/2) stays finite until the result itself overflows (near x = 716.4); +inf at +inf.
  if (std::fabs(x) < 1e-8)
    return 1.0 + x / 2.0;
  if (x > 700.0) {
    if (std::isinf(x))
      return HUGE_VAL;
    double e = std::exp(x / 2.0);
    return e / x * e;
  }
  return std::expm1(x) / x;
}

namespace {

std::optional<double> foldCall(const std::string &fn, const std::vector<double> &a) {
  if (fn == "exp") return std::exp(a[0]);
  if (fn == "log") return std::log(a[0]);
  if (fn == "log10") return std::log10(a[0]);
  if (fn == "sqrt") return std::sqrt(a[0]);
  if (fn == "abs") return std::fabs(a[0]);
  if (fn == "sin") return std::sin(a[0]);
  if (fn == "cos") return std::cos(a[0]);
  if (fn == "tanh") return std::tanh(a[0]);
  if (fn == "tan") return std::tan(a[0]);
  if (fn == "atan") return std::atan(a[0]);
  if (fn == "sinh") return std::sinh(a[0]);
  if (fn == "cosh") return std::cosh(a[0]);
  if (fn == "exprel") return exprel(a[0]);
  if (fn == "floor") return std::floor(a[0]);
  if (fn == "ceil") return std::ceil(a[0]);
  if (fn == "round") return std::nearbyint(a[0]); // to nearest, ties to even (the default mode)
  if (fn == "trunc") return std::trunc(a[0]);
  return std::nullopt;
}

bool sameExpr(const Expr &a, const Expr &b) {
  if (a.op != b.op || a.type != b.type || a.value != b.value || a.name != b.name ||
      a.owner != b.owner || a.pop != b.pop || a.var != b.var || a.stream != b.stream ||
      a.perStep != b.perStep || a.onSynapse != b.onSynapse || a.args.size() != b.args.size())
    return false;
  for (size_t i = 0; i < a.args.size(); ++i)
    if (!sameExpr(*a.args[i], *b.args[i]))
      return false;
  return true;
}

/// Removable singularities of the rate functions of Hodgkin-Huxley-type models, written as
/// k*x / (exp(x/c) - 1) (0/0 at x = 0), become k*c/exprel(x/c), whose value at 0 is the limit.
/// Elsewhere both forms are equal up to rounding (the exprel form is the more accurate one).
ExprRef removeSingularity(const ExprRef &num, const ExprRef &den) {
  double one;
  if (den->op != Op::Sub || !isConst(*den->args[1], &one) || one != 1.0)
    return nullptr;
  const Expr &ex = *den->args[0];
  if (ex.op != Op::Call || ex.name != "exp" || ex.args.size() != 1 || ex.args[0]->op != Op::Div)
    return nullptr;
  const ExprRef &x = ex.args[0]->args[0];
  const ExprRef &c = ex.args[0]->args[1];
  double cv;
  if (!isConst(*c, &cv))
    return nullptr;
  ExprRef factor;
  if (sameExpr(*num, *x))
    factor = real(cv);
  else if (num->op == Op::Mul && sameExpr(*num->args[1], *x))
    factor = binary(Op::Mul, num->args[0], real(cv));
  else if (num->op == Op::Mul && sameExpr(*num->args[0], *x))
    factor = binary(Op::Mul, num->args[1], real(cv));
  else
    return nullptr;
  return binary(Op::Div, factor, call("exprel", {ex.args[0]}));
}

} // namespace

ExprRef simplify(const ExprRef &e) {
  if (e->args.empty())
    return e;
  std::vector<ExprRef> args;
  bool changed = false;
  for (auto &a : e->args) {
    args.push_back(simplify(a));
    changed = changed || args.back() != a;
  }
  std::vector<double> c(args.size());
  bool allConst = true;
  for (size_t i = 0; i < args.size(); ++i)
    allConst = allConst && constOf(args[i], c[i]);

  if (allConst) {
    switch (e->op) {
    case Op::Neg: return real(-c[0]);
    case Op::Add: return real(c[0] + c[1]);
    case Op::Sub: return real(c[0] - c[1]);
    case Op::Mul: return real(c[0] * c[1]);
    case Op::Div: return real(c[0] / c[1]);
    case Op::Pow: return real(std::pow(c[0], c[1]));
    case Op::Min: return real(std::fmin(c[0], c[1]));
    case Op::Max: return real(std::fmax(c[0], c[1]));
    case Op::Lt: return boolean(c[0] < c[1]);
    case Op::Le: return boolean(c[0] <= c[1]);
    case Op::Gt: return boolean(c[0] > c[1]);
    case Op::Ge: return boolean(c[0] >= c[1]);
    case Op::Eq: return boolean(c[0] == c[1]);
    case Op::Ne: return boolean(c[0] != c[1]);
    case Op::ToInt:
      // Saturating, NaN to 0, as generated code computes it (llvm.fptosi.sat): a huge refractory
      // period means "for ever" rather than poison.
      if (std::isnan(c[0]))
        return integer(0);
      return integer(static_cast<int64_t>(std::fmax(-2147483648.0, std::fmin(c[0], 2147483647.0))));
    case Op::Call:
      if (auto v = foldCall(e->name, c))
        return real(*v);
      break;
    default:
      break;
    }
  }
  // Integer arithmetic on constants (refractory step counts).
  bool allInt = !args.empty();
  for (auto &a : args)
    allInt = allInt && a->op == Op::IntConst && a->type == Type::I32;
  if (allInt && args.size() == 2) {
    int64_t a = static_cast<int64_t>(args[0]->value), b = static_cast<int64_t>(args[1]->value);
    switch (e->op) {
    case Op::Min: return integer(std::min(a, b));
    case Op::Max: return integer(std::max(a, b));
    case Op::Add: return integer(a + b);
    case Op::Sub: return integer(a - b);
    default: break;
    }
  }
  // Exact identities.
  double v;
  if (e->op == Op::Mul) {
    if (constOf(args[1], v) && v == 1.0) return args[0];
    if (constOf(args[0], v) && v == 1.0) return args[1];
    if (constOf(args[0], v) && v == -1.0) return unary(Op::Neg, args[1]);
    if (constOf(args[1], v) && v == -1.0) return unary(Op::Neg, args[0]);
  }
  if (e->op == Op::Div && constOf(args[1], v) && v == 1.0)
    return args[0];
  if (e->op == Op::Div)
    if (ExprRef r = removeSingularity(args[0], args[1]))
      return simplify(r);
  if ((e->op == Op::Add || e->op == Op::Sub) && constOf(args[1], v) && v == 0.0 &&
      !std::signbit(v))
    return args[0];
  if (e->op == Op::Add && constOf(args[0], v) && v == 0.0)
    return args[1];
  if (e->op == Op::Select && args[0]->op == Op::BoolConst)
    return args[0]->value != 0 ? args[1] : args[2];
  if (e->op == Op::Neg && args[0]->op == Op::Neg)
    return args[0]->args[0];
  return changed ? withArgs(*e, std::move(args)) : e;
}

} // namespace snn::ir
