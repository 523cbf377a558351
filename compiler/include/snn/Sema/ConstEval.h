// Evaluation of the constant expressions that fix a network's structure at compile time (sizes,
// slices, probabilities, dt, durations): numbers, units and arithmetic, with SI values.
#pragma once

#include "snn/AST/AST.h"
#include "snn/Sema/Units.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace snn {

struct ConstValue {
  double value; // in SI base units
  Dim dim;
};

using ConstNames = std::map<std::string, ConstValue>;
/// The network constants an evaluation read, with where.
using ConstUses = std::vector<std::pair<std::string, SourceLoc>>;

/// An array read from a file (`array A = load(...)`), as constant expressions may reduce it.
struct ConstArray {
  Dim dim;
  const std::vector<double> *values; // SI
};
using ConstArrays = std::map<std::string, ConstArray>;

/// Evaluates `e` if it is built only from numbers, units, arithmetic, the pure functions abs,
/// floor, ceil, round, int, sqrt, exp, log, log10, min, max and div, the names in `constants`
/// (a network's constants) and reductions of the arrays in `arrays`: max(A), min(A), mean(A),
/// sum(A) and percentile(A, q) (q in [0, 100], linear between ranks as NumPy's default);
/// otherwise returns nullopt and sets `why` to a short reason with the location of the
/// offending sub-expression. The constants read are appended to `uses`, if given.
std::optional<ConstValue> evalConst(const ast::Expr &e, std::string &why, SourceLoc &whereLoc,
                                    const ConstNames *constants = nullptr,
                                    ConstUses *uses = nullptr, const ConstArrays *arrays = nullptr);

} // namespace snn
