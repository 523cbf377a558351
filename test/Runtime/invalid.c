// Invalid descriptors are refused by snn_sim_create with NULL and a message naming the problem
// (no crash, no partial instance).
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t | FileCheck %s
#include "snn/runtime.h"
#include <stdio.h>

static void nop_init(void *const *b, uint64_t seed) { (void)b, (void)seed; }
static void nop_step(void *const *b, int64_t s, uint64_t seed) { (void)b, (void)s, (void)seed; }

static const snn_var_desc vars[] = {{"v", SNN_REAL, 0}};
static snn_population_desc pops[] = {{"A", 10, 1, vars, 1, 2}, {"B", 5, 0, NULL, 3, 4}};
static snn_projection_desc projs[] = {
    {"AB", 0, 1, 0, 10, 0, 5, SNN_ALL_TO_ALL, 0, 0.0, 0, 5, 6}};
static snn_recorder_desc recs[] = {{"A.v", SNN_RECORD_STATE, 0, 0, 0, 10, 1}};
static const snn_model_desc good = {SNN_ABI_VERSION, "m", 8, 1e-4, 0.1, 1, 2, pops, 1, projs,
                                    1, recs, 7, nop_init, nop_step};

/* A pair test that passes every candidate (runtime.h's snn_pairs_fn). */
static uint32_t every_pair(uint64_t seed, uint32_t by_post, uint32_t fixed, uint32_t lo,
                           uint32_t hi, uint32_t *out) {
  (void)seed, (void)by_post, (void)fixed;
  for (uint32_t c = lo; c < hi; c++) out[c - lo] = c;
  return hi - lo;
}

static void try(const char *what, const snn_model_desc *m) {
  char err[256] = "";
  snn_sim *s = snn_sim_create(m, 1, err, sizeof err);
  printf("%s: %s: %s\n", what, s ? "created" : "NULL", err);
  snn_sim_destroy(s);
}

int main(void) {
  snn_model_desc m;
  // CHECK: good: created:
  try("good", &good);

  // CHECK: abi: NULL: {{.*}}ABI version 99
  m = good, m.abi_version = 99, try("abi", &m);
  // CHECK: real: NULL: {{.*}}real_size must be 4 or 8, not 2
  m = good, m.real_size = 2, try("real", &m);
  // CHECK: dt: NULL: {{.*}}dt = 0 must be positive
  m = good, m.dt = 0, try("dt", &m);
  // CHECK: slot range: NULL: {{.*}}uses buffer slot 6, but the model has only 6 slots
  m = good, m.num_buffers = 6, try("slot range", &m);
  // CHECK: unused slot: NULL: buffer slot 7 is not named
  m = good, m.num_buffers = 8, try("unused slot", &m);
  // CHECK: no step: NULL: {{.*}}lacks its step kernel
  m = good, m.step = NULL, try("no step", &m);

  // The saturation counter must be one of the population's i32 variables.
  // CHECK: saturated real: NULL: population 'A': saturated_var 0 is not one of its i32 variables
  pops[0].counts_saturation = 1, try("saturated real", &good);
  // CHECK: saturated range: NULL: population 'A': saturated_var 1 is not one of its i32 variables
  pops[0].saturated_var = 1, try("saturated range", &good);
  pops[0].counts_saturation = 0, pops[0].saturated_var = 0;

  // CHECK: slot twice: NULL: {{.*}}buffer slot 1, which is already in use
  pops[1].spike_buffer = 1, try("slot twice", &good), pops[1].spike_buffer = 3;
  // CHECK: pre range: NULL: projection 'AB': presynaptic range [0, 11) is not inside 'A' (10 neurons)
  projs[0].pre_end = 11, try("pre range", &good), projs[0].pre_end = 10;
  // CHECK: post population: NULL: projection 'AB' refers to population 2
  projs[0].post = 2, try("post population", &good), projs[0].post = 1;
  // CHECK: one_to_one: NULL: {{.*}}one_to_one needs ranges of equal length (10 vs 5)
  projs[0].rule = SNN_ONE_TO_ONE, try("one_to_one", &good), projs[0].rule = SNN_ALL_TO_ALL;
  // CHECK: p: NULL: {{.*}}bernoulli probability 1.5 is not in [0, 1]
  projs[0].rule = SNN_BERNOULLI, projs[0].p = 1.5, try("p", &good), projs[0].rule = SNN_ALL_TO_ALL;
  // 10 pres available: k = 10 is fine, k = 11 is not.
  // CHECK: k max: created:
  projs[0].rule = SNN_FIXED_INDEGREE, projs[0].k = 10, try("k max", &good);
  // CHECK: k: NULL: {{.*}}fixed_indegree k = 11 exceeds the 10 eligible
  projs[0].k = 11, try("k", &good);
  // Within one population without autapses a post neuron in the pre range has one fewer.
  // CHECK: k self: NULL: {{.*}}fixed_indegree k = 10 exceeds the 9 eligible
  projs[0].post = 0, projs[0].post_end = 10, projs[0].k = 10, try("k self", &good);
  // CHECK: k self autapses: created:
  projs[0].autapses = 1, try("k self autapses", &good);
  projs[0] = (snn_projection_desc){"AB", 0, 1, 0, 10, 0, 5, SNN_ALL_TO_ALL, 0, 0.0, 0, 5, 6};
  // A connection list must have its tables, rows from 0, columns in range and ascending.
  {
    static const uint64_t rows[11] = {0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    static const uint32_t ok_cols[] = {0, 4}, out_cols[] = {0, 5};
    static const uint64_t down[11] = {0, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2};
    static const uint64_t two[11] = {0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    static const uint32_t dup_cols[] = {3, 3};
    projs[0].rule = SNN_FROM_LIST;
    // CHECK: list missing: NULL: projection 'AB': from_file needs list_row_ptr (starting at 0) and list_col
    try("list missing", &good);
    // CHECK: list: created:
    projs[0].list_row_ptr = rows, projs[0].list_col = ok_cols, try("list", &good);
    // CHECK: list range: NULL: projection 'AB': list_col[1] = 5 is outside [0, 5)
    projs[0].list_col = out_cols, try("list range", &good);
    // CHECK: list rows: NULL: projection 'AB': list_row_ptr decreases at row 1
    projs[0].list_row_ptr = down, projs[0].list_col = ok_cols, try("list rows", &good);
    // CHECK: list twice: NULL: projection 'AB': list_col[1] = 3 is outside [0, 5) or not above the entry before it
    projs[0].list_row_ptr = two, projs[0].list_col = dup_cols, try("list twice", &good);
    projs[0] = (snn_projection_desc){"AB", 0, 1, 0, 10, 0, 5, SNN_ALL_TO_ALL, 0, 0.0, 0, 5, 6};
  }
  // conv2d: its geometry must fit the ranges: 10 = 1 x 2 x 5 inputs, 5 = 1 x 1 x 5 outputs for a
  // 2 x 1 kernel ((2 - 2) / 1 + 1 = 1 row, (5 - 1) / 1 + 1 = 5 columns).
  // CHECK: conv: created:
  projs[0].rule = SNN_CONV2D, projs[0].conv = (snn_conv_desc){1, 2, 5, 1, 1, 5, 2, 1, 1, 0};
  try("conv", &good);
  // CHECK: conv geometry: NULL: projection 'AB': conv2d geometry (1 x 2 x 5 in, 1 x 1 x 4 out, kernel 2 x 1, stride 1, padding 0) does not fit its 10 and 5 neurons
  projs[0].conv.out_w = 4, try("conv geometry", &good);
  projs[0] = (snn_projection_desc){"AB", 0, 1, 0, 10, 0, 5, SNN_ALL_TO_ALL, 0, 0.0, 0, 5, 6};
  // A pair test belongs to the rules that can test pairs: not fixed_total_number or from_file.
  // CHECK: pairs: created:
  projs[0].pairs = every_pair, try("pairs", &good);
  // CHECK: pairs total: NULL: projection 'AB': rule 6 cannot have a pair test
  projs[0].rule = SNN_FIXED_TOTAL, projs[0].total = 3, try("pairs total", &good);
  projs[0] = (snn_projection_desc){"AB", 0, 1, 0, 10, 0, 5, SNN_ALL_TO_ALL, 0, 0.0, 0, 5, 6};
  // CHECK: rule: NULL: projection 'AB' has unknown rule 9
  projs[0].rule = 9, try("rule", &good), projs[0].rule = SNN_ALL_TO_ALL;

  // every == 0 means final values only for a state recorder; spike recorders still need >= 1.
  // CHECK: every final: created:
  recs[0].every = 0, try("every final", &good), recs[0].every = 1;
  // CHECK: every: NULL: recorder 'A.v': sampling interval must be at least 1 step
  recs[0].kind = SNN_RECORD_SPIKES, recs[0].every = 0, try("every", &good);
  recs[0].kind = SNN_RECORD_STATE, recs[0].every = 1;
  // CHECK: rec kind: NULL: recorder 'A.v' has unknown kind 4
  recs[0].kind = 4, try("rec kind", &good), recs[0].kind = SNN_RECORD_STATE;
  // CHECK: rec range: NULL: recorder 'A.v': range [0, 12) is not inside 'A' (10 neurons)
  recs[0].end = 12, try("rec range", &good), recs[0].end = 10;
  // CHECK: rec var: NULL: recorder 'A.v' refers to variable 1, but 'A' has 1
  recs[0].var = 1, try("rec var", &good), recs[0].var = 0;
  // CHECK: rec name: NULL: recorder 0 has an invalid name '../x'
  recs[0].name = "../x", try("rec name", &good), recs[0].name = "A.v";

  // CHECK: null model: NULL: no model descriptor
  try("null model", NULL);
  // A NULL error buffer is allowed.
  // CHECK: null err ok
  printf("null err %s\n", snn_sim_create(NULL, 1, NULL, 0) == NULL ? "ok" : "FAIL");
  return 0;
}
