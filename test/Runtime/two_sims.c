// Two instances of one model side by side in one process, created and stepped interleaved, give
// bit-identical state, spikes and recordings: nothing is shared between them (no global state).
// A third instance with another seed differs.
// RUN: rm -rf %t.a %t.b
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t %t.a %t.b | FileCheck %s
#include "snn/runtime.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small recurrent network: v starts uniform from the seed, drifts up by 0.05 per step, spikes at
 * 1 (reset to 0) and each spike adds 0.02 to its bernoulli targets — so the run depends on the
 * connectivity, the initial state and the delivery order. */
#define N 100
enum { V, SPK, CNT, ROW, COL, NBUF };

static void net_init(void *const *b, uint64_t seed) {
  float *v = b[V];
  for (uint32_t i = 0; i < N; i++) v[i] = (float)snn_rng_uniform(seed, 0, i);
}

static void net_step(void *const *b, int64_t step, uint64_t seed) {
  (void)seed;
  (void)step;
  float *v = b[V];
  uint32_t *spk = b[SPK], *cnt = b[CNT], n = 0;
  const uint64_t *row = b[ROW];
  const uint32_t *col = b[COL];
  for (uint32_t i = 0; i < N; i++) {
    v[i] += 0.05f;
    if (v[i] >= 1.0f) {
      v[i] = 0.0f;
      spk[n++] = i;
    }
  }
  for (uint32_t k = 0; k < n; k++)
    for (uint64_t e = row[spk[k]]; e < row[spk[k] + 1]; e++) v[col[e]] += 0.02f;
  *cnt = n;
}

static const snn_var_desc vars[] = {{"v", SNN_REAL, V}};
static const snn_population_desc pops[] = {{"E", N, 1, vars, SPK, CNT}};
static const snn_projection_desc projs[] = {
    {"EE", 0, 0, 0, N, 0, N, SNN_BERNOULLI, 0, 0.1, 0, ROW, COL}};
static const snn_recorder_desc recs[] = {{"E.spikes", SNN_RECORD_SPIKES, 0, 0, 0, N, 1},
                                         {"E.v", SNN_RECORD_STATE, 0, 0, 0, N, 2}};
static const snn_model_desc model = {SNN_ABI_VERSION, "net", 4, 1e-4, 0.05, 5, 1, pops, 1, projs,
                                     2, recs, NBUF, net_init, net_step};

static int same_file(const char *dir1, const char *dir2, const char *name) {
  char p1[1024], p2[1024];
  snprintf(p1, sizeof p1, "%s/%s", dir1, name);
  snprintf(p2, sizeof p2, "%s/%s", dir2, name);
  FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
  int same = f1 && f2;
  while (same) {
    int c1 = getc(f1), c2 = getc(f2);
    if (c1 != c2) same = 0;
    if (c1 == EOF) break;
  }
  if (f1) fclose(f1);
  if (f2) fclose(f2);
  return same;
}

int main(int argc, char **argv) {
  (void)argc;
  char err[256];
  snn_sim *a = snn_sim_create(&model, 11, err, sizeof err);
  snn_sim *b = snn_sim_create(&model, 11, err, sizeof err);
  snn_sim *c = snn_sim_create(&model, 12, err, sizeof err);
  if (!a || !b || !c) {
    printf("create failed: %s\n", err);
    return 1;
  }
  /* Interleave: a runs in 5 pieces, b in 2 of different lengths; both end at 500 steps. */
  for (int k = 0; k < 5; k++) {
    snn_sim_run(a, 0.01, NULL);
    if (k == 1) snn_sim_run(b, 0.02, NULL);
    snn_sim_run(c, 0.01, NULL);
  }
  snn_sim_run(b, 0.03, NULL);
  // CHECK: steps 500 500
  printf("steps %lld %lld\n", (long long)snn_sim_steps_done(a), (long long)snn_sim_steps_done(b));
  // CHECK: spiking yes
  printf("spiking %s\n", snn_sim_num_spikes(a, 0) > 0 ? "yes" : "no");
  int same = snn_sim_num_spikes(a, 0) == snn_sim_num_spikes(b, 0) &&
             snn_sim_num_synapses(a, 0) == snn_sim_num_synapses(b, 0) &&
             !memcmp(snn_sim_buffer(a, V), snn_sim_buffer(b, V), N * sizeof(float)) &&
             !memcmp(snn_sim_buffer(a, COL), snn_sim_buffer(b, COL),
                     snn_sim_num_synapses(a, 0) * sizeof(uint32_t));
  // CHECK: a == b yes
  printf("a == b %s\n", same ? "yes" : "no");
  // CHECK: a == c no
  printf("a == c %s\n", !memcmp(snn_sim_buffer(a, V), snn_sim_buffer(c, V), N * sizeof(float)) ? "yes" : "no");

  if (snn_sim_write_outputs(a, argv[1], err, sizeof err) ||
      snn_sim_write_outputs(b, argv[2], err, sizeof err)) {
    printf("write failed: %s\n", err);
    return 1;
  }
  // CHECK: files identical yes
  printf("files identical %s\n", same_file(argv[1], argv[2], "E.spikes.npy") &&
                                         same_file(argv[1], argv[2], "E.v.npy") ? "yes" : "no");
  snn_sim_destroy(a);
  snn_sim_destroy(b);
  snn_sim_destroy(c);
  return 0;
}
