// The compiler's stages recurse over expressions (ANTLR's parser, the tree walks of
// ParseTreeToAST, Sema, IRGen, the IR parser, the passes and CodeGen), so their stack need grows
// with the nesting of the program (a flat sum of n terms is a tree n deep). The tools run them on
// a thread of their own with a stack of kLargeStackBytes, reserved, not committed, whatever
// `ulimit -s` says; the parsers refuse nesting beyond what that stack holds with a diagnostic.
#pragma once

#include <cstddef>

namespace snn {

constexpr size_t kLargeStackBytes = size_t(1) << 30;

/// Runs main(argc, argv) on a thread with a stack of kLargeStackBytes and returns its result; on
/// this thread, with its limits, where no such thread can be made (a strict memory limit).
int runOnLargeStack(int (*main)(int, char **), int argc, char **argv);

} // namespace snn
