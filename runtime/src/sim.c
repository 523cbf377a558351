/*
 * sim.c — a simulation instance: owns the buffer table the kernels work on, builds connectivity,
 * and drives the time loop (sample state, run the step kernel, gather spikes; final samples after
 * the last step). All state lives in the snn_sim so any number of instances can coexist in one
 * process.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static void *alloc_zero(uint64_t n, size_t elem) {
  if (n == 0) n = 1; /* never hand a kernel NULL, even for an empty population */
  if (n > SIZE_MAX / elem) return NULL;
  return calloc((size_t)n, elem);
}

snn_sim *snn_sim_create(const snn_model_desc *m, uint64_t seed, char *err, size_t err_len) {
  if (snn_validate_model(m, err, err_len)) return NULL;
  snn_sim *sim = calloc(1, sizeof *sim);
  if (!sim) goto oom;
  sim->model = m;
  sim->seed = seed;
  sim->buffers = calloc(m->num_buffers ? m->num_buffers : 1, sizeof *sim->buffers);
  sim->pop_spikes = calloc(m->num_populations ? m->num_populations : 1, sizeof *sim->pop_spikes);
  sim->proj_synapses =
      calloc(m->num_projections ? m->num_projections : 1, sizeof *sim->proj_synapses);
  sim->recs = calloc(m->num_recorders ? m->num_recorders : 1, sizeof *sim->recs);
  if (!sim->buffers || !sim->pop_spikes || !sim->proj_synapses || !sim->recs) goto oom;

  for (uint32_t p = 0; p < m->num_populations; p++) {
    const snn_population_desc *pd = &m->populations[p];
    for (uint32_t v = 0; v < pd->num_vars; v++) {
      const snn_var_desc *vd = &pd->vars[v];
      if (!(sim->buffers[vd->buffer] = alloc_zero(pd->size, snn_elem_size(m, vd->kind)))) goto oom;
    }
    if (!(sim->buffers[pd->spike_buffer] = alloc_zero(pd->size, sizeof(uint32_t)))) goto oom;
    if (!(sim->buffers[pd->spike_count_buffer] = alloc_zero(1, sizeof(uint32_t)))) goto oom;
  }
  for (uint32_t i = 0; i < m->num_recorders; i++)
    if (m->recorders[i].kind == SNN_RECORD_STATE)
      sim->recs[i].width = m->recorders[i].end - m->recorders[i].begin;
    else if (m->recorders[i].kind == SNN_RECORD_RATE)
      sim->recs[i].width = 1; /* one rate per bin */

  for (uint32_t j = 0; j < m->num_projections; j++) {
    if (snn_build_projection(m, j, seed, sim->buffers, &sim->proj_synapses[j], err, err_len)) {
      snn_sim_destroy(sim);
      return NULL;
    }
    /* Per-synapse state can only be sized now that the synapses exist. */
    const snn_projection_desc *pj = &m->projections[j];
    if (pj->delay_steps) {
      uint64_t npre = pj->pre_end - pj->pre_begin;
      if (!(sim->buffers[pj->ring_buffer] =
                alloc_zero((uint64_t)pj->delay_steps * npre, sizeof(uint32_t))) ||
          !(sim->buffers[pj->ring_count_buffer] = alloc_zero(pj->delay_steps, sizeof(uint32_t))))
        goto oom;
    }
    for (uint32_t v = 0; v < pj->num_vars; v++) {
      const snn_var_desc *vd = &pj->vars[v];
      if (!(sim->buffers[vd->buffer] =
                alloc_zero(sim->proj_synapses[j], snn_elem_size(m, vd->kind))))
        goto oom;
    }
    if (pj->synapse_delays &&
        !(sim->buffers[pj->delay_buffer] = alloc_zero(sim->proj_synapses[j], sizeof(int32_t))))
      goto oom;
  }

  /* A synapse recorder holds every synapse of its projection: known only now. */
  for (uint32_t i = 0; i < m->num_recorders; i++)
    if (m->recorders[i].kind == SNN_RECORD_SYNAPSES)
      sim->recs[i].width = sim->proj_synapses[m->recorders[i].pop];

  m->init(sim->buffers, seed);
  /* Per-synapse delays reorder the synapses, so the by-post index comes after them. */
  for (uint32_t j = 0; j < m->num_projections; j++)
    if ((m->projections[j].synapse_delays &&
         snn_sort_by_delay(m, j, sim->buffers, sim->proj_synapses[j], err, err_len)) ||
        snn_build_post_index(m, j, sim->buffers, sim->proj_synapses[j], err, err_len)) {
      snn_sim_destroy(sim);
      return NULL;
    }
  return sim;

oom:
  snn_sim_destroy(sim);
  snn_set_err(err, err_len, "out of memory allocating the buffers of model '%s'", m->name);
  return NULL;
}

void snn_sim_destroy(snn_sim *sim) {
  if (!sim) return;
  if (sim->buffers)
    for (uint32_t s = 0; s < sim->model->num_buffers; s++) free(sim->buffers[s]);
  free(sim->buffers);
  free(sim->pop_spikes);
  free(sim->proj_synapses);
  snn_record_free(sim);
  snn_pool_destroy(sim->pool);
  free(sim);
}

int snn_sim_run(snn_sim *sim, double duration, const snn_run_options *opts) {
  if (!sim) return -1;
  const snn_model_desc *m = sim->model;
  sim->err[0] = '\0';
  if (!(duration >= 0.0) || !isfinite(duration)) {
    snn_set_err(sim->err, sizeof sim->err, "duration %g must be non-negative and finite", duration);
    return -1;
  }
  const double nd = duration / m->dt;
  if (nd > 0x1p62 || (double)(INT64_MAX - sim->steps_done) < nd) {
    snn_set_err(sim->err, sizeof sim->err, "duration %g is too many steps of dt = %g", duration,
                m->dt);
    return -1;
  }
  const int64_t n = (int64_t)llround(nd), s0 = sim->steps_done;
  if (snn_record_reserve(sim, s0, n)) return -1;
  if (opts && opts->threads < 0) {
    snn_set_err(sim->err, sizeof sim->err, "thread count %d must not be negative", opts->threads);
    return -1;
  }
  int threads = opts ? opts->threads : 1;
  sim->min_parallel = threads == 0 ? 32768u : 0u;
  if (threads == 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cores > 0 ? (int)(cores < 256 ? cores : 256) : 1;
    /* No kernel large enough to share: no pool (and the summary says one thread). */
    int any = 0;
    for (uint32_t k = 0; k < m->num_kernels; k++)
      any |= (m->kernels[k].tile || m->kernels[k].by_post) &&
             m->kernels[k].extent >= sim->min_parallel;
    if (!any) threads = 1;
  }
  if (m->num_kernels == 0) threads = 1; /* a descriptor without a kernel table: step only */
  if (snn_pool_threads(sim->pool) != threads) {
    snn_pool_destroy(sim->pool);
    sim->pool = NULL;
    if (threads > 1 && !(sim->pool = snn_pool_create(threads))) {
      snn_set_err(sim->err, sizeof sim->err, "cannot start %d threads", threads);
      return -1;
    }
  }

  snn_progress prog;
  snn_progress_begin(&prog, opts && opts->progress, n, m->dt, (double)s0 * m->dt);
  int rc = 0;
  const double t0 = snn_now();
  for (int64_t s = s0; s < s0 + n; s++) {
    snn_record_sample(sim, s);
    if (sim->pool)
      snn_step_kernels(sim, s);
    else
      m->step(sim->buffers, s, sim->seed);
    if (snn_record_collect_spikes(sim, s) || (sim->on_step && sim->on_step(sim->on_step_ctx, sim, s))) {
      rc = -1;
      break;
    }
    sim->steps_done = s + 1;
    /* Reading the clock every step would cost more than a small network's step. */
    if (prog.enabled && ((s - s0 + 1) & 63) == 0) snn_progress_update(&prog, s - s0 + 1);
  }
  /* Final-only recorders: the values after the last step (the initial ones for a run of 0
   * steps), stamped with the time reached. Skipped when the run failed part-way. */
  if (rc == 0) snn_record_final(sim, sim->steps_done);
  sim->wall_s += snn_now() - t0;
  snn_progress_end(&prog);
  return rc;
}

const char *snn_sim_last_error(const snn_sim *sim) { return sim ? sim->err : "no simulation"; }

int snn_sim_threads(const snn_sim *sim) { return sim ? snn_pool_threads(sim->pool) : 1; }

int64_t snn_sim_steps_done(const snn_sim *sim) { return sim ? sim->steps_done : 0; }

uint64_t snn_sim_num_synapses(const snn_sim *sim, uint32_t projection) {
  if (!sim || projection >= sim->model->num_projections) return 0;
  return sim->proj_synapses[projection];
}

uint64_t snn_sim_num_spikes(const snn_sim *sim, uint32_t population) {
  if (!sim || population >= sim->model->num_populations) return 0;
  return sim->pop_spikes[population];
}

uint64_t snn_sim_saturated_draws(const snn_sim *sim, uint32_t population) {
  if (!sim || population >= sim->model->num_populations) return 0;
  const snn_population_desc *p = &sim->model->populations[population];
  if (!p->counts_saturation) return 0;
  const int32_t *count = sim->buffers[p->vars[p->saturated_var].buffer];
  uint64_t total = 0;
  for (uint32_t i = 0; i < p->size; i++) total += (uint32_t)count[i];
  return total;
}

uint64_t snn_buffer_bytes(const snn_sim *sim, uint32_t slot) {
  const snn_model_desc *m = sim->model;
  if (!sim->buffers[slot]) return 0;
  for (uint32_t p = 0; p < m->num_populations; p++) {
    const snn_population_desc *pd = &m->populations[p];
    uint64_t n = pd->size ? pd->size : 1;
    for (uint32_t v = 0; v < pd->num_vars; v++)
      if (pd->vars[v].buffer == slot) return n * snn_elem_size(m, pd->vars[v].kind);
    if (slot == pd->spike_buffer) return n * sizeof(uint32_t);
    if (slot == pd->spike_count_buffer) return sizeof(uint32_t);
  }
  for (uint32_t j = 0; j < m->num_projections; j++) {
    const snn_projection_desc *pj = &m->projections[j];
    uint64_t nsyn = sim->proj_synapses[j] ? sim->proj_synapses[j] : 1;
    uint64_t npre = pj->pre_end - pj->pre_begin, npost = pj->post_end - pj->post_begin;
    for (uint32_t v = 0; v < pj->num_vars; v++)
      if (pj->vars[v].buffer == slot) return nsyn * snn_elem_size(m, pj->vars[v].kind);
    if (slot == pj->row_ptr_buffer) return (npre + 1) * sizeof(uint64_t);
    if (slot == pj->col_buffer) return nsyn * sizeof(uint32_t);
    /* As allocated here (a shared delay) and by delays.c (per-synapse delays). */
    if (pj->delay_steps) {
      uint64_t ring = (uint64_t)pj->delay_steps * npre;
      if (slot == pj->ring_buffer) return (ring ? ring : 1) * sizeof(uint32_t);
      if (slot == pj->ring_count_buffer) return (uint64_t)pj->delay_steps * sizeof(uint32_t);
    }
    if (pj->synapse_delays) {
      const uint32_t *max_delay = sim->buffers[pj->max_delay_buffer];
      uint64_t d = max_delay ? *max_delay : 0;
      if (slot == pj->delay_buffer) return nsyn * sizeof(int32_t);
      if (slot == pj->max_delay_buffer) return sizeof(uint32_t);
      if (slot == pj->delay_ptr_buffer) return (npre ? npre * (d + 2) : 1) * sizeof(uint32_t);
      if (slot == pj->ring_buffer) return (npre ? npre : 1) * (d + 1) * sizeof(uint32_t);
      if (slot == pj->ring_count_buffer) return (d + 1) * sizeof(uint32_t);
    }
    if (pj->post_index) {
      if (slot == pj->col_ptr_buffer) return (npost + 1) * sizeof(uint64_t);
      if (slot == pj->post_syn_buffer || slot == pj->post_pre_buffer)
        return nsyn * sizeof(uint32_t);
    }
  }
  return 0;
}

void *snn_sim_buffer(const snn_sim *sim, uint32_t slot) {
  if (!sim || slot >= sim->model->num_buffers) return NULL;
  return sim->buffers[slot];
}
