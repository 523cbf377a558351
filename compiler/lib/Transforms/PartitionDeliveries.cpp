// partition-deliveries (see PartitionDeliveries.h).
#include "snn/Transforms/PartitionDeliveries.h"

#include "snn/Transforms/OwnAccesses.h"

namespace snn::transforms {

using namespace ir;

void partitionDeliveries(ir::Module &m) {
  for (Kernel &k : m.step) {
    if (k.phase != Phase::Deliver || k.proj < 0 || k.body.size() != 1)
      continue;
    Stmt &spikes = *k.body[0];
    if (spikes.kind != Stmt::Kind::ForSpikes || spikes.body.size() != 1)
      continue;
    Stmt &row = *spikes.body[0];
    if (row.kind != Stmt::Kind::ForRow || row.value || row.proj != static_cast<uint32_t>(k.proj))
      continue;
    if (!touchesOnlyOwnSynapse(row))
      continue;
    row.postRange = true;
    k.postRanges = true;
  }
}

} // namespace snn::transforms
