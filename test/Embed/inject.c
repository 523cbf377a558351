// Injected spikes (inject_inject): delivered in the step they are injected for (B counts them),
// queued and recorded as the neuron's spikes, duplicates once, but no reset and no refractory
// countdown for the neuron (A's reset is a separate kernel here: the runtime takes the injected
// spikes out before it). Bad neuron indices and names are refused.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %snnc %S/Inputs/inject.snn -emit=lib -o %t/libinject.a
// RUN: %snnc %S/Inputs/inject.snn -emit=ir | FileCheck --check-prefix=IR %s
// RUN: %cc -std=c99 -Wall -Wextra -pedantic -Werror -I%t %s %t/libinject.a -lm -lpthread -o %t/run
// RUN: %t/run | FileCheck %s
// IR: kernel reset.A (reset) {
#include "inject.h"

#include <stdio.h>

int main(void) {
  char err[256];
  inject *m = inject_create(NULL, err, sizeof err);
  if (!m) {
    printf("create: %s\n", err);
    return 1;
  }
  inject_array a, b, ref;
  inject_state(m, "A.v", &a);
  inject_state(m, "B.v", &b);
  inject_state(m, "A._refcnt", &ref);
  const double *av = a.data, *bv = b.data;
  const int *rc = ref.data;
  inject_step(m, 10);
  uint32_t two[] = {2, 2};
  inject_inject(m, "A", two, 2); /* twice: one spike */
  uint32_t three = 3;
  inject_inject(m, "A", &three, 1);
  inject_step(m, 1);
  // CHECK: B.v 0 0 1 1
  printf("B.v %g %g %g %g\n", bv[0], bv[1], bv[2], bv[3]);
  /* A[2] ramped from -0.2 for 11 steps (0.01 each) and got its own self-synapse's 0.001: no
   * reset to -5, no refractory countdown. */
  // CHECK: A.v[2] -0.089 refcnt 0
  printf("A.v[2] %.3f refcnt %d\n", av[2], rc[2]);
  int64_t steps[8];
  uint32_t neurons[8];
  int64_t n = inject_drain_spikes(m, "A", steps, neurons, 8);
  // CHECK: drained 2: (10, 2) (10, 3)
  printf("drained %lld: (%lld, %u) (%lld, %u)\n", (long long)n, (long long)steps[0], neurons[0],
         (long long)steps[1], neurons[1]);
  /* The next step has nothing injected: nothing more arrives. */
  inject_step(m, 1);
  // CHECK: B.v[2] 1 after a quiet step
  printf("B.v[2] %g after a quiet step\n", bv[2]);
  /* Neuron 0 spikes by itself in step s0 (found by stepping); injected in that very step too,
   * it spikes once, and its own spike still resets it and starts its refractory period. */
  int64_t s0 = inject_steps_done(m);
  while (rc[0] == 0) inject_step(m, 1), s0++;
  s0--; /* the step whose threshold it crossed */
  inject_reset(m);
  inject_state(m, "A.v", &a), inject_state(m, "B.v", &b), inject_state(m, "A._refcnt", &ref);
  av = a.data, bv = b.data, rc = ref.data;
  inject_step(m, s0);
  uint32_t zero = 0;
  inject_inject(m, "A", &zero, 1);
  inject_step(m, 1);
  // CHECK: B.v[0] 1, A.v[0] -5, refcnt 10
  printf("B.v[0] %g, A.v[0] %g, refcnt %d\n", bv[0], av[0], rc[0]);
  // CHECK: bad neuron: -5 neuron 4 of 'A' out of range (it has 4)
  uint32_t four = 4;
  printf("bad neuron: %d %s\n", inject_inject(m, "A", &four, 1), inject_error(m));
  // CHECK: bad name: -4 no population named 'C'
  printf("bad name: %d %s\n", inject_inject(m, "C", &zero, 1), inject_error(m));
  inject_write_outputs(m, "out");
  inject_destroy(m);
  return 0;
}
