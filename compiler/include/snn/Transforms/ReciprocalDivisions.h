// reciprocal-divisions: x / c with c a constant becomes x * (1/c), the reciprocal computed once
// here. A division costs 10-20 times a multiplication in a vector loop (COBAHH's rates divide by
// constant voltages and times in every neuron and step). By a power of two the two are the same
// bits; otherwise the product may differ from the quotient in the last place (at most 1 ulp,
// relative 2^-52 in float64), well inside every documented tolerance (docs/semantics.md).
#pragma once

#include "snn/IR/IR.h"

namespace snn::transforms {

void reciprocalDivisions(ir::Module &m);

} // namespace snn::transforms
