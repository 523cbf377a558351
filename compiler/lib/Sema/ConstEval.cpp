// Constant evaluation over the AST for structural network values. Model parameters are folded
// later, on the IR (FoldConstants), where they may depend on each other and on overrides.
#include "snn/Sema/ConstEval.h"

#include "snn/Basic/DecimalScale.h"

#include <cmath>

namespace snn {

std::optional<ConstValue> evalConst(const ast::Expr &e, std::string &why, SourceLoc &where,
                                    const ConstNames *constants, ConstUses *uses) {
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
    auto v = evalConst(*u.operand, why, where, constants, uses);
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
    auto l = evalConst(*b.lhs, why, where, constants, uses);
    if (!l)
      return l;
    auto r = evalConst(*b.rhs, why, where, constants, uses);
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
    why = "expected a constant, not a call to '" + static_cast<const CallExpr &>(e).callee + "'";
    where = e.loc;
    return std::nullopt;
  }
  return std::nullopt;
}

} // namespace snn
