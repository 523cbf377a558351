/*
 * mpi.c — one network over several processes (mpirun -np R ./model), docs/runtime.md "MPI".
 *
 * Open MPI is loaded with dlopen("libmpi.so.40") when the executable finds itself started by
 * mpirun (OMPI_COMM_WORLD_SIZE > 1), so nothing MPI is needed to build or link the runtime and
 * the same executable runs alone. Its handles are the addresses of its predefined objects
 * (ompi_mpi_comm_world, ompi_mpi_byte), looked up with dlsym; every message is bytes.
 *
 * The split: each population that runs as tiles (the neuron kernels) is cut into R contiguous
 * runs of whole tiles, rank r taking the r-th, and a rank runs its own neurons' updates and the
 * deliveries onto them (by-post ranges, inputs) only. The synapses live with their postsynaptic
 * neuron: each rank builds the rows of every projection from the same counter-based draws as one
 * process would, keeping the synapses onto its own neurons (connectivity.c), so nothing is sent
 * at setup. Every step, after the neuron kernels and before the first delivery, the ranks
 * exchange their populations' spikes (an allgather of counts, then of the lists); as rank r's
 * neurons precede rank r + 1's, the concatenation is each population's spike list as one process
 * makes it, so every delivery, plasticity rule and recorder sees the same spikes in the same
 * order. Populations run by one kernel call (spike sources) run whole on every rank, from the
 * same draws. A synapse's draws are keyed on its (pre, post) pair and each neuron's on its index,
 * so results are byte-identical for every R and thread count. The state of a neuron another rank
 * owns is not kept current here, so models whose synapses read presynaptic state variables are
 * refused (snn_model_desc.mpi_refusal).
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef void *mpi_handle; /* Open MPI's MPI_Comm, MPI_Datatype: pointers to its objects */

struct snn_mpi {
  void *lib;
  int rank, size;
  mpi_handle comm, byte;
  int (*Init)(int *, char ***);
  int (*Finalize)(void);
  int (*Abort)(mpi_handle, int);
  int (*Comm_rank)(mpi_handle, int *);
  int (*Comm_size)(mpi_handle, int *);
  int (*Allgather)(const void *, int, mpi_handle, void *, int, mpi_handle, mpi_handle);
  int (*Allgatherv)(const void *, int, mpi_handle, void *, const int *, const int *, mpi_handle,
                    mpi_handle);
  int (*Send)(const void *, int, mpi_handle, int, int, mpi_handle);
  int (*Recv)(void *, int, mpi_handle, int, int, mpi_handle, void *);
  int (*Barrier)(mpi_handle);
  /* Scratch of the spike exchange, grown as needed. */
  uint32_t *send, *recv;
  uint64_t send_cap, recv_cap;
  uint32_t *mine;   /* 1 + split populations words: this rank's status and counts */
  uint32_t *counts; /* size times as many: every rank's */
  int *bytes, *displs;
};

static int env_int(const char *name, int fallback) {
  const char *v = getenv(name);
  if (!v || !*v) return fallback;
  char *end;
  long x = strtol(v, &end, 10);
  return *end || x < 0 || x > 1 << 24 ? fallback : (int)x;
}

int snn_mpi_launched_rank(void) { return env_int("OMPI_COMM_WORLD_RANK", 0); }

snn_mpi *snn_mpi_start(char *err, size_t len) {
  err[0] = '\0';
  if (env_int("OMPI_COMM_WORLD_SIZE", 1) <= 1) return NULL;
  snn_mpi *c = calloc(1, sizeof *c);
  if (!c) return snn_set_err(err, len, "out of memory starting MPI"), NULL;
  /* RTLD_GLOBAL: Open MPI's own components, loaded later, resolve symbols in libmpi. */
  c->lib = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
  if (!c->lib) {
    snn_set_err(err, len,
                "started by mpirun, but Open MPI's libmpi.so.40 cannot be loaded (%s); install "
                "openmpi-bin and libopenmpi3 (scripts/install-deps.sh does)",
                dlerror());
    free(c);
    return NULL;
  }
#define SYM(field, name)                                                                         \
  if (!(*(void **)&c->field = dlsym(c->lib, name))) goto missing;
  SYM(Init, "MPI_Init");
  SYM(Finalize, "MPI_Finalize");
  SYM(Abort, "MPI_Abort");
  SYM(Comm_rank, "MPI_Comm_rank");
  SYM(Comm_size, "MPI_Comm_size");
  SYM(Allgather, "MPI_Allgather");
  SYM(Allgatherv, "MPI_Allgatherv");
  SYM(Send, "MPI_Send");
  SYM(Recv, "MPI_Recv");
  SYM(Barrier, "MPI_Barrier");
  SYM(comm, "ompi_mpi_comm_world");
  SYM(byte, "ompi_mpi_byte");
#undef SYM
  if (c->Init(NULL, NULL) != 0) {
    snn_set_err(err, len, "MPI_Init failed");
    dlclose(c->lib);
    free(c);
    return NULL;
  }
  c->Comm_rank(c->comm, &c->rank);
  c->Comm_size(c->comm, &c->size);
  return c;
missing:
  snn_set_err(err, len, "libmpi.so.40 lacks %s: not Open MPI 4 or newer?", dlerror());
  dlclose(c->lib);
  free(c);
  return NULL;
}

int snn_mpi_rank(const snn_mpi *c) { return c ? c->rank : 0; }
int snn_mpi_size(const snn_mpi *c) { return c ? c->size : 1; }

void snn_mpi_finish(snn_mpi *c) {
  if (!c) return;
  c->Finalize();
  free(c->send);
  free(c->recv);
  free(c->mine);
  free(c->counts);
  free(c->bytes);
  free(c->displs);
  /* libmpi stays loaded: Open MPI does not support being unloaded. */
  free(c);
}

void snn_mpi_abort(snn_mpi *c, int code) {
  if (c) c->Abort(c->comm, code);
  exit(code);
}

void snn_mpi_barrier(snn_mpi *c) {
  if (c) c->Barrier(c->comm);
}

int snn_mpi_allgather(snn_mpi *c, const void *mine, size_t bytes, void *all) {
  if (!c) {
    memcpy(all, mine, bytes);
    return 0;
  }
  return c->Allgather(mine, (int)bytes, c->byte, all, (int)bytes, c->byte, c->comm) ? -1 : 0;
}

int snn_mpi_any(snn_mpi *c, int flag) {
  if (!c) return flag ? 0 : -1;
  int *all = malloc((size_t)c->size * sizeof *all);
  if (!all) snn_mpi_abort(c, 1);
  snn_mpi_allgather(c, &flag, sizeof flag, all);
  int first = -1;
  for (int r = 0; r < c->size && first < 0; r++)
    if (all[r]) first = r;
  free(all);
  return first; /* the first rank with the flag, -1 for none */
}

void snn_mpi_share_error(snn_mpi *c, int from, char *err, size_t len) {
  if (!c || from < 0) return;
  char *all = malloc((size_t)c->size * SNN_ERR_LEN);
  char mine[SNN_ERR_LEN];
  snprintf(mine, sizeof mine, "%s", err);
  if (!all) snn_mpi_abort(c, 1);
  snn_mpi_allgather(c, mine, SNN_ERR_LEN, all);
  snprintf(err, len, "%s", all + (size_t)from * SNN_ERR_LEN);
  free(all);
}

int snn_mpi_send(snn_mpi *c, int to, const void *data, uint64_t bytes) {
  const char *p = data;
  while (bytes) { /* counts are int: large buffers go in pieces */
    int n = bytes > (1u << 30) ? 1 << 30 : (int)bytes;
    if (c->Send(p, n, c->byte, to, 0, c->comm)) return -1;
    p += n, bytes -= (uint64_t)n;
  }
  return 0;
}

int snn_mpi_recv(snn_mpi *c, int from, void *data, uint64_t bytes) {
  char *p = data;
  while (bytes) {
    int n = bytes > (1u << 30) ? 1 << 30 : (int)bytes;
    /* MPI_STATUS_IGNORE is NULL in Open MPI. */
    if (c->Recv(p, n, c->byte, from, 0, c->comm, NULL)) return -1;
    p += n, bytes -= (uint64_t)n;
  }
  return 0;
}

/* ---- the split ------------------------------------------------------------------------------ */

/* Rank r's neurons of a population of `size` cut into tiles of `tile`: the r-th of `ranks`
 * contiguous runs of whole tiles, the remainder spread over the first ranks. */
void snn_rank_range(uint32_t size, uint32_t tile, int rank, int ranks, uint32_t *lo,
                    uint32_t *hi) {
  if (tile == 0) tile = 1;
  const uint64_t tiles = ((uint64_t)size + tile - 1) / tile;
  const uint64_t r = (uint64_t)rank, n = (uint64_t)ranks;
  uint64_t first = r * (tiles / n) + (r < tiles % n ? r : tiles % n);
  uint64_t mine = tiles / n + (r < tiles % n ? 1 : 0);
  uint64_t b = first * tile, e = (first + mine) * tile;
  *lo = (uint32_t)(b < size ? b : size);
  *hi = (uint32_t)(e < size ? e : size);
}

/* Each split population's spike list, now rank-local (the kernels' own spikes, ascending, from
 * spikes[0]), becomes the whole population's list. `status` is this rank's word (bit 0: stop);
 * returns the OR of every rank's, or -1 if the exchange failed. */
int snn_mpi_exchange_spikes(snn_sim *sim, uint32_t status) {
  snn_mpi *c = sim->mpi;
  const snn_model_desc *m = sim->model;
  const uint32_t np = sim->num_split, w = np + 1;
  if (!c->counts) {
    c->mine = malloc((size_t)w * sizeof *c->mine);
    c->counts = malloc((size_t)c->size * w * sizeof *c->counts);
    c->bytes = malloc((size_t)c->size * sizeof *c->bytes);
    c->displs = malloc((size_t)c->size * sizeof *c->displs);
    if (!c->mine || !c->counts || !c->bytes || !c->displs) return -1;
  }
  uint32_t *mine = c->mine;
  mine[0] = status;
  uint64_t nsend = 0;
  for (uint32_t q = 0; q < np; q++) {
    const snn_population_desc *pd = &m->populations[sim->split[q]];
    mine[1 + q] = *(uint32_t *)sim->buffers[pd->spike_count_buffer];
    nsend += mine[1 + q];
  }
  if (nsend > c->send_cap || !c->send) { /* allocated at the first step, if empty */
    free(c->send);
    c->send_cap = nsend + nsend / 2 + 1024;
    if (!(c->send = malloc((size_t)c->send_cap * sizeof *c->send))) return -1;
  }
  nsend = 0;
  for (uint32_t q = 0; q < np; q++) {
    const snn_population_desc *pd = &m->populations[sim->split[q]];
    memcpy(c->send + nsend, sim->buffers[pd->spike_buffer], (size_t)mine[1 + q] * sizeof(uint32_t));
    nsend += mine[1 + q];
  }
  if (c->Allgather(mine, (int)(w * sizeof *mine), c->byte, c->counts, (int)(w * sizeof *mine),
                   c->byte, c->comm))
    return -1;
  uint64_t total = 0;
  uint32_t any = 0;
  for (int r = 0; r < c->size; r++) {
    const uint32_t *rc = c->counts + (size_t)r * w;
    uint64_t n = 0;
    for (uint32_t q = 0; q < np; q++) n += rc[1 + q];
    any |= rc[0];
    c->displs[r] = (int)(total * sizeof(uint32_t));
    c->bytes[r] = (int)(n * sizeof(uint32_t));
    total += n;
  }
  if (total > c->recv_cap || !c->recv) {
    free(c->recv);
    c->recv_cap = total + total / 2 + 1024;
    if (!(c->recv = malloc((size_t)c->recv_cap * sizeof *c->recv))) return -1;
  }
  if (c->Allgatherv(c->send, (int)(nsend * sizeof(uint32_t)), c->byte, c->recv, c->bytes,
                    c->displs, c->byte, c->comm))
    return -1;
  /* Population q's list: rank 0's part, then rank 1's, ... (their neurons ascend). */
  for (uint32_t q = 0; q < np; q++) {
    const snn_population_desc *pd = &m->populations[sim->split[q]];
    uint32_t *list = sim->buffers[pd->spike_buffer], n = 0;
    for (int r = 0; r < c->size; r++) {
      const uint32_t *rc = c->counts + (size_t)r * w;
      uint64_t at = (uint64_t)c->displs[r] / sizeof(uint32_t);
      for (uint32_t k = 0; k < q; k++) at += rc[1 + k];
      memcpy(list + n, c->recv + at, (size_t)rc[1 + q] * sizeof *list);
      n += rc[1 + q];
    }
    *(uint32_t *)sim->buffers[pd->spike_count_buffer] = n;
  }
  return (int)any;
}

static int gather_synapses(snn_sim *sim, uint32_t i);

/* Every state recorder's samples of neurons another rank owns come from that rank: each rank
 * sends rank 0 its recordings whole and rank 0 keeps, of each, the columns of that rank's
 * neurons (split populations only; the others are the same everywhere). A synapse recorder's
 * columns, each rank's own synapses, are merged in the order one process has them. */
int snn_mpi_gather_recordings(snn_sim *sim, char *err, size_t len) {
  snn_mpi *c = sim->mpi;
  const snn_model_desc *m = sim->model;
  if (!c) return 0;
  for (uint32_t i = 0; i < m->num_recorders; i++) {
    const snn_recorder_desc *rd = &m->recorders[i];
    if (rd->kind == SNN_RECORD_SYNAPSES) {
      if (gather_synapses(sim, i)) goto fail;
      continue;
    }
    if (rd->kind != SNN_RECORD_STATE || !sim->split_tile[rd->pop]) continue;
    snn_recording *rec = &sim->recs[i];
    const uint64_t bytes = rec->n * rec->width * sizeof(double);
    if (c->rank != 0) {
      if (snn_mpi_send(c, 0, rec->val, bytes)) goto fail;
      continue;
    }
    double *theirs = malloc((size_t)(bytes ? bytes : 1));
    if (!theirs) return snn_set_err(err, len, "out of memory gathering recordings"), -1;
    for (int r = 1; r < c->size; r++) {
      if (snn_mpi_recv(c, r, theirs, bytes)) {
        free(theirs);
        goto fail;
      }
      uint32_t lo, hi;
      snn_rank_range(m->populations[rd->pop].size, sim->split_tile[rd->pop], r, c->size, &lo, &hi);
      if (lo < rd->begin) lo = rd->begin;
      if (hi > rd->end) hi = rd->end;
      for (uint64_t s = 0; hi > lo && s < rec->n; s++)
        memcpy(rec->val + s * rec->width + (lo - rd->begin), theirs + s * rec->width + (lo - rd->begin),
               (size_t)(hi - lo) * sizeof(double));
    }
    free(theirs);
  }
  /* The saturated-draw counters of a split population, summed in the summary's warnings. */
  for (uint32_t q = 0; q < sim->num_split; q++) {
    const snn_population_desc *pd = &m->populations[sim->split[q]];
    if (!pd->counts_saturation) continue;
    int32_t *count = sim->buffers[pd->vars[pd->saturated_var].buffer];
    const uint64_t bytes = (uint64_t)pd->size * sizeof *count;
    if (c->rank != 0) {
      if (snn_mpi_send(c, 0, count, bytes)) goto fail;
      continue;
    }
    int32_t *theirs = malloc((size_t)(bytes ? bytes : 1));
    if (!theirs) return snn_set_err(err, len, "out of memory gathering recordings"), -1;
    for (int r = 1; r < c->size; r++) {
      uint32_t lo, hi;
      snn_rank_range(pd->size, sim->split_tile[sim->split[q]], r, c->size, &lo, &hi);
      if (snn_mpi_recv(c, r, theirs, bytes)) {
        free(theirs);
        goto fail;
      }
      memcpy(count + lo, theirs + lo, (size_t)(hi - lo) * sizeof *count);
    }
    free(theirs);
  }
  return 0;
fail:
  return snn_set_err(err, len, "MPI failed while gathering the recordings on rank 0"), -1;
}

/* ---- synapse recorders -------------------------------------------------------------------- */

/* One synapse of some rank, as rank 0 orders them: by row, then delay, then post neuron (the
 * order of one process's CSR: rows sorted stably by delay, posts ascending). */
typedef struct syn_key {
  uint64_t row, order; /* order: delay << 32 | post */
  uint32_t rank;
  uint64_t index;      /* the synapse's place on its rank */
} syn_key;

static int cmp_key(const void *a, const void *b) {
  const syn_key *x = a, *y = b;
  if (x->row != y->row) return x->row < y->row ? -1 : 1;
  if (x->order != y->order) return x->order < y->order ? -1 : 1;
  return 0; /* (row, delay, post) is unique: no multapses */
}

/* This rank's synapses of projection j as (row, delay << 32 | post), in their CSR order. */
static uint64_t *local_keys(const snn_sim *sim, uint32_t j, uint64_t *n) {
  const snn_projection_desc *pj = &sim->model->projections[j];
  const uint64_t npre = pj->pre_end - pj->pre_begin, nsyn = sim->proj_synapses[j];
  const uint64_t *row_ptr = sim->buffers[pj->row_ptr_buffer];
  const void *col = sim->buffers[pj->col_buffer];
  const uint32_t *off = pj->synapse_delays ? sim->buffers[pj->delay_ptr_buffer] : NULL;
  const uint64_t width = off ? (uint64_t)*(const uint32_t *)sim->buffers[pj->max_delay_buffer] + 2 : 0;
  uint64_t *keys = malloc((size_t)(2 * nsyn + 1) * sizeof *keys);
  if (!keys) return NULL;
  for (uint64_t r = 0; r < npre; r++) {
    uint64_t d = 0;
    for (uint64_t s = row_ptr[r]; s < row_ptr[r + 1]; s++) {
      while (off && s - row_ptr[r] >= off[r * width + d + 1]) d++;
      keys[2 * s] = r;
      keys[2 * s + 1] = d << 32 | snn_col_at(pj, col, s);
    }
  }
  *n = nsyn;
  return keys;
}

/* Rank 0's synapse recorder i becomes the recording of every rank's synapses, in one process's
 * order, with their (pre, post) pairs. */
static int gather_synapses(snn_sim *sim, uint32_t i) {
  snn_mpi *c = sim->mpi;
  snn_recording *rec = &sim->recs[i];
  const uint32_t j = sim->model->recorders[i].pop;
  uint64_t n = 0;
  uint64_t *keys = local_keys(sim, j, &n);
  if (!keys) return -1;
  if (c->rank != 0) {
    int rc = snn_mpi_send(c, 0, &n, sizeof n) || snn_mpi_send(c, 0, keys, 2 * n * sizeof *keys) ||
             snn_mpi_send(c, 0, rec->val, rec->n * n * sizeof(double));
    free(keys);
    return rc ? -1 : 0;
  }
  const int R = c->size;
  uint64_t *counts = malloc((size_t)R * sizeof *counts), total = 0;
  uint64_t **allkeys = calloc((size_t)R, sizeof *allkeys);
  double **vals = calloc((size_t)R, sizeof *vals);
  syn_key *order = NULL;
  double *merged = NULL;
  int rc = -1;
  if (!counts || !allkeys || !vals) goto out;
  counts[0] = n, allkeys[0] = keys, vals[0] = rec->val, keys = NULL;
  for (int r = 1; r < R; r++) {
    if (snn_mpi_recv(c, r, &counts[r], sizeof counts[r])) goto out;
    allkeys[r] = malloc((size_t)(2 * counts[r] + 1) * sizeof **allkeys);
    vals[r] = malloc((size_t)(rec->n * counts[r] + 1) * sizeof **vals);
    if (!allkeys[r] || !vals[r] || snn_mpi_recv(c, r, allkeys[r], 2 * counts[r] * sizeof **allkeys) ||
        snn_mpi_recv(c, r, vals[r], rec->n * counts[r] * sizeof **vals))
      goto out;
  }
  for (int r = 0; r < R; r++) total += counts[r];
  order = malloc((size_t)(total ? total : 1) * sizeof *order);
  merged = malloc((size_t)(rec->n * total + 1) * sizeof *merged);
  rec->pair_pre = malloc((size_t)(total ? total : 1) * sizeof *rec->pair_pre);
  rec->pair_post = malloc((size_t)(total ? total : 1) * sizeof *rec->pair_post);
  if (!order || !merged || !rec->pair_pre || !rec->pair_post) goto out;
  uint64_t at = 0;
  for (int r = 0; r < R; r++)
    for (uint64_t s = 0; s < counts[r]; s++)
      order[at++] = (syn_key){allkeys[r][2 * s], allkeys[r][2 * s + 1], (uint32_t)r, s};
  qsort(order, (size_t)total, sizeof *order, cmp_key);
  const uint32_t pre_begin = sim->model->projections[j].pre_begin;
  for (uint64_t g = 0; g < total; g++) {
    const syn_key *k = &order[g];
    rec->pair_pre[g] = pre_begin + (uint32_t)k->row;
    rec->pair_post[g] = (uint32_t)(k->order & 0xffffffffu);
    for (uint64_t t = 0; t < rec->n; t++)
      merged[t * total + g] = vals[k->rank][t * counts[k->rank] + k->index];
  }
  free(rec->val);
  vals[0] = NULL;
  rec->val = merged, merged = NULL;
  rec->width = total;
  rec->num_pairs = total;
  rc = 0;
out:
  free(keys);
  for (int r = 0; allkeys && r < R; r++) free(allkeys[r]);
  for (int r = 1; vals && r < R; r++) free(vals[r]);
  free(allkeys);
  free(vals);
  free(counts);
  free(order);
  free(merged);
  return rc;
}
