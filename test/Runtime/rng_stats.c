// Statistical sanity of snn_rng_uniform / snn_rng_normal and their purity.
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t | FileCheck %s
#include "snn/runtime.h"
#include <math.h>
#include <stdio.h>

#define N 1000000

int main(void) {
  const uint64_t seed = 0x123456789abcdefull, stream = 42;

  // Uniform on (0, 1): every draw strictly inside; mean 1/2 and variance 1/12. The sample mean
  // has standard deviation sqrt(1/12 / N) = 2.89e-4, so allow 5 sigma = 1.44e-3. The sample
  // variance of U(0,1) has standard deviation sqrt((1/80 - 1/144) / N) = 7.45e-5; 5 sigma = 3.7e-4.
  double s = 0, s2 = 0;
  int outside = 0;
  for (uint64_t i = 0; i < N; i++) {
    double u = snn_rng_uniform(seed, stream, i);
    if (!(u > 0.0 && u < 1.0)) outside++;
    s += u;
    s2 += u * u;
  }
  double mean = s / N, var = s2 / N - mean * mean;
  // CHECK: uniform range ok
  printf("uniform range %s\n", outside == 0 ? "ok" : "FAIL");
  // CHECK: uniform mean ok
  printf("uniform mean %s (%.6f)\n", fabs(mean - 0.5) < 5 * sqrt(1.0 / 12 / N) ? "ok" : "FAIL", mean);
  // CHECK: uniform variance ok
  printf("uniform variance %s (%.6f)\n",
         fabs(var - 1.0 / 12) < 5 * sqrt((1.0 / 80 - 1.0 / 144) / N) ? "ok" : "FAIL", var);

  // Standard normal: the sample mean has sd 1/sqrt(N) = 1e-3 (bound 5e-3); the sample variance
  // has sd sqrt(2/N) = 1.41e-3 (bound 7.1e-3).
  s = s2 = 0;
  int inside1 = 0;
  for (uint64_t i = 0; i < N; i++) {
    double z = snn_rng_normal(seed, stream, i);
    s += z;
    s2 += z * z;
    if (fabs(z) < 1.0) inside1++;
  }
  mean = s / N;
  var = s2 / N - mean * mean;
  // CHECK: normal mean ok
  printf("normal mean %s (%.6f)\n", fabs(mean) < 5.0 / sqrt(N) ? "ok" : "FAIL", mean);
  // CHECK: normal variance ok
  printf("normal variance %s (%.6f)\n", fabs(var - 1.0) < 5 * sqrt(2.0 / N) ? "ok" : "FAIL", var);
  // P(|Z| < 1) = erf(1/sqrt 2) = 0.682689; binomial sd sqrt(p(1-p)/N) = 4.65e-4, bound 5 sigma.
  double p1 = erf(1.0 / sqrt(2.0)), f1 = (double)inside1 / N;
  // CHECK: normal shape ok
  printf("normal shape %s (%.6f)\n", fabs(f1 - p1) < 5 * sqrt(p1 * (1 - p1) / N) ? "ok" : "FAIL", f1);

  // Pure functions: the same arguments give the same value; any argument changes it.
  double a = snn_rng_uniform(seed, stream, 7);
  int pure = a == snn_rng_uniform(seed, stream, 7) && a != snn_rng_uniform(seed + 1, stream, 7) &&
             a != snn_rng_uniform(seed, stream + 1, 7) && a != snn_rng_uniform(seed, stream, 8) &&
             a != snn_rng_uniform(seed, stream | (1ull << 32), 7) &&
             a != snn_rng_uniform(seed, stream, 7 | (1ull << 32)) &&
             snn_rng_normal(1, 2, 3) == snn_rng_normal(1, 2, 3);
  // CHECK: pure ok
  printf("pure %s\n", pure ? "ok" : "FAIL");
  return 0;
}
