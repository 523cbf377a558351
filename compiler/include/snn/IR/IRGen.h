// Lowers a checked program (AST + SemaResult) to the target-neutral IR, laying out the step in
// Brian2's default order: every population's update, then thresholds, then spike delivery, then
// resets. Later passes may fuse what this lays out separately.
#pragma once

#include "snn/IR/IR.h"
#include "snn/Sema/Sema.h"

namespace snn::ir {

Module generateIR(const ast::Program &program, const SemaResult &sema);

} // namespace snn::ir
