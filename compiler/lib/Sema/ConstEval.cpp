// Constant evaluation over the AST for structural network values. Model parameters are folded
// later, on the IR (FoldConstants), where they may depend on each other and on overrides.
#include "snn/Sema/ConstEval.h"

#include "snn/Basic/DecimalScale.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace snn {

static std::optional<ConstValue> evalConstCall(const ast::CallExpr &c, std::string &why,
                                               SourceLoc &where, const ConstNames *constants,
                                               ConstUses *uses, const ConstArrays *arrays);

std::optional<ConstValue> evalConst(const ast::Expr &e, std::string &why, SourceLoc &where,
                                    const ConstNames *constants, ConstUses *uses,
                                    const ConstArrays *arrays) {
  using namespace ast;
  switch (e.kind) {
  case Expr::Kind::Number: {
    auto &n = static_cast<const NumberExpr &>(e);
    if (n.unit.empty())
      return ConstValue{n.value, Dim::none()};
    const UnitInfo *u = lookupUnit(n.unit);
    if (!u) {
      why = "unknown unit '" + n.unit + "'";
      where = n.unitLoc;
      return std::nullopt;
    }
    return ConstValue{scaleDecimal(n.value, u->scale), u->dim};
  }
  case Expr::Kind::Name: {
    auto &n = static_cast<const NameExpr &>(e);
    if (constants && n.side == Side::None)
      if (auto it = constants->find(n.name); it != constants->end()) {
        if (uses)
          uses->push_back({n.name, n.loc});
        return it->second;
      }
    if (const UnitInfo *u = lookupUnit(n.name))
      return ConstValue{u->scale, u->dim};
    why = "'" + n.name + "' is not a constant here";
    where = n.loc;
    return std::nullopt;
  }
  case Expr::Kind::Unary: {
    auto &u = static_cast<const UnaryExpr &>(e);
    auto v = evalConst(*u.operand, why, where, constants, uses, arrays);
    if (!v)
      return v;
    if (u.op == UnaryOp::Not) {
      why = "expected a number";
      where = u.loc;
      return std::nullopt;
    }
    if (u.op == UnaryOp::Neg)
      v->value = -v->value;
    return v;
  }
  case Expr::Kind::Binary: {
    auto &b = static_cast<const BinaryExpr &>(e);
    auto l = evalConst(*b.lhs, why, where, constants, uses, arrays);
    if (!l)
      return l;
    auto r = evalConst(*b.rhs, why, where, constants, uses, arrays);
    if (!r)
      return r;
    switch (b.op) {
    case BinaryOp::Add:
    case BinaryOp::Sub:
      if (l->dim != r->dim) {
        why = std::string("cannot ") + (b.op == BinaryOp::Add ? "add" : "subtract") + " '" +
              l->dim.str() + "' and '" + r->dim.str() + "'";
        where = b.loc;
        return std::nullopt;
      }
      return ConstValue{b.op == BinaryOp::Add ? l->value + r->value : l->value - r->value, l->dim};
    case BinaryOp::Mul: return ConstValue{l->value * r->value, l->dim * r->dim};
    case BinaryOp::Div: return ConstValue{l->value / r->value, l->dim / r->dim};
    case BinaryOp::Mod:
      if (l->dim != r->dim) {
        why = "'%' needs operands of one unit, got '" + l->dim.str() + "' and '" + r->dim.str() +
              "'";
        where = b.loc;
        return std::nullopt;
      }
      return ConstValue{l->value - r->value * std::floor(l->value / r->value), l->dim};
    case BinaryOp::Pow: {
      if (!r->dim.isDimensionless()) {
        why = "exponent must be dimensionless, got '" + r->dim.str() + "'";
        where = b.rhs->loc;
        return std::nullopt;
      }
      auto d = l->dim.pow(r->value);
      if (!d) {
        why = "cannot raise '" + l->dim.str() + "' to this power";
        where = b.loc;
        return std::nullopt;
      }
      return ConstValue{std::pow(l->value, r->value), *d};
    }
    default:
      why = "expected a number, not a condition";
      where = b.loc;
      return std::nullopt;
    }
  }
  case Expr::Kind::Call:
    return evalConstCall(static_cast<const ast::CallExpr &>(e), why, where, constants, uses, arrays);
  }
  return std::nullopt;
}

/// The pure functions a structural value may use (`N_E = floor(0.8 * N)`, `div(N, 10)`), with
/// the units ExprChecker gives them; anything else, random draws included, is not a constant.
/// max(A), min(A), mean(A), sum(A), percentile(A, q) of an array; nullopt with `handled` false
/// when the call is not such a reduction.
static std::optional<ConstValue> arrayReduction(const ast::CallExpr &c, std::string &why,
                                                SourceLoc &where, const ConstNames *constants,
                                                ConstUses *uses, const ConstArrays *arrays,
                                                bool &handled) {
  static const std::map<std::string, size_t> arity = {
      {"max", 1}, {"min", 1}, {"mean", 1}, {"sum", 1}, {"percentile", 2}};
  handled = false;
  auto *name = c.args.empty() ? nullptr : ast::dyn_cast<ast::NameExpr>(c.args[0].get());
  auto fn = arity.find(c.callee);
  if (!arrays || !name || fn == arity.end())
    return std::nullopt;
  auto fail = [&](std::string msg) -> std::optional<ConstValue> {
    why = std::move(msg);
    where = c.loc;
    return std::nullopt;
  };
  auto a = arrays->find(name->name);
  if (a == arrays->end()) {
    // max(x, y) of two numbers is evalConstCall's; a one-argument max(X) or any other
    // reduction of a name that is no array read so far is a mistake here.
    if (c.args.size() != fn->second || (constants && constants->count(name->name)))
      return std::nullopt;
    handled = true;
    return fail("'" + name->name + "' is not an array read before this point ('" + c.callee +
                "' reduces an array: array A = load(\"a.npy\"), then " + c.callee +
                (fn->second == 1 ? "(A)" : "(A, 99.9)") + ")");
  }
  handled = true;
  if (c.args.size() != fn->second)
    return fail("'" + c.callee + "' of an array takes " +
                (fn->second == 1 ? std::string("the array only")
                                 : std::string("the array and a percentage")));
  std::vector<double> v = *a->second.values;
  if (c.callee == "max" || c.callee == "min")
    return ConstValue{c.callee == "max" ? *std::max_element(v.begin(), v.end())
                                        : *std::min_element(v.begin(), v.end()),
                      a->second.dim};
  if (c.callee == "sum" || c.callee == "mean") {
    double s = 0;
    for (double x : v)
      s += x;
    return ConstValue{c.callee == "sum" ? s : s / static_cast<double>(v.size()), a->second.dim};
  }
  auto q = evalConst(*c.args[1], why, where, constants, uses, arrays);
  if (!q)
    return std::nullopt;
  if (!q->dim.isDimensionless() || !(q->value >= 0 && q->value <= 100))
    return fail("the percentage of 'percentile' must be a number in [0, 100]");
  // NumPy's default ('linear'): rank q/100 * (n - 1), interpolated between its neighbours.
  std::sort(v.begin(), v.end());
  double rank = q->value / 100 * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(rank));
  size_t hi = std::min(lo + 1, v.size() - 1);
  double frac = rank - static_cast<double>(lo);
  return ConstValue{v[lo] + (v[hi] - v[lo]) * frac, a->second.dim};
}

static std::optional<ConstValue> evalConstCall(const ast::CallExpr &c, std::string &why,
                                               SourceLoc &where, const ConstNames *constants,
                                               ConstUses *uses, const ConstArrays *arrays) {
  bool handled = false;
  auto r = arrayReduction(c, why, where, constants, uses, arrays, handled);
  if (handled)
    return r;
  static const std::map<std::string, size_t> arity = {
      {"abs", 1},  {"floor", 1}, {"ceil", 1}, {"round", 1}, {"int", 1},  {"sqrt", 1},
      {"exp", 1},  {"log", 1},   {"log10", 1}, {"min", 2},  {"max", 2},  {"div", 2}};
  auto fn = arity.find(c.callee);
  if (fn == arity.end() || fn->second != c.args.size()) {
    why = "expected a constant, not a call to '" + c.callee + "'";
    where = c.loc;
    return std::nullopt;
  }
  std::vector<ConstValue> a;
  for (auto &arg : c.args) {
    auto v = evalConst(*arg, why, where, constants, uses, arrays);
    if (!v)
      return std::nullopt;
    a.push_back(*v);
  }
  const std::string &f = c.callee;
  auto fail = [&](std::string msg) -> std::optional<ConstValue> {
    why = std::move(msg);
    where = c.loc;
    return std::nullopt;
  };
  if (f == "abs")
    return ConstValue{std::fabs(a[0].value), a[0].dim};
  if (f == "floor" || f == "ceil" || f == "round")
    return ConstValue{f == "floor"  ? std::floor(a[0].value)
                      : f == "ceil" ? std::ceil(a[0].value)
                                    : std::nearbyint(a[0].value),
                      a[0].dim};
  if (f == "sqrt") {
    auto d = a[0].dim.pow(0.5);
    if (!d)
      return fail("cannot take the square root of '" + a[0].dim.str() + "'");
    return ConstValue{std::sqrt(a[0].value), *d};
  }
  if (f == "min" || f == "max" || f == "div") {
    if (a[0].dim != a[1].dim)
      return fail("arguments of '" + f + "' must have the same unit: '" + a[0].dim.str() +
                  "' and '" + a[1].dim.str() + "'");
    if (f == "div")
      return ConstValue{std::floor(a[0].value / a[1].value), Dim::none()};
    return ConstValue{f == "min" ? std::min(a[0].value, a[1].value)
                                 : std::max(a[0].value, a[1].value),
                      a[0].dim};
  }
  if (!a[0].dim.isDimensionless())
    return fail("argument of '" + f + "' must be dimensionless, got '" + a[0].dim.str() + "'");
  double x = a[0].value;
  return ConstValue{f == "int"   ? std::trunc(x)
                    : f == "exp" ? std::exp(x)
                    : f == "log" ? std::log(x)
                                 : std::log10(x),
                    Dim::none()};
}

} // namespace snn
