// integrate-odes: replaces each population's `ode` statements by discrete updates over one dt.
// An equation dx/dt = a*x + b with constant a != 0 and b (an independent linear decay) is
// integrated exactly, x <- -b/a + (x + b/a)*exp(a*dt); every other equation uses forward Euler.
// All right-hand sides read the state at the start of the step, and `unless refractory`
// equations keep their value while the neuron is refractory.
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void integrateODEs(ir::Module &m);

} // namespace snn::transforms
