/* A closed loop around CUBA: every millisecond the host reads the network's spikes and feeds
 * back a current (a step of membrane potential to every neuron, through the state array P.v)
 * from an integral controller on the error between the last 10 ms rate and a target, bringing
 * the network to 20 Hz where on its own it fires about 5 Hz.
 *
 *   snnc examples/cuba.snn -emit=lib -o libcuba.a    # (or examples/embed/cuba_runtime.snn)
 *   cc -I. examples/embed/closed_loop.c libcuba.a -lm -lpthread -o closed_loop && ./closed_loop
 */
#include "cuba.h"

#include <stdio.h>

int main(void) {
  char err[256];
  cuba *m = cuba_create(NULL, err, sizeof err);
  if (!m) {
    fprintf(stderr, "cuba_create: %s\n", err);
    return 1;
  }
  cuba_array v;
  if (cuba_state(m, "P.v", &v) != CUBA_OK) {
    fprintf(stderr, "%s\n", cuba_error(m));
    return 1;
  }
  double *pv = v.data;
  const double target = 20.0, gain = 2e-7; /* volts per ms, per Hz of error and ms */
  double drive = 0;                         /* volts added to every v each millisecond */
  long window[10] = {0};
  int64_t steps[4096];
  uint32_t neurons[4096];
  double last = 0;
  for (int ms = 0; ms < 1000; ms++) {
    if (cuba_step(m, 10) != CUBA_OK) { /* 1 ms */
      fprintf(stderr, "%s\n", cuba_error(m));
      return 1;
    }
    long n = 0;
    int64_t got;
    while ((got = cuba_drain_spikes(m, "P", steps, neurons, 4096)) > 0) n += (long)got;
    window[ms % 10] = n;
    long sum = 0;
    for (int k = 0; k < 10; k++) sum += window[k];
    double rate = sum / 4000.0 / 0.01; /* Hz over the last 10 ms */
    drive += gain * (target - rate);
    for (uint64_t i = 0; i < v.length; i++) pv[i] += drive;
    if (ms >= 500) last += rate / 500.0;
    if (ms % 100 == 99) printf("t = %4d ms: rate %6.2f Hz\n", ms + 1, rate);
  }
  printf("mean rate over the last 500 ms: %.1f Hz (target %.0f Hz)\n", last, target);
  cuba_destroy(m);
  return 0;
}
