// touchesOnlyOwnSynapse (see OwnAccesses.h).
#include "snn/Transforms/OwnAccesses.h"

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
  explicit Checker(const Stmt &loop)
      : neuron_(loop.name), syn_(loop.synName), proj_(loop.proj) {}

  /// Every store is to the synapse (at %syn) or to a neuron (at the loop's neuron); collects
  /// them.
  bool stores(const Block &b) {
    for (auto &s : b) {
      switch (s->kind) {
      case Stmt::Kind::Let:
      case Stmt::Kind::Note:
        break;
      case Stmt::Kind::Store:
        if (s->onSynapse ? s->pop != proj_ || !isLocal(s->index, syn_)
                         : !isLocal(s->index, neuron_))
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

  /// Whatever is written is read only where it is written.
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
        !isLocal(e.args[0], e.onSynapse ? syn_ : neuron_))
      return false;
    for (auto &a : e.args)
      if (!readsOk(*a))
        return false;
    return true;
  }

  std::string neuron_, syn_;
  uint32_t proj_;
  std::set<Key> written_;
};

} // namespace

bool touchesOnlyOwnSynapse(const Stmt &loop) {
  if (loop.synName.empty())
    return false;
  Checker c(loop);
  return c.stores(loop.body) && c.reads(loop.body);
}

} // namespace snn::transforms
