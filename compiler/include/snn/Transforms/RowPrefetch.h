// Helper shared by lower-spike-loops and lower-delay-rings: prefetches for a loop over spikes
// whose body visits each spiking neuron's row of a projection. A row starts at an unpredictable
// place in a large column array, so without them every spike waits for two misses to memory in
// turn (row_ptr, then col). Prefetches are hints and change no result.
#pragma once

#include "snn/IR/IR.h"

#include <functional>

namespace snn::transforms {

/// How far ahead, in spikes, the row pointers and the rows' first columns are fetched.
constexpr int kRowAhead = 8, kColAhead = 4;

/// For each projection whose rows `body` visits from the spiking neuron %var: prefetch its row
/// pointer kRowAhead spikes ahead (and, for a delay segment, the segment's offsets), then read
/// the row's (segment's) start kColAhead spikes ahead and prefetch the first two cache lines of
/// columns there. `spikeAhead(d)` is the
/// neuron (i32) of the spike d positions ahead, clamped to the last one by the caller.
ir::Block rowPrefetches(const ir::Module &m, const ir::Block &body, const std::string &var,
                        const std::function<ir::ExprRef(int)> &spikeAhead);

} // namespace snn::transforms
