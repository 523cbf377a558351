/*
 * memory.c — what a network will need, estimated before anything is allocated, and what this
 * machine can give. Linux overcommits memory: an allocation too large for the machine succeeds
 * and the process is killed later, mid-build or mid-run, with nothing said. So the runtime adds
 * up the buffers from the descriptor (neurons, synapses from each rule's exact or expected count,
 * per-synapse state, indexes, delay rings) and refuses, with the estimate, a network that does
 * not fit in the memory available now (MemAvailable, and the cgroup's limit where there is one)
 * or in a limit the caller sets (--max-memory).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Synapses of a rule whose pairs are tested (a condition or a probability of i, j and
 * positions): the pairs that pass in up to SAMPLED_ROWS evenly spaced rows (all of them for a
 * small projection), scaled to every row, plus 6 standard deviations of a count with that mean. The test draws with seed 1 here; the network's seed moves only the
 * random part of the count. */
enum { SAMPLED_ROWS = 256 };
static double tested_synapses(const snn_projection_desc *pj) {
  const uint32_t npre = pj->pre_end - pj->pre_begin, npost = pj->post_end - pj->post_begin;
  if (npre == 0 || npost == 0) return 0;
  uint32_t *out = malloc((size_t)npost * sizeof *out);
  if (!out) return (double)npre * npost;
  const uint32_t rows = npre < SAMPLED_ROWS ? npre : SAMPLED_ROWS;
  double passed = 0;
  for (uint32_t s = 0; s < rows; s++) {
    const uint32_t r = (uint32_t)(((uint64_t)s * npre) / rows), a = pj->pre_begin + r;
    if (pj->rule == SNN_ONE_TO_ONE)
      passed += pj->pairs(1, 0, a, pj->post_begin + r, pj->post_begin + r + 1, out);
    else
      passed += pj->pairs(1, 0, a, pj->post_begin, pj->post_end, out);
  }
  free(out);
  const double all = (double)npre * (pj->rule == SNN_ONE_TO_ONE ? 1.0 : (double)npost);
  double mean = passed / rows * npre;
  double est = mean + 6 * __builtin_sqrt(mean) + (rows == npre ? 0 : 1024);
  return est < all ? est : all;
}

/* Synapses a projection will have: exact for all-to-all, one-to-one, fixed in- and out-degree and
 * lists, the expectation plus 6 standard deviations for Bernoulli, sampled for a pair test. */
static double expected_synapses(const snn_projection_desc *pj) {
  double npre = pj->pre_end - pj->pre_begin, npost = pj->post_end - pj->post_begin;
  if (pj->pairs && pj->rule != SNN_FIXED_INDEGREE && pj->rule != SNN_FIXED_OUTDEGREE)
    return tested_synapses(pj);
  switch (pj->rule) {
  case SNN_ALL_TO_ALL: return npre * npost;
  case SNN_ONE_TO_ONE: return npre;
  case SNN_FIXED_INDEGREE: return (double)pj->k * npost;
  case SNN_FIXED_OUTDEGREE: return (double)pj->k * npre;
  case SNN_FROM_LIST: return (double)pj->list_row_ptr[pj->pre_end - pj->pre_begin];
  case SNN_FIXED_TOTAL: return (double)pj->total;
  case SNN_CONV2D: return (double)snn_conv_synapses(&pj->conv);
  case SNN_BERNOULLI: {
    double n = npre * npost, mean = pj->p * n;
    double sd = mean > 0 ? __builtin_sqrt(mean * (1 - pj->p)) : 0;
    return mean + 6 * sd < n ? mean + 6 * sd : n;
  }
  }
  return npre * npost;
}

double snn_expected_synapses(const snn_model_desc *m) {
  double n = 0;
  for (uint32_t j = 0; j < m->num_projections; j++) n += expected_synapses(&m->projections[j]);
  return n;
}

void snn_describe_estimate(const snn_model_desc *m, char *buf, size_t len) {
  double neurons = 0;
  for (uint32_t p = 0; p < m->num_populations; p++) neurons += m->populations[p].size;
  char need[32], avail[32] = "";
  snn_format_bytes(snn_estimate_bytes(m, NULL, 0), need, sizeof need);
  double a = snn_available_bytes();
  if (a >= 0) snn_format_bytes(a, avail, sizeof avail);
  snprintf(buf, len, "network '%s': %.0f neurons, up to %.3g synapses, about %s of memory%s%s%s", m->name,
           neurons, snn_expected_synapses(m), need, a >= 0 ? " (" : "", avail,
           a >= 0 ? " available)" : "");
}

double snn_estimate_bytes(const snn_model_desc *m, char *biggest, size_t len) {
  double total = 0, top = -1;
  /* A 2-byte col is built 4 bytes wide, then narrowed: the peak has the widest one twice. */
  double widening = 0;
  for (uint32_t p = 0; p < m->num_populations; p++) {
    const snn_population_desc *pd = &m->populations[p];
    double per = 4; /* spike list */
    for (uint32_t v = 0; v < pd->num_vars; v++) per += (double)snn_elem_size(m, pd->vars[v].kind);
    double b = per * pd->size;
    total += b;
    if (b > top && biggest)
      top = b, snprintf(biggest, len, "population %s: %u neurons x %.0f B", pd->name, pd->size, per);
  }
  for (uint32_t j = 0; j < m->num_projections; j++) {
    const snn_projection_desc *pj = &m->projections[j];
    double nsyn = expected_synapses(pj), npre = pj->pre_end - pj->pre_begin;
    double npost = pj->post_end - pj->post_begin;
    double per = pj->col_bytes == 2 ? 2 : 4; /* col */
    for (uint32_t v = 0; v < pj->num_vars; v++) per += (double)snn_elem_size(m, pj->vars[v].kind);
    if (pj->synapse_delays) per += 4;
    if (pj->post_index) per += 8;
    double b = per * nsyn + 8 * (npre + 1) + (pj->post_index ? 8 * (npost + 1) : 0) +
               4.0 * pj->delay_steps * npre;
    total += b;
    if (pj->col_bytes == 2 && 2 * nsyn > widening) widening = 2 * nsyn;
    if (b > top && biggest)
      top = b, snprintf(biggest, len, "projection %s: %.4g synapses x %.0f B", pj->name, nsyn, per);
  }
  return total + widening;
}

/* A "key:  N kB" line of /proc/meminfo, in bytes; -1 if absent. */
static double meminfo(const char *key) {
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) return -1;
  char line[256];
  double v = -1;
  size_t n = strlen(key);
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, key, n) && line[n] == ':') {
      double kb;
      if (sscanf(line + n + 1, "%lf", &kb) == 1) v = kb * 1024;
      break;
    }
  fclose(f);
  return v;
}

static double read_number(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  double v = -1;
  char buf[64];
  if (fgets(buf, sizeof buf, f) && strncmp(buf, "max", 3) != 0 && sscanf(buf, "%lf", &v) != 1) v = -1;
  fclose(f);
  return v;
}

double snn_available_bytes(void) {
  double avail = meminfo("MemAvailable");
  /* A container's cgroup (v2) may allow less than the machine has free. */
  double max = read_number("/sys/fs/cgroup/memory.max"), cur = read_number("/sys/fs/cgroup/memory.current");
  if (max > 0 && cur >= 0 && (avail < 0 || max - cur < avail)) avail = max - cur;
  return avail;
}

void snn_format_bytes(double b, char *buf, size_t len) {
  const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int u = 0;
  while (b >= 1024 && u < 5) b /= 1024, u++;
  snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
}

int snn_check_memory(const snn_model_desc *m, double limit, char *err, size_t len) {
  char biggest[160] = "";
  double need = snn_estimate_bytes(m, biggest, sizeof biggest);
  const char *what = "the memory this machine has available";
  if (limit <= 0) limit = snn_available_bytes();
  else what = "the --max-memory limit";
  if (limit < 0 || need <= limit) return 0;
  char n[32], l[32];
  snn_format_bytes(need, n, sizeof n);
  snn_format_bytes(limit, l, sizeof l);
  snn_set_err(err, len,
              "network '%s' needs about %s (the largest part: %s), more than %s (%s); nothing "
              "was allocated",
              m->name, n, biggest, what, l);
  return -1;
}
