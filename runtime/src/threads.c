/*
 * threads.c — the per-instance thread pool and the step run as kernel launches (kernel table of
 * runtime.h). A tiled kernel's neurons are cut into one contiguous range of whole tiles per
 * thread; each range appends its spikes from its own first neuron on and counts them, and the
 * ranges are then concatenated in order, so the spike list — and with it everything downstream —
 * is the same whatever the number of threads. By-post deliveries are cut into ranges of their
 * postsynaptic population: every range sees every spike, in order, but delivers only onto its own
 * neurons, so each neuron's inputs are summed in the same order as on one thread. The other
 * kernels (plastic or delayed deliveries, on_post, spike sources) run on the calling thread.
 *
 * The pool belongs to one snn_sim (no global state). Launches come every step, microseconds
 * apart, so waiting threads first spin on the launch counter for a while (a sleeping thread takes
 * tens of microseconds to wake) and only then sleep on a condition variable; the workers are
 * joined when the instance is destroyed.
 */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Kernels one launch may run one after the other. */
#define SNN_LAUNCH_MAX 16

/* Spins before sleeping: about 50-100 us on current x86, longer than one step of most networks. */
#define SPIN_ROUNDS 20000

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

struct snn_pool {
  int n;                 /* threads, the caller included */
  pthread_t *workers;    /* n - 1 */
  pthread_mutex_t mu;
  pthread_cond_t start, done;
  _Atomic uint64_t generation; /* bumped for every launch */
  _Atomic int pending;         /* workers still running the current launch */
  _Atomic int stop;
  /* The launch: each thread t runs fns[0..nfns) in turn over [begin[t], end[t]) into count[t]
   * (several by-post deliveries onto one population share a launch). */
  snn_kernel_fn fns[SNN_LAUNCH_MAX];
  const uint64_t *args[SNN_LAUNCH_MAX];
  int nfns;
  void *const *buffers;
  int64_t step;
  uint64_t seed;
  uint32_t *begin, *end, *count;
};

typedef struct worker_arg {
  snn_pool *pool;
  int index;
} worker_arg;

static void run_range(snn_pool *p, int t) {
  p->count[t] = 0;
  if (p->begin[t] < p->end[t])
    for (int f = 0; f < p->nfns; f++)
      p->fns[f](p->buffers, p->step, p->seed, p->begin[t], p->end[t], &p->count[t], p->args[f]);
}

static void *worker_main(void *arg) {
  worker_arg a = *(worker_arg *)arg;
  free(arg);
  snn_pool *p = a.pool;
  uint64_t seen = 0;
  for (;;) {
    for (int r = 0; r < SPIN_ROUNDS && atomic_load(&p->generation) == seen && !atomic_load(&p->stop);
         r++)
      cpu_relax();
    if (atomic_load(&p->generation) == seen) {
      pthread_mutex_lock(&p->mu);
      while (atomic_load(&p->generation) == seen && !atomic_load(&p->stop))
        pthread_cond_wait(&p->start, &p->mu);
      pthread_mutex_unlock(&p->mu);
    }
    if (atomic_load(&p->stop)) return NULL;
    seen = atomic_load(&p->generation);
    run_range(p, a.index);
    if (atomic_fetch_sub(&p->pending, 1) == 1) {
      pthread_mutex_lock(&p->mu);
      pthread_cond_signal(&p->done);
      pthread_mutex_unlock(&p->mu);
    }
  }
}

snn_pool *snn_pool_create(int threads) {
  snn_pool *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->n = threads;
  p->workers = calloc((size_t)threads, sizeof *p->workers);
  p->begin = calloc((size_t)threads, sizeof *p->begin);
  p->end = calloc((size_t)threads, sizeof *p->end);
  p->count = calloc((size_t)threads, sizeof *p->count);
  if (!p->workers || !p->begin || !p->end || !p->count) goto fail;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->start, NULL);
  pthread_cond_init(&p->done, NULL);
  for (int t = 1; t < threads; t++) {
    worker_arg *a = malloc(sizeof *a);
    if (!a) {
      p->n = t;
      snn_pool_destroy(p);
      return NULL;
    }
    a->pool = p;
    a->index = t;
    if (pthread_create(&p->workers[t - 1], NULL, worker_main, a) != 0) {
      free(a);
      p->n = t; /* the workers started so far are joined */
      snn_pool_destroy(p);
      return NULL;
    }
  }
  return p;
fail:
  free(p->workers);
  free(p->begin);
  free(p->end);
  free(p->count);
  free(p);
  return NULL;
}

void snn_pool_destroy(snn_pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->mu);
  atomic_store(&p->stop, 1);
  pthread_cond_broadcast(&p->start);
  pthread_mutex_unlock(&p->mu);
  for (int t = 1; t < p->n; t++) pthread_join(p->workers[t - 1], NULL);
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->start);
  pthread_cond_destroy(&p->done);
  free(p->workers);
  free(p->begin);
  free(p->end);
  free(p->count);
  free(p);
}

int snn_pool_threads(const snn_pool *p) { return p ? p->n : 1; }

/* Runs the ranges already set in p->begin/end on every thread and waits for all of them. */
static void launch(snn_pool *p) {
  atomic_store(&p->pending, p->n - 1);
  pthread_mutex_lock(&p->mu); /* a worker about to sleep holds it: it sees the new generation */
  atomic_fetch_add(&p->generation, 1);
  pthread_cond_broadcast(&p->start);
  pthread_mutex_unlock(&p->mu);
  run_range(p, 0);
  for (int r = 0; r < SPIN_ROUNDS && atomic_load(&p->pending) > 0; r++) cpu_relax();
  if (atomic_load(&p->pending) > 0) {
    pthread_mutex_lock(&p->mu);
    while (atomic_load(&p->pending) > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
  }
}

void snn_step_kernels(snn_sim *sim, int64_t step, void (*before)(snn_sim *sim, uint32_t kernel)) {
  const snn_model_desc *m = sim->model;
  snn_pool *p = sim->pool;
  for (uint32_t k = 0; k < m->num_kernels; k++) {
    const snn_kernel_desc *kd = &m->kernels[k];
    if (before) before(sim, k);
    /* The neurons this process runs: an MPI rank's, or all of them. */
    uint32_t lo = 0, hi = kd->extent;
    if (sim->mpi && (kd->by_post || kd->tile)) lo = sim->rank_lo[kd->pop], hi = sim->rank_hi[kd->pop];
    if (kd->by_post) {
      /* Equal ranges of the postsynaptic population; each delivers onto its own neurons. */
      const int n = p ? p->n : 1;
      const uint32_t len = hi - lo;
      if (n == 1 || len < (uint32_t)n || kd->extent < sim->min_parallel) {
        uint32_t unused = 0;
        if (lo < hi || !sim->mpi) kd->fn(sim->buffers, step, sim->seed, lo, hi, &unused, kd->args);
        continue;
      }
      for (int t = 0; t < n; t++) {
        p->begin[t] = lo + (uint32_t)((uint64_t)len * (uint64_t)t / (uint64_t)n);
        p->end[t] = lo + (uint32_t)((uint64_t)len * (uint64_t)(t + 1) / (uint64_t)n);
      }
      /* The by-post deliveries that follow onto the same population join this launch: each
       * neuron still gets the first kernel's inputs, then the next one's, as on one thread. */
      p->nfns = 0;
      p->args[p->nfns] = kd->args;
      p->fns[p->nfns++] = kd->fn;
      while (k + 1 < m->num_kernels && p->nfns < SNN_LAUNCH_MAX && m->kernels[k + 1].by_post &&
             m->kernels[k + 1].pop == kd->pop && m->kernels[k + 1].extent == kd->extent) {
        ++k;
        p->args[p->nfns] = m->kernels[k].args;
        p->fns[p->nfns++] = m->kernels[k].fn;
      }
      p->buffers = sim->buffers;
      p->step = step;
      p->seed = sim->seed;
      launch(p);
      continue;
    }
    if (kd->tile == 0) {
      uint32_t unused = 0;
      kd->fn(sim->buffers, step, sim->seed, 0, 1, &unused, kd->args);
      continue;
    }
    const snn_population_desc *pop = &m->populations[kd->pop];
    uint32_t *spikes = sim->buffers[pop->spike_buffer];
    uint32_t *count = sim->buffers[pop->spike_count_buffer];
    const uint32_t tiles = (hi - lo + kd->tile - 1) / kd->tile;
    const int n = p ? p->n : 1;
    if (n == 1 || tiles < (uint32_t)n || kd->extent < sim->min_parallel) {
      if (lo >= hi) {
        *count = 0;
        continue;
      }
      kd->fn(sim->buffers, step, sim->seed, lo, hi, count, kd->args);
      /* The range's spikes start at spikes[lo]; the list starts at spikes[0]. */
      if (lo && *count) memmove(spikes, spikes + lo, (size_t)*count * sizeof *spikes);
      continue;
    }
    /* One contiguous run of whole tiles per thread, the remainder spread over the first (tile
     * boundaries are those of the whole population, as lo is one). */
    uint32_t first = 0;
    for (int t = 0; t < n; t++) {
      uint32_t mine = tiles / (uint32_t)n + ((uint32_t)t < tiles % (uint32_t)n ? 1u : 0u);
      p->begin[t] = lo + first * kd->tile;
      first += mine;
      uint64_t end = (uint64_t)lo + (uint64_t)first * kd->tile;
      p->end[t] = end < hi ? (uint32_t)end : hi;
    }
    p->nfns = 1;
    p->fns[0] = kd->fn;
    p->args[0] = kd->args;
    p->buffers = sim->buffers;
    p->step = step;
    p->seed = sim->seed;
    launch(p);
    /* Concatenate the ranges' spikes in order from spikes[0]; each starts at or after the total
     * before it. */
    uint32_t total = 0;
    for (int t = 0; t < n; t++) {
      if (p->count[t] && p->begin[t] != total)
        memmove(spikes + total, spikes + p->begin[t], (size_t)p->count[t] * sizeof *spikes);
      total += p->count[t];
    }
    *count = total;
  }
}
