/*
 * propagate.c — propagators of exactly integrated linear systems whose matrix depends on
 * run-time parameters (snn_system_desc): computed whenever a parameter is set, by the same
 * algorithm and in the same order of operations as the compiler's
 * compiler/lib/Transforms/MatrixExp.cpp and IntegrateODEs.cpp (balancing by powers of two,
 * scaling and squaring of a 24-term Taylor series, the block matrix [[A, I], [0, 0]] dt for the
 * integral, libm's exp/expm1 for decoupled rows), so that a value set at run time gives the bits
 * of compiling it in. Matrices are small (n <= a few variables).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* c = a b (n x n, row-major), skipping zero a[i][k] as the compiler does. */
static void multiply(const double *a, const double *b, double *c, size_t n) {
  for (size_t i = 0; i < n * n; i++) c[i] = 0.0;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < n; k++) {
      if (a[i * n + k] == 0) continue;
      for (size_t j = 0; j < n; j++) c[i * n + j] += a[i * n + k] * b[k * n + j];
    }
}

static double pow2_near(double x) { return ldexp(1.0, (int)lround(log2(x))); }

/* Parlett-Reinsch balancing with powers of two (MatrixExp.cpp's balance). */
static void balance(double *a, double *d, size_t n) {
  double diag = 0;
  for (size_t i = 0; i < n; i++) {
    d[i] = 1.0;
    diag = fmax(diag, fabs(a[i * n + i]));
  }
  const double target = fmax(diag, 0.25);
  for (int sweep = 0; sweep < 20; sweep++) {
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
      double r = 0, c = 0;
      for (size_t j = 0; j < n; j++)
        if (j != i) {
          r += fabs(a[i * n + j]);
          c += fabs(a[j * n + i]);
        }
      double f = 1;
      if (r > 0 && c > 0)
        f = pow2_near(sqrt(r / c));
      else if (r > target)
        f = pow2_near(r / target);
      else if (c > target)
        f = 1 / pow2_near(c / target);
      if (f != 1 && isfinite(f) && f > 0) {
        double before = r + c;
        double after = r / f + c * f;
        if (after < 0.95 * before || (r == 0) != (c == 0)) {
          for (size_t j = 0; j < n; j++) {
            a[i * n + j] /= f;
            a[j * n + i] *= f;
          }
          d[i] *= f;
          changed = 1;
        }
      }
    }
    if (!changed) break;
  }
}

/* exp(a) for a balanced matrix: scaling and squaring of the Taylor series. */
static int expm_scaled(const double *a, double *result, size_t n) {
  size_t nn = n * n;
  double norm = 0;
  for (size_t i = 0; i < n; i++) {
    double s = 0;
    for (size_t j = 0; j < n; j++) s += fabs(a[i * n + j]);
    norm = fmax(norm, s);
  }
  if (!isfinite(norm)) {
    for (size_t i = 0; i < nn; i++) result[i] = NAN;
    return 0;
  }
  int squarings = 0;
  if (norm > 0.5) squarings = (int)ceil(log2(norm / 0.5));
  double scale = ldexp(1.0, -squarings);
  double *b = malloc(nn * sizeof *b), *term = calloc(nn, sizeof *term),
         *tmp = malloc(nn * sizeof *tmp);
  if (!b || !term || !tmp) {
    free(b), free(term), free(tmp);
    return -1;
  }
  for (size_t i = 0; i < nn; i++) b[i] = a[i] * scale, result[i] = 0.0;
  for (size_t i = 0; i < n; i++) result[i * n + i] = term[i * n + i] = 1.0;
  for (int k = 1; k <= 24; k++) {
    multiply(term, b, tmp, n);
    memcpy(term, tmp, nn * sizeof *term);
    for (size_t i = 0; i < nn; i++) term[i] /= k;
    for (size_t i = 0; i < nn; i++) result[i] += term[i];
  }
  for (int s = 0; s < squarings; s++) {
    multiply(result, result, tmp, n);
    memcpy(result, tmp, nn * sizeof *result);
  }
  free(b), free(term), free(tmp);
  return 0;
}

/* phi = exp(A dt), gamma = its integral over the step, from one exponential of the block matrix
 * [[A, I], [0, 0]] dt; then exp(a dt) and expm1(a dt)/a for rows coupled to nothing else. */
static int propagators(const double *a, size_t n, double dt, double *phi, double *gamma) {
  size_t m = 2 * n;
  double *block = calloc(m * m, sizeof *block), *d = malloc(m * sizeof *d),
         *e = malloc(m * m * sizeof *e);
  if (!block || !d || !e) {
    free(block), free(d), free(e);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < n; j++) block[i * m + j] = a[i * n + j] * dt;
    block[i * m + n + i] = dt;
  }
  balance(block, d, m);
  int rc = expm_scaled(block, e, m);
  for (size_t i = 0; i < m && !rc; i++)
    for (size_t j = 0; j < m; j++) e[i * m + j] = e[i * m + j] * d[i] / d[j];
  for (size_t i = 0; i < n && !rc; i++)
    for (size_t j = 0; j < n; j++) {
      phi[i * n + j] = e[i * m + j];
      gamma[i * n + j] = e[i * m + n + j];
    }
  free(block), free(d), free(e);
  if (rc) return rc;
  for (size_t k = 0; k < n; k++) {
    int decoupled = 1;
    for (size_t j = 0; j < n; j++) decoupled = decoupled && (j == k || a[k * n + j] == 0);
    if (!decoupled) continue;
    double z = a[k * n + k] * dt;
    for (size_t j = 0; j < n; j++) phi[k * n + j] = gamma[k * n + j] = 0.0;
    phi[k * n + k] = exp(z);
    gamma[k * n + k] = a[k * n + k] == 0 ? dt : expm1(z) / a[k * n + k];
  }
  return 0;
}

static void put(snn_sim *sim, uint32_t slot, double v) {
  void *b = sim->buffers[slot];
  if (sim->model->real_size == 4)
    *(float *)b = (float)v;
  else
    *(double *)b = v;
}

/* One system's propagators into its slots: the matrices, and the constant of each row
 * (sum over the constant b_j of gamma_kj b_j, skipping zero gamma, in the compiler's order). */
static void write_set(snn_sim *sim, const snn_system_desc *sd, const double *phi,
                      const double *gamma, const uint32_t *phi_slots, const uint32_t *gamma_slots,
                      const uint32_t *const_slots) {
  size_t n = sd->n;
  for (size_t i = 0; i < n * n; i++) {
    put(sim, phi_slots[i], phi[i]);
    put(sim, gamma_slots[i], gamma[i]);
  }
  for (size_t k = 0; k < n; k++) {
    double constant = 0;
    for (size_t j = 0; j < n; j++) {
      if (gamma[k * n + j] == 0 || isnan(sd->b_const[j])) continue;
      constant += gamma[k * n + j] * sd->b_const[j];
    }
    put(sim, const_slots[k], constant);
  }
}

int snn_update_propagators(snn_sim *sim) {
  const snn_model_desc *m = sim->model;
  for (uint32_t k = 0; k < m->num_systems; k++) {
    const snn_system_desc *sd = &m->systems[k];
    size_t n = sd->n, nn = n * n;
    double *a = malloc(nn * sizeof *a), *phi = malloc(nn * sizeof *phi),
           *gamma = malloc(nn * sizeof *gamma);
    int rc = !a || !phi || !gamma;
    if (!rc) {
      sd->coeffs(sim->buffers, a);
      rc = propagators(a, n, m->dt, phi, gamma);
    }
    if (!rc) write_set(sim, sd, phi, gamma, sd->phi, sd->gamma, sd->constant);
    if (!rc && sd->phi_r) {
      /* Refractory neurons: frozen rows have zero derivative, and gain nothing from b. */
      for (size_t i = 0; i < n; i++)
        if (sd->frozen[i])
          for (size_t j = 0; j < n; j++) a[i * n + j] = 0.0;
      rc = propagators(a, n, m->dt, phi, gamma);
      for (size_t i = 0; i < n && !rc; i++)
        if (sd->frozen[i])
          for (size_t j = 0; j < n; j++) gamma[i * n + j] = 0.0;
      if (!rc) write_set(sim, sd, phi, gamma, sd->phi_r, sd->gamma_r, sd->constant_r);
    }
    free(a), free(phi), free(gamma);
    if (rc) {
      snn_set_err(sim->err, sizeof sim->err, "out of memory computing propagators");
      return -1;
    }
  }
  return 0;
}
