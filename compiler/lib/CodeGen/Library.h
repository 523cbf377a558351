// Internal to lib/CodeGen: the network-prefixed entry points and header of -emit=lib.
#pragma once

#include "snn/IR/IR.h"

#include <string>

namespace llvm {
class Module;
}

namespace snn::codegen {

/// Adds <net>_create, <net>_step, ... forwarding to the runtime's snn_instance_* functions.
void addLibraryEntryPoints(llvm::Module &mod, const std::string &net);

} // namespace snn::codegen
