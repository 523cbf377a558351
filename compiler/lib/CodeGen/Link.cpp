// Final link of a model object with the runtime archives. Only this step uses the system C
// compiler driver, and only as a linker: model code never goes through a C compiler.
#include "snn/CodeGen/CodeGen.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <optional>

namespace snn::codegen {

/// Extra flags for the final link from $SNNC_LINK_FLAGS (space-separated), for a runtime built
/// with sanitizers (scripts/sanitize.sh: -fsanitize=address,undefined).
static void addLinkFlags(std::vector<std::string> &args) {
  const char *env = std::getenv("SNNC_LINK_FLAGS");
  for (llvm::StringRef rest = env ? env : ""; !rest.trim().empty();) {
    auto [flag, tail] = rest.trim().split(' ');
    args.push_back(flag.str());
    rest = tail;
  }
}

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
  // The descriptor is exported (and only it) so that a plug-in or tool loaded into the process,
  // such as the CPU stand-in for libcuda.so.1 of the CUDA tests, can find the model. -ldl: the
  // runtime loads the CUDA driver with dlopen.
  std::vector<std::string> args = {*cc, object, std::string(mainLib.str()),
                                   std::string(rtLib.str()), "-lm", "-lpthread", "-ldl",
                                   "-Wl,--export-dynamic-symbol=snn_model", "-o", output};
  addLinkFlags(args);
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

namespace {

bool runTool(const std::string &tool, const std::vector<std::string> &args, const char *what,
             std::string &error, std::optional<llvm::StringRef> input = std::nullopt) {
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::string msg;
  std::optional<llvm::StringRef> redirects[3] = {input, std::nullopt, std::nullopt};
  int rc = llvm::sys::ExecuteAndWait(tool, refs, std::nullopt, redirects, 0, 0, &msg);
  if (rc != 0) {
    error = std::string(what) + " failed (" + tool + " exited with " + std::to_string(rc) + ")" +
            (msg.empty() ? "" : ": " + msg);
    return false;
  }
  return true;
}

} // namespace

bool linkLibrary(const std::string &object, const std::string &output,
                 const std::string &runtimeLibDir, std::string &error) {
  llvm::SmallString<256> rtLib(runtimeLibDir);
  llvm::sys::path::append(rtLib, "libsnnrt.a");
  if (!llvm::sys::fs::exists(rtLib)) {
    error = "cannot find the runtime library '" + std::string(rtLib.str()) +
            "' (use -runtime-dir to point at it)";
    return false;
  }
  llvm::StringRef out(output);
  if (out.ends_with(".so")) {
    // Only the model's symbols are exported: the runtime's come from an archive and stay hidden,
    // so two model libraries in one process never see each other's runtime.
    auto cc = llvm::sys::findProgramByName("cc");
    if (!cc) {
      error = "cannot find the system linker driver 'cc' on PATH";
      return false;
    }
    std::vector<std::string> args = {*cc, "-shared", "-o", output, object,
                                     std::string(rtLib.str()), "-Wl,--exclude-libs,ALL", "-lm",
                                     "-lpthread", "-ldl"};
    addLinkFlags(args);
    return runTool(*cc, args, "linking the shared library", error);
  }
  // A static library: the model object and every object of the runtime archive, by an `ar`
  // MRI script (the archive's members are added as they are).
  auto ar = llvm::sys::findProgramByName("ar");
  if (!ar) {
    error = "cannot find the archiver 'ar' on PATH";
    return false;
  }
  std::error_code ec;
  llvm::sys::fs::remove(output); // `ar` would otherwise add to an old archive
  llvm::SmallString<128> script;
  int fd;
  if ((ec = llvm::sys::fs::createTemporaryFile("snnc-ar", "mri", fd, script))) {
    error = "cannot create a temporary file: " + ec.message();
    return false;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << "CREATE " << output << "\nADDLIB " << rtLib << "\nADDMOD " << object << "\nSAVE\nEND\n";
  }
  bool ok = runTool(*ar, {*ar, "-M"}, "archiving the library", error, script.str());
  llvm::sys::fs::remove(script);
  return ok;
}

} // namespace snn::codegen
