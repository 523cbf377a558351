// Philox-4x32-10 against the known-answer vectors published with Random123 (kat_vectors).
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t | FileCheck %s
#include "snn/runtime.h"
#include <stdio.h>

static void kat(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1) {
  const uint32_t ctr[4] = {c0, c1, c2, c3}, key[2] = {k0, k1};
  uint32_t out[4];
  snn_philox4x32(ctr, key, out);
  printf("%08x %08x %08x %08x\n", out[0], out[1], out[2], out[3]);
}

int main(void) {
  // CHECK: 6627e8d5 e169c58d bc57ac4c 9b00dbd8
  kat(0, 0, 0, 0, 0, 0);
  // CHECK-NEXT: 408f276d 41c83b0e a20bc7c6 6d5451fd
  kat(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu);
  // CHECK-NEXT: d16cfe09 94fdcceb 5001e420 24126ea1
  kat(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u);

  // The uniform draw is built from words 0 and 1 of the block for counter {index, stream} and key
  // {seed}: with everything 0 it is ((0x6627e8d5 << 21) ^ (0xe169c58d >> 11) + 0.5) * 2^-53.
  double want = ((double)(((uint64_t)0x6627e8d5u << 21) ^ (0xe169c58du >> 11)) + 0.5) * 0x1p-53;
  // CHECK-NEXT: uniform layout ok
  printf("uniform layout %s\n", snn_rng_uniform(0, 0, 0) == want ? "ok" : "WRONG");
  return 0;
}
