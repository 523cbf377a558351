// check-spike-probabilities: a spike condition `rand() < p` (Brian2's PoissonGroup, stdlib's
// inputs/poisson.snn) fires at most once per step, so a probability p = rate*dt above 1 silently
// caps the rate at 1/dt. Where p has folded to a constant above 1 this is an error at the
// condition (naming the rate, dt and what to do instead); where p varies (per-neuron or
// time-varying rates) each neuron counts the steps in which it drew with p > 1, in an i32
// `_saturated` variable that the runtime reports as a warning in the summary and summary.json.
// Runs after fuse-neuron-updates, wherever the spike test ended up.
#pragma once

#include "snn/Basic/Diagnostics.h"
#include "snn/IR/IR.h"

namespace snn::transforms {

void checkSpikeProbabilities(ir::Module &m, DiagnosticEngine &diags);

} // namespace snn::transforms
