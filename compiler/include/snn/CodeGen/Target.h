// Internal to lib/CodeGen: creation of the LLVM TargetMachine for the host (or a chosen CPU) and
// the optimisation pipeline, shared by the object-file path and the JIT so both produce the same
// machine code for the same model.
#pragma once

#include "snn/CodeGen/CodeGen.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace snn::codegen {

/// Fails with a message for an unknown -mcpu or -mattr name.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetOptions &opts,
                                                         std::string &error);
/// The instruction-set features `tm` generates code for that this machine lacks (by LLVM's
/// names, "avx512f"), empty if it can run the code.
std::vector<std::string> missingHostFeatures(const llvm::TargetMachine &tm);
/// The x86 extensions `tm` may use, as the runtime checks them before running (runtime.h's
/// snn_model_desc.isa): a comma-separated list of names both LLVM and GCC's
/// __builtin_cpu_supports know.
std::string requiredIsa(const llvm::TargetMachine &tm);
void optimizeModule(llvm::Module &m, llvm::TargetMachine &tm, const TargetOptions &opts);

} // namespace snn::codegen
