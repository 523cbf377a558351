/* test/Embed/runtime_params.test: a run-time propagator coefficient set through the library. */
#include "cuba.h"

#include <stdio.h>

int main(void) {
  char err[256];
  cuba *m = cuba_create(NULL, err, sizeof err);
  if (!m) return printf("create: %s\n", err), 1;
  /* tau_m = 15 ms: the propagators are recomputed when it is set. */
  if (cuba_set_param(m, "P.tau_m", 0.015) || cuba_set_param(m, "P.tau_e", 0.004))
    return printf("set: %s\n", cuba_error(m)), 1;
  cuba_reset(m);
  cuba_run(m, 0.2);
  cuba_write_outputs(m, "lib_tau");
  /* And back to the defaults. */
  cuba_set_param(m, "P.tau_m", 0.02);
  cuba_set_param(m, "P.tau_e", 0.005);
  cuba_reset(m);
  cuba_run(m, 0.2);
  cuba_write_outputs(m, "lib_tau_default");
  printf("done\n");
  cuba_destroy(m);
  return 0;
}
