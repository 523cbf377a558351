// libFuzzer target over the front end and the IR pipeline: any byte string, as a .snn file
// (with the stdlib importable), goes through parsing, Sema, IRGen and every IR pass. A crash, a
// sanitizer report, a hang, an internal error (IR that fails verification) or a rejection
// without an error message is a bug; a clean diagnostic is not. So is IR whose printed form does
// not read back (IRParser) into a module that prints the same, after IRGen and after the pipeline. Built by scripts/fuzz.sh with
// clang-19 (-fsanitize=fuzzer,address,undefined); see docs/reliability.md.
#include "snn/IR/IRGen.h"
#include "snn/IR/IRParser.h"
#include "snn/IR/IRPrinter.h"
#include "snn/IR/IRVerifier.h"
#include "snn/Parse/Parser.h"
#include "snn/Sema/Sema.h"
#include "snn/Transforms/Pipeline.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <pthread.h>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

struct Input {
  const uint8_t *data;
  size_t size;
};

[[noreturn]] void bug(const std::string &what, const std::string &diagnostics) {
  std::fprintf(stderr, "snnc-fuzz: %s\n%s\n", what.c_str(), diagnostics.c_str());
  std::abort();
}

/// The text form carries the whole module: printed, read back and printed again, it is the same.
void checkRoundTrip(const snn::ir::Module &m, const char *stage) {
  std::ostringstream text;
  snn::ir::printModule(text, m);
  snn::SourceManager sm;
  uint32_t file = sm.addBuffer("<ir>", text.str());
  std::ostringstream out;
  snn::DiagnosticEngine diags(sm, out);
  auto back = snn::ir::parseModule(sm, file, diags);
  if (!back)
    bug(std::string("the IR printed ") + stage + " does not read back", out.str() + text.str());
  std::ostringstream again;
  snn::ir::printModule(again, *back);
  if (again.str() != text.str())
    bug(std::string("the IR printed ") + stage + " reads back differently",
        text.str() + "\n--- read back ---\n" + again.str());
}

void compile(const Input &in) {
  // One file per process: libFuzzer runs inputs one after the other in each process.
  static const std::string path = [] {
    const char *tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/snnc-fuzz-" + std::to_string(getpid()) +
           ".snn";
  }();
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char *>(in.data), static_cast<std::streamsize>(in.size));
  }
  snn::SourceManager sm;
  std::ostringstream out;
  snn::DiagnosticEngine diags(sm, out);
  auto program = snn::loadProgram(path, {SNNC_STDLIB_DIR}, sm, diags);
  if (!program) {
    if (diags.errorCount() == 0)
      bug("a file was rejected without an error", out.str());
    return;
  }
  auto sema = snn::analyze(*program, sm, diags);
  if (!sema) {
    if (diags.errorCount() == 0)
      bug("Sema rejected a program without an error", out.str());
    return;
  }
  if (!sema->network.def)
    return;
  snn::ir::Module m = snn::ir::generateIR(*program, *sema);
  if (auto problems = snn::ir::verifyModule(m); !problems.empty())
    bug("IRGen produced invalid IR: " + problems[0], out.str());
  checkRoundTrip(m, "after IRGen");
  std::string err;
  snn::transforms::PipelineOptions opts;
  if (!snn::transforms::runPipeline(m, opts, diags, err)) {
    if (!err.empty())
      bug("internal error in the pipeline: " + err, out.str());
    if (diags.errorCount() == 0)
      bug("a pass rejected the program without an error", out.str());
    return;
  }
  checkRoundTrip(m, "after the pipeline");
}

void *run(void *p) {
  compile(*static_cast<Input *>(p));
  return nullptr;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // On a large stack of its own, as snnc runs its stages (snnc.cpp): nesting is bounded by the
  // parser's limits, not by the fuzzer's thread.
  Input in{data, size};
  pthread_attr_t attr;
  pthread_t thread;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(1) << 30);
  if (pthread_create(&thread, &attr, run, &in) != 0)
    compile(in);
  else
    pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return 0;
}
