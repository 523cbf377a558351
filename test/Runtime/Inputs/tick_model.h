/*
 * tick_model.h — a hand-written model descriptor standing in for compiler output, used by the
 * runtime tests. Population P has TICK_N neurons; neuron i spikes at every step that is a multiple
 * of (i + 1), so every expected spike count and sample has a closed form:
 *   v[i] sampled at step s (before the kernel) = s * (i + 1)
 *   c[i] sampled at step s = spikes of neuron i in steps [0, s) = ceil(s / (i + 1))
 *   spikes of neuron i in steps [0, n) = ceil(n / (i + 1))
 * Define TICK_REAL_FLOAT to build it in float32 mode.
 */
#ifndef TICK_MODEL_H
#define TICK_MODEL_H

#include "snn/runtime.h"

#define TICK_N 6

#ifdef TICK_REAL_FLOAT
typedef float tick_real;
#else
typedef double tick_real;
#endif

enum { TICK_V, TICK_C, TICK_SPK, TICK_CNT, TICK_ROW, TICK_COL, TICK_NBUF };

static void tick_init(void *const *b, uint64_t seed) {
  (void)seed;
  tick_real *v = b[TICK_V];
  int32_t *c = b[TICK_C];
  for (int i = 0; i < TICK_N; i++) v[i] = 0, c[i] = 0;
}

static void tick_step(void *const *b, int64_t step, uint64_t seed) {
  (void)seed;
  tick_real *v = b[TICK_V];
  int32_t *c = b[TICK_C];
  uint32_t *spk = b[TICK_SPK], *cnt = b[TICK_CNT];
  uint32_t n = 0;
  for (int i = 0; i < TICK_N; i++) {
    v[i] = (tick_real)((step + 1) * (i + 1));
    if (step % (i + 1) == 0) {
      spk[n++] = (uint32_t)i;
      c[i]++;
    }
  }
  *cnt = n;
}

static const snn_var_desc tick_vars[] = {
    {"v", SNN_REAL, TICK_V},
    {"c", SNN_I32, TICK_C},
};

static const snn_population_desc tick_pops[] = {
    {"P", TICK_N, 2, tick_vars, TICK_SPK, TICK_CNT},
};

/* Two neurons, all_to_all without autapses: exactly 2 synapses. */
static const snn_projection_desc tick_projs[] = {
    {"P_self", 0, 0, 0, 2, 0, 2, SNN_ALL_TO_ALL, 0, 0.0, 0, TICK_ROW, TICK_COL},
};

static const snn_recorder_desc tick_recs[] = {
    {"P.spikes", SNN_RECORD_SPIKES, 0, 0, 1, TICK_N, 1}, /* neuron 0 excluded */
    {"P.v", SNN_RECORD_STATE, 0, 0, 1, 4, 3},           /* neurons 1..3, every 3rd step */
    {"P.c", SNN_RECORD_STATE, 0, 1, 0, TICK_N, 1},      /* I32 variable, every step */
    {"P.v2", SNN_RECORD_STATE, 0, 0, 2, 3, 1},          /* a single neuron: subarray shape (1,) */
};

static const snn_model_desc tick_model = {
    SNN_ABI_VERSION,
    "tick",
    sizeof(tick_real),
    1e-4,  /* dt: 0.1 ms */
    2e-3,  /* duration: 20 steps */
    7,     /* seed */
    1, tick_pops,
    1, tick_projs,
    4, tick_recs,
    TICK_NBUF,
    tick_init,
    tick_step,
};

#endif
