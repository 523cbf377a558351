// The abstract syntax tree of a .snn program: hand-written nodes, one struct per construct, each
// expression node tagged with a Kind for cheap `isa`/`dyn_cast`. The tree records what was written
// (names as strings, quantities as number + unit); meaning is attached later by Sema.
#pragma once

#include "snn/Basic/SourceManager.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace snn::ast {

// ---- Expressions ------------------------------------------------------------------------------

struct Expr {
  enum class Kind { Number, Name, Unary, Binary, Call };
  const Kind kind;
  SourceLoc loc;
  explicit Expr(Kind k, SourceLoc l) : kind(k), loc(l) {}
  virtual ~Expr() = default;
};
using ExprPtr = std::unique_ptr<Expr>;

/// A number with an optional unit: `20`, `0.5`, `20 ms`, `-49 mV` is Unary(-, Number).
struct NumberExpr : Expr {
  double value = 0;
  std::string text;  // as written, to tell integers from reals
  std::string unit;  // empty when dimensionless
  SourceLoc unitLoc;
  NumberExpr(SourceLoc l) : Expr(Kind::Number, l) {}
  bool isIntegerLiteral() const;
  static bool classof(const Expr *e) { return e->kind == Kind::Number; }
};

/// Which neuron of a synapse a name is qualified with: `pre.v`, `post.v`, or neither.
enum class Side { None, Pre, Post };

struct NameExpr : Expr {
  std::string name;
  Side side = Side::None;
  NameExpr(SourceLoc l, std::string n, Side s = Side::None)
      : Expr(Kind::Name, l), name(std::move(n)), side(s) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Name; }
};

enum class UnaryOp { Neg, Plus, Not };
struct UnaryExpr : Expr {
  UnaryOp op;
  ExprPtr operand;
  UnaryExpr(SourceLoc l, UnaryOp o, ExprPtr e) : Expr(Kind::Unary, l), op(o), operand(std::move(e)) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Unary; }
};

/// Mod: x % y, Python's (and Brian2's) floored remainder x - y * floor(x / y), the sign of y.
enum class BinaryOp { Add, Sub, Mul, Div, Mod, Pow, Lt, Le, Gt, Ge, Eq, Ne, And, Or };
const char *spelling(BinaryOp op);

struct BinaryExpr : Expr {
  BinaryOp op;
  ExprPtr lhs, rhs;
  BinaryExpr(SourceLoc opLoc, BinaryOp o, ExprPtr l, ExprPtr r)
      : Expr(Kind::Binary, opLoc), op(o), lhs(std::move(l)), rhs(std::move(r)) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Binary; }
};

struct CallExpr : Expr {
  std::string callee;
  std::vector<ExprPtr> args;
  CallExpr(SourceLoc l, std::string c) : Expr(Kind::Call, l), callee(std::move(c)) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Call; }
};

template <typename T> bool isa(const Expr *e) { return e && T::classof(e); }
template <typename T> const T *dyn_cast(const Expr *e) {
  return isa<T>(e) ? static_cast<const T *>(e) : nullptr;
}

// ---- Statements and declarations --------------------------------------------------------------

/// `name = expr`: parameters, state initialisers, network settings, per-population overrides.
struct Binding {
  std::string name;
  SourceLoc loc;
  ExprPtr value;
};

enum class AssignOp { Set, Add, Sub, Mul, Div };
const char *spelling(AssignOp op);

/// The condition of an `if` in a reset, update or event block, computed once, where the if
/// stands.
struct Condition {
  ExprPtr cond;
  SourceLoc loc; // the `if`
};

/// One enclosing if of an assignment: in its then branch, or (negated) its else branch.
struct Guard {
  std::shared_ptr<const Condition> condition;
  bool negated = false;
};

/// `target op= expr` inside `reset { }`, `update { }`, `on_pre { }` and `on_post { }`. A block's
/// ifs are flattened into its list of assignments: each carries the ifs it stands in, outermost
/// first, and the assignments of one if are consecutive (its then branch, then its else branch),
/// so every check of an assignment applies unchanged and code generation rebuilds the ifs.
struct Assignment {
  std::string target;
  Side side = Side::None; // `post.v += w`
  SourceLoc loc;
  AssignOp op = AssignOp::Set;
  ExprPtr value;
  std::vector<Guard> guards;
};

/// `dv/dt = rhs [unless refractory]`.
struct Equation {
  std::string var;
  SourceLoc loc;
  ExprPtr rhs;
  bool unlessRefractory = false;
};

/// `every T { ... }`: assignments run for every neuron (or synapse) at the start of every step
/// whose time is a multiple of T (Brian2's run_regularly), before the equations.
struct Every {
  ExprPtr period;
  SourceLoc loc;
  std::vector<Assignment> body;
};

struct NeuronDef {
  std::string name;
  SourceLoc loc;
  std::vector<Binding> params;
  std::vector<Binding> state;
  std::vector<Equation> equations;
  /// Named expressions in the equations block (`alpha_m = ...`): Brian2's subexpressions,
  /// substituted wherever they are used.
  std::vector<Binding> aliases;
  std::string method; // `equations (method = rk4) { ... }`; empty: chosen by the compiler
  SourceLoc methodLoc;
  ExprPtr threshold;  // `spike when <expr>`; null if the neuron never spikes
  SourceLoc thresholdLoc;
  std::vector<Assignment> reset;
  /// `update { ... }`: assignments run for every neuron every step, after the equations are
  /// integrated and before the spike condition is tested (discrete-time models, clamps).
  std::vector<Assignment> update;
  std::vector<Every> every;
  ExprPtr refractory; // `refractory <duration>`; null if none
  SourceLoc refractoryLoc;
  /// `refractory t_ref (inputs = hold)`: synaptic inputs onto `unless refractory` variables that
  /// arrive while refractory are summed and applied when it ends (NEST's refractory_input);
  /// the default, `(inputs = drop)`, discards them (Brian2, NEST's default).
  bool holdRefractoryInputs = false;
  /// `inputs { I_syn = 0 nA }`: values that synapses feed (the sum of the outputs of the
  /// projections connected `onto` it, plus the declared value, which also gives the unit).
  std::vector<Binding> inputs;
};

struct SynapseDef {
  std::string name;
  SourceLoc loc;
  std::vector<Binding> params;
  std::vector<Binding> state; // per-synapse variables with their initial values
  /// Traces kept per presynaptic / postsynaptic neuron (GeNN's pre and post variables): exact for
  /// all-to-all spike pairing, at no per-synapse cost.
  std::vector<Binding> preTraces, postTraces;
  std::vector<Equation> equations; // of the traces: linear, integrated exactly between events
  std::vector<Assignment> onPre;
  bool hasOnPost = false;
  std::vector<Assignment> onPost;
  /// `on_teacher { ... }`: run for the synapses onto neuron k when the k-th neuron of the
  /// connection's teacher (`taught by T`) spikes, like on_post (supervised rules: ReSuMe).
  bool hasOnTeacher = false;
  std::vector<Assignment> onTeacher;
  /// `response { g = 0 nS }`: the post-synaptic response, variables kept per postsynaptic neuron
  /// and integrated every step together with it (their equations sit in `equations`).
  std::vector<Binding> response;
  /// `output <expr>`: what the synapse adds to the postsynaptic input it is connected `onto`.
  ExprPtr output;
  SourceLoc outputLoc;
  /// `summed <expr>`: the postsynaptic input it is connected `onto` is, every step, the sum of
  /// <expr> over the synapses onto each neuron (Brian2's `(summed)`: gap junctions).
  ExprPtr summed;
  SourceLoc summedLoc;
  /// `every T { w = w * 78 / total(w) }`: for every synapse; `total(e)` is the sum of e over the
  /// synapses of the connection onto the same postsynaptic neuron (weight normalisation).
  std::vector<Every> every;
};

/// `[lo]` or `[lo:hi]` (half-open, like Python).
struct Slice {
  SourceLoc loc;
  ExprPtr lo;
  ExprPtr hi; // null for a single index
};

struct PopRef {
  std::string name;
  SourceLoc loc;
  std::optional<Slice> slice;
};

struct Argument {
  std::string name; // empty for a positional argument
  SourceLoc loc;
  ExprPtr value;    // null for a string argument
  std::string text; // a string argument (`from_file("c.csv")`), without its quotes
};

/// `load("W.npy") * 1 mV`: numbers read from a file at compile time, times a constant.
struct DataLoad {
  std::string fn; // as written; Sema accepts only `load`
  SourceLoc fnLoc;
  std::string path;
  SourceLoc pathLoc;
  ExprPtr scale; // null: dimensionless, scale 1
};

/// A connectivity rule: `all_to_all`, `bernoulli(0.02, autapses = false)`, ...
struct RuleCall {
  std::string name;
  SourceLoc loc;
  std::vector<Argument> args;
};

/// Where a population's neurons are (`at ...`), read as `pre.x`, `post.y` and `distance` where
/// the network is built: `grid(20, 20, spacing = 50 um)` (a layout: neuron i at column i % nx,
/// row (i / nx) % ny, ...), `(x = expr, y = expr)` (expressions of i), or `load("xy.npy") * 1 um`.
struct Positions {
  enum class Kind { None, Layout, Exprs, File } kind = Kind::None;
  SourceLoc loc;
  RuleCall layout;            // Layout
  std::vector<Binding> exprs; // Exprs: x, then y, then z
  DataLoad file;              // File
};

struct PopulationDecl {
  std::string name;
  SourceLoc loc;
  std::string sourceFile; // `population S = spikes("in.csv")[n]`: spikes read from a file
  SourceLoc sourceLoc;
  std::string model;
  SourceLoc modelLoc;
  ExprPtr size;
  std::vector<Binding> overrides; // parameter values for this population
  std::vector<Binding> init;      // state initialisers for this population
  Positions positions;
};

struct ConnectDecl {
  SourceLoc loc;
  std::string name; // `connect ee = P -> Q ...`; empty: named by the compiler
  SourceLoc nameLoc;
  PopRef pre, post;
  RuleCall rule;
  /// `with all_to_all if abs(i - j) <= 2`: only pairs for which it holds (Brian2's condition,
  /// NEST's mask); null: every pair is a candidate.
  ExprPtr condition;
  ExprPtr delay; // `delay 2 ms`; null: no delay
  std::string synapse; // empty: inline on_pre only
  SourceLoc synapseLoc;
  std::vector<Binding> synapseOverrides;
  std::vector<Binding> synapseInit; // `synapse S(...) { w = ... }`: initial values of its state
  std::string onto; // `onto I_syn`: the postsynaptic input or variable the synapse acts on
  SourceLoc ontoLoc;
  /// `modulated by DA.d`: the variable of one neuron that `modulator` stands for in the synapse
  /// (a neuromodulator such as dopamine, shared by every synapse of the connection).
  std::optional<PopRef> modulatorPop;
  std::string modulatorVar;
  SourceLoc modulatorVarLoc;
  /// `taught by T`: the population (or slice) whose k-th neuron's spikes run the synapse model's
  /// on_teacher for the synapses onto the k-th postsynaptic neuron.
  std::optional<PopRef> teacherPop;
  bool hasInlineOnPre = false;
  std::vector<Assignment> onPre;
};

struct RecordDecl {
  SourceLoc loc;
  bool spikes = false;
  bool rate = false;  // `record rate of P every T`: the population's mean rate in bins of T
  PopRef pop;        // for state records the slice selects neurons
  std::string var;   // state records only
  SourceLoc varLoc;
  ExprPtr every;     // null: every step (or only the final value with `final`)
  bool final = false; // `record final P.v`: the values at the end of the run only
};

/// `timed_array stim = [0 nA, 1 nA, 0.5 nA] every 100 ms`: values held for an interval each
/// (Brian2's TimedArray); `stim(t)` reads it.
struct TimedArrayDecl {
  std::string name;
  SourceLoc loc;
  std::vector<ExprPtr> values;
  std::optional<DataLoad> file; // `timed_array stim = load("stim.npy") * 1 nA every 1 ms`
  ExprPtr interval;
};

/// `array W = load("W.npy") * 1 mV`: a 1-D or 2-D array of constants read from a file, read as
/// `W(i)` per neuron or `W(i, j)` per synapse.
struct ArrayDecl {
  std::string name;
  SourceLoc loc;
  DataLoad data;
};

/// `runtime P.tau_m`: a parameter of population P that a host may set between steps.
struct RuntimeParamDecl {
  std::string owner, name;
  SourceLoc loc;      // the owner
  SourceLoc nameLoc;  // the parameter
};

/// `input P[slice].v += expr`: added to a state variable of every neuron of the slice, every step,
/// in the delivery phase (an external drive: Brian2's PoissonInput is
/// `input P.v += w * poisson(N * rate * dt)`).
struct InputDecl {
  SourceLoc loc;
  PopRef pop;
  std::vector<Assignment> assign; // the one assignment, as a block of one
};

/// `run 1 s`: one phase of the network's protocol, run after the ones before it.
struct RunDecl {
  SourceLoc loc;
  ExprPtr duration;
};

/// Between two runs, `P.x = value` (a neuron parameter of population P), `C.x = value` (a
/// synapse parameter of connection C) or `name = value` (a network constant, and with it every
/// parameter computed from it): the new value holds from the next run on.
struct ParamChange {
  std::string owner; // empty for a network constant
  std::string name;
  SourceLoc loc;     // the owner, or the constant's name
  SourceLoc nameLoc; // the parameter, or the constant's name
  ExprPtr value;
  size_t phase = 0;  // the number of runs before it: it takes effect at the start of run `phase`
};

struct NetworkDef {
  std::string name;
  SourceLoc loc;
  std::vector<Binding> settings; // dt, seed, precision
  std::vector<TimedArrayDecl> timedArrays;
  std::vector<ArrayDecl> arrays;
  std::vector<PopulationDecl> populations;
  std::vector<ConnectDecl> connections;
  std::vector<RecordDecl> records;
  std::vector<RuntimeParamDecl> runtimeParams;
  std::vector<InputDecl> inputs;
  std::vector<RunDecl> runs;         // the protocol, in order
  std::vector<ParamChange> changes;  // between the runs, in order
};

struct Import {
  std::string path;
  SourceLoc loc;
};

/// One parsed file.
struct File {
  uint32_t fileId = 0;
  std::vector<Import> imports;
  std::vector<NeuronDef> neurons;
  std::vector<SynapseDef> synapses;
  std::vector<NetworkDef> networks;
};

/// The main file and everything it imports, in load order (imports before importers).
struct Program {
  std::vector<File> files;
};

} // namespace snn::ast
