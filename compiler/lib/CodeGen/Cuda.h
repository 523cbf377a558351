// Internal to lib/CodeGen: what the CUDA back end adds to the translation of the IR — the NVPTX
// target machine, the launch geometry of kernel-table entries (one thread per neuron, per
// postsynaptic neuron, or one thread), the two runtime kernels every module carries (spike
// compaction and the spike log), and libdevice. The per-statement translation stays in
// CodeGen.cpp's Emitter, which runs in device mode for this target.
#pragma once

#include "llvm/IR/IRBuilder.h"

#include <memory>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace snn::codegen::cuda {

/// Threads per block of a kernel-table launch (a multiple of the warp size, so that a warp's
/// ballot covers 32 consecutive neurons: spike word w holds neurons 32 w .. 32 w + 31).
constexpr unsigned kBlock = 256;
/// Threads of the compaction kernel's single block (its scan is over one count per thread).
constexpr unsigned kScanThreads = 1024;

/// The PTX entry of step kernel `k` of the kernel table.
std::string entryName(size_t k);

/// blockIdx.x * blockDim.x + threadIdx.x, and threadIdx.x % 32.
llvm::Value *globalThreadIndex(llvm::IRBuilder<> &b);
llvm::Value *laneIndex(llvm::IRBuilder<> &b);
/// __ballot_sync(0xffffffff, pred): bit l set where lane l's pred holds.
llvm::Value *ballot(llvm::IRBuilder<> &b, llvm::Value *pred);

/// Declares `fn` a kernel (`.visible .entry`) through nvvm.annotations.
void markKernel(llvm::Function &fn, unsigned maxThreads = 0);

/// snn_cuda_compact(words, nwords, spikes, count) and snn_cuda_log_spikes(spikes, count, log,
/// offsets, slot): see docs/cuda.md and runtime/src/cuda.c, which launches them.
void addRuntimeKernels(llvm::Module &m);

/// The NVPTX64 target machine for `arch` ("sm_80"); an error for an unknown architecture.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const std::string &arch,
                                                         std::string &error);

/// libdevice's name of a math function: __nv_sin, or __nv_sinf for float32.
std::string libdeviceName(const std::string &fn, bool isFloat);

/// Links the libdevice functions `m` calls (any __nv_* declaration) from `path` (empty: the
/// toolkit's, $CUDA_PATH or /usr/local/cuda); nothing to do, and no file needed, if it calls none.
bool linkLibdevice(llvm::Module &m, const std::string &path, std::string &error);

} // namespace snn::codegen::cuda
