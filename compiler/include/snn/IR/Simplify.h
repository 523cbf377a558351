// Local algebraic simplification of IR expressions (constant folding of arithmetic and pure math
// calls, identities such as x*1). Shared by fold-constants and integrate-odes, which both need
// propagator coefficients reduced to numbers.
#pragma once

#include "snn/IR/IR.h"

namespace snn::ir {

/// Simplifies bottom-up; never changes the value computed (up to floating-point rounding of
/// operations that would have happened anyway, evaluated here in double precision).
ExprRef simplify(const ExprRef &e);

} // namespace snn::ir
