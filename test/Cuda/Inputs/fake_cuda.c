/*
 * fake_cuda.c — a stand-in for libcuda.so.1 that runs on the CPU, to test the runtime's host side
 * of the CUDA path (runtime/src/cuda.c) on machines without a GPU: driver loading, the device
 * buffer table, uploads and downloads, launch geometry, batches of spike logs and samples, and
 * their replay through the recorders. It is not a PTX emulator: a launch of the model's kernel
 * snn_k<N> runs the CPU code of kernel N of the model's table (found as `snn_model` in the
 * executable, or set with fake_cuda_use_model) on the same buffers, and writes a tiled kernel's
 * spikes into the spike words as the warp ballots would; snn_cuda_compact and
 * snn_cuda_log_spikes are re-implemented here from their specification (compiler/lib/CodeGen/
 * Cuda.cpp). So a test against it checks the runtime, and the PTX only by ptxas.
 *
 * "Device" memory is host memory filled with 0xA5 bytes when allocated (cuMemAlloc does not
 * zero). Environment: FAKE_CUDA_DEVICES=N (default 1; 0: no device), FAKE_CUDA_REPORT=1 prints
 * the launches and the bytes still allocated when the context is released.
 */
#define _GNU_SOURCE
#include "snn/runtime.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

enum { OK = 0, ERR_INVALID_VALUE = 1, ERR_OUT_OF_MEMORY = 2, ERR_NO_DEVICE = 100,
       ERR_INVALID_IMAGE = 200, ERR_NOT_FOUND = 500, ERR_LAUNCH = 719 };

static const snn_model_desc *model;
static long long live_bytes, launches;
static int ctx_refs;

void fake_cuda_use_model(const snn_model_desc *m) { model = m; }

static int devices(void) {
  const char *e = getenv("FAKE_CUDA_DEVICES");
  return e ? atoi(e) : 1;
}

CUresult cuInit(unsigned flags) { return flags ? ERR_INVALID_VALUE : devices() ? OK : ERR_NO_DEVICE; }
CUresult cuDeviceGetCount(int *n) { *n = devices(); return OK; }
CUresult cuDeviceGet(int *d, int i) { *d = i; return i < devices() ? OK : ERR_INVALID_VALUE; }
CUresult cuDeviceGetName(char *name, int len, int d) {
  snprintf(name, (size_t)len, "FakeGPU %d", d);
  return OK;
}
CUresult cuDevicePrimaryCtxRetain(void **ctx, int d) { (void)d; ctx_refs++; *ctx = &ctx_refs; return OK; }
CUresult cuDevicePrimaryCtxRelease_v2(int d) {
  (void)d;
  ctx_refs--;
  if (getenv("FAKE_CUDA_REPORT"))
    fprintf(stderr, "fake-cuda: %lld launches, %lld bytes still allocated\n", launches, live_bytes);
  return OK;
}
CUresult cuCtxPushCurrent_v2(void *c) { return c == &ctx_refs ? OK : ERR_INVALID_VALUE; }
CUresult cuCtxPopCurrent_v2(void **c) { *c = &ctx_refs; return OK; }
CUresult cuCtxSynchronize(void) { return OK; }

CUresult cuGetErrorString(CUresult r, const char **s) {
  *s = r == ERR_NO_DEVICE ? "no CUDA-capable device is detected" : "fake CUDA error";
  return OK;
}

/* ---- memory: a size header before each block, to count what is still allocated ---------------- */
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t n) {
  if (n == 0) return ERR_INVALID_VALUE;
  size_t *b = malloc(n + 16);
  if (!b) return ERR_OUT_OF_MEMORY;
  b[0] = n;
  memset(b + 2, 0xA5, n);
  live_bytes += (long long)n;
  *p = (CUdeviceptr)(uintptr_t)(b + 2);
  return OK;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
  size_t *b = (size_t *)(uintptr_t)p - 2;
  live_bytes -= (long long)b[0];
  free(b);
  return OK;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *h, size_t n) { memcpy((void *)(uintptr_t)d, h, n); return OK; }
CUresult cuMemcpyDtoH_v2(void *h, CUdeviceptr d, size_t n) { memcpy(h, (void *)(uintptr_t)d, n); return OK; }
CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { memmove((void *)(uintptr_t)d, (void *)(uintptr_t)s, n); return OK; }
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) {
  unsigned *p = (unsigned *)(uintptr_t)d;
  for (size_t i = 0; i < n; i++) p[i] = v;
  return OK;
}

/* ---- modules ----------------------------------------------------------------------------------- */
typedef struct fake_fn { char name[64]; } fake_fn;
static fake_fn fns[256];
static int nfns;

CUresult cuModuleLoadDataEx(void **mod, const void *image, unsigned n, int *opts, void **vals) {
  (void)n, (void)opts, (void)vals;
  if (!model) model = dlsym(RTLD_DEFAULT, "snn_model");
  if (!model || image != model->cuda_ptx || !strstr(image, ".visible .entry snn_cuda_compact"))
    return ERR_INVALID_IMAGE;
  *mod = (void *)image;
  return OK;
}
CUresult cuModuleUnload(void *mod) { (void)mod; return OK; }
CUresult cuModuleGetFunction(void **f, void *mod, const char *name) {
  char entry[80];
  snprintf(entry, sizeof entry, ".visible .entry %s(", name);
  if (!strstr(mod, entry) || nfns == 256) return ERR_NOT_FOUND;
  snprintf(fns[nfns].name, sizeof fns[nfns].name, "%s", name);
  *f = &fns[nfns++];
  return OK;
}

/* ---- launches ---------------------------------------------------------------------------------- */
static CUresult model_kernel(unsigned k, unsigned threads, unsigned block, void **args) {
  if (!model || k >= model->num_kernels) return ERR_NOT_FOUND;
  const snn_kernel_desc *kd = &model->kernels[k];
  void *const *table = *(void *const **)args[0];
  int64_t step = *(int64_t *)args[1];
  uint64_t seed = *(uint64_t *)args[2];
  int wide = kd->tile || kd->by_post;
  /* The geometry cuda.c must use: a thread per neuron in blocks of 256, or one thread. */
  if (wide ? block != 256 || threads < kd->extent || threads - kd->extent >= 256 : threads != 1)
    return ERR_LAUNCH;
  uint32_t count = 0;
  kd->fn(table, step, seed, 0, wide ? kd->extent : 1, &count, kd->args);
  if (kd->tile) { /* the warps' ballots: one bit per neuron of the spike list */
    const snn_population_desc *pd = &model->populations[kd->pop];
    uint32_t *words = table[model->num_buffers + kd->pop];
    const uint32_t *spikes = table[pd->spike_buffer];
    memset(words, 0, ((pd->size + 255) / 256) * 8 * sizeof *words);
    for (uint32_t i = 0; i < count; i++) words[spikes[i] / 32] |= 1u << (spikes[i] % 32);
  }
  return OK;
}

static CUresult compact(unsigned threads, unsigned block, void **args) {
  if (threads != 1024 || block != 1024) return ERR_LAUNCH;
  const uint32_t *words = *(uint32_t **)args[0];
  uint32_t nwords = *(uint32_t *)args[1], n = 0;
  uint32_t *spikes = *(uint32_t **)args[2], *count = *(uint32_t **)args[3];
  if (nwords % 4) return ERR_LAUNCH;
  for (uint32_t w = 0; w < nwords; w++)
    for (uint32_t b = 0; b < 32; b++)
      if (words[w] >> b & 1) spikes[n++] = w * 32 + b;
  *count = n;
  return OK;
}

static CUresult log_spikes(void **args) {
  const uint32_t *spikes = *(uint32_t **)args[0], *count = *(uint32_t **)args[1];
  uint32_t *log = *(uint32_t **)args[2], *offsets = *(uint32_t **)args[3];
  uint32_t slot = *(uint32_t *)args[4];
  memcpy(log + offsets[slot], spikes, *count * sizeof *spikes);
  offsets[slot + 1] = offsets[slot] + *count;
  return OK;
}

CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned shmem, void *stream, void **args, void **extra) {
  (void)stream;
  if (gy != 1 || gz != 1 || by != 1 || bz != 1 || shmem || extra || !args || bx > 1024)
    return ERR_LAUNCH;
  launches++;
  const char *name = ((fake_fn *)f)->name;
  unsigned threads = gx * bx;
  if (!strcmp(name, "snn_cuda_compact")) return compact(threads, bx, args);
  if (!strcmp(name, "snn_cuda_log_spikes")) return log_spikes(args);
  unsigned k;
  if (sscanf(name, "snn_k%u", &k) == 1) return model_kernel(k, threads, bx, args);
  return ERR_NOT_FOUND;
}
