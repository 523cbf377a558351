/*
 * connectivity.c — builds each projection's CSR (row_ptr by presynaptic neuron, ascending absolute
 * post indices in col) from its rule. Bernoulli rows come out in row order and are built in one
 * pass into a col array sized for the expected count (grown if a realisation exceeds it, then
 * trimmed); the other rules are generated twice, once to count per row and once to fill, so col
 * is allocated exactly once at its final size (the counter-based RNG makes the second pass
 * reproduce the first for free). With post_index = 1 the CSR is then also indexed by post
 * neuron (col_ptr, post_syn) for kernels that visit the synapses of a post neuron that spiked;
 * that happens after `init`, since per-synapse delays may reorder the rows (delays.c).
 *
 * Random numbers (see docs/runtime.md, "Connectivity"): projection j draws from stream
 * (1 << 32) | j. The counter index of a draw is (row << 32) | d, where
 *   bernoulli:       row = pre neuron relative to pre_begin, d = number of the gap draw in that row;
 *   fixed_indegree:  row = post neuron relative to post_begin, d = number of the Floyd step (0..k-1);
 *   fixed_outdegree: row = pre neuron relative to pre_begin, d = number of the Floyd step (0..k-1).
 * A connection list (SNN_FROM_LIST) draws nothing: its CSR is copied as snnc compiled it.
 * A projection with a pair test (pj->pairs: a probability or condition of i, j and positions)
 * asks it which candidates of each row pass; the test's own draws are keyed on the pair, in a
 * stream of the model's, and fixed_indegree / fixed_outdegree then pick their k partners among
 * those that passed with the draws above (row, d), counted over that list.
 * fixed_total_number draws a Bernoulli set as bernoulli does, from stream CONN_STREAM(j) |
 * (a + 1) << 24 for its attempt a, and the positions it drops from stream CONN_STREAM(j) |
 * 0xff << 24 (plan_total).
 * The network thus depends only on (seed, j, the projection's own fields), never on other
 * projections, on evaluation order or on thread count. A row draws at most 2^32 numbers since
 * ranges are below 2^32 neurons, so the (row, d) pairs never collide.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#define CONN_STREAM(j) ((UINT64_C(1) << 32) | (uint64_t)(j))

/* fixed_total_number: a Bernoulli(p) set S of the eligible pairs, drawn until |S| >= total,
 * thinned by dropping the |S| - total entries at the sorted positions `drop` (a uniform subset of
 * positions in S's row-major order). Given |S|, S's members are exchangeable, so the survivors
 * are a uniform total-subset of the eligible pairs. `pos` and `at` walk S and `drop`. */
typedef struct thinning {
  uint64_t stream;
  double p;
  const uint64_t *drop;
  uint64_t ndrop, at, pos;
} thinning;

typedef struct builder {
  uint64_t *row_ptr; /* count pass: row_ptr[row + 1] counts; fill pass: row_ptr[row] is the cursor */
  uint32_t *col;     /* NULL during the count pass */
  /* One-pass building (rows in order): col grows as needed; row_ptr[row + 1] is set by the
   * generator at the end of each row. `n` synapses so far, `cap` allocated, `failed` on OOM. */
  int append;
  uint64_t n, cap;
  int failed;
  thinning *thin; /* fixed_total_number only */
  uint32_t keep_lo, keep_hi; /* only synapses onto [keep_lo, keep_hi) are kept (an MPI rank's) */
  /* A pair test: room for one row's or column's candidates that pass, and the first neuron
   * found with fewer than k of them (fixed in- or out-degree), which ends the build. */
  uint32_t *passed;
  int short_of_k;
  uint32_t short_neuron, short_count;
} builder;

static inline void emit(builder *b, uint32_t row, uint32_t post) {
  if (post < b->keep_lo || post >= b->keep_hi) return;
  if (b->append) {
    if (b->n == b->cap) {
      uint64_t cap = b->cap + b->cap / 2 + 1024;
      uint32_t *col = cap <= SIZE_MAX / sizeof *col ? realloc(b->col, (size_t)cap * sizeof *col)
                                                     : NULL;
      if (!col) {
        b->failed = 1;
        return;
      }
      b->col = col;
      b->cap = cap;
    }
    b->col[b->n++] = post;
  } else if (b->col) {
    b->col[b->row_ptr[row]++] = post;
  } else {
    b->row_ptr[row + 1]++;
  }
}

/* Whether the pair (pre absolute a, post absolute c) is a forbidden self-connection. */
static inline int is_self(const snn_projection_desc *pj, uint32_t a, uint32_t c) {
  return pj->pre == pj->post && !pj->autapses && a == c;
}

static void gen_all_to_all(const snn_projection_desc *pj, builder *b) {
  if (!b->col) {
    /* Counting needs no enumeration: every row has all posts, less itself when excluded. This
     * keeps a huge dense projection from spending minutes counting before it fails to allocate. */
    const uint32_t lo = pj->post_begin > b->keep_lo ? pj->post_begin : b->keep_lo;
    const uint32_t hi = pj->post_end < b->keep_hi ? pj->post_end : b->keep_hi;
    for (uint32_t a = pj->pre_begin; a < pj->pre_end && lo < hi; a++) {
      uint64_t n = hi - lo;
      if (pj->pre == pj->post && !pj->autapses && a >= lo && a < hi) n--;
      b->row_ptr[a - pj->pre_begin + 1] += n;
    }
    return;
  }
  for (uint32_t a = pj->pre_begin; a < pj->pre_end; a++)
    for (uint32_t c = pj->post_begin; c < pj->post_end; c++)
      if (!is_self(pj, a, c)) emit(b, a - pj->pre_begin, c);
}

static void gen_one_to_one(const snn_projection_desc *pj, builder *b) {
  for (uint32_t r = 0; r < pj->pre_end - pj->pre_begin; r++)
    if (!is_self(pj, pj->pre_begin + r, pj->post_begin + r)) emit(b, r, pj->post_begin + r);
}

/* Each pair independently with probability p: walk each row by geometrically distributed gaps
 * (number of failures before the next success), so the cost is O(synapses), not O(pairs). A
 * forbidden self-pair still consumes its draw, so excluding autapses does not shift the others. */
/* With b->thin set, a pair becomes a synapse only if its position among the pairs drawn is not
 * one to drop; with b == NULL the pairs are only counted (into t->pos). */
static inline void emit_thinned(builder *b, thinning *t, uint32_t row, uint32_t post) {
  if (t) {
    uint64_t pos = t->pos++;
    if (t->at < t->ndrop && t->drop[t->at] == pos) {
      t->at++;
      return;
    }
  }
  if (b) emit(b, row, post);
}

static void gen_pairs(const snn_projection_desc *pj, double p, uint64_t stream, uint64_t seed,
                      builder *b, thinning *t);

static void gen_bernoulli(const snn_projection_desc *pj, uint32_t j, uint64_t seed, builder *b) {
  gen_pairs(pj, pj->p, CONN_STREAM(j), seed, b, NULL);
}

static void gen_pairs(const snn_projection_desc *pj, double p, uint64_t stream, uint64_t seed,
                      builder *b, thinning *t) {
  const uint32_t npre = pj->pre_end - pj->pre_begin, npost = pj->post_end - pj->post_begin;
  if (p <= 0.0 || npost == 0) return;
  if (p >= 1.0) { /* exact: log1p(-1) = -inf would make every gap 0 anyway, but say it */
    if (!t) {
      gen_all_to_all(pj, b);
      return;
    }
    for (uint32_t a = pj->pre_begin; a < pj->pre_end; a++)
      for (uint32_t c = pj->post_begin; c < pj->post_end; c++)
        if (!is_self(pj, a, c)) emit_thinned(b, t, a - pj->pre_begin, c);
    return;
  }
  const double log_q = log1p(-p); /* < 0 */
  for (uint32_t r = 0; r < npre; r++) {
    const uint32_t a = pj->pre_begin + r;
    uint64_t next = 0; /* first candidate post (relative) not yet decided */
    for (uint64_t d = 0;; d++) {
      double u = snn_rng_uniform(seed, stream, ((uint64_t)r << 32) | d);
      double gap = floor(log(u) / log_q); /* >= 0; may be huge for tiny p */
      if (gap >= (double)(npost - next)) break;
      uint64_t pos = next + (uint64_t)gap;
      uint32_t c = pj->post_begin + (uint32_t)pos;
      if (!is_self(pj, a, c)) emit_thinned(b, t, r, c);
      next = pos + 1;
      if (next >= npost) break;
    }
    if (b && b->append) b->row_ptr[r + 1] = b->n;
  }
}

uint64_t snn_eligible_pairs(const snn_projection_desc *pj) {
  uint64_t pairs = (uint64_t)(pj->pre_end - pj->pre_begin) * (pj->post_end - pj->post_begin);
  if (pj->pre == pj->post && !pj->autapses) {
    uint32_t lo = pj->pre_begin > pj->post_begin ? pj->pre_begin : pj->post_begin;
    uint32_t hi = pj->pre_end < pj->post_end ? pj->pre_end : pj->post_end;
    if (hi > lo) pairs -= hi - lo;
  }
  return pairs;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* The streams of fixed_total_number: still connectivity streams (high word 1, which no other
 * draw uses), told apart by bits 24..31 of the low word (projections are fewer than 2^24):
 * attempt a draws its Bernoulli set from TOTAL_STREAM(j, a + 1), the drops come from
 * TOTAL_STREAM(j, 0xff). */
#define TOTAL_STREAM(j, tag) (CONN_STREAM(j) | ((uint64_t)(tag) << 24))
#define TOTAL_ATTEMPTS 8

/* Plans a fixed_total_number projection (see `thinning`) and counts its rows: attempt
 * a = 0, 1, ... draws S from TOTAL_STREAM(j, a + 1) with p = (total + 6 sqrt(total) + 16) /
 * eligible (1 at most; 1 in the last attempt, which then holds every eligible pair), counting
 * each row's members into row_ptr[row + 1], until |S| >= total; the |S| - total positions to
 * drop are then a uniform subset of [0, |S|) by Floyd's algorithm, the d-th draw at counter
 * index d of TOTAL_STREAM(j, 0xff), sorted, and taken off their rows' counts. So the drawing
 * pass that found |S| is also the counting pass. Returns 0, or -1 on OOM. */
static int plan_total(const snn_projection_desc *pj, uint32_t j, uint64_t seed, thinning *t,
                      uint64_t *row_ptr) {
  const uint64_t n = pj->total, m = snn_eligible_pairs(pj), npre = pj->pre_end - pj->pre_begin;
  double p = ((double)n + 6.0 * sqrt((double)n) + 16.0) / (double)(m ? m : 1);
  if (p > 1.0) p = 1.0;
  uint64_t size = 0;
  for (uint64_t a = 0;; a++) {
    if (a == TOTAL_ATTEMPTS - 1) p = 1.0; /* every eligible pair: at least total (validated) */
    thinning count = {TOTAL_STREAM(j, a + 1), p, NULL, 0, 0, 0};
    builder rows = {row_ptr, NULL, 0, 0, 0, 0, NULL, 0, UINT32_MAX, NULL, 0, 0, 0};
    for (uint64_t r = 0; r <= npre; r++) row_ptr[r] = 0;
    gen_pairs(pj, p, count.stream, seed, &rows, &count);
    size = count.pos;
    t->stream = count.stream;
    if (size >= n || a == TOTAL_ATTEMPTS - 1) break;
  }
  if (size < n) return -1; /* cannot happen for a validated projection */
  t->p = p;
  const uint64_t r = size - n;
  uint64_t *drop = malloc((size_t)(r ? r : 1) * sizeof *drop);
  /* Floyd's algorithm over [0, size): a hash set of the picks (open addressing, load <= 1/2). */
  uint64_t cap = 2;
  while (cap < 2 * r + 2) cap <<= 1;
  uint64_t *set = malloc((size_t)cap * sizeof *set);
  if (!drop || !set) {
    free(drop);
    free(set);
    return -1;
  }
  for (uint64_t k = 0; k < cap; k++) set[k] = UINT64_MAX;
  const uint64_t stream = TOTAL_STREAM(j, 0xff);
  for (uint64_t d = 0; d < r; d++) {
    const uint64_t top = size - r + d; /* pick x uniformly in [0, top] */
    uint64_t x = (uint64_t)(snn_rng_uniform(seed, stream, d) * ((double)top + 1.0));
    if (x > top) x = top;
    for (int pass = 0; pass < 2; pass++) {
      uint64_t h = (x * UINT64_C(0x9e3779b97f4a7c15)) & (cap - 1);
      while (set[h] != UINT64_MAX && set[h] != x) h = (h + 1) & (cap - 1);
      if (set[h] == UINT64_MAX) {
        set[h] = x;
        break;
      }
      x = top; /* taken: Floyd takes the top, which no earlier draw could reach */
    }
    drop[d] = x;
  }
  free(set);
  qsort(drop, (size_t)r, sizeof *drop, cmp_u64);
  t->drop = drop;
  t->ndrop = r;
  /* Each drop leaves the row holding its position (rows hold consecutive positions). */
  uint64_t row = 0, start = 0, members = npre ? row_ptr[1] : 0, taken = 0;
  for (uint64_t d = 0; d < r; d++) {
    while (drop[d] >= start + members) {
      row_ptr[row + 1] -= taken;
      start += members;
      row++;
      members = row_ptr[row + 1];
      taken = 0;
    }
    taken++;
  }
  if (npre) row_ptr[row + 1] -= taken;
  return 0;
}

/* A uniform k-subset of the candidates 0..n (one further up from `self_rel` on: a neuron that may
 * not pick itself), by Floyd's algorithm with exactly k draws, the d-th at counter (row << 32) | d
 * of `stream`; `mark` remembers the candidates this row took (stamped with row + 1, so it is never
 * cleared), `out` receives them in draw order. */
static void floyd_subset(uint64_t seed, uint64_t stream, uint32_t row, uint32_t k, uint32_t n,
                         uint32_t self_rel, uint32_t *mark, uint32_t *out) {
  const uint32_t stamp = row + 1;
  for (uint32_t d = 0; d < k; d++) {
    const uint32_t top = n - k + d; /* pick t uniformly in [0, top] */
    double u = snn_rng_uniform(seed, stream, ((uint64_t)row << 32) | d);
    uint32_t t = (uint32_t)(u * ((double)top + 1.0));
    if (t > top) t = top; /* rounding guard */
    if (mark[t] == stamp) t = top;
    mark[t] = stamp;
    out[d] = t >= self_rel ? t + 1 : t;
  }
}

/* Each post neuron (fixed_indegree) or pre neuron (fixed_outdegree) gets exactly k distinct
 * partners, uniformly among the eligible ones on the other side (its range, minus the neuron
 * itself when autapses are off and it lies there; with a pair test, those that pass it: a
 * neuron with fewer than k ends the build). `mark` has one entry per candidate, `picked`
 * k. Out-degree rows are sorted before they are emitted, so that their columns ascend; in-degree
 * picks are emitted into the rows they name. */
static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static uint32_t passing(const snn_projection_desc *pj, uint64_t seed, builder *b, uint32_t by_post,
                        uint32_t a, uint32_t lo, uint32_t hi);

static void gen_fixed_degree(const snn_projection_desc *pj, uint32_t j, uint64_t seed, builder *b,
                             uint32_t *mark, uint32_t *picked) {
  const int in = pj->rule == SNN_FIXED_INDEGREE;
  const uint32_t k = pj->k;
  /* The chosen side's range (one neuron per row of draws) and the candidates' range. */
  const uint32_t self_begin = in ? pj->post_begin : pj->pre_begin;
  const uint32_t self_end = in ? pj->post_end : pj->pre_end;
  const uint32_t cand_begin = in ? pj->pre_begin : pj->post_begin;
  const uint32_t cand_end = in ? pj->pre_end : pj->post_end;
  if (k == 0) return;
  for (uint32_t r = 0; r < self_end - self_begin; r++) {
    const uint32_t a = self_begin + r;
    if (in && (a < b->keep_lo || a >= b->keep_hi)) continue; /* another rank's post neuron */
    /* The candidates: the range (less the neuron itself, skipped by Floyd's algorithm), or
     * with a pair test the list of those that pass (b->passed, ascending). */
    uint32_t n, skip = UINT32_MAX;
    if (pj->pairs) {
      n = passing(pj, seed, b, in ? 1 : 0, a, cand_begin, cand_end);
      if (n < k) {
        b->short_of_k = 1;
        b->short_neuron = a;
        b->short_count = n;
        return;
      }
    } else {
      int self = pj->pre == pj->post && !pj->autapses && a >= cand_begin && a < cand_end;
      n = cand_end - cand_begin - (self ? 1u : 0u);
      skip = self ? a - cand_begin : UINT32_MAX;
    }
    floyd_subset(seed, CONN_STREAM(j), r, k, n, skip, mark, picked);
    if (!in) qsort(picked, k, sizeof *picked, cmp_u32); /* ascending candidates, so posts */
    for (uint32_t d = 0; d < k; d++) {
      const uint32_t c = pj->pairs ? b->passed[picked[d]] : cand_begin + picked[d];
      if (in) emit(b, c - pj->pre_begin, a);
      else emit(b, r, c);
    }
  }
}

/* The candidates of pre neuron a (by_post = 0) or post neuron a (by_post = 1) among [lo, hi) that
 * pass the projection's pair test, ascending in b->passed, less a forbidden self-connection. */
static uint32_t passing(const snn_projection_desc *pj, uint64_t seed, builder *b, uint32_t by_post,
                        uint32_t a, uint32_t lo, uint32_t hi) {
  if (lo >= hi) return 0;
  uint32_t n = pj->pairs(seed, by_post, a, lo, hi, b->passed), m = 0;
  for (uint32_t x = 0; x < n; x++) {
    uint32_t c = b->passed[x];
    if (!(by_post ? is_self(pj, c, a) : is_self(pj, a, c))) b->passed[m++] = c;
  }
  return m;
}

/* all_to_all, one_to_one and bernoulli with a pair test: each row's posts that pass, in one pass
 * (rows in order, appended); only the rank's own posts are tested. */
static void gen_tested_rows(const snn_projection_desc *pj, uint64_t seed, builder *b) {
  for (uint32_t r = 0; r < pj->pre_end - pj->pre_begin; r++) {
    const uint32_t a = pj->pre_begin + r;
    uint32_t lo = pj->post_begin > b->keep_lo ? pj->post_begin : b->keep_lo;
    uint32_t hi = pj->post_end < b->keep_hi ? pj->post_end : b->keep_hi;
    if (pj->rule == SNN_ONE_TO_ONE) { /* the one candidate, if it is the rank's */
      const uint32_t c = pj->post_begin + r;
      if (c < lo || c >= hi) lo = hi;
      else lo = c, hi = c + 1;
    }
    uint32_t n = passing(pj, seed, b, 0, a, lo, hi);
    for (uint32_t x = 0; x < n; x++) emit(b, r, b->passed[x]);
    b->row_ptr[r + 1] = b->n;
    if (b->failed) return;
  }
}

/* The synapses snnc read from a file, as given (validated: rows ascending, columns in range). */
static void gen_list(const snn_projection_desc *pj, builder *b) {
  for (uint32_t r = 0; r < pj->pre_end - pj->pre_begin; r++)
    for (uint64_t s = pj->list_row_ptr[r]; s < pj->list_row_ptr[r + 1]; s++) emit(b, r, pj->list_col[s]);
}

/* The output cells [*lo, *hi] along one axis that input coordinate x reaches through a kernel of
 * n cells: those o with 0 <= x + padding - o * stride < n, within [0, out). Empty: *lo > *hi. */
static void conv_reach(int64_t x, const snn_conv_desc *g, uint32_t n, uint32_t out, int64_t *lo,
                       int64_t *hi) {
  const int64_t s = g->stride, top = x + g->padding, bottom = top - (int64_t)n + 1;
  *lo = bottom <= 0 ? 0 : (bottom + s - 1) / s; /* ceil(bottom / s), at least 0 */
  *hi = top < 0 ? -1 : top / s;
  if (*hi > (int64_t)out - 1) *hi = (int64_t)out - 1;
}

/* conv2d: each input neuron's outputs, every output channel at every cell its kernel reaches
 * (ascending: channel, then row, then column). */
static void gen_conv2d(const snn_projection_desc *pj, builder *b) {
  const snn_conv_desc *g = &pj->conv;
  for (uint32_t r = 0; r < pj->pre_end - pj->pre_begin; r++) {
    const int64_t x = r % g->in_w, y = (r / g->in_w) % g->in_h;
    int64_t y0, y1, x0, x1;
    conv_reach(y, g, g->k_h, g->out_h, &y0, &y1);
    conv_reach(x, g, g->k_w, g->out_w, &x0, &x1);
    for (uint32_t o = 0; o < g->out_c; o++)
      for (int64_t oy = y0; oy <= y1; oy++)
        for (int64_t ox = x0; ox <= x1; ox++)
          emit(b, r, pj->post_begin + (uint32_t)(((uint64_t)o * g->out_h + (uint64_t)oy) * g->out_w +
                                                 (uint64_t)ox));
  }
}

uint64_t snn_conv_synapses(const snn_conv_desc *g) {
  uint64_t ys = 0, xs = 0;
  int64_t lo, hi;
  for (uint32_t y = 0; y < g->in_h; y++) {
    conv_reach(y, g, g->k_h, g->out_h, &lo, &hi);
    ys += hi >= lo ? (uint64_t)(hi - lo + 1) : 0;
  }
  for (uint32_t x = 0; x < g->in_w; x++) {
    conv_reach(x, g, g->k_w, g->out_w, &lo, &hi);
    xs += hi >= lo ? (uint64_t)(hi - lo + 1) : 0;
  }
  return (uint64_t)g->in_c * g->out_c * ys * xs;
}

static void generate(const snn_projection_desc *pj, uint32_t j, uint64_t seed, builder *b,
                     uint32_t *mark, uint32_t *picked) {
  switch (pj->rule) { /* with a pair test only fixed in- or out-degree: the others take one pass */
  case SNN_ALL_TO_ALL: gen_all_to_all(pj, b); break;
  case SNN_ONE_TO_ONE: gen_one_to_one(pj, b); break;
  case SNN_BERNOULLI: gen_bernoulli(pj, j, seed, b); break;
  case SNN_FIXED_INDEGREE:
  case SNN_FIXED_OUTDEGREE: gen_fixed_degree(pj, j, seed, b, mark, picked); break;
  case SNN_FROM_LIST: gen_list(pj, b); break;
  case SNN_CONV2D: gen_conv2d(pj, b); break;
  case SNN_FIXED_TOTAL:
    b->thin->at = b->thin->pos = 0;
    gen_pairs(pj, b->thin->p, b->thin->stream, seed, b, b->thin);
    break;
  default: break; /* rejected by validation */
  }
}

static int post_index_too_big(const snn_projection_desc *pj, uint64_t nsyn, char *err,
                              size_t len) {
  snn_set_err(err, len,
              "projection '%s' has %llu synapses, but its by-post index (post_index = 1) stores "
              "synapse numbers as uint32 and needs fewer than 2^32",
              pj->name, (unsigned long long)nsyn);
  return -1;
}

int snn_check_post_index_sizes(const snn_model_desc *m, char *err, size_t len) {
  for (uint32_t j = 0; j < m->num_projections; j++) {
    const snn_projection_desc *pj = &m->projections[j];
    uint64_t npre = pj->pre_end - pj->pre_begin, npost = pj->post_end - pj->post_begin, n;
    if (!pj->post_index) continue;
    if (pj->rule == SNN_ALL_TO_ALL) n = npre * npost;
    else if (pj->rule == SNN_FIXED_INDEGREE) n = (uint64_t)pj->k * npost;
    else if (pj->rule == SNN_FIXED_OUTDEGREE) n = (uint64_t)pj->k * npre;
    else if (pj->rule == SNN_FROM_LIST) n = pj->list_row_ptr[npre];
    else if (pj->rule == SNN_FIXED_TOTAL) n = pj->total;
    else continue; /* one-to-one stays below 2^32; Bernoulli's count is known once drawn */
    if (n > UINT32_MAX) return post_index_too_big(pj, n, err, len);
  }
  return 0;
}

/* The by-post index of a built CSR (post_index = 1): col_ptr (uint64_t[npost + 1]), post_syn and
 * post_pre (uint32_t[nsyn]) such that post neuron post_begin + q owns the synapses
 * post_syn[col_ptr[q]] .. post_syn[col_ptr[q + 1] - 1], whose presynaptic neurons are the same
 * entries of post_pre. A counting sort over col: count per post, prefix-sum into starts, then
 * scatter the CSR positions s in ascending order, using col_ptr[q] as the cursor of q (after the
 * scatter it holds the end of q, i.e. the start of q + 1, so shifting by one restores the
 * starts). Since s only grows, each post neuron's list comes out ascending, i.e. by pre neuron.
 * The arrays are stored in the buffer table as soon as they exist, so on failure they are freed
 * with the sim. */
static int build_post_index(const snn_projection_desc *pj, void **buffers, uint64_t nsyn,
                            char *err, size_t len) {
  if (nsyn > UINT32_MAX) return post_index_too_big(pj, nsyn, err, len);
  const uint64_t npost = pj->post_end - pj->post_begin;
  const void *col = buffers[pj->col_buffer];
  uint64_t *col_ptr = calloc(npost + 1, sizeof *col_ptr);
  if (!col_ptr) goto oom;
  buffers[pj->col_ptr_buffer] = col_ptr;
  uint32_t *post_syn = malloc((size_t)(nsyn ? nsyn : 1) * sizeof *post_syn);
  if (!post_syn) goto oom;
  buffers[pj->post_syn_buffer] = post_syn;
  uint32_t *post_pre = malloc((size_t)(nsyn ? nsyn : 1) * sizeof *post_pre);
  if (!post_pre) goto oom;
  buffers[pj->post_pre_buffer] = post_pre;
  const uint64_t *row_ptr = buffers[pj->row_ptr_buffer];
  const uint64_t npre = pj->pre_end - pj->pre_begin;

  for (uint64_t s = 0; s < nsyn; s++) col_ptr[snn_col_at(pj, col, s) - pj->post_begin + 1]++;
  for (uint64_t q = 0; q < npost; q++) col_ptr[q + 1] += col_ptr[q];
  for (uint64_t r = 0; r < npre; r++)
    for (uint64_t s = row_ptr[r]; s < row_ptr[r + 1]; s++) {
      uint64_t at = col_ptr[snn_col_at(pj, col, s) - pj->post_begin]++;
      post_syn[at] = (uint32_t)s;
      post_pre[at] = (uint32_t)(pj->pre_begin + r);
    }
  for (uint64_t q = npost; q > 0; q--) col_ptr[q] = col_ptr[q - 1];
  col_ptr[0] = 0;
  return 0;

oom:
  snn_set_err(err, len, "out of memory building the by-post index of projection '%s' (%llu synapses)",
              pj->name, (unsigned long long)nsyn);
  return -1;
}

int snn_build_post_index(const snn_model_desc *m, uint32_t j, void **buffers, uint64_t nsyn,
                         char *err, size_t len) {
  const snn_projection_desc *pj = &m->projections[j];
  return pj->post_index ? build_post_index(pj, buffers, nsyn, err, len) : 0;
}

int snn_build_projection(const snn_model_desc *m, uint32_t j, uint64_t seed, uint32_t keep_lo,
                         uint32_t keep_hi, void **buffers, uint64_t *num_synapses, char *err,
                         size_t len) {
  const snn_projection_desc *pj = &m->projections[j];
  const uint64_t npre = pj->pre_end - pj->pre_begin, npre_alloc = npre ? npre : 1;
  const uint64_t npost = pj->post_end - pj->post_begin;
  uint64_t *row_ptr = calloc(npre + 1, sizeof *row_ptr);
  uint32_t *mark = NULL, *picked = NULL, *passed = NULL;
  uint64_t nmark = 0; /* Floyd's marks: one per candidate */
  if (!row_ptr) goto oom;
  if (pj->pairs) {
    passed = malloc((size_t)(npre > npost ? npre : npost ? npost : 1) * sizeof *passed);
    if (!passed) goto oom;
  }
  if (pj->rule == SNN_FIXED_INDEGREE || pj->rule == SNN_FIXED_OUTDEGREE) {
    nmark = pj->rule == SNN_FIXED_INDEGREE ? npre_alloc : pj->post_end - pj->post_begin + 1;
    picked = malloc((size_t)(pj->k ? pj->k : 1) * sizeof *picked);
    if (!picked) goto oom;
  }
  if (nmark) {
    mark = calloc(nmark, sizeof *mark);
    if (!mark) goto oom;
  }
  buffers[pj->row_ptr_buffer] = row_ptr;

  const int tested_rows =
      pj->pairs && pj->rule != SNN_FIXED_INDEGREE && pj->rule != SNN_FIXED_OUTDEGREE;
  if (tested_rows || (!pj->pairs && pj->rule == SNN_BERNOULLI && pj->p > 0.0 && pj->p < 1.0)) {
    /* One pass, rows in order, into a col that grows as needed (trimmed after): room for the
     * mean count plus 8 standard deviations (bernoulli), or 16 a row (a pair test). */
    double want = (double)npre * 16.0 + 1024.0;
    if (!tested_rows) {
      const uint32_t lo = pj->post_begin > keep_lo ? pj->post_begin : keep_lo;
      const uint32_t hi = pj->post_end < keep_hi ? pj->post_end : keep_hi;
      double pairs = (double)npre * (double)(hi > lo ? hi - lo : 0);
      double mean = pairs * pj->p, sd = sqrt(pairs * pj->p * (1.0 - pj->p));
      want = mean + 8.0 * sd + 1024.0;
    }
    builder b = {row_ptr, NULL, 1, 0, 0, 0, NULL, keep_lo, keep_hi, passed, 0, 0, 0};
    if (want < (double)(SIZE_MAX / sizeof(uint32_t))) {
      b.cap = (uint64_t)want;
      b.col = malloc((size_t)b.cap * sizeof *b.col);
    }
    if (!b.col) goto oom_syn;
    if (tested_rows)
      gen_tested_rows(pj, seed, &b);
    else
      gen_bernoulli(pj, j, seed, &b);
    free(passed);
    passed = NULL;
    if (b.failed || (pj->post_index && b.n > UINT32_MAX)) {
      free(b.col);
      if (b.failed) goto oom_syn;
      return post_index_too_big(pj, b.n, err, len);
    }
    uint32_t *col = realloc(b.col, (size_t)(b.n ? b.n : 1) * sizeof *col); /* trim */
    buffers[pj->col_buffer] = col ? col : b.col;
    *num_synapses = b.n;
    return 0;
  }

  /* Pass 1: count per row, then prefix-sum into row starts. */
  builder b = {row_ptr, NULL, 0, 0, 0, 0, NULL, keep_lo, keep_hi, passed, 0, 0, 0};
  thinning plan = {0, 0, NULL, 0, 0, 0};
  if (pj->rule == SNN_FIXED_TOTAL) {
    if (pj->post_index && pj->total > UINT32_MAX) {
      free(mark);
      free(picked);
      return post_index_too_big(pj, pj->total, err, len);
    }
    if (plan_total(pj, j, seed, &plan, row_ptr)) goto oom_syn; /* counts the rows too */
    b.thin = &plan;
    if (keep_lo > pj->post_begin || keep_hi < pj->post_end) {
      /* It counted every synapse of the rows: count the ones kept. */
      for (uint64_t r = 0; r <= npre; r++) row_ptr[r] = 0;
      generate(pj, j, seed, &b, mark, picked);
    }
  } else {
    generate(pj, j, seed, &b, mark, picked);
  }
  if (b.short_of_k) {
    const int in = pj->rule == SNN_FIXED_INDEGREE;
    snn_set_err(err, len,
                "projection '%s': %s k = %u, but %s neuron %u of '%s' has only %u %s "
                "candidates that meet the connection's condition",
                pj->name, in ? "fixed_indegree" : "fixed_outdegree", pj->k,
                in ? "postsynaptic" : "presynaptic", b.short_neuron,
                m->populations[in ? pj->post : pj->pre].name, b.short_count,
                in ? "presynaptic" : "postsynaptic");
    free(mark);
    free(picked);
    free(passed);
    return -1; /* row_ptr is freed with the sim */
  }
  for (uint64_t r = 0; r < npre; r++) row_ptr[r + 1] += row_ptr[r];
  const uint64_t nsyn = row_ptr[npre];
  if (pj->post_index && nsyn > UINT32_MAX) { /* fail before allocating col, not after */
    free(mark);
    free(picked);
    free((void *)plan.drop);
    return post_index_too_big(pj, nsyn, err, len); /* row_ptr is freed with the sim */
  }
  if (nsyn > SIZE_MAX / sizeof(uint32_t) - 1) goto oom_plan;
  uint32_t *col = malloc((size_t)(nsyn ? nsyn : 1) * sizeof *col);
  if (!col) goto oom_plan;
  buffers[pj->col_buffer] = col;

  /* Pass 2: fill, using row_ptr[r] as the cursor of row r; afterwards row_ptr[r] holds the end of
   * row r, i.e. the start of row r+1, so shifting by one restores the starts. Rows are filled in
   * ascending post order by every rule, so columns come out sorted. */
  if (mark)
    for (uint64_t i = 0; i < nmark; i++) mark[i] = 0;
  b.col = col;
  generate(pj, j, seed, &b, mark, picked);
  for (uint64_t r = npre; r > 0; r--) row_ptr[r] = row_ptr[r - 1];
  row_ptr[0] = 0;
  free(mark);
  free(picked);
  free(passed);
  free((void *)plan.drop);
  *num_synapses = nsyn;
  return 0;

oom_plan:
  free((void *)plan.drop);
oom_syn:
  free(mark);
  free(picked);
  free(passed);
  snn_set_err(err, len, "out of memory building projection '%s' (%llu synapses)", pj->name,
              (unsigned long long)row_ptr[npre]);
  return -1; /* row_ptr stays in the buffer table and is freed with the sim */
oom:
  free(row_ptr);
  free(mark);
  free(picked);
  free(passed);
  buffers[pj->row_ptr_buffer] = NULL;
  snn_set_err(err, len, "out of memory building projection '%s'", pj->name);
  return -1;
}
