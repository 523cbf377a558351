// fold-constants: substitutes every parameter by its value (after the population's or
// projection's overrides) and folds constant arithmetic and pure math calls, so that kernels only
// compute what truly varies per neuron or per step.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void foldConstants(ir::Module &m);

} // namespace snn::transforms
