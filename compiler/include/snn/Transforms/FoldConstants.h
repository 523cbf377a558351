// fold-constants: substitutes every parameter by its value (after the population's or
// projection's overrides) and folds constant arithmetic and pure math calls, so that kernels only
// compute what truly varies per neuron or per step.
#pragma once

#include "snn/Basic/Diagnostics.h"
#include "snn/IR/IR.h"

namespace snn::transforms {

/// Run-time parameters are not substituted: they read their population's scalar variable, and
/// their own defaults are folded into Module::runtimeParams (an error if one is not constant).
void foldConstants(ir::Module &m, DiagnosticEngine &diags);

} // namespace snn::transforms
