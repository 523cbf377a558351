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
      // The spikes of the last D + 1 steps lie in the ring oldest first, one block a step,
      // from %head (ring_count[D + 1]); lag d's block has ring_count[(step + slots - d) % slots]
      // entries. Visit them in that order, lag D down to 0: the list is contiguous, so the rows
      // of the spikes a few places ahead can be prefetched whatever their lag.
      out.push_back(makeLet("nslots", slots(s.proj)));
      out.push_back(makeLet("ring_tail", toI64(bufLoad(Buffer::RingCount, s.proj,
                                                       add(lcl("nslots"), index64(1))))));
      out.push_back(makeVar("ring_k", toI64(bufLoad(Buffer::RingCount, s.proj, lcl("nslots")))));
      Block perLag;
      perLag.push_back(makeLet(s.synName, cast(sub(sub(lcl("nslots"), index64(1)),
                                                   toI64(lcl("age", Type::I32))),
                                               Type::I32)));
      perLag.push_back(makeLet(
          "lag_slot", binary(Op::Rem,
                             binary(Op::Sub, add(toI64(stepNumber()), lcl("nslots")),
                                    toI64(lcl(s.synName.c_str(), Type::I32))),
                             lcl("nslots"))));
      perLag.push_back(makeLet("block_end", add(lcl("ring_k"), toI64(bufLoad(Buffer::RingCount,
                                                                             s.proj,
                                                                             lcl("lag_slot"))))));
      Block body = rowPrefetches(m_, s.body, s.name, [&](int d) {
        ExprRef k = binary(Op::Min, add(lcl("ring_k"), index64(d)),
                           sub(lcl("ring_tail"), index64(1)));
        return bufLoad(Buffer::Ring, s.proj, k);
      });
      body.push_back(makeLet(s.name, bufLoad(Buffer::Ring, s.proj, lcl("ring_k"))));
      for (auto &st : s.body)
        body.push_back(std::move(st));
      body.push_back(makeAssign("ring_k", add(lcl("ring_k"), index64(1))));
      perLag.push_back(makeWhile(binary(Op::Lt, lcl("ring_k"), lcl("block_end")), std::move(body)));
      out.push_back(makeLoop("age", integer(0), cast(lcl("nslots"), Type::I32), std::move(perLag)));
      return true;
    }
    case Stmt::Kind::PushDelayedSpikes: {
      const Projection &pj = m_.projections[s.proj];
      if (pj.synapseDelays) {
        pushArrivals(s, out);
        return true;
      }
      out.push_back(makeLet("push_slot", binary(Op::Rem, toI64(stepNumber()),
                                                index64(pj.delaySteps))));
      out.push_back(makeLet("push_base", mul(lcl("push_slot"), index64(pj.preEnd - pj.preBegin))));
      appendSpikes(s, lcl("push_base"), out);
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
  /// This step's spikes of the projection's pre neurons into the ring from position `at` (i64),
  /// their number %push_n into ring_count[%push_slot].
  void appendSpikes(const Stmt &s, ExprRef at, Block &out) {
    const Projection &pj = m_.projections[s.proj];
    out.push_back(makeVar("push_n", integer(0)));
    Block append;
    append.push_back(makeBufStore(Buffer::Ring, s.proj,
                                  add(std::move(at), toI64(lcl("push_n", Type::I32))),
                                  lcl("spike", Type::I32)));
    append.push_back(makeAssign("push_n", add(lcl("push_n", Type::I32), integer(1))));
    out.push_back(makeForSpikes("spike", pj.pre, pj.preBegin, pj.preEnd, std::move(append)));
    out.push_back(
        makeBufStore(Buffer::RingCount, s.proj, lcl("push_slot"), lcl("push_n", Type::I32)));
  }

  /// Per-synapse delays: the ring is a list of the spikes of the last D + 1 steps, oldest first,
  /// in [head, tail) (ring_count[D + 1], ring_count[D + 2]; ring_count[slot] is the size of the
  /// slot's step's block). This step's block replaces the oldest one, so head moves past it; when
  /// the ring's (D + 1) * #pre entries could not take a whole population's spikes after tail,
  /// the live blocks move to its start (at most D * #pre entries: this step's fit).
  void pushArrivals(const Stmt &s, Block &out) {
    const Projection &pj = m_.projections[s.proj];
    const int64_t npre = pj.preEnd - pj.preBegin;
    out.push_back(makeLet("nslots", slots(s.proj)));
    out.push_back(makeLet("push_slot", binary(Op::Rem, toI64(stepNumber()), lcl("nslots"))));
    ExprRef headAt = lcl("nslots"), tailAt = add(lcl("nslots"), index64(1));
    out.push_back(makeVar("ring_head", add(toI64(bufLoad(Buffer::RingCount, s.proj, headAt)),
                                           toI64(bufLoad(Buffer::RingCount, s.proj,
                                                         lcl("push_slot"))))));
    out.push_back(makeVar("ring_tail", toI64(bufLoad(Buffer::RingCount, s.proj, tailAt))));
    Block move, copy;
    copy.push_back(makeBufStore(Buffer::Ring, s.proj, lcl("move_k"),
                                bufLoad(Buffer::Ring, s.proj, add(lcl("ring_head"), lcl("move_k")))));
    move.push_back(makeLoop("move_k", index64(0), sub(lcl("ring_tail"), lcl("ring_head")),
                            std::move(copy)));
    move.push_back(makeAssign("ring_tail", sub(lcl("ring_tail"), lcl("ring_head"))));
    move.push_back(makeAssign("ring_head", index64(0)));
    out.push_back(makeIf(binary(Op::Gt, add(lcl("ring_tail"), index64(npre)),
                                mul(lcl("nslots"), index64(npre))),
                         std::move(move)));
    appendSpikes(s, lcl("ring_tail"), out);
    out.push_back(makeBufStore(Buffer::RingCount, s.proj, headAt,
                               cast(lcl("ring_head"), Type::I32)));
    out.push_back(makeBufStore(Buffer::RingCount, s.proj, tailAt,
                               cast(add(lcl("ring_tail"), toI64(lcl("push_n", Type::I32))),
                                    Type::I32)));
  }

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
