// fuse-neuron-updates (see FuseNeuronUpdates.h).
#include "snn/Transforms/FuseNeuronUpdates.h"

#include <set>

namespace snn::transforms {
namespace {

using namespace ir;
using VarSet = std::set<std::pair<uint32_t, uint32_t>>;

/// Synapse variables get keys of their own, apart from every population's.
constexpr uint32_t kSynapseKey = 0x80000000u;

void collectLoads(const Expr &e, VarSet &reads) {
  if (e.op == Op::Load)
    reads.insert({e.onSynapse ? (e.pop | kSynapseKey) : e.pop, e.var});
  for (auto &a : e.args)
    collectLoads(*a, reads);
}

void collectAccesses(const Block &b, VarSet &reads, VarSet &writes) {
  for (auto &s : b) {
    if (s->index)
      collectLoads(*s->index, reads);
    if (s->value)
      collectLoads(*s->value, reads);
    if (s->kind == Stmt::Kind::Store)
      writes.insert({s->onSynapse ? (s->pop | kSynapseKey) : s->pop, s->var});
    collectAccesses(s->body, reads, writes);
    collectAccesses(s->elseBody, reads, writes);
  }
}

int findKernel(const Module &m, Phase phase, int pop) {
  for (size_t i = 0; i < m.step.size(); ++i)
    if (m.step[i].phase == phase && m.step[i].pop == pop)
      return static_cast<int>(i);
  return -1;
}

/// The single top-level loop of a neuron kernel, or null if it has another shape.
Stmt *neuronLoop(Kernel &k) {
  Stmt *loop = nullptr;
  for (auto &s : k.body) {
    if (s->kind == Stmt::Kind::Loop) {
      if (loop)
        return nullptr;
      loop = s.get();
    }
  }
  return loop;
}

void fusePopulation(Module &m, int p, const VarSet &deliverReads, const VarSet &deliverWrites) {
  int thr = findKernel(m, Phase::Threshold, p);
  if (thr < 0)
    return;
  Stmt *thrLoop = neuronLoop(m.step[thr]);
  if (!thrLoop || thrLoop->body.size() != 1 || thrLoop->body[0]->kind != Stmt::Kind::If)
    return;
  Stmt &spikeIf = *thrLoop->body[0];

  // Reset moves into the threshold's `if` only if delivery cannot observe the difference.
  int rst = findKernel(m, Phase::Reset, p);
  if (rst >= 0) {
    VarSet reads, writes;
    collectAccesses(m.step[rst].body, reads, writes);
    // Moving the reset before delivery is invisible only if delivery neither reads nor writes what
    // the reset writes, and writes nothing the reset reads.
    bool conflict = false;
    for (auto &w : writes)
      conflict = conflict || deliverReads.count(w) || deliverWrites.count(w);
    for (auto &r : reads)
      conflict = conflict || deliverWrites.count(r);
    Block &rb = m.step[rst].body;
    bool shapeOk = rb.size() == 1 && rb[0]->kind == Stmt::Kind::ForSpikes && rb[0]->name == "i" &&
                   rb[0]->begin == 0 && rb[0]->end == m.populations[p].size;
    if (!conflict && shapeOk) {
      for (auto &s : rb[0]->body)
        spikeIf.body.push_back(std::move(s));
      m.step.erase(m.step.begin() + rst);
    } else if (conflict) {
      spikeIf.body.push_back(makeNote("reset kept after delivery: a projection or input reads or writes "
                                      "a variable the reset writes, or writes one it reads"));
    }
  }

  int upd = findKernel(m, Phase::Update, p);
  if (upd >= 0) {
    Stmt *updLoop = neuronLoop(m.step[upd]);
    if (!updLoop || updLoop->begin != thrLoop->begin || updLoop->end != thrLoop->end ||
        updLoop->name != thrLoop->name)
      return;
    // Update body first, then the threshold test; the fused loop sits where the update was.
    for (auto &s : thrLoop->body)
      updLoop->body.push_back(std::move(s));
    Block fused;
    for (auto &s : m.step[thr].body)
      if (s->kind != Stmt::Kind::Loop)
        fused.push_back(std::move(s));
    for (auto &s : m.step[upd].body)
      fused.push_back(std::move(s));
    m.step[upd].body = std::move(fused);
    m.step[upd].name = "neurons." + m.populations[p].name;
    m.step.erase(m.step.begin() + thr);
  } else {
    m.step[thr].name = "neurons." + m.populations[p].name;
  }
}

} // namespace

void fuseNeuronUpdates(ir::Module &m) {
  VarSet reads, writes;
  // Delivery, and the synapses' own equations, run after the thresholds the fused loop moves
  // ahead of them.
  for (auto &k : m.step)
    if (k.phase == Phase::Deliver || (k.phase == Phase::Update && k.proj >= 0))
      collectAccesses(k.body, reads, writes);
  for (size_t p = 0; p < m.populations.size(); ++p)
    fusePopulation(m, static_cast<int>(p), reads, writes);
}

} // namespace snn::transforms
