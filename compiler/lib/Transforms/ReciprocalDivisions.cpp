// reciprocal-divisions (see ReciprocalDivisions.h).
#include "snn/Transforms/ReciprocalDivisions.h"

#include <cmath>

namespace snn::transforms {

void reciprocalDivisions(ir::Module &m) {
  using namespace ir;
  auto f = [](const ExprRef &e) -> ExprRef {
    double c;
    if (e->op != Op::Div || e->type != Type::Real || !isConst(*e->args[1], &c))
      return e;
    double r = 1.0 / c;
    // Only where the reciprocal is an ordinary number (not 0, inf or NaN).
    if (c == 0 || !std::isfinite(c) || !std::isnormal(r))
      return e;
    return binary(Op::Mul, e->args[0], real(r));
  };
  forEachKernel(m, [&](Kernel &k) { mapBlockExprs(k.body, f); });
}

} // namespace snn::transforms
