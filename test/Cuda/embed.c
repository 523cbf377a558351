// The embedding API on a CUDA device (options.device), against the CPU stand-in for the driver
// (Inputs/fake_cuda.c, see fake-driver.test): a GPU instance and a CPU instance of the same
// model, stepped in pieces with run-time parameter changes and state writes between them, give
// the same spikes and the same state; save on the GPU, run on, restore and run again repeats the
// same spikes; injecting spikes is refused on the device (for now) with a message.
// RUN: rm -rf %t && mkdir -p %t/lib
// RUN: %fake_cuda -o %t/lib/libcuda.so.1
// RUN: %snnc %examples/embed/cuba_runtime.snn --target=cuda -emit=lib -o %t/libcuba.a
// RUN: %cc -std=c99 -Wall -Wextra -Werror -I%t %snnrt_cflags %s %t/libcuba.a -L%t/lib -l:libcuda.so.1 -Wl,-rpath,%t/lib -lm -lpthread -ldl -o %t/run
// RUN: %t/run | FileCheck %s
// CHECK: default device 0
// CHECK: cpu instance on -1
// CHECK: pieces: 3000 steps, spikes equal ({{[1-9][0-9]*}}), v equal
// CHECK: restore: spikes equal ({{[1-9][0-9]*}})
// CHECK: inject: -7 injecting spikes is not supported on a CUDA device yet (run on the CPU)
// CHECK: done
#include "cuba.h"
#include "snn/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fake_cuda_use_model(const snn_model_desc *m);
extern const snn_model_desc snn_model_cuba;

static int64_t drain(cuba *m, int64_t *steps, uint32_t *neurons, int64_t cap) {
  return cuba_drain_spikes(m, "P", steps, neurons, cap);
}

int main(void) {
  fake_cuda_use_model(&snn_model_cuba);
  char err[256];
  cuba_options o;
  cuba_default_options(&o);
  printf("default device %d\n", o.device);
  cuba *gpu = cuba_create(&o, err, sizeof err);
  o.device = -1;
  cuba *cpu = cuba_create(&o, err, sizeof err);
  if (!gpu || !cpu) {
    printf("create: %s\n", err);
    return 1;
  }
  printf("cpu instance on %d\n", o.device);
  enum { CAP = 1 << 20 };
  int64_t *s1 = malloc(CAP * sizeof *s1), *s2 = malloc(CAP * sizeof *s2);
  uint32_t *n1 = malloc(CAP * sizeof *n1), *n2 = malloc(CAP * sizeof *n2);
  cuba *both[2] = {gpu, cpu};
  for (int k = 0; k < 2; k++) { /* the same pieces, parameter changes and writes on both */
    cuba *m = both[k];
    if (cuba_step(m, 1000) || cuba_set_param(m, "P.V_th", -0.051) || cuba_run(m, 0.1)) return 2;
    cuba_array v;
    if (cuba_state(m, "P.v", &v)) return 3;
    ((double *)v.data)[7] = -0.0495; /* a write through the view reaches the device */
    if (cuba_step(m, 1000)) {
      printf("step: %s\n", cuba_error(m));
      return 4;
    }
  }
  int64_t a = drain(gpu, s1, n1, CAP), b = drain(cpu, s2, n2, CAP);
  cuba_array vg, vc;
  cuba_state(gpu, "P.v", &vg);
  cuba_state(cpu, "P.v", &vc);
  int same = a == b && a > 0 && !memcmp(s1, s2, a * sizeof *s1) && !memcmp(n1, n2, a * sizeof *n1);
  int vsame = !memcmp(vg.data, vc.data, vg.length * sizeof(double));
  printf("pieces: %lld steps, spikes %s (%lld), v %s\n", (long long)cuba_steps_done(gpu),
         same ? "equal" : "differ", (long long)a, vsame ? "equal" : "differ");

  void *saved;
  size_t len;
  if (cuba_save(gpu, &saved, &len) || cuba_step(gpu, 500)) return 5;
  int64_t first = drain(gpu, s1, n1, CAP);
  if (cuba_restore(gpu, saved, len) || cuba_step(gpu, 500)) {
    printf("restore: %s\n", cuba_error(gpu));
    return 6;
  }
  int64_t again = drain(gpu, s2, n2, CAP);
  printf("restore: spikes %s (%lld)\n",
         first == again && first > 0 && !memcmp(s1, s2, first * sizeof *s1) &&
                 !memcmp(n1, n2, first * sizeof *n1)
             ? "equal"
             : "differ",
         (long long)first);
  free(saved);

  uint32_t three = 3;
  int rc = cuba_inject(gpu, "P", &three, 1);
  if (rc == 0) rc = cuba_step(gpu, 1);
  printf("inject: %d %s\n", rc, cuba_error(gpu));
  cuba_destroy(gpu);
  cuba_destroy(cpu);
  free(s1), free(s2), free(n1), free(n2);
  printf("done\n");
  return 0;
}
