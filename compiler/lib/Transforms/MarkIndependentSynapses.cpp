// mark-independent-synapses (see MarkIndependentSynapses.h).
#include "snn/Transforms/MarkIndependentSynapses.h"

#include "snn/Transforms/OwnAccesses.h"

namespace snn::transforms {
namespace {

using namespace ir;

void mark(Block &b) {
  for (auto &s : b) {
    if (s->kind == Stmt::Kind::ForRow || s->kind == Stmt::Kind::ForColumn)
      s->independent = touchesOnlyOwnSynapse(*s);
    mark(s->body);
    mark(s->elseBody);
  }
}

} // namespace

void markIndependentSynapses(Module &m) {
  for (auto &k : m.init)
    mark(k.body);
  for (auto &k : m.step)
    mark(k.body);
}

} // namespace snn::transforms
