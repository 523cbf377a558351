// lower-spike-sources (see LowerSpikeSources.h).
#include "snn/Transforms/LowerSpikeSources.h"

namespace snn::transforms {

using namespace ir;

void lowerSpikeSources(Module &m) {
  expandModuleStmts(m, [&m](Stmt &s, Block &out) {
    if (s.kind != Stmt::Kind::EmitSourceSpikes)
      return false;
    Population &pop = m.populations[s.pop];
    int64_t steps = static_cast<int64_t>(pop.sourceOffsets.size()) - 1;
    if (steps <= 0) {
      out.push_back(makeNote(pop.name + " has no spikes to emit"));
      return true;
    }
    auto offsets = static_cast<uint32_t>(m.constants.size());
    m.constants.push_back({pop.name + ".source_offsets", Type::I64,
                           std::move(pop.sourceOffsets)});
    std::vector<int64_t> neurons(pop.sourceIndices.begin(), pop.sourceIndices.end());
    auto indices = static_cast<uint32_t>(m.constants.size());
    m.constants.push_back({pop.name + ".source_neurons", Type::I32, std::move(neurons)});
    pop.sourceOffsets.clear();
    pop.sourceIndices.clear();

    ExprRef step = stepNumber();
    Block emit;
    auto spike = std::make_unique<Stmt>();
    spike->kind = Stmt::Kind::EmitSpike;
    spike->pop = s.pop;
    spike->index = constLoad(indices, Type::I32, local("src", Type::I64));
    emit.push_back(std::move(spike));
    Block due;
    due.push_back(makeLoop(
        "src", constLoad(offsets, Type::I64, step),
        constLoad(offsets, Type::I64, binary(Op::Add, step, uconst(1, Type::U64))),
        std::move(emit)));
    out.push_back(makeIf(binary(Op::Lt, step, uconst(static_cast<uint64_t>(steps), Type::U64)),
                         std::move(due)));
    return true;
  });
}

} // namespace snn::transforms
