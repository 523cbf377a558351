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
  std::map<double, std::pair<uint32_t, int64_t>> tables; // lambda -> (table, k_zero)
  auto f = [&](const ExprRef &e) -> ExprRef {
    double lambda;
    if (e->op != Op::PoissonInv || !isConst(*e->args[0], &lambda) || !(lambda > 0) ||
        lambda > kMaxMean)
      return e;
    auto it = tables.find(lambda);
    if (it == tables.end()) {
      int64_t kZero = 0;
      std::vector<double> F = cumulative(lambda, kZero);
      if (F.empty())
        return e;
      uint32_t t = static_cast<uint32_t>(m.constants.size());
      m.constants.push_back({"poisson_cdf." + std::to_string(tables.size()), Type::Real, {},
                             std::move(F)});
      it = tables.emplace(lambda, std::make_pair(t, kZero)).first;
    }
    const auto [table, kZero] = it->second;
    const int64_t last = static_cast<int64_t>(m.constants[table].reals.size()) - 1;
    ExprRef n = countBelow(table, e->args[1]);
    return toReal(select(binary(Op::Gt, n, integer(last)), integer(kZero), n));
  };
  forEachKernel(m, [&](Kernel &k) { mapBlockExprs(k.body, f); });
}

} // namespace snn::transforms
