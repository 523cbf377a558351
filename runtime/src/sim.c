/*
 * sim.c — a simulation instance: owns the buffer table the kernels work on, builds connectivity,
 * and drives the time loop (sample state, run the step kernel, gather spikes; final samples after
 * the last step). All state lives in the snn_sim so any number of instances can coexist in one
 * process.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *alloc_zero(uint64_t n, size_t elem) {
  if (n == 0) n = 1; /* never hand a kernel NULL, even for an empty population */
  if (n > SIZE_MAX / elem) return NULL;
  return calloc((size_t)n, elem);
}

snn_sim *snn_sim_create(const snn_model_desc *m, uint64_t seed, char *err, size_t err_len) {
  return snn_sim_create_with(m, seed, NULL, 0, err, err_len);
}

void snn_sim_set_param(snn_sim *sim, uint32_t k, double value) {
  const snn_param_desc *pd = &sim->model->params[k];
  if (pd->buffer == SNN_NO_BUFFER) return;
  void *b = sim->buffers[pd->buffer];
  if (sim->model->real_size == 4)
    *(float *)b = (float)value;
  else
    *(double *)b = value;
}

double snn_sim_get_param(const snn_sim *sim, uint32_t k) {
  const snn_param_desc *pd = &sim->model->params[k];
  if (pd->buffer == SNN_NO_BUFFER) return pd->value;
  const void *b = sim->buffers[pd->buffer];
  return sim->model->real_size == 4 ? (double)*(const float *)b : *(const double *)b;
}

void snn_sim_seek_changes(snn_sim *sim) {
  const snn_model_desc *m = sim->model;
  uint32_t k = 0;
  while (k < m->num_changes && m->changes[k].step < sim->steps_done) k++;
  sim->next_change = k;
  sim->change_at = k < m->num_changes ? m->changes[k].step : INT64_MAX;
}

/* The protocol's changes at step s (== sim->change_at), with the propagators they move. */
static int apply_changes(snn_sim *sim, int64_t s) {
  const snn_model_desc *m = sim->model;
  while (sim->next_change < m->num_changes && m->changes[sim->next_change].step == s) {
    const snn_change_desc *c = &m->changes[sim->next_change++];
    snn_sim_set_param(sim, c->param, c->value);
  }
  sim->change_at = sim->next_change < m->num_changes ? m->changes[sim->next_change].step
                                                      : INT64_MAX;
  return snn_update_propagators(sim);
}

snn_sim *snn_sim_create_with(const snn_model_desc *m, uint64_t seed, const double *values,
                             double max_memory, char *err, size_t err_len) {
  return snn_sim_create_on(m, seed, values, max_memory, NULL, err, err_len);
}

/* The split over MPI ranks (mpi.c): every population a tiled kernel runs over is cut into runs
 * of whole tiles (its largest tile), one per rank; the others run whole everywhere. */
static int plan_split(snn_sim *sim, snn_mpi *mpi) {
  const snn_model_desc *m = sim->model;
  const uint32_t np = m->num_populations ? m->num_populations : 1;
  sim->split = calloc(np, sizeof *sim->split);
  sim->split_tile = calloc(np, sizeof *sim->split_tile);
  sim->rank_lo = calloc(np, sizeof *sim->rank_lo);
  sim->rank_hi = calloc(np, sizeof *sim->rank_hi);
  sim->proj_synapses_all =
      calloc(m->num_projections ? m->num_projections : 1, sizeof *sim->proj_synapses_all);
  if (!sim->split || !sim->split_tile || !sim->rank_lo || !sim->rank_hi || !sim->proj_synapses_all)
    return -1;
  for (uint32_t k = 0; k < m->num_kernels; k++)
    if (m->kernels[k].tile && m->kernels[k].tile > sim->split_tile[m->kernels[k].pop])
      sim->split_tile[m->kernels[k].pop] = m->kernels[k].tile;
  for (uint32_t p = 0; p < m->num_populations; p++) {
    sim->rank_hi[p] = m->populations[p].size;
    if (!sim->split_tile[p]) continue;
    sim->split[sim->num_split++] = p;
    snn_rank_range(m->populations[p].size, sim->split_tile[p], snn_mpi_rank(mpi),
                   snn_mpi_size(mpi), &sim->rank_lo[p], &sim->rank_hi[p]);
  }
  sim->mpi = mpi;
  return 0;
}

/* col_bytes = 2: col as built (uint32_t absolute) becomes uint16_t post - post_begin (before
 * `init`, whose code reads it so), in place
 * (entry s is written at bytes 2s, 2s + 1, before entries beyond s are read), then shrunk. */
static void narrow_cols(const snn_model_desc *m, uint32_t j, snn_sim *sim) {
  const snn_projection_desc *pj = &m->projections[j];
  if (pj->col_bytes != 2) return;
  const uint64_t n = sim->proj_synapses[j];
  uint32_t *wide = sim->buffers[pj->col_buffer];
  uint16_t *narrow = (uint16_t *)wide;
  for (uint64_t s = 0; s < n; s++) narrow[s] = (uint16_t)(wide[s] - pj->post_begin);
  void *shrunk = realloc(wide, (size_t)(n ? n : 1) * sizeof(uint16_t));
  if (shrunk) sim->buffers[pj->col_buffer] = shrunk;
}

uint64_t snn_sim_total_synapses(const snn_sim *sim, uint32_t j) {
  return sim->mpi ? sim->proj_synapses_all[j] : sim->proj_synapses[j];
}

snn_sim *snn_sim_create_on(const snn_model_desc *m, uint64_t seed, const double *values,
                           double max_memory, snn_mpi *mpi, char *err, size_t err_len) {
  if (snn_validate_model(m, err, err_len)) return NULL;
  if (snn_check_post_index_sizes(m, err, err_len) || snn_check_memory(m, max_memory, err, err_len))
    return NULL;
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

  if (mpi && plan_split(sim, mpi)) goto oom;
  for (uint32_t j = 0; j < m->num_projections; j++) {
    /* Split over ranks, the synapses live with their post neuron. */
    const uint32_t post = m->projections[j].post;
    const uint32_t keep_lo = mpi ? sim->rank_lo[post] : 0;
    const uint32_t keep_hi = mpi ? sim->rank_hi[post] : UINT32_MAX;
    if (snn_build_projection(m, j, seed, keep_lo, keep_hi, sim->buffers, &sim->proj_synapses[j],
                             err, err_len)) {
      snn_sim_destroy(sim);
      return NULL;
    }
    narrow_cols(m, j, sim);
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

  /* Run-time parameters before `init`, which may read them (initial values, delays). */
  for (uint32_t k = 0; k < m->num_params; k++)
    snn_sim_set_param(sim, k, values ? values[k] : m->params[k].value);
  if (snn_update_propagators(sim)) {
    snn_set_err(err, err_len, "%s", sim->err);
    snn_sim_destroy(sim);
    return NULL;
  }

  /* A synapse recorder holds every synapse of its projection: known only now. */
  for (uint32_t i = 0; i < m->num_recorders; i++)
    if (m->recorders[i].kind == SNN_RECORD_SYNAPSES)
      sim->recs[i].width = sim->proj_synapses[m->recorders[i].pop];

  snn_sim_seek_changes(sim);
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
  snn_cuda_free(sim);
  snn_record_free(sim);
  snn_pool_destroy(sim->pool);
  for (uint32_t p = 0; sim->inject && p < sim->model->num_populations; p++) {
    free(sim->inject[p]);
    free(sim->own_spikes[p]);
  }
  free(sim->inject);
  free(sim->inject_n);
  free(sim->inject_cap);
  free(sim->own_spikes);
  free(sim->own_n);
  free(sim->split);
  free(sim->split_tile);
  free(sim->rank_lo);
  free(sim->rank_hi);
  free(sim->proj_synapses_all);
  free(sim);
}

/* ---- injected spikes ---------------------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int snn_sim_inject(snn_sim *sim, uint32_t pop, const uint32_t *neurons, uint64_t n, char *err,
                   size_t err_len) {
  const snn_model_desc *m = sim->model;
  if (pop >= m->num_populations) {
    snn_set_err(err, err_len, "population %u out of range", pop);
    return -1;
  }
  if (m->num_kernels == 0) {
    snn_set_err(err, err_len, "model '%s' has no kernel table: spikes cannot be injected", m->name);
    return -1;
  }
  const uint32_t size = m->populations[pop].size;
  for (uint64_t k = 0; k < n; k++)
    if (neurons[k] >= size) {
      snn_set_err(err, err_len, "neuron %u of '%s' out of range (it has %u)", neurons[k],
                  m->populations[pop].name, size);
      return -1;
    }
  uint32_t np = m->num_populations ? m->num_populations : 1;
  if (!sim->inject) {
    sim->inject = calloc(np, sizeof *sim->inject);
    sim->inject_n = calloc(np, sizeof *sim->inject_n);
    sim->inject_cap = calloc(np, sizeof *sim->inject_cap);
    sim->own_spikes = calloc(np, sizeof *sim->own_spikes);
    sim->own_n = calloc(np, sizeof *sim->own_n);
    if (!sim->inject || !sim->inject_n || !sim->inject_cap || !sim->own_spikes || !sim->own_n)
      goto oom;
  }
  /* Duplicates (also of the neuron's own spike) count once; at most `size` distinct. */
  if ((uint64_t)sim->inject_n[pop] + n > sim->inject_cap[pop]) {
    uint64_t cap = sim->inject_n[pop] + n;
    if (cap > UINT32_MAX) cap = UINT32_MAX;
    if ((uint64_t)sim->inject_n[pop] + n > cap) {
      snn_set_err(err, err_len, "too many injected spikes for one step");
      return -1;
    }
    uint32_t *a = realloc(sim->inject[pop], (size_t)cap * sizeof *a);
    if (!a) goto oom;
    sim->inject[pop] = a, sim->inject_cap[pop] = (uint32_t)cap;
  }
  if (n) memcpy(sim->inject[pop] + sim->inject_n[pop], neurons, (size_t)n * sizeof *neurons);
  sim->inject_n[pop] += (uint32_t)n;
  sim->inject_pending |= n > 0;
  return 0;
oom:
  snn_set_err(err, err_len, "out of memory injecting spikes");
  return -1;
}

/* Population p's spike list := its own spikes merged with the injected ones, ascending. */
static void merge_injected(snn_sim *sim) {
  const snn_model_desc *m = sim->model;
  for (uint32_t p = 0; p < m->num_populations; p++) {
    if (!sim->inject_n[p]) continue;
    uint32_t *list = sim->buffers[m->populations[p].spike_buffer];
    uint32_t *count = sim->buffers[m->populations[p].spike_count_buffer];
    if (sim->inject_state == 0) { /* first merge of the step: keep the population's own spikes */
      if (!sim->own_spikes[p] &&
          !(sim->own_spikes[p] = malloc((size_t)(m->populations[p].size ? m->populations[p].size : 1) * sizeof(uint32_t))))
        continue; /* out of memory: the injection is dropped, the run goes on correctly */
      memcpy(sim->own_spikes[p], list, (size_t)*count * sizeof *list);
      sim->own_n[p] = *count;
      qsort(sim->inject[p], sim->inject_n[p], sizeof(uint32_t), cmp_u32);
    }
    if (!sim->own_spikes[p]) continue;
    const uint32_t *a = sim->own_spikes[p], *b = sim->inject[p];
    uint32_t na = sim->own_n[p], nb = sim->inject_n[p], i = 0, j = 0, n = 0;
    while (i < na || j < nb) {
      uint32_t x = j >= nb || (i < na && a[i] <= b[j]) ? a[i] : b[j];
      while (i < na && a[i] == x) i++;
      while (j < nb && b[j] == x) j++;
      list[n++] = x;
    }
    *count = n;
  }
}

static void restore_own(snn_sim *sim) {
  const snn_model_desc *m = sim->model;
  for (uint32_t p = 0; p < m->num_populations; p++)
    if (sim->inject_n[p] && sim->own_spikes[p]) {
      memcpy(sim->buffers[m->populations[p].spike_buffer], sim->own_spikes[p],
             (size_t)sim->own_n[p] * sizeof(uint32_t));
      *(uint32_t *)sim->buffers[m->populations[p].spike_count_buffer] = sim->own_n[p];
    }
}

/* Merges before the first delivery (every spike list is made by then) and takes the injected
 * spikes out again before the first reset, so that no reset or refractory countdown, fused into
 * the neuron loop or not, ever acts on them. */
static void inject_hook(snn_sim *sim, uint32_t k) {
  uint32_t phase = sim->model->kernels[k].phase;
  if (sim->inject_state == 0 && phase >= SNN_PHASE_DELIVER) {
    merge_injected(sim);
    sim->inject_state = 1;
  }
  if (sim->inject_state == 1 && phase == SNN_PHASE_RESET) {
    restore_own(sim);
    sim->inject_state = 2;
  }
}

static void step_with_injection(snn_sim *sim, int64_t s) {
  sim->inject_state = 0;
  snn_step_kernels(sim, s, inject_hook);
  /* After the step the lists hold the injected spikes again, for recorders and counts. */
  if (sim->inject_state != 1) merge_injected(sim);
  memset(sim->inject_n, 0, sim->model->num_populations * sizeof *sim->inject_n);
  sim->inject_pending = 0;
  sim->inject_state = 0;
}

/* A step split over MPI ranks: each rank's kernels run over its own neurons (threads.c), and
 * the populations' spikes are made whole before the first delivery (or at the end of a step
 * without one). Returns the OR of the ranks' status words (bit 0: stop), -1 on failure. */
static void exchange_hook(snn_sim *sim, uint32_t k) {
  if (!sim->exchanged && sim->model->kernels[k].phase >= SNN_PHASE_DELIVER) {
    sim->exchange_result = snn_mpi_exchange_spikes(sim, sim->exchange_status);
    sim->exchanged = 1;
  }
}

static int step_split(snn_sim *sim, int64_t s, uint32_t status) {
  sim->exchanged = 0;
  sim->exchange_status = status;
  snn_step_kernels(sim, s, exchange_hook);
  if (!sim->exchanged) sim->exchange_result = snn_mpi_exchange_spikes(sim, status);
  return sim->exchange_result;
}

/* The end of a run: final-only recorders take the values after the last step done (the initial
 * ones for a run of 0 steps), stamped with the time reached, unless the run failed; a run that
 * stopped early (not finite, interrupted) keeps its reason in sim->err. */
static int finish_run(snn_sim *sim, int rc) {
  if (rc == SNN_RUN_INTERRUPTED) {
    char t[32];
    snn_format_time((double)sim->steps_done * sim->model->dt, t, sizeof t);
    snn_set_err(sim->err, sizeof sim->err, "interrupted at t = %s (step %lld of %lld)", t,
                (long long)sim->steps_done, (long long)sim->steps_asked);
  }
  if ((rc == 0 && !sim->defer_final) || rc == SNN_RUN_NOT_FINITE || rc == SNN_RUN_INTERRUPTED)
    snn_record_final(sim, sim->steps_done);
  sim->stopped = rc == SNN_RUN_NOT_FINITE || rc == SNN_RUN_INTERRUPTED ? rc : 0;
  return rc;
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
  sim->stopped = 0;
  sim->steps_asked = s0 + n;
  const int check = !(opts && opts->no_finite_check);
  const volatile sig_atomic_t *stop = opts ? opts->stop : NULL;
  if (opts && opts->threads < 0) {
    snn_set_err(sim->err, sizeof sim->err, "thread count %d must not be negative", opts->threads);
    return -1;
  }
  if (sim->cuda) {
    snn_progress prog;
    snn_progress_begin(&prog, opts && opts->progress, n, m->dt, (double)s0 * m->dt);
    const double t0 = snn_now();
    /* The device runs the steps between the protocol's changes; each change is made on the host
     * state, which the next piece copies to the device. */
    int rc = 0;
    while (rc == 0 && sim->steps_done < s0 + n) {
      if (sim->steps_done == sim->change_at && apply_changes(sim, sim->steps_done)) {
        rc = -1;
        break;
      }
      int64_t end = sim->change_at < s0 + n ? sim->change_at : s0 + n;
      rc = snn_cuda_run(sim, end - sim->steps_done, &prog, stop, check);
    }
    /* On the device the state is checked after every batch of steps and after the run. */
    if (rc == 0 && check && snn_check_finite(sim, sim->steps_done, (int)snn_cuda_batch(sim)))
      rc = SNN_RUN_NOT_FINITE;
    rc = finish_run(sim, rc);
    sim->wall_s += snn_now() - t0;
    snn_progress_end(&prog);
    return rc;
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
    if (s == sim->change_at && apply_changes(sim, s)) {
      rc = -1;
      break;
    }
    snn_record_sample(sim, s);
    /* Split over ranks, they agree on stopping (a signal reaches them at different steps). */
    int stop_now = stop && *stop;
    if (sim->mpi) {
      int st = step_split(sim, s, stop_now ? 1u : 0u);
      if (st < 0) {
        fprintf(stderr, "error: MPI: the spike exchange of step %lld failed\n", (long long)s);
        snn_mpi_abort(sim->mpi, 1);
      }
      stop_now = st & 1;
    } else if (sim->inject_pending)
      step_with_injection(sim, s);
    else if (sim->pool)
      snn_step_kernels(sim, s, NULL);
    else
      m->step(sim->buffers, s, sim->seed);
    if (snn_record_collect_spikes(sim, s) || (sim->on_step && sim->on_step(sim->on_step_ctx, sim, s))) {
      if (sim->mpi) { /* this rank alone: the others would wait for it */
        fprintf(stderr, "error: %s\n", sim->err);
        snn_mpi_abort(sim->mpi, 1);
      }
      rc = -1;
      break;
    }
    sim->steps_done = s + 1;
    if (check && ((s + 1) % SNN_FINITE_EVERY == 0 || s + 1 == s0 + n)) {
      int bad = snn_check_finite(sim, s + 1, SNN_FINITE_EVERY) != 0;
      if (sim->mpi) {
        int first = snn_mpi_any(sim->mpi, bad);
        snn_mpi_share_error(sim->mpi, first, sim->err, sizeof sim->err);
        bad = first >= 0;
      }
      if (bad) {
        rc = SNN_RUN_NOT_FINITE;
        break;
      }
    }
    if (stop_now && s + 1 < s0 + n) {
      rc = SNN_RUN_INTERRUPTED;
      break;
    }
    /* Reading the clock every step would cost more than a small network's step. */
    if (prog.enabled && ((s - s0 + 1) & 63) == 0) snn_progress_update(&prog, s - s0 + 1);
  }
  rc = finish_run(sim, rc);
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
    if (slot == pj->col_buffer) return nsyn * (pj->col_bytes == 2 ? 2 : 4);
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
      if (slot == pj->ring_count_buffer) return (d + 3) * sizeof(uint32_t);
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
