// Internal to lib/CodeGen: IR -> LLVM module translation, shared by emitFile and the JIT.
#pragma once

#include "snn/CodeGen/CodeGen.h"
#include "snn/IR/IR.h"

#include <memory>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace snn::codegen {

/// The name of the exported model descriptor (runtime.h's snn_model_desc).
inline constexpr const char *kModelSymbol = "snn_model";

std::unique_ptr<llvm::Module> buildLLVMModule(const ir::Module &m, llvm::LLVMContext &ctx,
                                              llvm::TargetMachine &tm);

/// Verifies the IR is lowered, builds the LLVM module, verifies it and runs the optimiser.
std::unique_ptr<llvm::Module> compileToLLVM(const ir::Module &m, llvm::LLVMContext &ctx,
                                            llvm::TargetMachine &tm, const TargetOptions &opts,
                                            std::string &error);

} // namespace snn::codegen
