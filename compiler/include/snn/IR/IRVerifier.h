// Structural and type checks on the IR, run after IRGen and after every pass so that a broken
// pass is caught where it broke things rather than in code generation.
#pragma once

#include "snn/IR/IR.h"

#include <string>
#include <vector>

namespace snn::ir {

struct VerifyOptions {
  /// Require the fully lowered form code generation accepts: no Quantity, Param or Ode left.
  bool requireLowered = false;
};

/// Returns the problems found (empty if the module is well formed).
std::vector<std::string> verifyModule(const Module &m, VerifyOptions opts = {});

/// A problem and the location of the statement it is in (statements read from IR text all have
/// one; those the front end makes, only some).
struct VerifierProblem {
  std::string message;
  SourceLoc loc;
};
std::vector<VerifierProblem> verifyModuleLocated(const Module &m, VerifyOptions opts = {});

} // namespace snn::ir
