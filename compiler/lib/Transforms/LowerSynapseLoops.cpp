// lower-synapse-loops (see LowerSynapseLoops.h).
#include "snn/Transforms/LowerSynapseLoops.h"

namespace snn::transforms {
namespace {

using namespace ir;

ExprRef lcl(const std::string &name, Type t = Type::I64) { return local(name, t); }
/// index - first, as an i64 position in the projection's range of neurons.
ExprRef offset(const ExprRef &index, uint32_t first) {
  return toI64(first ? sub(index, integer(first)) : index);
}

/// Moves the vars %lo, %hi (i64, already declared, lo <= hi) to the first position k in
/// [lo, hi) where `below(k)` is false, or hi: `below` must be true and then false along it.
void partitionPoint(const std::function<ExprRef(ExprRef)> &below, Block &out) {
  ExprRef lo = lcl("lo"), hi = lcl("hi"), mid = lcl("mid");
  Block step;
  step.push_back(makeLet("mid", binary(Op::LShr, add(lo, hi), index64(1))));
  Block right, left;
  right.push_back(makeAssign("lo", add(mid, index64(1))));
  left.push_back(makeAssign("hi", mid));
  step.push_back(makeIf(below(mid), std::move(right), std::move(left)));
  out.push_back(makeWhile(binary(Op::Lt, lo, hi), std::move(step)));
}

class Lowering {
public:
  explicit Lowering(const Module &m) : m_(m) {}

  bool operator()(Stmt &s, Block &out) {
    if (s.kind == Stmt::Kind::ForRow)
      row(s, out);
    else if (s.kind == Stmt::Kind::ForColumn)
      column(s, out);
    else
      return false;
    return true;
  }

private:
  void row(Stmt &s, Block &out) {
    const Projection &pj = m_.projections[s.proj];
    uint32_t proj = s.proj;
    out.push_back(makeLet("row", offset(s.index, pj.preBegin)));
    ExprRef r = lcl("row");
    ExprRef first = bufLoad(Buffer::RowPtr, proj, r);
    ExprRef last = bufLoad(Buffer::RowPtr, proj, add(r, index64(1)));
    if (s.value) {
      // Rows sorted by delay: D + 2 offsets per row, relative to its start.
      out.push_back(makeLet("row_start", first));
      ExprRef width = add(toI64(bufLoad(Buffer::MaxDelay, proj, integer(0))), index64(2));
      out.push_back(makeLet("segment", add(binary(Op::Mul, r, width), toI64(s.value))));
      ExprRef seg = lcl("segment");
      first = add(lcl("row_start"), toI64(bufLoad(Buffer::DelayPtr, proj, seg)));
      last = add(lcl("row_start"), toI64(bufLoad(Buffer::DelayPtr, proj, add(seg, index64(1)))));
    }
    if (s.postRange) {
      out.push_back(makeVar("lo", first));
      out.push_back(makeVar("hi", last));
      out.push_back(makeVar("row_last", last));
      // Cut to the kernel's post neurons: lo = first col >= range_begin, then from there the
      // first col >= range_end.
      auto colBelow = [proj](ExprRef bound) {
        return [proj, bound](ExprRef k) {
          return binary(Op::Lt, bufLoad(Buffer::Col, proj, std::move(k)), bound);
        };
      };
      Block cut;
      partitionPoint(colBelow(rangeBegin()), cut);
      cut.push_back(makeLet("cut_first", lcl("lo")));
      cut.push_back(makeAssign("hi", lcl("row_last")));
      partitionPoint(colBelow(rangeEnd()), cut);
      cut.push_back(makeAssign("row_last", lcl("lo")));
      cut.push_back(makeAssign("lo", lcl("cut_first")));
      ExprRef whole = binary(Op::And, binary(Op::Le, rangeBegin(), integer(pj.postBegin)),
                             binary(Op::Ge, rangeEnd(), integer(pj.postEnd)));
      out.push_back(makeIf(unary(Op::Not, whole), std::move(cut)));
      first = lcl("lo");
      last = lcl("row_last");
    }
    std::string pos = s.synName.empty() ? "syn_pos" : s.synName;
    Block body;
    body.push_back(makeLet(s.name, bufLoad(Buffer::Col, proj, lcl(pos))));
    for (auto &st : s.body)
      body.push_back(std::move(st));
    out.push_back(makeLoop(pos, first, last, std::move(body)));
    out.back()->independent = s.independent;
  }

  void column(Stmt &s, Block &out) {
    const Projection &pj = m_.projections[s.proj];
    uint32_t proj = s.proj;
    out.push_back(makeLet("column", offset(s.index, pj.postBegin)));
    ExprRef q = lcl("column");
    Block body;
    body.push_back(makeLet(s.synName, toI64(bufLoad(Buffer::PostSyn, proj, lcl("col_k")))));
    body.push_back(makeLet(s.name, bufLoad(Buffer::PostPre, proj, lcl("col_k"))));
    for (auto &st : s.body)
      body.push_back(std::move(st));
    out.push_back(makeLoop("col_k", bufLoad(Buffer::ColPtr, proj, q),
                           bufLoad(Buffer::ColPtr, proj, add(q, index64(1))), std::move(body)));
    out.back()->independent = s.independent;
  }

  const Module &m_;
};

} // namespace

void lowerSynapseLoops(Module &m) { expandModuleStmts(m, Lowering(m)); }

} // namespace snn::transforms
