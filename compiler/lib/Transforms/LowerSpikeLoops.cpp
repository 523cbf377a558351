// lower-spike-loops (see LowerSpikeLoops.h).
#include "snn/Transforms/LowerSpikeLoops.h"

#include "snn/Transforms/RowPrefetch.h"

namespace snn::transforms {
namespace {

using namespace ir;

ExprRef lcl(const std::string &name, Type t = Type::I32) { return local(name, t); }

bool lower(const Module &m, Stmt &s, Block &out) {
  if (s.kind != Stmt::Kind::ForSpikes)
    return false;
  const std::string count = s.name + "_count", k = s.name + "_k";
  out.push_back(makeLet(count, bufLoad(Buffer::SpikeCount, s.pop, integer(0))));
  Block body;
  body = rowPrefetches(m, s.body, s.name, [&](int d) {
    return bufLoad(Buffer::Spikes, s.pop,
                   binary(Op::Min, binary(Op::Add, lcl(k), integer(d)),
                          binary(Op::Sub, lcl(count), integer(1))));
  });
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
