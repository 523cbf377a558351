// Scaling a number written in a unit to SI. Unit scales are powers of ten, so `1.62 mV` is
// converted by shifting the decimal exponent and reading the literal back (1.62e-3), which gives
// the double nearest to the decimal value; multiplying by 0.001 would round twice and land one
// ulp off. scale-units (IR) and constant evaluation (Sema) share it, so a quantity has one value.
#pragma once

namespace snn {

/// value * scale, exactly rounded from the decimal value where scale is a power of ten.
double scaleDecimal(double value, double scale);

} // namespace snn
