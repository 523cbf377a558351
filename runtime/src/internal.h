/*
 * internal.h — declarations shared by the runtime's source files but not part of the ABI.
 * Everything here hangs off a `struct snn_sim` so that instances stay independent (no globals).
 */
#ifndef SNN_RUNTIME_INTERNAL_H
#define SNN_RUNTIME_INTERNAL_H

#include "snn/runtime.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* Size of the message buffer kept in a sim for errors reported after creation (run, outputs). */
#define SNN_ERR_LEN 512

/* Samples taken by one recorder. Times are kept as step numbers so that t = step * dt is computed
 * exactly once, in double, when writing (never accumulated). */
typedef struct snn_recording {
  uint64_t n;        /* spikes (spike recorder) or samples (state/synapse recorder) stored */
  uint64_t cap;      /* allocated entries */
  int64_t *step;     /* step of each spike / sample */
  uint32_t *idx;     /* spike recorder: absolute neuron index of each spike */
  double *val;       /* state/synapse recorder: n * width values, already converted to double;
                      * rate recorder: the rate of each completed bin, in Hz */
  uint64_t width;    /* state recorder: end - begin; synapse recorder: synapses of the projection;
                      * rate recorder: 1 */
  uint64_t bin_spikes; /* rate recorder: spikes so far in the current (incomplete) bin */
  /* Synapse recorder gathered from several MPI ranks (mpi.c): the (pre, post) pair of each of
   * its num_pairs columns; NULL otherwise (the pairs are the projection's CSR). */
  uint32_t *pair_pre, *pair_post;
  uint64_t num_pairs;
} snn_recording;

typedef struct snn_pool snn_pool;
typedef struct snn_cuda snn_cuda;
typedef struct snn_mpi snn_mpi;

struct snn_sim {
  const snn_model_desc *model;
  uint64_t seed;
  snn_pool *pool;            /* threads of this instance (NULL: one thread) */
  uint32_t min_parallel;     /* tiled kernels over fewer neurons run on one thread */
  void **buffers;            /* the buffer table handed to the kernels, model->num_buffers slots */
  uint64_t *pop_spikes;      /* per population: spikes since creation */
  uint64_t *proj_synapses;   /* per projection: synapses built */
  uint64_t finite_checks;    /* NaN checks done (fixed synapse variables are read in the first) */
  snn_recording *recs;       /* per recorder */
  int64_t steps_done;
  double wall_s;             /* wall-clock seconds spent inside run loops */
  char err[SNN_ERR_LEN];     /* last error of snn_sim_run (the ABI gives run no err argument) */
  /* Called after every step with the step's spikes in place (instance.c's spike queues); a
   * non-zero return stops the run with sim->err set. */
  int (*on_step)(void *ctx, snn_sim *sim, int64_t step);
  void *on_step_ctx;
  /* Spikes injected for the next step (snn_sim_inject), per population; during that step the
   * spike lists as the kernels made them, and how far the injection has got. */
  uint32_t **inject, *inject_n, *inject_cap;
  uint32_t **own_spikes, *own_n;
  int inject_pending, inject_state; /* 0: not merged, 1: merged, 2: own lists restored */
  snn_cuda *cuda;            /* the GPU the step runs on (cuda.c); NULL: the CPU */
  /* How the last run ended early: SNN_RUN_NOT_FINITE, SNN_RUN_INTERRUPTED (with the reason in
   * err), or 0 when it ran all its steps (or failed otherwise). */
  int stopped;
  int64_t steps_asked;       /* the step the last run was to reach */
  /* 1: this run is one piece of a longer one (the executable's checkpoints), so final-only
   * recorders do not sample at its end. */
  int defer_final;
  /* The protocol: the next change to apply (an index into model->changes) and its step
   * (INT64_MAX when none is left); snn_sim_seek_changes sets both from steps_done. */
  uint32_t next_change;
  int64_t change_at;
  /* MPI (mpi.c): the ranks this network is split over (NULL: one process); the populations
   * split (num_split, ascending), each one's tile (split_tile, 0 for a population every rank runs
   * whole) and this rank's neurons of every population [rank_lo, rank_hi) (the whole population
   * when it is not split); the synapses of every projection over all ranks. */
  snn_mpi *mpi;
  uint32_t num_split, *split, *split_tile, *rank_lo, *rank_hi;
  uint64_t *proj_synapses_all;
  /* During a step split over ranks: whether the spikes were exchanged yet, this rank's status
   * word for the exchange and the OR of all of them after it (-1: the exchange failed). */
  int exchanged, exchange_result;
  uint32_t exchange_status;
};

/* sim.c: points the protocol at the first change not yet applied, the first at a step >=
 * steps_done (after creation and after a restore, whose state holds the values applied). */
void snn_sim_seek_changes(snn_sim *sim);

/* sim.c: neurons [0, pop size) of population `pop` spike in the next step, in addition to their
 * own spikes: delivered, seen by plasticity and recorded, but neither reset nor refractory. */
int snn_sim_inject(snn_sim *sim, uint32_t pop, const uint32_t *neurons, uint64_t n, char *err,
                   size_t err_len);

/* instance.c: snn_instance_create with the run-time parameters at `values` (as below); the
 * executable uses it for --checkpoint and --resume. */
typedef struct snn_instance snn_instance;
typedef struct snn_instance_options snn_instance_options;
snn_instance *snn_instance_create_with(const snn_model_desc *model,
                                       const snn_instance_options *opts, const double *values,
                                       double max_memory, char *err, size_t err_len);
/* The instance's simulation (NULL for a destroyed one). */
snn_sim *snn_instance_sim(snn_instance *inst);

/* Post neuron (absolute) of CSR entry s of a projection's col buffer (see col_bytes). */
static inline uint32_t snn_col_at(const snn_projection_desc *pj, const void *col, uint64_t s) {
  return pj->col_bytes == 2 ? pj->post_begin + ((const uint16_t *)col)[s]
                            : ((const uint32_t *)col)[s];
}

/* sim.c: snn_sim_create_with split over the ranks of `mpi` (NULL: not split): this process
 * builds the synapses onto its own neurons only. */
snn_sim *snn_sim_create_on(const snn_model_desc *m, uint64_t seed, const double *values,
                           double max_memory, snn_mpi *mpi, char *err, size_t err_len);
/* The synapses of projection j over all ranks. */
uint64_t snn_sim_total_synapses(const snn_sim *sim, uint32_t j);

/* sim.c: snn_sim_create with the run-time parameters at `values` (one per entry of
 * model->params, in order; entries of folded parameters ignored) instead of their defaults, and
 * refusing a network estimated to need more than max_memory bytes (0: more than the machine has
 * available; memory.c). */
snn_sim *snn_sim_create_with(const snn_model_desc *m, uint64_t seed, const double *values,
                             double max_memory, char *err, size_t err_len);
/* propagate.c: recomputes every run-time system's propagators from the current parameters. */
int snn_update_propagators(snn_sim *sim);
/* Sets run-time parameter k (an index into model->params) in a live sim (propagators are the
 * caller's to update). */
void snn_sim_set_param(snn_sim *sim, uint32_t k, double value);
double snn_sim_get_param(const snn_sim *sim, uint32_t k);

/* sim.c: the size in bytes of buffer `slot` as allocated (0 for one that is freed or unused). */
uint64_t snn_buffer_bytes(const snn_sim *sim, uint32_t slot);

/* util.c */
void snn_set_err(char *err, size_t err_len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
double snn_now(void);
/* Formats a duration in seconds with a readable unit ("1 s", "0.1 ms", "250 us"). */
void snn_format_time(double seconds, char *buf, size_t len);
/* Size in bytes of one element of a state variable of the given kind. */
size_t snn_elem_size(const snn_model_desc *m, uint32_t kind);

/* rng.c: the 4 x 32-bit Philox block for (seed, stream, index) — the one place the counter and
 * key layout is defined. */
void snn_rng_block(uint64_t seed, uint64_t stream, uint64_t index, uint32_t out[4]);

/* summary.c: one `warning: ...` line per condition the run should not have met (saturated spike
 * draws), as in the summary table. */
void snn_sim_print_warnings(const snn_sim *sim, FILE *out);

/* threads.c: the instance's thread pool, and one step run kernel by kernel over it. */
snn_pool *snn_pool_create(int threads);
void snn_pool_destroy(snn_pool *p);
int snn_pool_threads(const snn_pool *p);
/* `before` (if not NULL) is called before each kernel (or batch of by-post deliveries) runs. */
void snn_step_kernels(snn_sim *sim, int64_t step, void (*before)(snn_sim *sim, uint32_t kernel));

/* validate.c: checks a descriptor before anything is allocated. 0 = valid. */
int snn_validate_model(const snn_model_desc *m, char *err, size_t err_len);

/* connectivity.c: allocates and fills the row_ptr/col buffers of projection j; then, once the
 * synapses are in their final order (after snn_sort_by_delay), its by-post index (col_ptr,
 * post_syn) if post_index = 1 (a no-op otherwise). */
/* Only the synapses onto post neurons [keep_lo, keep_hi) are kept (an MPI rank's; [0,
 * UINT32_MAX) for all): every row is drawn as for all, so the kept ones are the same. */
int snn_build_projection(const snn_model_desc *m, uint32_t j, uint64_t seed, uint32_t keep_lo,
                         uint32_t keep_hi, void **buffers, uint64_t *num_synapses, char *err,
                         size_t err_len);
int snn_build_post_index(const snn_model_desc *m, uint32_t j, void **buffers, uint64_t nsyn,
                         char *err, size_t err_len);
/* Refuses, before anything is built, a by-post index whose exact synapse count (all-to-all,
 * fixed in-degree) is 2^32 or more. */
int snn_check_post_index_sizes(const snn_model_desc *m, char *err, size_t err_len);
/* The pairs a projection may connect: every (pre, post), less the self-pairs without autapses. */
uint64_t snn_eligible_pairs(const snn_projection_desc *pj);
/* The synapses of a conv2d projection (SNN_CONV2D), from its geometry. */
uint64_t snn_conv_synapses(const snn_conv_desc *g);

/* delays.c: with synapse_delays = 1, after `init` wrote the delays: refuses negative ones, sorts
 * the rows by delay (col and every synapse variable), builds delay_ptr, max_delay and the ring,
 * and frees the delay buffer. */
int snn_sort_by_delay(const snn_model_desc *m, uint32_t j, void **buffers, uint64_t nsyn,
                      char *err, size_t err_len);

/* record.c */
int snn_record_reserve(snn_sim *sim, int64_t first_step, int64_t nsteps);
/* Samples every state/synapse recorder due at the start of `step` (every > 0). */
void snn_record_sample(snn_sim *sim, int64_t step);
/* Samples every final-only recorder (every == 0), stamped with `step` (the steps done). */
void snn_record_final(snn_sim *sim, int64_t step);
/* Checks the spike buffers written by the step kernel of `step`, adds them to the population
 * totals and feeds spike recorders and rate recorders (closing a rate bin when `step` ends one). */
int snn_record_collect_spikes(snn_sim *sim, int64_t step);
void snn_record_free(snn_sim *sim);

/* progress.c: a progress bar on stderr, state kept on the caller's stack. */
typedef struct snn_progress {
  int enabled;
  int drawn;          /* something is on the line and must be erased */
  int64_t total;      /* steps of this run */
  double dt;
  double t_start;     /* wall clock at the start of the run */
  double last_draw;   /* wall clock of the last redraw */
  double sim_t0;      /* simulated time at the start of this run */
} snn_progress;
void snn_progress_begin(snn_progress *p, int want, int64_t total, double dt, double sim_t0);
void snn_progress_update(snn_progress *p, int64_t done);
void snn_progress_end(snn_progress *p);

/* cuda.c: moves the instance's step to CUDA GPU `device` (its buffers are copied there; the
 * host keeps a mirror, current between runs). 0 on success, otherwise a message in err. */
int snn_sim_use_cuda(snn_sim *sim, int device, char *err, size_t err_len);
/* The GPU's name, NULL when the instance runs on the CPU. */
const char *snn_sim_device_name(const snn_sim *sim);
/* Runs n steps on the GPU, recording as the CPU loop does; sets sim->err and returns -1 on
 * failure. */
/* With `check`, the state is checked for NaN and infinity after every batch (finite.c). */
int snn_cuda_run(snn_sim *sim, int64_t n, snn_progress *prog, const volatile sig_atomic_t *stop,
                 int check);
void snn_cuda_free(snn_sim *sim);
/* Steps per batch of a GPU run (the finite check's interval there). */
uint32_t snn_cuda_batch(const snn_sim *sim);

/* finite.c: 0 if every real per-neuron and per-synapse variable is finite; otherwise -1 and
 * sim->err names the first one that is not (variable, neuron or synapse, time after `steps`,
 * and the interval `every` the caller checks at). */
#define SNN_FINITE_EVERY 100
int snn_check_finite(snn_sim *sim, int64_t steps, int every);

/* memory.c: the bytes the network's buffers will take (an estimate from the descriptor, before
 * anything is built; `biggest` names its largest part), the bytes this machine can give now
 * (MemAvailable, or less under a cgroup limit; -1 if unknown), and the check of one against the
 * other or against `limit` (> 0: --max-memory). */
double snn_estimate_bytes(const snn_model_desc *m, char *biggest, size_t len);
/* The synapses the projections will have (exact but for Bernoulli's mean plus 6 sd). */
double snn_expected_synapses(const snn_model_desc *m);
/* "network 'X': 77169 neurons, up to 2.99e+08 synapses, about 3.3 GiB of memory (20.1 GiB available)". */
void snn_describe_estimate(const snn_model_desc *m, char *buf, size_t len);
double snn_available_bytes(void);
int snn_check_memory(const snn_model_desc *m, double limit, char *err, size_t len);
void snn_format_bytes(double bytes, char *buf, size_t len);

/* outfile.c: a file written under a temporary name and renamed into place once complete. */
typedef struct snn_out {
  FILE *f;          /* write here */
  const char *path; /* the final name */
  char *tmp;
} snn_out;
int snn_out_open(snn_out *o, const char *path, char *err, size_t err_len);
/* Flushes, closes and renames; on any failure removes the temporary and returns -1. */
int snn_out_commit(snn_out *o, char *err, size_t err_len);
void snn_out_abort(snn_out *o);

/* npy.c */
int snn_npy_write_spikes(const char *path, const snn_recording *r, double dt, char *err,
                         size_t err_len);
int snn_npy_write_state(const char *path, const char *var, const snn_recording *r, double dt,
                        char *err, size_t err_len);
/* Rate recorder: [('t','<f8'),('rate','<f8')], t the start of each completed bin. */
int snn_npy_write_rate(const char *path, const snn_recording *r, double dt, char *err,
                       size_t err_len);
/* The (pre, post) pair of every synapse of projection j, in CSR order: [('i','<i4'),('j','<i4')]. */
int snn_npy_write_pairs(const char *path, const snn_sim *sim, uint32_t j,
                        const snn_recording *r, char *err, size_t err_len);

/* summary.c */
/* `files`: the names (in the output directory) this run wrote, listed in the summary. */
int snn_write_summary_json(const snn_sim *sim, const char *path, const char *const *files,
                           uint32_t nfiles, char *err, size_t err_len);

/* output.c: creates `dir` (mkdir -p) and checks a file can be written there, before a run. */
int snn_prepare_output_dir(const char *dir, char *err, size_t err_len);

/* sim.c */
const char *snn_sim_last_error(const snn_sim *sim);

/* mpi.c: Open MPI, loaded when the process was started by mpirun with more than one rank. */
/* The rank mpirun gave this process (0 when not started by it), known before MPI starts. */
int snn_mpi_launched_rank(void);
/* NULL with err "" when not started by mpirun with several ranks; NULL with a message when MPI
 * cannot start. */
snn_mpi *snn_mpi_start(char *err, size_t err_len);
int snn_mpi_rank(const snn_mpi *c);
int snn_mpi_size(const snn_mpi *c);
void snn_mpi_finish(snn_mpi *c);
/* Ends every rank at once (a failure only this one met, which would leave the others waiting). */
void snn_mpi_abort(snn_mpi *c, int code);
void snn_mpi_barrier(snn_mpi *c);
int snn_mpi_allgather(snn_mpi *c, const void *mine, size_t bytes, void *all);
/* The first rank whose `flag` is non-zero, -1 if none (collective). */
int snn_mpi_any(snn_mpi *c, int flag);
/* err := rank `from`'s err (collective; nothing when from < 0). */
void snn_mpi_share_error(snn_mpi *c, int from, char *err, size_t err_len);
/* Rank `rank` of `ranks`: its run of whole tiles of a population. */
void snn_rank_range(uint32_t size, uint32_t tile, int rank, int ranks, uint32_t *lo,
                    uint32_t *hi);
/* Makes every split population's rank-local spike list whole (collective); `status` bit 0 asks
 * to stop. Returns the OR of every rank's status, -1 on failure. */
int snn_mpi_exchange_spikes(snn_sim *sim, uint32_t status);
/* Rank 0's state recorders get the samples of the neurons other ranks own (collective). */
int snn_mpi_gather_recordings(snn_sim *sim, char *err, size_t err_len);

#endif
