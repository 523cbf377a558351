/* test/Embed/protocol.test: a protocol through the library, and a host doing the same by hand. */
#include "cuba.h"
#include "host.h"

#include <stdio.h>

static void show(cuba *m, const char *when) {
  double tau = 0, vth = 0;
  cuba_get_param(m, "P.tau_m", &tau);
  cuba_get_param(m, "P.V_th", &vth);
  printf("%s: tau_m %g V_th %g\n", when, tau, vth);
}

int main(void) {
  char err[256];
  cuba *m = cuba_create(NULL, err, sizeof err);
  host *h = host_create(NULL, err, sizeof err);
  if (!m || !h) return printf("create: %s\n", err), 1;
  /* The whole protocol in one call. */
  if (cuba_run(m, 0.2) || cuba_write_outputs(m, "lib_run")) return printf("%s\n", cuba_error(m)), 1;
  /* Again, step by step across the change. */
  cuba_reset(m);
  cuba_step(m, 1000);
  show(m, "before step 1000");
  cuba_step(m, 1);
  show(m, "after step 1000");
  cuba_step(m, 999);
  cuba_write_outputs(m, "lib_steps");
  cuba_reset(m);
  show(m, "after reset");
  /* The host's version. */
  host_run(h, 0.1);
  if (host_set_param(h, "P.tau_m", 0.015) || host_set_param(h, "P.V_th", -0.052))
    return printf("set: %s\n", host_error(h)), 1;
  host_run(h, 0.1);
  host_write_outputs(h, "host");
  cuba_destroy(m);
  host_destroy(h);
  return 0;
}
