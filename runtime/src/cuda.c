/*
 * cuda.c — running a model's step on a CUDA GPU (models compiled with snnc --target=cuda).
 *
 * The driver API is loaded with dlopen("libcuda.so.1") at run time, so nothing CUDA is needed to
 * build or link the runtime, and a machine without a driver or a GPU gets a clear error. The
 * instance is created on the host as for the CPU (connectivity, initial values, propagators);
 * snn_sim_use_cuda then loads the PTX and copies every buffer to the device once. Each run:
 *   - copies the state the host may have changed (everything but the connectivity) up,
 *   - per step: copies the slices due for recording into a device batch, launches the kernel
 *     table in order (spike compaction after each neuron kernel) and appends every population's
 *     spikes to a device log,
 *   - every batch of steps copies the log and the samples back and replays them, step by step,
 *     through the same recorder code as the CPU path (record.c), so outputs are identical in form,
 *   - at the end copies the state down again, so queries, outputs and save see the device's.
 * Launch geometry and the compaction scheme: docs/cuda.md. No global state: everything lives in
 * the snn_cuda of one snn_sim (its own module in the device's primary context).
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef unsigned long long CUdeviceptr;

enum { CU_JIT_ERROR_LOG_BUFFER = 5, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6 };

#define BLOCK 256u         /* threads per block of kernel-table launches (cuda.h of the compiler) */
#define SCAN_THREADS 1024u /* snn_cuda_compact's one block */
#define BATCH_BYTES (64u << 20) /* device memory for one batch of spike logs and samples */
#define BATCH_MAX_STEPS 1024u

typedef struct cuda_api {
  CUresult (*Init)(unsigned);
  CUresult (*DeviceGetCount)(int *);
  CUresult (*DeviceGet)(CUdevice *, int);
  CUresult (*DeviceGetName)(char *, int, CUdevice);
  CUresult (*PrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*PrimaryCtxRelease)(CUdevice);
  CUresult (*CtxPushCurrent)(CUcontext);
  CUresult (*CtxPopCurrent)(CUcontext *);
  CUresult (*ModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *, void **);
  CUresult (*ModuleUnload)(CUmodule);
  CUresult (*ModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*MemAlloc)(CUdeviceptr *, size_t);
  CUresult (*MemFree)(CUdeviceptr);
  CUresult (*MemcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*MemcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*MemcpyDtoD)(CUdeviceptr, CUdeviceptr, size_t);
  CUresult (*MemsetD32)(CUdeviceptr, unsigned, size_t);
  CUresult (*LaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned,
                           unsigned, CUstream, void **, void **);
  CUresult (*CtxSynchronize)(void);
  CUresult (*GetErrorString)(CUresult, const char **);
} cuda_api;

struct snn_cuda {
  void *lib;
  cuda_api cu;
  CUdevice dev;
  char name[256];
  CUcontext ctx;
  CUmodule mod;
  CUfunction *fns; /* per kernel of the table */
  CUfunction compact, log_spikes;
  uint32_t nslots;          /* num_buffers + num_populations */
  CUdeviceptr *dbuf;        /* per slot; 0 where the host buffer is absent */
  uint64_t *bytes;          /* per slot */
  CUdeviceptr table;        /* the device buffer table */
  uint32_t batch;           /* steps per batch */
  CUdeviceptr *log, *offsets; /* per population: spike log of a batch, batch + 1 offsets */
  uint32_t **host_offsets;  /* per population, batch + 1 */
  uint32_t **host_log;      /* per population, batch * size */
  CUdeviceptr *rec;         /* per recorder sampled every `every` steps: rows of a batch */
  void **host_rec;
  uint32_t *rec_rows;       /* rows each recorder holds per batch */
};

/* ---- errors ------------------------------------------------------------------------------------ */

static const char *cu_error(const snn_cuda *c, CUresult r) {
  const char *s = NULL;
  if (c->cu.GetErrorString && c->cu.GetErrorString(r, &s) == 0 && s) return s;
  return "unknown CUDA error";
}

#define CU(c, call, err, len, what)                                                             \
  do {                                                                                          \
    CUresult r_ = (call);                                                                       \
    if (r_ != 0) {                                                                              \
      snn_set_err(err, len, "CUDA: %s failed: %s (error %d)", what, cu_error(c, r_), r_);       \
      return -1;                                                                                \
    }                                                                                           \
  } while (0)

/* ---- loading the driver ------------------------------------------------------------------------ */

static int load_api(snn_cuda *c, char *err, size_t len) {
  /* RTLD_NODELETE, and no dlclose: unloading the driver after cuInit while its threads live
   * and loading it again for a later instance is known to crash. */
  c->lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!c->lib) {
    snn_set_err(err, len,
                "no CUDA driver: cannot load libcuda.so.1 (%s); run on a machine with an NVIDIA "
                "driver, or with --device cpu",
                dlerror());
    return -1;
  }
  struct { void **slot; const char *name; } syms[] = {
      {(void **)&c->cu.Init, "cuInit"},
      {(void **)&c->cu.DeviceGetCount, "cuDeviceGetCount"},
      {(void **)&c->cu.DeviceGet, "cuDeviceGet"},
      {(void **)&c->cu.DeviceGetName, "cuDeviceGetName"},
      {(void **)&c->cu.PrimaryCtxRetain, "cuDevicePrimaryCtxRetain"},
      {(void **)&c->cu.PrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2"},
      {(void **)&c->cu.CtxPushCurrent, "cuCtxPushCurrent_v2"},
      {(void **)&c->cu.CtxPopCurrent, "cuCtxPopCurrent_v2"},
      {(void **)&c->cu.ModuleLoadDataEx, "cuModuleLoadDataEx"},
      {(void **)&c->cu.ModuleUnload, "cuModuleUnload"},
      {(void **)&c->cu.ModuleGetFunction, "cuModuleGetFunction"},
      {(void **)&c->cu.MemAlloc, "cuMemAlloc_v2"},
      {(void **)&c->cu.MemFree, "cuMemFree_v2"},
      {(void **)&c->cu.MemcpyHtoD, "cuMemcpyHtoD_v2"},
      {(void **)&c->cu.MemcpyDtoH, "cuMemcpyDtoH_v2"},
      {(void **)&c->cu.MemcpyDtoD, "cuMemcpyDtoD_v2"},
      {(void **)&c->cu.MemsetD32, "cuMemsetD32_v2"},
      {(void **)&c->cu.LaunchKernel, "cuLaunchKernel"},
      {(void **)&c->cu.CtxSynchronize, "cuCtxSynchronize"},
      {(void **)&c->cu.GetErrorString, "cuGetErrorString"},
  };
  for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
    /* POSIX: a function pointer may be read through a void * (dlsym's own convention). */
    *syms[i].slot = dlsym(c->lib, syms[i].name);
    if (!*syms[i].slot) {
      snn_set_err(err, len, "the CUDA driver (libcuda.so.1) lacks %s: it is too old", syms[i].name);
      return -1;
    }
  }
  return 0;
}

static int open_device(snn_cuda *c, int index, char *err, size_t len) {
  CUresult r = c->cu.Init(0);
  if (r != 0) {
    snn_set_err(err, len, "CUDA: no usable GPU (cuInit: %s, error %d); run with --device cpu",
                cu_error(c, r), r);
    return -1;
  }
  int n = 0;
  CU(c, c->cu.DeviceGetCount(&n), err, len, "cuDeviceGetCount");
  if (n == 0) {
    snn_set_err(err, len, "CUDA: the driver sees no GPU; run with --device cpu");
    return -1;
  }
  if (index < 0 || index >= n) {
    snn_set_err(err, len, "CUDA: no GPU %d (this machine has %d, numbered from 0)", index, n);
    return -1;
  }
  CU(c, c->cu.DeviceGet(&c->dev, index), err, len, "cuDeviceGet");
  CU(c, c->cu.DeviceGetName(c->name, (int)sizeof c->name - 1, c->dev), err, len,
     "cuDeviceGetName");
  CU(c, c->cu.PrimaryCtxRetain(&c->ctx, c->dev), err, len, "cuDevicePrimaryCtxRetain");
  return 0;
}

/* ---- buffers ----------------------------------------------------------------------------------- */

/* Slots the kernels never write after creation: the connectivity and its indexes. */
static int is_connectivity(const snn_model_desc *m, uint32_t slot) {
  for (uint32_t j = 0; j < m->num_projections; j++) {
    const snn_projection_desc *pj = &m->projections[j];
    if (slot == pj->row_ptr_buffer || slot == pj->col_buffer) return 1;
    if (pj->synapse_delays && (slot == pj->delay_ptr_buffer || slot == pj->max_delay_buffer ||
                               slot == pj->delay_buffer))
      return 1;
    if (pj->post_index && (slot == pj->col_ptr_buffer || slot == pj->post_syn_buffer ||
                           slot == pj->post_pre_buffer))
      return 1;
  }
  return 0;
}

/* Spike words of a population: 8 per block of 256 neurons (lane 0 of each warp stores one). */
static uint64_t words_of(uint32_t size) {
  uint64_t blocks = ((uint64_t)size + BLOCK - 1) / BLOCK;
  return (blocks ? blocks : 1) * (BLOCK / 32);
}

static int copy_state(snn_sim *sim, int up, char *err, size_t len) {
  snn_cuda *c = sim->cuda;
  for (uint32_t s = 0; s < sim->model->num_buffers; s++) {
    if (!c->dbuf[s] || is_connectivity(sim->model, s)) continue;
    if (up)
      CU(c, c->cu.MemcpyHtoD(c->dbuf[s], sim->buffers[s], c->bytes[s]), err, len, "copy to GPU");
    else
      CU(c, c->cu.MemcpyDtoH(sim->buffers[s], c->dbuf[s], c->bytes[s]), err, len, "copy from GPU");
  }
  return 0;
}

static int alloc(snn_cuda *c, CUdeviceptr *p, uint64_t bytes, char *err, size_t len) {
  CU(c, c->cu.MemAlloc(p, (size_t)(bytes ? bytes : 4)), err, len, "cuMemAlloc (GPU memory)");
  return 0;
}

/* A sampled recorder's variable: its buffer slot, element size, and first element sampled. */
typedef struct sampled_var {
  uint32_t slot;
  uint64_t elem, first;
} sampled_var;

static sampled_var sampled(const snn_sim *sim, uint32_t i) {
  const snn_model_desc *m = sim->model;
  const snn_recorder_desc *rd = &m->recorders[i];
  sampled_var v;
  if (rd->kind == SNN_RECORD_STATE) {
    const snn_var_desc *vd = &m->populations[rd->pop].vars[rd->var];
    v.slot = vd->buffer, v.elem = snn_elem_size(m, vd->kind), v.first = rd->begin;
  } else {
    v.slot = m->projections[rd->pop].vars[rd->var].buffer, v.elem = snn_elem_size(m, SNN_REAL);
    v.first = 0;
  }
  return v;
}

static uint64_t recorder_width_bytes(const snn_sim *sim, uint32_t i) {
  return sim->recs[i].width * sampled(sim, i).elem;
}

static int sampled_every(const snn_recorder_desc *rd) {
  return (rd->kind == SNN_RECORD_STATE || rd->kind == SNN_RECORD_SYNAPSES) && rd->every > 0;
}

static int setup(snn_sim *sim, char *err, size_t len) {
  const snn_model_desc *m = sim->model;
  snn_cuda *c = sim->cuda;
  char log[4096] = "";
  int opt[2] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *val[2] = {log, (void *)(uintptr_t)sizeof log};
  CUresult r = c->cu.ModuleLoadDataEx(&c->mod, m->cuda_ptx, 2, opt, val);
  if (r != 0) {
    snn_set_err(err, len, "CUDA: the GPU '%s' cannot load the model's PTX (%s, compiled for %s): %s",
                c->name, cu_error(c, r), m->cuda_arch ? m->cuda_arch : "?", log);
    return -1;
  }
  c->fns = calloc(m->num_kernels ? m->num_kernels : 1, sizeof *c->fns);
  if (!c->fns) return snn_set_err(err, len, "out of memory"), -1;
  for (uint32_t k = 0; k < m->num_kernels; k++)
    CU(c, c->cu.ModuleGetFunction(&c->fns[k], c->mod, m->kernels[k].cuda_entry), err, len,
       m->kernels[k].cuda_entry);
  CU(c, c->cu.ModuleGetFunction(&c->compact, c->mod, "snn_cuda_compact"), err, len,
     "snn_cuda_compact");
  CU(c, c->cu.ModuleGetFunction(&c->log_spikes, c->mod, "snn_cuda_log_spikes"), err, len,
     "snn_cuda_log_spikes");

  /* Buffers, then the table of their device addresses. */
  c->nslots = m->num_buffers + m->num_populations;
  c->dbuf = calloc(c->nslots, sizeof *c->dbuf);
  c->bytes = calloc(c->nslots, sizeof *c->bytes);
  CUdeviceptr *table = calloc(c->nslots, sizeof *table);
  if (!c->dbuf || !c->bytes || !table) return free(table), snn_set_err(err, len, "out of memory"), -1;
  int rc = 0;
  for (uint32_t s = 0; s < m->num_buffers && !rc; s++) {
    if (!sim->buffers[s]) continue; /* freed after creation (per-synapse delays) */
    c->bytes[s] = snn_buffer_bytes(sim, s);
    rc = alloc(c, &c->dbuf[s], c->bytes[s], err, len);
    if (!rc && c->cu.MemcpyHtoD(c->dbuf[s], sim->buffers[s], c->bytes[s]) != 0)
      rc = -1, snn_set_err(err, len, "CUDA: copying the model's buffers to the GPU failed");
  }
  for (uint32_t p = 0; p < m->num_populations && !rc; p++) {
    uint32_t s = m->num_buffers + p;
    c->bytes[s] = words_of(m->populations[p].size) * 4;
    rc = alloc(c, &c->dbuf[s], c->bytes[s], err, len);
    if (!rc && c->cu.MemsetD32(c->dbuf[s], 0, c->bytes[s] / 4) != 0)
      rc = -1, snn_set_err(err, len, "CUDA: clearing the spike words failed");
  }
  for (uint32_t s = 0; s < c->nslots; s++) table[s] = c->dbuf[s];
  if (!rc) rc = alloc(c, &c->table, c->nslots * sizeof *table, err, len);
  if (!rc && c->cu.MemcpyHtoD(c->table, table, c->nslots * sizeof *table) != 0)
    rc = -1, snn_set_err(err, len, "CUDA: copying the buffer table failed");
  free(table);
  if (rc) return -1;

  /* Batches: as many steps as BATCH_BYTES of logs (a whole population per step, the most it can
   * fire) and every-step samples hold. */
  uint64_t per_step = 0;
  for (uint32_t p = 0; p < m->num_populations; p++) per_step += (uint64_t)m->populations[p].size * 4;
  for (uint32_t i = 0; i < m->num_recorders; i++)
    if (sampled_every(&m->recorders[i]))
      per_step += recorder_width_bytes(sim, i) / m->recorders[i].every + 1;
  uint64_t b = per_step ? BATCH_BYTES / per_step : BATCH_MAX_STEPS;
  c->batch = (uint32_t)(b < 1 ? 1 : b > BATCH_MAX_STEPS ? BATCH_MAX_STEPS : b);
  uint32_t np = m->num_populations ? m->num_populations : 1, nr = m->num_recorders ? m->num_recorders : 1;
  c->log = calloc(np, sizeof *c->log);
  c->offsets = calloc(np, sizeof *c->offsets);
  c->host_log = calloc(np, sizeof *c->host_log);
  c->host_offsets = calloc(np, sizeof *c->host_offsets);
  c->rec = calloc(nr, sizeof *c->rec);
  c->host_rec = calloc(nr, sizeof *c->host_rec);
  c->rec_rows = calloc(nr, sizeof *c->rec_rows);
  if (!c->log || !c->offsets || !c->host_log || !c->host_offsets || !c->rec || !c->host_rec ||
      !c->rec_rows)
    return snn_set_err(err, len, "out of memory"), -1;
  for (uint32_t p = 0; p < m->num_populations; p++) {
    uint64_t n = (uint64_t)c->batch * m->populations[p].size;
    if (alloc(c, &c->log[p], n * 4, err, len) ||
        alloc(c, &c->offsets[p], (c->batch + 1) * 4ull, err, len))
      return -1;
    if (!(c->host_log[p] = malloc((size_t)(n ? n : 1) * 4)) ||
        !(c->host_offsets[p] = malloc((c->batch + 1) * sizeof(uint32_t))))
      return snn_set_err(err, len, "out of memory"), -1;
  }
  for (uint32_t i = 0; i < m->num_recorders; i++) {
    if (!sampled_every(&m->recorders[i])) continue;
    c->rec_rows[i] = c->batch / m->recorders[i].every + 1;
    uint64_t bytes = (uint64_t)c->rec_rows[i] * recorder_width_bytes(sim, i);
    if (alloc(c, &c->rec[i], bytes, err, len)) return -1;
    if (!(c->host_rec[i] = malloc((size_t)(bytes ? bytes : 1))))
      return snn_set_err(err, len, "out of memory"), -1;
  }
  return 0;
}

int snn_sim_use_cuda(snn_sim *sim, int device, char *err, size_t len) {
  if (!sim) return snn_set_err(err, len, "no simulation"), -1;
  const snn_model_desc *m = sim->model;
  if (!m->cuda_ptx) {
    snn_set_err(err, len,
                "model '%s' has no CUDA code: compile it with snnc --target=cuda to run on a GPU",
                m->name);
    return -1;
  }
  if (sim->cuda) return 0;
  snn_cuda *c = calloc(1, sizeof *c);
  if (!c) return snn_set_err(err, len, "out of memory"), -1;
  sim->cuda = c;
  c->dev = -1;
  int rc = load_api(c, err, len) || open_device(c, device, err, len);
  if (!rc) {
    CUresult r = c->cu.CtxPushCurrent(c->ctx);
    rc = r != 0 ? (snn_set_err(err, len, "CUDA: cannot use the GPU's context: %s", cu_error(c, r)), -1)
                : setup(sim, err, len);
    CUcontext prev;
    if (r == 0) c->cu.CtxPopCurrent(&prev);
  }
  if (rc) {
    snn_cuda_free(sim);
    return -1;
  }
  return 0;
}

uint32_t snn_cuda_batch(const snn_sim *sim) { return sim->cuda ? sim->cuda->batch : 0; }

const char *snn_sim_device_name(const snn_sim *sim) {
  return sim && sim->cuda ? sim->cuda->name : NULL;
}

void snn_cuda_free(snn_sim *sim) {
  snn_cuda *c = sim->cuda;
  if (!c) return;
  sim->cuda = NULL;
  int pushed = c->ctx && c->cu.CtxPushCurrent(c->ctx) == 0;
  if (pushed) {
    const snn_model_desc *m = sim->model;
    for (uint32_t s = 0; c->dbuf && s < c->nslots; s++)
      if (c->dbuf[s]) c->cu.MemFree(c->dbuf[s]);
    if (c->table) c->cu.MemFree(c->table);
    for (uint32_t p = 0; p < m->num_populations; p++) {
      if (c->log && c->log[p]) c->cu.MemFree(c->log[p]);
      if (c->offsets && c->offsets[p]) c->cu.MemFree(c->offsets[p]);
    }
    for (uint32_t i = 0; c->rec && i < m->num_recorders; i++)
      if (c->rec[i]) c->cu.MemFree(c->rec[i]);
    if (c->mod) c->cu.ModuleUnload(c->mod);
    CUcontext prev;
    c->cu.CtxPopCurrent(&prev);
  }
  if (c->ctx) c->cu.PrimaryCtxRelease(c->dev); /* the retain's reference, pushed or not */
  for (uint32_t p = 0; p < sim->model->num_populations; p++) {
    if (c->host_log) free(c->host_log[p]);
    if (c->host_offsets) free(c->host_offsets[p]);
  }
  for (uint32_t i = 0; c->host_rec && i < sim->model->num_recorders; i++) free(c->host_rec[i]);
  free(c->fns);
  free(c->dbuf);
  free(c->bytes);
  free(c->log);
  free(c->offsets);
  free(c->host_log);
  free(c->host_offsets);
  free(c->rec);
  free(c->host_rec);
  free(c->rec_rows);
  free(c); /* the driver stays loaded (RTLD_NODELETE) */
}

/* ---- the run ----------------------------------------------------------------------------------- */

static int launch(snn_cuda *c, CUfunction f, uint32_t threads, uint32_t block, void **args,
                  char *err, size_t len, const char *what) {
  uint32_t blocks = (threads + block - 1) / block;
  CU(c, c->cu.LaunchKernel(f, blocks ? blocks : 1, 1, 1, block, 1, 1, 0, NULL, args, NULL), err,
     len, what);
  return 0;
}

/* One step on the device; `slot` is the step's index in the batch. */
static int device_step(snn_sim *sim, int64_t step, uint32_t slot, uint64_t *rows, char *err,
                       size_t len) {
  const snn_model_desc *m = sim->model;
  snn_cuda *c = sim->cuda;
  for (uint32_t i = 0; i < m->num_recorders; i++) {
    const snn_recorder_desc *rd = &m->recorders[i];
    if (!sampled_every(rd) || step % rd->every) continue;
    sampled_var v = sampled(sim, i);
    uint64_t w = recorder_width_bytes(sim, i);
    if (w)
      CU(c, c->cu.MemcpyDtoD(c->rec[i] + rows[i] * w, c->dbuf[v.slot] + v.first * v.elem, w), err,
         len, "sampling a recorder");
    rows[i]++;
  }
  uint64_t seed = sim->seed;
  int64_t s = step;
  void *args[] = {&c->table, &s, &seed};
  for (uint32_t k = 0; k < m->num_kernels; k++) {
    const snn_kernel_desc *kd = &m->kernels[k];
    uint32_t threads = kd->tile || kd->by_post ? kd->extent : 1;
    if (launch(c, c->fns[k], threads, kd->tile || kd->by_post ? BLOCK : 1, args, err, len,
               kd->name))
      return -1;
    if (kd->tile) {
      const snn_population_desc *pd = &m->populations[kd->pop];
      CUdeviceptr words = c->dbuf[m->num_buffers + kd->pop];
      uint32_t nwords = (uint32_t)words_of(pd->size);
      void *cargs[] = {&words, &nwords, &c->dbuf[pd->spike_buffer], &c->dbuf[pd->spike_count_buffer]};
      if (launch(c, c->compact, SCAN_THREADS, SCAN_THREADS, cargs, err, len, "spike compaction"))
        return -1;
    }
  }
  for (uint32_t p = 0; p < m->num_populations; p++) {
    const snn_population_desc *pd = &m->populations[p];
    uint32_t threads = pd->size < 64 * BLOCK ? pd->size : 64 * BLOCK;
    void *largs[] = {&c->dbuf[pd->spike_buffer], &c->dbuf[pd->spike_count_buffer], &c->log[p],
                     &c->offsets[p], &slot};
    if (launch(c, c->log_spikes, threads, BLOCK, largs, err, len, "spike log")) return -1;
  }
  return 0;
}

/* Copies a batch of `n` steps from `first` back and replays it, step by step, through the
 * recorders (and the instance's per-step hook) exactly as the CPU loop feeds them. */
static int replay(snn_sim *sim, int64_t first, uint32_t n, char *err, size_t len) {
  const snn_model_desc *m = sim->model;
  snn_cuda *c = sim->cuda;
  for (uint32_t i = 0; i < m->num_recorders; i++)
    if (c->rec[i] && c->rec_rows[i]) {
      uint64_t rows = 0;
      for (uint32_t k = 0; k < n; k++) rows += (first + k) % m->recorders[i].every == 0;
      if (rows && recorder_width_bytes(sim, i))
        CU(c, c->cu.MemcpyDtoH(c->host_rec[i], c->rec[i], rows * recorder_width_bytes(sim, i)),
           err, len, "copying samples from the GPU");
    }
  for (uint32_t p = 0; p < m->num_populations; p++) {
    CU(c, c->cu.MemcpyDtoH(c->host_offsets[p], c->offsets[p], (n + 1) * sizeof(uint32_t)), err,
       len, "copying spike counts from the GPU");
    uint32_t total = c->host_offsets[p][n];
    if (total > (uint64_t)n * m->populations[p].size) {
      snn_set_err(err, len, "CUDA: population '%s' logged %u spikes in %u steps but has %u neurons",
                  m->populations[p].name, total, n, m->populations[p].size);
      return -1;
    }
    if (total)
      CU(c, c->cu.MemcpyDtoH(c->host_log[p], c->log[p], total * sizeof(uint32_t)), err, len,
         "copying spikes from the GPU");
  }
  uint64_t *rows = calloc(m->num_recorders ? m->num_recorders : 1, sizeof *rows);
  if (!rows) return snn_set_err(err, len, "out of memory"), -1;
  int rc = 0;
  for (uint32_t k = 0; k < n && !rc; k++) {
    int64_t step = first + (int64_t)k;
    for (uint32_t i = 0; i < m->num_recorders; i++) {
      if (!c->rec[i] || step % m->recorders[i].every) continue;
      sampled_var v = sampled(sim, i);
      uint64_t w = recorder_width_bytes(sim, i);
      memcpy((char *)sim->buffers[v.slot] + v.first * v.elem, (char *)c->host_rec[i] + rows[i] * w,
             (size_t)w);
      rows[i]++;
    }
    snn_record_sample(sim, step);
    for (uint32_t p = 0; p < m->num_populations; p++) {
      const snn_population_desc *pd = &m->populations[p];
      uint32_t from = c->host_offsets[p][k], to = c->host_offsets[p][k + 1];
      if (to < from || to - from > pd->size) {
        snn_set_err(err, len, "CUDA: step %lld: population '%s' logged an impossible spike count",
                    (long long)step, pd->name);
        rc = -1;
        break;
      }
      memcpy(sim->buffers[pd->spike_buffer], c->host_log[p] + from, (size_t)(to - from) * 4);
      *(uint32_t *)sim->buffers[pd->spike_count_buffer] = to - from;
    }
    if (rc) break;
    if (snn_record_collect_spikes(sim, step) ||
        (sim->on_step && sim->on_step(sim->on_step_ctx, sim, step))) {
      rc = -1; /* sim->err says why */
      break;
    }
    sim->steps_done = step + 1;
  }
  free(rows);
  return rc;
}

int snn_cuda_run(snn_sim *sim, int64_t n, snn_progress *prog, const volatile sig_atomic_t *stop,
                 int check) {
  snn_cuda *c = sim->cuda;
  const snn_model_desc *m = sim->model;
  char *err = sim->err;
  size_t len = sizeof sim->err;
  if (sim->inject_pending) {
    snn_set_err(err, len, "injecting spikes is not supported on a CUDA device yet (run on the CPU)");
    return -1;
  }
  CUresult r = c->cu.CtxPushCurrent(c->ctx);
  if (r != 0) {
    snn_set_err(err, len, "CUDA: cannot use the GPU's context: %s", cu_error(c, r));
    return -1;
  }
  const int64_t s0 = sim->steps_done;
  int rc = copy_state(sim, 1, err, len);
  uint64_t *rows = calloc(m->num_recorders ? m->num_recorders : 1, sizeof *rows);
  if (!rows) rc = -1, snn_set_err(err, len, "out of memory");
  int interrupted = 0;
  for (int64_t b = s0; !rc && b < s0 + n; b += c->batch) {
    uint32_t steps = (uint32_t)(s0 + n - b < c->batch ? s0 + n - b : c->batch);
    memset(rows, 0, (m->num_recorders ? m->num_recorders : 1) * sizeof *rows);
    for (uint32_t p = 0; p < m->num_populations && !rc; p++)
      if (c->cu.MemsetD32(c->offsets[p], 0, 1) != 0)
        rc = -1, snn_set_err(err, len, "CUDA: resetting the spike log failed");
    for (uint32_t k = 0; k < steps && !rc; k++) {
      if (stop && *stop && k > 0) { /* the steps run so far are replayed, then the run ends */
        steps = k;
        interrupted = 1;
        break;
      }
      rc = device_step(sim, b + k, k, rows, err, len);
    }
    /* A kernel's fault surfaces at the next call: find it here, named as what it is. */
    if (!rc && (r = c->cu.CtxSynchronize()) != 0) {
      snn_set_err(err, len,
                  "CUDA: a GPU kernel failed: %s (error %d); the GPU context is unusable until "
                  "the process restarts",
                  cu_error(c, r), r);
      rc = -1;
    }
    if (!rc) rc = replay(sim, b, steps, err, len);
    if (prog->enabled) snn_progress_update(prog, sim->steps_done - s0);
    if (interrupted) break;
    /* The finite check, once a batch (the state comes to the host for it). */
    if (!rc && check && b + steps < s0 + n) {
      rc = copy_state(sim, 0, err, len);
      if (!rc && snn_check_finite(sim, sim->steps_done, (int)c->batch)) rc = SNN_RUN_NOT_FINITE;
    }
  }
  free(rows);
  /* The state after the run, for queries, outputs and final samples (also after a failure, so
   * that what is written is what the device had). */
  if (copy_state(sim, 0, rc ? NULL : err, rc ? 0 : len) && !rc) rc = -1;
  CUcontext prev;
  c->cu.CtxPopCurrent(&prev);
  return rc ? rc : interrupted ? SNN_RUN_INTERRUPTED : 0;
}
