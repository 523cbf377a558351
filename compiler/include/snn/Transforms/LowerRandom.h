// lower-random: every `rand_uniform` / `rand_normal` becomes arithmetic on the words of the
// Philox-4x32-10 block for its (seed, stream, counter) — the IR primitive `philox`, a pure
// function each target implements — so that random numbers are computed inline, in the loop that
// uses them, and vectorise with it. The layout is runtime.h's (docs/runtime.md, "Random
// numbers"): key = seed, counter = {index, stream}, with index = (step << 32) | neuron for a
// neuron's draw per step and the neuron (or synapse) for a draw at initialisation; a synapse's
// draw per step (a 64-bit index: event code, every blocks) is {synapse, ((step + 2) << 32) |
// stream}, clear of the runtime's streams (high half 1).
//   uniform, float64: m = (w0 << 21) xor (w1 >> 11), u = (m + 1/2) 2^-53, the largest double
//                     below 1 for m = 2^53 - 1 (snn_rng_uniform's bits exactly);
//   uniform, float32: u = ((w0 >> 9) + 1/2) 2^-23, exact in float and inside (0, 1);
//   normal:           sqrt(-2 log u1) cos2pi(u2) (= cos(2 pi u2), reduced exactly), u1 from
//                     w0, w1 and u2 from w2, w3.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void lowerRandom(ir::Module &m);

} // namespace snn::transforms
