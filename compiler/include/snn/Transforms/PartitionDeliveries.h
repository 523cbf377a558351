// partition-deliveries: marks the deliveries that may run as independent ranges of postsynaptic
// neurons (threads, later GPU blocks): each range visits every presynaptic spike but only the
// synapses onto its own neurons, so every postsynaptic neuron still receives its inputs in spike
// order — the same sums, to the bit, for any partition. A delivery qualifies when its body is
// one loop over spikes (this step's, a shared delay's from the ring, or every lag's with
// per-synapse delays) around one loop over their synapses (no once-per-spike trace update), and
// inside that loop it writes only the synapse's own variables and the state of its
// postsynaptic neuron, and reads what it writes only there (OwnAccesses.h). A delayed delivery's
// ring push moves into a kernel of its own, `push.<projection>`, run once per step where it was:
// after the read of a shared delay's slot, before the arrivals of per-synapse delays. The others
// (plasticity with presynaptic traces, on_post) stay single ranges.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void partitionDeliveries(ir::Module &m);

} // namespace snn::transforms
