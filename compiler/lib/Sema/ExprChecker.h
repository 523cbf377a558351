// Expressions: the type (a unit, or a condition) of every expression and the
// resolution of every name in it, against a Scope that says what the context allows.
#pragma once

#include "SemaContext.h"

namespace snn::sema {

class ExprChecker : public Checker {
public:
  explicit ExprChecker(SemaContext &cx) : Checker(cx) {}

  // ---- expressions ------------------------------------------------------------------------
  std::optional<ExprType> record(const Expr &e, ExprType t);

  static ExprType num(Dim d);

  std::optional<ExprType> checkExpr(const Expr &e, const Scope &s);

  struct Fn; // a built-in function: arity and unit rule

  /// Whether `name` is a built-in function (exp, int, total, ...).
  static bool isFunction(const std::string &name);

private:
  std::optional<ExprType> checkName(const ast::NameExpr &n, const Scope &s);
  std::optional<ExprType> resolved(const ast::NameExpr &n, NameRef::Kind k, ExprType t);
  std::optional<ExprType> modelName(const ast::NameExpr &n, const Scope &s, bool &handled);
  std::optional<ExprType> predefinedName(const ast::NameExpr &n, const Scope &s, bool &handled);

  /// `pre.x` and `post.x` in synapse code: a trace of that side, a response variable (post), or
  /// a state variable of the neuron on that side.
  std::optional<ExprType> checkSideName(const ast::NameExpr &n, const Scope &s);
  std::optional<ExprType> distance(const ast::NameExpr &n, const Scope &s);

  std::optional<ExprType> checkBinary(const ast::BinaryExpr &b, const Scope &s);

  std::optional<ExprType> checkPower(const Expr &whole, ExprType base, ExprType exp,
                                     const Expr &expExpr);

  std::optional<ExprType> checkCall(const ast::CallExpr &c, const Scope &s);
  /// A random function where only constants and state are allowed: says where draws may go.
  void randomMisplaced(const ast::CallExpr &c);
  using CallArgs = std::vector<std::optional<ExprType>>;
  std::optional<ExprType> checkTimedArrayCall(const ast::CallExpr &c, const CallArgs &args,
                                              bool ok);
  /// int(x): a condition as 0 or 1 (int(v > 0)), or a dimensionless number truncated toward
  /// zero, as Brian2's int().
  /// `W(i)`, `W(i, j)`: an array from a file, read at the indices of arrayExtents_.
  std::optional<ExprType> checkArrayCall(const ast::CallExpr &c, const CallArgs &args, bool ok);
  std::optional<ExprType> checkIntCall(const ast::CallExpr &c, const CallArgs &args, bool ok);
  /// total(e): the sum of e over the connection's synapses onto the same postsynaptic neuron.
  std::optional<ExprType> checkTotalCall(const ast::CallExpr &c, const Scope &s,
                                         const CallArgs &args, bool ok);
  /// `a if c else b`: a condition, then two values of one unit (or two conditions).
  std::optional<ExprType> checkConditional(const ast::CallExpr &c, const CallArgs &args, bool ok);
  std::optional<ExprType> checkBuiltin(const ast::CallExpr &c, const Scope &s, const Fn &fn,
                                       const CallArgs &args);
};

} // namespace snn::sema
