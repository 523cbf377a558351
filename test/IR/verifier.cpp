// The IR verifier, fed broken IR: a module made from a small network (parse, Sema, IRGen, the
// pass pipeline), then broken one way at a time, must be refused with the problem named; the
// unbroken lowered module passes, and the unlowered one is refused for code generation. (If the
// verifier returned nothing, every CHECK below but the first would fail.)
// RUN: %ir_cxx %s %ir_libs -o %t
// RUN: %t %S/Inputs/verifier_net.snn | FileCheck %s
#include "snn/IR/IR.h"
#include "snn/IR/IRGen.h"
#include "snn/IR/IRVerifier.h"
#include "snn/Parse/Parser.h"
#include "snn/Sema/Sema.h"
#include "snn/Transforms/Pipeline.h"

#include <cstdio>
#include <functional>
#include <iostream>

using namespace snn;
using namespace snn::ir;

static const char *path;

/// The network as IR, lowered by the whole pipeline (or not).
static Module build(bool lower) {
  SourceManager sm;
  DiagnosticEngine diags(sm, std::cerr);
  auto program = loadProgram(path, {}, sm, diags);
  auto sema = analyze(*program, sm, diags);
  Module m = generateIR(*program, *sema);
  std::string err;
  if (lower && !transforms::runPipeline(m, {}, diags, err))
    std::cerr << "pipeline failed: " << err << '\n';
  return m;
}

/// Breaks a lowered module with `brk` and prints the verifier's first problem.
static void expect(const char *what, const std::function<void(Module &)> &brk) {
  Module m = build(true);
  brk(m);
  auto problems = verifyModule(m, {/*requireLowered=*/true});
  std::printf("%s: %s\n", what, problems.empty() ? "ACCEPTED" : problems[0].c_str());
}

/// Appends `s` to the body of the first step kernel.
static void append(Module &m, StmtPtr s) { m.step.at(0).body.push_back(std::move(s)); }

int main(int argc, char **argv) {
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  if (argc < 2)
    return 2;
  path = argv[1];
  {
    Module m = build(true);
    auto problems = verifyModule(m, {true});
    // CHECK: lowered: 0 problems
    std::printf("lowered: %zu problems\n", problems.size());
    Module raw = build(false);
    auto early = verifyModule(raw, {true});
    // CHECK-NEXT: unlowered: {{.*}}left for code generation
    std::printf("unlowered: %s\n", early.empty() ? "ACCEPTED" : early[0].c_str());
  }
  // CHECK-NEXT: unbound: in kernel neurons.P: use of unbound %nope
  expect("unbound", [](Module &m) { append(m, makeLet("x", local("nope", Type::Real))); });
  // CHECK-NEXT: twice: in kernel neurons.P: %dup is bound twice
  expect("twice", [](Module &m) {
    append(m, makeLet("dup", real(1)));
    append(m, makeLet("dup", real(2)));
  });
  // CHECK-NEXT: assign: in kernel neurons.P: assignment to %let1, which is not a var
  expect("assign", [](Module &m) {
    append(m, makeLet("let1", real(1)));
    append(m, makeAssign("let1", real(2)));
  });
  // CHECK-NEXT: mixed: in kernel neurons.P: operands of mismatched or boolean type: {{.*}}
  expect("mixed", [](Module &m) { append(m, makeLet("y", add(integer(1), real(1)))); });
  // CHECK-NEXT: select: in kernel neurons.P: select arms of different types
  expect("select", [](Module &m) {
    append(m, makeLet("z", select(boolean(true), integer(1), real(1))));
  });
  // CHECK-NEXT: variable: in kernel neurons.P: reference to missing variable #99 of P
  expect("variable", [](Module &m) {
    append(m, makeLet("w", load(0, 99, Type::Real, integer(0))));
  });
  // CHECK-NEXT: philox: in kernel neurons.P: philox word 5 (there are 4)
  expect("philox", [](Module &m) {
    append(m, makeLet("r", philox(5, uconst(1, Type::U64), uconst(0, Type::U64),
                                  uconst(0, Type::U64))));
  });
  // CHECK-NEXT: loop: in kernel neurons.P: loop with begin > end
  expect("loop", [](Module &m) { append(m, makeLoop("l", 5, 2, {})); });
  // CHECK-NEXT: table: in kernel neurons.P: reference to missing constant table #99
  expect("table", [](Module &m) {
    append(m, makeLet("c", constLoad(99, Type::I32, index64(0))));
  });
  // CHECK-NEXT: kernel: in kernel neurons.P: kernel names a missing population
  expect("kernel", [](Module &m) { m.step.at(0).pop = 99; });
  // CHECK-NEXT: recorder: recorder 'P.v' names a missing variable
  expect("recorder", [](Module &m) { m.recorders.at(0).var = 99; });
  // CHECK-NEXT: unlowered stmt: in kernel neurons.P: ode left for code generation (integrate-odes has not run)
  expect("unlowered stmt", [](Module &m) {
    auto s = std::make_unique<Stmt>();
    s->kind = Stmt::Kind::Ode;
    s->name = "v";
    s->value = real(0);
    append(m, std::move(s));
  });
  // CHECK-NEXT: no operand: in kernel neurons.P: a statement or operation is missing an operand
  expect("no operand", [](Module &m) { append(m, makeLet("n", nullptr)); });
  return 0;
}
