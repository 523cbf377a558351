/*
 * util.c — small helpers used across the runtime: error messages into caller buffers, the
 * monotonic clock, and human-readable durations. Kept apart so every other file stays about
 * one concept.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

void snn_set_err(char *err, size_t err_len, const char *fmt, ...) {
  if (!err || err_len == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, err_len, fmt, ap);
  va_end(ap);
}

double snn_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void snn_format_time(double s, char *buf, size_t len) {
  /* Switch unit at 0.1 of the larger one so a dt of 0.1 ms reads "0.1 ms", not "100 us". */
  double a = fabs(s);
  if (a == 0.0 || a >= 0.1)
    snprintf(buf, len, "%.4g s", s);
  else if (a >= 1e-4)
    snprintf(buf, len, "%.4g ms", s * 1e3);
  else if (a >= 1e-7)
    snprintf(buf, len, "%.4g us", s * 1e6);
  else
    snprintf(buf, len, "%.4g ns", s * 1e9);
}

size_t snn_elem_size(const snn_model_desc *m, uint32_t kind) {
  return kind == SNN_I32 ? sizeof(int32_t) : (size_t)m->real_size;
}
