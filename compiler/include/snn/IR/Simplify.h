// Local algebraic simplification of IR expressions (constant folding of arithmetic and pure math
// calls, identities such as x*1). Shared by fold-constants and integrate-odes, which both need
// propagator coefficients reduced to numbers.
#pragma once

#include "snn/IR/IR.h"

namespace snn::ir {

/// Simplifies bottom-up. Folding and the identities never change the value computed (up to the
/// rounding of operations that would have happened anyway, evaluated here in double precision);
/// the one rewrite that is not exact, k*x/(exp(x/c) - 1) -> k*c/exprel(x/c), differs only by
/// rounding where both are defined and fills the removable singularity at x = 0.
ExprRef simplify(const ExprRef &e);

/// exprel(x) = (exp(x) - 1)/x with value 1 at 0 (SciPy's and Brian2's convention), +inf past
/// the overflow of exp; generated code computes the same (CodeGen).
double exprel(double x);

} // namespace snn::ir
