// The network: settings, constants, timed arrays, populations, inputs and run-time
// parameters, and the order in which the other checkers see its items.
#pragma once

#include "SemaContext.h"

#include "ConnectionChecker.h"
#include "ExprChecker.h"
#include "ModelChecker.h"
#include "ProtocolChecker.h"
#include "RecordChecker.h"

namespace snn::sema {

class NetworkChecker : public Checker {
public:
  NetworkChecker(SemaContext &cx, ExprChecker &exprs, ModelChecker &models,
                 ConnectionChecker &connections, RecordChecker &records, ProtocolChecker &protocol)
      : Checker(cx), exprs_(exprs), models_(models), connections_(connections), records_(records),
        protocol_(protocol) {}

  void checkNetwork(const ast::NetworkDef &n);

  /// What in `e` makes a parameter differ per neuron (i, N, random draws) or in time (t, a timed
  /// array), and the parameters it reads.
  struct ParamUses {
    const ast::Expr *perNeuron = nullptr, *time = nullptr, *random = nullptr;
    std::set<std::string> params;
  };

private:
  void checkSpikeSource(const ast::PopulationDecl &p, uint32_t size);
  std::vector<const ast::Binding *> overriddenParams(const ast::PopulationDecl &p,
                                                     const NeuronInfo &neuron);
  std::vector<const ast::Binding *> initialValues(const ast::PopulationDecl &p,
                                                  const NeuronInfo &neuron);
  /// `name = value` in a network, for a name other than a setting: a constant usable in every
  /// expression of the network after it (overrides, initial values, rules, delays, records, run),
  /// the model's own names shadowing it; it shadows a unit of its name used as a value (`g = 5`,
  /// Brunel's relative inhibition, is not the gram; `5 g` still is). Its value must be a finite
  /// constant.
  void defineConstant(const ast::Binding &b);
  void paramUses(const ast::Expr &e, ParamUses &u) const;

  /// The parameters of a population that differ per neuron, each after those it uses; one that
  /// would differ per neuron and vary in time is an error (it is computed once, at the start).
  std::vector<std::string> perNeuronParams(const std::vector<const ast::Binding *> &params,
                                           const std::string &pop,
                                           std::vector<std::string> &timed);

  /// `input P[a:b].v += e`: e is computed for each neuron of the slice every step, like an update
  /// block of its neuron (parameters, state, t, dt, rand(), poisson(), network constants), and
  /// added to its state variable v.
  void checkInput(const ast::InputDecl &in);

  /// `timed_array name = [v0, v1, ...] every T`: constant values of one unit, T > 0.
  void checkTimedArray(const ast::TimedArrayDecl &a);
  /// `timed_array name = load("f") * unit every T`: the values of a 1-D array file.
  bool timedArrayFromFile(const ast::TimedArrayDecl &a, TimedArrayInfo &info);
  /// `array W = load("f") * unit`: a 1-D or 2-D array file, values in the unit's SI scale.
  void checkArray(const ast::ArrayDecl &a);
  /// Whether `name` may name a new array or timed array (reports why not at `loc`).
  bool freshArrayName(const std::string &name, SourceLoc loc);

  void checkPopulation(const ast::PopulationDecl &p);
  /// `at ...`: where the population's neurons are (PositionInfo); false after reporting why not.
  bool checkPositions(const ast::PopulationDecl &p, PopulationInfo &info);
  bool gridPositions(const ast::RuleCall &g, const PopulationInfo &info, PositionInfo &pos);
  bool exprPositions(const ast::Positions &at, PositionInfo &pos);
  bool filePositions(const ast::PopulationDecl &p, const PopulationInfo &info, PositionInfo &pos);

  /// `runtime P.x`: x must be a parameter of population P's neuron, named once.
  void checkRuntimeParam(const ast::RuntimeParamDecl &d);

  ExprChecker &exprs_;
  ModelChecker &models_;
  ConnectionChecker &connections_;
  RecordChecker &records_;
  ProtocolChecker &protocol_;
};

} // namespace snn::sema
