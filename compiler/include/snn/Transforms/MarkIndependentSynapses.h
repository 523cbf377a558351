// mark-independent-synapses: marks the loops over a neuron's synapses (for_synapses,
// for_column) whose iterations are independent — each writes only its own synapse and its own
// partner neuron and reads what it writes only there (OwnAccesses.h) — so that the back end may
// run them as SIMD lanes: on a CPU the loop is annotated as free of loop-carried memory
// dependences (LLVM's llvm.loop.parallel_accesses), which lets it vectorise the synapse loop with
// gathers and scatters, trace decays and all. Examples: STDP's on_post loop (it advances each
// presynaptic trace and updates the weight), a plain on_pre delivery. Not: an on_pre loop that
// updates the spiking neuron's presynaptic trace per synapse.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void markIndependentSynapses(ir::Module &m);

} // namespace snn::transforms
