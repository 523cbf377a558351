// Expressions: the type (a unit, or a condition) of every expression and the
// resolution of every name in it, against a Scope that says what the context allows.
#pragma once

#include "SemaContext.h"

namespace snn::sema {

class ExprChecker : public Checker {
public:
  explicit ExprChecker(SemaContext &cx)
      : Checker(cx) {}


  // ---- expressions ------------------------------------------------------------------------
  std::optional<ExprType> record(const Expr &e, ExprType t);

  static ExprType num(Dim d);

  std::optional<ExprType> checkExpr(const Expr &e, const Scope &s);

private:

  std::optional<ExprType> checkName(const ast::NameExpr &n, const Scope &s);

  /// `pre.x` and `post.x` in synapse code: a trace of that side, a response variable (post), or
  /// a state variable of the neuron on that side.
  std::optional<ExprType> checkSideName(const ast::NameExpr &n, const Scope &s);

  std::optional<ExprType> checkBinary(const ast::BinaryExpr &b, const Scope &s);

  std::optional<ExprType> checkPower(const Expr &whole, ExprType base, ExprType exp,
                                     const Expr &expExpr);

  std::optional<ExprType> checkCall(const ast::CallExpr &c, const Scope &s);
};

} // namespace snn::sema
