// Models: neuron and synapse definitions (parameters, state, equations, named
// expressions, spike conditions, resets, event blocks) and the statements of their blocks.
#pragma once

#include "SemaContext.h"

#include "ExprChecker.h"

namespace snn::sema {

class ModelChecker : public Checker {
public:
  ModelChecker(SemaContext &cx, ExprChecker &exprs) : Checker(cx), exprs_(exprs) {}

  // ---- definitions ------------------------------------------------------------------------
  void collectDefinitions();

  /// Checks a set of parameter bindings (a neuron's or a synapse's, with overrides applied) and
  /// returns their dimensions. Parameters may refer to each other in any order; cycles are errors.
  /// `overrides`, if given, are the bindings among `bindings` that a population or connection
  /// substitutes for the model's own; a cycle through one is reported at the override.
  /// `timeVarying`: the bindings may use t and timed arrays (a population's overrides: an
  /// injected current that changes in time).
  std::map<std::string, Dim> checkParams(const std::vector<const ast::Binding *> &bindings,
                                         const std::string &owner,
                                         const std::set<const ast::Binding *> *overrides = nullptr,
                                         bool timeVarying = false);

  /// Reports duplicate names among bindings; returns the bindings without the duplicates.
  std::vector<const ast::Binding *> unique(const std::vector<ast::Binding> &bs,
                                           std::map<std::string, SourceLoc> &seen,
                                           const std::string &what);

  /// Makes the state variables of `n` (none for nullptr) the ones that parameters and initial
  /// values are told they cannot use; without this a population or synapse would be checked
  /// against the states of whichever neuron was analysed last.
  void setStateNames(const ast::NeuronDef *n);

  /// Names resolve to the parameters in `dims`. A parameter declared in `decls` but missing from
  /// `dims` had an invalid definition, already reported; its uses yield nullopt quietly rather
  /// than a cascade of "undeclared name" errors.
  /// The scope refers to `dims` and `decls`, which must outlive it: temporaries are refused.
  Scope paramScope(std::map<std::string, Dim> &&dims, const std::vector<ast::Binding> &decls,
                   const std::string &context) = delete;
  Scope paramScope(const std::map<std::string, Dim> &dims, const std::vector<ast::Binding> &&decls,
                   const std::string &context) = delete;
  Scope paramScope(const std::map<std::string, Dim> &dims, const std::vector<ast::Binding> &decls,
                   const std::string &context);

  void checkNeuron(NeuronInfo &info);
  void checkMethod(NeuronInfo &info);
  void checkEquations(NeuronInfo &info, const std::vector<const ast::Binding *> &states,
                      const Scope &dyn);
  void checkEvents(NeuronInfo &info, const Scope &dyn);

  /// Named expressions may use state, parameters, t and each other (in any order, without
  /// cycles); their unit is that of their expression.
  void checkAliases(NeuronInfo &info, const std::vector<const ast::Binding *> &aliases,
                    const Scope &base);

  void checkSynapseParams(SynapseInfo &info);

  /// The plasticity rules of an on_pre (pre = true) or on_post block: a trace of the event's own
  /// side is kept per neuron, so its update runs once per spike, before or after the loop over
  /// the neuron's synapses; it may therefore only use parameters and traces of that side, and
  /// must not sit between synapse statements that read it. The other side's traces are read-only.
  void checkTraceUpdates(const std::vector<ast::Assignment> &stmts, const SynapseInfo &syn,
                         bool pre, const std::string &block);

  /// Checks state declarations in order; a variable's unit is that of its initial value. With
  /// `visible`, each checked variable becomes usable by the initial values after it.
  void checkInitialValues(const std::vector<const ast::Binding *> &states, const Scope &scope,
                          std::map<std::string, Dim> &dims, std::map<std::string, Dim> *visible);

  void checkAssignments(const std::vector<ast::Assignment> &as, const Scope &scope,
                        const std::map<std::string, Dim> &targets, const std::string &where);

  void checkPeriodSteps(const ast::Every &e, const std::string &where);

private:
  /// Onto a neuron that holds its refractory inputs, synapse code may only add to (or subtract
  /// from) its `unless refractory` variables: a sum can be held and applied later, a `=` or `*=`
  /// has no meaning once the value it acted on has moved on.
  void checkHeldInput(const ast::Assignment &a, const Scope &scope);

  /// `pre.x = ...` may only set a presynaptic trace; `post.x = ...` a postsynaptic trace, a
  /// response variable or a state variable of the postsynaptic neuron.
  bool sideTargetValid(const ast::Assignment &a, const Scope &scope);

  /// The period of `every` must be a positive constant time (the whole number of steps is
  /// checked with the network's dt, checkPeriodSteps).
  void checkPeriod(const ast::Every &e);

  ExprChecker &exprs_;
};

} // namespace snn::sema
