// lower-synapse-loops: the loops over a neuron's synapses become loops over positions in the
// projection's connectivity arrays (runtime.h, docs/runtime.md "Connectivity"), with the searches
// they need spelled out as IR.
//   - for_synapses %post, %syn from pre: the row [row_ptr[r], row_ptr[r + 1]) of r = pre - first
//     pre neuron, %syn the position and %post = col[%syn]. With a delay d (per-synapse delays),
//     only the row's segment of delay d: row_ptr[r] + delay_ptr[r (D + 2) + d] and + 1. Marked
//     to cover the kernel's range of post neurons (partition-deliveries), the row, sorted by
//     post, is cut to [range_begin, range_end) by two binary searches, skipped when the range is
//     every post neuron.
//   - for_column %pre, %syn to post: the by-post index's entries [col_ptr[q], col_ptr[q + 1]) of
//     q = post - first post neuron give %syn = post_syn[k] and %pre = post_pre[k]. (Storing the
//     pre neuron costs 4 bytes per plastic synapse; searching row_ptr for it instead made on_post
//     three times slower: ten dependent loads per synapse.)
// The row cut's searches are fixed-shape `while`s over two `var`s: branch-free once LLVM turns
// the `if` into selects, and the same code on a GPU.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void lowerSynapseLoops(ir::Module &m);

} // namespace snn::transforms
