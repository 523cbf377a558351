// Analysis shared by partition-deliveries and mark-independent-synapses: whether the body of a
// loop over synapses (for_synapses, for_column) touches, among what it writes, only its own
// synapse and its own partner neuron. Connectivity never repeats a (pre, post) pair (every rule
// draws without replacement), so the synapses of one row have distinct post neurons and those
// of one column distinct pre neurons: such a body gives the same result whichever subset of the
// iterations runs, in whatever order.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

/// True if every statement of `loop.body` is a let, a note, an if over such statements or a
/// store either to a synapse variable of loop.proj at %synName or to a neuron variable at %name,
/// and every variable so written is read only at that same index.
bool touchesOnlyOwnSynapse(const ir::Stmt &loop);

} // namespace snn::transforms
