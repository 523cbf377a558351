// snnc — the .snn compiler driver. Parses options and calls the stages in order; it holds no
// compiler logic of its own (the pass list lives in Transforms/Pipeline.cpp). Every stage can be
// stopped at and printed with -emit=, which is what the lit tests use.
#include "snn/AST/ASTPrinter.h"
#include "snn/Basic/LargeStack.h"
#include "snn/CodeGen/CodeGen.h"
#include "snn/IR/IRGen.h"
#include "snn/IR/IRPrinter.h"
#include "snn/IR/IRVerifier.h"
#include "snn/Parse/Parser.h"
#include "snn/Sema/Sema.h"
#include "snn/Transforms/Pipeline.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace snn;

namespace {

const char *kUsage = R"(usage: snnc [options] <file.snn>
       snnc run [options] <file.snn> [simulation options]

Compiles a .snn network to a native executable (default), or stops at a stage and prints it.

  -o <path>             output file (default: the input's name without .snn; '-': stdout, for
                        the text stages ast, ir, llvm, asm and ptx)
  -emit=<stage>         ast | ir | llvm | asm | obj | exe | lib | ptx (default exe); lib makes
                        an embeddable library, static (-o libnet.a, the default) or shared
                        (-o libnet.so), and its C header <network>.h beside it; ptx prints
                        the CUDA kernels (implies --target=cuda)
  --target=<t>          cpu (default) | cuda: cuda also compiles the step kernels to PTX, and
                        the executable, library and JIT then run on a CUDA GPU by default
                        (--device cpu still runs them on the CPU)
  --cuda-arch=<sm_XX>   the PTX's GPU architecture (default sm_80: runs on it and newer)
  --libdevice=<file>    libdevice.10.bc for math functions (default: $CUDA_PATH or
                        /usr/local/cuda, nvvm/libdevice/)
  -passes=<p1,p2,...>   run only these IR passes, in this order (empty: none)
  -print-after-all      print the IR after every pass (to stderr)
  -O0                   skip LLVM's optimisation pipeline
  -merge-kernels=<m>    auto (default: from 32 step kernels on) | always | never: step kernels
                        that differ only in their values share one compiled function
  -mcpu=<cpu>           target CPU (default: native, the host's CPU and features)
  -mattr=<+f,-f,...>    add or remove target features (e.g. -mattr=-avx512f)
  -I <dir>              add a directory to the import search path (before the stdlib)
  -runtime-dir=<dir>    where libsnnrt.a is (default: <snnc>/../lib)
  --version             print the version
  -h, --help            print this help

'snnc run' compiles in memory (LLVM ORC JIT) and runs at once; options after the file are the
simulation's own: --duration T, --seed N, --out DIR, --quiet, --help.
Passes: )";

enum class Emit { AST, IR, LLVM, Asm, Obj, Exe, Lib, PTX };

struct Options {
  bool run = false;
  std::string input;
  std::string output;
  Emit emit = Emit::Exe;
  bool passesGiven = false;
  std::vector<std::string> passes;
  bool printAfterAll = false;
  codegen::TargetOptions target;
  std::vector<std::string> includeDirs;
  std::string runtimeDir;
  std::vector<std::string> simArgs;
};

void printUsage(std::ostream &os) {
  os << kUsage;
  bool first = true;
  for (auto &p : transforms::passRegistry()) {
    os << (first ? "" : ", ") << p.name;
    first = false;
  }
  os << '\n';
}

[[noreturn]] void usageError(const std::string &msg, int status = 1) {
  std::cerr << "snnc: error: " << msg << "\n(run 'snnc --help' for usage)\n";
  std::exit(status);
}

std::vector<std::string> splitComma(const std::string &s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty())
      out.push_back(item);
  return out;
}

Options parseArgs(int argc, char **argv) {
  Options o;
  int i = 1;
  if (argc > 1 && std::string(argv[1]) == "run") {
    o.run = true;
    i = 2;
  }
  for (; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string &flag) -> std::string {
      if (a.size() > flag.size() && a.compare(0, flag.size(), flag) == 0 && a[flag.size()] == '=')
        return a.substr(flag.size() + 1);
      if (i + 1 >= argc)
        usageError("missing value after '" + flag + "'");
      return argv[++i];
    };
    if (o.run && !o.input.empty()) {
      o.simArgs.push_back(a); // everything after the file belongs to the simulation
      continue;
    }
    if (a == "-h" || a == "--help") {
      printUsage(std::cout);
      std::exit(0);
    } else if (a == "--version") {
      std::cout << "snnc " << SNNC_VERSION << '\n';
      std::exit(0);
    } else if (a == "-o") {
      o.output = value("-o");
    } else if (a.rfind("-emit", 0) == 0) {
      std::string v = value("-emit");
      if (v == "ast") o.emit = Emit::AST;
      else if (v == "ir") o.emit = Emit::IR;
      else if (v == "llvm") o.emit = Emit::LLVM;
      else if (v == "asm") o.emit = Emit::Asm;
      else if (v == "obj") o.emit = Emit::Obj;
      else if (v == "exe") o.emit = Emit::Exe;
      else if (v == "lib") o.emit = Emit::Lib;
      else if (v == "ptx") o.emit = Emit::PTX, o.target.cuda = true;
      else
        usageError("unknown stage '" + v +
                   "' for -emit (expected ast, ir, llvm, asm, obj, exe, lib or ptx)");
    } else if (a.rfind("--target", 0) == 0) {
      std::string v = value("--target");
      if (v == "cuda")
        o.target.cuda = true;
      else if (v != "cpu")
        usageError("unknown target '" + v + "' for --target (valid: cpu, cuda)", 2);
    } else if (a.rfind("--cuda-arch", 0) == 0) {
      o.target.cudaArch = value("--cuda-arch");
    } else if (a.rfind("--libdevice", 0) == 0) {
      o.target.libdevice = value("--libdevice");
    } else if (a.rfind("-passes", 0) == 0) {
      o.passesGiven = true;
      o.passes = splitComma(value("-passes"));
    } else if (a == "-print-after-all") {
      o.printAfterAll = true;
    } else if (a.rfind("-merge-kernels", 0) == 0) {
      std::string v = value("-merge-kernels");
      if (v == "auto")
        o.target.mergeKernels = codegen::MergeKernels::Auto;
      else if (v == "always")
        o.target.mergeKernels = codegen::MergeKernels::Always;
      else if (v == "never")
        o.target.mergeKernels = codegen::MergeKernels::Never;
      else
        usageError("unknown value '" + v + "' for -merge-kernels (valid: auto, always, never)", 2);
    } else if (a == "-O0") {
      o.target.optimize = false;
    } else if (a == "-O2" || a == "-O3") {
      o.target.optimize = true;
    } else if (a.rfind("-mcpu", 0) == 0) {
      o.target.cpu = value("-mcpu");
    } else if (a.rfind("-mattr", 0) == 0) {
      o.target.attrs = value("-mattr");
    } else if (a.rfind("-runtime-dir", 0) == 0) {
      o.runtimeDir = value("-runtime-dir");
    } else if (a == "-I") {
      o.includeDirs.push_back(value("-I"));
    } else if (a.rfind("-I", 0) == 0) {
      o.includeDirs.push_back(a.substr(2));
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      usageError("unknown option '" + a + "'");
    } else if (o.input.empty()) {
      o.input = a;
    } else {
      usageError("more than one input file ('" + o.input + "' and '" + a + "')");
    }
  }
  if (o.input.empty())
    usageError("no input file");
  return o;
}

fs::path selfDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path(".") : exe.parent_path();
}

std::vector<std::string> importPaths(const Options &o) {
  std::vector<std::string> paths = o.includeDirs;
  fs::path installed = selfDir() / ".." / "share" / "snnc" / "stdlib";
  std::error_code ec;
  if (fs::is_directory(installed, ec))
    paths.push_back(installed.string());
  paths.push_back(SNNC_STDLIB_DIR);
  return paths;
}

std::string defaultOutput(const Options &o, const char *suffix) {
  return fs::path(o.input).stem().string() + suffix;
}

/// Emits the module's object to a temporary file and links it into `out` with `link` (the
/// runtime from -runtime-dir, or <snnc>/../lib); the temporary is removed either way.
bool objectThenLink(const ir::Module &module, const Options &opts, const std::string &out,
                    codegen::ObjectRole role,
                    bool (*link)(const std::string &, const std::string &, const std::string &,
                                 std::string &),
                    std::string &err) {
  std::error_code tmpErr;
  fs::path tmp = fs::temp_directory_path(tmpErr);
  if (tmpErr || !fs::is_directory(tmp, tmpErr)) {
    const char *env = std::getenv("TMPDIR");
    err = std::string("cannot use the temporary directory") +
          (env ? " '" + std::string(env) + "' (TMPDIR)" : "") + ": " +
          (tmpErr ? tmpErr.message() : "not a directory");
    return false;
  }
  fs::path obj = tmp / ("snnc-" + std::to_string(::getpid()) + "-" +
                        fs::path(out).filename().string() + ".o");
  bool ok = codegen::emitFile(module, codegen::OutputKind::Object, opts.target, obj.string(), err,
                              role);
  std::string rtDir =
      opts.runtimeDir.empty() ? (selfDir() / ".." / "lib").string() : opts.runtimeDir;
  ok = ok && link(obj.string(), out, rtDir, err);
  std::error_code ec;
  fs::remove(obj, ec);
  return ok;
}

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Writes `text` to the -o file, or stdout if none (or '-') was given.
int writeText(const Options &o, const std::string &text) {
  if (o.output.empty() || o.output == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? 0 : 1;
  }
  std::ofstream out(o.output);
  out << text;
  if (!out) {
    std::cerr << "snnc: error: cannot write '" << o.output << "'\n";
    return 1;
  }
  return 0;
}

} // namespace

/// -o must not overwrite the input, and binary outputs do not go to a terminal or pipe.
void checkOutput(const Options &o) {
  if (o.output.empty() || o.run)
    return;
  std::error_code ec;
  if (o.output != "-" && fs::equivalent(o.output, o.input, ec))
    usageError("-o '" + o.output + "' names the input file");
  if (o.output == "-" && (o.emit == Emit::Exe || o.emit == Emit::Lib || o.emit == Emit::Obj))
    usageError("-o - (standard output) is for the text stages (-emit=ast, ir, llvm, asm, ptx); "
               "give an executable, library or object a file name");
}

int compilerMain(int argc, char **argv) {
  Options opts = parseArgs(argc, argv);
  checkOutput(opts);

  SourceManager sm;
  DiagnosticEngine diags(sm, std::cerr);
  auto program = loadProgram(opts.input, importPaths(opts), sm, diags);
  if (!program)
    return 1;
  if (opts.emit == Emit::AST && !opts.run) {
    std::ostringstream os;
    ast::printProgram(os, *program, sm);
    return writeText(opts, os.str());
  }

  auto sema = analyze(*program, sm, diags);
  if (!sema)
    return 1;
  if (!sema->network.def) {
    diags.error({}, "'" + opts.input + "' defines no network to compile "
                    "(add 'network name { ... }' with populations and a run statement)");
    return 1;
  }

  ir::Module module = ir::generateIR(*program, *sema);
  if (auto problems = ir::verifyModule(module); !problems.empty()) {
    std::cerr << "snnc: internal error: IRGen produced invalid IR: " << problems[0] << '\n';
    return 70;
  }
  transforms::PipelineOptions popts;
  if (opts.passesGiven)
    popts.only = opts.passes.empty() ? std::vector<std::string>{} : opts.passes;
  if (opts.printAfterAll)
    popts.printAfterAll = &std::cerr;
  if (!opts.passesGiven || !opts.passes.empty()) {
    std::string err;
    if (!transforms::runPipeline(module, popts, diags, err)) {
      if (!err.empty())
        std::cerr << "snnc: error: " << err << '\n';
      return 1;
    }
  }

  if (opts.run) {
    std::vector<std::string> args = {fs::path(opts.input).stem().string()};
    args.insert(args.end(), opts.simArgs.begin(), opts.simArgs.end());
    std::string err;
    int rc = codegen::runJIT(module, opts.target, args, err);
    if (!err.empty())
      std::cerr << "snnc: error: " << err << '\n';
    return rc;
  }

  std::string err;
  switch (opts.emit) {
  case Emit::AST:
    return 0;
  case Emit::IR: {
    std::ostringstream os;
    ir::printModule(os, module);
    return writeText(opts, os.str());
  }
  case Emit::LLVM:
  case Emit::Asm: {
    std::string out = opts.output.empty() ? "-" : opts.output;
    if (!codegen::emitFile(module, opts.emit == Emit::LLVM ? codegen::OutputKind::LLVMText
                                                           : codegen::OutputKind::Assembly,
                           opts.target, out, err)) {
      std::cerr << "snnc: error: " << err << '\n';
      return 1;
    }
    return 0;
  }
  case Emit::PTX: {
    std::string ptx;
    if (!codegen::emitPTX(module, opts.target, ptx, err)) {
      std::cerr << "snnc: error: " << err << '\n';
      return 1;
    }
    return writeText(opts, ptx);
  }
  case Emit::Obj: {
    std::string out = opts.output.empty() ? defaultOutput(opts, ".o") : opts.output;
    if (!codegen::emitFile(module, codegen::OutputKind::Object, opts.target, out, err)) {
      std::cerr << "snnc: error: " << err << '\n';
      return 1;
    }
    return 0;
  }
  case Emit::Lib: {
    std::string out = opts.output.empty() ? "lib" + module.name + ".a" : opts.output;
    if (!endsWith(out, ".a") && !endsWith(out, ".so")) {
      std::cerr << "snnc: error: a library's name must end in .a (static) or .so (shared), not '"
                << out << "'\n";
      return 1;
    }
    fs::path header = fs::path(out).parent_path() / (module.name + ".h");
    bool ok = objectThenLink(module, opts, out, codegen::ObjectRole::Library, codegen::linkLibrary,
                             err);
    if (ok) {
      std::ofstream h(header);
      h << codegen::libraryHeader(module);
      h.close();
      if (!h) {
        err = "cannot write '" + header.string() + "'";
        ok = false;
      }
    }
    if (!ok) {
      std::cerr << "snnc: error: " << err << '\n';
      return 1;
    }
    return 0;
  }
  case Emit::Exe: {
    std::string out = opts.output.empty() ? defaultOutput(opts, "") : opts.output;
    if (!objectThenLink(module, opts, out, codegen::ObjectRole::Executable,
                        codegen::linkExecutable, err)) {
      std::cerr << "snnc: error: " << err << '\n';
      return 1;
    }
    return 0;
  }
  }
  return 0;
}

int main(int argc, char **argv) { return runOnLargeStack(compilerMain, argc, argv); }
