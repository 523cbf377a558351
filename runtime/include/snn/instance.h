/*
 * snn/instance.h — the embedding API: a simulation instance a host program creates, steps,
 * inspects, saves and restores. It sits on the runtime of runtime.h; a library made by
 * `snnc model.snn -emit=lib` exports these functions under the network's prefix
 * (`cuba_create`, `cuba_step`, ...: the generated header), so that several models can be
 * linked into one program. docs/embedding.md documents ownership, threading and errors.
 *
 * Rules: no global state; any number of instances side by side, each usable from its own thread.
 * One instance must not be used from two threads at once (calls are not synchronised). Every
 * function taking an instance accepts NULL and a destroyed instance and returns
 * SNN_ERR_NULL / SNN_ERR_DESTROYED; every other failure returns a negative code and keeps a
 * message, read with snn_instance_error.
 */
#ifndef SNN_INSTANCE_H
#define SNN_INSTANCE_H

#include "snn/runtime.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a declaration below changes meaning; snn_instance_api_version returns it. */
#define SNN_INSTANCE_API_VERSION 2

enum {
  SNN_OK = 0,
  SNN_ERR_NULL = -1,      /* the instance pointer is NULL */
  SNN_ERR_DESTROYED = -2, /* the instance was destroyed */
  SNN_ERR_ARG = -3,       /* a bad argument: NULL output pointer, negative count, ... */
  SNN_ERR_NAME = -4,      /* no population, projection or variable of that name */
  SNN_ERR_RANGE = -5,     /* an index or capacity out of range */
  SNN_ERR_TYPE = -6,      /* wrong element type or length */
  SNN_ERR_RUN = -7,       /* the simulation failed (creation, a step, out of memory) */
  SNN_ERR_IO = -8,        /* a file could not be read or written */
  SNN_ERR_FORMAT = -9,    /* saved state that does not belong to this model */
  SNN_ERR_FOLDED = -10,   /* a parameter folded at compile time (not declared `runtime`) */
  SNN_ERR_NOT_FINITE = -11 /* a state variable became NaN or infinite: the run stopped after
                              the step where the check (every 100 steps) saw it */
};

/* Element types of arrays handed out by snn_instance_state. */
enum { SNN_TYPE_I32 = 1, SNN_TYPE_F32 = 2, SNN_TYPE_F64 = 3 };

typedef struct snn_instance snn_instance;

typedef struct snn_instance_options {
  uint64_t seed; /* connectivity, initial values and noise; default: the model's `seed` */
  int threads;   /* as snn_run_options.threads: 1 (default), N, or 0 for every core */
  int keep_spikes; /* 1 (default): queue every spike for snn_instance_drain_spikes */
  /* -1: the CPU; N >= 0: CUDA GPU N (default 0 for a model compiled with snnc --target=cuda,
   * -1 otherwise). Creation fails with the reason if the GPU cannot be used. On a GPU the state
   * lives on the device during a step call and is copied back after it, so every query and
   * state view reads the values after the last step; spike injection is not supported there. */
  int device;
} snn_instance_options;

/* An array of the instance: `length` elements of `type` at `data`, owned by the instance and
 * valid until it is reset, restored or destroyed. Writes through `data` change the state. */
typedef struct snn_array {
  void *data;
  uint64_t length;
  int type;
} snn_array;

int snn_instance_api_version(void);
void snn_instance_default_options(const snn_model_desc *model, snn_instance_options *opts);

/* Builds connectivity and initial state. NULL on failure, with the reason in err. */
snn_instance *snn_instance_create(const snn_model_desc *model, const snn_instance_options *opts,
                                  char *err, size_t err_len);
/* Frees everything but a small tombstone, so that later calls get SNN_ERR_DESTROYED instead of
 * touching freed memory. Destroying twice is harmless. */
void snn_instance_destroy(snn_instance *inst);
/* The message of the last failed call ("" after a success). */
const char *snn_instance_error(const snn_instance *inst);

/* Back to t = 0 with the same seed: connectivity, initial values, noise and queues as created. */
int snn_instance_reset(snn_instance *inst);
/* Advances by `steps` steps (>= 0) or by round(seconds / dt) steps, recording as declared. */
int snn_instance_step(snn_instance *inst, int64_t steps);
int snn_instance_run(snn_instance *inst, double seconds);
/* Steps done since creation (or the reset / restore), and t = steps * dt in seconds. */
int64_t snn_instance_steps_done(const snn_instance *inst);
double snn_instance_time(const snn_instance *inst);
double snn_instance_dt(const snn_instance *inst);

/* The model: populations and projections by index, their names and sizes. A population's size
 * or a projection's synapse count go to *size. */
int snn_instance_num_populations(const snn_instance *inst);
int snn_instance_population(const snn_instance *inst, int index, const char **name,
                            uint64_t *size);
int snn_instance_num_projections(const snn_instance *inst);
int snn_instance_projection(const snn_instance *inst, int index, const char **name,
                            uint64_t *synapses);
/* Variable `index` of population or projection `owner`: its name and the SI unit of its values
 * ('volt', '1' for numbers, "" for internal variables, whose names start with '_'). */
int snn_instance_num_variables(const snn_instance *inst, const char *owner);
int snn_instance_variable(const snn_instance *inst, const char *owner, int index,
                          const char **name, const char **unit);

/* The populations' parameters, "P.tau_m": run-time ones (`runtime P.tau_m` in the network) can
 * be set between steps; folded ones only read. Values are in SI units; `unit` names them
 * ('second', '1' for a number; "" for folded ones). */
int snn_instance_num_params(const snn_instance *inst);
int snn_instance_param(const snn_instance *inst, int index, const char **name, double *value,
                       const char **unit, int *runtime);
int snn_instance_get_param(snn_instance *inst, const char *name, double *value);
/* Takes effect from the next step; everything computed from it (propagators, derived values)
 * follows, since the kernels compute those from it. A reset keeps the values set. */
int snn_instance_set_param(snn_instance *inst, const char *name, double value);

/* The state array `name`, "Population.var" (one element per neuron) or "projection.var" (one
 * per synapse, in the order of snn_instance_synapses). */
int snn_instance_state(snn_instance *inst, const char *name, snn_array *out);
/* Copies `length` values of `type` into the state array `name` (length and type must match). */
int snn_instance_set_state(snn_instance *inst, const char *name, const void *values,
                           uint64_t length, int type);
/* The presynaptic and postsynaptic neuron of every synapse of a projection, into arrays of
 * `capacity` entries each (either may be NULL); *count gets the number of synapses. Capacity
 * below the count: SNN_ERR_RANGE (with *count set, so the caller can size the arrays). */
int snn_instance_synapses(snn_instance *inst, const char *projection, uint32_t *pre,
                          uint32_t *post, uint64_t capacity, uint64_t *count);

/* The spikes of population `pop` since the last drain (with keep_spikes), oldest first: up to
 * `capacity` (step, neuron) pairs are moved to the arrays and the number moved is returned (or
 * a negative error); call again while it returns `capacity`. */
int64_t snn_instance_drain_spikes(snn_instance *inst, const char *pop, int64_t *steps,
                                  uint32_t *neurons, uint64_t capacity);

/* Neurons `neurons[0..n)` (indices within population `pop`) spike in the next step, besides
 * their own spikes: the spikes are delivered, seen by plasticity, queued and recorded like
 * others, but the neurons are neither reset nor made refractory by them. Injections add up until
 * that step; a neuron injected twice, or also spiking by itself, spikes once. */
int snn_instance_inject(snn_instance *inst, const char *pop, const uint32_t *neurons, uint64_t n);

/* The whole instance state (every buffer, the step count, queued spikes, recordings) as one
 * block allocated with malloc (the caller frees it with free()), or in a file. Restoring it
 * into an instance of the same model continues the run bit for bit. */
int snn_instance_save(snn_instance *inst, void **data, size_t *length);
int snn_instance_restore(snn_instance *inst, const void *data, size_t length);
int snn_instance_save_file(snn_instance *inst, const char *path);
int snn_instance_restore_file(snn_instance *inst, const char *path);

/* The recorders declared in the model, as the executable writes them (.npy and summary.json). */
int snn_instance_write_outputs(snn_instance *inst, const char *dir);

#ifdef __cplusplus
}
#endif

#endif /* SNN_INSTANCE_H */
