// The protocol: the `run` statements and the parameter changes between them.
#pragma once

#include "SemaContext.h"

namespace snn::sema {

class ProtocolChecker : public Checker {
public:
  explicit ProtocolChecker(SemaContext &cx) : Checker(cx) {}

  // ---- the protocol: runs and the changes between them -------------------------------------

  /// Each run's duration and the changes between runs, in order; each is evaluated with the
  /// network constants as the changes before it left them (`run T; T = 2 s; run T`).
  void checkProtocol(const ast::NetworkDef &n);

private:
  /// `P.x = v`, `C.x = v` or `name = v` before run `c.phase`: the parameter becomes run-time
  /// and takes v when that run starts.
  void checkChange(const ast::ParamChange &c, ConstNames &env);

  static std::string known(const std::map<std::string, Dim> &names);

  /// The run-time parameter for (owner, index, name), declared now if it is not yet.
  uint32_t runtimeParamFor(RuntimeParamInfo::Owner owner, uint32_t index, const std::string &name,
                           Dim dim, SourceLoc loc);

  /// A network constant changed between runs must reach only what reads it while running:
  /// sizes, probabilities, delays, timed arrays and per-neuron parameters are computed once.
  void checkChangedConstantsAreLive();
};

} // namespace snn::sema
