// Final link of a model object with the runtime archives. Only this step uses the system C
// compiler driver, and only as a linker: model code never goes through a C compiler.
#include "snn/CodeGen/CodeGen.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace snn::codegen {

bool linkExecutable(const std::string &object, const std::string &output,
                    const std::string &runtimeLibDir, std::string &error) {
  auto cc = llvm::sys::findProgramByName("cc");
  if (!cc) {
    error = "cannot find the system linker driver 'cc' on PATH";
    return false;
  }
  llvm::SmallString<256> mainLib(runtimeLibDir), rtLib(runtimeLibDir);
  llvm::sys::path::append(mainLib, "libsnnrt_main.a");
  llvm::sys::path::append(rtLib, "libsnnrt.a");
  for (auto &lib : {mainLib, rtLib})
    if (!llvm::sys::fs::exists(lib)) {
      error = "cannot find the runtime library '" + std::string(lib.str()) +
              "' (use -runtime-dir to point at it)";
      return false;
    }
  std::vector<std::string> args = {*cc, object, std::string(mainLib.str()),
                                   std::string(rtLib.str()), "-lm", "-lpthread", "-o", output};
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::string msg;
  int rc = llvm::sys::ExecuteAndWait(*cc, refs, std::nullopt, {}, 0, 0, &msg);
  if (rc != 0) {
    error = "linking failed (" + *cc + " exited with " + std::to_string(rc) + ")" +
            (msg.empty() ? "" : ": " + msg);
    return false;
  }
  return true;
}

} // namespace snn::codegen
