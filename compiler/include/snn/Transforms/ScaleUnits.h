// scale-units: rewrites every quantity (`20 ms`) as a plain number in the compiler's single
// internal unit system, SI base units (0.02). Sema has already proven the dimensions consistent,
// so from here on the IR carries numbers only and back ends never see a unit.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void scaleUnits(ir::Module &m);

} // namespace snn::transforms
