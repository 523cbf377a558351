// scale-units (see ScaleUnits.h). Unit scales are powers of ten, so `1.62 mV` is converted by
// shifting the decimal exponent and reading the literal back (1.62e-3), which gives the double
// nearest to the decimal value; multiplying by 0.001 would round twice and land one ulp off.
#include "snn/Transforms/ScaleUnits.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace snn::transforms {
namespace {

double toSI(double value, double scale) {
  double k = std::round(std::log10(scale));
  if (std::pow(10.0, k) == scale && std::isfinite(value) && value != 0) {
    // Shortest round-trip digits in scientific form, "d.ddde±x", with k added to the exponent.
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string text(buf, res.ptr);
    size_t e = text.find('e');
    long exponent = std::strtol(text.c_str() + e + 1, nullptr, 10) + static_cast<long>(k);
    text = text.substr(0, e) + "e" + std::to_string(exponent);
    return std::strtod(text.c_str(), nullptr);
  }
  return value * scale;
}

} // namespace

void scaleUnits(ir::Module &m) {
  ir::mapModuleExprs(m, [](const ir::ExprRef &e) -> ir::ExprRef {
    if (e->op == ir::Op::Quantity)
      return ir::real(toSI(e->value, e->scale));
    return e;
  });
}

} // namespace snn::transforms
