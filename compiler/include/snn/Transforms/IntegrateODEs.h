// integrate-odes: replaces each population's `ode` statements by discrete updates over one dt.
// The method is chosen per neuron from the form of its whole system of equations (or taken from
// `equations (method = ...)`):
//   - linear with constant coefficients, x' = A x + b (b free of the ODE variables and of t):
//     exact, x <- exp(A dt) x + (integral_0^dt exp(A s) ds) b, the matrices computed here in double
//     precision and folded into constants (a second propagator covers refractory neurons, whose
//     `unless refractory` variables are frozen);
//   - conditionally linear, each x' = a(y) x + b(y) with a, b independent of x: exponential Euler;
//   - otherwise: classical RK4 (RK2 and forward Euler on request).
// Equations with white noise `xi` are integrated with Euler-Maruyama. Every right-hand side reads
// the state at the start of the step. A requested method that does not apply is an error.
#pragma once

#include "snn/Basic/Diagnostics.h"
#include "snn/IR/IR.h"

namespace snn::transforms {

void integrateODEs(ir::Module &m, DiagnosticEngine &diags);

} // namespace snn::transforms
