/*
 * rng.c — Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011)
 * and the uniform/normal draws built on it. A counter-based generator makes every random number a
 * pure function of (seed, stream, index), so results do not depend on evaluation order, threads or
 * which other draws happen — the property both the compiler's initialisers and the connectivity
 * builder rely on.
 *
 * Layout: key = {seed low 32, seed high 32}; counter = {index low, index high, stream low,
 * stream high}. Stream ids below 2^32, and from 2 << 32 up (a synapse's draws, per step), belong
 * to the compiler; the runtime uses (1 << 32) | j for the connectivity of projection j (and
 * (1 << 32) | tag << 24 | j for fixed_total_number's attempts and drops, connectivity.c).
 */
#include "internal.h"

#include <math.h>

/* Multipliers and Weyl key increments from Random123 (philox.h). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

void snn_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; r++) {
    if (r > 0) { /* the key is bumped between rounds, not before the first */
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n1 = (uint32_t)p1;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    uint32_t n3 = (uint32_t)p0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

void snn_rng_block(uint64_t seed, uint64_t stream, uint64_t index, uint32_t out[4]) {
  const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  const uint32_t ctr[4] = {(uint32_t)index, (uint32_t)(index >> 32), (uint32_t)stream,
                           (uint32_t)(stream >> 32)};
  snn_philox4x32(ctr, key, out);
}

/* 53 random bits from two words, centred in their cell: (m + 0.5) * 2^-53 lies strictly inside
 * (0, 1) in exact arithmetic, so log(u) is always finite. In double, (m + 0.5) rounds to even for
 * m >= 2^52; the single case m = 2^53 - 1 would round up to exactly 1.0, so it is pinned to the
 * largest double below 1 (changes one value in 2^53, keeps the open interval). */
static double u01(uint32_t hi, uint32_t lo) {
  uint64_t m = ((uint64_t)hi << 21) ^ (lo >> 11);
  double u = ((double)m + 0.5) * 0x1p-53;
  return u < 1.0 ? u : 0x1.fffffffffffffp-1;
}

double snn_rng_uniform(uint64_t seed, uint64_t stream, uint64_t index) {
  uint32_t out[4];
  snn_rng_block(seed, stream, index, out);
  return u01(out[0], out[1]);
}

double snn_rng_normal(uint64_t seed, uint64_t stream, uint64_t index) {
  /* Box-Muller on one block: words 0,1 give u1, words 2,3 give u2; only the cosine branch is used
   * so that one (stream, index) yields exactly one normal. */
  static const double two_pi = 6.283185307179586476925286766559;
  uint32_t out[4];
  snn_rng_block(seed, stream, index, out);
  double u1 = u01(out[0], out[1]);
  double u2 = u01(out[2], out[3]);
  return sqrt(-2.0 * log(u1)) * cos(two_pi * u2);
}
