// Checks that every reference in the IR resolves (populations, variables, projections, locals,
// parameters), that operand types agree, and — before code generation — that the lowering passes
// have removed every construct the back ends do not handle.
#include "snn/IR/IRVerifier.h"

#include "snn/IR/IRPrinter.h"

#include <algorithm>
#include <map>

namespace snn::ir {
namespace {

class Verifier {
public:
  Verifier(const Module &m, VerifyOptions o) : m_(m), opts_(o) {}

  std::vector<VerifierProblem> run() {
    for (auto &k : m_.connect) {
      if (k.phase != Phase::Connect || k.proj < 0)
        fail("connect kernel '" + k.name + "' must be of phase connect, for a projection");
      kernel(k);
    }
    for (auto &k : m_.init)
      kernel(k);
    for (auto &k : m_.step)
      kernel(k);
    for (auto &r : m_.recorders) {
      if (r.synapses) {
        if (r.pop >= m_.projections.size() || r.var >= m_.projections[r.pop].vars.size())
          fail("recorder '" + r.name + "' names a missing synapse variable");
        continue;
      }
      if (r.pop >= m_.populations.size()) {
        fail("recorder '" + r.name + "' names a missing population");
        continue;
      }
      if (r.end > m_.populations[r.pop].size || r.begin >= r.end)
        fail("recorder '" + r.name + "' has an invalid range");
      if (!r.spikes && !r.rate && r.var >= m_.populations[r.pop].vars.size())
        fail("recorder '" + r.name + "' names a missing variable");
      if (r.every == 0 && (r.spikes || r.rate))
        fail("recorder '" + r.name + "' has interval 0");
    }
    for (auto &p : m_.projections)
      if (p.pre >= m_.populations.size() || p.post >= m_.populations.size() ||
          p.preEnd > m_.populations[p.pre].size || p.postEnd > m_.populations[p.post].size)
        fail("projection '" + p.name + "' has an invalid range");
      else if (p.rule == ConnRule::FromFile)
        verifyList(p);
    for (auto &rp : m_.runtimeParams)
      if (!varOk(rp.pop, rp.var))
        continue;
      else if (!m_.populations[rp.pop].vars[rp.var].scalar)
        fail("run-time parameter '" + qualifiedName(rp) + "' lives in a variable that is not "
             "scalar");
    for (size_t k = 0; k < m_.changes.size(); ++k) {
      const ParamChange &c = m_.changes[k];
      if (c.param >= m_.runtimeParams.size())
        fail("a change names a missing run-time parameter #" + std::to_string(c.param));
      if (c.step < 0 || (k && c.step < m_.changes[k - 1].step))
        fail("changes must be at non-negative steps, in order");
    }
    return std::move(problems_);
  }

private:
  void fail(std::string msg) {
    problems_.push_back({where_.empty() ? msg : "in kernel " + where_ + ": " + msg, loc_});
  }

  /// A from_file projection's tables: npre + 1 ascending i64 row starts from 0 to the number of
  /// i32 columns, each a post neuron of the range, strictly ascending within its row.
  void verifyList(const Projection &p) {
    auto table = [&](int k, Type t) -> const ConstTable * {
      if (k < 0 || static_cast<size_t>(k) >= m_.constants.size() || m_.constants[k].type != t)
        return nullptr;
      return &m_.constants[k];
    };
    const ConstTable *rows = table(p.listRowPtr, Type::I64), *cols = table(p.listCol, Type::I32);
    if (!rows || !cols) {
      fail("projection '" + p.name + "' (from_file) needs an i64 and an i32 constant table");
      return;
    }
    const auto &r = rows->values, &c = cols->values;
    if (r.size() != p.preEnd - p.preBegin + 1u || r.front() != 0 ||
        r.back() != static_cast<int64_t>(c.size())) {
      fail("projection '" + p.name + "': its row table does not fit its range and columns");
      return;
    }
    for (size_t q = 0; q + 1 < r.size(); ++q)
      for (int64_t k = r[q]; k < r[q + 1]; ++k)
        if (r[q + 1] < r[q] || c[k] < p.postBegin || c[k] >= p.postEnd ||
            (k > r[q] && c[k] <= c[k - 1])) {
          fail("projection '" + p.name + "': row " + std::to_string(q) +
               " lists a post neuron out of range or out of order");
          return;
        }
  }

  void kernel(const Kernel &k) {
    where_ = k.name;
    kernel_ = &k;
    if (k.pop >= static_cast<int>(m_.populations.size()))
      fail("kernel names a missing population");
    if (k.proj >= static_cast<int>(m_.projections.size()))
      fail("kernel names a missing projection");
    scopes_.clear();
    scopes_.emplace_back();
    if (k.phase == Phase::Connect) {
      // The candidate pair, bound by the runtime's builder.
      bind("pre", Type::I32);
      bind("post", Type::I32);
    }
    block(k.body);
    where_.clear();
  }

  void block(const Block &b) {
    scopes_.emplace_back();
    for (auto &s : b)
      stmt(*s);
    scopes_.pop_back();
  }

  void bind(const std::string &name, Type t, bool isVar = false) {
    for (auto &sc : scopes_)
      if (sc.count(name))
        fail("%" + name + " is bound twice");
    scopes_.back()[name] = {t, isVar};
  }

  bool popOk(uint32_t p) {
    if (p < m_.populations.size())
      return true;
    fail("reference to missing population #" + std::to_string(p));
    return false;
  }

  bool varOk(uint32_t p, uint32_t v) {
    if (!popOk(p))
      return false;
    if (v < m_.populations[p].vars.size())
      return true;
    fail("reference to missing variable #" + std::to_string(v) + " of " + m_.populations[p].name);
    return false;
  }

  bool synVarOk(uint32_t proj, uint32_t v) {
    if (proj >= m_.projections.size()) {
      fail("reference to missing projection #" + std::to_string(proj));
      return false;
    }
    if (v < m_.projections[proj].vars.size())
      return true;
    fail("reference to missing synapse variable #" + std::to_string(v) + " of " +
         m_.projections[proj].name);
    return false;
  }

  /// A position in an array: i32, or i64 where sizes can outgrow 32 bits (synapses).
  void expectIndex(const Expr &e, const char *what) {
    if (e.type != Type::I32 && e.type != Type::I64)
      fail(std::string(what) + " has type " + typeName(e.type) + ", expected i32 or i64: " +
           exprToString(m_, e));
  }

  bool bufferOk(Buffer b, uint32_t owner) {
    if (bufferOfPopulation(b))
      return popOk(owner);
    if (owner >= m_.projections.size()) {
      fail("reference to missing projection #" + std::to_string(owner));
      return false;
    }
    const Projection &pj = m_.projections[owner];
    bool ringed = pj.delaySteps || pj.synapseDelays;
    bool present = true;
    switch (b) {
    case Buffer::Ring: case Buffer::RingCount: present = ringed; break;
    case Buffer::Delay: case Buffer::DelayPtr: case Buffer::MaxDelay:
      present = pj.synapseDelays;
      break;
    case Buffer::ColPtr: case Buffer::PostSyn: case Buffer::PostPre:
      present = pj.postIndex;
      break;
    default: break;
    }
    if (!present)
      fail(std::string("projection ") + pj.name + " has no " + bufferName(b) + " buffer");
    return present;
  }

  /// The construct was lowered into loops over buffers by a pass before code generation.
  void loweredBy(const char *what, const char *pass) {
    if (opts_.requireLowered)
      fail(std::string(what) + " left for code generation (" + pass + " has not run)");
  }

  void expectType(const Expr &e, Type t, const char *what) {
    if (e.type != t)
      fail(std::string(what) + " has type " + typeName(e.type) + ", expected " + typeName(t) +
           ": " + exprToString(m_, e));
  }

  void stmt(const Stmt &s) {
    SourceLoc outer = loc_;
    if (s.loc.valid())
      loc_ = s.loc;
    check(s);
    loc_ = outer;
  }

  void check(const Stmt &s) {
    switch (s.kind) {
    case Stmt::Kind::Let:
      expr(ref(s.value));
      bind(s.name, ref(s.value).type);
      return;
    case Stmt::Kind::Var:
      expr(ref(s.value));
      bind(s.name, ref(s.value).type, /*isVar=*/true);
      return;
    case Stmt::Kind::Assign: {
      expr(ref(s.value));
      for (size_t d = scopes_.size(); d-- > 0;) {
        auto f = scopes_[d].find(s.name);
        if (f == scopes_[d].end())
          continue;
        if (!f->second.isVar)
          fail("assignment to %" + s.name + ", which is not a var");
        else if (f->second.type != ref(s.value).type)
          fail("%" + s.name + " assigned a " + typeName(ref(s.value).type) + " but declared " +
               typeName(f->second.type));
        return;
      }
      fail("assignment to unbound %" + s.name);
      return;
    }
    case Stmt::Kind::BufStore:
      expr(ref(s.index));
      expr(ref(s.value));
      expectIndex(ref(s.index), "buffer index");
      if (bufferOk(s.buffer, s.pop))
        expectType(ref(s.value), bufferType(s.buffer), "stored value");
      return;
    case Stmt::Kind::Prefetch:
      expr(ref(s.index));
      expectIndex(ref(s.index), "prefetch index");
      if (!s.onSynapse)
        bufferOk(s.buffer, s.pop);
      else if (s.pop >= m_.projections.size() || s.var >= m_.projections[s.pop].vars.size())
        fail("prefetch of a missing synapse variable");
      return;
    case Stmt::Kind::While:
      expr(ref(s.value));
      expectType(ref(s.value), Type::Bool, "condition");
      block(s.body);
      return;
    case Stmt::Kind::Store:
      expr(ref(s.index));
      expr(ref(s.value));
      expectIndex(ref(s.index), "store index");
      if (s.onSynapse) {
        if (synVarOk(s.pop, s.var))
          expectType(ref(s.value), m_.projections[s.pop].vars[s.var].type, "stored value");
      } else if (varOk(s.pop, s.var)) {
        expectType(ref(s.value), m_.populations[s.pop].vars[s.var].type, "stored value");
      }
      return;
    case Stmt::Kind::ForDelayedSpikes:
    case Stmt::Kind::PushDelayedSpikes:
    case Stmt::Kind::ForArrivals: {
      loweredBy("delay ring", "lower-delay-rings");
      if (s.proj >= m_.projections.size()) {
        fail("reference to missing projection");
        return;
      }
      const Projection &pj = m_.projections[s.proj];
      if (pj.delaySteps == 0 && !pj.synapseDelays)
        fail("delay ring of projection " + pj.name + ", which has no delay");
      if (s.kind == Stmt::Kind::ForDelayedSpikes && pj.synapseDelays)
        fail("for_delayed_spikes on " + pj.name + ", whose synapses have their own delays");
      if (s.kind == Stmt::Kind::ForArrivals && !pj.synapseDelays)
        fail("for_arrivals on " + pj.name + ", whose synapses share one delay");
      if (s.kind == Stmt::Kind::PushDelayedSpikes)
        return;
      scopes_.emplace_back();
      bind(s.name, Type::I32);
      if (s.kind == Stmt::Kind::ForArrivals)
        bind(s.synName, Type::I32);
      block(s.body);
      scopes_.pop_back();
      return;
    }
    case Stmt::Kind::SetDelay:
      loweredBy("set_delay", "lower-delay-rings");
      if (s.proj >= m_.projections.size() || !m_.projections[s.proj].synapseDelays) {
        fail("set_delay needs a projection with per-synapse delays");
        return;
      }
      expr(ref(s.index));
      expr(ref(s.value));
      expectIndex(ref(s.index), "synapse index");
      expectType(ref(s.value), Type::I32, "delay");
      return;
    case Stmt::Kind::ForColumn:
      loweredBy("for_column", "lower-synapse-loops");
      if (s.proj >= m_.projections.size() || !m_.projections[s.proj].postIndex) {
        fail("for_column needs a projection with a by-post index");
        return;
      }
      expr(ref(s.index));
      expectType(ref(s.index), Type::I32, "postsynaptic index");
      scopes_.emplace_back();
      bind(s.name, Type::I32);
      bind(s.synName, Type::I64);
      block(s.body);
      scopes_.pop_back();
      return;
    case Stmt::Kind::EmitSourceSpikes:
      loweredBy("emit_source_spikes", "lower-spike-sources");
      if (popOk(s.pop) && !m_.populations[s.pop].isSource)
        fail("emit_source_spikes on a population that is not a spike source");
      return;
    case Stmt::Kind::AdvanceTrace:
      if (opts_.requireLowered)
        fail("trace advance left for code generation (integrate-odes has not run)");
      expr(ref(s.index));
      expr(ref(s.value));
      if (s.onSynapse) {
        synVarOk(s.pop, s.var);
        synVarOk(s.pop, s.timeVar);
      } else {
        varOk(s.pop, s.var);
        varOk(s.pop, s.timeVar);
      }
      if (!s.name.empty())
        bind(s.name, Type::Real);
      return;
    case Stmt::Kind::If:
      expr(ref(s.value));
      expectType(ref(s.value), Type::Bool, "condition");
      block(s.body);
      block(s.elseBody);
      return;
    case Stmt::Kind::Loop:
      if (s.begin > s.end)
        fail("loop with begin > end");
      if (!s.tile.empty() && tiles_.empty())
        fail("loop %" + s.name + " over tile %" + s.tile + " outside a tile");
      if (!s.from != !s.to)
        fail("loop %" + s.name + " with only one computed bound");
      if (s.from && s.to) {
        expr(ref(s.from));
        expr(ref(s.to));
        expectIndex(ref(s.from), "loop bound");
        expectType(ref(s.to), ref(s.from).type, "loop bound");
      }
      scopes_.emplace_back();
      bind(s.name, s.from ? ref(s.from).type : Type::I32);
      block(s.body);
      scopes_.pop_back();
      return;
    case Stmt::Kind::ForSpikes:
      loweredBy("for_spikes", "lower-spike-loops");
      popOk(s.pop);
      scopes_.emplace_back();
      bind(s.name, Type::I32);
      block(s.body);
      scopes_.pop_back();
      return;
    case Stmt::Kind::ForRow:
      loweredBy("for_synapses", "lower-synapse-loops");
      if (s.proj >= m_.projections.size()) {
        fail("reference to missing projection");
        return;
      }
      expr(ref(s.index));
      expectType(ref(s.index), Type::I32, "presynaptic index");
      if (s.value) {
        if (!m_.projections[s.proj].synapseDelays)
          fail("for_synapses with a delay on " + m_.projections[s.proj].name +
               ", whose synapses share one delay");
        expr(ref(s.value));
        expectType(ref(s.value), Type::I32, "delay");
      }
      scopes_.emplace_back();
      bind(s.name, Type::I32);
      if (!s.synName.empty())
        bind(s.synName, Type::I64);
      block(s.body);
      scopes_.pop_back();
      return;
    case Stmt::Kind::Ode:
      if (opts_.requireLowered)
        fail("ode left for code generation (integrate-odes has not run)");
      expr(ref(s.index));
      expr(ref(s.value));
      if (s.onSynapse ? synVarOk(s.pop, s.var) : varOk(s.pop, s.var))
        expectType(ref(s.value), Type::Real, "derivative");
      return;
    case Stmt::Kind::Tile:
      if (s.begin > s.end || s.tileSize <= 0)
        fail("tile %" + s.name + " with an empty range or size");
      scopes_.emplace_back();
      bind(s.name, Type::I32);
      tiles_.push_back(s.name);
      block(s.body);
      tiles_.pop_back();
      scopes_.pop_back();
      return;
    case Stmt::Kind::SpikeMask:
      popOk(s.pop);
      if (std::find(tiles_.begin(), tiles_.end(), s.name) == tiles_.end())
        fail("spike_mask of tile %" + s.name + ", which is not an enclosing tile");
      expr(ref(s.index));
      expectType(ref(s.index), Type::I32, "spike index");
      expr(ref(s.value));
      expectType(ref(s.value), Type::Bool, "spike mask");
      return;
    case Stmt::Kind::CompactSpikes:
      popOk(s.pop);
      if (std::find(tiles_.begin(), tiles_.end(), s.name) == tiles_.end())
        fail("compact_spikes of %" + s.name + ", which is not an enclosing tile");
      return;
    case Stmt::Kind::ClearSpikes:
      popOk(s.pop);
      return;
    case Stmt::Kind::EmitSpike:
      popOk(s.pop);
      expr(ref(s.index));
      expectType(ref(s.index), Type::I32, "spike index");
      return;
    case Stmt::Kind::Note:
      return;
    case Stmt::Kind::AcceptPair:
      if (!kernel_ || kernel_->phase != Phase::Connect)
        fail("accept_pair outside a connect kernel");
      else if (s.proj != static_cast<uint32_t>(kernel_->proj))
        fail("accept_pair of another projection than its kernel's");
      expr(ref(s.value));
      expectType(ref(s.value), Type::Bool, "pair test");
      return;
    }
  }

  /// The expression in slot `e`, or (reporting it) a stand-in when a statement or operation
  /// lacks one: broken IR gets a problem, never a null dereference.
  const Expr &ref(const ExprRef &e) {
    static const Expr missing = [] {
      Expr e{};
      e.op = Op::Const;
      e.type = Type::Real;
      return e;
    }();
    if (e)
      return *e;
    fail("a statement or operation is missing an operand");
    return missing;
  }

  void expr(const Expr &e) {
    for (auto &a : e.args)
      expr(ref(a));
    switch (e.op) {
    case Op::Quantity:
      if (opts_.requireLowered)
        fail("quantity left for code generation (scale-units has not run)");
      return;
    case Op::Param: {
      if (opts_.requireLowered)
        fail("parameter $" + e.owner + "." + e.name + " left for code generation");
      const std::vector<Param> *params = nullptr;
      for (auto &p : m_.populations)
        if (p.name == e.owner)
          params = &p.params;
      for (auto &p : m_.projections)
        if (p.name == e.owner)
          params = &p.params;
      bool found = false;
      if (params)
        for (auto &p : *params)
          found = found || p.name == e.name;
      for (auto &rp : m_.runtimeParams) // a network constant the protocol changes
        found = found || (e.owner.empty() && rp.owner.empty() && rp.name == e.name);
      if (!found)
        fail("reference to unknown parameter $" + e.owner + "." + e.name);
      return;
    }
    case Op::Load:
    case Op::BufLoad:
      if (kernel_ && kernel_->phase == Phase::Connect)
        fail("a connect kernel reads memory, which does not exist while the network is built");
      if (e.op == Op::BufLoad) {
        bufferOk(e.buffer, e.pop);
        expectType(e, bufferType(e.buffer), "buffer load");
        expectIndex(ref(e.args[0]), "buffer index");
        return;
      }
      if (e.onSynapse) {
        if (synVarOk(e.pop, e.var))
          expectType(e, m_.projections[e.pop].vars[e.var].type, "load");
      } else if (varOk(e.pop, e.var)) {
        expectType(e, m_.populations[e.pop].vars[e.var].type, "load");
      }
      expectIndex(ref(e.args[0]), "load index");
      return;
    case Op::ConstLoad:
      if (e.var >= m_.constants.size()) {
        fail("reference to missing constant table #" + std::to_string(e.var));
        return;
      }
      expectType(e, m_.constants[e.var].type, "constant load");
      if (!isInteger(e.args[0]->type))
        fail("constant table index of type " + std::string(typeName(e.args[0]->type)));
      return;
    case Op::RangeBegin:
    case Op::RangeEnd:
      if (kernel_ && (kernel_->phase == Phase::Init || kernel_->phase == Phase::Connect))
        fail("kernel range in an init or connect kernel");
      return;
    case Op::Local: {
      for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
        auto f = it->find(e.name);
        if (f != it->end()) {
          if (f->second.type != e.type)
            fail("%" + e.name + " used as " + typeName(e.type) + " but bound as " +
                 typeName(f->second.type));
          return;
        }
      }
      fail("use of unbound %" + e.name);
      return;
    }
    case Op::Step:
    case Op::Seed:
      return;
    case Op::Philox:
      if (e.var > 3)
        fail("philox word " + std::to_string(e.var) + " (there are 4)");
      for (auto &a : e.args)
        expectType(*a, Type::U64, "philox key or counter");
      return;
    case Op::Xor:
      if (e.args[0]->type != e.args[1]->type ||
          (e.args[0]->type != Type::U32 && e.args[0]->type != Type::U64))
        fail("bitwise operands must be u32 or u64 of one type: " + exprToString(m_, e));
      return;
    case Op::Shl: case Op::LShr: // also on i64 positions (halving a non-negative sum)
      if (e.args[0]->type != e.args[1]->type ||
          (e.args[0]->type != Type::U32 && e.args[0]->type != Type::U64 &&
           e.args[0]->type != Type::I64))
        fail("shift operands must be u32, u64 or i64 of one type: " + exprToString(m_, e));
      return;
    case Op::Cast:
      if (e.args[0]->type == Type::Bool || e.type == Type::Bool ||
          (e.args[0]->type == Type::Real && e.type != Type::Real))
        fail("cast from " + std::string(typeName(e.args[0]->type)) + " to " + typeName(e.type));
      return;
    case Op::Rand:
      if (opts_.requireLowered)
        fail("random number left for code generation (lower-random has not run)");
      // Initial values draw once per neuron; noise and rand() once per neuron and step.
      if (kernel_ && (kernel_->phase == Phase::Init || kernel_->phase == Phase::Connect) ==
                         e.perStep)
        fail(e.perStep ? "per-step random numbers in an init kernel"
                       : "initialisation random numbers outside an init kernel");
      expectIndex(ref(e.args[0]), "random-number index");
      return;
    case Op::Rem:
      if (e.args[0]->type != e.args[1]->type || !isInteger(e.args[0]->type))
        fail("remainder of non-integer or mismatched operands: " + exprToString(m_, e));
      return;
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Pow: case Op::Min:
    case Op::Max: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::Ne:
      if (e.args[0]->type != e.args[1]->type || e.args[0]->type == Type::Bool)
        fail("operands of mismatched or boolean type: " + exprToString(m_, e));
      return;
    case Op::And: case Op::Or:
      if (e.type != Type::Bool) { // bitwise
        if (e.args[0]->type != e.type || e.args[1]->type != e.type)
          fail("bitwise operands of mismatched type: " + exprToString(m_, e));
        return;
      }
      expectType(ref(e.args[0]), Type::Bool, "operand");
      expectType(ref(e.args[1]), Type::Bool, "operand");
      return;
    case Op::Not:
      expectType(ref(e.args[0]), Type::Bool, "operand");
      return;
    case Op::Neg:
      if (e.args[0]->type == Type::Bool)
        fail("negation of a boolean");
      return;
    case Op::Select:
      expectType(ref(e.args[0]), Type::Bool, "select condition");
      if (e.args[1]->type != e.args[2]->type)
        fail("select arms of different types");
      return;
    case Op::Call:
      if (!isMathFunction(e.name) || e.args.size() != 1)
        fail("call of unknown function " + e.name + " or with " + std::to_string(e.args.size()) +
             " arguments: " + exprToString(m_, e));
      for (auto &a : e.args)
        expectType(*a, Type::Real, "call argument");
      return;
    case Op::CountBelow:
      if (e.var >= m_.constants.size() || m_.constants[e.var].type != Type::Real) {
        fail("count_below of a missing or non-real constant table #" + std::to_string(e.var));
        return;
      }
      expectType(ref(e.args[0]), Type::Real, "count_below argument");
      return;
    case Op::PoissonInv:
      expectType(ref(e.args[0]), Type::Real, "Poisson mean");
      expectType(ref(e.args[1]), Type::Real, "Poisson uniform number");
      return;
    case Op::BinomialInv:
      for (auto &a : e.args)
        expectType(ref(a), Type::Real, "binomial argument");
      return;
    case Op::Table:
      if (e.var >= m_.tables.size())
        fail("reference to missing timed array #" + std::to_string(e.var));
      expectType(ref(e.args[0]), Type::Real, "timed array argument");
      return;
    case Op::ToReal:
      expectType(ref(e.args[0]), Type::I32, "conversion operand");
      return;
    case Op::ToInt:
      expectType(ref(e.args[0]), Type::Real, "conversion operand");
      return;
    default:
      return;
    }
  }

  const Module &m_;
  VerifyOptions opts_;
  std::vector<VerifierProblem> problems_;
  SourceLoc loc_; // of the innermost statement with one
  std::string where_;
  const Kernel *kernel_ = nullptr;
  struct Binding {
    Type type;
    bool isVar; // a mutable `var`, which Assign may change
  };
  std::vector<std::map<std::string, Binding>> scopes_;
  std::vector<std::string> tiles_; // enclosing tiles, innermost last
};

} // namespace

std::vector<VerifierProblem> verifyModuleLocated(const Module &m, VerifyOptions opts) {
  return Verifier(m, opts).run();
}

std::vector<std::string> verifyModule(const Module &m, VerifyOptions opts) {
  std::vector<std::string> out;
  for (auto &p : verifyModuleLocated(m, opts))
    out.push_back(std::move(p.message));
  return out;
}

} // namespace snn::ir
