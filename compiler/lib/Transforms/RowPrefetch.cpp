// rowPrefetches (see RowPrefetch.h).
#include "snn/Transforms/RowPrefetch.h"

namespace snn::transforms {

using namespace ir;

Block rowPrefetches(const Module &m, const Block &body, const std::string &var,
                    const std::function<ExprRef(int)> &spikeAhead) {
  Block out;
  for (auto &s : body) {
    if (s->kind != Stmt::Kind::ForRow || s->value || s->index->op != Op::Local ||
        s->index->name != var)
      continue;
    const Projection &pj = m.projections[s->proj];
    // The row of the spike d ahead, its neuron clamped into the projection's range (an
    // out-of-range spike's row is never read, but its address must stay inside row_ptr).
    auto rowAhead = [&](int d) {
      ExprRef n = binary(Op::Min, binary(Op::Max, spikeAhead(d), integer(pj.preBegin)),
                         integer(pj.preEnd - 1));
      return toI64(pj.preBegin ? sub(n, integer(pj.preBegin)) : n);
    };
    out.push_back(makePrefetch(Buffer::RowPtr, s->proj, rowAhead(kRowAhead)));
    std::string start = pj.name + "_row_ahead";
    out.push_back(makeLet(start, bufLoad(Buffer::RowPtr, s->proj, rowAhead(kColAhead))));
    out.push_back(makePrefetch(Buffer::Col, s->proj, local(start, Type::I64)));
    out.push_back(makePrefetch(Buffer::Col, s->proj, add(local(start, Type::I64), index64(16))));
  }
  return out;
}

} // namespace snn::transforms
