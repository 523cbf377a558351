// lower-spike-sources (see LowerSpikeSources.h).
#include "snn/Transforms/LowerSpikeSources.h"

#include <limits>

namespace snn::transforms {

using namespace ir;

void lowerSpikeSources(Module &m) {
  expandModuleStmts(m, [&m](Stmt &s, Block &out) {
    if (s.kind != Stmt::Kind::EmitSourceSpikes)
      return false;
    Population &pop = m.populations[s.pop];
    if (pop.sourceSteps.empty()) {
      out.push_back(makeNote(pop.name + " has no spikes to emit"));
      return true;
    }
    // One entry per spike (never a table per step, which a spike at t = 1e4 s would make a
    // hundred million entries long), and a sentinel step no run reaches.
    auto n = static_cast<int64_t>(pop.sourceSteps.size());
    pop.sourceSteps.push_back(std::numeric_limits<int64_t>::max());
    auto steps = static_cast<uint32_t>(m.constants.size());
    m.constants.push_back({pop.name + ".source_steps", Type::I64, std::move(pop.sourceSteps), {}});
    std::vector<int64_t> neurons(pop.sourceIndices.begin(), pop.sourceIndices.end());
    auto indices = static_cast<uint32_t>(m.constants.size());
    m.constants.push_back({pop.name + ".source_neurons", Type::I32, std::move(neurons), {}});
    pop.sourceSteps.clear();
    pop.sourceIndices.clear();

    // lo := the first spike at this step or later (binary search), then emit while its step is
    // this one.
    ExprRef step = cast(stepNumber(), Type::I64);
    auto at = [&](const char *v) { return constLoad(steps, Type::I64, local(v, Type::I64)); };
    out.push_back(makeVar("src_lo", index64(0)));
    out.push_back(makeVar("src_hi", index64(n)));
    Block search;
    search.push_back(makeLet("src_mid", binary(Op::LShr, add(local("src_lo", Type::I64),
                                                             local("src_hi", Type::I64)),
                                             index64(1))));
    Block later, earlier;
    earlier.push_back(makeAssign("src_lo", add(local("src_mid", Type::I64), index64(1))));
    later.push_back(makeAssign("src_hi", local("src_mid", Type::I64)));
    search.push_back(makeIf(binary(Op::Lt, at("src_mid"), step), std::move(earlier),
                            std::move(later)));
    out.push_back(makeWhile(binary(Op::Lt, local("src_lo", Type::I64), local("src_hi", Type::I64)),
                            std::move(search)));
    Block emit;
    auto spike = std::make_unique<Stmt>();
    spike->kind = Stmt::Kind::EmitSpike;
    spike->pop = s.pop;
    spike->index = constLoad(indices, Type::I32, local("src_lo", Type::I64));
    emit.push_back(std::move(spike));
    emit.push_back(makeAssign("src_lo", add(local("src_lo", Type::I64), index64(1))));
    out.push_back(makeWhile(binary(Op::Eq, at("src_lo"), step), std::move(emit)));
    return true;
  });
}

} // namespace snn::transforms
