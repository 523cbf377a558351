// partition-deliveries (see PartitionDeliveries.h).
#include "snn/Transforms/PartitionDeliveries.h"

#include "snn/Transforms/OwnAccesses.h"

#include <algorithm>
#include <set>
#include <string>

namespace snn::transforms {

using namespace ir;

namespace {

bool isSpikeLoop(const Stmt &s) {
  return s.kind == Stmt::Kind::ForSpikes || s.kind == Stmt::Kind::ForDelayedSpikes ||
         s.kind == Stmt::Kind::ForArrivals;
}

/// The delivery's row loop if the kernel is one loop over (this step's, or delayed) spikes
/// around one loop over their synapses, plus the ring push of a delayed projection; else null.
Stmt *rowOf(Kernel &k, size_t &spikesAt) {
  size_t loops = 0, pushes = 0;
  for (size_t i = 0; i < k.body.size(); ++i) {
    if (isSpikeLoop(*k.body[i]))
      ++loops, spikesAt = i;
    else if (k.body[i]->kind == Stmt::Kind::PushDelayedSpikes)
      ++pushes;
    else
      return nullptr;
  }
  if (loops != 1 || pushes > 1)
    return nullptr;
  Stmt *outer = k.body[spikesAt].get();
  if (outer->body.size() != 1 || outer->body[0]->kind != Stmt::Kind::ForRow)
    return nullptr;
  Stmt *row = outer->body[0].get();
  return row->proj == static_cast<uint32_t>(k.proj) ? row : nullptr;
}

} // namespace

void partitionDeliveries(ir::Module &m) {
  std::set<std::string> early; // pushes that ran before their projection's arrivals
  for (size_t j = 0; j < m.step.size(); ++j) {
    Kernel &k = m.step[j];
    if (k.phase != Phase::Deliver || k.proj < 0)
      continue;
    size_t spikesAt = 0;
    Stmt *row = rowOf(k, spikesAt);
    if (!row || !touchesOnlyOwnSynapse(*row))
      continue;
    row->postRange = true;
    k.postRanges = true;
    if (k.body.size() == 1)
      continue;
    // A delayed delivery: its ring push runs once per step, in a kernel of its own, where it
    // was (before the arrivals with per-synapse delays, after the read of a shared delay).
    size_t pushAt = 1 - spikesAt;
    Kernel push{"push." + m.projections[k.proj].name, Phase::Deliver, -1, k.proj, {}};
    push.body.push_back(std::move(k.body[pushAt]));
    k.body.erase(k.body.begin() + static_cast<std::ptrdiff_t>(pushAt));
    bool before = pushAt < spikesAt;
    if (before)
      early.insert(push.name);
    m.step.insert(m.step.begin() + static_cast<std::ptrdiff_t>(before ? j : j + 1),
                  std::move(push));
    ++j; // past the pair
  }
  // Within each run of delivery kernels, the pushes that come first move to its start and the
  // others to its end. A push writes only its own projection's ring, which only its own delivery
  // reads, so each keeps its place relative to that delivery; the deliveries keep their order,
  // and those onto one population become neighbours, which the runtime runs as one launch.
  auto isPush = [](const Kernel &k) { return k.name.rfind("push.", 0) == 0; };
  for (size_t a = 0; a < m.step.size();) {
    size_t b = a;
    while (b < m.step.size() && m.step[b].phase == Phase::Deliver)
      ++b;
    if (b == a) {
      ++a;
      continue;
    }
    auto first = m.step.begin() + static_cast<std::ptrdiff_t>(a);
    auto last = m.step.begin() + static_cast<std::ptrdiff_t>(b);
    auto mid = std::stable_partition(first, last, [&](const Kernel &k) {
      return isPush(k) && early.count(k.name);
    });
    std::stable_partition(mid, last, [&](const Kernel &k) { return !isPush(k); });
    a = b;
  }
}

} // namespace snn::transforms
