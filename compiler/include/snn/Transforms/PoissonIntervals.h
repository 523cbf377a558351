// poisson-intervals: a population whose neurons only fire when `rand() < p`, p a constant in
// (0, 1] (stdlib's PoissonInput: no state, equations, reset or refractoriness), draws the step of
// its next spike instead of one number per neuron and step. In a Bernoulli process with success
// probability p per step the number of steps from one spike to the next is geometric,
// P(gap = k) = (1 - p)^(k - 1) p for k >= 1, which 1 + floor(ln u / ln(1 - p)) samples exactly
// from a uniform u; the first spike comes after floor(ln u0 / ln(1 - p)) steps. So the spike
// trains have exactly the law of the per-step draws — they are another realisation of it, not the
// same bits — at one draw per spike. Each neuron keeps the step of its next spike in an i32
// `_next` (saturating: a train stops after 2^31 - 1 steps, 59 hours at dt = 0.1 ms); the gap is
// drawn from the condition's own stream at the spike's (step, neuron), the first spike from a
// fresh stream at initialisation. The spike test stays a comparison over every neuron (it
// vectorises); the draw happens in a kernel over the step's spikes, added at the step's end.
// Runs after fuse-neuron-updates, which leaves such a population's threshold loop as it is.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void poissonIntervals(ir::Module &m);

} // namespace snn::transforms
