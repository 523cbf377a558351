// The shared context of semantic analysis: what every checker reads and writes (the result,
// the network's name tables, what was already reported), the Scope that tells an expression
// what its context allows, and helpers every checker uses (diagnostics, network constants,
// population ranges, definitions that may refer to each other). Each concept has its checker:
// ExprChecker, ModelChecker, NetworkChecker, ConnectionChecker, RecordChecker, ProtocolChecker;
// Sema.cpp runs them.
#pragma once

#include "snn/Sema/ConstEval.h"
#include "snn/Sema/DataFile.h"
#include "snn/Sema/Sema.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace snn::sema {

using ast::Expr;

/// A number as messages write it ("NaN" for any NaN).
std::string fmtNum(double v);

/// How names inside an expression may be resolved.
struct Scope {
  /// Parameter lookup; returns the parameter's dimension or nullopt if it is unknown or invalid.
  /// `known` is set to whether the name is a parameter at all.
  std::function<std::optional<Dim>(const std::string &, SourceLoc, bool &known)> param;
  const std::map<std::string, Dim> *state = nullptr;
  /// Every state variable declared alongside `state`, including those whose initial value was
  /// rejected (and so have no unit): their uses are skipped quietly, not called undeclared.
  const std::vector<ast::Binding> *stateDecls = nullptr;
  /// Alias (named expression) lookup, like `param`.
  std::function<std::optional<Dim>(const std::string &, SourceLoc, bool &known)> alias;
  bool allowTime = false;      // t and dt
  bool allowInit = false;      // i, N, uniform(), normal()
  bool allowNoise = false;     // xi
  bool allowRand = false;      // rand(): spike condition, reset and update blocks
  bool allowIndex = true;      // i and N (with allowInit): not for synapse state
  bool synapseIndices = false; // i and j: the pre and post neuron of a synapse (its initial
                               // values and delay)
  /// Per-synapse state of the synapse model (on_pre only).
  const std::map<std::string, Dim> *synState = nullptr;
  /// The synapse model's declarations (state, traces, response): a name declared there whose
  /// initial value was invalid is not "undeclared" (that error was already reported).
  std::vector<const std::vector<ast::Binding> *> synDecls;
  /// The synapse's names this scope cannot read (traces and responses in synapse equations and
  /// every blocks), with what they are: their use is an error saying so.
  std::vector<std::pair<const std::map<std::string, Dim> *, std::string>> unavailable;
  bool allowTotal = false; // total(e): a synapse's every block
  /// Names whose declaration was invalid (already reported): their uses are skipped quietly.
  const std::set<std::string> *invalidNames = nullptr;
  /// Presynaptic and postsynaptic traces of the synapse model.
  const std::map<std::string, Dim> *preTraces = nullptr, *postTraces = nullptr;
  /// Response variables of the synapse model (kept per postsynaptic neuron).
  const std::map<std::string, Dim> *response = nullptr;
  /// Inputs of the enclosing neuron (what synapses feed).
  const std::map<std::string, Dim> *inputs = nullptr;
  /// Synapse code: `pre.x` and `post.x` name the neurons on either side; preState is null when
  /// the presynaptic population is a spike source. preWhat/postWhat describe them in messages.
  bool synapseSides = false;
  const std::map<std::string, Dim> *preState = nullptr;
  /// Parameters of the neurons on either side (constants of their populations), readable as
  /// `pre.J`, `post.J` and, after the synapse's own names, bare `J` (postsynaptic).
  const std::map<std::string, Dim> *preParams = nullptr, *postParams = nullptr;
  std::string preWhat, postWhat;
  /// Where the network is built (a rule's p and condition, initial values, delays): the
  /// positions of the neurons on either side (`pre.x`, `post.y`, `distance`), null where a
  /// population has none; `pre` and `post` name the populations in messages.
  const PositionInfo *prePositions = nullptr, *postPositions = nullptr;
  bool positionsHere = false;
  std::string prePop, postPop;
  /// A conv2d connection's kernel, read per synapse as `kernel` (its event code, the initial
  /// values it gives, its delay); null elsewhere.
  const ArrayInfo *kernel = nullptr;
  bool kernelFailed = false; // a conv2d rule whose kernel is invalid (already reported)
  /// The unit of `target` when the connection chose a variable with `onto`, and its name.
  std::optional<Dim> target;
  std::string targetName;
  /// Synapse code onto a neuron whose refractory inputs are held (`(inputs = hold)`): its writes
  /// to the neuron's `unless refractory` variables must be sums, which can be held.
  const ast::NeuronDef *heldBy = nullptr;
  /// The unit of `modulator` when the connection chose one with `modulated by`.
  std::optional<Dim> modulator;
  bool allowTables = false; // timed arrays (a population's parameter overrides, with t)
  std::string context;      // used in "cannot use X in <context>"
};

/// Definitions that may refer to each other in any order (parameters, named expressions): each
/// is checked once, on its first use or in declaration order, and a use of one still being
/// checked closes a cycle, which is reported through `cycle` with its path and not checked
/// again. Cycle detection is written here once for every kind of definition.
class DefinitionResolver {
public:
  /// Checks the definition of `name` (which may use others through use()).
  using Check = std::function<std::optional<Dim>(const std::string &name)>;
  /// A cycle: `path` is 'a' -> 'b' -> 'a' (long ones elided), `members` the names on it in
  /// order from the first, `loc` the use that closed it.
  using Cycle = std::function<void(const std::string &name, const std::string &path,
                                   const std::vector<std::string> &members, SourceLoc loc)>;
  DefinitionResolver(Check check, Cycle cycle)
      : check_(std::move(check)), cycle_(std::move(cycle)) {}

  /// The dimension of `name`, checking it first if it was not yet: nullopt if its definition
  /// is invalid or cyclic.
  std::optional<Dim> resolve(const std::string &name);
  /// A use of `name` at `loc` from inside another definition.
  std::optional<Dim> use(const std::string &name, SourceLoc loc);

private:
  Check check_;
  Cycle cycle_;
  std::map<std::string, int> state_; // 0 unvisited, 1 in progress, 2 done
  std::map<std::string, std::optional<Dim>> result_;
  std::vector<std::string> stack_;
};

/// Everything the checkers share.
struct SemaContext {
  SemaContext(const ast::Program &p, SourceManager &sm, DiagnosticEngine &d)
      : program(p), sm(sm), diags(d) {}
  const ast::Program &program;
  SourceManager &sm;
  DiagnosticEngine &diags;
  SemaResult result;
  std::map<std::string, uint32_t> popIndex;
  std::map<std::string, uint32_t> connIndex; // connections by name
  std::map<std::string, SourceLoc> popDecls; // every population declared, valid or not
  std::map<std::pair<uint32_t, std::string>, SourceLoc> summedInputs; // (post, input)
  std::set<std::string> invalidPops;   // declared but rejected (already reported)
  std::set<std::string> invalidArrays; // timed arrays and arrays rejected (already reported)
  /// What `W(i)` / `W(i, j)` index where an expression is being checked: {population size} in
  /// a population's parameters and initial values, {pre range, post range} in a connection's
  /// initial values and delay; empty elsewhere (arrays cannot be read there).
  std::vector<std::pair<uint64_t, std::string>> arrayExtents; // with what they are, for messages
  bool dtValid = true;
  std::set<std::string> currentStateNames;
  std::set<std::tuple<uint32_t, uint32_t, uint32_t, std::string>> reported;
  /// Network constants read where the network is built or initialised: the first such use of
  /// each, with what it was (a change between runs would not reach it).
  std::map<std::string, std::pair<SourceLoc, std::string>> buildUses;
};

/// Sets what arrays are indexed by while it lives (SemaContext::arrayExtents).
class ArrayIndexing {
public:
  ArrayIndexing(std::vector<std::pair<uint64_t, std::string>> &extents,
                std::vector<std::pair<uint64_t, std::string>> now)
      : extents_(extents), saved_(std::move(extents)) {
    extents_ = std::move(now);
  }
  ~ArrayIndexing() { extents_ = std::move(saved_); }
  ArrayIndexing(const ArrayIndexing &) = delete;
  ArrayIndexing &operator=(const ArrayIndexing &) = delete;

private:
  std::vector<std::pair<uint64_t, std::string>> &extents_;
  std::vector<std::pair<uint64_t, std::string>> saved_;
};

/// A checker's view of the context (its fields under the names the checkers use) and the
/// helpers they share.
class Checker {
protected:
  explicit Checker(SemaContext &cx)
      : program_(cx.program), sm_(cx.sm), diags_(cx.diags), result_(cx.result),
        popIndex_(cx.popIndex), connIndex_(cx.connIndex), popDecls_(cx.popDecls),
        summedInputs_(cx.summedInputs), invalidPops_(cx.invalidPops),
        invalidArrays_(cx.invalidArrays), arrayExtents_(cx.arrayExtents), dtValid_(cx.dtValid),
        currentStateNames_(cx.currentStateNames), reported_(cx.reported), buildUses_(cx.buildUses) {
  }

public:
  // ---- diagnostics ------------------------------------------------------------------------
  // A neuron's parameters are re-checked for each population that overrides some of them; the
  // set keeps a problem in the neuron itself from being reported once per population.
  void error(SourceLoc loc, const std::string &msg);
  void note(SourceLoc loc, const std::string &msg);

  static bool declares(const std::vector<ast::Binding> &decls, const std::string &name);

  /// Names a checked expression refers to, with their kinds.
  void namesIn(const ast::Expr &e, std::vector<NameRef> &out) const;

  // ---- network ------------------------------------------------------------------------------
  /// `e` as a constant of the network. Without `env` it is evaluated with the constants as
  /// declared, for something fixed when the network is built (the constants read are noted, so
  /// that a change between runs cannot silently miss them); with `env`, with the constants as
  /// the protocol's changes left them.
  std::optional<ConstValue> constant(const Expr &e, const std::string &what,
                                     const ConstNames *env = nullptr);

  /// Notes the network constants that `e` (checked, so its names resolved) reads: it is
  /// evaluated once, when the network is built or initialised (`what`).
  void noteBuildUses(const Expr &e, const std::string &what);

  /// The file `path` (relative to the .snn file naming it at `at`, like imports) read as
  /// `want`; `what` names it in messages ("array file").
  std::optional<DataFile> loadData(const std::string &path, SourceLoc at, DataShape want,
                                   const char *what);
  /// `load("f") * scale`: the file as `want` and the scale (a finite constant; 1 when absent).
  std::optional<std::pair<DataFile, ConstValue>> loadScaled(const ast::DataLoad &d, DataShape want,
                                                            const std::string &owner);

  /// A non-negative integer constant (sizes, indices, k).
  std::optional<uint64_t> integer(const Expr &e, const std::string &what, uint64_t max);

  std::optional<double> duration(const Expr &e, const std::string &what,
                                 const ConstNames *env = nullptr);

  /// Resolves `P` or `P[a:b]` to a population index and a half-open range.
  bool popRange(const ast::PopRef &r, uint32_t &pop, uint32_t &begin, uint32_t &end);

  /// Equal but for letter case, or (for names of 3 letters or more) one letter added, dropped,
  /// changed or two neighbours swapped.
  static bool nearMiss(const std::string &a, const std::string &b);

  bool popIndexValid(uint32_t i) const;

protected:
  const ast::Program &program_;
  SourceManager &sm_;
  DiagnosticEngine &diags_;
  SemaResult &result_;
  std::map<std::string, uint32_t> &popIndex_;
  std::map<std::string, uint32_t> &connIndex_;
  std::map<std::string, SourceLoc> &popDecls_;
  std::map<std::pair<uint32_t, std::string>, SourceLoc> &summedInputs_;
  std::set<std::string> &invalidPops_;
  std::set<std::string> &invalidArrays_;
  std::vector<std::pair<uint64_t, std::string>> &arrayExtents_;
  bool &dtValid_;
  std::set<std::string> &currentStateNames_;
  std::set<std::tuple<uint32_t, uint32_t, uint32_t, std::string>> &reported_;
  std::map<std::string, std::pair<SourceLoc, std::string>> &buildUses_;
};

} // namespace snn::sema
