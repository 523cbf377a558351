/* STREAM-like triad a[i] = b[i] + s * c[i] over arrays far larger than the caches: the memory
 * bandwidth the bench prints beside the LIF-1M row (bytes moved: 3 * 8 per element). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
  const size_t n = 20u * 1000 * 1000;
  double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
  if (!a || !b || !c) return 1;
  for (size_t i = 0; i < n; i++) a[i] = 0, b[i] = 1, c[i] = 2;
  double best = 1e30;
  for (int rep = 0; rep < 5; rep++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (s < best) best = s;
  }
  printf("%.3f\n", 3.0 * 8.0 * (double)n / best / 1e9 + 0.0 * a[n / 2]);
  return 0;
}
