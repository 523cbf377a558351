// lower-spike-loops: `for_spikes %n of P in [b, e)` becomes a loop over the positions of P's
// spike list (runtime.h: `spikes`, `nspikes`), skipping neurons outside [b, e):
//   let %n_count = P.nspikes[0]
//   loop %n_k in [0, %n_count) { let %n = P.spikes[%n_k]; if %n >= b and %n < e { body } }
// Where the body visits the spiking neuron's row of a projection (a for_synapses from %n), the
// loop also prefetches the rows of the spikes to come (RowPrefetch.h).
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void lowerSpikeLoops(ir::Module &m);

} // namespace snn::transforms
