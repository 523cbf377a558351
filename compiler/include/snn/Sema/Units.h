// The dimension algebra of physical quantities: a Dim is a vector of exponents over the SI base
// units, the unit table maps names such as `mV` to a scale and a Dim, and dimensions are printed
// with the names users know ('volt', 'volt/second') in diagnostics.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace snn {

/// Exponents over (metre, kilogram, second, ampere, kelvin, mole, candela), stored doubled so that
/// square roots (noise terms have unit 1/sqrt(second)) stay exact.
struct Dim {
  std::array<int8_t, 7> twice{};

  static Dim none() { return {}; }
  static Dim base(int index, int exponent = 1) {
    Dim d;
    d.twice[index] = static_cast<int8_t>(2 * exponent);
    return d;
  }
  bool isDimensionless() const;
  Dim operator*(const Dim &o) const;
  Dim operator/(const Dim &o) const;
  /// Raises to a rational power p/q (q in {1, 2}); nullopt if an exponent would not be a multiple
  /// of 1/2 or would overflow.
  std::optional<Dim> pow(double exponent) const;
  bool operator==(const Dim &o) const { return twice == o.twice; }
  bool operator!=(const Dim &o) const { return twice != o.twice; }
  /// 'volt', 'volt/second', 'siemens', 'dimensionless', or a base-unit product.
  std::string str() const;
};

namespace dims {
Dim second();
Dim volt();
Dim amp();
Dim siemens();
Dim farad();
Dim ohm();
Dim hertz();
} // namespace dims

struct UnitInfo {
  double scale; // value of one unit in SI base units
  Dim dim;
};

/// Looks up a unit name (`ms`, `mV`, `nS`, `Mohm`, `msecond`, ...).
const UnitInfo *lookupUnit(std::string_view name);

/// Every unit name of dimension `d` with its scale, "mV=0.001,V=1,..." (empty if dimensionless):
/// what a command line may write after a number of that dimension.
std::string unitChoices(const Dim &d);

} // namespace snn
