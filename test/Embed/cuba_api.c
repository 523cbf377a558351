// The embeddable library of examples/cuba.snn (-emit=lib), used as a host program would:
//  - library and executable give the same spikes for one seed (and for another seed);
//  - the drained spike queue holds exactly the recorded spikes;
//  - two instances side by side, stepped in turns, each match their own executable run;
//  - save in the middle, restore into a fresh instance, run on: byte-identical outputs;
//  - reset starts over: the same outputs again;
//  - state arrays by name (type, length, writes), synapse (pre, post) pairs, queries;
//  - every bad call gets its code and a message, never a crash;
//  - the header is clean C99 (-pedantic -Werror) and C++, and the shared library works too.
// RUN: rm -rf %t && mkdir -p %t/lib
// RUN: %snnc %examples/cuba.snn -emit=lib -o %t/lib/libcuba.a
// RUN: %snnc %examples/cuba.snn -emit=lib -o %t/lib/libcuba.so
// RUN: %cc -std=c99 -Wall -Wextra -pedantic -Werror -I%t/lib %s %t/lib/libcuba.a -lm -lpthread -o %t/api
// RUN: %snnc %examples/cuba.snn -o %t/cuba
// RUN: %t/cuba --quiet --duration 200ms --seed 1 --out %t/exe1
// RUN: %t/cuba --quiet --duration 200ms --seed 2 --out %t/exe2
// RUN: cd %t && %t/api | FileCheck %s
// RUN: cmp %t/exe1/P.spikes.npy %t/whole/P.spikes.npy
// RUN: cmp %t/exe1/P.spikes.npy %t/restored/P.spikes.npy
// RUN: cmp %t/exe1/P.spikes.npy %t/reset/P.spikes.npy
// RUN: cmp %t/exe1/P.spikes.npy %t/side1/P.spikes.npy
// RUN: cmp %t/exe2/P.spikes.npy %t/side2/P.spikes.npy
// RUN: cmp %t/exe1/P.v.npy %t/restored/P.v.npy
// RUN: %python -c "import numpy as np; s = np.load('%t/exe1/P.spikes.npy'); print('exe', len(s), int(np.rint(s['t'] / 1e-4).astype(np.int64).sum() + s['i'].astype(np.int64).sum()))" > %t/exe_sum
// RUN: grep drained %t/api.out | sed 's/drained/exe/' | cmp - %t/exe_sum
// The header as C++, and a program linked with the shared library:
// RUN: printf '#include "cuba.h"\nint main() { cuba_options o; cuba_default_options(&o); cuba *m = cuba_create(&o, nullptr, 0); int rc = cuba_run(m, 0.01); cuba_destroy(m); return rc; }\n' > %t/main.cpp
// RUN: c++ -std=c++17 -Wall -Wextra -pedantic -Werror -I%t/lib %t/main.cpp -L%t/lib -lcuba -o %t/cpp && LD_LIBRARY_PATH=%t/lib %t/cpp
#include "cuba.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

static void expect(int ok, const char *what) {
  if (!ok) {
    printf("FAILED: %s\n", what);
    failures++;
  }
}

/* The code and the message of a call that must fail. */
static void bad(const char *what, int rc, int want, const cuba *m) {
  printf("%s: %d %s\n", what, rc, rc == want ? "ok" : "WRONG");
  if (rc == want && m) printf("  %s\n", cuba_error(m));
  failures += rc != want;
}

int main(void) {
  char err[256];
  cuba_options o;
  cuba_default_options(&o);
  // CHECK: seed 1 threads 1 keep 1
  printf("seed %llu threads %d keep %d\n", (unsigned long long)o.seed, o.threads, o.keep_spikes);

  /* One run of 0.2 s, in two pieces: the outputs equal the executable's. */
  cuba *m = cuba_create(&o, err, sizeof err);
  expect(m != NULL, err);
  expect(cuba_run(m, 0.1) == CUBA_OK && cuba_step(m, 1000) == CUBA_OK, cuba_error(m));
  // CHECK: steps 2000 t 0.2
  printf("steps %lld t %g\n", (long long)cuba_steps_done(m), cuba_time(m));
  expect(cuba_write_outputs(m, "whole") == CUBA_OK, cuba_error(m));
  /* The queue holds the same spikes: count, and a checksum of (step, neuron). */
  {
    int64_t steps[1000];
    uint32_t neurons[1000];
    long long n = 0, sum = 0;
    int64_t got;
    while ((got = cuba_drain_spikes(m, "P", steps, neurons, 1000)) > 0)
      for (int64_t k = 0; k < got; k++, n++) sum += steps[k] + (long long)neurons[k];
    expect(got == 0, "drain ends with 0");
    FILE *f = fopen("api.out", "w");
    fprintf(f, "drained %lld %lld\n", n, sum);
    fclose(f);
    expect(n > 100, "some spikes");
  }

  /* Queries and state. */
  {
    const char *name;
    uint64_t size;
    // CHECK: populations 1: P 4000
    expect(cuba_population(m, 0, &name, &size) == CUBA_OK, "population 0");
    printf("populations %d: %s %llu\n", cuba_num_populations(m), name, (unsigned long long)size);
    // CHECK: projections 2: P_to_P
    expect(cuba_projection(m, 0, &name, &size) == CUBA_OK, "projection 0");
    printf("projections %d: %s\n", cuba_num_projections(m), name);
    // CHECK: variables of P: 4, first v in volt
    const char *unit;
    expect(cuba_variable(m, "P", 0, &name, &unit) == CUBA_OK, "variable 0");
    printf("variables of P: %d, first %s in %s\n", cuba_num_variables(m, "P"), name, unit);
    cuba_array v;
    expect(cuba_state(m, "P.v", &v) == CUBA_OK, "P.v");
    // CHECK: P.v: 4000 of type 3
    printf("P.v: %llu of type %d\n", (unsigned long long)v.length, v.type);
    double *vals = malloc(4000 * sizeof *vals);
    for (int i = 0; i < 4000; i++) vals[i] = -0.07;
    expect(cuba_set_state(m, "P.v", vals, 4000, CUBA_TYPE_F64) == CUBA_OK, "set P.v");
    expect(((double *)v.data)[123] == -0.07, "the write is visible");
    free(vals);
    uint64_t count = 0;
    expect(cuba_synapses(m, "P_to_P", NULL, NULL, 0, &count) == CUBA_OK, "count synapses");
    uint32_t *pre = malloc(count * sizeof *pre), *post = malloc(count * sizeof *post);
    expect(cuba_synapses(m, "P_to_P", pre, post, count, &count) == CUBA_OK, "synapses");
    int sorted = 1, inrange = 1;
    for (uint64_t s = 1; s < count; s++) sorted &= pre[s] >= pre[s - 1];
    for (uint64_t s = 0; s < count; s++) inrange &= pre[s] < 3200 && post[s] < 4000;
    // CHECK: synapses of P_to_P: about 0.02 * 3200 * 4000 1, by pre 1, in range 1
    printf("synapses of P_to_P: about 0.02 * 3200 * 4000 %d, by pre %d, in range %d\n",
           count > 250000 && count < 262000, sorted, inrange);
    free(pre);
    free(post);
  }

  /* Every bad call: a code and a message, no crash. */
  // CHECK: null: -1 ok
  bad("null", cuba_step(NULL, 1), CUBA_ERR_NULL, NULL);
  // CHECK: negative steps: -3 ok
  // CHECK-NEXT: step count -1 is negative
  bad("negative steps", cuba_step(m, -1), CUBA_ERR_ARG, m);
  cuba_array a;
  // CHECK: unknown variable: -4 ok
  // CHECK-NEXT: 'P' has no variable 'nope'
  bad("unknown variable", cuba_state(m, "P.nope", &a), CUBA_ERR_NAME, m);
  // CHECK: unknown population: -4 ok
  // CHECK-NEXT: no population or projection named 'Q'
  bad("unknown population", cuba_state(m, "Q.v", &a), CUBA_ERR_NAME, m);
  float f[4000] = {0};
  // CHECK: wrong type: -6 ok
  // CHECK-NEXT: 'P.v' holds f64, not f32
  bad("wrong type", cuba_set_state(m, "P.v", f, 4000, CUBA_TYPE_F32), CUBA_ERR_TYPE, m);
  // CHECK: wrong length: -6 ok
  // CHECK-NEXT: 'P.v' has 4000 elements, not 10
  bad("wrong length", cuba_set_state(m, "P.v", f, 10, CUBA_TYPE_F64), CUBA_ERR_TYPE, m);
  // CHECK: population out of range: -5 ok
  // CHECK-NEXT: population 5 out of range (the model has 1)
  bad("population out of range", cuba_population(m, 5, NULL, NULL), CUBA_ERR_RANGE, m);
  uint32_t few[3];
  uint64_t count;
  // CHECK: small capacity: -5 ok
  bad("small capacity", cuba_synapses(m, "P_to_P", few, few, 3, &count), CUBA_ERR_RANGE, m);
  // CHECK: drain unknown: -4 ok
  bad("drain unknown", (int)cuba_drain_spikes(m, "X", NULL, NULL, 0), CUBA_ERR_NAME, m);
  // CHECK: garbage state: -9 ok
  // CHECK-NEXT: not a saved snnc state
  bad("garbage state", cuba_restore(m, "hello, world", 12), CUBA_ERR_FORMAT, m);
  // CHECK: missing file: -8 ok
  bad("missing file", cuba_restore_file(m, "no/such/file"), CUBA_ERR_IO, m);
  // CHECK: error cleared: []
  expect(cuba_step(m, 0) == CUBA_OK, "0 steps");
  printf("error cleared: [%s]\n", cuba_error(m));
  cuba_destroy(m);
  // CHECK: destroyed: -2 ok
  bad("destroyed", cuba_step(m, 1), CUBA_ERR_DESTROYED, m);
  // CHECK-NEXT: destroyed instance
  cuba_destroy(m); /* twice: harmless */

  /* Save after 0.1 s, restore into a fresh instance and run on; the saved one runs on too. */
  {
    cuba *a1 = cuba_create(&o, err, sizeof err);
    expect(a1 && cuba_run(a1, 0.1) == CUBA_OK, "first half");
    void *state;
    size_t len;
    expect(cuba_save(a1, &state, &len) == CUBA_OK, cuba_error(a1));
    expect(cuba_save_file(a1, "state.bin") == CUBA_OK, cuba_error(a1));
    cuba_options other = o;
    other.seed = 99; /* restored state brings its own seed */
    cuba *b = cuba_create(&other, err, sizeof err);
    expect(b && cuba_run(b, 0.05) == CUBA_OK, "b runs elsewhere first");
    expect(cuba_restore(b, state, len) == CUBA_OK, cuba_error(b));
    // CHECK: restored at step 1000
    printf("restored at step %lld\n", (long long)cuba_steps_done(b));
    expect(cuba_run(b, 0.1) == CUBA_OK, "second half");
    expect(cuba_write_outputs(b, "restored") == CUBA_OK, cuba_error(b));
    /* A truncated copy is refused and leaves the instance as it was. */
    // CHECK: truncated: -9 ok
    bad("truncated", cuba_restore(b, state, len - 7), CUBA_ERR_FORMAT, b);
    expect(cuba_steps_done(b) == 2000, "unchanged by a failed restore");
    free(state);
    /* From the file, and reset afterwards: the whole run again. */
    expect(cuba_restore_file(b, "state.bin") == CUBA_OK, cuba_error(b));
    expect(cuba_reset(b) == CUBA_OK && cuba_steps_done(b) == 0, "reset");
    expect(cuba_run(b, 0.2) == CUBA_OK && cuba_write_outputs(b, "reset") == CUBA_OK, "rerun");
    cuba_destroy(a1);
    cuba_destroy(b);
  }

  /* Two instances with different seeds, stepped in turns. */
  {
    cuba_options o2 = o;
    o2.seed = 2;
    o2.threads = 2;
    cuba *s1 = cuba_create(&o, err, sizeof err), *s2 = cuba_create(&o2, err, sizeof err);
    expect(s1 && s2, err);
    for (int k = 0; k < 20; k++)
      expect(cuba_step(s1, 100) == CUBA_OK && cuba_step(s2, 100) == CUBA_OK, "turns");
    expect(cuba_write_outputs(s1, "side1") == CUBA_OK && cuba_write_outputs(s2, "side2") == CUBA_OK,
           "outputs");
    cuba_destroy(s1);
    cuba_destroy(s2);
  }
  // CHECK: failures 0
  printf("failures %d\n", failures);
  return failures != 0;
}
