// Unit table and dimension arithmetic. Scales are exact powers of ten applied to SI base units,
// which is also the compiler's single internal unit system (see the scale-units pass).
#include "snn/Sema/Units.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

namespace snn {

enum { M = 0, KG = 1, S = 2, A = 3, K = 4, MOL = 5, CD = 6 };

bool Dim::isDimensionless() const {
  for (auto e : twice)
    if (e)
      return false;
  return true;
}

Dim Dim::operator*(const Dim &o) const {
  Dim d;
  for (int i = 0; i < 7; ++i)
    d.twice[i] = static_cast<int8_t>(twice[i] + o.twice[i]);
  return d;
}

Dim Dim::operator/(const Dim &o) const {
  Dim d;
  for (int i = 0; i < 7; ++i)
    d.twice[i] = static_cast<int8_t>(twice[i] - o.twice[i]);
  return d;
}

std::optional<Dim> Dim::pow(double p) const {
  Dim d;
  for (int i = 0; i < 7; ++i) {
    double v = twice[i] * p;
    if (std::fabs(v - std::round(v)) > 1e-9 || std::fabs(v) > 100)
      return std::nullopt;
    d.twice[i] = static_cast<int8_t>(std::lround(v));
  }
  return d;
}

namespace dims {
static Dim make(std::initializer_list<std::pair<int, int>> exps) {
  Dim d;
  for (auto [i, e] : exps)
    d.twice[i] = static_cast<int8_t>(2 * e);
  return d;
}
Dim second() { return make({{S, 1}}); }
Dim volt() { return make({{M, 2}, {KG, 1}, {S, -3}, {A, -1}}); }
Dim amp() { return make({{A, 1}}); }
Dim siemens() { return make({{M, -2}, {KG, -1}, {S, 3}, {A, 2}}); }
Dim farad() { return make({{M, -2}, {KG, -1}, {S, 4}, {A, 2}}); }
Dim ohm() { return make({{M, 2}, {KG, 1}, {S, -3}, {A, -2}}); }
Dim hertz() { return make({{S, -1}}); }
} // namespace dims

namespace {

struct Named {
  const char *name;
  Dim dim;
};

// Names tried, in order, when printing a dimension.
const std::vector<Named> &namedDims() {
  static const std::vector<Named> v = {
      {"volt", dims::volt()},
      {"amp", dims::amp()},
      {"siemens", dims::siemens()},
      {"farad", dims::farad()},
      {"ohm", dims::ohm()},
      {"second", dims::second()},
      {"hertz", dims::hertz()},
      {"coulomb", dims::amp() * dims::second()},
      {"metre", Dim::base(M)},
      {"metre^2", Dim::base(M, 2)},
      {"kilogram", Dim::base(KG)},
      {"kelvin", Dim::base(K)},
      {"mole", Dim::base(MOL)},
  };
  return v;
}

std::string baseForm(const Dim &d) {
  static const char *names[7] = {"m", "kg", "s", "A", "K", "mol", "cd"};
  std::string out;
  for (int i = 0; i < 7; ++i) {
    if (!d.twice[i])
      continue;
    if (!out.empty())
      out += '*';
    out += names[i];
    if (d.twice[i] != 2) {
      out += '^';
      if (d.twice[i] % 2 == 0)
        out += std::to_string(d.twice[i] / 2);
      else
        out += "(" + std::to_string(d.twice[i]) + "/2)";
    }
  }
  return out;
}

} // namespace

std::string Dim::str() const {
  if (isDimensionless())
    return "dimensionless";
  for (auto &n : namedDims())
    if (n.dim == *this)
      return n.name;
  // One named unit combined with one other: 'volt/second', 'siemens*volt', 'metre^2/second'.
  for (auto &a : namedDims()) {
    for (auto &b : namedDims()) {
      if (a.dim / b.dim == *this)
        return std::string(a.name) + "/" + b.name;
      if (a.dim * b.dim == *this)
        return std::string(a.name) + "*" + b.name;
    }
    if (Dim::none() / a.dim == *this)
      return std::string("1/") + a.name;
  }
  for (auto &a : namedDims())
    if (auto r = a.dim.pow(0.5); r && *r == *this)
      return std::string("sqrt(") + a.name + ")";
  for (auto &a : namedDims())
    if (auto r = a.dim.pow(-0.5); r && *r == *this)
      return std::string("1/sqrt(") + a.name + ")";
  // Noise amplitudes: 'volt/sqrt(second)'.
  for (auto &a : namedDims())
    for (auto &b : namedDims())
      if (auto r = b.dim.pow(0.5); r && a.dim / *r == *this)
        return std::string(a.name) + "/sqrt(" + b.name + ")";
  return baseForm(*this);
}

namespace {

const std::map<std::string, UnitInfo, std::less<>> &unitTable() {
  static const std::map<std::string, UnitInfo, std::less<>> table = [] {
    std::map<std::string, UnitInfo, std::less<>> t;
    struct Base {
      const char *shortName;
      const char *longName;
      Dim dim;
    };
    const Base bases[] = {
        {"s", "second", dims::second()}, {"V", "volt", dims::volt()},
        {"A", "amp", dims::amp()},       {"S", "siemens", dims::siemens()},
        {"F", "farad", dims::farad()},   {"ohm", "ohm", dims::ohm()},
        {"Hz", "hertz", dims::hertz()},  {"m", "metre", Dim::base(M)},
        {"C", "coulomb", dims::amp() * dims::second()},
        {"mol", "mole", Dim::base(MOL)}, {"K", "kelvin", Dim::base(K)},
    };
    // SI prefixes in both the short ("mV") and Brian2's long ("mvolt") spelling.
    const std::pair<const char *, int> prefixes[] = {
        {"", 0},  {"k", 3},  {"M", 6},  {"G", 9},   {"m", -3},
        {"u", -6}, {"n", -9}, {"p", -12}, {"f", -15},
    };
    for (auto &b : bases) {
      for (auto &[pre, exp10] : prefixes) {
        UnitInfo u{std::pow(10.0, exp10), b.dim};
        std::string shortName = std::string(pre) + b.shortName;
        std::string longName = std::string(pre) + b.longName;
        t.emplace(shortName, u);
        t.emplace(longName, u);
      }
    }
    // Brian2's long names for metre-derived and other common units.
    t.insert_or_assign("meter", UnitInfo{1.0, Dim::base(M)});
    t.insert_or_assign("cm", UnitInfo{1e-2, Dim::base(M)});
    t.insert_or_assign("cm2", UnitInfo{1e-4, Dim::base(M, 2)});
    t.insert_or_assign("mm2", UnitInfo{1e-6, Dim::base(M, 2)});
    t.insert_or_assign("um2", UnitInfo{1e-12, Dim::base(M, 2)});
    t.insert_or_assign("m2", UnitInfo{1.0, Dim::base(M, 2)});
    t.insert_or_assign("kg", UnitInfo{1.0, Dim::base(KG)});
    t.insert_or_assign("g", UnitInfo{1e-3, Dim::base(KG)});
    t.insert_or_assign("mM", UnitInfo{1.0, Dim::base(MOL) / Dim::base(M, 3)});
    // 'm' (metre) stays, 'ms' is millisecond; 'Ms' (megasecond) and similar oddities are harmless.
    return t;
  }();
  return table;
}

} // namespace

const UnitInfo *lookupUnit(std::string_view name) {
  auto it = unitTable().find(name);
  return it == unitTable().end() ? nullptr : &it->second;
}

std::string unitChoices(const Dim &d) {
  std::string out;
  if (d.isDimensionless())
    return out;
  char buf[32];
  for (auto &[name, u] : unitTable())
    if (u.dim == d) {
      std::snprintf(buf, sizeof buf, "%.17g", u.scale);
      out += (out.empty() ? "" : ",") + name + "=" + buf;
    }
  return out;
}

} // namespace snn
