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

/// The exported model descriptor (runtime.h's snn_model_desc) of network `name`: snn_model_<name>,
/// so that several models can be linked into one program.
inline std::string modelSymbol(const std::string &name) { return "snn_model_" + name; }
/// What runtime/src/main.c (the executable's `main`) links against: an alias of the descriptor
/// that only an object meant for an executable defines.
inline constexpr const char *kEntryModelSymbol = "snn_model";

std::unique_ptr<llvm::Module> buildLLVMModule(const ir::Module &m, llvm::LLVMContext &ctx,
                                              llvm::TargetMachine &tm);

/// Verifies the IR is lowered, builds the LLVM module, verifies it and runs the optimiser.
std::unique_ptr<llvm::Module> compileToLLVM(const ir::Module &m, llvm::LLVMContext &ctx,
                                            llvm::TargetMachine &tm, const TargetOptions &opts,
                                            std::string &error);

} // namespace snn::codegen
