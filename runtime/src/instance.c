/*
 * instance.c — the embedding API of snn/instance.h on top of an snn_sim: name lookup, a spike
 * queue per population filled after every step, reset, and save/restore of the whole state.
 *
 * Saved state (version 1), all integers little-endian as in memory (the file is for the same
 * machine type): "SNNSTATE", u32 format version, u32 ABI version, u32 name length, the model's
 * name, u64 seed, i64 steps done, u32 buffer count, then per buffer slot u64 bytes and the bytes;
 * u64 spikes per population, u64 synapses per projection; per recorder u64 n, u64 width, u64
 * bin_spikes, then its steps (n i64), indices (n u32, spike recorders) and values (n * width
 * doubles, state, synapse and rate recorders); per population the queued, undrained spikes (u64
 * count, steps, neurons).
 */
#include "snn/instance.h"

#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LIVE 0x534e4e49u /* "SNNI" */
#define DEAD 0xdeadbeefu

typedef struct spike_queue {
  uint64_t head, n, cap; /* entries [head, n) are undrained */
  int64_t *step;
  uint32_t *neuron;
} spike_queue;

struct snn_instance {
  uint32_t magic;
  const snn_model_desc *model;
  snn_instance_options opts;
  double *params; /* the run-time parameters' current values, kept across resets */
  snn_sim *sim;
  spike_queue *queues; /* per population, with keep_spikes */
  char *err; /* SNN_ERR_LEN bytes; freed with the rest, so the tombstone stays small */
  double max_memory; /* bytes the network may take (0: what the machine has available) */
};

static int fail(snn_instance *inst, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(snn_instance *inst, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(inst->err, SNN_ERR_LEN, fmt, ap);
  va_end(ap);
  return code;
}

/* SNN_OK for a live instance (clearing its message), else the code for NULL or destroyed. */
static int check(const snn_instance *inst) {
  if (!inst) return SNN_ERR_NULL;
  if (inst->magic != LIVE) return SNN_ERR_DESTROYED;
  ((snn_instance *)inst)->err[0] = '\0';
  return SNN_OK;
}

snn_sim *snn_instance_sim(snn_instance *inst) { return inst && inst->magic == LIVE ? inst->sim : NULL; }

int snn_instance_api_version(void) { return SNN_INSTANCE_API_VERSION; }

void snn_instance_default_options(const snn_model_desc *model, snn_instance_options *opts) {
  if (!opts) return;
  opts->seed = model ? model->seed : 0;
  opts->threads = 1;
  opts->keep_spikes = 1;
  opts->device = model && model->cuda_ptx ? 0 : -1;
}

static void free_queues(snn_instance *inst) {
  if (!inst->queues) return;
  for (uint32_t p = 0; p < inst->model->num_populations; p++) {
    free(inst->queues[p].step);
    free(inst->queues[p].neuron);
  }
  free(inst->queues);
  inst->queues = NULL;
}

static int queue_push(spike_queue *q, int64_t step, const uint32_t *neurons, uint32_t count) {
  if (q->head == q->n) q->head = q->n = 0; /* drained: start over */
  if (q->n + count > q->cap) {
    if (q->head) { /* reclaim the drained front first */
      memmove(q->step, q->step + q->head, (size_t)(q->n - q->head) * sizeof *q->step);
      memmove(q->neuron, q->neuron + q->head, (size_t)(q->n - q->head) * sizeof *q->neuron);
      q->n -= q->head, q->head = 0;
    }
    uint64_t cap = q->cap ? q->cap : 1024;
    while (cap < q->n + count) cap *= 2;
    int64_t *s = realloc(q->step, (size_t)cap * sizeof *s);
    if (!s) return -1;
    q->step = s;
    uint32_t *nn = realloc(q->neuron, (size_t)cap * sizeof *nn);
    if (!nn) return -1;
    q->neuron = nn;
    q->cap = cap;
  }
  for (uint32_t k = 0; k < count; k++) {
    q->step[q->n] = step;
    q->neuron[q->n++] = neurons[k];
  }
  return 0;
}

/* The run loop's per-step hook: this step's spikes of every population into its queue. */
static int collect(void *ctx, snn_sim *sim, int64_t step) {
  snn_instance *inst = ctx;
  const snn_model_desc *m = sim->model;
  for (uint32_t p = 0; p < m->num_populations; p++) {
    const uint32_t *n = sim->buffers[m->populations[p].spike_count_buffer];
    if (*n && queue_push(&inst->queues[p], step, sim->buffers[m->populations[p].spike_buffer], *n)) {
      snn_set_err(sim->err, sizeof sim->err, "out of memory queueing the spikes of '%s'",
                  m->populations[p].name);
      return -1;
    }
  }
  return 0;
}

/* A fresh sim (and empty queues) for the instance's model and options. */
static int build(snn_instance *inst, char *err, size_t err_len) {
  inst->sim = snn_sim_create_with(inst->model, inst->opts.seed, inst->params, inst->max_memory,
                                  err, err_len);
  if (!inst->sim) return -1;
  if (inst->opts.device >= 0 && snn_sim_use_cuda(inst->sim, inst->opts.device, err, err_len)) {
    snn_sim_destroy(inst->sim);
    inst->sim = NULL;
    return -1;
  }
  if (inst->opts.keep_spikes) {
    uint32_t np = inst->model->num_populations;
    inst->queues = calloc(np ? np : 1, sizeof *inst->queues);
    if (!inst->queues) {
      snn_sim_destroy(inst->sim);
      inst->sim = NULL;
      snn_set_err(err, err_len, "out of memory");
      return -1;
    }
    inst->sim->on_step = collect;
    inst->sim->on_step_ctx = inst;
  }
  return 0;
}

snn_instance *snn_instance_create(const snn_model_desc *model, const snn_instance_options *opts,
                                  char *err, size_t err_len) {
  return snn_instance_create_with(model, opts, NULL, 0, err, err_len);
}

snn_instance *snn_instance_create_with(const snn_model_desc *model,
                                       const snn_instance_options *opts, const double *values,
                                       double max_memory, char *err, size_t err_len) {
  if (!model) {
    snn_set_err(err, err_len, "no model");
    return NULL;
  }
  snn_instance *inst = calloc(1, sizeof *inst);
  if (!inst) {
    snn_set_err(err, err_len, "out of memory");
    return NULL;
  }
  inst->model = model;
  inst->max_memory = max_memory;
  if (!(inst->err = calloc(SNN_ERR_LEN, 1))) {
    free(inst);
    snn_set_err(err, err_len, "out of memory");
    return NULL;
  }
  if (model->num_params) {
    inst->params = malloc(model->num_params * sizeof *inst->params);
    if (!inst->params) {
      free(inst->err);
      free(inst);
      snn_set_err(err, err_len, "out of memory");
      return NULL;
    }
    for (uint32_t k = 0; k < model->num_params; k++)
      inst->params[k] = values ? values[k] : model->params[k].value;
  }
  snn_instance_default_options(model, &inst->opts);
  if (opts) inst->opts = *opts;
  if (inst->opts.threads < 0) {
    snn_set_err(err, err_len, "thread count %d must not be negative", inst->opts.threads);
    free(inst->params);
    free(inst->err);
    free(inst);
    return NULL;
  }
  if (build(inst, err, err_len)) {
    free(inst->params);
    free(inst->err);
    free(inst);
    return NULL;
  }
  inst->magic = LIVE;
  return inst;
}

void snn_instance_destroy(snn_instance *inst) {
  if (!inst || inst->magic != LIVE) return;
  free_queues(inst);
  snn_sim_destroy(inst->sim);
  inst->sim = NULL;
  free(inst->params);
  inst->params = NULL;
  free(inst->err);
  inst->err = NULL;
  inst->magic = DEAD; /* the tombstone stays allocated: see instance.h */
}

const char *snn_instance_error(const snn_instance *inst) {
  if (!inst) return "null instance";
  if (inst->magic != LIVE) return "destroyed instance";
  return inst->err;
}

int snn_instance_reset(snn_instance *inst) {
  int rc = check(inst);
  if (rc) return rc;
  free_queues(inst);
  snn_sim_destroy(inst->sim);
  inst->sim = NULL;
  if (build(inst, inst->err, SNN_ERR_LEN)) {
    /* Nothing usable is left: the instance is as good as destroyed. */
    inst->magic = DEAD;
    return SNN_ERR_RUN;
  }
  return SNN_OK;
}

static int advance(snn_instance *inst, double seconds) {
  snn_run_options ro = {0, inst->opts.threads, 0, NULL};
  int rc = snn_sim_run(inst->sim, seconds, &ro);
  if (rc)
    return fail(inst, rc == SNN_RUN_NOT_FINITE ? SNN_ERR_NOT_FINITE : SNN_ERR_RUN, "%s",
                inst->sim->err);
  return SNN_OK;
}

int snn_instance_step(snn_instance *inst, int64_t steps) {
  int rc = check(inst);
  if (rc) return rc;
  if (steps < 0) return fail(inst, SNN_ERR_ARG, "step count %lld is negative", (long long)steps);
  if (steps > ((int64_t)1 << 52))
    return fail(inst, SNN_ERR_ARG, "step count %lld is too large", (long long)steps);
  /* snn_sim_run rounds duration / dt: an exact integer times dt rounds back to it. */
  return advance(inst, (double)steps * inst->model->dt);
}

int snn_instance_run(snn_instance *inst, double seconds) {
  int rc = check(inst);
  if (rc) return rc;
  if (!(seconds >= 0) || !isfinite(seconds))
    return fail(inst, SNN_ERR_ARG, "duration %g must be non-negative and finite", seconds);
  return advance(inst, seconds);
}

int64_t snn_instance_steps_done(const snn_instance *inst) {
  return check(inst) ? -1 : inst->sim->steps_done;
}

double snn_instance_time(const snn_instance *inst) {
  return check(inst) ? NAN : (double)inst->sim->steps_done * inst->model->dt;
}

double snn_instance_dt(const snn_instance *inst) { return check(inst) ? NAN : inst->model->dt; }

/* ---- names ------------------------------------------------------------------------------------ */

static int find_population(const snn_model_desc *m, const char *name, size_t len) {
  for (uint32_t p = 0; p < m->num_populations; p++)
    if (strlen(m->populations[p].name) == len && !strncmp(m->populations[p].name, name, len))
      return (int)p;
  return -1;
}

static int find_projection(const snn_model_desc *m, const char *name, size_t len) {
  for (uint32_t j = 0; j < m->num_projections; j++)
    if (strlen(m->projections[j].name) == len && !strncmp(m->projections[j].name, name, len))
      return (int)j;
  return -1;
}

static int find_var(const snn_var_desc *vars, uint32_t n, const char *name) {
  for (uint32_t v = 0; v < n; v++)
    if (!strcmp(vars[v].name, name)) return (int)v;
  return -1;
}

int snn_instance_num_populations(const snn_instance *inst) {
  int rc = check(inst);
  return rc ? rc : (int)inst->model->num_populations;
}

int snn_instance_population(const snn_instance *inst, int index, const char **name,
                            uint64_t *size) {
  int rc = check(inst);
  if (rc) return rc;
  snn_instance *mut = (snn_instance *)inst;
  if (index < 0 || (uint32_t)index >= inst->model->num_populations)
    return fail(mut, SNN_ERR_RANGE, "population %d out of range (the model has %u)", index,
                inst->model->num_populations);
  if (name) *name = inst->model->populations[index].name;
  if (size) *size = inst->model->populations[index].size;
  return SNN_OK;
}

int snn_instance_num_projections(const snn_instance *inst) {
  int rc = check(inst);
  return rc ? rc : (int)inst->model->num_projections;
}

int snn_instance_projection(const snn_instance *inst, int index, const char **name,
                            uint64_t *synapses) {
  int rc = check(inst);
  if (rc) return rc;
  snn_instance *mut = (snn_instance *)inst;
  if (index < 0 || (uint32_t)index >= inst->model->num_projections)
    return fail(mut, SNN_ERR_RANGE, "projection %d out of range (the model has %u)", index,
                inst->model->num_projections);
  if (name) *name = inst->model->projections[index].name;
  if (synapses) *synapses = inst->sim->proj_synapses[index];
  return SNN_OK;
}

/* The variables of population or projection `owner`. */
static int owner_vars(snn_instance *inst, const char *owner, const snn_var_desc **vars,
                      uint32_t *n) {
  if (!owner) return fail(inst, SNN_ERR_ARG, "no population or projection name");
  const snn_model_desc *m = inst->model;
  int p = find_population(m, owner, strlen(owner));
  if (p >= 0) {
    *vars = m->populations[p].vars, *n = m->populations[p].num_vars;
    return SNN_OK;
  }
  int j = find_projection(m, owner, strlen(owner));
  if (j >= 0) {
    *vars = m->projections[j].vars, *n = m->projections[j].num_vars;
    return SNN_OK;
  }
  return fail(inst, SNN_ERR_NAME, "no population or projection named '%s'", owner);
}

int snn_instance_num_variables(const snn_instance *inst, const char *owner) {
  int rc = check(inst);
  if (rc) return rc;
  const snn_var_desc *vars;
  uint32_t n;
  rc = owner_vars((snn_instance *)inst, owner, &vars, &n);
  return rc ? rc : (int)n;
}

int snn_instance_variable(const snn_instance *inst, const char *owner, int index,
                          const char **name, const char **unit) {
  int rc = check(inst);
  if (rc) return rc;
  const snn_var_desc *vars;
  uint32_t n;
  snn_instance *mut = (snn_instance *)inst;
  if ((rc = owner_vars(mut, owner, &vars, &n))) return rc;
  if (index < 0 || (uint32_t)index >= n)
    return fail(mut, SNN_ERR_RANGE, "variable %d of '%s' out of range (it has %u)", index, owner,
                n);
  if (name) *name = vars[index].name;
  if (unit) *unit = vars[index].unit ? vars[index].unit : "";
  return SNN_OK;
}

static int find_param(const snn_model_desc *m, const char *name) {
  for (uint32_t k = 0; k < m->num_params; k++)
    if (!strcmp(m->params[k].name, name)) return (int)k;
  return -1;
}

int snn_instance_num_params(const snn_instance *inst) {
  int rc = check(inst);
  return rc ? rc : (int)inst->model->num_params;
}

int snn_instance_param(const snn_instance *inst, int index, const char **name, double *value,
                       const char **unit, int *runtime) {
  int rc = check(inst);
  if (rc) return rc;
  if (index < 0 || (uint32_t)index >= inst->model->num_params)
    return fail((snn_instance *)inst, SNN_ERR_RANGE, "parameter %d out of range (the model has %u)",
                index, inst->model->num_params);
  const snn_param_desc *pd = &inst->model->params[index];
  if (name) *name = pd->name;
  if (value) *value = snn_sim_get_param(inst->sim, (uint32_t)index);
  if (unit) *unit = pd->unit;
  if (runtime) *runtime = pd->buffer != SNN_NO_BUFFER;
  return SNN_OK;
}

int snn_instance_get_param(snn_instance *inst, const char *name, double *value) {
  int rc = check(inst);
  if (rc) return rc;
  if (!name || !value) return fail(inst, SNN_ERR_ARG, "no name or no output");
  int k = find_param(inst->model, name);
  if (k < 0) return fail(inst, SNN_ERR_NAME, "no parameter named '%s'", name);
  *value = snn_sim_get_param(inst->sim, (uint32_t)k);
  return SNN_OK;
}

int snn_instance_set_param(snn_instance *inst, const char *name, double value) {
  int rc = check(inst);
  if (rc) return rc;
  if (!name) return fail(inst, SNN_ERR_ARG, "no parameter name");
  int k = find_param(inst->model, name);
  if (k < 0) return fail(inst, SNN_ERR_NAME, "no parameter named '%s'", name);
  const snn_param_desc *pd = &inst->model->params[k];
  if (pd->buffer == SNN_NO_BUFFER) {
    return fail(inst, SNN_ERR_FOLDED,
                "parameter '%s' was folded into the code at compile time; declare it "
                "`runtime %s` in the network to set it here",
                name, name);
  }
  if (!isfinite(value))
    return fail(inst, SNN_ERR_ARG, "value %g for '%s' is not finite", value, name);
  double old = snn_sim_get_param(inst->sim, (uint32_t)k);
  snn_sim_set_param(inst->sim, (uint32_t)k, value);
  if (snn_update_propagators(inst->sim)) {
    snn_sim_set_param(inst->sim, (uint32_t)k, old);
    snn_update_propagators(inst->sim);
    return fail(inst, SNN_ERR_RUN, "%s", inst->sim->err);
  }
  inst->params[k] = value;
  return SNN_OK;
}

int snn_instance_state(snn_instance *inst, const char *name, snn_array *out) {
  int rc = check(inst);
  if (rc) return rc;
  if (!name || !out) return fail(inst, SNN_ERR_ARG, "no name or no output");
  const char *dot = strchr(name, '.');
  if (!dot) return fail(inst, SNN_ERR_NAME, "'%s' is not of the form owner.variable", name);
  const snn_model_desc *m = inst->model;
  size_t len = (size_t)(dot - name);
  int p = find_population(m, name, len), j = p < 0 ? find_projection(m, name, len) : -1;
  const snn_var_desc *vars = p >= 0 ? m->populations[p].vars : j >= 0 ? m->projections[j].vars : NULL;
  uint32_t n = p >= 0 ? m->populations[p].num_vars : j >= 0 ? m->projections[j].num_vars : 0;
  if (!vars && p < 0 && j < 0)
    return fail(inst, SNN_ERR_NAME, "no population or projection named '%.*s'", (int)len, name);
  int v = find_var(vars, n, dot + 1);
  if (v < 0) return fail(inst, SNN_ERR_NAME, "'%.*s' has no variable '%s'", (int)len, name, dot + 1);
  out->data = inst->sim->buffers[vars[v].buffer];
  out->length = p >= 0 ? m->populations[p].size : inst->sim->proj_synapses[j];
  out->type = vars[v].kind == SNN_I32 ? SNN_TYPE_I32 : m->real_size == 4 ? SNN_TYPE_F32 : SNN_TYPE_F64;
  return SNN_OK;
}

static size_t type_size(int type) { return type == SNN_TYPE_F64 ? 8 : 4; }

static const char *type_name(int type) {
  return type == SNN_TYPE_I32 ? "i32" : type == SNN_TYPE_F32 ? "f32" : type == SNN_TYPE_F64 ? "f64" : "?";
}

int snn_instance_set_state(snn_instance *inst, const char *name, const void *values,
                           uint64_t length, int type) {
  snn_array a;
  int rc = snn_instance_state(inst, name, &a);
  if (rc) return rc;
  if (!values && length) return fail(inst, SNN_ERR_ARG, "no values");
  if (type != a.type)
    return fail(inst, SNN_ERR_TYPE, "'%s' holds %s, not %s", name, type_name(a.type),
                type_name(type));
  if (length != a.length)
    return fail(inst, SNN_ERR_TYPE, "'%s' has %llu elements, not %llu", name,
                (unsigned long long)a.length, (unsigned long long)length);
  if (length) memcpy(a.data, values, (size_t)length * type_size(type));
  return SNN_OK;
}

int snn_instance_synapses(snn_instance *inst, const char *projection, uint32_t *pre,
                          uint32_t *post, uint64_t capacity, uint64_t *count) {
  int rc = check(inst);
  if (rc) return rc;
  if (!projection || !count) return fail(inst, SNN_ERR_ARG, "no projection name or no count");
  const snn_model_desc *m = inst->model;
  int j = find_projection(m, projection, strlen(projection));
  if (j < 0) return fail(inst, SNN_ERR_NAME, "no projection named '%s'", projection);
  const snn_projection_desc *pj = &m->projections[j];
  uint64_t nsyn = inst->sim->proj_synapses[j];
  *count = nsyn;
  if ((pre || post) && capacity < nsyn)
    return fail(inst, SNN_ERR_RANGE, "'%s' has %llu synapses, more than the capacity %llu",
                projection, (unsigned long long)nsyn, (unsigned long long)capacity);
  const uint64_t *row_ptr = inst->sim->buffers[pj->row_ptr_buffer];
  const void *col = inst->sim->buffers[pj->col_buffer];
  for (uint32_t r = 0; r < pj->pre_end - pj->pre_begin; r++)
    for (uint64_t s = row_ptr[r]; s < row_ptr[r + 1]; s++) {
      if (pre) pre[s] = pj->pre_begin + r;
      if (post) post[s] = snn_col_at(pj, col, s);
    }
  return SNN_OK;
}

int64_t snn_instance_drain_spikes(snn_instance *inst, const char *pop, int64_t *steps,
                                  uint32_t *neurons, uint64_t capacity) {
  int rc = check(inst);
  if (rc) return rc;
  if (!pop) return fail(inst, SNN_ERR_ARG, "no population name");
  int p = find_population(inst->model, pop, strlen(pop));
  if (p < 0) return fail(inst, SNN_ERR_NAME, "no population named '%s'", pop);
  if (!inst->queues)
    return fail(inst, SNN_ERR_ARG, "the instance was created without keep_spikes");
  if (capacity && (!steps || !neurons)) return fail(inst, SNN_ERR_ARG, "no output arrays");
  spike_queue *q = &inst->queues[p];
  uint64_t k = q->n - q->head;
  if (k > capacity) k = capacity;
  if (k) {
    memcpy(steps, q->step + q->head, (size_t)k * sizeof *steps);
    memcpy(neurons, q->neuron + q->head, (size_t)k * sizeof *neurons);
  }
  q->head += k;
  return (int64_t)k;
}

int snn_instance_inject(snn_instance *inst, const char *pop, const uint32_t *neurons,
                        uint64_t n) {
  int rc = check(inst);
  if (rc) return rc;
  if (!pop || (n && !neurons)) return fail(inst, SNN_ERR_ARG, "no population name or no neurons");
  int p = find_population(inst->model, pop, strlen(pop));
  if (p < 0) return fail(inst, SNN_ERR_NAME, "no population named '%s'", pop);
  for (uint64_t k = 0; k < n; k++)
    if (neurons[k] >= inst->model->populations[p].size)
      return fail(inst, SNN_ERR_RANGE, "neuron %u of '%s' out of range (it has %u)", neurons[k],
                  pop, inst->model->populations[p].size);
  if (snn_sim_inject(inst->sim, (uint32_t)p, neurons, n, inst->err, SNN_ERR_LEN))
    return SNN_ERR_RUN;
  return SNN_OK;
}

int snn_instance_write_outputs(snn_instance *inst, const char *dir) {
  int rc = check(inst);
  if (rc) return rc;
  if (!dir) return fail(inst, SNN_ERR_ARG, "no directory");
  if (snn_sim_write_outputs(inst->sim, dir, inst->err, SNN_ERR_LEN)) return SNN_ERR_IO;
  return SNN_OK;
}

/* ---- save / restore --------------------------------------------------------------------------- */

#define STATE_MAGIC "SNNSTATE"
#define STATE_VERSION 1u

typedef struct writer {
  unsigned char *data;
  size_t n, cap;
  int failed;
} writer;

static void put(writer *w, const void *p, size_t len) {
  if (w->failed || !len) return;
  if (w->n + len > w->cap) {
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->n + len) {
      if (cap > SIZE_MAX / 2) {
        w->failed = 1;
        return;
      }
      cap *= 2;
    }
    unsigned char *d = realloc(w->data, cap);
    if (!d) {
      w->failed = 1;
      return;
    }
    w->data = d, w->cap = cap;
  }
  memcpy(w->data + w->n, p, len);
  w->n += len;
}

static void put64(writer *w, uint64_t v) { put(w, &v, sizeof v); }
static void put32(writer *w, uint32_t v) { put(w, &v, sizeof v); }

int snn_instance_save(snn_instance *inst, void **data, size_t *length) {
  int rc = check(inst);
  if (rc) return rc;
  if (!data || !length) return fail(inst, SNN_ERR_ARG, "no output pointers");
  const snn_model_desc *m = inst->model;
  const snn_sim *sim = inst->sim;
  writer w = {0};
  put(&w, STATE_MAGIC, 8);
  put32(&w, STATE_VERSION);
  put32(&w, SNN_ABI_VERSION);
  put32(&w, (uint32_t)strlen(m->name));
  put(&w, m->name, strlen(m->name));
  put64(&w, sim->seed);
  put64(&w, (uint64_t)sim->steps_done);
  put32(&w, m->num_buffers);
  for (uint32_t s = 0; s < m->num_buffers; s++) {
    uint64_t bytes = sim->buffers[s] ? snn_buffer_bytes(sim, s) : 0;
    put64(&w, bytes);
    put(&w, sim->buffers[s], (size_t)bytes);
  }
  for (uint32_t p = 0; p < m->num_populations; p++) put64(&w, sim->pop_spikes[p]);
  for (uint32_t j = 0; j < m->num_projections; j++) put64(&w, sim->proj_synapses[j]);
  for (uint32_t i = 0; i < m->num_recorders; i++) {
    const snn_recording *r = &sim->recs[i];
    put64(&w, r->n);
    put64(&w, r->width);
    put64(&w, r->bin_spikes);
    put(&w, r->step, (size_t)r->n * sizeof *r->step);
    if (m->recorders[i].kind == SNN_RECORD_SPIKES)
      put(&w, r->idx, (size_t)r->n * sizeof *r->idx);
    else
      put(&w, r->val, (size_t)(r->n * r->width) * sizeof *r->val);
  }
  for (uint32_t p = 0; p < m->num_populations; p++) {
    const spike_queue *q = inst->queues ? &inst->queues[p] : NULL;
    uint64_t k = q ? q->n - q->head : 0;
    put64(&w, k);
    if (k) {
      put(&w, q->step + q->head, (size_t)k * sizeof *q->step);
      put(&w, q->neuron + q->head, (size_t)k * sizeof *q->neuron);
    }
  }
  if (w.failed) {
    free(w.data);
    return fail(inst, SNN_ERR_RUN, "out of memory saving the state");
  }
  *data = w.data;
  *length = w.n;
  return SNN_OK;
}

typedef struct reader {
  const unsigned char *p;
  size_t left;
  int failed;
} reader;

static int get(reader *r, void *dst, size_t len) {
  if (r->failed || len > r->left) {
    r->failed = 1;
    return -1;
  }
  if (len) memcpy(dst, r->p, len);
  r->p += len, r->left -= len;
  return 0;
}

static uint64_t get64(reader *r) {
  uint64_t v = 0;
  get(r, &v, sizeof v);
  return v;
}

static uint32_t get32(reader *r) {
  uint32_t v = 0;
  get(r, &v, sizeof v);
  return v;
}

/* A malloc'ed copy of the next `len` bytes (NULL for 0 bytes, or on failure with r->failed). */
static void *get_block(reader *r, uint64_t len) {
  if (!len) return NULL;
  if (len > r->left) {
    r->failed = 1;
    return NULL;
  }
  void *d = malloc((size_t)len);
  if (!d) {
    r->failed = 1;
    return NULL;
  }
  get(r, d, (size_t)len);
  return d;
}

int snn_instance_restore(snn_instance *inst, const void *data, size_t length) {
  int rc = check(inst);
  if (rc) return rc;
  if (!data) return fail(inst, SNN_ERR_ARG, "no data");
  const snn_model_desc *m = inst->model;
  reader r = {data, length, 0};
  char magic[8];
  if (get(&r, magic, 8) || memcmp(magic, STATE_MAGIC, 8))
    return fail(inst, SNN_ERR_FORMAT, "not a saved snnc state");
  uint32_t version = get32(&r), abi = get32(&r), nlen = get32(&r);
  if (r.failed || version != STATE_VERSION || abi != SNN_ABI_VERSION)
    return fail(inst, SNN_ERR_FORMAT, "saved state of format %u, ABI %u; this runtime reads %u, %u",
                version, abi, STATE_VERSION, SNN_ABI_VERSION);
  char name[256];
  if (nlen >= sizeof name || get(&r, name, nlen))
    return fail(inst, SNN_ERR_FORMAT, "truncated saved state");
  name[nlen] = '\0';
  if (strcmp(name, m->name))
    return fail(inst, SNN_ERR_FORMAT, "saved state of model '%s', not '%s'", name, m->name);
  uint64_t seed = get64(&r);
  int64_t steps = (int64_t)get64(&r);
  if (get32(&r) != m->num_buffers || r.failed)
    return fail(inst, SNN_ERR_FORMAT, "saved state with another buffer layout");

  /* Everything is read into new storage first, so that a bad block leaves the instance as it
   * was. */
  uint32_t nb = m->num_buffers, np = m->num_populations, nj = m->num_projections,
           nr = m->num_recorders;
  void **bufs = calloc(nb ? nb : 1, sizeof *bufs);
  uint64_t *pop_spikes = calloc(np ? np : 1, sizeof *pop_spikes);
  uint64_t *proj_syn = calloc(nj ? nj : 1, sizeof *proj_syn);
  snn_recording *recs = calloc(nr ? nr : 1, sizeof *recs);
  spike_queue *queues = inst->queues ? calloc(np ? np : 1, sizeof *queues) : NULL;
  if (!bufs || !pop_spikes || !proj_syn || !recs || (inst->queues && !queues)) r.failed = 1;
  for (uint32_t s = 0; s < nb && !r.failed; s++) {
    uint64_t bytes = get64(&r);
    bufs[s] = get_block(&r, bytes);
    /* Kernels are never handed NULL for a buffer that the live instance has. */
    if (!r.failed && !bufs[s] && inst->sim->buffers[s] && !(bufs[s] = calloc(1, 8))) r.failed = 1;
  }
  for (uint32_t p = 0; p < np && !r.failed; p++) pop_spikes[p] = get64(&r);
  for (uint32_t j = 0; j < nj && !r.failed; j++) proj_syn[j] = get64(&r);
  for (uint32_t i = 0; i < nr && !r.failed; i++) {
    snn_recording *rec = &recs[i];
    rec->n = rec->cap = get64(&r);
    rec->width = get64(&r);
    rec->bin_spikes = get64(&r);
    if (rec->n > r.left / sizeof(int64_t)) {
      r.failed = 1;
      break;
    }
    rec->step = get_block(&r, rec->n * sizeof *rec->step);
    if (m->recorders[i].kind == SNN_RECORD_SPIKES)
      rec->idx = get_block(&r, rec->n * sizeof *rec->idx);
    else if (rec->width && rec->n > r.left / sizeof(double) / rec->width)
      r.failed = 1;
    else
      rec->val = get_block(&r, rec->n * rec->width * sizeof *rec->val);
  }
  for (uint32_t p = 0; p < np && !r.failed; p++) {
    uint64_t k = get64(&r);
    if (k > r.left / (sizeof(int64_t) + sizeof(uint32_t))) {
      r.failed = 1;
      break;
    }
    int64_t *st = get_block(&r, k * sizeof *st);
    uint32_t *nn = get_block(&r, k * sizeof *nn);
    if (queues) {
      queues[p].step = st, queues[p].neuron = nn, queues[p].n = queues[p].cap = k;
    } else {
      free(st);
      free(nn);
    }
  }
  if (!r.failed && r.left) r.failed = 1; /* trailing bytes: not what we wrote */
  if (r.failed) {
    for (uint32_t s = 0; s < nb && bufs; s++) free(bufs[s]);
    free(bufs);
    free(pop_spikes);
    free(proj_syn);
    for (uint32_t i = 0; i < nr && recs; i++) free(recs[i].step), free(recs[i].idx), free(recs[i].val);
    free(recs);
    for (uint32_t p = 0; p < np && queues; p++) free(queues[p].step), free(queues[p].neuron);
    free(queues);
    return fail(inst, SNN_ERR_FORMAT, "truncated or corrupt saved state (or out of memory)");
  }

  snn_sim *sim = inst->sim;
  for (uint32_t s = 0; s < nb; s++) free(sim->buffers[s]);
  free(sim->buffers);
  sim->buffers = bufs;
  free(sim->pop_spikes);
  sim->pop_spikes = pop_spikes;
  free(sim->proj_synapses);
  sim->proj_synapses = proj_syn;
  snn_record_free(sim);
  sim->recs = recs;
  sim->seed = seed;
  sim->steps_done = steps;
  snn_sim_seek_changes(sim); /* the saved state holds the changes made before `steps` */
  inst->opts.seed = seed;
  if (inst->queues) {
    free_queues(inst);
    inst->queues = queues;
  }
  for (uint32_t k = 0; k < m->num_params; k++) /* the saved run-time parameters */
    inst->params[k] = snn_sim_get_param(sim, k);
  if (sim->cuda) { /* the device's copy is of the old buffers: copy the restored ones over */
    int device = inst->opts.device;
    snn_cuda_free(sim);
    char why[SNN_ERR_LEN];
    if (snn_sim_use_cuda(sim, device, why, sizeof why))
      return fail(inst, SNN_ERR_RUN, "%s", why);
  }
  return SNN_OK;
}

int snn_instance_save_file(snn_instance *inst, const char *path) {
  int rc = check(inst);
  if (rc) return rc;
  if (!path) return fail(inst, SNN_ERR_ARG, "no path");
  void *data;
  size_t len;
  if ((rc = snn_instance_save(inst, &data, &len))) return rc;
  snn_out o;
  char why[SNN_ERR_LEN];
  if (snn_out_open(&o, path, why, sizeof why)) {
    free(data);
    return fail(inst, SNN_ERR_IO, "%s", why);
  }
  size_t wrote = fwrite(data, 1, len, o.f);
  free(data);
  if (wrote != len) {
    snn_out_abort(&o);
    return fail(inst, SNN_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
  }
  if (snn_out_commit(&o, why, sizeof why)) return fail(inst, SNN_ERR_IO, "%s", why);
  return SNN_OK;
}

int snn_instance_restore_file(snn_instance *inst, const char *path) {
  int rc = check(inst);
  if (rc) return rc;
  if (!path) return fail(inst, SNN_ERR_ARG, "no path");
  FILE *f = fopen(path, "rb");
  if (!f) return fail(inst, SNN_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
  size_t cap = 1 << 16, n = 0;
  unsigned char *data = malloc(cap);
  for (;;) {
    if (!data) {
      fclose(f);
      return fail(inst, SNN_ERR_RUN, "out of memory reading '%s'", path);
    }
    n += fread(data + n, 1, cap - n, f);
    if (n < cap) break;
    unsigned char *d = cap <= SIZE_MAX / 2 ? realloc(data, cap *= 2) : NULL;
    if (!d) free(data);
    data = d;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(data);
    return fail(inst, SNN_ERR_IO, "cannot read '%s'", path);
  }
  rc = snn_instance_restore(inst, data, n);
  free(data);
  return rc;
}
