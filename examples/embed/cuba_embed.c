/* CUBA embedded in a C program (docs/embedding.md):
 *
 *   snnc examples/embed/cuba_runtime.snn -emit=lib -o libcuba.a    # also writes cuba.h
 *   cc -I. examples/embed/cuba_embed.c libcuba.a -lm -lpthread -o cuba_embed && ./cuba_embed
 *
 * Runs 0.25 s and saves the state; runs 0.25 s more and counts the spikes; goes back to the
 * saved state twice and runs the same 0.25 s again, once with the resting potential E_L raised
 * by 2 mV (a run-time parameter: no recompiling) and once after injecting one synchronous
 * volley into 400 excitatory neurons. Prints the three rates: the first continuation is the
 * run the executable would have made, bit for bit. */
#include "cuba.h"

#include <stdio.h>
#include <stdlib.h>

/* Spikes of P drained since the last call. */
static long drain(cuba *m) {
  int64_t steps[4096];
  uint32_t neurons[4096];
  long n = 0;
  int64_t got;
  while ((got = cuba_drain_spikes(m, "P", steps, neurons, 4096)) > 0) n += (long)got;
  return n;
}

static int check(cuba *m, int rc, const char *what) {
  if (rc < 0) {
    fprintf(stderr, "%s: %s\n", what, cuba_error(m));
    exit(1);
  }
  return rc;
}

int main(void) {
  char err[256];
  cuba *m = cuba_create(NULL, err, sizeof err);
  if (!m) {
    fprintf(stderr, "cuba_create: %s\n", err);
    return 1;
  }
  check(m, cuba_run(m, 0.25), "run");
  drain(m);
  void *saved;
  size_t len;
  check(m, cuba_save(m, &saved, &len), "save");

  check(m, cuba_run(m, 0.25), "run");
  long plain = drain(m);

  check(m, cuba_restore(m, saved, len), "restore");
  drain(m);
  double e_l;
  check(m, cuba_get_param(m, "P.E_L", &e_l), "get E_L");
  check(m, cuba_set_param(m, "P.E_L", e_l + 0.002), "set E_L");
  check(m, cuba_run(m, 0.25), "run");
  long raised = drain(m);

  check(m, cuba_restore(m, saved, len), "restore"); /* E_L too: it is part of the state */
  drain(m);
  uint32_t volley[400];
  for (int k = 0; k < 400; k++) volley[k] = (uint32_t)(8 * k); /* every 8th of P[0:3200] */
  check(m, cuba_inject(m, "P", volley, 400), "inject");
  check(m, cuba_run(m, 0.25), "run");
  long kicked = drain(m);
  free(saved);

  printf("state saved at t = 0.25 s: %zu bytes\n", len);
  printf("rate 0.25-0.5 s: %.2f Hz as run, %.2f Hz with E_L %.0f mV, %.2f Hz after a volley "
         "into 400 neurons\n",
         plain / 4000.0 / 0.25, raised / 4000.0 / 0.25, (e_l + 0.002) * 1e3,
         kicked / 4000.0 / 0.25);
  cuba_destroy(m);
  return 0;
}
