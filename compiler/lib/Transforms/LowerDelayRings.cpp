// lower-delay-rings (see LowerDelayRings.h).
#include "snn/Transforms/LowerDelayRings.h"

#include "snn/Transforms/RowPrefetch.h"

namespace snn::transforms {
namespace {

using namespace ir;

ExprRef lcl(const char *name, Type t = Type::I64) { return local(name, t); }

class Lowering {
public:
  explicit Lowering(const Module &m) : m_(m) {}

  bool operator()(Stmt &s, Block &out) {
    switch (s.kind) {
    case Stmt::Kind::ForDelayedSpikes: {
      const Projection &pj = m_.projections[s.proj];
      out.push_back(
          makeLet("due_slot", binary(Op::Rem, toI64(stepNumber()), index64(pj.delaySteps))));
      readSlot(s, lcl("due_slot"), "due_base", out);
      return true;
    }
    case Stmt::Kind::ForArrivals: {
      // Lag d reads slot (step + slots - d) mod slots, d < slots = D + 1.
      out.push_back(makeLet("nslots", slots(s.proj)));
      Block perLag;
      perLag.push_back(makeLet(
          "lag_slot", binary(Op::Rem,
                             binary(Op::Sub, add(toI64(stepNumber()), lcl("nslots")),
                                    toI64(lcl(s.synName.c_str(), Type::I32))),
                             lcl("nslots"))));
      readSlot(s, lcl("lag_slot"), "lag_base", perLag);
      out.push_back(makeLoop(s.synName, integer(0), cast(lcl("nslots"), Type::I32),
                             std::move(perLag)));
      return true;
    }
    case Stmt::Kind::PushDelayedSpikes: {
      const Projection &pj = m_.projections[s.proj];
      ExprRef nslots = pj.synapseDelays ? slots(s.proj) : index64(pj.delaySteps);
      out.push_back(makeLet("push_slot", binary(Op::Rem, toI64(stepNumber()), nslots)));
      out.push_back(makeLet("push_base", mul(lcl("push_slot"), index64(pj.preEnd - pj.preBegin))));
      out.push_back(makeVar("push_n", integer(0)));
      Block append;
      append.push_back(makeBufStore(Buffer::Ring, s.proj,
                                    add(lcl("push_base"), toI64(lcl("push_n", Type::I32))),
                                    lcl("spike", Type::I32)));
      append.push_back(makeAssign("push_n", add(lcl("push_n", Type::I32), integer(1))));
      out.push_back(makeForSpikes("spike", pj.pre, pj.preBegin, pj.preEnd, std::move(append)));
      out.push_back(
          makeBufStore(Buffer::RingCount, s.proj, lcl("push_slot"), lcl("push_n", Type::I32)));
      return true;
    }
    case Stmt::Kind::SetDelay:
      out.push_back(makeBufStore(Buffer::Delay, s.proj, s.index, s.value));
      return true;
    default:
      return false;
    }
  }

private:
  /// D + 1 slots for per-synapse delays up to D (max_delay, set by the runtime).
  ExprRef slots(uint32_t proj) {
    return add(toI64(bufLoad(Buffer::MaxDelay, proj, integer(0))), index64(1));
  }

  /// let %base = slot * #pre; loop over the slot's spikes binding s.name, running s.body.
  void readSlot(Stmt &s, ExprRef slot, const char *base, Block &out) {
    const Projection &pj = m_.projections[s.proj];
    out.push_back(makeLet(base, mul(slot, index64(pj.preEnd - pj.preBegin))));
    out.push_back(makeLet("ring_n", toI64(bufLoad(Buffer::RingCount, s.proj, slot))));
    // The rows of the delayed spikes to come, prefetched as for this step's (RowPrefetch.h).
    Block body = rowPrefetches(m_, s.body, s.name, [&](int d) {
      ExprRef k = binary(Op::Min, add(lcl("ring_k"), index64(d)), sub(lcl("ring_n"), index64(1)));
      return bufLoad(Buffer::Ring, s.proj, add(lcl(base), k));
    });
    body.push_back(
        makeLet(s.name, bufLoad(Buffer::Ring, s.proj, add(lcl(base), lcl("ring_k")))));
    for (auto &st : s.body)
      body.push_back(std::move(st));
    out.push_back(makeLoop("ring_k", index64(0), lcl("ring_n"), std::move(body)));
  }

  const Module &m_;
};

} // namespace

void lowerDelayRings(Module &m) { expandModuleStmts(m, Lowering(m)); }

} // namespace snn::transforms
