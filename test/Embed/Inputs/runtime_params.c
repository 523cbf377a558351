/* test/Embed/runtime_params.test: run-time parameters through the library. */
#include "cuba.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  char err[256];
  cuba *m = cuba_create(NULL, err, sizeof err), *other = cuba_create(NULL, err, sizeof err);
  if (!m || !other) return printf("create: %s\n", err), 1;
  int n = cuba_num_params(m), runtime = 0;
  char names[256] = "";
  for (int k = 0; k < n; k++) {
    const char *name;
    int rt;
    cuba_param(m, k, &name, NULL, NULL, &rt);
    if (rt) runtime++, strcat(names, " "), strcat(names, name);
  }
  printf("%d parameters, %d run-time:%s\n", n, runtime, names);
  for (int k = 0; k < n; k++) {
    const char *name, *unit;
    double v;
    cuba_param(m, k, &name, &v, &unit, NULL);
    if (!strcmp(name, "P.V_th")) printf("V_th %g %s\n", v, unit);
  }
  /* Set before the first step: the same run as compiling the values in. */
  if (cuba_set_param(m, "P.V_th", -0.052) || cuba_set_param(m, "P.E_L", -0.047))
    return printf("set: %s\n", cuba_error(m)), 1;
  /* Initial values were drawn with the defaults (uniform(V_reset, V_th)): reset redraws them
   * with the values set, as the executable does with --set. */
  cuba_reset(m);
  cuba_run(m, 0.2);
  cuba_write_outputs(m, "lib_set");
  printf("folded: %d %s\n", cuba_set_param(m, "P.tau_m", 0.01), cuba_error(m));
  printf("unknown: %d %s\n", cuba_set_param(m, "P.nope", 1), cuba_error(m));
  printf("not finite: %d\n", cuba_set_param(m, "P.V_th", NAN));
  cuba_reset(m);
  double v = 0;
  cuba_get_param(m, "P.V_th", &v);
  printf("after reset V_th %g\n", v);
  cuba_run(m, 0.2);
  cuba_write_outputs(m, "lib_reset");
  /* The other instance kept the defaults. */
  cuba_run(other, 0.2);
  cuba_write_outputs(other, "lib_other");
  cuba_destroy(m);
  cuba_destroy(other);
  return 0;
}
