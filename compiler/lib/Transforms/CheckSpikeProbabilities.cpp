// check-spike-probabilities (see CheckSpikeProbabilities.h).
#include "snn/Transforms/CheckSpikeProbabilities.h"

#include <cmath>
#include <sstream>

namespace snn::transforms {
namespace {

using namespace ir;

bool isStepUniform(const Expr &e) {
  return e.op == Op::Rand && e.dist == RandDist::Uniform && e.perStep;
}

/// The probabilities p of every `rand() < p` (also `<=`, and `p > rand()`, `p >= rand()`) in a
/// condition, through `and`, `or` and `not`.
void probabilities(const ExprRef &e, std::vector<ExprRef> &out) {
  switch (e->op) {
  case Op::Lt:
  case Op::Le:
    if (isStepUniform(*e->args[0]))
      out.push_back(e->args[1]);
    return;
  case Op::Gt:
  case Op::Ge:
    if (isStepUniform(*e->args[1]))
      out.push_back(e->args[0]);
    return;
  case Op::And:
  case Op::Or:
  case Op::Not:
    for (auto &a : e->args)
      probabilities(a, out);
    return;
  default:
    return;
  }
}

bool emitsSpike(const Block &b) {
  for (auto &s : b)
    if (s->kind == Stmt::Kind::EmitSpike)
      return true;
  return false;
}

/// 20000 -> "20 kHz".
std::string rate(double hz) {
  static const struct { double scale; const char *unit; } units[] = {
      {1e9, "GHz"}, {1e6, "MHz"}, {1e3, "kHz"}, {1, "Hz"}};
  std::ostringstream os;
  for (auto &u : units)
    if (std::fabs(hz) >= u.scale || u.scale == 1) {
      os << hz / u.scale << " " << u.unit;
      break;
    }
  return os.str();
}

std::string duration(double s) {
  std::ostringstream os;
  if (s >= 1)
    os << s << " s";
  else if (s >= 1e-6)
    os << s * 1e3 << " ms";
  else
    os << s * 1e6 << " us";
  return os.str();
}

class Checker {
public:
  Checker(Module &m, DiagnosticEngine &d) : m_(m), diags_(d) {}

  void run() {
    for (Kernel &k : m_.step)
      if (k.pop >= 0)
        visit(k.body, static_cast<uint32_t>(k.pop));
  }

private:
  void visit(Block &b, uint32_t pop) {
    for (size_t i = 0; i < b.size(); ++i) {
      Stmt &s = *b[i];
      if (s.kind == Stmt::Kind::If && emitsSpike(s.body)) {
        if (StmtPtr count = check(s, pop)) {
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(i), std::move(count));
          ++i;
        }
        continue;
      }
      visit(s.body, pop);
      visit(s.elseBody, pop);
    }
  }

  /// Reports constant probabilities above 1; returns the counting statement for the others.
  StmtPtr check(const Stmt &spikeIf, uint32_t pop) {
    std::vector<ExprRef> ps;
    probabilities(spikeIf.value, ps);
    ExprRef saturated;
    Population &P = m_.populations[pop];
    for (const ExprRef &p : ps) {
      double v;
      if (isConst(*p, &v)) {
        if (v > 1) {
          std::ostringstream msg;
          msg << "spike probability per step is " << v << " (a rate of " << rate(v / m_.dt)
              << " at dt = " << duration(m_.dt) << ") in population '" << P.name
              << "': a condition rand() < p fires at most once per step, so it would fire at "
              << rate(1 / m_.dt) << " instead";
          diags_.error(spikeIf.loc, msg.str());
          diags_.note(P.loc, "use a dt below " + duration(1 / (v / m_.dt)) +
                                 ", or split the rate over several neurons (population '" +
                                 P.name + "' is declared here)");
        }
        continue;
      }
      ExprRef over = binary(Op::Gt, p, real(1));
      saturated = saturated ? binary(Op::Or, saturated, over) : over;
    }
    if (!saturated)
      return nullptr;
    if (P.saturationVar < 0) {
      P.saturationVar = static_cast<int>(P.vars.size());
      P.vars.push_back({"_saturated", Type::I32});
      uint32_t var = static_cast<uint32_t>(P.saturationVar);
      appendToInit(m_, pop, [&](ExprRef i) { return makeStore(pop, var, i, integer(0)); });
    }
    uint32_t var = static_cast<uint32_t>(P.saturationVar);
    for (auto &s : spikeIf.body)
      if (s->kind == Stmt::Kind::EmitSpike) // its index is the neuron the condition tests
        return makeStore(pop, var, s->index,
                         binary(Op::Add, load(pop, var, Type::I32, s->index),
                                select(saturated, integer(1), integer(0))));
    return nullptr;
  }

  Module &m_;
  DiagnosticEngine &diags_;
};

} // namespace

void checkSpikeProbabilities(ir::Module &m, DiagnosticEngine &diags) {
  Checker(m, diags).run();
}

} // namespace snn::transforms
