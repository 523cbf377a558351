// Semantic analysis of a .snn program: name resolution, dimension checking, cycle detection among
// definitions and range checks on the network's structure. Errors are reported and analysis goes
// on, so that one run shows every problem it can; checks that depend on a failed one are skipped
// rather than repeated (an invalid sub-expression yields nullopt and is not reported twice).
// One checker per concept works over the shared SemaContext (SemaContext.h); this file runs them:
// the models first, then the network, which hands its items to the other checkers.
#include "snn/Sema/Sema.h"

#include "ConnectionChecker.h"
#include "ExprChecker.h"
#include "ModelChecker.h"
#include "NetworkChecker.h"
#include "ProtocolChecker.h"
#include "RecordChecker.h"

namespace snn {

std::optional<SemaResult> analyze(const ast::Program &program, SourceManager &sm,
                                  DiagnosticEngine &diags) {
  using namespace sema;
  SemaContext cx(program, sm, diags);
  ExprChecker exprs(cx);
  ModelChecker models(cx, exprs);
  ConnectionChecker connections(cx, exprs, models);
  RecordChecker records(cx);
  ProtocolChecker protocol(cx);
  NetworkChecker network(cx, exprs, models, connections, records, protocol);

  models.collectDefinitions();
  for (auto &[name, info] : cx.result.neurons)
    models.checkNeuron(info);
  for (auto &[name, info] : cx.result.synapses)
    models.checkSynapseParams(info);
  const ast::NetworkDef *net = nullptr;
  for (auto &f : program.files)
    for (auto &n : f.networks) {
      if (net) {
        network.error(n.loc, "only one network per program is supported; '" + n.name +
                                 "' follows '" + net->name + "'");
        network.note(net->loc, "first network is here");
        continue;
      }
      net = &n;
    }
  if (net)
    network.checkNetwork(*net);
  if (diags.hasErrors())
    return std::nullopt;
  return std::move(cx.result);
}

} // namespace snn
