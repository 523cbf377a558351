// Spike sources read from a file at compile time (`population S = spikes("in.csv")[n]`): a CSV
// file with a header naming the columns `t` (seconds) and `i` (neuron index), or a .npy file with
// fields t and i as snnc itself writes them. Every problem is reported at the file's own line.
#pragma once

#include "snn/Basic/Diagnostics.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snn {

struct SpikeEvent {
  int64_t step;   // the step whose start is nearest to the spike time
  uint32_t index; // neuron
};

/// Reads the events of `path` for a source of `size` neurons, sorted by step then index. Times
/// are rounded to the nearest step (t/dt to the nearest integer); two spikes of one neuron in one
/// step, negative times and indices outside [0, size) are errors. Returns nullopt on error.
std::optional<std::vector<SpikeEvent>> readSpikeFile(const std::string &path, uint32_t size,
                                                     double dt, SourceLoc usedAt,
                                                     SourceManager &sm, DiagnosticEngine &diags);

} // namespace snn
