// compact-spikes: the threshold of a neuron loop becomes a mask, and the spike list is built from
// it afterwards. The loop is cut into tiles of kTileSize neurons; within a tile every neuron
// writes whether it spiked to the tile's mask (the reset that followed `emit_spike` stays in the
// loop, under the same condition), and after the tile its spiking neurons are appended to the
// spike list in ascending order. So the loop body carries no dependence from one neuron to the
// next (the running spike count of `emit_spike`), which is what lets it run as SIMD lanes, and
// later as threads or GPU blocks over tiles: compaction in tile order keeps the list sorted
// whatever the tiling.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

/// Neurons per tile: the mask of one tile (a byte per neuron) stays in the L1 cache.
constexpr int64_t kTileSize = 256;

void compactSpikes(ir::Module &m);

} // namespace snn::transforms
