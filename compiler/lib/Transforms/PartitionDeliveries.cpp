// partition-deliveries (see PartitionDeliveries.h).
#include "snn/Transforms/PartitionDeliveries.h"

#include <set>

namespace snn::transforms {
namespace {

using namespace ir;

/// (population or projection | kSyn, variable)
using Key = std::pair<uint64_t, uint32_t>;
constexpr uint64_t kSyn = 1ull << 32;

bool isLocal(const ExprRef &e, const std::string &name) {
  return e && e->op == Op::Local && e->name == name;
}

class Checker {
public:
  Checker(const Stmt &row) : post_(row.name), syn_(row.synName), proj_(row.proj) {}

  /// Every store is to the synapse (at %syn) or to a neuron (at %post); collects them.
  bool stores(const Block &b) {
    for (auto &s : b) {
      switch (s->kind) {
      case Stmt::Kind::Let:
      case Stmt::Kind::Note:
        break;
      case Stmt::Kind::Store:
        if (s->onSynapse ? s->pop != proj_ || !isLocal(s->index, syn_)
                         : !isLocal(s->index, post_))
          return false;
        written_.insert({s->onSynapse ? s->pop | kSyn : s->pop, s->var});
        break;
      case Stmt::Kind::If:
        if (!stores(s->body) || !stores(s->elseBody))
          return false;
        break;
      default:
        return false;
      }
    }
    return true;
  }

  /// Whatever is written is read only where it is written (%post, %syn).
  bool reads(const Block &b) const {
    for (auto &s : b) {
      if ((s->index && !readsOk(*s->index)) || (s->value && !readsOk(*s->value)))
        return false;
      if (!reads(s->body) || !reads(s->elseBody))
        return false;
    }
    return true;
  }

private:
  bool readsOk(const Expr &e) const {
    if (e.op == Op::Load && written_.count({e.onSynapse ? e.pop | kSyn : e.pop, e.var}) &&
        !isLocal(e.args[0], e.onSynapse ? syn_ : post_))
      return false;
    for (auto &a : e.args)
      if (!readsOk(*a))
        return false;
    return true;
  }

  std::string post_, syn_;
  uint32_t proj_;
  std::set<Key> written_;
};

} // namespace

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
    Checker c(row);
    if (!c.stores(row.body) || !c.reads(row.body))
      continue;
    row.postRange = true;
    k.postRanges = true;
  }
}

} // namespace snn::transforms
