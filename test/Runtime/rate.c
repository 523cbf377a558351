// Rate recorders (SNN_RECORD_RATE) on the hand-written tick model (Inputs/tick_model.h): binned
// population rates checked exactly with NumPy against the closed form of the tick spikes, after
// a first run of 10 steps and again after a second run of 13 more (23 in all). With bins of 4
// steps the bin [8, 12) spans the two runs and the partial bin [20, 24) at the end is not written.
// Invalid rate recorders are refused by snn_sim_create with NULL and a message.
// RUN: rm -rf %t.out1 %t.out2
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t %t.out1 %t.out2 | FileCheck %s
// RUN: %python %S/Inputs/check_rate.py %t.out1 10 | FileCheck --check-prefix=PY1 %s
// RUN: %python %S/Inputs/check_rate.py %t.out2 23 | FileCheck --check-prefix=PY2 %s
// PY1: rate outputs ok: 2 bins of 4 steps
// PY2: rate outputs ok: 5 bins of 4 steps
#include "Inputs/tick_model.h"
#include <stdio.h>

// Keep in sync with RECORDERS in Inputs/check_rate.py.
static snn_recorder_desc rate_recs[] = {
    {"P.rate", SNN_RECORD_RATE, 0, 0, 1, TICK_N, 4},  /* neurons 1..5, bins of 4 steps */
    {"P.rate1", SNN_RECORD_RATE, 0, 0, 0, TICK_N, 1}, /* all neurons, every step */
    {"P.rate7", SNN_RECORD_RATE, 0, 0, 2, 3, 7},      /* neuron 2 alone, bins of 7 steps */
    {"P.rate0", SNN_RECORD_RATE, 0, 0, 3, 3, 5},      /* empty range: rate 0 / 0 = NaN */
};

static const snn_model_desc rate_model = {
    SNN_ABI_VERSION, "rate", sizeof(tick_real), 1e-4, 2e-3, 7, 1, tick_pops, 1, tick_projs,
    4,               rate_recs, TICK_NBUF, tick_init, tick_step,
};

static void try(const char *what) {
  char err[256] = "";
  snn_sim *s = snn_sim_create(&rate_model, 7, err, sizeof err);
  printf("%s: %s: %s\n", what, s ? "created" : "NULL", err);
  snn_sim_destroy(s);
}

int main(int argc, char **argv) {
  (void)argc;
  (void)tick_model;
  char err[256];
  snn_sim *sim = snn_sim_create(&rate_model, 7, err, sizeof err);
  if (!sim) {
    printf("create failed: %s\n", err);
    return 1;
  }
  int rc;
  // CHECK: run1 0 steps 10
  rc = snn_sim_run(sim, 1e-3, NULL);
  printf("run1 %d steps %lld\n", rc, (long long)snn_sim_steps_done(sim));
  if (snn_sim_write_outputs(sim, argv[1], err, sizeof err)) {
    printf("write failed: %s\n", err);
    return 1;
  }
  // A run of 0 steps completes no bin and leaves the partial one as it is.
  // CHECK: run0 0 steps 10
  rc = snn_sim_run(sim, 0.0, NULL);
  printf("run0 %d steps %lld\n", rc, (long long)snn_sim_steps_done(sim));
  // CHECK: run2 0 steps 23
  rc = snn_sim_run(sim, 1.3e-3, NULL);
  printf("run2 %d steps %lld\n", rc, (long long)snn_sim_steps_done(sim));
  if (snn_sim_write_outputs(sim, argv[2], err, sizeof err)) {
    printf("write failed: %s\n", err);
    return 1;
  }
  snn_sim_destroy(sim);

  // CHECK: good: created:
  try("good");
  // CHECK: every 0: NULL: recorder 'P.rate': rate bin width (every) must be at least 1 step
  rate_recs[0].every = 0, try("every 0"), rate_recs[0].every = 4;
  // CHECK: range: NULL: recorder 'P.rate1': range [0, 7) is not inside 'P' (6 neurons)
  rate_recs[1].end = TICK_N + 1, try("range"), rate_recs[1].end = TICK_N;
  // CHECK: reversed: NULL: recorder 'P.rate1': range [4, 2) is not inside 'P' (6 neurons)
  rate_recs[1].begin = 4, rate_recs[1].end = 2, try("reversed");
  rate_recs[1].begin = 0, rate_recs[1].end = TICK_N;
  // CHECK: population: NULL: recorder 'P.rate7' refers to population 1, but the model has 1
  rate_recs[2].pop = 1, try("population"), rate_recs[2].pop = 0;
  // CHECK: kind: NULL: recorder 'P.rate0' has unknown kind 4
  rate_recs[3].kind = 4, try("kind"), rate_recs[3].kind = SNN_RECORD_RATE;
  return 0;
}
