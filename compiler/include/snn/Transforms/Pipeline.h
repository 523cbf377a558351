// The optimisation pipeline: the ordered list of IR passes between IRGen and code generation.
#pragma once

#include "snn/Basic/Diagnostics.h"
#include "snn/IR/IR.h"

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace snn::transforms {

struct PassInfo {
  const char *name;        // as accepted by -passes= and printed by -print-after-all
  const char *description;
  /// Passes that can find user errors (e.g. a requested integration method that does not apply)
  /// report them with the source location carried by the IR.
  std::function<void(ir::Module &, DiagnosticEngine &)> run;
};

/// Every pass, in pipeline order.
const std::vector<PassInfo> &passRegistry();

struct PipelineOptions {
  /// If non-empty, run only these passes (in the given order) instead of the default pipeline.
  std::vector<std::string> only;
  /// Print the IR after each pass to this stream.
  std::ostream *printAfterAll = nullptr;
};

/// Runs the pipeline, verifying the IR after each pass. Returns false if a pass reported an error
/// to `diags`, or (with a message in `error`) if a pass name is unknown or the verifier finds a
/// problem.
bool runPipeline(ir::Module &m, const PipelineOptions &opts, DiagnosticEngine &diags,
                 std::string &error);

} // namespace snn::transforms
