// The optimisation pipeline: the ordered list of IR passes between IRGen and code generation.
#pragma once

#include "snn/IR/IR.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace snn::transforms {

struct PassInfo {
  const char *name;        // as accepted by -passes= and printed by -print-after-all
  const char *description;
  std::function<void(ir::Module &)> run;
};

/// Every pass, in pipeline order.
const std::vector<PassInfo> &passRegistry();

struct PipelineOptions {
  /// If non-empty, run only these passes (in the given order) instead of the default pipeline.
  std::vector<std::string> only;
  /// Print the IR after each pass to this stream.
  std::ostream *printAfterAll = nullptr;
};

/// Runs the pipeline, verifying the IR after each pass. Returns false (with a message in
/// `error`) if a pass name is unknown or the verifier finds a problem.
bool runPipeline(ir::Module &m, const PipelineOptions &opts, std::string &error);

} // namespace snn::transforms
