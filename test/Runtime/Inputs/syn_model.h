/*
 * syn_model.h — a hand-written model descriptor with per-synapse state, used by the synapse
 * recorder tests (test/Runtime/synapses.c). Population A has 5 neurons, B has 4; A's v[i] starts at
 * i and grows by 1 per step. Nobody spikes.
 *   AB: all_to_all A[1, 4) -> B[0, 3): 9 synapses, CSR order (pre, post) = (1,0) (1,1) (1,2) (2,0)
 *       ... (3,2). Synapse s has w[s] = 10 s + (steps done) and n[s] = s * s - 2 (steps done).
 *   E:  bernoulli(p = 0) A -> B: no synapses, one variable w.
 * So a sample taken when `d` steps are done has closed-form values.
 * Define SYN_REAL_FLOAT to build it in float32 mode.
 */
#ifndef SYN_MODEL_H
#define SYN_MODEL_H

#include "snn/runtime.h"

#ifdef SYN_REAL_FLOAT
typedef float syn_real;
#else
typedef double syn_real;
#endif

enum {
  SYN_AV, SYN_ASPK, SYN_ACNT, SYN_BSPK, SYN_BCNT,
  SYN_AB_ROW, SYN_AB_COL, SYN_AB_W, SYN_AB_N,
  SYN_E_ROW, SYN_E_COL, SYN_E_W,
  SYN_NBUF
};

/* Synapses of a projection from its row_ptr (the kernels get no synapse count). */
static uint64_t syn_count(void *const *b, uint32_t row_slot, uint32_t npre) {
  return ((const uint64_t *)b[row_slot])[npre];
}

static void syn_init(void *const *b, uint64_t seed) {
  (void)seed;
  syn_real *v = b[SYN_AV], *w = b[SYN_AB_W];
  int32_t *n = b[SYN_AB_N];
  for (int i = 0; i < 5; i++) v[i] = (syn_real)i;
  uint64_t ns = syn_count(b, SYN_AB_ROW, 3);
  for (uint64_t s = 0; s < ns; s++) w[s] = (syn_real)(10 * s), n[s] = (int32_t)(s * s);
}

static void syn_step(void *const *b, int64_t step, uint64_t seed) {
  (void)step, (void)seed;
  syn_real *v = b[SYN_AV], *w = b[SYN_AB_W], *we = b[SYN_E_W];
  int32_t *n = b[SYN_AB_N];
  for (int i = 0; i < 5; i++) v[i] += 1;
  uint64_t ns = syn_count(b, SYN_AB_ROW, 3);
  for (uint64_t s = 0; s < ns; s++) w[s] += 1, n[s] -= 2;
  for (uint64_t s = 0; s < syn_count(b, SYN_E_ROW, 5); s++) we[s] = -1; /* never runs */
  *(uint32_t *)b[SYN_ACNT] = 0;
  *(uint32_t *)b[SYN_BCNT] = 0;
}

static const snn_var_desc syn_avars[] = {{"v", SNN_REAL, SYN_AV}};
static const snn_population_desc syn_pops[] = {
    {"A", 5, 1, syn_avars, SYN_ASPK, SYN_ACNT},
    {"B", 4, 0, NULL, SYN_BSPK, SYN_BCNT},
};

static const snn_var_desc syn_ab_vars[] = {{"w", SNN_REAL, SYN_AB_W}, {"n", SNN_I32, SYN_AB_N}};
static const snn_var_desc syn_e_vars[] = {{"w", SNN_REAL, SYN_E_W}};
static const snn_projection_desc syn_projs[] = {
    {"AB", 0, 1, 1, 4, 0, 3, SNN_ALL_TO_ALL, 0, 0.0, 0, SYN_AB_ROW, SYN_AB_COL, 2, syn_ab_vars,
     0, 0, 0},
    {"E", 0, 1, 0, 5, 0, 4, SNN_BERNOULLI, 0, 0.0, 0, SYN_E_ROW, SYN_E_COL, 1, syn_e_vars, 0, 0,
     0},
};

/* Not const: synapses.c edits it to provoke validation errors. */
static snn_recorder_desc syn_recs[] = {
    {"AB.w", SNN_RECORD_SYNAPSES, 0, 0, 0, 0, 3},       /* every 3rd step */
    {"AB.w_final", SNN_RECORD_SYNAPSES, 0, 0, 0, 0, 0}, /* final values only */
    {"AB.n_final", SNN_RECORD_SYNAPSES, 0, 1, 0, 0, 0}, /* int32 variable, final only */
    {"E.w", SNN_RECORD_SYNAPSES, 1, 0, 0, 0, 2},        /* no synapses: subarray shape (0,) */
    {"A.v_final", SNN_RECORD_STATE, 0, 0, 1, 4, 0},     /* final-only state recorder */
};

static const snn_model_desc syn_model = {
    SNN_ABI_VERSION,
    "syn",
    sizeof(syn_real),
    1e-4,  /* dt: 0.1 ms */
    1e-3,  /* duration: 10 steps */
    3,     /* seed */
    2, syn_pops,
    2, syn_projs,
    5, syn_recs,
    SYN_NBUF,
    syn_init,
    syn_step,
};

#endif
