// Separate instances from separate threads at the same time (docs/embedding.md: an instance is
// not shared, but instances are independent): two threads each create, run and write their own
// CUBA instance (different seeds, one with a thread pool of its own), concurrently; each output
// equals the executable's run with that seed.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %snnc %examples/cuba.snn -emit=lib -o %t/libcuba.a
// RUN: %cc -std=c99 -Wall -Wextra -pedantic -Werror -I%t %s %t/libcuba.a -lm -lpthread -o %t/run
// RUN: %snnc %examples/cuba.snn -o %t/cuba
// RUN: %t/cuba --quiet --duration 200ms --seed 5 --out %t/exe5
// RUN: %t/cuba --quiet --duration 200ms --seed 6 --out %t/exe6
// RUN: cd %t && %t/run | FileCheck %s
// RUN: cmp %t/exe5/P.spikes.npy %t/thread5/P.spikes.npy
// RUN: cmp %t/exe6/P.spikes.npy %t/thread6/P.spikes.npy
// RUN: cmp %t/exe5/P.v.npy %t/thread5/P.v.npy
// CHECK: thread 5: 0
// CHECK: thread 6: 0
#define _POSIX_C_SOURCE 200809L
#include "cuba.h"

#include <pthread.h>
#include <stdio.h>

typedef struct job {
  uint64_t seed;
  int threads, rc;
  char out[32];
} job;

static void *work(void *arg) {
  job *j = arg;
  cuba_options o;
  cuba_default_options(&o);
  o.seed = j->seed;
  o.threads = j->threads;
  char err[256];
  cuba *m = cuba_create(&o, err, sizeof err);
  j->rc = !m;
  /* Many short calls, so that the two threads' steps interleave. */
  for (int k = 0; m && k < 200 && !j->rc; k++) j->rc = cuba_step(m, 10) != CUBA_OK;
  if (m && !j->rc) j->rc = cuba_write_outputs(m, j->out) != CUBA_OK;
  cuba_destroy(m);
  return NULL;
}

int main(void) {
  job jobs[2] = {{5, 1, 0, "thread5"}, {6, 2, 0, "thread6"}};
  pthread_t t[2];
  for (int k = 0; k < 2; k++) pthread_create(&t[k], NULL, work, &jobs[k]);
  for (int k = 0; k < 2; k++) pthread_join(t[k], NULL);
  for (int k = 0; k < 2; k++) printf("thread %llu: %d\n", (unsigned long long)jobs[k].seed, jobs[k].rc);
  return jobs[0].rc || jobs[1].rc;
}
