// Runs the hand-written tick model (Inputs/tick_model.h) in two pieces and checks the recorder
// files with NumPy against the closed forms, in float64 and float32 mode.
// RUN: rm -rf %t.out64 %t.out32
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t64 && %t64 %t.out64/nested | FileCheck --strict-whitespace %s
// RUN: %python %S/Inputs/check_tick.py %t.out64/nested 23 | FileCheck --check-prefix=PY %s
// RUN: %cc %snnrt_cflags -DTICK_REAL_FLOAT %s %snnrt_libs -o %t32 && %t32 %t.out32 | FileCheck --strict-whitespace %s
// RUN: %python %S/Inputs/check_tick.py %t.out32 23 | FileCheck --check-prefix=PY %s
// PY: tick outputs ok
#include "Inputs/tick_model.h"
#include <stdio.h>

int main(int argc, char **argv) {
  (void)argc;
  char err[256];
  snn_sim *sim = snn_sim_create(&tick_model, 7, err, sizeof err);
  if (!sim) {
    printf("create failed: %s\n", err);
    return 1;
  }
  // 1 ms = 10 steps, then 1.3 ms = 13 more: the second run continues at step 10.
  snn_run_options quiet = {0};
  int rc;
  // CHECK: run1 0 steps 10
  rc = snn_sim_run(sim, 1e-3, &quiet);
  printf("run1 %d steps %lld\n", rc, (long long)snn_sim_steps_done(sim));
  // CHECK: run2 0 steps 23
  rc = snn_sim_run(sim, 1.3e-3, NULL);
  printf("run2 %d steps %lld\n", rc, (long long)snn_sim_steps_done(sim));
  // A negative duration is refused and changes nothing.
  // CHECK: run3 -1 steps 23
  rc = snn_sim_run(sim, -1.0, NULL);
  printf("run3 %d steps %lld\n", rc, (long long)snn_sim_steps_done(sim));

  // Neuron i spiked ceil(23 / (i + 1)) times: 23 + 12 + 8 + 6 + 5 + 4 = 58.
  // CHECK: spikes 58
  printf("spikes %llu\n", (unsigned long long)snn_sim_num_spikes(sim, 0));
  // CHECK: synapses 2
  printf("synapses %llu\n", (unsigned long long)snn_sim_num_synapses(sim, 0));
  // Out-of-range introspection returns 0 / NULL.
  // CHECK: out of range 0 0 1
  printf("out of range %llu %llu %d\n", (unsigned long long)snn_sim_num_spikes(sim, 1),
         (unsigned long long)snn_sim_num_synapses(sim, 1), snn_sim_buffer(sim, TICK_NBUF) == NULL);

  if (snn_sim_write_outputs(sim, argv[1], err, sizeof err)) {
    printf("write failed: %s\n", err);
    return 1;
  }
  // Table: rate = 58 spikes / 6 neurons / 2.3 ms = 4202.899 Hz; columns right-aligned.
  // CHECK: snnc: network 'tick', 2.3 ms simulated (23 steps of 0.1 ms), seed 7
  // CHECK-NEXT: {{^}}  population    neurons      spikes   rate (Hz){{$}}
  // CHECK-NEXT: {{^}}  P                   6          58    4202.899{{$}}
  // bytes/syn: a 4-byte column index per synapse plus 8-byte row pointers for 2 pre neuron rows
  // (+1) shared by the 2 synapses: 4 + 8*3/2 = 16.
  // CHECK-NEXT: {{^}}  projection   synapses   bytes/syn{{$}}
  // CHECK-NEXT: {{^}}  P_self              2       16.00{{$}}
  // CHECK-NEXT: {{^}}total: 6 neurons, 2 synapses, 58 spikes; wall {{.*}}, real-time factor {{.*}} (wall / simulated){{$}}
  snn_sim_print_summary(sim, stdout);
  snn_sim_destroy(sim);
  return 0;
}
