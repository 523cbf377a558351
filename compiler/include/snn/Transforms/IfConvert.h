// if-convert: inside neuron loops, an `if` whose branches only store to the current neuron's
// variables becomes unconditional stores of selects, `P.v[%i] = select(c, new, P.v[%i])` (the
// refractory countdown, a reset under the spike mask). Stores stay in order, so a later one sees
// an earlier one's value exactly as before; a branch that does anything else (a loop, a spike,
// a store elsewhere) is left alone. Branch-free bodies are what the loop vectoriser needs, and
// the masked lanes cost nothing when the condition is rare.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void ifConvert(ir::Module &m);

} // namespace snn::transforms
