// The LLVM back end, behind a small facade so that the driver and tests never include an LLVM
// header. It turns a lowered IR module into an LLVM module holding two kernels (init, step) and
// the constant `snn_model` descriptor of runtime.h, optimises it with LLVM's standard pipeline for
// the host CPU, and prints it, writes an object file, or runs it in an ORC JIT.
#pragma once

#include "snn/IR/IR.h"

#include <cstddef>
#include <string>
#include <vector>

namespace snn::codegen {

/// Whether step kernels that differ only in their values (slots, constants, bounds) share one
/// compiled function, each reading its values from a table (GeNN's merged groups): this keeps
/// compile time linear in the number of distinct kernels, at the cost of folding constants in.
/// Auto merges from kMergeKernelsAt step kernels on.
enum class MergeKernels { Auto, Always, Never };
inline constexpr size_t kMergeKernelsAt = 32;

struct TargetOptions {
  std::string cpu = "native"; // "native": the host CPU and its features (like -march=native)
  std::string attrs;          // -mattr: "+avx2,-avx512f", added to the CPU's features
  bool optimize = true;       // run LLVM's O2 pipeline
  /// --target=cuda: also compile the step kernels to PTX (carried in the model descriptor, so
  /// the executable, library and JIT can run on a CUDA device as well as on the CPU).
  bool cuda = false;
  std::string cudaArch = "sm_80"; // --cuda-arch: the PTX target (runs on this and newer GPUs)
  std::string libdevice;          // --libdevice: libdevice.10.bc (empty: $CUDA_PATH's)
  MergeKernels mergeKernels = MergeKernels::Auto; // -merge-kernels
};

enum class OutputKind { LLVMText, Assembly, Object };

/// What an object is for: linking by hand, an executable (which also defines the `snn_model`
/// that the runtime's `main`, libsnnrt_main, calls) or an embeddable library (which also defines
/// the entry points <network>_create, <network>_step, ... of snn/instance.h).
enum class ObjectRole { Plain, Executable, Library };

/// Generates code for `m` and writes it to `path` ("-" for stdout).
/// The model's descriptor is exported as snn_model_<network>.
bool emitFile(const ir::Module &m, OutputKind kind, const TargetOptions &opts,
              const std::string &path, std::string &error, ObjectRole role = ObjectRole::Plain);

/// The CUDA kernels of `m` as PTX text (or, with `llvmText`, the optimised NVVM IR).
bool emitPTX(const ir::Module &m, const TargetOptions &opts, std::string &ptx, std::string &error,
             bool llvmText = false);

/// The C header of the library made with ObjectRole::Library.
std::string libraryHeader(const ir::Module &m);

/// Archives (`output` ending in .a) or links (.so) a library object with the runtime:
/// a static library holding the model and the runtime's objects, or a shared one exporting only
/// the model's symbols.
bool linkLibrary(const std::string &object, const std::string &output,
                 const std::string &runtimeLibDir, std::string &error);

/// Compiles `m` in memory and runs it with the runtime's command line (`args[0]` is the program
/// name). Returns the process exit status the compiled executable would have had.
int runJIT(const ir::Module &m, const TargetOptions &opts, const std::vector<std::string> &args,
           std::string &error);

/// Links an object file produced by emitFile with the runtime into an executable using the system
/// C compiler driver (`cc`). `runtimeLibDir` holds libsnnrt.a and libsnnrt_main.a.
bool linkExecutable(const std::string &object, const std::string &output,
                    const std::string &runtimeLibDir, std::string &error);

} // namespace snn::codegen
