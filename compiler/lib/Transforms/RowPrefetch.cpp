// rowPrefetches (see RowPrefetch.h).
#include "snn/Transforms/RowPrefetch.h"

namespace snn::transforms {

using namespace ir;

Block rowPrefetches(const Module &m, const Block &body, const std::string &var,
                    const std::function<ExprRef(int)> &spikeAhead) {
  Block out;
  for (auto &s : body) {
    if (s->kind != Stmt::Kind::ForRow || s->index->op != Op::Local || s->index->name != var)
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
    ExprRef first = bufLoad(Buffer::RowPtr, s->proj, rowAhead(kColAhead));
    if (s->value) {
      // A delay segment (rows sorted by delay, D + 2 offsets a row): its offsets too, and the
      // columns from the segment's start.
      auto segment = [&](int d) {
        ExprRef width = add(toI64(bufLoad(Buffer::MaxDelay, s->proj, integer(0))), index64(2));
        return add(binary(Op::Mul, rowAhead(d), width), toI64(s->value));
      };
      out.push_back(makePrefetch(Buffer::DelayPtr, s->proj, segment(kRowAhead)));
      first = add(first, toI64(bufLoad(Buffer::DelayPtr, s->proj, segment(kColAhead))));
    }
    out.push_back(makeLet(start, first));
    out.push_back(makePrefetch(Buffer::Col, s->proj, local(start, Type::I64)));
    // And the synapses' own variables there (weights), read with the columns.
    for (uint32_t v = 0; v < pj.vars.size(); ++v)
      out.push_back(makePrefetchSynapse(s->proj, v, local(start, Type::I64)));
    out.push_back(makePrefetch(Buffer::Col, s->proj, add(local(start, Type::I64), index64(16))));
  }
  return out;
}

} // namespace snn::transforms
