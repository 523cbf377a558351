/*
 * delays.c — per-synapse delays (synapse_delays = 1). `init` has written each synapse's delay in
 * steps; this file refuses negative ones, sorts every row stably by delay so that the synapses of
 * one (pre neuron, delay) pair are contiguous, and builds the index the delivery kernel uses to
 * visit, for each lag d, only the synapses of delay d of the neurons that spiked d steps ago. The
 * per-synapse delays themselves are then dropped: a static synapse keeps costing its weight and
 * column, and the index costs (D + 2) 32-bit offsets per presynaptic neuron.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Moves element s of `buf` (n elements of `elem` bytes) to position dest[s]; replaces the
 * buffer. Returns 0, or -1 when out of memory (the buffer is then unchanged). */
static int permute(void **buf, uint64_t n, size_t elem, const uint64_t *dest) {
  unsigned char *out = malloc((size_t)(n ? n : 1) * elem);
  if (!out) return -1;
  const unsigned char *in = *buf;
  for (uint64_t s = 0; s < n; s++) memcpy(out + dest[s] * elem, in + s * elem, elem);
  free(*buf);
  *buf = out;
  return 0;
}

int snn_sort_by_delay(const snn_model_desc *m, uint32_t j, void **buffers, uint64_t nsyn,
                      char *err, size_t len) {
  const snn_projection_desc *pj = &m->projections[j];
  const uint64_t npre = pj->pre_end - pj->pre_begin;
  const uint64_t *row_ptr = buffers[pj->row_ptr_buffer];
  const void *col = buffers[pj->col_buffer];
  int32_t *delay = buffers[pj->delay_buffer];

  uint32_t D = 0;
  for (uint64_t r = 0; r < npre; r++)
    for (uint64_t s = row_ptr[r]; s < row_ptr[r + 1]; s++) {
      if (delay[s] == SNN_DELAY_NAN) {
        snn_set_err(err, len,
                    "projection '%s': the delay of the synapse from neuron %llu to neuron %u is "
                    "not a number",
                    pj->name, (unsigned long long)(pj->pre_begin + r), snn_col_at(pj, col, s));
        return -1;
      }
      if (delay[s] < 0) {
        snn_set_err(err, len,
                    "projection '%s': the delay of the synapse from neuron %llu to neuron %u is "
                    "negative (%g ms)",
                    pj->name, (unsigned long long)(pj->pre_begin + r), snn_col_at(pj, col, s),
                    (double)delay[s] * m->dt * 1e3);
        return -1;
      }
      if ((uint32_t)delay[s] > D) D = (uint32_t)delay[s];
    }
  const uint64_t width = (uint64_t)D + 2; /* offsets of delays 0..D, then the row's end */
  if (npre && (2 * width - 1) > SNN_MAX_DELAY_INDEX_BYTES / sizeof(uint32_t) / npre) {
    snn_set_err(err, len,
                "projection '%s': its largest delay, %u steps (%g ms), needs a delay index of "
                "%.3g GiB for %llu presynaptic neurons (at most %g GiB)",
                pj->name, D, (double)D * m->dt * 1e3,
                (double)(2 * width - 1) * sizeof(uint32_t) * (double)npre / (1u << 30),
                (unsigned long long)npre, (double)SNN_MAX_DELAY_INDEX_BYTES / (1u << 30));
    return -1;
  }

  uint32_t *offsets = calloc((size_t)(npre ? npre * width : 1), sizeof *offsets);
  uint64_t *dest = malloc((size_t)(nsyn ? nsyn : 1) * sizeof *dest);
  uint32_t *max_delay = malloc(sizeof *max_delay);
  uint32_t *ring = calloc((size_t)(npre ? npre : 1) * (D + 1), sizeof *ring);
  uint32_t *ring_count = calloc((size_t)D + 3, sizeof *ring_count); /* + head, tail */
  if (!offsets || !dest || !max_delay || !ring || !ring_count) {
    free(offsets);
    free(dest);
    free(max_delay);
    free(ring);
    free(ring_count);
    goto too_big;
  }
  buffers[pj->delay_ptr_buffer] = offsets;
  buffers[pj->max_delay_buffer] = max_delay;
  buffers[pj->ring_buffer] = ring;
  buffers[pj->ring_count_buffer] = ring_count;
  *max_delay = D;

  /* A counting sort per row: count per delay, prefix-sum into offsets within the row, then give
   * each synapse (in its current, ascending-post order) the next place of its delay. */
  for (uint64_t r = 0; r < npre; r++) {
    uint32_t *off = offsets + r * width;
    for (uint64_t s = row_ptr[r]; s < row_ptr[r + 1]; s++) off[delay[s] + 1]++;
    for (uint64_t d = 1; d < width; d++) off[d] += off[d - 1];
    for (uint64_t s = row_ptr[r]; s < row_ptr[r + 1]; s++)
      dest[s] = row_ptr[r] + off[delay[s]]++;
    /* off[d] now holds the end of delay d, i.e. the start of d + 1: shift back. */
    for (uint64_t d = width - 1; d > 0; d--) off[d] = off[d - 1];
    off[0] = 0;
  }
  int failed = permute(&buffers[pj->col_buffer], nsyn, pj->col_bytes == 2 ? 2 : 4, dest);
  for (uint32_t v = 0; v < pj->num_vars && !failed; v++)
    failed = permute(&buffers[pj->vars[v].buffer], nsyn, snn_elem_size(m, pj->vars[v].kind), dest);
  free(dest);
  free(delay);
  buffers[pj->delay_buffer] = NULL; /* only `init` writes it, and it has run */
  if (failed) {
    snn_set_err(err, len, "out of memory sorting the synapses of projection '%s' by delay",
                pj->name);
    return -1;
  }
  return 0;

too_big:
  snn_set_err(err, len,
              "out of memory for the delay index of projection '%s': its largest delay is %u "
              "steps (%g ms) for %llu presynaptic neurons",
              pj->name, D, (double)D * m->dt * 1e3, (unsigned long long)npre);
  return -1;
}
