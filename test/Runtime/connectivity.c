// Connectivity rules: exact counts for the deterministic rules, binomial bounds for bernoulli,
// exact in-degrees for fixed_indegree and out-degrees for fixed_outdegree, autapse exclusion, CSR
// well-formedness (rows strictly ascending), uniformity, determinism.
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t | FileCheck %s
#include "snn/runtime.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NA 300
#define NB 200

static void nop_init(void *const *b, uint64_t seed) { (void)b, (void)seed; }
static void nop_step(void *const *b, int64_t s, uint64_t seed) { (void)b, (void)s, (void)seed; }

/* Populations A (NA neurons, slots 0,1) and B (NB neurons, slots 2,3); projection j uses slots
 * 4+2j (row_ptr) and 5+2j (col). */
static const snn_population_desc pops[] = {{"A", NA, 0, NULL, 0, 1}, {"B", NB, 0, NULL, 2, 3}};

enum { A = 0, B = 1 };
#define PROJ(name, pre, post, pb, pe, qb, qe, rule, aut, p, k, j) \
  {name, pre, post, pb, pe, qb, qe, rule, aut, p, k, 4 + 2 * (j), 5 + 2 * (j)}

/* A connection list (what snnc compiles from_file into): A[2:6] -> B[10:20], rows as given,
 * an empty row included. */
static const uint64_t list_rows[] = {0, 2, 2, 3, 5};
static const uint32_t list_cols[] = {10, 19, 12, 11, 15};

static const snn_projection_desc projs[] = {
    PROJ("ata", A, B, 0, NA, 0, NB, SNN_ALL_TO_ALL, 0, 0, 0, 0),
    PROJ("ata_self", A, A, 0, NA, 0, NA, SNN_ALL_TO_ALL, 0, 0, 0, 1),
    PROJ("oto", A, B, 10, 110, 50, 150, SNN_ONE_TO_ONE, 0, 0, 0, 2),
    PROJ("oto_self", A, A, 0, 100, 0, 100, SNN_ONE_TO_ONE, 0, 0, 0, 3),
    PROJ("oto_self_aut", A, A, 0, 100, 0, 100, SNN_ONE_TO_ONE, 1, 0, 0, 4),
    PROJ("bern", A, B, 0, NA, 0, NB, SNN_BERNOULLI, 0, 0.1, 0, 5),
    PROJ("bern_self", A, A, 0, NA, 0, NA, SNN_BERNOULLI, 0, 0.2, 0, 6),
    PROJ("bern0", A, B, 0, NA, 0, NB, SNN_BERNOULLI, 0, 0.0, 0, 7),
    PROJ("bern1_self", A, A, 0, NA, 0, NA, SNN_BERNOULLI, 0, 1.0, 0, 8),
    PROJ("fin", A, B, 0, NA, 0, NB, SNN_FIXED_INDEGREE, 0, 0, 17, 9),
    PROJ("fin_full", A, A, 0, NA, 0, NA, SNN_FIXED_INDEGREE, 0, 0, NA - 1, 10),
    PROJ("fin_part", A, A, 0, 50, 25, 75, SNN_FIXED_INDEGREE, 0, 0, 49, 11),
    PROJ("fout", A, B, 0, NA, 0, NB, SNN_FIXED_OUTDEGREE, 0, 0, 13, 12),
    PROJ("fout_full", A, A, 0, NA, 0, NA, SNN_FIXED_OUTDEGREE, 0, 0, NA - 1, 13),
    PROJ("fout_part", A, A, 25, 75, 0, 50, SNN_FIXED_OUTDEGREE, 0, 0, 49, 14),
    {.name = "list", .pre = A, .post = B, .pre_begin = 2, .pre_end = 6, .post_begin = 10,
     .post_end = 20, .rule = SNN_FROM_LIST, .row_ptr_buffer = 4 + 2 * 15, .col_buffer = 5 + 2 * 15,
     .list_row_ptr = list_rows, .list_col = list_cols},
    /* fixed_total_number: a sparse one, one that leaves only 7 pairs out (p = 1, then thinned),
     * and an overlapping self-projection without autapses. */
#define TOTAL(nm, from, to, pb, pe, qb, qe, n, j)                                                 \
  {.name = nm, .pre = from, .post = to, .pre_begin = pb, .pre_end = pe, .post_begin = qb,         \
   .post_end = qe, .rule = SNN_FIXED_TOTAL, .row_ptr_buffer = 4 + 2 * (j),                         \
   .col_buffer = 5 + 2 * (j), .total = n}
    TOTAL("ftot", A, B, 0, NA, 0, NB, 6000, 16),
    TOTAL("ftot_full", A, A, 0, NA, 0, NA, (uint64_t)NA * (NA - 1) - 7, 17),
    TOTAL("ftot_part", A, A, 25, 75, 0, 50, 1000, 18),
};
#define NPROJ (sizeof projs / sizeof projs[0])

static const snn_model_desc model = {SNN_ABI_VERSION, "conn", 8, 1e-4, 0.1, 1,
                                     2, pops, NPROJ, projs, 0, NULL, 4 + 2 * NPROJ,
                                     nop_init, nop_step};

static const uint64_t *row_ptr(const snn_sim *s, uint32_t j) { return snn_sim_buffer(s, projs[j].row_ptr_buffer); }
static const uint32_t *col(const snn_sim *s, uint32_t j) { return snn_sim_buffer(s, projs[j].col_buffer); }

/* row_ptr starts at 0, is non-decreasing and ends at the synapse count; every column lies in the
 * post range and rows are strictly ascending (so no pair appears twice). */
static int csr_ok(const snn_sim *s, uint32_t j) {
  const snn_projection_desc *p = &projs[j];
  const uint64_t *rp = row_ptr(s, j);
  const uint32_t *c = col(s, j);
  uint32_t npre = p->pre_end - p->pre_begin;
  if (rp[0] != 0 || rp[npre] != snn_sim_num_synapses(s, j)) return 0;
  for (uint32_t r = 0; r < npre; r++) {
    if (rp[r + 1] < rp[r]) return 0;
    for (uint64_t e = rp[r]; e < rp[r + 1]; e++) {
      if (c[e] < p->post_begin || c[e] >= p->post_end) return 0;
      if (e > rp[r] && c[e] <= c[e - 1]) return 0;
    }
  }
  return 1;
}

/* Number of synapses (pre absolute a, post absolute a): self-connections. */
static uint64_t diagonal(const snn_sim *s, uint32_t j) {
  const snn_projection_desc *p = &projs[j];
  const uint64_t *rp = row_ptr(s, j);
  const uint32_t *c = col(s, j);
  uint64_t n = 0;
  for (uint32_t r = 0; r < p->pre_end - p->pre_begin; r++)
    for (uint64_t e = rp[r]; e < rp[r + 1]; e++) n += c[e] == p->pre_begin + r;
  return n;
}

static int same_csr(const snn_sim *x, const snn_sim *y, uint32_t j) {
  uint64_t n = snn_sim_num_synapses(x, j);
  uint32_t npre = projs[j].pre_end - projs[j].pre_begin;
  return n == snn_sim_num_synapses(y, j) &&
         !memcmp(row_ptr(x, j), row_ptr(y, j), (npre + 1) * sizeof(uint64_t)) &&
         !memcmp(col(x, j), col(y, j), n * sizeof(uint32_t));
}

static const char *ok(int c) { return c ? "ok" : "FAIL"; }

/* |n - N p| < 5 sqrt(N p (1-p)) for a Binomial(N, p) count n. */
static int binomial_ok(uint64_t n, double pairs, double p) {
  return fabs((double)n - pairs * p) < 5 * sqrt(pairs * p * (1 - p));
}

int main(void) {
  char err[256];
  snn_sim *s = snn_sim_create(&model, 1234, err, sizeof err);
  if (!s) {
    printf("create failed: %s\n", err);
    return 1;
  }
  int all_csr = 1;
  for (uint32_t j = 0; j < NPROJ; j++) all_csr &= csr_ok(s, j);
  // CHECK: csr ok
  printf("csr %s\n", ok(all_csr));

  // all_to_all: NA * NB pairs; with autapses off inside one population NA * (NA - 1), no diagonal.
  // CHECK: all_to_all ok
  printf("all_to_all %s\n", ok(snn_sim_num_synapses(s, 0) == (uint64_t)NA * NB));
  // CHECK: all_to_all self ok
  printf("all_to_all self %s\n",
         ok(snn_sim_num_synapses(s, 1) == (uint64_t)NA * (NA - 1) && diagonal(s, 1) == 0));

  // one_to_one: pre 10+r -> post 50+r for r < 100.
  int oto = snn_sim_num_synapses(s, 2) == 100;
  for (uint32_t r = 0; oto && r < 100; r++)
    oto = row_ptr(s, 2)[r] == r && col(s, 2)[r] == 50 + r;
  // CHECK: one_to_one ok
  printf("one_to_one %s\n", ok(oto));
  // Same population, same indices: every pair is an autapse; excluded unless allowed.
  // CHECK: one_to_one self ok
  printf("one_to_one self %s\n",
         ok(snn_sim_num_synapses(s, 3) == 0 && snn_sim_num_synapses(s, 4) == 100 && diagonal(s, 4) == 100));

  // bernoulli: Binomial(pairs, p) count within 5 sigma; the diagonal is excluded exactly.
  // CHECK: bernoulli ok
  printf("bernoulli %s\n", ok(binomial_ok(snn_sim_num_synapses(s, 5), (double)NA * NB, 0.1)));
  // CHECK: bernoulli self ok
  printf("bernoulli self %s\n",
         ok(binomial_ok(snn_sim_num_synapses(s, 6), (double)NA * (NA - 1), 0.2) && diagonal(s, 6) == 0));
  // p = 0 gives nothing, p = 1 everything but the diagonal.
  // CHECK: bernoulli edges ok
  printf("bernoulli edges %s\n",
         ok(snn_sim_num_synapses(s, 7) == 0 && snn_sim_num_synapses(s, 8) == (uint64_t)NA * (NA - 1) &&
            diagonal(s, 8) == 0));

  // fixed_indegree: every post neuron has exactly k distinct pres (distinctness follows from
  // strictly ascending rows, checked by csr_ok).
  int fin = 1;
  for (uint32_t j = 9; j <= 11; j++) {
    const snn_projection_desc *p = &projs[j];
    uint64_t *indeg = calloc(p->post_end, sizeof *indeg);
    const uint64_t *rp = row_ptr(s, j);
    for (uint32_t r = 0; r < p->pre_end - p->pre_begin; r++)
      for (uint64_t e = rp[r]; e < rp[r + 1]; e++) indeg[col(s, j)[e]]++;
    for (uint32_t c = p->post_begin; c < p->post_end; c++) fin &= indeg[c] == p->k;
    fin &= snn_sim_num_synapses(s, j) == (uint64_t)(p->post_end - p->post_begin) * p->k;
    if (j > 9) fin &= diagonal(s, j) == 0;
    free(indeg);
  }
  // CHECK: fixed_indegree ok
  printf("fixed_indegree %s\n", ok(fin));
  // Uniformity: the out-degree of each of the NA pres of "fin" is Binomial(NB, 17 / NA) (posts
  // choose independently). Pearson's statistic against the mean is then about chi-square with
  // NA - 1 = 299 degrees of freedom scaled by (1 - 17 / NA) < 1: mean <= 299, sd <= sqrt(2 * 299)
  // = 24.5, so 299 + 5 sd = 421 is a safe upper bound.
  {
    double expect = (double)NB * 17 / NA, chi2 = 0;
    for (uint32_t r = 0; r < NA; r++) {
      double d = (double)(row_ptr(s, 9)[r + 1] - row_ptr(s, 9)[r]) - expect;
      chi2 += d * d / expect;
    }
    // CHECK: fixed_indegree uniform ok
    printf("fixed_indegree uniform %s (chi2 %.1f)\n", ok(chi2 < 299 + 5 * sqrt(2.0 * 299)), chi2);
  }

  // fixed_outdegree: every pre neuron has exactly k distinct posts (rows strictly ascending, by
  // csr_ok), never itself without autapses; the full and the overlapping partial ones leave no
  // choice but every other neuron.
  int fout = 1;
  for (uint32_t j = 12; j <= 14; j++) {
    const snn_projection_desc *p = &projs[j];
    const uint64_t *rp = row_ptr(s, j);
    fout &= csr_ok(s, j);
    for (uint32_t r = 0; r < p->pre_end - p->pre_begin; r++) fout &= rp[r + 1] - rp[r] == p->k;
    if (j > 12) fout &= diagonal(s, j) == 0;
  }
  // CHECK: fixed_outdegree ok
  printf("fixed_outdegree %s\n", ok(fout));
  // Uniformity: the in-degree of each of the NB posts of "fout" is Binomial(NA, 13 / NB); as for
  // fixed_indegree, Pearson's statistic is at most chi-square with NB - 1 = 199 degrees of
  // freedom, below 199 + 5 sqrt(2 * 199) = 299 but for a broken draw.
  {
    double expect = (double)NA * 13 / NB, chi2 = 0;
    uint64_t indeg[NB] = {0};
    for (uint64_t e = 0; e < snn_sim_num_synapses(s, 12); e++) indeg[col(s, 12)[e]]++;
    for (uint32_t c = 0; c < NB; c++) chi2 += (indeg[c] - expect) * (indeg[c] - expect) / expect;
    // CHECK: fixed_outdegree uniform ok
    printf("fixed_outdegree uniform %s (chi2 %.1f)\n", ok(chi2 < 199 + 5 * sqrt(2.0 * 199)), chi2);
  }

  // A list is copied as given: the same rows and columns, whatever the seed.
  {
    const uint64_t *rp = row_ptr(s, 15);
    const uint32_t *c = col(s, 15);
    int same = csr_ok(s, 15) && snn_sim_num_synapses(s, 15) == 5;
    for (int r = 0; r < 5; r++) same &= rp[r] == list_rows[r];
    for (int e = 0; same && e < 5; e++) same &= c[e] == list_cols[e];
    // CHECK: from list ok
    printf("from list %s\n", ok(same));
  }

  // fixed_total_number: exactly n synapses, distinct (rows strictly ascending, by csr_ok), never
  // a self-pair without autapses. Uniformity: each of the n draws is a pair of the NA x NB grid,
  // so the NA row counts and the NB column counts of "ftot" are multivariate hypergeometric,
  // whose Pearson statistics are at most chi-square with NA - 1 and NB - 1 degrees of freedom
  // (hypergeometric variances are below the multinomial ones), below df + 5 sqrt(2 df).
  {
    int tot = 1;
    for (uint32_t j = 16; j <= 18; j++) tot &= csr_ok(s, j) && snn_sim_num_synapses(s, j) == projs[j].total;
    tot &= diagonal(s, 17) == 0 && diagonal(s, 18) == 0;
    // CHECK: fixed_total_number ok
    printf("fixed_total_number %s\n", ok(tot));
    double er = 6000.0 / NA, ec = 6000.0 / NB, chi_r = 0, chi_c = 0;
    uint64_t cols[NB] = {0};
    const uint64_t *rp = row_ptr(s, 16);
    for (uint32_t r = 0; r < NA; r++) {
      double d = (double)(rp[r + 1] - rp[r]) - er;
      chi_r += d * d / er;
    }
    for (uint64_t e = 0; e < snn_sim_num_synapses(s, 16); e++) cols[col(s, 16)[e]]++;
    for (uint32_t c = 0; c < NB; c++) chi_c += (cols[c] - ec) * (cols[c] - ec) / ec;
    // CHECK: fixed_total_number uniform ok
    printf("fixed_total_number uniform %s (chi2 rows %.1f, columns %.1f)\n",
           ok(chi_r < 299 + 5 * sqrt(2.0 * 299) && chi_c < 199 + 5 * sqrt(2.0 * 199)), chi_r, chi_c);
  }

  // Determinism: same seed, same network; another seed, different random projections.
  snn_sim *s2 = snn_sim_create(&model, 1234, err, sizeof err);
  snn_sim *s3 = snn_sim_create(&model, 1235, err, sizeof err);
  int same = 1, diff = 1;
  for (uint32_t j = 0; j < NPROJ; j++) same &= same_csr(s, s2, j);
  diff = !same_csr(s, s3, 5) && !same_csr(s, s3, 6) && !same_csr(s, s3, 9) &&
         !same_csr(s, s3, 12) && !same_csr(s, s3, 16) && !same_csr(s, s3, 17);
  // CHECK: same seed ok
  printf("same seed %s\n", ok(same));
  // CHECK: other seed ok
  printf("other seed %s\n", ok(diff));

  // A projection depends only on (seed, its index, its own fields): a model holding only the
  // first ten projections builds projections 5..9 identically.
  snn_model_desc fewer = model;
  fewer.num_projections = 10;
  fewer.num_buffers = 4 + 2 * 10;
  snn_sim *s4 = snn_sim_create(&fewer, 1234, err, sizeof err);
  // CHECK: independent ok
  printf("independent %s\n", ok(s4 && same_csr(s, s4, 5) && same_csr(s, s4, 9)));
  snn_sim_destroy(s4);
  snn_sim_destroy(s3);
  snn_sim_destroy(s2);
  snn_sim_destroy(s);

  // A large sparse projection: 4000 x 4000 at p = 0.02 (geometric skipping keeps this fast).
  {
    static const snn_population_desc bp[] = {{"P", 4000, 0, NULL, 0, 1}};
    static const snn_projection_desc bj[] = {
        {"PP", 0, 0, 0, 4000, 0, 4000, SNN_BERNOULLI, 1, 0.02, 0, 2, 3}};
    static const snn_model_desc big = {SNN_ABI_VERSION, "big", 4, 1e-4, 0.1, 1, 1, bp, 1, bj,
                                       0, NULL, 4, nop_init, nop_step};
    snn_sim *b = snn_sim_create(&big, 99, err, sizeof err);
    // CHECK: large bernoulli ok
    printf("large bernoulli %s\n", ok(b && binomial_ok(snn_sim_num_synapses(b, 0), 16e6, 0.02)));
    snn_sim_destroy(b);
  }
  return 0;
}
