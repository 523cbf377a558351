// Dense matrix exponential for exact integration of linear ODE systems at compile time: the
// propagator exp(A*dt) and its integral over one step, computed in double precision.
#pragma once

#include <vector>

namespace snn::transforms {

using Matrix = std::vector<std::vector<double>>;

/// exp(A) by scaling and squaring with a Taylor series (||A/2^s|| <= 1/2, 24 terms), accurate to
/// a few ulps for the small, well-conditioned systems neuron models produce; exact for
/// defective (repeated-eigenvalue) systems such as tau_m == tau_syn, which need no special case.
Matrix expm(const Matrix &a);

/// For x' = A x + b with b constant over a step: x(t+dt) = phi*x(t) + gamma*b, where
/// phi = exp(A dt) and gamma = integral_0^dt exp(A s) ds, both from one exponential of the
/// block matrix [[A, I], [0, 0]]*dt.
void propagators(const Matrix &a, double dt, Matrix &phi, Matrix &gamma);

} // namespace snn::transforms
