// scale-units (see ScaleUnits.h): each quantity becomes its SI value, decimal-exact
// (Basic/DecimalScale.h).
#include "snn/Transforms/ScaleUnits.h"

#include "snn/Basic/DecimalScale.h"

namespace snn::transforms {

void scaleUnits(ir::Module &m) {
  ir::mapModuleExprs(m, [](const ir::ExprRef &e) -> ir::ExprRef {
    if (e->op == ir::Op::Quantity)
      return ir::real(scaleDecimal(e->value, e->scale));
    return e;
  });
}

} // namespace snn::transforms
