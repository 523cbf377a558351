// scaleDecimal (see DecimalScale.h).
#include "snn/Basic/DecimalScale.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace snn {

double scaleDecimal(double value, double scale) {
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

} // namespace snn
