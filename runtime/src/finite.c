/*
 * finite.c — the run-time check that no state variable has become NaN or infinite. The run loop
 * calls it every SNN_FINITE_EVERY steps and after its last step (snn_run_options.no_finite_check
 * turns it off). A pass reads every real per-neuron and per-synapse variable once (a synapse
 * variable no step kernel writes, snn_var_desc.fixed, only in the first pass), testing the
 * exponent bits with an integer OR-reduction that compilers vectorise, and only on a hit goes
 * back to find the first offending element and name it.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

/* 1 if any of the n values has an all-ones exponent (NaN or +-inf). */
static int any_nonfinite(const void *data, uint64_t n, int is_float) {
  uint32_t bad = 0;
  if (is_float) {
    const uint32_t *b = data;
    for (uint64_t i = 0; i < n; i++) bad |= (b[i] & 0x7f800000u) == 0x7f800000u;
  } else {
    const uint64_t *b = data;
    for (uint64_t i = 0; i < n; i++) bad |= (b[i] & 0x7ff0000000000000ull) == 0x7ff0000000000000ull;
  }
  return bad != 0;
}

static uint64_t first_nonfinite(const void *data, uint64_t n, int is_float, double *value) {
  for (uint64_t i = 0; i < n; i++) {
    double v = is_float ? (double)((const float *)data)[i] : ((const double *)data)[i];
    if (!isfinite(v)) {
      *value = v;
      return i;
    }
  }
  return 0;
}

static const char *what(double v) { return isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf"; }

static int check_finite(snn_sim *sim, int64_t steps, int every);

int snn_check_finite(snn_sim *sim, int64_t steps, int every) {
  int r = check_finite(sim, steps, every);
  sim->finite_checks++;
  return r;
}

static int check_finite(snn_sim *sim, int64_t steps, int every) {
  const snn_model_desc *m = sim->model;
  const int is_float = m->real_size == 4;
  char t[32];
  snn_format_time((double)steps * m->dt, t, sizeof t);
  for (uint32_t p = 0; p < m->num_populations; p++) {
    const snn_population_desc *pd = &m->populations[p];
    for (uint32_t v = 0; v < pd->num_vars; v++) {
      const void *buf = sim->buffers[pd->vars[v].buffer];
      if (pd->vars[v].kind != SNN_REAL || !any_nonfinite(buf, pd->size, is_float)) continue;
      double x = 0;
      uint64_t i = first_nonfinite(buf, pd->size, is_float, &x);
      snn_set_err(sim->err, sizeof sim->err,
                  "%s.%s of neuron %llu is %s at t = %s (step %lld; the state is checked every "
                  "%d steps)",
                  pd->name, pd->vars[v].name, (unsigned long long)i, what(x), t, (long long)steps,
                  every);
      return -1;
    }
  }
  for (uint32_t j = 0; j < m->num_projections; j++) {
    const snn_projection_desc *pj = &m->projections[j];
    uint64_t n = sim->proj_synapses[j];
    for (uint32_t v = 0; v < pj->num_vars; v++) {
      const void *buf = sim->buffers[pj->vars[v].buffer];
      /* A variable no step writes (a static weight) cannot become NaN after the first check. */
      if (pj->vars[v].fixed && sim->finite_checks > 0) continue;
      if (pj->vars[v].kind != SNN_REAL || !buf || !any_nonfinite(buf, n, is_float)) continue;
      double x = 0;
      uint64_t s = first_nonfinite(buf, n, is_float, &x);
      /* The synapse's pre neuron: the row holding position s. */
      const uint64_t *row_ptr = sim->buffers[pj->row_ptr_buffer];
      const void *col = sim->buffers[pj->col_buffer];
      uint32_t lo = 0, hi = pj->pre_end - pj->pre_begin;
      while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (row_ptr[mid] <= s) lo = mid; else hi = mid;
      }
      snn_set_err(sim->err, sizeof sim->err,
                  "%s.%s of synapse %llu (%s[%u] -> %s[%u]) is %s at t = %s (step %lld; the "
                  "state is checked every %d steps)",
                  pj->name, pj->vars[v].name, (unsigned long long)s,
                  m->populations[pj->pre].name, pj->pre_begin + lo,
                  m->populations[pj->post].name, snn_col_at(pj, col, s), what(x), t, (long long)steps,
                  every);
      return -1;
    }
  }
  return 0;
}
