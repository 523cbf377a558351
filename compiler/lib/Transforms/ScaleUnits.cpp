// scale-units (see ScaleUnits.h).
#include "snn/Transforms/ScaleUnits.h"

namespace snn::transforms {

void scaleUnits(ir::Module &m) {
  ir::mapModuleExprs(m, [](const ir::ExprRef &e) -> ir::ExprRef {
    if (e->op == ir::Op::Quantity)
      return ir::real(e->value * e->scale);
    return e;
  });
}

} // namespace snn::transforms
