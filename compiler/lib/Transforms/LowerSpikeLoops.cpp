// lower-spike-loops (see LowerSpikeLoops.h).
#include "snn/Transforms/LowerSpikeLoops.h"

namespace snn::transforms {
namespace {

using namespace ir;

ExprRef lcl(const std::string &name, Type t = Type::I32) { return local(name, t); }

/// The projections whose rows `body` visits from the spiking neuron %var (no delay segment).
std::vector<uint32_t> rowsVisited(const Block &body, const std::string &var) {
  std::vector<uint32_t> out;
  for (auto &s : body)
    if (s->kind == Stmt::Kind::ForRow && !s->value && s->index->op == Op::Local &&
        s->index->name == var)
      out.push_back(s->proj);
  return out;
}

bool lower(const Module &m, Stmt &s, Block &out) {
  if (s.kind != Stmt::Kind::ForSpikes)
    return false;
  const std::string count = s.name + "_count", k = s.name + "_k";
  out.push_back(makeLet(count, bufLoad(Buffer::SpikeCount, s.pop, integer(0))));
  Block body;
  for (uint32_t proj : rowsVisited(s.body, s.name)) {
    const Projection &pj = m.projections[proj];
    // The row of the spike d positions ahead (the last spike near the end of the list), its
    // neuron clamped into the projection's range (an out-of-range spike's row is never read).
    auto rowAhead = [&](int d) {
      ExprRef at = binary(Op::Min, binary(Op::Add, lcl(k), integer(d)),
                          binary(Op::Sub, lcl(count), integer(1)));
      ExprRef n = bufLoad(Buffer::Spikes, s.pop, at);
      n = binary(Op::Min, binary(Op::Max, n, integer(pj.preBegin)), integer(pj.preEnd - 1));
      return cast(pj.preBegin ? binary(Op::Sub, n, integer(pj.preBegin)) : n, Type::I64);
    };
    body.push_back(makePrefetch(Buffer::RowPtr, proj, rowAhead(kRowAhead)));
    std::string start = pj.name + "_row_ahead";
    body.push_back(makeLet(start, bufLoad(Buffer::RowPtr, proj, rowAhead(kColAhead))));
    body.push_back(makePrefetch(Buffer::Col, proj, lcl(start, Type::I64)));
    body.push_back(makePrefetch(Buffer::Col, proj,
                                binary(Op::Add, lcl(start, Type::I64), index64(16))));
  }
  body.push_back(makeLet(s.name, bufLoad(Buffer::Spikes, s.pop, lcl(k))));
  const Population &pop = m.populations[s.pop];
  if (s.begin == 0 && s.end == static_cast<int64_t>(pop.size)) {
    for (auto &st : s.body)
      body.push_back(std::move(st));
  } else {
    ExprRef in = binary(Op::And, binary(Op::Ge, lcl(s.name), integer(s.begin)),
                        binary(Op::Lt, lcl(s.name), integer(s.end)));
    body.push_back(makeIf(in, std::move(s.body)));
  }
  out.push_back(makeLoop(k, integer(0), lcl(count), std::move(body)));
  return true;
}

} // namespace

void lowerSpikeLoops(Module &m) {
  expandModuleStmts(m, [&m](Stmt &s, Block &out) { return lower(m, s, out); });
}

} // namespace snn::transforms
