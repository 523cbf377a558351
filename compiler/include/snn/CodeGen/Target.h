// Internal to lib/CodeGen: creation of the LLVM TargetMachine for the host (or a chosen CPU) and
// the optimisation pipeline, shared by the object-file path and the JIT so both produce the same
// machine code for the same model.
#pragma once

#include "snn/CodeGen/CodeGen.h"

#include <memory>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace snn::codegen {

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetOptions &opts,
                                                         std::string &error);
void optimizeModule(llvm::Module &m, llvm::TargetMachine &tm, const TargetOptions &opts);

} // namespace snn::codegen
