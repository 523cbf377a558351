// Two compiled models linked into one program: each object exports its descriptor under its
// network's name (snn_model_<network>), so they coexist, and each runs in its own instance.
// RUN: sed 's/network cuba {/network one {/' %examples/cuba.snn > %t.one.snn
// RUN: sed 's/network cuba {/network two {/; s/seed = 1/seed = 2/' %examples/cuba.snn > %t.two.snn
// RUN: %snnc %t.one.snn -I %stdlib -emit=obj -o %t.one.o
// RUN: %snnc %t.two.snn -I %stdlib -emit=obj -o %t.two.o
// RUN: %cc %snnrt_cflags %s %t.one.o %t.two.o %snnrt_libs -o %t && %t | FileCheck %s
// CHECK: one: {{[1-9][0-9]*}} spikes
// CHECK: two: {{[1-9][0-9]*}} spikes
// CHECK: different networks: yes
#include "snn/runtime.h"
#include <stdio.h>

extern const snn_model_desc snn_model_one, snn_model_two;

static uint64_t run(const snn_model_desc *m) {
  char err[256];
  snn_sim *s = snn_sim_create(m, m->seed, err, sizeof err);
  if (!s) {
    printf("%s: %s\n", m->name, err);
    return 0;
  }
  snn_run_options o = {0, 1};
  snn_sim_run(s, 0.1, &o);
  uint64_t n = snn_sim_num_spikes(s, 0);
  printf("%s: %llu spikes\n", m->name, (unsigned long long)n);
  snn_sim_destroy(s);
  return n;
}

int main(void) {
  uint64_t a = run(&snn_model_one), b = run(&snn_model_two);
  printf("different networks: %s\n", a != b ? "yes" : "no");
  return 0;
}
