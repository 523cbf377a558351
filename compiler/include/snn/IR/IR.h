// The target-neutral IR: a network as per-population state arrays (structure of arrays),
// projections with their connectivity rules, recorders, and kernels — an init kernel per
// population and the per-step schedule (update, threshold, delivery, reset). Kernel bodies are
// small statement trees over immutable expression DAGs; passes rewrite them and the CPU and GPU
// back ends both consume the same form.
#pragma once

#include "snn/Basic/ModelKinds.h"
#include "snn/Basic/SourceManager.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace snn::ir {

// U32, U64: wrapping unsigned (RNG); I64: signed 64-bit positions (synapse indices, offsets
// into spike and delay buffers), which outgrow 32 bits in large networks.
enum class Type : uint8_t { Real, I32, Bool, U32, U64, I64 };
const char *typeName(Type t);
bool isInteger(Type t);

/// The runtime's buffers beside the state variables: spike lists, connectivity, delay rings.
/// The lowering passes (lower-spike-sources, lower-delay-rings, lower-synapse-loops) address
/// them through `buf_load` / `buf_store`, so the back ends see only indexed memory. Each belongs
/// to a population (spikes, nspikes) or to a projection (all others).
enum class Buffer : uint8_t {
  Spikes,     // i32 [size]: this step's spiking neurons, ascending
  SpikeCount, // i32 [1]: how many
  RowPtr,     // i64 [#pre + 1]: first synapse of each presynaptic neuron (CSR by pre)
  Col,        // i32 [#synapses]: the synapse's post neuron, ascending within a row
  Ring,       // i32 [slots * #pre]: delayed spikes, one slot per step of the delay
  RingCount,  // i32 [slots]: how many spikes each slot holds
  Delay,      // i32 [#synapses]: per-synapse delays in steps
  DelayPtr,   // i32 [#pre * (D + 2)]: per row, where the synapses of each delay d start
  MaxDelay,   // i32 [1]: D, the largest per-synapse delay
  ColPtr,     // i64 [#post + 1]: by-post index, first entry of each postsynaptic neuron
  PostSyn,    // i32 [#synapses]: by-post index, the synapses onto each post neuron, in order
  PostPre,    // i32 [#synapses]: by-post index, the presynaptic neuron of each entry
};
const char *bufferName(Buffer b);
Type bufferType(Buffer b);
bool bufferOfPopulation(Buffer b); // spikes, nspikes; the others belong to projections

enum class Op : uint8_t {
  // Leaves.
  Const,       // real number (SI units once scale-units has run)
  Quantity,    // real number with a unit, e.g. `20 ms`; removed by scale-units
  IntConst,    // 32-bit integer
  BoolConst,
  Param,       // a parameter of the kernel's population or projection; removed by fold-constants
  Load,        // state variable `var` of population `pop` at `args[0]`
  Local,       // a value bound by `let` or a loop index
  Time,        // t, the time at the start of the step
  Rand,        // counter-based random number for stream `stream` at index `args[0]`; removed by
               // lower-random
  Step,        // u64: the number of the current step (0 in init kernels)
  Seed,        // u64: the instance's seed
  Philox,      // u32: word `var` (0..3) of Philox-4x32-10 with key args[0] (u64) and counter
               // {args[1] low, args[1] high, args[2] low, args[2] high} (u64s): a pure function
  // Arithmetic and logic; operands have equal types.
  Neg, Not,
  Add, Sub, Mul, Div, Pow, Min, Max,
  Rem,         // remainder of integer division (unsigned for u32/u64), truncated toward zero
  Lt, Le, Gt, Ge, Eq, Ne, And, Or, // And, Or: logical on bool, bitwise on u32/u64
  Xor, Shl, LShr, // bitwise on u32/u64 (shifts also on i64); shifts by a constant below the width
  Cast,        // args[0] converted to this node's type: u32/u64/i32 widen (zero-/sign-extend)
               // or truncate, integers to real
  Select,      // args[0] ? args[1] : args[2]
  Call,        // pure math function `name` of real arguments: exp log log10 sqrt abs sin cos tan
               // atan sinh cosh tanh exprel floor ceil trunc round (ties to even), and cos2pi (cos(2 pi x), from
               // lower-random)
  ToReal,      // i32 -> real
  ToInt,       // real -> i32, truncating; saturating at the i32 range, NaN -> 0
  Table,       // timed array `var` of the module at time args[0] (held values, clamped ends)
  BufLoad,     // element args[0] (i32 or i64) of runtime buffer `buffer` of population or
               // projection `pop`
  ConstLoad,   // element args[0] (an integer) of the module's constant table `var`
  RangeBegin,  // i32: the first index of the range this kernel launch covers (runtime.h's
  RangeEnd,    // snn_kernel_fn); a kernel run whole covers [0, its extent)
  PoissonInv,  // real: the smallest k with P(X <= k) >= args[1] for X ~ Poisson(args[0]) (the
               // inverse of the Poisson law at a uniform number: a Poisson draw); 0 for a mean
               // of 0, NaN for a negative or NaN mean
  CountBelow,  // i32: how many entries of the module's constant table `var` (real,
               // nondecreasing) are below args[0] (tabulate-poisson's inverse laws)
  BinomialInv, // real: the same for X ~ Binomial(args[0] (truncated), args[1]) at args[2]: 0
               // for n <= 0 or p <= 0, n for p >= 1, NaN for a NaN n or p
};

enum class RandDist : uint8_t { Uniform, Normal };

struct Expr;
using ExprRef = std::shared_ptr<const Expr>;

struct Expr {
  Op op;
  Type type;
  double value = 0;      // Const, Quantity (number as written), IntConst, BoolConst
  double scale = 1;      // Quantity: SI value of one unit
  std::string name;      // Quantity unit, Param/Local name, Call function
  std::string owner;     // Param: population or projection that owns it
  uint32_t pop = 0;      // Load: population (projection if onSynapse)
  uint32_t var = 0;      // Load; Table: the timed array
  bool onSynapse = false; // Load: a per-synapse variable of projection `pop`
  uint64_t stream = 0;   // Rand
  RandDist dist = RandDist::Uniform;
  Buffer buffer = Buffer::Spikes; // BufLoad
  bool perStep = false;  // Rand: a fresh number every step (noise), not once (initialisation)
  std::vector<ExprRef> args;
};

// Builders. They do not simplify; FoldConstants does.
ExprRef real(double v);
ExprRef integer(int64_t v);
ExprRef index64(int64_t v); // an i64 constant
ExprRef boolean(bool v);
ExprRef quantity(double v, std::string unit, double scale);
ExprRef param(std::string owner, std::string name);
ExprRef load(uint32_t pop, uint32_t var, Type t, ExprRef index);
ExprRef loadSynapse(uint32_t proj, uint32_t var, ExprRef index);
ExprRef local(std::string name, Type t);
ExprRef timeNow();
ExprRef rand(RandDist d, uint64_t stream, ExprRef index, bool perStep = false);
ExprRef unary(Op op, ExprRef a);
ExprRef binary(Op op, ExprRef a, ExprRef b);
ExprRef add(ExprRef a, ExprRef b); // binary(Op::Add, a, b)
ExprRef sub(ExprRef a, ExprRef b);
ExprRef mul(ExprRef a, ExprRef b);
ExprRef toI64(ExprRef a); // cast(a, Type::I64)
ExprRef select(ExprRef c, ExprRef a, ExprRef b);
ExprRef call(std::string fn, std::vector<ExprRef> args);
ExprRef toReal(ExprRef a);
ExprRef toInt(ExprRef a);
ExprRef uconst(uint64_t v, Type t); // an unsigned constant (below 2^53, exact in `value`)
ExprRef stepNumber();
ExprRef seedValue();
ExprRef philox(uint32_t word, ExprRef key, ExprRef counterLo, ExprRef counterHi);
ExprRef cast(ExprRef a, Type t);
ExprRef table(uint32_t index, ExprRef time);
ExprRef bufLoad(Buffer b, uint32_t owner, ExprRef index);
ExprRef constLoad(uint32_t table, Type t, ExprRef index);
ExprRef countBelow(uint32_t table, ExprRef x); // Op::CountBelow
ExprRef rangeBegin();
ExprRef rangeEnd();
ExprRef poissonInv(ExprRef mean, ExprRef uniform);
ExprRef binomialInv(ExprRef n, ExprRef p, ExprRef uniform);
/// Rebuilds `e` with new operands (same op and attributes).
ExprRef withArgs(const Expr &e, std::vector<ExprRef> args);

bool isConst(const Expr &e, double *v = nullptr);
/// A function `Op::Call` may name (every back end implements each).
bool isMathFunction(const std::string &name);

// ---- Statements -------------------------------------------------------------------------------

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

struct Stmt {
  enum class Kind {
    Let,         // let %name = value
    Var,         // var %name = value: a mutable local, changed by Assign
    Assign,      // %name = value, for a Var in scope
    Store,       // pop.var[index] = value
    BufStore,    // buffer `buffer` of population or projection `pop`, [index] = value
    While,       // while value { body }
    Prefetch,    // a hint: buffer `buffer` of `pop` (with onSynapse: synapse variable `var` of
                 // projection `pop`) will soon be read at [index]; a back end may ignore it (a
                 // CPU issues a prefetch, which never faults)
    If,          // if value { body } else { elseBody }
    Loop,        // loop %name in [begin, end) { body }; with `tile` set, only the neurons of the
                 // enclosing tile %tile: [%tile, min(%tile + tileSize, end)); with `from` and
                 // `to` set, over [from, to) (i32 or i64 expressions, the type of %name)
    Tile,        // tile %name in [begin, end) by tileSize { body }: %name runs over the tile
                 // starts; a tile's spike mask is scratch memory private to it
    ForSpikes,   // for each neuron %name of pop that spiked this step, within [begin, end)
    ForRow,      // for each synapse of projection `proj` whose pre neuron is `index`: %name = post
                 // neuron, %synName = synapse index. With `value` set (projections with
                 // per-synapse delays), only the synapses whose delay is `value` steps.
    ForDelayedSpikes, // for each spike %name of projection `proj`'s pre range from `delay` steps
                      // ago (the delay ring's slot for this step)
    PushDelayedSpikes, // store this step's spikes of `proj`'s pre range in the ring: in the slot
                       // ForDelayedSpikes just read, or, with per-synapse delays, in this step's
    ForArrivals, // per-synapse delays: for every lag %synName from 0 to the projection's largest
                 // delay, for each spike %name of `proj`'s pre range from %synName steps ago
    SetDelay,    // the delay of synapse `index` of `proj` is `value` steps (initialisation)
    ForColumn,   // for each synapse of projection `proj` onto post neuron `index`: %name = pre
                 // neuron, %synName = synapse index (needs the runtime's by-post index)
    EmitSourceSpikes, // the spikes of spike-source population `pop` due in this step
    AdvanceTrace, // bring trace pop.var[index] from the time in pop.timeVar[index] to t under
                  // d(var)/dt = value (with onSynapse: synapse variables of projection `pop`);
                  // removed by integrate-odes
    Ode,         // d(pop.var)/dt = value at neuron `index` [unless refractory]; removed by
                 // integrate-odes
    ClearSpikes, // forget the spikes of pop from the previous step
    EmitSpike,   // neuron `index` of pop spiked
    SpikeMask,   // whether neuron `index` of pop spiked is `value`, in the mask of tile %name
    CompactSpikes, // append the neurons of tile %name (of tileSize) whose spike mask is set to
                   // pop's spikes, in ascending order (tiles run in order: the list stays sorted)
    Note,        // a remark for readers of the dump (e.g. the integration method chosen)
    AcceptPair,  // connect kernels: the pair (%pre, %post) of projection `proj` becomes a
                 // synapse if `value` holds
  };
  Kind kind;
  std::string name;
  std::string synName; // ForRow: the synapse index
  uint32_t pop = 0, var = 0, proj = 0;
  bool onSynapse = false; // Store, AdvanceTrace: `pop` is a projection and `var` one of its
                          // synapse variables
  uint32_t timeVar = 0;   // AdvanceTrace: the variable holding the trace's last update time
  ExprRef index, value;
  ExprRef from, to; // Loop with bounds computed at run time
  Buffer buffer = Buffer::Spikes; // BufStore
  int64_t begin = 0, end = 0;
  int64_t tileSize = 0; // Tile, and a Loop over a tile
  bool postRange = false; // ForRow: only the synapses onto the kernel's range of post neurons
  /// ForRow, ForColumn, Loop: no iteration reads or writes memory that another iteration
  /// writes, so iterations may run in any order or side by side (SIMD lanes); see
  /// mark-independent-synapses.
  bool independent = false;
  std::string tile;     // Loop: the enclosing Tile's variable, if it iterates over one tile
  bool unlessRefractory = false;
  SourceLoc loc; // Ode: the equation, for diagnostics from integrate-odes; If: the spike
                 // condition it tests, where it is one
  Block body, elseBody;
};

StmtPtr makeLet(std::string name, ExprRef value);
StmtPtr makeStore(uint32_t pop, uint32_t var, ExprRef index, ExprRef value);
StmtPtr makeStoreSynapse(uint32_t proj, uint32_t var, ExprRef index, ExprRef value);
StmtPtr makeIf(ExprRef cond, Block body, Block elseBody = {});
StmtPtr makeLoop(std::string var, int64_t begin, int64_t end, Block body);
/// loop %var in [from, to) { body }, bounds computed at run time
StmtPtr makeLoop(std::string var, ExprRef from, ExprRef to, Block body);
StmtPtr makeVar(std::string name, ExprRef value);
StmtPtr makeAssign(std::string name, ExprRef value);
StmtPtr makeWhile(ExprRef cond, Block body);
StmtPtr makeBufStore(Buffer b, uint32_t owner, ExprRef index, ExprRef value);
StmtPtr makePrefetch(Buffer b, uint32_t owner, ExprRef index);
StmtPtr makePrefetchSynapse(uint32_t proj, uint32_t var, ExprRef index);
StmtPtr makeNote(std::string text);
/// for_spikes %var of pop in [begin, end) { body }
StmtPtr makeForSpikes(std::string var, uint32_t pop, int64_t begin, int64_t end, Block body);

// ---- Module -----------------------------------------------------------------------------------

struct Var {
  std::string name;
  Type type;
  bool scalar = false; // one value for the whole population (a run-time parameter), at [0]
  std::string unit;    // the SI unit of a user variable ('volt', '1'); empty for internal ones
  Var(std::string n, Type t, bool s = false, std::string u = {})
      : name(std::move(n)), type(t), scalar(s), unit(std::move(u)) {}
};

struct Param {
  std::string name;
  ExprRef value;
  bool runtime = false; // read from its scalar variable at run time instead of folded
};

/// `runtime P.x`, or a parameter the protocol changes between runs: parameter x of `owner` (a
/// population, a projection, or "" for a network constant, which `$.x` reads), stored in scalar
/// variable `var` of population `pop`, which the runtime sets to `value` (the folded default,
/// SI) before `init` and whenever a host or the protocol sets it.
struct RuntimeParam {
  std::string owner;
  uint32_t pop = 0;
  std::string name;
  uint32_t var = 0;
  double value = 0;
  std::string unit;  // the SI unit of its dimension, as diagnostics write it ('second')
  std::string units; // unit names and their scales, "ms=0.001,s=1,...", for --set parsing
  SourceLoc loc;     // the `runtime` declaration
};

struct Population {
  std::string name;
  std::string model; // the neuron definition it instantiates
  uint32_t size = 0;
  std::vector<Param> params;
  std::vector<Var> vars;  // user state first, then runtime-internal ones (names start with '_')
  int refractoryVar = -1; // index of the _refcnt countdown, if the neuron is refractory
  /// Index of the _saturated counter (i32 per neuron): spike draws `rand() < p` with p > 1 in a
  /// spike condition, which can fire only once per step (check-spike-probabilities); -1: none.
  int saturationVar = -1;
  SourceLoc loc;          // the population's declaration
  Method method = Method::Auto; // integration method requested by the neuron
  /// A spike source: spike k is neuron sourceIndices[k] at step sourceSteps[k], ordered by step,
  /// then neuron (one entry per spike, however far apart the steps are).
  bool isSource = false;
  std::vector<int64_t> sourceSteps;
  std::vector<uint32_t> sourceIndices;
  SourceLoc methodLoc;          // where it was requested, for diagnostics from integrate-odes
  int findVar(const std::string &n) const;
};

struct Projection {
  std::string name;
  uint32_t pre = 0, post = 0;
  uint32_t preBegin = 0, preEnd = 0, postBegin = 0, postEnd = 0;
  ConnRule rule = ConnRule::AllToAll;
  double p = 0;
  uint32_t k = 0;
  uint64_t total = 0; // fixed_total_number: the number of synapses
  bool autapses = true;
  ConvGeometry conv;  // conv2d: the runtime builds the synapses from it alone
  std::vector<Param> params; // synapse parameters
  std::vector<Var> vars;     // per-synapse state, one array of length #synapses each
  uint32_t delaySteps = 0;   // transmission delay in steps, the same for every synapse
  bool synapseDelays = false; // each synapse has its own delay, set by SetDelay at initialisation
  bool postIndex = false;    // the runtime must index synapses by post neuron (on_post)
  /// from_file: constant tables (into Module::constants) of the listed synapses as CSR, i64
  /// row starts over the pre range and i32 absolute post indices; -1 for other rules.
  int listRowPtr = -1, listCol = -1;
  int findVar(const std::string &n) const;
};

struct Recorder {
  std::string name; // output file stem
  bool spikes = false;
  bool synapses = false; // variable `var` of every synapse of projection `pop`
  bool rate = false;     // mean rate of neurons [begin, end) of `pop` in bins of `every` steps
  uint32_t pop = 0, var = 0;
  uint32_t begin = 0, end = 0;
  uint32_t every = 1; // steps; 0: the final values only
};

/// Where a kernel sits in the step, following Brian2's default schedule.
/// Connect: a projection's pair test (Module::connect), run where the network is built.
enum class Phase { Init, Update, Threshold, Deliver, Reset, Connect };
const char *phaseName(Phase p);

struct Kernel {
  std::string name;
  Phase phase;
  int pop = -1;   // the population whose neurons it loops over (Init/Update/Threshold/Reset)
  int proj = -1;  // the projection it delivers (Deliver) or whose synapses it updates (Update)
  Block body;
  /// May run as independent ranges of the projection's postsynaptic neurons (its for_synapses
  /// marked postRange; see partition-deliveries), or, for a kernel of a population without a
  /// projection (an `input`), of that population's neurons (its loop bounded by range_begin and
  /// range_end).
  bool postRanges = false;
};


/// A timed array: values[k] holds for t in [k*interval, (k+1)*interval), values[0] before and the
/// last value after (Brian2's TimedArray; index int((t + 1e-3*interval) / interval)).
struct TimedArray {
  std::string name;
  std::vector<double> values; // SI units
  double interval = 0;        // seconds
};

/// Read-only data compiled into the program: integers (spike-source schedules, connection
/// lists) or reals (arrays and value columns read from files, SI units).
struct ConstTable {
  std::string name;
  Type type = Type::I32;     // i32, i64 or real
  std::vector<int64_t> values; // i32, i64
  std::vector<double> reals;   // real
  size_t size() const { return type == Type::Real ? reals.size() : values.size(); }
};

/// An exactly integrated linear system x' = A x + b whose matrix A depends on run-time
/// parameters: the runtime computes its propagators (runtime/src/propagate.c, the algorithm of
/// Transforms/MatrixExp) from `coeffs` whenever a parameter is set, into the population's scalar
/// variables below, which the update reads. Refractory variants (`frozen` rows) when any is set.
struct RuntimeSystem {
  uint32_t pop = 0;
  uint32_t n = 0;
  std::vector<ExprRef> coeffs;     // A, row-major n*n: constants and run-time parameter loads
  std::vector<double> bConst;      // b_j where constant, NaN where it varies
  std::vector<bool> frozen;        // rows frozen while refractory
  std::vector<uint32_t> phi, gamma; // scalar variables, n*n each
  std::vector<uint32_t> constant;  // n: sum_j gamma_kj b_j over the constant b_j
  std::vector<uint32_t> phiR, gammaR, constantR; // refractory variants, when a row is frozen
};

/// "P.x", or "x" for a network constant.
std::string qualifiedName(const RuntimeParam &rp);

/// A change of the protocol: run-time parameter `param` takes `value` (SI) before step `step`
/// (where a run starts).
struct ParamChange {
  int64_t step = 0;
  uint32_t param = 0; // into Module::runtimeParams
  double value = 0;
};

struct Module {
  std::string name;
  double dt = 1e-4;
  double duration = 0;
  uint64_t seed = 0;
  Precision precision = Precision::Float64;
  std::vector<Population> populations;
  std::vector<Projection> projections;
  std::vector<Recorder> recorders;
  std::vector<TimedArray> tables;
  std::vector<ConstTable> constants;
  std::vector<RuntimeParam> runtimeParams;
  std::vector<RuntimeSystem> runtimeSystems;
  std::vector<ParamChange> changes; // the protocol, by step
  /// Pair tests (phase connect), one per projection whose rule evaluates pairs one by one (a
  /// probability or condition of i, j and positions): the body, with %pre and %post (i32,
  /// absolute indices) bound to a candidate pair, ends in `accept_pair`. The runtime's
  /// connectivity builder calls it over the candidates of each row (runtime.h's snn_pairs_fn).
  std::vector<Kernel> connect;
  std::vector<Kernel> init; // run once, in order
  std::vector<Kernel> step; // run every step, in order
  uint64_t streams = 0;     // random streams 0 .. streams-1 are taken; a pass takes the next
  /// Why the network cannot be split over MPI ranks (a synapse reads state of its presynaptic
  /// neuron, which another rank may own); empty when it can.
  std::string unsplittable;
};

/// The population whose neurons a kernel with postRanges runs in ranges of.
uint32_t rangePopulation(const Module &m, const Kernel &k);

/// Appends `make(%i)` to the loop of population `pop`'s init kernel, creating the kernel (a loop
/// over every neuron, run first) if the population has none.
void appendToInit(Module &m, uint32_t pop, const std::function<StmtPtr(ExprRef)> &make);

// ---- Rewriting helpers shared by the passes --------------------------------------------------

using ExprRewrite = std::function<ExprRef(const ExprRef &)>;
/// Applies `f` bottom-up to every node of `e` (children first), rebuilding only what changed.
ExprRef mapExpr(const ExprRef &e, const ExprRewrite &f);
/// Replaces each statement expression x of `b` (recursively through nested blocks) by f(x).
void rewriteStmtExprs(Block &b, const ExprRewrite &f);
/// Applies mapExpr(., f) to every expression of every statement in `b`, recursively.
void mapBlockExprs(Block &b, const ExprRewrite &f);
/// Applies mapExpr(., f) to every expression in the module: parameter values and kernel bodies.
void mapModuleExprs(Module &m, const ExprRewrite &f);
/// Replaces, innermost first, every statement of `b` (recursively) for which `f` returns true by
/// the statements `f` put in its second argument; `f` may move the statement's body there.
using StmtExpansion = std::function<bool(Stmt &, Block &)>;
void expandStmts(Block &b, const StmtExpansion &f);
/// Every kernel of the module: connect, init, then step.
void forEachKernel(Module &m, const std::function<void(Kernel &)> &f);
/// expandStmts over the bodies of every init and step kernel.
void expandModuleStmts(Module &m, const StmtExpansion &f);

} // namespace snn::ir
