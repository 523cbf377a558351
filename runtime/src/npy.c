/*
 * npy.c — writes recordings as NumPy .npy files (format version 1.0) with structured dtypes, so
 * `np.load` gives named fields ('t', 'i', 'j', 'rate' or the variable name) without any sidecar
 * metadata.
 * Values are written byte by byte in little endian, matching the '<' in the dtype on any host.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Header text exactly as numpy.lib.format writes it: the dict repr, spaces so that the data starts
 * at a multiple of 64 bytes (numpy's ARRAY_ALIGN), and a final newline. */
static int write_header(FILE *f, const char *descr, uint64_t n) {
  char dict[4096];
  int len = snprintf(dict, sizeof dict, "{'descr': %s, 'fortran_order': False, 'shape': (%llu,), }",
                     descr, (unsigned long long)n);
  if (len < 0 || (size_t)len >= sizeof dict) return -1;
  size_t total = 10 + (size_t)len + 1; /* magic(6) + version(2) + hlen(2) + dict + '\n' */
  size_t pad = (64 - total % 64) % 64;
  size_t hlen = (size_t)len + pad + 1;
  if (hlen > 65535) return -1; /* version 1.0 limit */
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hlen & 0xff),
                           (unsigned char)(hlen >> 8)};
  fwrite(pre, 1, sizeof pre, f);
  fwrite(dict, 1, (size_t)len, f);
  for (size_t i = 0; i < pad; i++) fputc(' ', f);
  fputc('\n', f);
  return 0;
}

static void put_u32(FILE *f, uint32_t v) {
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  fwrite(b, 1, 4, f);
}

static void put_f64(FILE *f, double d) {
  uint64_t v;
  memcpy(&v, &d, sizeof v);
  unsigned char b[8];
  for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
  fwrite(b, 1, 8, f);
}

int snn_npy_write_spikes(const char *path, const snn_recording *r, double dt, char *err,
                         size_t len) {
  snn_out o;
  if (snn_out_open(&o, path, err, len)) return -1;
  FILE *f = o.f;
  if (write_header(f, "[('t', '<f8'), ('i', '<i4')]", r->n)) {
    snn_out_abort(&o);
    snn_set_err(err, len, "cannot write the header of '%s'", path);
    return -1;
  }
  for (uint64_t k = 0; k < r->n; k++) {
    put_f64(f, (double)r->step[k] * dt);
    put_u32(f, r->idx[k]); /* neuron indices are < 2^31 in practice; stored as '<i4' for numpy */
  }
  return snn_out_commit(&o, err, len);
}

int snn_npy_write_rate(const char *path, const snn_recording *r, double dt, char *err,
                       size_t len) {
  snn_out o;
  if (snn_out_open(&o, path, err, len)) return -1;
  FILE *f = o.f;
  if (write_header(f, "[('t', '<f8'), ('rate', '<f8')]", r->n)) {
    snn_out_abort(&o);
    snn_set_err(err, len, "cannot write the header of '%s'", path);
    return -1;
  }
  for (uint64_t k = 0; k < r->n; k++) {
    put_f64(f, (double)r->step[k] * dt); /* the bin's start time */
    put_f64(f, r->val[k]);
  }
  return snn_out_commit(&o, err, len);
}

/* Appends `s` as a Python string literal body, escaping what would end or break it. */
static void py_str(char *dst, size_t cap, const char *s) {
  size_t o = strlen(dst);
  for (; *s && o + 5 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\'' || c == '\\') {
      dst[o++] = '\\';
      dst[o++] = (char)c;
    } else if (c < 0x20 || c >= 0x7f) {
      o += (size_t)snprintf(dst + o, cap - o, "\\x%02x", c);
    } else {
      dst[o++] = (char)c;
    }
  }
  dst[o] = '\0';
}

int snn_npy_write_state(const char *path, const char *var, const snn_recording *r, double dt,
                        char *err, size_t len) {
  char descr[1024] = "[('t', '<f8'), ('";
  py_str(descr, sizeof descr - 32, var);
  size_t at = strlen(descr);
  snprintf(descr + at, sizeof descr - at, "', '<f8', (%llu,))]", (unsigned long long)r->width);
  snn_out o;
  if (snn_out_open(&o, path, err, len)) return -1;
  FILE *f = o.f;
  if (write_header(f, descr, r->n)) {
    snn_out_abort(&o);
    snn_set_err(err, len, "cannot write the header of '%s'", path);
    return -1;
  }
  for (uint64_t k = 0; k < r->n; k++) {
    put_f64(f, (double)r->step[k] * dt);
    for (uint64_t i = 0; i < r->width; i++) put_f64(f, r->val[k * r->width + i]);
  }
  return snn_out_commit(&o, err, len);
}

int snn_npy_write_pairs(const char *path, const snn_sim *sim, uint32_t j, const snn_recording *rec,
                        char *err, size_t len) {
  const snn_projection_desc *pj = &sim->model->projections[j];
  const uint64_t *row_ptr = sim->buffers[pj->row_ptr_buffer];
  const void *col = sim->buffers[pj->col_buffer];
  snn_out o;
  if (snn_out_open(&o, path, err, len)) return -1;
  FILE *f = o.f;
  if (write_header(f, "[('i', '<i4'), ('j', '<i4')]",
                   rec && rec->pair_pre ? rec->num_pairs : sim->proj_synapses[j])) {
    snn_out_abort(&o);
    snn_set_err(err, len, "cannot write the header of '%s'", path);
    return -1;
  }
  for (uint64_t s = 0; rec && rec->pair_pre && s < rec->num_pairs; s++) {
    put_u32(f, rec->pair_pre[s]);
    put_u32(f, rec->pair_post[s]);
  }
  for (uint32_t r = 0; !(rec && rec->pair_pre) && r < pj->pre_end - pj->pre_begin; r++)
    for (uint64_t s = row_ptr[r]; s < row_ptr[r + 1]; s++) {
      put_u32(f, pj->pre_begin + r);
      put_u32(f, snn_col_at(pj, col, s));
    }
  return snn_out_commit(&o, err, len);
}
