/*
 * record.c — recorder storage: state and synapse samples taken before the step kernel (or once
 * after the last step, for final-only recorders) and spikes gathered after it. State and synapse
 * recorders reserve all samples of a run up front (their count is known), so the time loop does
 * not allocate for them; spike storage grows geometrically. Rate recorders count the spikes of
 * their range per bin of `every` steps (bins aligned to step 0, carried across runs) and store one
 * rate per completed bin; the bins a run completes are known, so they are reserved up front too.
 */
#include "internal.h"

#include <stdlib.h>

/* Recorders that copy a variable buffer: state (per neuron) and synapse (per synapse). */
static int is_sampled(const snn_recorder_desc *rd) {
  return rd->kind == SNN_RECORD_STATE || rd->kind == SNN_RECORD_SYNAPSES;
}

/* Makes room for `need` spikes, doubling so appends are amortised O(1). */
static int grow_spikes(snn_recording *r, uint64_t need) {
  if (need <= r->cap) return 0;
  uint64_t cap = r->cap ? r->cap : 1024;
  while (cap < need) cap *= 2;
  if (cap > SIZE_MAX / sizeof(int64_t)) return -1;
  int64_t *step = realloc(r->step, (size_t)cap * sizeof *step);
  if (!step) return -1;
  r->step = step;
  uint32_t *idx = realloc(r->idx, (size_t)cap * sizeof *idx);
  if (!idx) return -1;
  r->idx = idx;
  r->cap = cap;
  return 0;
}

/* Number of multiples of `every` in [first, first + n). */
static uint64_t multiples_in(int64_t first, int64_t n, uint32_t every) {
  if (n <= 0) return 0;
  int64_t f = (first + every - 1) / every * (int64_t)every;
  int64_t last = first + n - 1;
  return f > last ? 0 : (uint64_t)((last - f) / every) + 1;
}

int snn_record_reserve(snn_sim *sim, int64_t first, int64_t nsteps) {
  const snn_model_desc *m = sim->model;
  for (uint32_t i = 0; i < m->num_recorders; i++) {
    const snn_recorder_desc *rd = &m->recorders[i];
    snn_recording *r = &sim->recs[i];
    uint64_t need;
    if (rd->kind == SNN_RECORD_RATE)
      /* A bin closes after each step s with (s + 1) % every == 0. */
      need = r->n + multiples_in(first + 1, nsteps, rd->every);
    else if (is_sampled(rd))
      /* every == 0: one final sample per run, even a run of 0 steps. */
      need = r->n + (rd->every ? multiples_in(first, nsteps, rd->every) : 1);
    else
      continue;
    if (need > r->cap) {
      /* Exact size: a recorder can be large (neurons or synapses x samples) and its growth is
       * known. */
      uint64_t cap = need;
      if (cap > SIZE_MAX / sizeof(int64_t) ||
          (r->width && cap > SIZE_MAX / sizeof(double) / r->width))
        goto oom;
      int64_t *step = realloc(r->step, (size_t)cap * sizeof *step);
      if (!step) goto oom;
      r->step = step;
      if (r->width) {
        double *val = realloc(r->val, (size_t)(cap * r->width) * sizeof *val);
        if (!val) goto oom;
        r->val = val;
      }
      r->cap = cap;
    }
    continue;
  oom:
    snn_set_err(sim->err, sizeof sim->err, "out of memory reserving recorder '%s'", rd->name);
    return -1;
  }
  return 0;
}

/* Appends one sample of recorder i, stamped with `step`; capacity reserved by
 * snn_record_reserve. */
static void take_sample(snn_sim *sim, uint32_t i, int64_t step) {
  const snn_model_desc *m = sim->model;
  const snn_recorder_desc *rd = &m->recorders[i];
  snn_recording *r = &sim->recs[i];
  const snn_var_desc *vd;
  uint64_t first;
  if (rd->kind == SNN_RECORD_SYNAPSES) {
    vd = &m->projections[rd->pop].vars[rd->var];
    first = 0;
  } else {
    vd = &m->populations[rd->pop].vars[rd->var];
    first = rd->begin;
  }
  const void *buf = sim->buffers[vd->buffer];
  double *dst = r->width ? r->val + r->n * r->width : NULL;
  if (r->width == 0) {
    /* empty range or no synapses: only the sample time is kept (val may be NULL) */
  } else if (vd->kind == SNN_I32) {
    const int32_t *src = (const int32_t *)buf + first;
    for (uint64_t k = 0; k < r->width; k++) dst[k] = (double)src[k];
  } else if (m->real_size == 4) {
    const float *src = (const float *)buf + first;
    for (uint64_t k = 0; k < r->width; k++) dst[k] = (double)src[k];
  } else {
    const double *src = (const double *)buf + first;
    for (uint64_t k = 0; k < r->width; k++) dst[k] = src[k];
  }
  r->step[r->n++] = step;
}

void snn_record_sample(snn_sim *sim, int64_t step) {
  const snn_model_desc *m = sim->model;
  for (uint32_t i = 0; i < m->num_recorders; i++) {
    const snn_recorder_desc *rd = &m->recorders[i];
    if (is_sampled(rd) && rd->every && step % rd->every == 0) take_sample(sim, i, step);
  }
}

void snn_record_final(snn_sim *sim, int64_t step) {
  const snn_model_desc *m = sim->model;
  for (uint32_t i = 0; i < m->num_recorders; i++)
    if (is_sampled(&m->recorders[i]) && m->recorders[i].every == 0) take_sample(sim, i, step);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

int snn_record_collect_spikes(snn_sim *sim, int64_t step) {
  const snn_model_desc *m = sim->model;
  /* Check what the kernel wrote before trusting it as an index. */
  for (uint32_t p = 0; p < m->num_populations; p++) {
    const snn_population_desc *pd = &m->populations[p];
    uint32_t count = *(const uint32_t *)sim->buffers[pd->spike_count_buffer];
    const uint32_t *spk = sim->buffers[pd->spike_buffer];
    if (count > pd->size) {
      snn_set_err(sim->err, sizeof sim->err,
                  "step %lld: population '%s' reports %u spikes but has %u neurons",
                  (long long)step, pd->name, count, pd->size);
      return -1;
    }
    for (uint32_t k = 0; k < count; k++)
      if (spk[k] >= pd->size) {
        snn_set_err(sim->err, sizeof sim->err,
                    "step %lld: population '%s' reports spike of neuron %u but has %u neurons",
                    (long long)step, pd->name, spk[k], pd->size);
        return -1;
      }
    sim->pop_spikes[p] += count;
  }
  for (uint32_t i = 0; i < m->num_recorders; i++) {
    const snn_recorder_desc *rd = &m->recorders[i];
    if (rd->kind != SNN_RECORD_SPIKES && rd->kind != SNN_RECORD_RATE) continue;
    const snn_population_desc *pd = &m->populations[rd->pop];
    uint32_t count = *(const uint32_t *)sim->buffers[pd->spike_count_buffer];
    const uint32_t *spk = sim->buffers[pd->spike_buffer];
    snn_recording *r = &sim->recs[i];
    if (rd->kind == SNN_RECORD_RATE) {
      uint64_t c = 0;
      for (uint32_t k = 0; k < count; k++) c += spk[k] >= rd->begin && spk[k] < rd->end;
      r->bin_spikes += c;
      if ((step + 1) % rd->every == 0) {
        /* Bin [step + 1 - every, step + 1) is complete (capacity reserved by
         * snn_record_reserve). An empty range gives 0 / 0 = NaN. */
        r->step[r->n] = step + 1 - (int64_t)rd->every;
        r->val[r->n++] = (double)r->bin_spikes / (double)(rd->end - rd->begin) /
                         ((double)rd->every * m->dt);
        r->bin_spikes = 0;
      }
      continue;
    }
    if (grow_spikes(r, r->n + count)) {
      snn_set_err(sim->err, sizeof sim->err, "out of memory recording spikes for '%s'", rd->name);
      return -1;
    }
    uint64_t first = r->n;
    int sorted = 1;
    for (uint32_t k = 0; k < count; k++) {
      uint32_t n = spk[k];
      if (n < rd->begin || n >= rd->end) continue;
      if (r->n > first && r->idx[r->n - 1] > n) sorted = 0;
      r->step[r->n] = step;
      r->idx[r->n++] = n;
    }
    /* The ABI asks kernels for ascending indices; keep the file ordered even if one does not. */
    if (!sorted) qsort(r->idx + first, (size_t)(r->n - first), sizeof *r->idx, cmp_u32);
  }
  return 0;
}

void snn_record_free(snn_sim *sim) {
  if (!sim->recs) return;
  for (uint32_t i = 0; i < sim->model->num_recorders; i++) {
    free(sim->recs[i].step);
    free(sim->recs[i].idx);
    free(sim->recs[i].val);
    free(sim->recs[i].pair_pre);
    free(sim->recs[i].pair_post);
  }
  free(sim->recs);
  sim->recs = NULL;
}
