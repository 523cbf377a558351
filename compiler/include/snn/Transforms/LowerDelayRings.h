// lower-delay-rings: transmission delays as loops over the projection's ring buffer (runtime.h:
// `ring`, `ring_count`), so that every back end only sees indexed loads and stores.
//
// The ring holds `slots` rows of #pre neuron indices; step s uses slot s mod slots.
//   - A delay shared by all synapses, D steps: slots = D. `for_delayed_spikes` reads the spikes
//     stored D steps ago from this step's slot; `push_delayed_spikes`, after it, overwrites the
//     slot with this step's spikes of the presynaptic range.
//   - Per-synapse delays up to D (`max_delay`, known once connectivity exists): slots = D + 1.
//     This step's spikes are pushed first (a delay may round to 0 steps), then `for_arrivals`
//     visits, for every lag d in [0, D], the spikes of slot (s + slots - d) mod slots; the
//     synapse loop inside keeps the synapses of delay d (lower-synapse-loops).
//   - `set_delay` (initialisation) stores into the per-synapse `delay` buffer, from which the
//     runtime sorts each row by delay and builds `delay_ptr`.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void lowerDelayRings(ir::Module &m);

} // namespace snn::transforms
