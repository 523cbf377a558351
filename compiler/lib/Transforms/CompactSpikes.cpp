// compact-spikes (see CompactSpikes.h).
#include "snn/Transforms/CompactSpikes.h"

namespace snn::transforms {
namespace {

using namespace ir;

const char *const kTileVar = "tile";

bool isLocal(const ExprRef &e, const std::string &name) {
  return e && e->op == Op::Local && e->name == name;
}

/// The spike test of a neuron loop over `pop`: `if c { emit_spike pop[%i]; ... }` directly in
/// the loop body, with the loop's own neuron.
bool isSpikeTest(const Stmt &s, uint32_t pop, const std::string &iv) {
  if (s.kind != Stmt::Kind::If || !s.elseBody.empty())
    return false;
  int emits = 0;
  for (auto &b : s.body)
    if (b->kind == Stmt::Kind::EmitSpike) {
      if (b->pop != pop || !isLocal(b->index, iv))
        return false;
      ++emits;
    }
  return emits == 1;
}

/// True if `emit_spike` of `pop` occurs anywhere in `b` other than in a spike test of the loop.
bool emitsElsewhere(const Block &b, uint32_t pop, const std::string &iv, bool top) {
  for (auto &s : b) {
    if (top && isSpikeTest(*s, pop, iv))
      continue;
    if (s->kind == Stmt::Kind::EmitSpike)
      return true;
    if (emitsElsewhere(s->body, pop, iv, false) || emitsElsewhere(s->elseBody, pop, iv, false))
      return true;
  }
  return false;
}

/// Rewrites the loop's spike tests into masks; returns whether there were any.
bool maskSpikes(Stmt &loop, uint32_t pop) {
  bool any = false;
  Block out;
  for (auto &s : loop.body) {
    if (!isSpikeTest(*s, pop, loop.name)) {
      out.push_back(std::move(s));
      continue;
    }
    any = true;
    out.push_back(makeLet("spike", s->value));
    ExprRef spiked = local("spike", Type::Bool);
    auto mask = std::make_unique<Stmt>();
    mask->kind = Stmt::Kind::SpikeMask;
    mask->name = kTileVar;
    mask->pop = pop;
    mask->index = local(loop.name, Type::I32);
    mask->value = spiked;
    out.push_back(std::move(mask));
    Block rest;
    for (auto &b : s->body)
      if (b->kind != Stmt::Kind::EmitSpike)
        rest.push_back(std::move(b));
    if (!rest.empty())
      out.push_back(makeIf(spiked, std::move(rest)));
  }
  loop.body = std::move(out);
  return any;
}

} // namespace

void compactSpikes(ir::Module &m) {
  for (Kernel &k : m.step) {
    if (k.pop < 0)
      continue;
    uint32_t pop = static_cast<uint32_t>(k.pop);
    for (auto &s : k.body) {
      if (s->kind != Stmt::Kind::Loop || !s->tile.empty() ||
          emitsElsewhere(s->body, pop, s->name, true) || !maskSpikes(*s, pop))
        continue;
      // loop %i in [b, e) { ... }  ->  tile %tile in [b, e) by T { loop %i in tile %tile { ... }
      //                                                           compact_spikes P of tile %tile }
      auto tile = std::make_unique<Stmt>();
      tile->kind = Stmt::Kind::Tile;
      tile->name = kTileVar;
      tile->begin = s->begin;
      tile->end = s->end;
      tile->tileSize = kTileSize;
      s->tile = tile->name;
      s->tileSize = kTileSize;
      auto compact = std::make_unique<Stmt>();
      compact->kind = Stmt::Kind::CompactSpikes;
      compact->pop = pop;
      compact->name = tile->name;
      compact->tileSize = kTileSize;
      tile->body.push_back(std::move(s));
      tile->body.push_back(std::move(compact));
      s = std::move(tile);
    }
  }
}

} // namespace snn::transforms
