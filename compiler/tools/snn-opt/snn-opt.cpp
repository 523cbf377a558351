// snn-opt — IR text in, passes, IR text out. Reads what `snnc -emit=ir` (or -print-after-all)
// prints, verifies it, runs the passes named with -passes= in that order, verifying after each,
// and prints the result: so that each pass can be tested from IR written for it, and the verifier
// from IR that no front end would produce.
#include "snn/Basic/LargeStack.h"
#include "snn/IR/IRParser.h"
#include "snn/IR/IRPrinter.h"
#include "snn/IR/IRVerifier.h"
#include "snn/Transforms/Pipeline.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

using namespace snn;

namespace {

const char *kUsage = R"(usage: snn-opt [options] <file.ir | ->

Reads the IR's text form (snnc -emit=ir), verifies it, runs the given passes in order (verifying
after each) and prints the result.

  -passes=<p1,p2,...>   the passes to run, in this order (default: none, only verify)
  -print-after-all      print the IR after every pass (to stderr)
  -verify-lowered       also require the lowered form code generation takes
  -o <path>             output file (default: standard output)
  -h, --help            print this help

Exit status: 0 success, 1 the IR does not parse, does not verify or a pass reports an error,
2 bad usage.
Passes:)";

struct Options {
  std::string input, output = "-";
  std::vector<std::string> passes;
  bool printAfterAll = false, lowered = false;
};

[[noreturn]] void usageError(const std::string &msg) {
  std::cerr << "snn-opt: error: " << msg << "\n(snn-opt --help lists the options)\n";
  std::exit(2);
}

void printUsage() {
  std::cout << kUsage;
  for (auto &p : transforms::passRegistry())
    std::cout << "\n  " << p.name << " — " << p.description;
  std::cout << '\n';
}

Options parseArgs(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      printUsage();
      std::exit(0);
    } else if (a.rfind("-passes=", 0) == 0) {
      std::stringstream ss(a.substr(8));
      for (std::string p; std::getline(ss, p, ',');) {
        bool known = false;
        for (auto &q : transforms::passRegistry())
          known = known || p == q.name;
        if (!known)
          usageError("unknown pass '" + p + "' (snn-opt --help lists them)");
        o.passes.push_back(p);
      }
    } else if (a == "-print-after-all") {
      o.printAfterAll = true;
    } else if (a == "-verify-lowered") {
      o.lowered = true;
    } else if (a == "-o") {
      if (++i >= argc)
        usageError("-o needs a path");
      o.output = argv[i];
    } else if (a.size() > 1 && a[0] == '-') {
      usageError("unknown option '" + a + "'");
    } else if (!o.input.empty()) {
      usageError("more than one input file ('" + o.input + "' and '" + a + "')");
    } else {
      o.input = a;
    }
  }
  if (o.input.empty())
    usageError("no input file");
  return o;
}

/// Each problem as a located error where its statement has a location (all read from text do).
bool verify(const ir::Module &m, ir::VerifyOptions vo, const std::string &when,
            DiagnosticEngine &diags) {
  auto problems = ir::verifyModuleLocated(m, vo);
  for (auto &p : problems)
    diags.error(p.loc, "IR verification failed " + when + ": " + p.message);
  return problems.empty();
}

int optMain(int argc, char **argv) {
  Options o = parseArgs(argc, argv);
  SourceManager sm;
  uint32_t file;
  if (o.input == "-") {
    file = sm.addBuffer("<stdin>", std::string(std::istreambuf_iterator<char>(std::cin), {}));
  } else if (auto f = sm.loadFile(o.input)) {
    file = *f;
  } else {
    std::cerr << "snn-opt: error: cannot read '" << o.input << "'\n";
    return 1;
  }
  DiagnosticEngine diags(sm, std::cerr, "snn-opt");
  auto m = ir::parseModule(sm, file, diags);
  if (!m)
    return 1;
  if (!verify(*m, {}, "on input", diags))
    return 1;
  if (!o.passes.empty()) {
    transforms::PipelineOptions po;
    po.only = o.passes;
    if (o.printAfterAll)
      po.printAfterAll = &std::cerr;
    std::string err;
    if (!transforms::runPipeline(*m, po, diags, err)) {
      if (!err.empty())
        std::cerr << "snn-opt: error: " << err << '\n';
      return 1;
    }
  }
  if (o.lowered && !verify(*m, {/*requireLowered=*/true}, "for code generation", diags))
    return 1;
  std::ostringstream text;
  ir::printModule(text, *m);
  if (o.output == "-") {
    std::cout << text.str();
    return std::cout.flush() ? 0 : 1;
  }
  std::ofstream out(o.output, std::ios::binary);
  if (!(out << text.str()) || !out.flush()) {
    std::cerr << "snn-opt: error: cannot write '" << o.output << "'\n";
    return 1;
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) { return runOnLargeStack(optMain, argc, argv); }
