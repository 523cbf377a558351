// fuse-neuron-updates: merges each population's update, threshold and reset kernels into a single
// loop over its neurons, so each neuron's state is loaded and stored once per step. Moving the
// reset ahead of spike delivery is only done when no delivery reads or writes a variable the reset
// writes, nor writes one the reset reads (Brian2's order is update, threshold, delivery, reset);
// otherwise the reset stays a separate loop after delivery.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void fuseNeuronUpdates(ir::Module &m);

} // namespace snn::transforms
