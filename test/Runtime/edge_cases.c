// Degenerate but legal models: an empty population, empty projection and recorder ranges, and a
// run of zero steps. Nothing may crash and the files must still load in NumPy with shape (0,).
// RUN: rm -rf %t.out
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t %t.out | FileCheck %s
// RUN: %python -c "import numpy as np; s = np.load('%t.out/E.spikes.npy'); v = np.load('%t.out/A.none.npy'); w = np.load('%t.out/A.v.npy'); print(s.shape, s.dtype.names, v.shape, v['v'].shape, w['v'].shape, list(w['t']) == [0.0, 0.5, 1.0])" | FileCheck --check-prefix=PY %s
// PY: (0,) ('t', 'i') (11,) (11, 0) (3, 2) True
#include "snn/runtime.h"
#include <stdio.h>

static void nop_init(void *const *b, uint64_t seed) { (void)b, (void)seed; }
static void count_step(void *const *b, int64_t s, uint64_t seed) {
  (void)seed;
  (void)s;
  *(uint32_t *)b[3] = 0; /* A never spikes; E has no neurons */
  *(uint32_t *)b[5] = 0;
}

static const snn_var_desc avars[] = {{"v", SNN_REAL, 0}, {"n", SNN_I32, 1}};
static const snn_population_desc pops[] = {{"A", 4, 2, avars, 2, 3}, {"E", 0, 0, NULL, 4, 5}};
static const snn_projection_desc projs[] = {
    {"AE", 0, 1, 0, 4, 0, 0, SNN_FIXED_INDEGREE, 0, 0, 3, 6, 7},  /* no post neurons */
    {"EA", 1, 0, 0, 0, 0, 4, SNN_ALL_TO_ALL, 0, 0, 0, 8, 9},      /* no pre neurons */
    {"AA", 0, 0, 2, 2, 2, 2, SNN_BERNOULLI, 0, 0.5, 0, 10, 11},   /* both empty */
};
static const snn_recorder_desc recs[] = {
    {"E.spikes", SNN_RECORD_SPIKES, 1, 0, 0, 0, 1},
    {"A.none", SNN_RECORD_STATE, 0, 0, 2, 2, 1},  /* zero neurons: subarray shape (0,) */
    {"A.v", SNN_RECORD_STATE, 0, 0, 1, 3, 5},
};
static const snn_model_desc model = {SNN_ABI_VERSION, "edge", 8, 0.1, 0.3, 1, 2, pops, 3, projs,
                                     3, recs, 12, nop_init, count_step};

int main(int argc, char **argv) {
  (void)argc;
  char err[256];
  snn_sim *s = snn_sim_create(&model, 1, err, sizeof err);
  if (!s) {
    printf("create failed: %s\n", err);
    return 1;
  }
  // CHECK: synapses 0 0 0
  printf("synapses %llu %llu %llu\n", (unsigned long long)snn_sim_num_synapses(s, 0),
         (unsigned long long)snn_sim_num_synapses(s, 1), (unsigned long long)snn_sim_num_synapses(s, 2));
  // 0 + 3 + 8 = 11 steps of 0.1 s: A.none (every step, zero neurons) has 11 samples of shape
  // (0,); A.v (every 5th step) is sampled at steps 0, 5 and 10, i.e. t = 0, 0.5, 1.0.
  int r0 = snn_sim_run(s, 0.0, NULL);
  int r1 = snn_sim_run(s, 0.3, NULL);
  int r2 = snn_sim_run(s, 0.8, NULL);
  // CHECK: runs 0 0 0 steps 11
  printf("runs %d %d %d steps %lld\n", r0, r1, r2, (long long)snn_sim_steps_done(s));
  // CHECK: write 0
  int w = snn_sim_write_outputs(s, argv[1], err, sizeof err);
  printf("write %d %s\n", w, w ? err : "");
  // CHECK: spikes 0 0
  printf("spikes %llu %llu\n", (unsigned long long)snn_sim_num_spikes(s, 0),
         (unsigned long long)snn_sim_num_spikes(s, 1));
  snn_sim_destroy(s);
  return 0;
}
