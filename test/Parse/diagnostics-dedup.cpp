// One mistake, one message: the diagnostic engine prints an error (or warning) once for one
// location and text, however many checks meet it (a model checked once per use), drops the
// notes that follow a repeat, and still counts every error.
// RUN: %ir_cxx %s %ir_libs -o %t
// RUN: %t | FileCheck %s --implicit-check-not=error:
#include "snn/Basic/Diagnostics.h"

#include <iostream>
#include <sstream>

int main() {
  snn::SourceManager sm;
  uint32_t f = sm.addBuffer("m.snn", "neuron N { state { v = wmax } }\n");
  std::ostringstream out;
  snn::DiagnosticEngine d(sm, out);
  for (int use = 0; use < 3; ++use) {
    d.error({f, 1, 24}, "use of undeclared name 'wmax'");
    d.note({f, 1, 1}, "in neuron 'N' as used by population P" + std::to_string(use));
  }
  d.error({f, 1, 20}, "another mistake");
  std::cout << out.str() << "errors counted: " << d.errorCount() << '\n';
  // CHECK: m.snn:1:24: error: use of undeclared name 'wmax'
  // CHECK: m.snn:1:1: note: in neuron 'N' as used by population P0
  // CHECK-NOT: P1
  // CHECK-NOT: P2
  // CHECK: m.snn:1:20: error: another mistake
  // CHECK: errors counted: 4
  return 0;
}
