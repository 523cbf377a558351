// lower-spike-sources: a spike source's schedule (the neurons listed in a file, by step) becomes
// two constant tables of the module, offsets by step (i64) and neuron indices (i32), and its
// `emit_source_spikes` a loop over this step's slice of them:
//   if step < S { loop %src in [@P.source_offsets[step], @P.source_offsets[step + 1]) {
//     emit_spike P[@P.source_neurons[%src]] } }
// The population keeps no copy of the schedule.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void lowerSpikeSources(ir::Module &m);

} // namespace snn::transforms
