// AST + Sema -> IR. Each population gets an init kernel and up to three step kernels (update,
// threshold, reset); each projection a delivery kernel. The step is laid out in Brian2's default
// order (all updates, all thresholds, all deliveries, all resets) so that the unoptimised IR is
// the reference semantics that fuse-neuron-updates must preserve.
#include "snn/IR/IRGen.h"

#include "snn/Sema/Units.h"

#include <cmath>
#include <map>
#include <set>

namespace snn::ir {
namespace {

/// How names are lowered inside one expression.
struct Context {
  Context(std::string o, int pop, ExprRef i, uint32_t n)
      : owner(std::move(o)), statePop(pop), index(std::move(i)), size(n) {}
  std::string owner;           // population or projection whose parameters are visible
  int statePop = -1;           // population whose state variables names refer to
  ExprRef index;               // neuron index those state variables are read at
  ExprRef stateIndex;          // where set, the index of state reads instead (a synapse's post)
  uint32_t size = 0;           // N
  uint64_t noiseStream = 0;    // stream of `xi` in the equation being lowered
  bool init = false;           // lowering an initial value (random numbers drawn once)
  int proj = -1;               // projection whose synapse variables names refer to
  ExprRef synIndex;            // synapse those variables are read at
  ExprRef preIndex;            // presynaptic neuron, for presynaptic traces
  ExprRef postIndex;           // postsynaptic neuron, for j in per-synapse initial values
  /// Where set, what random draws are keyed on instead of `index`: the synapse in per-synapse
  /// event code and every blocks, the spiking neuron in its once-per-spike trace updates.
  ExprRef randIndex;
  /// Traces read from locals rather than their variables, (population, variable) -> local: a
  /// partner's traces brought to t without being stored (readOnlyPartner).
  std::map<std::pair<uint32_t, uint32_t>, std::string> traceLocals;
  /// Writes to `unless refractory` variables of the neuron at `index` while it is refractory
  /// have no effect (Brian2's conditional writes): in update blocks the test is the
  /// `not_refractory` of the update, in event code the neuron's countdown.
  enum class Guard { None, Update, Event } guard = Guard::None;
  /// Lowering the coordinates of this population (`at (x = uniform(...))`): each random draw
  /// takes the same stream every time it is lowered, so that every kernel that reads a position
  /// (a pair test, an initial value, a delay) computes the same one.
  int positionPop = -1;
};

class Generator {
public:
  Generator(const ast::Program &p, const SemaResult &s) : program_(p), sema_(s) {}

  Module run() {
    const NetworkInfo &net = sema_.network;
    m_.name = net.def->name;
    m_.dt = net.dt;
    m_.duration = net.duration;
    m_.seed = net.seed;
    m_.precision = net.precision;
    for (const TimedArrayInfo &a : net.timedArrays)
      m_.tables.push_back({a.name, a.values, a.interval});

    for (const RuntimeParamInfo &r : net.runtimeParams)
      if (r.owner == RuntimeParamInfo::Owner::Network)
        changedConsts_.insert(r.name);
    for (uint32_t p = 0; p < net.populations.size(); ++p)
      declarePopulation(net.populations[p]);
    for (auto &c : net.connections)
      declareProjection(c);
    for (const RuntimeParamInfo &r : net.runtimeParams)
      declareRuntimeParam(r);
    declareProtocol(net);
    for (auto &r : net.records)
      declareRecorder(r);

    for (uint32_t p = 0; p < net.populations.size(); ++p)
      initKernel(p);
    for (uint32_t c = 0; c < net.connections.size(); ++c)
      synapseInitKernel(c);
    for (uint32_t c = 0; c < net.connections.size(); ++c)
      pairKernel(c);
    // Synapses' every blocks open the step (Brian2's run_regularly, 'start' slot).
    for (uint32_t c = 0; c < net.connections.size(); ++c)
      synapseEveryKernels(c);
    // Summed inputs, from the state at the start of the step (Brian2 updates them just
    // before their target group's state update).
    for (uint32_t c = 0; c < net.connections.size(); ++c)
      if (summedVar_.count(c))
        summedKernel(c);
    for (uint32_t p = 0; p < net.populations.size(); ++p)
      updateKernel(p);
    for (uint32_t c = 0; c < net.connections.size(); ++c)
      synapseUpdateKernel(c);
    for (uint32_t p = 0; p < net.populations.size(); ++p)
      thresholdKernel(p);
    for (uint32_t c = 0; c < net.connections.size(); ++c)
      deliverKernel(c);
    for (auto &in : net.inputs) // in the synapses' slot, as Brian2's PoissonInput
      inputKernel(in);
    // Every projection's on_pre before any on_post, as Brian2 orders its pathways (pre -1,
    // post +1 in the synapses slot).
    for (uint32_t c = 0; c < net.connections.size(); ++c)
      if (net.connections[c].synapse && net.connections[c].synapse->def->hasOnPost)
        postKernel(c);
    for (uint32_t c = 0; c < net.connections.size(); ++c) // after every on_post
      if (net.connections[c].teacherPop >= 0)
        teacherKernel(c);
    for (uint32_t p = 0; p < net.populations.size(); ++p)
      resetKernel(p);
    m_.streams = nextStream_;
    return std::move(m_);
  }

private:
  // ---- declarations ---------------------------------------------------------------------------
  void declarePopulation(const PopulationInfo &info) {
    Population pop;
    pop.name = info.decl->name;
    if (!info.neuron) {
      // A spike source: its events, in order, nothing to integrate.
      pop.model = "spikes";
      pop.size = info.size;
      pop.isSource = true;
      for (const SpikeEvent &e : info.source) {
        pop.sourceSteps.push_back(e.step);
        pop.sourceIndices.push_back(e.index);
      }
      m_.populations.push_back(std::move(pop));
      return;
    }
    pop.model = info.neuron->def->name;
    pop.size = info.size;
    pop.loc = info.decl->loc;
    Context ctx{pop.name, -1, nullptr, info.size};
    const std::vector<std::string> &perNeuron = info.perNeuron;
    for (const ast::Binding *b : info.params)
      if (std::find(perNeuron.begin(), perNeuron.end(), b->name) == perNeuron.end())
        pop.params.push_back({b->name, lower(*b->value, ctx)});
    for (const ast::Binding *b : info.init)
      pop.vars.push_back({b->name, Type::Real, false, unitOf(*b)});
    // Parameters that differ per neuron live in a variable each, set by the init kernel.
    for (const std::string &name : perNeuron) {
      perNeuronVar_[{pop.name, name}] = static_cast<uint32_t>(pop.vars.size());
      pop.vars.push_back({"_param_" + name, Type::Real, false, unitOf(*paramBinding(info, name))});
    }
    if (info.neuron->def->refractory) {
      pop.refractoryVar = static_cast<int>(pop.vars.size());
      pop.vars.push_back({"_refcnt", Type::I32});
      uint32_t p = static_cast<uint32_t>(m_.populations.size());
      for (const ast::Equation &eq : info.neuron->def->equations)
        if (eq.unlessRefractory)
          frozen_.insert({p, static_cast<uint32_t>(pop.findVar(eq.var))});
      // `(inputs = hold)`: each frozen variable gets the sum of the inputs held for it.
      if (info.neuron->def->holdRefractoryInputs)
        for (const ast::Equation &eq : info.neuron->def->equations)
          if (eq.unlessRefractory) {
            held_[{p, static_cast<uint32_t>(pop.findVar(eq.var))}] =
                static_cast<uint32_t>(pop.vars.size());
            pop.vars.push_back({"_held_" + eq.var, Type::Real});
          }
    }
    pop.method = info.neuron->method;
    pop.methodLoc = info.neuron->def->methodLoc;
    m_.populations.push_back(std::move(pop));
  }

  /// The SI unit of a binding's value, as diagnostics name it ('volt', '1' for a number).
  std::string unitOf(const ast::Binding &b) const {
    auto t = sema_.types.find(b.value.get());
    if (t == sema_.types.end() || t->second.isBool)
      return "";
    return t->second.dim.isDimensionless() ? "1" : t->second.dim.str();
  }

  /// A run-time parameter lives in a scalar variable: a neuron parameter in one of its
  /// population, a synapse parameter in one of its projection's postsynaptic population, a
  /// network constant in one of the first population (any would do: the kernels read it at [0]).
  /// fold-constants reads parameters from there instead of substituting their values; a network
  /// constant's uses are `$.name` references (lower()), which it resolves the same way.
  void declareRuntimeParam(const RuntimeParamInfo &r) {
    using Owner = RuntimeParamInfo::Owner;
    const NetworkInfo &net = sema_.network;
    RuntimeParam rp;
    rp.name = r.name;
    std::vector<Param> *params = nullptr;
    std::string var = "_param_" + r.name;
    if (r.owner == Owner::Population) {
      rp.pop = r.pop;
      rp.owner = m_.populations[r.pop].name;
      params = &m_.populations[r.pop].params;
    } else if (r.owner == Owner::Connection) {
      rp.pop = net.connections[r.pop].post;
      rp.owner = m_.projections[r.pop].name;
      params = &m_.projections[r.pop].params;
      var = "_param_" + rp.owner + "_" + r.name;
    } else {
      if (m_.populations.empty())
        return; // nothing runs, so nothing reads it
      rp.pop = 0;
      var = "_net_" + r.name;
      rp.value = net.constants.at(r.name).value;
    }
    Population &store = m_.populations[rp.pop];
    while (store.findVar(var) >= 0) // (`_param_A_B_c` may be A's B_c or A_B's c)
      var += "_";
    rp.var = static_cast<uint32_t>(store.vars.size());
    store.vars.push_back({var, Type::Real, /*scalar=*/true});
    if (params)
      for (auto &p : *params)
        if (p.name == r.name)
          p.runtime = true;
    rp.unit = r.dim.isDimensionless() ? "1" : r.dim.str();
    rp.units = unitChoices(r.dim);
    rp.loc = r.loc;
    runtimeIndex_[&r - net.runtimeParams.data()] = static_cast<uint32_t>(m_.runtimeParams.size());
    m_.runtimeParams.push_back(std::move(rp));
  }

  /// The runs' changes, at the step where each run starts.
  void declareProtocol(const NetworkInfo &net) {
    std::vector<int64_t> start{0};
    for (double d : net.runs)
      start.push_back(start.back() + std::llround(d / net.dt));
    for (const ChangeInfo &c : net.changes)
      if (auto k = runtimeIndex_.find(c.param); k != runtimeIndex_.end() && c.phase < start.size())
        m_.changes.push_back({start[c.phase], k->second, c.value});
    m_.duration = static_cast<double>(start.back()) * net.dt;
    if (net.runs.size() <= 1)
      m_.duration = net.duration;
  }

  void declareProjection(const ConnectionInfo &c) {
    Projection pj;
    pj.name = c.name;
    pj.pre = c.pre;
    pj.post = c.post;
    pj.preBegin = c.preBegin;
    pj.preEnd = c.preEnd;
    pj.postBegin = c.postBegin;
    pj.postEnd = c.postEnd;
    pj.rule = c.rule;
    pj.p = c.p;
    pj.k = c.k;
    pj.total = c.total;
    pj.conv = c.conv;
    pj.autapses = c.autapses;
    pj.delaySteps = c.delaySteps;
    pj.synapseDelays = c.synapseDelay != nullptr || c.listColumn("delay");
    if (c.rule == ConnRule::FromFile) {
      pj.listRowPtr = static_cast<int>(m_.constants.size());
      m_.constants.push_back({pj.name + ".rows", Type::I64, c.listRowPtr, {}});
      pj.listCol = static_cast<int>(m_.constants.size());
      m_.constants.push_back({pj.name + ".cols", Type::I32, c.listCol, {}});
      for (auto &col : c.listColumns) {
        listTable_[{static_cast<uint32_t>(m_.projections.size()), col.var}] =
            static_cast<uint32_t>(m_.constants.size());
        m_.constants.push_back({pj.name + "." + col.var, Type::Real, {}, col.values});
      }
    }
    Context ctx{pj.name, -1, nullptr, 0};
    for (const ast::Binding *b : c.synapseParams)
      pj.params.push_back({b->name, lower(*b->value, ctx)});
    uint32_t index = static_cast<uint32_t>(m_.projections.size());
    for (const ast::Binding *b : c.synapseInit) {
      if (kernelBound(c, *b))
        kernelVars_[{index, b->name}] = b->value.get();
      else
        pj.vars.push_back({b->name, Type::Real, false, unitOf(*b)});
    }
    if (c.synapse) {
      // Traces live with the neurons they follow: extra variables of the pre and post
      // populations, each side with the time of its last update (event-driven integration).
      const ast::SynapseDef &syn = *c.synapse->def;
      pj.postIndex = syn.hasOnPost || syn.hasOnTeacher;
      for (bool pre : {true, false}) {
        const auto &traces = pre ? syn.preTraces : syn.postTraces;
        if (traces.empty())
          continue;
        if (pre && pj.synapseDelays) {
          // Each synapse sees the presynaptic spike at its own arrival time, so a presynaptic
          // trace can no longer be shared by the neuron's synapses: it becomes per-synapse
          // state (as in Brian2), with its own update time.
          for (const ast::Binding &b : traces) {
            synTraceVar_[{index, b.name}] = static_cast<uint32_t>(pj.vars.size());
            pj.vars.push_back({"_" + b.name, Type::Real});
            synTraceInit_[index].push_back({static_cast<uint32_t>(pj.vars.size() - 1), &b, pj.name});
          }
          tpreSyn_[index] = static_cast<uint32_t>(pj.vars.size());
          pj.vars.push_back({"_tpre", Type::Real});
          continue;
        }
        uint32_t p = pre ? c.pre : c.post;
        Population &pop = m_.populations[p];
        for (const ast::Binding &b : traces) {
          traceVar_[{index, b.name}] = static_cast<uint32_t>(pop.vars.size());
          pop.vars.push_back({"_" + pj.name + "_" + b.name, Type::Real});
          extraInit_[p].push_back({static_cast<uint32_t>(pop.vars.size() - 1), &b, pj.name});
        }
        (pre ? tpre_ : tpost_)[index] = static_cast<uint32_t>(pop.vars.size());
        pop.vars.push_back({"_" + pj.name + (pre ? "_tpre" : "_tpost"), Type::Real});
      }
      // Response variables also live with the postsynaptic neurons, but are integrated every
      // step with them (updateKernel), so they need no update time.
      Population &post = m_.populations[c.post];
      for (const ast::Binding &b : syn.response) {
        traceVar_[{index, b.name}] = static_cast<uint32_t>(post.vars.size());
        post.vars.push_back({"_" + pj.name + "_" + b.name, Type::Real});
        extraInit_[c.post].push_back({static_cast<uint32_t>(post.vars.size() - 1), &b, pj.name});
      }
      // A summed input: the sum over the synapses onto each neuron, recomputed every step.
      if (syn.summed && c.ontoInput) {
        summedVar_[index] = static_cast<uint32_t>(post.vars.size());
        post.vars.push_back({"_" + pj.name + "_summed", Type::Real});
      }
    }
    m_.projections.push_back(std::move(pj));
  }

  void declareRecorder(const RecordInfo &r) {
    Recorder rec;
    rec.spikes = r.spikes;
    rec.synapses = r.synapses;
    rec.rate = r.rate;
    rec.pop = r.pop;
    rec.begin = r.begin;
    rec.end = r.end;
    rec.every = r.everySteps;
    std::string stem;
    if (r.synapses) {
      const Projection &pj = m_.projections[r.pop];
      rec.var = static_cast<uint32_t>(pj.findVar(r.var));
      stem = pj.name + "." + r.var;
    } else {
      const Population &pop = m_.populations[r.pop];
      if (!r.spikes)
        rec.var = static_cast<uint32_t>(pop.findVar(r.var));
      stem = pop.name + "." + (r.spikes ? std::string("spikes") : r.rate ? "rate" : r.var);
    }
    if (!r.spikes && !r.rate && r.everySteps == 0)
      stem += ".final"; // so that `record final P.v` and `record P.v` can coexist
    rec.name = stem;
    for (int k = 2; std::any_of(m_.recorders.begin(), m_.recorders.end(),
                                [&](auto &o) { return o.name == rec.name; });
         ++k)
      rec.name = stem + "_" + std::to_string(k);
    m_.recorders.push_back(std::move(rec));
  }

  // ---- kernels --------------------------------------------------------------------------------
  const PopulationInfo &popInfo(uint32_t p) const { return sema_.network.populations[p]; }
  const ast::NeuronDef &neuron(uint32_t p) const { return *popInfo(p).neuron->def; }

  ExprRef idx(const char *name = "i") { return local(name, Type::I32); }
  /// The synapse index bound by for_synapses / for_column: i64, networks outgrow 2^31 synapses.
  ExprRef synIdx() { return local("syn", Type::I64); }
  /// The index a random draw of `ctx` is keyed on (with the step, for draws while running).
  static ExprRef drawAt(const Context &ctx) { return ctx.randIndex ? ctx.randIndex : ctx.index; }
  /// The network reads a neuron's state where another MPI rank may own the neuron (the first
  /// such read is the reason given).
  void refuseSplit(std::string why) {
    if (m_.unsplittable.empty())
      m_.unsplittable = std::move(why);
  }
  /// A synapse's draws are keyed on its (pre, post) pair, (pre << 32) | post in absolute
  /// indices, not on its place in the CSR: unique, as there are no multapses, and the same
  /// however the synapses are stored (sorted by delay, split over MPI ranks).
  ExprRef synapseKey() {
    return toI64(binary(Op::Or, binary(Op::Shl, cast(idx("pre"), Type::U64), uconst(32, Type::U64)),
                        cast(idx("post"), Type::U64)));
  }

  void initKernel(uint32_t p) {
    Population &pop = m_.populations[p];
    if (pop.vars.empty())
      return;
    // State variables read in an initial value are those already stored for this neuron.
    Context ctx{pop.name, static_cast<int>(p), idx(), pop.size};
    ctx.init = true;
    Block body;
    static const std::vector<const ast::Binding *> none;
    const auto &inits = popInfo(p).neuron ? popInfo(p).init : none;
    // Per-neuron parameters first, each after those it uses: initial values may read them.
    for (const std::string &name : popInfo(p).perNeuron)
      body.push_back(makeStore(p, perNeuronVar_.at({pop.name, name}), idx(),
                               lower(*paramBinding(popInfo(p), name)->value, ctx)));
    for (size_t v = 0; v < inits.size(); ++v)
      body.push_back(makeStore(p, static_cast<uint32_t>(v), idx(), lower(*inits[v]->value, ctx)));
    if (pop.refractoryVar >= 0)
      body.push_back(makeStore(p, pop.refractoryVar, idx(), integer(0)));
    for (auto &[key, heldVar] : held_)
      if (key.first == p)
        body.push_back(makeStore(p, heldVar, idx(), real(0)));
    for (auto &[var, binding, owner] : extraInit_[p]) {
      Context tctx{owner, -1, idx(), pop.size};
      body.push_back(makeStore(p, var, idx(), lower(*binding->value, tctx)));
    }
    Block kernel;
    kernel.push_back(makeLoop("i", 0, pop.size, std::move(body)));
    m_.init.push_back({"init." + pop.name, Phase::Init, static_cast<int>(p), -1, std::move(kernel)});
  }

  /// %list_at := the position of the synapse (%pre, %post) in its projection's connection list:
  /// a binary search for %post in the list's row of %pre (columns ascend).
  void findListEntry(const Projection &pj, Block &body) {
    ExprRef row = toI64(sub(idx("pre"), integer(static_cast<int64_t>(pj.preBegin))));
    const uint32_t rows = static_cast<uint32_t>(pj.listRowPtr), cols = static_cast<uint32_t>(pj.listCol);
    ExprRef lo = local("list_at", Type::I64), hi = local("list_end", Type::I64);
    body.push_back(makeVar("list_at", constLoad(rows, Type::I64, row)));
    body.push_back(makeVar("list_end", constLoad(rows, Type::I64, add(row, index64(1)))));
    Block step, right, left;
    step.push_back(makeLet("list_mid", binary(Op::LShr, add(lo, hi), index64(1))));
    ExprRef mid = local("list_mid", Type::I64);
    right.push_back(makeAssign("list_at", add(mid, index64(1))));
    left.push_back(makeAssign("list_end", mid));
    step.push_back(makeIf(binary(Op::Lt, constLoad(cols, Type::I32, mid), idx("post")),
                          std::move(right), std::move(left)));
    body.push_back(makeWhile(binary(Op::Lt, lo, hi), std::move(step)));
  }

  /// `body` for every synapse of projection c: loop %pre { for_synapses %post, %syn ... },
  /// so that a synapse's pre and post neurons are at hand.
  Block overSynapses(uint32_t c, Block body) {
    const Projection &pj = m_.projections[c];
    auto row = std::make_unique<Stmt>();
    row->kind = Stmt::Kind::ForRow;
    row->name = "post";
    row->synName = "syn";
    row->proj = c;
    row->index = idx("pre");
    row->body = std::move(body);
    Block rows;
    rows.push_back(std::move(row));
    Block kernel;
    kernel.push_back(makeLoop("pre", pj.preBegin, pj.preEnd, std::move(rows)));
    return kernel;
  }

  /// A synapse model's `every T { ... }` blocks: in the steps whose number is a multiple of T/dt,
  /// each total(e) of the block is summed per post neuron over the connection's synapses (into a
  /// variable of the post population, zeroed first), then the statements run for every synapse.
  void synapseEveryKernels(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    if (!info.synapse || info.synapse->def->every.empty())
      return;
    Projection &pj = m_.projections[c];
    Population &post = m_.populations[pj.post];
    int k = 0;
    for (const ast::Every &e : info.synapse->def->every) {
      std::vector<const ast::CallExpr *> totals;
      std::function<void(const ast::Expr &)> find = [&](const ast::Expr &x) {
        if (auto *call = ast::dyn_cast<ast::CallExpr>(&x)) {
          if (call->callee == "total")
            totals.push_back(call);
          for (auto &a : call->args)
            find(*a);
        } else if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&x)) {
          find(*u->operand);
        } else if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&x)) {
          find(*b->lhs);
          find(*b->rhs);
        }
      };
      std::vector<const ast::Assignment *> list;
      for (auto &a : e.body) {
        list.push_back(&a);
        find(*a.value);
        for (auto &g : a.guards)
          find(*g.condition->cond);
      }
      Context ctx = eventContext(c);
      Block steps;
      for (const ast::CallExpr *call : totals) {
        uint32_t acc = static_cast<uint32_t>(post.vars.size());
        post.vars.push_back({"_" + pj.name + "_total" + std::to_string(k++), Type::Real});
        totalVar_[call] = acc;
        for (auto &s : sumOverSynapses(c, acc, lower(*call->args[0], ctx)))
          steps.push_back(std::move(s));
      }
      for (auto &s : overSynapses(c, assignmentList(list, ctx)))
        steps.push_back(std::move(s));
      Block kernel;
      kernel.push_back(makeIf(due(e), std::move(steps)));
      m_.step.push_back({"every." + pj.name, Phase::Update, -1, static_cast<int>(c),
                         std::move(kernel)});
    }
  }

  /// Post variable `acc` of projection c's post range set to the sum of e over each neuron's
  /// incoming synapses: zeroed, then every synapse adds its e (e lowered in eventContext(c)).
  Block sumOverSynapses(uint32_t c, uint32_t acc, ExprRef e) {
    const Projection &pj = m_.projections[c];
    Block zero;
    zero.push_back(makeStore(pj.post, acc, idx(), real(0)));
    Block add;
    add.push_back(makeStore(pj.post, acc, idx("post"),
                            binary(Op::Add, load(pj.post, acc, Type::Real, idx("post")),
                                   std::move(e))));
    Block out;
    out.push_back(makeLoop("i", pj.postBegin, pj.postEnd, std::move(zero)));
    for (auto &s : overSynapses(c, std::move(add)))
      out.push_back(std::move(s));
    return out;
  }

  /// Whether this step runs `every` block e: step % (T/dt) == 0.
  ExprRef due(const ast::Every &e) const {
    std::string why;
    SourceLoc where;
    auto steps =
        static_cast<uint64_t>(std::llround(evalConst(*e.period, why, where)->value / m_.dt));
    return binary(Op::Eq, binary(Op::Rem, stepNumber(), uconst(steps, Type::U64)),
                  uconst(0, Type::U64));
  }

  /// `summed e` onto input I: each post neuron's sum is set to 0, then every synapse adds its e.
  void summedKernel(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    const Projection &pj = m_.projections[c];
    Block kernel = sumOverSynapses(c, summedVar_.at(c),
                                   lower(*info.synapse->def->summed, eventContext(c)));
    m_.step.push_back({"summed." + pj.name, Phase::Update, -1, static_cast<int>(c),
                       std::move(kernel)});
  }

  /// Initial values of per-synapse state and per-synapse delays: a loop over the projection's
  /// presynaptic neurons and their rows, so that i and j (the synapse's pre and post neurons)
  /// are at hand; random initial values are indexed by synapse.
  void synapseInitKernel(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    const Projection &pj = m_.projections[c];
    if (pj.vars.empty() && !pj.synapseDelays)
      return;
    // Random draws per synapse; `pre.x`, `post.x` and earlier synapse variables read where the
    // synapse connects.
    Context ctx{pj.name, static_cast<int>(pj.post), synIdx(), 0};
    ctx.init = true;
    ctx.proj = static_cast<int>(c);
    ctx.synIndex = synIdx();
    ctx.preIndex = idx("pre");
    ctx.postIndex = idx("post");
    ctx.stateIndex = idx("post");
    ctx.randIndex = synapseKey();
    Block body;
    // A value column of the connection's file gives the variable (or the delay) per synapse,
    // at the synapse's place in the file's list, found by its post neuron in its row (the
    // synapses built may be only some of the row's: those of one MPI rank).
    if (pj.listRowPtr >= 0 && std::any_of(listTable_.begin(), listTable_.end(),
                                          [&](auto &t) { return t.first.first == c; }))
      findListEntry(pj, body);
    auto column = [&](const std::string &var) -> ExprRef {
      auto t = listTable_.find({c, var});
      return t == listTable_.end() ? nullptr
                                   : constLoad(t->second, Type::Real, local("list_at", Type::I64));
    };
    for (const ast::Binding *b : info.synapseInit) {
      if (kernelVars_.count({c, b->name}))
        continue; // read from the kernel where it is used
      ExprRef fromFile = column(b->name);
      body.push_back(makeStoreSynapse(c, static_cast<uint32_t>(pj.findVar(b->name)), synIdx(),
                                      fromFile ? fromFile : lower(*b->value, ctx)));
    }
    for (auto &[var, binding, owner] : synTraceInit_[c])
      body.push_back(makeStoreSynapse(c, var, synIdx(), lower(*binding->value, ctx)));
    if (auto t = tpreSyn_.find(c); t != tpreSyn_.end())
      body.push_back(makeStoreSynapse(c, t->second, synIdx(), real(0)));
    if (pj.synapseDelays) {
      // Rounded to the nearest step (halves up); the clamp keeps absurd values defined until
      // the runtime refuses them, and NaN becomes SNN_DELAY_NAN (INT32_MIN) for it to name.
      ExprRef delay = column("delay");
      if (!delay)
        delay = lower(*info.synapseDelay, ctx);
      body.push_back(makeLet("delay", binary(Op::Add, binary(Op::Div, delay, real(m_.dt)),
                                              real(0.5))));
      ExprRef raw = local("delay", Type::Real);
      ExprRef steps = binary(Op::Max, binary(Op::Min, call("floor", {raw}), real(1e9)), real(-1e9));
      steps = select(binary(Op::Eq, raw, raw), steps, real(-2147483648.0));
      auto set = std::make_unique<Stmt>();
      set->kind = Stmt::Kind::SetDelay;
      set->proj = c;
      set->index = synIdx();
      set->value = toInt(steps);
      body.push_back(std::move(set));
    }
    Block kernel = overSynapses(c, std::move(body));
    m_.init.push_back({"init." + pj.name, Phase::Init, -1, static_cast<int>(c), std::move(kernel)});
  }

  /// A projection whose rule tests pairs one by one (a probability or a condition of i, j and
  /// positions): its connect kernel, `accept_pair P if cond and u < p` for the candidate pair
  /// (%pre, %post), u a uniform number keyed on the pair (as the synapse's own draws are), so
  /// that the network does not depend on the order pairs are tested in, or on MPI ranks.
  void pairKernel(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    if (!info.pairProb && !info.condition)
      return;
    const Projection &pj = m_.projections[c];
    Context ctx{pj.name, -1, idx("post"), 0};
    ctx.init = true;
    ctx.proj = static_cast<int>(c);
    ctx.preIndex = idx("pre");
    ctx.postIndex = idx("post");
    ctx.randIndex = synapseKey();
    // The condition, and then a draw under the probability (a constant one of 1 draws nothing).
    ExprRef accept = info.condition ? lower(*info.condition, ctx) : nullptr;
    ExprRef p = info.pairProb ? lower(*info.pairProb, ctx)
                : pj.rule == ConnRule::Bernoulli && pj.p < 1 ? real(pj.p)
                                                             : nullptr;
    if (p) {
      ExprRef draw = binary(Op::Lt, rand(RandDist::Uniform, nextStream_++, synapseKey()), p);
      accept = accept ? binary(Op::And, accept, draw) : draw;
    }
    if (!accept)
      accept = boolean(true);
    auto s = std::make_unique<Stmt>();
    s->kind = Stmt::Kind::AcceptPair;
    s->proj = c;
    s->value = accept;
    Block body;
    body.push_back(std::move(s));
    m_.connect.push_back({"pairs." + pj.name, Phase::Connect, -1, static_cast<int>(c),
                          std::move(body)});
  }

  /// Coordinate `axis` of neuron `index` (i32, in its population) of population `p`.
  ExprRef position(uint32_t p, uint32_t axis, const ExprRef &index) {
    const PositionInfo &at = sema_.network.populations[p].positions;
    switch (at.kind) {
    case PositionInfo::Kind::Grid: return mul(toReal(gridIndex(at, axis, index)), real(at.spacing));
    case PositionInfo::Kind::Exprs: {
      Context ctx{m_.populations[p].name, -1, index, m_.populations[p].size};
      ctx.init = true;
      ctx.positionPop = static_cast<int>(p);
      return lower(*at.exprs[axis], ctx);
    }
    case PositionInfo::Kind::File: {
      auto [it, fresh] = positionTable_.emplace(p, static_cast<uint32_t>(m_.constants.size()));
      if (fresh)
        m_.constants.push_back({"positions." + m_.populations[p].name, Type::Real, {}, at.values});
      return constLoad(it->second, Type::Real,
                       add(mul(toI64(index), uconst(at.dims, Type::I64)),
                           uconst(axis, Type::I64)));
    }
    case PositionInfo::Kind::None: break;
    }
    return real(0);
  }

  /// Neuron `index`'s cell along `axis` of a grid: column i % nx, row (i / nx) % ny, layer
  /// i / (nx ny) (i32).
  ExprRef gridIndex(const PositionInfo &at, uint32_t axis, const ExprRef &index) {
    ExprRef k = index;
    for (uint32_t a = 0; a < axis; ++a)
      k = binary(Op::Div, k, integer(at.shape[a]));
    if (axis + 1 < at.dims)
      k = binary(Op::Rem, k, integer(at.shape[axis]));
    return k;
  }

  /// The distance between the synapse's neurons: Euclidean, each axis wrapping around a
  /// periodic presynaptic grid (the nearer of the two ways round, NEST's edge_wrap). Between
  /// two grids of one spacing, an axis's distance is the cells' difference times the
  /// spacing, so whole multiples of it are exact (`distance <= 2 * spacing` holds at 2 cells);
  /// otherwise the coordinates' difference.
  ExprRef distance(const Context &ctx) {
    const Projection &pj = m_.projections[ctx.proj];
    const PositionInfo &at = sema_.network.populations[pj.pre].positions;
    const PositionInfo &to = sema_.network.populations[pj.post].positions;
    const bool cells = at.kind == PositionInfo::Kind::Grid && to.kind == PositionInfo::Kind::Grid &&
                       at.spacing == to.spacing;
    ExprRef sum;
    for (uint32_t a = 0; a < at.dims; ++a) {
      ExprRef d;
      if (cells) {
        d = call("abs", {toReal(sub(gridIndex(at, a, ctx.preIndex),
                                    gridIndex(to, a, ctx.postIndex)))});
        if (at.periodic)
          d = binary(Op::Min, d, sub(real(at.shape[a]), d));
        d = mul(d, real(at.spacing));
      } else {
        d = call("abs", {sub(position(pj.pre, a, ctx.preIndex),
                             position(pj.post, a, ctx.postIndex))});
        if (at.kind == PositionInfo::Kind::Grid && at.periodic)
          d = binary(Op::Min, d, sub(real(at.shape[a] * at.spacing), d));
      }
      if (at.dims == 1)
        return d;
      sum = sum ? add(sum, mul(d, d)) : mul(d, d);
    }
    return call("sqrt", {sum});
  }

  /// A variable of a conv2d connection's synapses that is the kernel's element for the pair (an
  /// initial value of `kernel`, constants and parameters, `w = kernel * w0`) and that nothing
  /// writes, records or sums is not stored per synapse: where it is read, it is computed from
  /// the kernel, stored once (a spiking CNN pays no per-synapse weight).
  bool kernelBound(const ConnectionInfo &c, const ast::Binding &b) const {
    if (c.rule != ConnRule::Conv2d || !c.synapse)
      return false;
    bool kernel = false, pure = true;
    std::function<void(const ast::Expr &)> scan = [&](const ast::Expr &e) {
      if (auto *n = ast::dyn_cast<ast::NameExpr>(&e)) {
        auto it = sema_.names.find(n);
        NameRef::Kind k = it == sema_.names.end() ? NameRef::Kind::Param : it->second.kind;
        kernel = kernel || k == NameRef::Kind::Kernel;
        pure = pure && (k == NameRef::Kind::Kernel || k == NameRef::Kind::NetConst ||
                        k == NameRef::Kind::Unit || k == NameRef::Kind::Pi ||
                        k == NameRef::Kind::Param);
      } else if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e)) {
        scan(*u->operand);
      } else if (auto *bin = ast::dyn_cast<ast::BinaryExpr>(&e)) {
        scan(*bin->lhs);
        scan(*bin->rhs);
      } else if (auto *call = ast::dyn_cast<ast::CallExpr>(&e)) {
        pure = pure && !isRandomFunction(call->callee) &&
               sema_.network.findArray(call->callee) < 0 &&
               sema_.network.findTimedArray(call->callee) < 0;
        for (auto &a : call->args)
          scan(*a);
      }
    };
    scan(*b.value);
    if (!kernel || !pure)
      return false;
    const ast::SynapseDef &syn = *c.synapse->def;
    if (syn.summed || !syn.every.empty())
      return false;
    for (auto &eq : syn.equations)
      if (eq.var == b.name)
        return false;
    for (auto *block : {&syn.onPre, &syn.onPost, &syn.onTeacher})
      for (auto &a : *block)
        if (a.side == ast::Side::None && a.target == b.name)
          return false;
    for (auto &r : sema_.network.records)
      if (r.synapses && &sema_.network.connections[r.pop] == &c && r.var == b.name)
        return false;
    return true;
  }

  /// `kernel` of a conv2d connection: kernel[o, c, ky, kx] for the synapse from input (c, y, x)
  /// to output (o, oy, ox), ky = y - (oy * stride - padding) (kx likewise), from a constant
  /// table of the kernel made on first use: the kernel is stored once, not per synapse.
  ExprRef kernelElement(const Context &ctx) {
    const ConnectionInfo &info = sema_.network.connections[ctx.proj];
    const Projection &pj = m_.projections[ctx.proj];
    const ConvGeometry &g = pj.conv;
    auto [it, fresh] = kernelTable_.emplace(ctx.proj, static_cast<uint32_t>(m_.constants.size()));
    if (fresh)
      m_.constants.push_back({"kernel." + pj.name, Type::Real, {},
                              sema_.network.arrays[static_cast<size_t>(info.convKernel)].values});
    // Both populations are whole grids: their indices are the grids' cells, x fastest.
    ExprRef post = ctx.postIndex ? ctx.postIndex : ctx.index;
    auto cell = [&](const ExprRef &n, uint32_t w, uint32_t h, int axis) -> ExprRef {
      switch (axis) {
      case 0: return binary(Op::Rem, n, integer(w));                               // x
      case 1: return binary(Op::Rem, binary(Op::Div, n, integer(w)), integer(h));  // y
      default: return binary(Op::Div, n, integer(w * h));                          // channel
      }
    };
    // The kernel cell of input coordinate x under output coordinate ox: x - (ox stride - pad).
    auto offset = [&](const ExprRef &x, const ExprRef &ox) {
      return sub(x, sub(mul(ox, integer(g.stride)), integer(g.padding)));
    };
    ExprRef ky = offset(cell(ctx.preIndex, g.inW, g.inH, 1), cell(post, g.outW, g.outH, 1));
    ExprRef kx = offset(cell(ctx.preIndex, g.inW, g.inH, 0), cell(post, g.outW, g.outH, 0));
    // ((o * C + c) * KH + ky) * KW + kx, in i64.
    ExprRef at = add(mul(add(mul(add(mul(toI64(cell(post, g.outW, g.outH, 2)),
                                         uconst(g.inC, Type::I64)),
                                     toI64(cell(ctx.preIndex, g.inW, g.inH, 2))),
                                 uconst(g.kH, Type::I64)),
                             toI64(ky)),
                         uconst(g.kW, Type::I64)),
                     toI64(kx));
    return constLoad(it->second, Type::Real, at);
  }

  /// `stim(t, i)` of a per-neuron timed array: row k = int((t + 1e-3 T) / T) of its (K, N)
  /// values (the first before the start, the last after the end, as a 1-D timed array), column
  /// i, from a constant table made on first use.
  ExprRef timedElement(uint32_t k, ExprRef time, const Context &ctx) {
    const TimedArrayInfo &ta = sema_.network.timedArrays[k];
    auto [it, fresh] = timedTable_.emplace(k, static_cast<uint32_t>(m_.constants.size()));
    if (fresh)
      m_.constants.push_back({"timed_array." + ta.name, Type::Real, {}, ta.values});
    const double rows = static_cast<double>(ta.values.size() / ta.columns);
    ExprRef row = call("floor", {binary(Op::Div, binary(Op::Add, time, real(1e-3 * ta.interval)),
                                        real(ta.interval))});
    row = binary(Op::Max, binary(Op::Min, row, real(rows - 1)), real(0));
    ExprRef at = add(mul(toI64(toInt(row)), uconst(ta.columns, Type::I64)), toI64(ctx.index));
    return constLoad(it->second, Type::Real, at);
  }

  /// `W(i)` or `W(i, j)`: the array's constant table (made on first use) at the element of the
  /// neuron or of the synapse's pre and post neurons, counted from the connection's ranges.
  ExprRef arrayElement(uint32_t k, const ast::CallExpr &c, const Context &ctx) {
    auto [it, fresh] = arrayTable_.emplace(k, static_cast<uint32_t>(m_.constants.size()));
    if (fresh) {
      const ArrayInfo &a = sema_.network.arrays[k];
      m_.constants.push_back({"array." + a.name, Type::Real, {}, a.values});
    }
    ExprRef at;
    for (auto &arg : c.args) {
      ExprRef i;
      switch (sema_.names.at(arg.get()).kind) {
      case NameRef::Kind::PreIndex:
        i = sub(toI64(ctx.preIndex), uconst(m_.projections[ctx.proj].preBegin, Type::I64));
        break;
      case NameRef::Kind::PostIndex:
        i = sub(toI64(ctx.postIndex), uconst(m_.projections[ctx.proj].postBegin, Type::I64));
        break;
      default: i = toI64(ctx.index); break;
      }
      // Row-major: (i, j) is element i * (post extent) + j.
      at = at ? add(mul(at, uconst(sema_.network.arrays[k].shape[1], Type::I64)), i) : i;
    }
    return constLoad(it->second, Type::Real, at);
  }

  /// Parameter `name` of population or projection `owner`: folded by fold-constants, or, where it
  /// differs per neuron, the neuron's own value, read at `index`.
  ExprRef paramRef(const std::string &owner, const std::string &name, const ExprRef &index) {
    auto v = perNeuronVar_.find({owner, name});
    if (v == perNeuronVar_.end())
      return param(owner, name);
    int p = -1;
    for (size_t k = 0; k < m_.populations.size(); ++k)
      if (m_.populations[k].name == owner)
        p = static_cast<int>(k);
    return load(static_cast<uint32_t>(p), v->second, Type::Real, index);
  }

  static const ast::Binding *paramBinding(const PopulationInfo &info, const std::string &name) {
    for (const ast::Binding *b : info.params)
      if (b->name == name)
        return b;
    return nullptr;
  }

  /// Whether the neuron's refractoriness is a condition (`refractory v > -20 mV`), not a time.
  bool refractoryCondition(const ast::NeuronDef &n) const {
    auto t = n.refractory ? sema_.types.find(n.refractory.get()) : sema_.types.end();
    return t != sema_.types.end() && t->second.isBool;
  }

  /// Refractory countdown, then one Ode per equation (integrate-odes turns them into updates).
  void updateKernel(uint32_t p) {
    const Population &pop = m_.populations[p];
    if (pop.isSource)
      return;
    const ast::NeuronDef &n = neuron(p);
    Context ctx{pop.name, static_cast<int>(p), idx(), pop.size};
    Block body;
    // Parameters that differ per neuron and in time (stim(t, i)) are computed again first, at
    // the step's t, in dependency order; everything after reads them.
    for (const std::string &name : popInfo(p).perNeuronTimed)
      body.push_back(makeStore(p, perNeuronVar_.at({pop.name, name}), idx(),
                               lower(*paramBinding(popInfo(p), name)->value, ctx)));
    // `every T { ... }` first (Brian2's run_regularly, in the 'start' slot), in the steps whose
    // number is a multiple of T/dt; its writes are not guarded by refractoriness.
    for (auto &e : n.every) {
      std::vector<const ast::Assignment *> list;
      for (auto &a : e.body)
        list.push_back(&a);
      body.push_back(makeIf(due(e), assignmentList(list, ctx)));
    }
    if (pop.refractoryVar >= 0) {
      uint32_t rv = pop.refractoryVar;
      ExprRef cnt = load(p, rv, Type::I32, idx());
      Block dec;
      if (refractoryCondition(n)) {
        // `refractory v > -20 mV`: refractory from the spike until the first step that starts
        // with the condition false (Brian2: not_refractory = not_refractory or not (cond)).
        dec.push_back(makeStore(p, rv, idx(), integer(0)));
        body.push_back(makeIf(binary(Op::And, binary(Op::Gt, cnt, integer(0)),
                                     unary(Op::Not, lower(*n.refractory, ctx))),
                              std::move(dec)));
      } else {
        dec.push_back(makeStore(p, rv, idx(), binary(Op::Sub, cnt, integer(1))));
        body.push_back(makeIf(binary(Op::Gt, cnt, integer(0)), std::move(dec)));
      }
      body.push_back(makeLet("not_refractory", binary(Op::Eq, cnt, integer(0))));
      // Held inputs join their variable in the first step it integrates again (as if they all
      // arrived as refractoriness ended), before the equations read it.
      ExprRef nr = local("not_refractory", Type::Bool);
      for (auto &[key, heldVar] : held_) {
        if (key.first != p)
          continue;
        ExprRef h = load(p, heldVar, Type::Real, idx());
        body.push_back(makeStore(p, key.second, idx(),
                                 binary(Op::Add, load(p, key.second, Type::Real, idx()),
                                        select(nr, h, real(0)))));
        body.push_back(makeStore(p, heldVar, idx(), select(nr, real(0), h)));
      }
    }
    for (auto &eq : n.equations) {
      ctx.noiseStream = nextStream_++;
      auto s = std::make_unique<Stmt>();
      s->kind = Stmt::Kind::Ode;
      s->pop = p;
      s->var = static_cast<uint32_t>(pop.findVar(eq.var));
      s->index = idx();
      s->value = lower(*eq.rhs, ctx);
      s->unlessRefractory = eq.unlessRefractory;
      s->loc = eq.loc;
      body.push_back(std::move(s));
    }
    // The response variables of the synapses onto this population join its equations, so that
    // they are integrated as one system with the neuron (exactly, when all of it is linear).
    for (uint32_t c = 0; c < sema_.network.connections.size(); ++c) {
      const ConnectionInfo &info = sema_.network.connections[c];
      if (info.post != p || !info.synapse)
        continue;
      Context rctx{m_.projections[c].name, static_cast<int>(p), idx(), pop.size};
      rctx.proj = static_cast<int>(c);
      for (const ast::Equation &eq : info.synapse->def->equations) {
        if (!info.synapse->responseDims.count(eq.var))
          continue;
        auto s = std::make_unique<Stmt>();
        s->kind = Stmt::Kind::Ode;
        s->pop = p;
        s->var = traceVar_.at({c, eq.var});
        s->index = idx();
        s->value = lower(*eq.rhs, rctx);
        s->loc = eq.loc;
        body.push_back(std::move(s));
      }
    }
    if (pop.refractoryVar >= 0)
      ctx.guard = Context::Guard::Update;
    for (auto &s : assignments(n.update, ctx))
      body.push_back(std::move(s));
    if (body.empty())
      return;
    Block kernel;
    kernel.push_back(makeLoop("i", 0, pop.size, std::move(body)));
    m_.step.push_back({"update." + pop.name, Phase::Update, static_cast<int>(p), -1,
                       std::move(kernel)});
  }

  /// Equations of per-synapse variables: one Ode per equation and synapse, every step, after
  /// the neurons' updates (where Brian2 runs a Synapses object's clock-driven state updater).
  void synapseUpdateKernel(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    if (!info.synapse || info.synapse->synapseEquations.empty())
      return;
    const Projection &pj = m_.projections[c];
    Context ctx = eventContext(c); // the same %pre, %post and %syn as event code
    Block body;
    for (const ast::Equation *eq : info.synapse->synapseEquations) {
      auto s = std::make_unique<Stmt>();
      s->kind = Stmt::Kind::Ode;
      s->onSynapse = true;
      s->pop = c;
      s->var = static_cast<uint32_t>(pj.findVar(eq->var));
      s->index = synIdx();
      s->value = lower(*eq->rhs, ctx);
      s->loc = eq->loc;
      body.push_back(std::move(s));
    }
    Block kernel = overSynapses(c, std::move(body));
    m_.step.push_back({"update." + pj.name, Phase::Update, -1, static_cast<int>(c),
                       std::move(kernel)});
  }

  void thresholdKernel(uint32_t p) {
    const Population &pop = m_.populations[p];
    if (pop.isSource) {
      Block kernel;
      auto clear = std::make_unique<Stmt>();
      clear->kind = Stmt::Kind::ClearSpikes;
      clear->pop = p;
      kernel.push_back(std::move(clear));
      auto emit = std::make_unique<Stmt>();
      emit->kind = Stmt::Kind::EmitSourceSpikes;
      emit->pop = p;
      kernel.push_back(std::move(emit));
      m_.step.push_back({"source." + pop.name, Phase::Threshold, static_cast<int>(p), -1,
                         std::move(kernel)});
      return;
    }
    const ast::NeuronDef &n = neuron(p);
    if (!n.threshold)
      return;
    Context ctx{pop.name, static_cast<int>(p), idx(), pop.size};
    ExprRef cond = lower(*n.threshold, ctx);
    // A refractory neuron cannot spike (Brian2 adds `and not_refractory` to the threshold).
    if (pop.refractoryVar >= 0)
      cond = binary(Op::And, cond,
                    binary(Op::Eq, load(p, pop.refractoryVar, Type::I32, idx()), integer(0)));
    auto emit = std::make_unique<Stmt>();
    emit->kind = Stmt::Kind::EmitSpike;
    emit->pop = p;
    emit->index = idx();
    Block then;
    then.push_back(std::move(emit));
    if (pop.refractoryVar >= 0) {
      // The countdown starts at the spike, so that the deliveries of this step already see the
      // neuron as refractory (Brian2 clears not_refractory in its thresholder). Brian2's
      // timestep(refractory, dt): the shift keeps exact multiples of dt from rounding down to
      // the previous step. At least one step: a period of 0 (or a negative one, possible
      // through an override) still covers the rest of the spike's own step, as in Brian2, and
      // no more (k = 0 and k = 1 both integrate and may fire again in the next step).
      ExprRef steps =
          refractoryCondition(n) // refractory until the condition is found false
              ? integer(1)
              : binary(Op::Max,
                       toInt(binary(Op::Add, binary(Op::Div, lower(*n.refractory, ctx),
                                                    real(m_.dt)),
                                    real(1e-3))),
                       integer(1));
      then.push_back(makeStore(p, pop.refractoryVar, idx(), steps));
    }
    Block body;
    body.push_back(makeIf(cond, std::move(then)));
    body.back()->loc = n.threshold->loc;
    Block kernel;
    auto clear = std::make_unique<Stmt>();
    clear->kind = Stmt::Kind::ClearSpikes;
    clear->pop = p;
    kernel.push_back(std::move(clear));
    kernel.push_back(makeLoop("i", 0, pop.size, std::move(body)));
    m_.step.push_back({"threshold." + pop.name, Phase::Threshold, static_cast<int>(p), -1,
                       std::move(kernel)});
  }

  /// Brings the traces of one side (pre or post) of projection `c` to time t at neuron `index`;
  /// with `into`, only into locals (each trace's name there is added to it), leaving the
  /// variables as they are.
  Block advanceTraces(uint32_t c, bool pre, const ExprRef &index,
                      std::map<std::pair<uint32_t, uint32_t>, std::string> *into = nullptr) {
    Block out;
    const ConnectionInfo &info = sema_.network.connections[c];
    if (!info.synapse)
      return out;
    const ast::SynapseDef &syn = *info.synapse->def;
    const auto &traces = pre ? syn.preTraces : syn.postTraces;
    if (traces.empty())
      return out;
    const Projection &pj = m_.projections[c];
    bool perSynapse = pre && preTracesPerSynapse(c);
    uint32_t p = perSynapse ? c : pre ? pj.pre : pj.post;
    uint32_t tvar = perSynapse ? tpreSyn_.at(c) : (pre ? tpre_ : tpost_).at(c);
    ExprRef at = perSynapse ? synIdx() : index;
    Context ctx{pj.name, -1, at, 0};
    ctx.proj = static_cast<int>(c);
    ctx.preIndex = at;
    ctx.synIndex = synIdx();
    if (!perSynapse)
      ctx.statePop = static_cast<int>(p); // post traces are read at ctx.index
    for (const ast::Equation &eq : syn.equations) {
      if (std::none_of(traces.begin(), traces.end(), [&](auto &b) { return b.name == eq.var; }))
        continue;
      auto s = std::make_unique<Stmt>();
      s->kind = Stmt::Kind::AdvanceTrace;
      s->pop = p;
      s->onSynapse = perSynapse;
      s->var = (perSynapse ? synTraceVar_ : traceVar_).at({c, eq.var});
      s->timeVar = tvar;
      s->index = at;
      s->value = lower(*eq.rhs, ctx);
      s->loc = eq.loc;
      if (into) {
        s->name = "now" + m_.populations[p].vars[s->var].name;
        (*into)[{p, s->var}] = s->name;
      }
      out.push_back(std::move(s));
    }
    if (!into)
      out.push_back(perSynapse ? makeStoreSynapse(p, tvar, at, timeNow())
                               : makeStore(p, tvar, at, timeNow()));
    return out;
  }

  /// Splits an event block into trace updates of the event's own side, which run once per spike
  /// (before the loop over the neuron's synapses, or after it when they follow the statements
  /// that read them; Sema refuses anything in between), and the per-synapse statements.
  void splitEventBlock(const std::vector<ast::Assignment> &stmts, const SynapseInfo *syn,
                       bool pre, std::vector<ast::Assignment const *> &before,
                       std::vector<ast::Assignment const *> &perSynapse,
                       std::vector<ast::Assignment const *> &after) {
    const auto *own = syn ? (pre ? &syn->preDims : &syn->postDims) : nullptr;
    NameRef::Kind ownKind = pre ? NameRef::Kind::PreTrace : NameRef::Kind::PostTrace;
    for (size_t k = 0; k < stmts.size(); ++k) {
      if (!own || !own->count(stmts[k].target)) {
        perSynapse.push_back(&stmts[k]);
        continue;
      }
      bool readEarlier = false;
      for (size_t j = 0; j < k; ++j) {
        readEarlier = readEarlier || reads(*stmts[j].value, ownKind, stmts[k].target);
        for (auto &g : stmts[j].guards)
          readEarlier = readEarlier || reads(*g.condition->cond, ownKind, stmts[k].target);
      }
      (readEarlier ? after : before).push_back(&stmts[k]);
    }
  }

  bool reads(const ast::Expr &e, NameRef::Kind kind, const std::string &name) const {
    if (auto it = sema_.names.find(&e); it != sema_.names.end())
      if (it->second.kind == kind && it->second.name == name)
        return true;
    if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e))
      return reads(*u->operand, kind, name);
    if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e))
      return reads(*b->lhs, kind, name) || reads(*b->rhs, kind, name);
    if (auto *c = ast::dyn_cast<ast::CallExpr>(&e))
      return std::any_of(c->args.begin(), c->args.end(),
                         [&](auto &a) { return reads(*a, kind, name); });
    return false;
  }

  /// The statements of `as`, with the ifs they stand in rebuilt: consecutive assignments under
  /// the same if share it (its then branch first, then its else branch), and its condition is
  /// computed once, where the if stands.
  Block assignmentList(const std::vector<ast::Assignment const *> &as, const Context &ctx) {
    return guarded(as, 0, as.size(), 0, ctx);
  }

  Block guarded(const std::vector<ast::Assignment const *> &as, size_t begin, size_t end,
                size_t depth, const Context &ctx) {
    Block out;
    for (size_t k = begin; k < end;) {
      if (as[k]->guards.size() == depth) {
        out.push_back(assignment(*as[k], ctx));
        ++k;
        continue;
      }
      const ast::Condition *c = as[k]->guards[depth].condition.get();
      size_t split = k, stop = k;
      for (; stop < end && as[stop]->guards.size() > depth &&
             as[stop]->guards[depth].condition.get() == c;
           ++stop)
        if (!as[stop]->guards[depth].negated)
          split = stop + 1;
      out.push_back(makeIf(lower(*c->cond, ctx), guarded(as, k, split, depth + 1, ctx),
                           guarded(as, split, stop, depth + 1, ctx)));
      out.back()->loc = c->loc;
      k = stop;
    }
    return out;
  }

  /// The names and context of a projection's event code: %pre, %post and %syn.
  Context eventContext(uint32_t c) {
    const Projection &pj = m_.projections[c];
    Context ctx{pj.name, static_cast<int>(pj.post), idx("post"), 0};
    ctx.proj = static_cast<int>(c);
    ctx.synIndex = synIdx();
    ctx.preIndex = idx("pre");
    ctx.randIndex = synapseKey();
    return ctx;
  }

  /// Fills `outer`, a loop over the spikes of one side (pre for on_pre, post for on_post): bring
  /// the spiking neuron's traces to t and run its once-per-spike trace updates, visit its
  /// synapses (by row or by column), bringing each partner's traces to t before the per-synapse
  /// statements, then run the trace updates that must follow them.
  void fillEventLoop(Stmt &outer, uint32_t c, bool pre,
                     const std::vector<ast::Assignment> &stmts) {
    const ConnectionInfo &info = sema_.network.connections[c];
    const char *self = pre ? "pre" : "post";
    const char *other = pre ? "post" : "pre";
    Context ctx = eventContext(c);
    ctx.guard = Context::Guard::Event;
    std::vector<ast::Assignment const *> before, perSynapse, after;
    splitEventBlock(stmts, info.synapse, pre, before, perSynapse, after);

    auto visit = std::make_unique<Stmt>();
    visit->kind = pre ? Stmt::Kind::ForRow : Stmt::Kind::ForColumn;
    visit->name = other;
    visit->synName = "syn";
    visit->proj = c;
    visit->index = idx(self);
    if (pre && m_.projections[c].synapseDelays)
      visit->value = idx("lag");
    if (pre && preTracesPerSynapse(c)) {
      // Presynaptic traces kept per synapse: the whole on_pre runs per synapse, at arrival.
      visit->body = advanceTraces(c, true, idx(self));
      for (auto &st : advanceTraces(c, false, idx(other)))
        visit->body.push_back(std::move(st));
      for (auto *group : {&before, &perSynapse, &after})
        for (auto &st : assignmentList(*group, ctx))
          visit->body.push_back(std::move(st));
      outer.body.push_back(std::move(visit));
      return;
    }
    // In on_post, the presynaptic partners' traces are only read at t, not advanced in place:
    // a trace then changes only at its own neuron's spikes, so its value does not depend on
    // which other events (other post neurons' spikes, perhaps on other MPI ranks) visited it
    // in between. (A post trace, advanced in place by on_pre, is visited by synapses onto its
    // own neuron only, all kept with it.)
    // (Traces kept per synapse have a synapse's events only: they are advanced in place.)
    const bool readOnly = !pre && !preTracesPerSynapse(c) && std::none_of(perSynapse.begin(), perSynapse.end(), [&](auto *a) {
      return info.synapse->preDims.count(a->target) != 0;
    });
    visit->body = advanceTraces(c, !pre, idx(other), readOnly ? &ctx.traceLocals : nullptr);
    for (auto &st : assignmentList(perSynapse, ctx))
      visit->body.push_back(std::move(st));
    ctx.traceLocals.clear();

    // Once-per-spike updates touch only the spiking side's traces.
    Context selfCtx = ctx;
    if (pre)
      selfCtx.statePop = -1;
    selfCtx.randIndex = idx(self);
    outer.body = advanceTraces(c, pre, idx(self));
    for (auto &st : assignmentList(before, selfCtx))
      outer.body.push_back(std::move(st));
    outer.body.push_back(std::move(visit));
    for (auto &st : assignmentList(after, selfCtx))
      outer.body.push_back(std::move(st));
  }

  /// on_pre, for every presynaptic spike of this step or, with a delay of D steps, from the ring
  /// (read before this step's spikes overwrite their slot). With per-synapse delays, this
  /// step's spikes go into the ring first (a delay may round to 0 steps) and every lag up to the
  /// largest delay visits the synapses of that delay.
  void deliverKernel(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    const Projection &pj = m_.projections[c];
    auto forSpikes = std::make_unique<Stmt>();
    forSpikes->kind = pj.synapseDelays ? Stmt::Kind::ForArrivals
                      : pj.delaySteps  ? Stmt::Kind::ForDelayedSpikes
                                       : Stmt::Kind::ForSpikes;
    forSpikes->name = "pre";
    if (pj.synapseDelays)
      forSpikes->synName = "lag";
    forSpikes->pop = pj.pre;
    forSpikes->proj = c;
    forSpikes->begin = pj.preBegin;
    forSpikes->end = pj.preEnd;
    fillEventLoop(*forSpikes, c, true, info.synapse ? info.synapse->def->onPre : info.decl->onPre);
    Block kernel;
    if (pj.delaySteps || pj.synapseDelays) {
      auto push = std::make_unique<Stmt>();
      push->kind = Stmt::Kind::PushDelayedSpikes;
      push->proj = c;
      push->pop = pj.pre;
      kernel.push_back(std::move(push));
    }
    // A shared delay reads its slot before the push overwrites it.
    auto at = pj.synapseDelays ? kernel.end() : kernel.begin();
    kernel.insert(at, std::move(forSpikes));
    m_.step.push_back({"deliver." + pj.name, Phase::Deliver, -1, static_cast<int>(c),
                       std::move(kernel)});
  }

  /// on_post, for every postsynaptic spike of this step, through the runtime's by-post index;
  /// runs after every projection's on_pre, as in Brian2.
  void postKernel(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    const Projection &pj = m_.projections[c];
    StmtPtr forSpikes = makeForSpikes("post", pj.post, pj.postBegin, pj.postEnd, {});
    fillEventLoop(*forSpikes, c, false, info.synapse->def->onPost);
    Block kernel;
    kernel.push_back(std::move(forSpikes));
    m_.step.push_back({"on_post." + pj.name, Phase::Deliver, -1, static_cast<int>(c),
                       std::move(kernel)});
  }

  /// on_teacher, for every spike of the connection's teacher in this step: teacher neuron
  /// teacherBegin + k stands for postsynaptic neuron postBegin + k, whose synapses it visits
  /// through the by-post index exactly as on_post does; runs after every on_post.
  void teacherKernel(uint32_t c) {
    const ConnectionInfo &info = sema_.network.connections[c];
    const Projection &pj = m_.projections[c];
    StmtPtr forSpikes = makeForSpikes("teacher", static_cast<uint32_t>(info.teacherPop),
                                      info.teacherBegin, info.teacherEnd, {});
    fillEventLoop(*forSpikes, c, false, info.synapse->def->onTeacher);
    ExprRef shift = integer(static_cast<int64_t>(pj.postBegin) - info.teacherBegin);
    forSpikes->body.insert(forSpikes->body.begin(),
                           makeLet("post", binary(Op::Add, idx("teacher"), shift)));
    Block kernel;
    kernel.push_back(std::move(forSpikes));
    m_.step.push_back({"on_teacher." + pj.name, Phase::Deliver, -1, static_cast<int>(c),
                       std::move(kernel)});
  }

  /// `input P[a:b].v += e`: for each neuron of the slice, every step, after the spike test and
  /// before the reset, like a synapse's effect (the same refractory rule: an input to an
  /// `unless refractory` variable of a refractory neuron is dropped, or held).
  void inputKernel(const InputInfo &in) {
    const Population &pop = m_.populations[in.pop];
    Context ctx{pop.name, static_cast<int>(in.pop), idx(), pop.size};
    ctx.guard = Context::Guard::Event;
    // Each neuron's input depends on that neuron only (its draws are keyed on it): the kernel
    // runs as ranges of the population, [max(begin, range_begin), min(end, range_end)), like a
    // delivery onto it, and on several threads.
    ExprRef b = integer(in.begin), e = integer(in.end);
    ExprRef from = select(binary(Op::Gt, rangeBegin(), b), rangeBegin(), b);
    ExprRef to = select(binary(Op::Lt, rangeEnd(), e), rangeEnd(), e);
    Block kernel;
    kernel.push_back(makeLoop("i", from, to, assignments(in.decl->assign, ctx)));
    Kernel k{"input." + pop.name, Phase::Deliver, static_cast<int>(in.pop), -1, std::move(kernel)};
    k.postRanges = true;
    m_.step.push_back(std::move(k));
  }

  void resetKernel(uint32_t p) {
    const Population &pop = m_.populations[p];
    if (pop.isSource)
      return;
    const ast::NeuronDef &n = neuron(p);
    if (!n.threshold || n.reset.empty())
      return;
    // The reset is exempt from the refractory guard (the neuron is refractory from its spike on).
    Context ctx{pop.name, static_cast<int>(p), idx(), pop.size};
    Block kernel;
    kernel.push_back(makeForSpikes("i", p, 0, pop.size, assignments(n.reset, ctx)));
    m_.step.push_back({"reset." + pop.name, Phase::Reset, static_cast<int>(p), -1,
                       std::move(kernel)});
  }

  /// `x op= e` as sequential stores to the state of ctx.statePop at ctx.index.
  Block assignments(const std::vector<ast::Assignment> &as, const Context &ctx) {
    std::vector<ast::Assignment const *> list;
    for (auto &a : as)
      list.push_back(&a);
    return assignmentList(list, ctx);
  }

  /// One assignment: to a synapse variable, a trace, or a state variable of ctx.statePop (Sema
  /// refuses names that would be ambiguous).
  StmtPtr assignment(const ast::Assignment &a, const Context &ctx) {
    // `target` stands for the variable the connection chose with `onto`; `post.x` is x.
    std::string name = a.target;
    if (a.side == ast::Side::None && name == "target" && ctx.proj >= 0 &&
        !sema_.network.connections[ctx.proj].onto.empty())
      name = sema_.network.connections[ctx.proj].onto;
    int synVar = ctx.proj >= 0 && a.side == ast::Side::None
                     ? m_.projections[ctx.proj].findVar(name)
                     : -1;
    if (ctx.proj >= 0 && synVar < 0 && a.side != ast::Side::Post)
      if (auto t = synTraceVar_.find({static_cast<uint32_t>(ctx.proj), name});
          t != synTraceVar_.end())
        synVar = static_cast<int>(t->second); // a presynaptic trace kept per synapse
    auto trace = ctx.proj >= 0 ? traceVar_.find({static_cast<uint32_t>(ctx.proj), name})
                               : traceVar_.end();
    ExprRef value = lower(*a.value, ctx);
    uint32_t pop = 0, var = 0;
    ExprRef index;
    if (synVar < 0 && trace != traceVar_.end()) {
      const Projection &pj = m_.projections[ctx.proj];
      bool pre = isPreTrace(ctx.proj, name);
      pop = pre ? pj.pre : pj.post;
      var = trace->second;
      index = pre ? ctx.preIndex : ctx.index;
    } else if (synVar < 0) {
      pop = static_cast<uint32_t>(ctx.statePop);
      var = static_cast<uint32_t>(m_.populations[pop].findVar(name));
      index = ctx.index;
    }
    ExprRef old = synVar >= 0 ? loadSynapse(ctx.proj, synVar, ctx.synIndex)
                              : load(pop, var, Type::Real, index);
    switch (a.op) {
    case ast::AssignOp::Set: break;
    case ast::AssignOp::Add: value = binary(Op::Add, old, value); break;
    case ast::AssignOp::Sub: value = binary(Op::Sub, old, value); break;
    case ast::AssignOp::Mul: value = binary(Op::Mul, old, value); break;
    case ast::AssignOp::Div: value = binary(Op::Div, old, value); break;
    }
    if (synVar >= 0)
      return makeStoreSynapse(ctx.proj, synVar, ctx.synIndex, value);
    bool guarded = ctx.guard != Context::Guard::None && trace == traceVar_.end() &&
                   frozen_.count({pop, var});
    if (!guarded)
      return makeStore(pop, var, index, value);
    if (ctx.guard == Context::Guard::Update) // in the neuron loop: a select, no branch
      return makeStore(pop, var, index, select(local("not_refractory", Type::Bool), value, old));
    Block then, held;
    then.push_back(makeStore(pop, var, index, value));
    if (auto h = held_.find({pop, var}); h != held_.end()) {
      // Sema allows only += and -= here (value is old +/- w): w is held for when refractoriness
      // ends.
      ExprRef sum = load(pop, h->second, Type::Real, index);
      held.push_back(makeStore(pop, h->second, index, binary(value->op, sum, value->args[1])));
    }
    const Population &target = m_.populations[pop];
    return makeIf(binary(Op::Eq, load(pop, target.refractoryVar, Type::I32, index), integer(0)),
                  std::move(then), std::move(held));
  }

  /// An input of neuron ctx.index of ctx.statePop: its declared value plus the output of every
  /// projection connected onto it, for the neurons in that projection's postsynaptic range.
  ExprRef input(const std::string &name, const Context &ctx) {
    uint32_t p = static_cast<uint32_t>(ctx.statePop);
    const ast::NeuronDef &n = neuron(p);
    auto decl = std::find_if(n.inputs.begin(), n.inputs.end(),
                             [&](auto &b) { return b.name == name; });
    ExprRef sum = lower(*decl->value, ctx);
    for (uint32_t c = 0; c < sema_.network.connections.size(); ++c) {
      const ConnectionInfo &info = sema_.network.connections[c];
      if (info.post != p || !info.ontoInput || info.onto != name)
        continue;
      const Projection &pj = m_.projections[c];
      Context octx{pj.name, static_cast<int>(p), ctx.index, ctx.size};
      octx.proj = static_cast<int>(c);
      ExprRef out = info.synapse->def->summed
                        ? load(p, summedVar_.at(c), Type::Real, ctx.index)
                        : lower(*info.synapse->def->output, octx);
      if (pj.postBegin != 0 || pj.postEnd != m_.populations[p].size) {
        ExprRef in = binary(Op::And, binary(Op::Ge, ctx.index, integer(pj.postBegin)),
                            binary(Op::Lt, ctx.index, integer(pj.postEnd)));
        out = select(in, out, real(0));
      }
      sum = binary(Op::Add, sum, out);
    }
    return sum;
  }

  bool preTracesPerSynapse(int proj) const { return tpreSyn_.count(static_cast<uint32_t>(proj)); }

  bool isPreTrace(int proj, const std::string &name) const {
    const ConnectionInfo &info = sema_.network.connections[proj];
    return info.synapse && info.synapse->preDims.count(name);
  }

  // ---- expressions ----------------------------------------------------------------------------
  ExprRef lower(const ast::Expr &e, const Context &ctx) {
    using namespace ast;
    switch (e.kind) {
    case ast::Expr::Kind::Number: {
      auto &n = static_cast<const NumberExpr &>(e);
      if (n.unit.empty())
        return real(n.value);
      return quantity(n.value, n.unit, lookupUnit(n.unit)->scale);
    }
    case ast::Expr::Kind::Name: {
      auto &n = static_cast<const NameExpr &>(e);
      const NameRef &ref = sema_.names.at(&n);
      switch (ref.kind) {
      case NameRef::Kind::Param: return paramRef(ctx.owner, ref.name, ctx.index);
      case NameRef::Kind::State: {
        const Population &pop = m_.populations[ctx.statePop];
        return load(ctx.statePop, pop.findVar(ref.name), Type::Real,
                    ctx.stateIndex ? ctx.stateIndex : ctx.index);
      }
      case NameRef::Kind::Unit: return quantity(1, ref.name, lookupUnit(ref.name)->scale);
      case NameRef::Kind::Time: return timeNow();
      case NameRef::Kind::Dt: return real(m_.dt);
      case NameRef::Kind::Index: return toReal(ctx.index);
      case NameRef::Kind::Size: return real(ctx.size);
      case NameRef::Kind::Pi: return real(3.14159265358979323846);
      case NameRef::Kind::NetConst:
        if (changedConsts_.count(ref.name)) // read at run time: it changes between runs
          return param("", ref.name);
        return real(sema_.network.constants.at(ref.name).value);
      case NameRef::Kind::PreTrace:
      case NameRef::Kind::PostTrace: {
        const Projection &pj = m_.projections[ctx.proj];
        bool pre = ref.kind == NameRef::Kind::PreTrace;
        if (pre && preTracesPerSynapse(ctx.proj))
          return loadSynapse(ctx.proj, synTraceVar_.at({static_cast<uint32_t>(ctx.proj), ref.name}),
                             ctx.synIndex);
        uint32_t tpop = pre ? pj.pre : pj.post;
        auto now = ctx.traceLocals.find(
            {tpop, traceVar_.at({static_cast<uint32_t>(ctx.proj), ref.name})});
        if (now != ctx.traceLocals.end())
          return local(now->second, Type::Real);
        return load(pre ? pj.pre : pj.post, traceVar_.at({static_cast<uint32_t>(ctx.proj), ref.name}),
                    Type::Real, pre ? ctx.preIndex : ctx.index);
      }
      case NameRef::Kind::SynState:
        if (auto k = kernelVars_.find({static_cast<uint32_t>(ctx.proj), ref.name});
            k != kernelVars_.end())
          return lower(*k->second, ctx);
        return loadSynapse(ctx.proj, m_.projections[ctx.proj].findVar(ref.name), ctx.synIndex);
      case NameRef::Kind::PreState: {
        uint32_t pre = m_.projections[ctx.proj].pre;
        if (!ctx.init)
          refuseSplit("connection " + m_.projections[ctx.proj].name + " reads pre." + ref.name +
                      ", a state variable of its presynaptic neurons");
        return load(pre, m_.populations[pre].findVar(ref.name), Type::Real, ctx.preIndex);
      }
      case NameRef::Kind::Response:
        return load(m_.projections[ctx.proj].post,
                    traceVar_.at({static_cast<uint32_t>(ctx.proj), ref.name}), Type::Real,
                    ctx.index);
      case NameRef::Kind::Target: {
        const std::string &onto = sema_.network.connections[ctx.proj].onto;
        return load(ctx.statePop, m_.populations[ctx.statePop].findVar(onto), Type::Real,
                    ctx.index);
      }
      case NameRef::Kind::Input:
        return input(ref.name, ctx);
      case NameRef::Kind::Modulator: {
        const ConnectionInfo &info = sema_.network.connections[ctx.proj];
        uint32_t p = static_cast<uint32_t>(info.modulatorPop);
        refuseSplit("connection " + m_.projections[ctx.proj].name + " is modulated by " +
                    m_.populations[p].name + "." + info.modulatorVar + ", a neuron's state");
        return load(p, m_.populations[p].findVar(info.modulatorVar), Type::Real,
                    integer(info.modulatorIndex));
      }
      case NameRef::Kind::PreParam:
      case NameRef::Kind::PostParam: {
        // The population's value (overrides included), folded like its own parameters.
        const Projection &pj = m_.projections[ctx.proj];
        bool pre = ref.kind == NameRef::Kind::PreParam;
        return paramRef(m_.populations[pre ? pj.pre : pj.post].name, ref.name,
                        pre ? ctx.preIndex : ctx.index);
      }
      case NameRef::Kind::PreIndex: return toReal(ctx.preIndex);
      case NameRef::Kind::PostIndex: return toReal(ctx.postIndex);
      case NameRef::Kind::PrePosition:
      case NameRef::Kind::PostPosition: {
        const Projection &pj = m_.projections[ctx.proj];
        uint32_t axis = static_cast<uint32_t>(ref.name[0] - 'x');
        return ref.kind == NameRef::Kind::PrePosition ? position(pj.pre, axis, ctx.preIndex)
                                                      : position(pj.post, axis, ctx.postIndex);
      }
      case NameRef::Kind::Distance: return distance(ctx);
      case NameRef::Kind::Kernel: return kernelElement(ctx);
      case NameRef::Kind::Alias: {
        // Named expressions are substituted where used (they are cheap and CSE'd by LLVM).
        const NeuronInfo &neuron = *sema_.network.populations[ctx.statePop].neuron;
        return lower(*neuron.aliasDecls.at(ref.name)->value, ctx);
      }
      case NameRef::Kind::Noise:
        // One standard normal number per neuron and step, shared by every xi of one equation.
        return rand(RandDist::Normal, ctx.noiseStream, ctx.index, /*perStep=*/true);
      }
      return real(0);
    }
    case ast::Expr::Kind::Unary: {
      auto &u = static_cast<const UnaryExpr &>(e);
      ExprRef a = lower(*u.operand, ctx);
      switch (u.op) {
      case UnaryOp::Neg: return unary(Op::Neg, a);
      case UnaryOp::Plus: return a;
      case UnaryOp::Not: return unary(Op::Not, a);
      }
      return a;
    }
    case ast::Expr::Kind::Binary: {
      auto &b = static_cast<const BinaryExpr &>(e);
      if (b.op == BinaryOp::Mod) { // x - y floor(x / y): the sign of y, as Python and Brian2
        ExprRef x = lower(*b.lhs, ctx), y = lower(*b.rhs, ctx);
        return binary(Op::Sub, x, binary(Op::Mul, y, call("floor", {binary(Op::Div, x, y)})));
      }
      static const std::map<BinaryOp, Op> ops = {
          {BinaryOp::Add, Op::Add}, {BinaryOp::Sub, Op::Sub}, {BinaryOp::Mul, Op::Mul},
          {BinaryOp::Div, Op::Div}, {BinaryOp::Pow, Op::Pow}, {BinaryOp::Lt, Op::Lt},
          {BinaryOp::Le, Op::Le},   {BinaryOp::Gt, Op::Gt},   {BinaryOp::Ge, Op::Ge},
          {BinaryOp::Eq, Op::Eq},   {BinaryOp::Ne, Op::Ne},   {BinaryOp::And, Op::And},
          {BinaryOp::Or, Op::Or}};
      return binary(ops.at(b.op), lower(*b.lhs, ctx), lower(*b.rhs, ctx));
    }
    case ast::Expr::Kind::Call: {
      auto &c = static_cast<const CallExpr &>(e);
      std::vector<ExprRef> args;
      for (auto &a : c.args)
        args.push_back(lower(*a, ctx));
      if (int k = sema_.network.findTimedArray(c.callee); k >= 0) {
        if (sema_.network.timedArrays[k].columns)
          return timedElement(static_cast<uint32_t>(k), args[0], ctx);
        return table(static_cast<uint32_t>(k), args[0]);
      }
      if (int k = sema_.network.findArray(c.callee); k >= 0)
        return arrayElement(static_cast<uint32_t>(k), c, ctx);
      if (c.callee == "int") // a condition as 0 or 1, or a number truncated toward zero
        return args[0]->type == Type::Bool ? select(args[0], real(1), real(0))
                                           : call("trunc", std::move(args));
      if (c.callee == "total") // summed by its every block's kernel (synapseEveryKernels)
        return load(static_cast<uint32_t>(ctx.statePop), totalVar_.at(&c), Type::Real, ctx.index);
      if (c.callee == "if") // `a if c else b`
        return select(args[0], args[1], args[2]);
      if (c.callee == "min")
        return binary(Op::Min, args[0], args[1]);
      if (c.callee == "max")
        return binary(Op::Max, args[0], args[1]);
      if (c.callee == "clip")
        return binary(Op::Min, binary(Op::Max, args[0], args[1]), args[2]);
      if (c.callee == "pow")
        return binary(Op::Pow, args[0], args[1]);
      if (c.callee == "div") // floor division, Python's a // b
        return call("floor", {binary(Op::Div, args[0], args[1])});
      // A draw per neuron (or synapse) at initialisation, else per neuron (or synapse) and step.
      auto draw = [&](RandDist d) {
        uint64_t stream = nextStream_;
        if (ctx.positionPop < 0)
          ++nextStream_;
        else if (auto [it, fresh] = positionStreams_.emplace(&c, nextStream_); fresh)
          ++nextStream_;
        else
          stream = it->second;
        return rand(d, stream, drawAt(ctx), !ctx.init);
      };
      if (c.callee == "uniform")
        return binary(Op::Add, args[0],
                      binary(Op::Mul, binary(Op::Sub, args[1], args[0]), draw(RandDist::Uniform)));
      if (c.callee == "rand")
        return draw(RandDist::Uniform);
      if (c.callee == "binomial")
        return binomialInv(args[0], args[1], draw(RandDist::Uniform));
      if (c.callee == "poisson") // the law's inverse at a uniform number
        return poissonInv(args[0], draw(RandDist::Uniform));
      if (c.callee == "normal")
        return binary(Op::Add, args[0], binary(Op::Mul, args[1], draw(RandDist::Normal)));
      if (c.callee == "randn") // Brian2's standard normal number
        return draw(RandDist::Normal);
      return call(c.callee, std::move(args));
    }
    }
    return real(0);
  }

  const ast::Program &program_;
  const SemaResult &sema_;
  Module m_;
  uint64_t nextStream_ = 0;
  std::map<std::pair<uint32_t, std::string>, uint32_t> traceVar_; // (projection, trace) -> var
  std::map<uint32_t, uint32_t> tpre_, tpost_; // projection -> last-update-time variable
  std::set<std::pair<uint32_t, uint32_t>> frozen_; // (population, var): `unless refractory`
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> held_; // frozen var -> its held inputs' sum
  std::map<const ast::CallExpr *, uint32_t> totalVar_; // total(e) -> its post variable
  std::map<uint32_t, uint32_t> summedVar_; // projection -> its summed input's variable (post)
  std::map<uint32_t, uint32_t> arrayTable_; // array -> its constant table
  std::map<uint32_t, uint32_t> positionTable_; // population -> its positions' constant table
  std::map<int, uint32_t> kernelTable_;        // conv2d projection -> its kernel's table
  /// Synapse variables computed from a conv2d kernel where read (kernelBound): their values.
  std::map<std::pair<uint32_t, std::string>, const ast::Expr *> kernelVars_;
  /// The stream of each random draw in a position expression (Context::positionPop).
  std::map<const ast::CallExpr *, uint64_t> positionStreams_;
  std::map<uint32_t, uint32_t> timedTable_; // per-neuron timed array -> its constant table
  std::map<std::pair<uint32_t, std::string>, uint32_t> listTable_; // (projection, column) -> table
  /// (population, parameter) -> the variable holding the parameter where it differs per neuron
  std::map<std::pair<std::string, std::string>, uint32_t> perNeuronVar_;
  std::set<std::string> changedConsts_;       // network constants the protocol changes
  std::map<size_t, uint32_t> runtimeIndex_;    // Sema's run-time parameters to the module's
  // Presynaptic traces kept per synapse (projections with per-synapse delays): (projection,
  // trace) -> synapse variable, projection -> the synapse variable with the update time.
  std::map<std::pair<uint32_t, std::string>, uint32_t> synTraceVar_;
  std::map<uint32_t, uint32_t> tpreSyn_;
  struct ExtraInit {
    uint32_t var;
    const ast::Binding *value;
    std::string owner; // the projection whose parameters the initial value uses
  };
  std::map<uint32_t, std::vector<ExtraInit>> extraInit_; // population -> trace initialisers
  std::map<uint32_t, std::vector<ExtraInit>> synTraceInit_; // projection -> per-synapse traces
};

} // namespace

Module generateIR(const ast::Program &program, const SemaResult &sema) {
  return Generator(program, sema).run();
}

} // namespace snn::ir
