// Semantic analysis: resolves every name, computes the physical dimension of every expression and
// checks the program against the language's rules (docs/language.md). Its result, SemaResult,
// is what IRGen lowers; the AST itself is left untouched.
#pragma once

#include "snn/AST/AST.h"
#include "snn/Basic/Diagnostics.h"
#include "snn/Basic/ModelKinds.h"
#include "snn/Sema/ConstEval.h"
#include "snn/Sema/SpikeFile.h"
#include "snn/Sema/Units.h"

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace snn {

/// The type of an expression: a boolean, or a real number with a physical dimension.
struct ExprType {
  bool isBool = false;
  Dim dim;
};

/// What a NameExpr refers to.
struct NameRef {
  enum class Kind {
    Param,     // parameter of the enclosing neuron (or synapse, in on_pre)
    State,     // state variable of the enclosing neuron (post-synaptic neuron in on_pre)
    Unit,      // a unit used as a value: `-60*mV`
    Time,      // t: the time at the start of the step
    Dt,        // dt: the network's time step
    Index,     // i: the neuron's index in its population (initialisers)
    Size,      // N: the population's size (initialisers)
    Noise,     // xi: white noise of unit 1/sqrt(second) (equations only)
    Alias,     // a named expression of the enclosing neuron's equations block
    Pi,        // the constant pi
    SynState,  // a per-synapse variable of the synapse model (on_pre, on_post)
    PreTrace,  // a trace of the synapse model kept per presynaptic neuron
    PostTrace, // a trace of the synapse model kept per postsynaptic neuron
    PreState,  // `pre.v`: a state variable of the presynaptic neuron
    Response,  // a response variable of the synapse model (per postsynaptic neuron)
    Input,     // an input of the enclosing neuron: what the synapses connected onto it feed
    Target,    // `target` in a synapse model: the postsynaptic variable chosen with `onto`
    PreIndex,  // i in a per-synapse initial value or delay: the presynaptic neuron's index
    PostIndex, // j in a per-synapse initial value or delay: the postsynaptic neuron's index
    Modulator, // `modulator` in a synapse model: the neuron variable chosen with `modulated by`
    PreParam,  // `pre.J`: a parameter of the presynaptic neuron (its population's value)
    PrePosition,  // `pre.x`, `pre.y`, `pre.z`: a coordinate of the presynaptic neuron (`at ...`)
    PostPosition, // `post.x`, ...: of the postsynaptic neuron
    Distance,  // `distance`: between a synapse's neurons (wrapping on a periodic grid)
    Kernel,    // `kernel`: a conv2d connection's kernel element for the synapse's pair
    PostParam, // `post.J` or `J` in synapse code: a parameter of the postsynaptic neuron
    NetConst,  // a constant of the network (`g = 5 nS` in the network), in its expressions
  };
  Kind kind;
  std::string name; // param/state name, or unit name
};


struct NeuronInfo {
  const ast::NeuronDef *def = nullptr;
  Method method = Method::Auto;
  std::map<std::string, Dim> paramDims;
  std::map<std::string, Dim> stateDims;
  std::map<std::string, const ast::Binding *> aliasDecls;
  std::map<std::string, Dim> aliasDims;
  std::map<std::string, Dim> inputDims;
};

struct SynapseInfo {
  const ast::SynapseDef *def = nullptr;
  std::map<std::string, Dim> paramDims;
  std::map<std::string, Dim> stateDims;
  std::map<std::string, Dim> preDims, postDims; // traces per pre / post neuron
  std::map<std::string, Dim> responseDims;       // response variables per post neuron
  /// Equations of per-synapse state variables, integrated every step for every synapse (Brian2's
  /// clock-driven synapse equations); checked with each connection, which may give them a
  /// `modulator`.
  std::vector<const ast::Equation *> synapseEquations;
};

/// Where a population's neurons are (`at ...`): `dims` coordinates (x, then y, then z) of one
/// unit, each a pure function of the neuron's index (and the seed, for random positions), so
/// that they can be computed wherever the network is built without being stored.
struct PositionInfo {
  enum class Kind { None, Grid, Exprs, File } kind = Kind::None;
  uint32_t dims = 0;
  Dim dim;                             // of every coordinate
  uint32_t shape[3] = {1, 1, 1};       // Grid: neurons along x, y, z (x varies fastest)
  double spacing = 1;                  // Grid: between neighbours, SI
  bool periodic = false;               // Grid: distances wrap around shape * spacing
  std::vector<const ast::Expr *> exprs; // Exprs: each coordinate as an expression of i
  std::vector<double> values;          // File: N x dims coordinates, SI, C order
};

struct PopulationInfo {
  const ast::PopulationDecl *decl = nullptr;
  const NeuronInfo *neuron = nullptr; // null for a spike source
  std::vector<SpikeEvent> source;     // a spike source's events, by step
  uint32_t size = 0;
  /// The neuron's parameter bindings with this population's overrides substituted, in order.
  std::vector<const ast::Binding *> params;
  /// The initial value of every state variable, this population's initialisers substituted.
  std::vector<const ast::Binding *> init;
  /// Parameters whose value differs per neuron (an override drawing random numbers or using i
  /// or N, or one computed from such a parameter), in an order where each follows those it uses:
  /// each is stored per neuron, computed at initialisation.
  std::vector<std::string> perNeuron;
  /// Those of perNeuron that also vary in time (stim(t, i)): computed again at the start of
  /// every step, before anything reads them.
  std::vector<std::string> perNeuronTimed;
  PositionInfo positions;
};

struct ConnectionInfo {
  const ast::ConnectDecl *decl = nullptr;
  std::string name; // unique, used for the projection in IR and the runtime
  uint32_t pre = 0, post = 0;
  uint32_t preBegin = 0, preEnd = 0, postBegin = 0, postEnd = 0;
  ConnRule rule = ConnRule::AllToAll;
  double p = 0;
  uint32_t k = 0;
  uint64_t total = 0; // fixed_total_number
  bool autapses = true;
  /// conv2d: the geometry, and the kernel (an index into NetworkInfo::arrays; its values are
  /// kernel[o, c, ky, kx], or kernel[ky, kx] for one channel), read as `kernel` per synapse.
  ConvGeometry conv;
  int convKernel = -1;
  uint32_t delaySteps = 0; // transmission delay, a whole number of steps
  /// A delay that differs between synapses (random, or a function of i and j): evaluated once
  /// per synapse at initialisation and rounded to the nearest step; delaySteps is then 0.
  const ast::Expr *synapseDelay = nullptr;
  /// Pairs evaluated one by one where the network is built: `bernoulli(p)` with p an expression
  /// of i, j and the neurons' positions (pairProb, else the constant p), and the rule's
  /// condition (`with all_to_all if distance < 200 um`): only the pairs for which it holds are
  /// candidates. Both null: the rule's own algorithm, which visits no pair it does not make.
  const ast::Expr *pairProb = nullptr;
  const ast::Expr *condition = nullptr;
  const SynapseInfo *synapse = nullptr; // null: inline on_pre only
  /// The synapse's parameter bindings with this connection's overrides substituted.
  std::vector<const ast::Binding *> synapseParams;
  /// Initial value of every synapse variable, this connection's initialisers substituted.
  std::vector<const ast::Binding *> synapseInit;
  /// `onto X`: the postsynaptic input the synapse's output feeds (ontoInput), or the state
  /// variable its `target` stands for.
  std::string onto;
  bool ontoInput = false;
  /// `modulated by P[k].x`: what `modulator` reads (modulatorPop < 0: none).
  int modulatorPop = -1;
  uint32_t modulatorIndex = 0;
  std::string modulatorVar;
  /// `taught by T[a:b]`: the teacher population (teacherPop < 0: none) and its slice, as long as
  /// the postsynaptic one; teacher neuron teacherBegin + k teaches postBegin + k.
  int teacherPop = -1;
  uint32_t teacherBegin = 0, teacherEnd = 0;
  /// from_file: the synapses as CSR by presynaptic neuron (listRowPtr over the pre range, then
  /// absolute post indices, ascending per row), and the file's value columns in that order:
  /// SI values (scaled as the rule's arguments say) for the synapse variable or `delay` named.
  struct ListColumn {
    std::string var;
    Dim dim;     // of the scale the rule gave it
    SourceLoc loc; // that argument
    std::vector<double> values;
  };
  std::vector<int64_t> listRowPtr, listCol;
  std::vector<ListColumn> listColumns;
  const std::vector<double> *listColumn(const std::string &var) const {
    for (auto &c : listColumns)
      if (c.var == var)
        return &c.values;
    return nullptr;
  }
};

struct RecordInfo {
  const ast::RecordDecl *decl = nullptr;
  bool spikes = false;
  bool synapses = false; // a variable of every synapse of connection `pop`
  bool rate = false;     // the population's mean rate in bins of everySteps
  uint32_t pop = 0;
  std::string var;
  uint32_t begin = 0, end = 0;
  uint32_t everySteps = 1; // 0: the final values only
};

/// A timed array: value k holds for t in [k*interval, (k+1)*interval), the first before and the
/// last after (Brian2's TimedArray). Values in SI units.
struct TimedArrayInfo {
  std::string name;
  Dim dim;
  std::vector<double> values;
  double interval = 0;
  /// 0: one value per interval, read as stim(t). N: a per-neuron timed array from a (K, N) file,
  /// row k holding the N neurons' values of interval k (values in C order), read as stim(t, i).
  uint64_t columns = 0;
};

/// `array W = load("W.npy") * 1 mV`: constants in SI units, C order, of one or two extents;
/// `W(i)` reads element i (a neuron), `W(i, j)` element (i, j) of a connection's ranges.
struct ArrayInfo {
  std::string name;
  Dim dim;
  std::vector<uint64_t> shape;
  std::vector<double> values;
};

/// A parameter the host may set between steps (`runtime P.tau_m`) or that the protocol changes
/// between runs: a neuron parameter of a population, a synapse parameter of a connection, or a
/// network constant (and so every parameter and expression computed from it).
struct RuntimeParamInfo {
  enum class Owner { Population, Connection, Network };
  Owner owner = Owner::Population;
  const ast::RuntimeParamDecl *decl = nullptr; // null: made run-time by a change between runs
  SourceLoc loc;    // the declaration's parameter name, or the first change of it
  uint32_t pop = 0; // the population, or the connection (an index into connections)
  std::string name;
  Dim dim; // of its value
  std::string qualified(const struct NetworkInfo &net) const;
};

/// `P.x = value` between runs: run-time parameter `param` takes `value` (SI) at the start of run
/// `phase`.
struct ChangeInfo {
  const ast::ParamChange *decl = nullptr;
  uint32_t param = 0; // into NetworkInfo::runtimeParams
  double value = 0;
  size_t phase = 0;
};

/// `input P[a:b].v += e`: checked, with its population and range.
struct InputInfo {
  const ast::InputDecl *decl = nullptr;
  uint32_t pop = 0, begin = 0, end = 0;
};

struct NetworkInfo {
  const ast::NetworkDef *def = nullptr;
  double dt = 1e-4; // seconds
  uint64_t seed = 0;
  Precision precision = Precision::Float64;
  double duration = 0; // seconds, every run together
  std::vector<double> runs; // each run's duration, seconds (the protocol's phases)
  std::vector<ChangeInfo> changes;
  std::vector<PopulationInfo> populations;
  std::vector<ConnectionInfo> connections;
  std::vector<RecordInfo> records;
  std::vector<TimedArrayInfo> timedArrays;
  std::vector<ArrayInfo> arrays;
  std::vector<RuntimeParamInfo> runtimeParams;
  std::vector<InputInfo> inputs;
  /// `name = constant` in the network, other than its settings: SI value and unit.
  std::map<std::string, ConstValue> constants;
  int findArray(const std::string &name) const {
    for (size_t k = 0; k < arrays.size(); ++k)
      if (arrays[k].name == name)
        return static_cast<int>(k);
    return -1;
  }
  int findTimedArray(const std::string &name) const {
    for (size_t k = 0; k < timedArrays.size(); ++k)
      if (timedArrays[k].name == name)
        return static_cast<int>(k);
    return -1;
  }
};

struct SemaResult {
  std::map<std::string, NeuronInfo> neurons;
  std::map<std::string, SynapseInfo> synapses;
  NetworkInfo network;
  std::unordered_map<const ast::Expr *, ExprType> types;
  std::unordered_map<const ast::Expr *, NameRef> names;
};

/// Whether `callee` is one of the built-in functions that draw random numbers (rand, randn,
/// uniform, normal, poisson, binomial).
bool isRandomFunction(const std::string &callee);

/// Checks the whole program. Every problem is reported; returns nullopt if there were errors.
/// The result points into `program`, which must outlive it.
std::optional<SemaResult> analyze(const ast::Program &program, SourceManager &sm,
                                  DiagnosticEngine &diags);

} // namespace snn
