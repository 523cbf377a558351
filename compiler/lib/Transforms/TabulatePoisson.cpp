// tabulate-poisson (see TabulatePoisson.h).
#include "snn/Transforms/TabulatePoisson.h"

#include <cmath>
#include <map>

namespace snn::transforms {

namespace {

constexpr double kMaxMean = 50;
constexpr size_t kMaxEntries = 128;

/// F_0 .. F_K of Poisson(lambda) as the sequential search sums them, and k_zero (the k where
/// p_k underflows); empty if the law needs more than kMaxEntries entries.
std::vector<double> cumulative(double lambda, int64_t &kZero) {
  std::vector<double> F;
  double p = std::exp(-lambda), sum = p;
  F.push_back(sum);
  bool growing = true;
  for (double k = 1;; k += 1) {
    volatile double ratio = lambda / k; // one rounding each, as the search: no fused multiply-add
    volatile double next = p * ratio;
    p = next;
    volatile double s = sum + p;
    if (p == 0) {
      kZero = static_cast<int64_t>(k);
      break;
    }
    if (growing && s == sum)
      growing = false; // F has reached its last value: later entries would repeat it
    sum = s;
    if (growing) {
      F.push_back(sum);
      if (F.size() > kMaxEntries)
        return {};
    }
  }
  return F;
}

} // namespace

void tabulatePoisson(ir::Module &m) {
  using namespace ir;
  // The largest uniform draw of the model's precision (lower-random; docs/runtime.md): float32
  // ((w >> 9) + 0.5) 2^-23 is at most 1 - 2^-24, float64 at most the largest double below 1.
  // No entry at or above it can be below a draw, so a table for a draw ends before them.
  const double uMax = m.precision == Precision::Float32 ? 1 - 0x1p-24 : 1 - 0x1p-53;
  struct Tab {
    uint32_t table;
    int64_t kZero, last; // last: the index of the untrimmed table's last entry
  };
  std::map<std::pair<double, bool>, Tab> tables; // (lambda, trimmed) -> table
  auto f = [&](const ExprRef &e) -> ExprRef {
    double lambda;
    if (e->op != Op::PoissonInv || !isConst(*e->args[0], &lambda) || !(lambda > 0) ||
        lambda > kMaxMean)
      return e;
    const ExprRef &u = e->args[1];
    const bool draw = u->op == Op::Rand && u->dist == RandDist::Uniform;
    auto it = tables.find({lambda, draw});
    if (it == tables.end()) {
      int64_t kZero = 0;
      std::vector<double> F = cumulative(lambda, kZero);
      if (F.empty())
        return e;
      const int64_t last = static_cast<int64_t>(F.size()) - 1;
      while (draw && !F.empty() && F.back() >= uMax)
        F.pop_back();
      uint32_t t = static_cast<uint32_t>(m.constants.size());
      m.constants.push_back({"poisson_cdf." + std::to_string(tables.size()), Type::Real, {},
                             std::move(F)});
      it = tables.emplace(std::make_pair(lambda, draw), Tab{t, kZero, last}).first;
    }
    const auto [table, kZero, last] = it->second;
    ExprRef n = countBelow(table, u);
    return toReal(select(binary(Op::Gt, n, integer(last)), integer(kZero), n));
  };
  forEachKernel(m, [&](Kernel &k) { mapBlockExprs(k.body, f); });
}

} // namespace snn::transforms
