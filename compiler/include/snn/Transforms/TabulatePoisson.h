// tabulate-poisson: a Poisson draw of constant mean, poisson_inv(lambda, u) (inputs such as
// `input P.v += w * poisson(K_ext * nu * dt)`, the microcircuit's background: one draw per neuron
// and step), becomes a count over the law's cumulative distribution, tabulated here:
//   poisson_inv(lambda, u) = select(n > K, k_zero, n),  n = count_below(@poisson_cdf.L, u),
// where the table holds F_0 .. F_K, F_k = F_{k-1} + p_k with p_0 = exp(-lambda) and
// p_k = p_{k-1} * (lambda / k), summed in double precision in the order the sequential search
// sums them (MathLib's inverseSearch), K the first k where F stops growing (p_k below half an
// ulp of F), and k_zero the first k where p_k underflows to 0: the search's answer for u above
// the last F. So the count gives the search's answer, without its division per step and with
// no branch: the back ends emit it as a few vector compares. Only p_0 may differ from the
// search's, by the rounding of the compiler's exp against the generated one (at most an ulp),
// which moves a threshold by about 1e-16: a draw changes only if u falls in that sliver.
// Tabulated for 0 < lambda <= 50 (at most 128 entries); other means keep the search.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void tabulatePoisson(ir::Module &m);

} // namespace snn::transforms
