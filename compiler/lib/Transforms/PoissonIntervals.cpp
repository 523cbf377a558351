// poisson-intervals (see PoissonIntervals.h).
#include "snn/Transforms/PoissonIntervals.h"

#include <cmath>
#include <sstream>

namespace snn::transforms {
namespace {

using namespace ir;

int findKernel(const Module &m, Phase phase, int pop) {
  for (size_t k = 0; k < m.step.size(); ++k)
    if (m.step[k].phase == phase && m.step[k].pop == pop)
      return static_cast<int>(k);
  return -1;
}

/// The per-step uniform draw of `rand() < p` (or `p > rand()`) with p constant; its stream
/// and p, or false.
bool bernoulli(const Expr &c, uint64_t &stream, double &p, const std::string &iv) {
  const Expr *r = nullptr, *k = nullptr;
  if (c.op == Op::Lt || c.op == Op::Le)
    r = c.args[0].get(), k = c.args[1].get();
  else if (c.op == Op::Gt || c.op == Op::Ge)
    r = c.args[1].get(), k = c.args[0].get();
  if (!r || r->op != Op::Rand || r->dist != RandDist::Uniform || !r->perStep ||
      r->args[0]->op != Op::Local || r->args[0]->name != iv || !isConst(*k, &p))
    return false;
  stream = r->stream;
  return p > 0 && p <= 1;
}

/// floor(ln u / ln(1 - p)) as a saturating i32 (ln(1 - p) folded; -inf for p = 1, giving 0).
ExprRef geometric(const ExprRef &u, double p) {
  return toInt(call("floor", {binary(Op::Div, call("log", {u}), real(std::log1p(-p)))}));
}

void rewrite(Module &m, uint32_t pop, Stmt &loop, Stmt &test, uint64_t stream, double p) {
  Population &P = m.populations[pop];
  uint32_t next = static_cast<uint32_t>(P.vars.size());
  P.vars.push_back({"_next", Type::I32});
  uint64_t first = m.streams++;
  appendToInit(m, pop, [&](ExprRef i) {
    return makeStore(pop, next, i, geometric(rand(RandDist::Uniform, first, i), p));
  });
  ExprRef i = local(loop.name, Type::I32);
  test.value = binary(Op::Eq, load(pop, next, Type::I32, i), cast(stepNumber(), Type::I32));
  std::ostringstream note;
  note << "Poisson source, p = " << p << " per step: geometric intervals, a draw per spike";
  loop.body.insert(loop.body.begin(), makeNote(note.str()));
  // The next interval is drawn for the neurons that spiked, after the step's spike test (which
  // stays a cheap comparison that vectorises), in a kernel of its own at the end of the step.
  ExprRef j = local("i", Type::I32);
  ExprRef at = load(pop, next, Type::I32, j);
  Block draw;
  draw.push_back(makeLet("gap", geometric(rand(RandDist::Uniform, stream, j, /*perStep=*/true), p)));
  ExprRef gap = local("gap", Type::I32);
  // next + 1 + gap, or 2^31 - 1 (never) where that would overflow.
  draw.push_back(makeStore(pop, next, j,
                           select(binary(Op::Gt, gap, binary(Op::Sub, integer(2147483646), at)),
                                  integer(2147483647),
                                  binary(Op::Add, binary(Op::Add, at, integer(1)), gap))));
  Block kernel;
  kernel.push_back(makeForSpikes("i", pop, 0, P.size, std::move(draw)));
  m.step.push_back({"next_spike." + P.name, Phase::Reset, static_cast<int>(pop), -1,
                    std::move(kernel)});
}

} // namespace

void poissonIntervals(ir::Module &m) {
  for (uint32_t p = 0; p < m.populations.size(); ++p) {
    const Population &P = m.populations[p];
    int thr = findKernel(m, Phase::Threshold, static_cast<int>(p));
    if (P.isSource || P.refractoryVar >= 0 || thr < 0 ||
        findKernel(m, Phase::Update, static_cast<int>(p)) >= 0 ||
        findKernel(m, Phase::Reset, static_cast<int>(p)) >= 0)
      continue;
    // clear_spikes P; loop %i { if rand() < p { emit_spike P[%i] } }
    Block &body = m.step[thr].body;
    if (body.size() != 2 || body[1]->kind != Stmt::Kind::Loop)
      continue;
    Stmt &loop = *body[1];
    if (loop.body.size() != 1 || loop.body[0]->kind != Stmt::Kind::If)
      continue;
    Stmt &test = *loop.body[0];
    uint64_t stream;
    double prob;
    if (test.body.size() != 1 || test.body[0]->kind != Stmt::Kind::EmitSpike ||
        !test.elseBody.empty() || !bernoulli(*test.value, stream, prob, loop.name))
      continue;
    rewrite(m, p, loop, test, stream, prob); // may reallocate m.step: nothing is used after
  }
}

} // namespace snn::transforms
