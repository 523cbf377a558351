// Connections: `connect` statements (rule, delay, synapse model with overrides and
// initial values, target and modulator, inline on_pre) checked against both populations.
#pragma once

#include "SemaContext.h"

#include "ExprChecker.h"
#include "ModelChecker.h"

namespace snn::sema {

class ConnectionChecker : public Checker {
public:
  ConnectionChecker(SemaContext &cx, ExprChecker &exprs, ModelChecker &models)
      : Checker(cx), exprs_(exprs), models_(models) {}

  /// A synapse model's `every` blocks, per connection: statements on the synapse's own
  /// variables, reading them, its parameters, both neurons and total(e), the sum of e over the
  /// connection's synapses onto the same postsynaptic neuron.
  void checkSynapseEvery(const ast::ConnectDecl &c, const SynapseInfo &syn, Scope s);

  void checkConnection(const ast::ConnectDecl &c);

private:
  bool checkRule(const ast::ConnectDecl &c, ConnectionInfo &info, bool &ok);
  bool isConstant(const ast::Expr &e);
  /// `from_file("c.csv", w = 1 mV, delay = 1 ms)`: the synapses listed in a table with columns
  /// i and j (counted from the connection's ranges) and a value column per named argument.
  void checkFileRule(const ast::ConnectDecl &c, ConnectionInfo &info, bool &ok);
  /// The file's rows as CSR (by pre, then post) with the value columns permuted alike.
  bool listToRows(const DataFile &file, const ast::ConnectDecl &c, ConnectionInfo &info);
  /// Every value column names a synapse variable (or `delay`) of its unit, not also given by
  /// the connection.
  bool checkFileColumns(const ast::ConnectDecl &c, const ConnectionInfo &info);
  bool ruleArguments(const ast::ConnectDecl &c, const std::vector<std::string> &allowed,
                     std::map<std::string, const ast::Argument *> &args);
  bool checkSynapseModel(const ast::ConnectDecl &c, ConnectionInfo &info,
                         std::map<std::string, Dim> &synDims);
  bool checkDelay(const ast::ConnectDecl &c, ConnectionInfo &info);
  bool checkEffect(const ast::ConnectDecl &c, ConnectionInfo &info);
  bool checkBodies(const ast::ConnectDecl &c, ConnectionInfo &info,
                   const std::map<std::string, Dim> &synDims, std::optional<Dim> modulator);
  void declare(const ast::ConnectDecl &c, ConnectionInfo info);
  Scope bodyScope(const ast::ConnectDecl &c, const ConnectionInfo &info, const NeuronInfo &post,
                  const std::map<std::string, Dim> &synDims, std::optional<Dim> modulator);

public:
private:
  /// Whether a synapse model uses the name `target` (the variable chosen with `onto`).
  static bool mentionsTarget(const ast::SynapseDef &syn);

  /// `onto X`: a model with an output feeds input X of the postsynaptic neuron; a model that
  /// writes `target` acts on state variable X. Sets `s.target` for the latter.
  bool chooseTarget(const ast::ConnectDecl &c, ConnectionInfo &info, const NeuronInfo &post,
                    Scope &s);

  /// `summed <expr>`: per synapse, from its variables and parameters, the neurons on both sides
  /// (not traces, which are brought up to date only at spikes); of the input's unit. An input is
  /// the sum of one connection only (Brian2 refuses two summed variables onto one target).
  void checkSummed(const ast::ConnectDecl &c, const ConnectionInfo &info, const Scope &events,
                   const NeuronInfo &post);

  /// A synapse's output: an expression of its parameters, response variables and the
  /// postsynaptic neuron's state, with the unit of the input it feeds.
  void checkOutput(const SynapseInfo &syn, const Scope &events, const NeuronInfo &post,
                   const std::string &input);

  /// `modulated by P[k].x`: one neuron's state variable, read by every synapse of the connection
  /// as `modulator` (a neuromodulator such as dopamine). Returns its unit.
  std::optional<Dim> chooseModulator(const ast::ConnectDecl &c, ConnectionInfo &info);
  /// `taught by T`: a population or slice as long as the postsynaptic range, for a synapse model
  /// with on_teacher (and on_teacher only with a teacher).
  bool chooseTeacher(const ast::ConnectDecl &c, ConnectionInfo &info);

  /// Equations of per-synapse variables (integrated every step): they may use the synapse's
  /// parameters and variables, `modulator`, t and the neurons on either side, but not traces,
  /// which only exist at events.
  void checkSynapseEquations(const SynapseInfo &syn, Scope s);

  /// A delay that varies between synapses: random (`uniform(1 ms, 3 ms)`) or a function of the
  /// synapse's pre and post indices i and j. Each synapse's value is rounded to the nearest step
  /// when the network is built (as Brian2 does): a continuous distribution has no whole-step
  /// values to insist on. Negative values that can be seen here are refused; the runtime refuses
  /// the others when it builds the synapses.
  bool checkSynapseDelay(const ast::Expr &e, ConnectionInfo &info);
  bool checkConvRule(const ast::ConnectDecl &c, ConnectionInfo &info);
  Scope pairScope(const ConnectionInfo &info, const ast::ConnectDecl &c,
                  const std::string &context);
  /// A conv2d connection's kernel (`kernel` in its code), else null.
  const ArrayInfo *convKernel(const ConnectionInfo &info) const {
    return info.convKernel < 0 ? nullptr
                               : &result_.network.arrays[static_cast<size_t>(info.convKernel)];
  }
  /// A rule's p when it is an expression, and its condition (`with bernoulli(p) if cond`):
  /// functions of a pair (i, j, the neurons' positions, distance, arrays, constants).
  bool checkPairExprs(const ast::ConnectDecl &c, ConnectionInfo &info);
  /// Lets `s` (an expression evaluated where the network is built) read the positions of the
  /// connection's populations.
  void seePositions(Scope &s, const ConnectionInfo &info, const ast::ConnectDecl &c) const;

  /// `synapse S(...) { w = ... }`: initial values replacing the synapse model's defaults.
  bool checkSynapseInit(const ast::ConnectDecl &c, ConnectionInfo &info);

  ExprChecker &exprs_;
  ModelChecker &models_;
};

} // namespace snn::sema
