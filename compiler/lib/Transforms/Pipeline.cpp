// The pass pipeline, in order. Read this file as the table of contents of the middle end.
#include "snn/Transforms/Pipeline.h"

#include "snn/IR/IRPrinter.h"
#include "snn/IR/IRVerifier.h"
#include "snn/Transforms/CheckSpikeProbabilities.h"
#include "snn/Transforms/CompactSpikes.h"
#include "snn/Transforms/FoldConstants.h"
#include "snn/Transforms/FuseNeuronUpdates.h"
#include "snn/Transforms/IfConvert.h"
#include "snn/Transforms/IntegrateODEs.h"
#include "snn/Transforms/LowerDelayRings.h"
#include "snn/Transforms/MarkIndependentSynapses.h"
#include "snn/Transforms/LowerRandom.h"
#include "snn/Transforms/LowerSpikeLoops.h"
#include "snn/Transforms/LowerSpikeSources.h"
#include "snn/Transforms/LowerSynapseLoops.h"
#include "snn/Transforms/PartitionDeliveries.h"
#include "snn/Transforms/PoissonIntervals.h"
#include "snn/Transforms/ReciprocalDivisions.h"
#include "snn/Transforms/ScaleUnits.h"
#include "snn/Transforms/TabulatePoisson.h"

namespace snn::transforms {

const std::vector<PassInfo> &passRegistry() {
  static const std::vector<PassInfo> passes = {
      {"scale-units", "rewrite quantities in SI base units",
       [](ir::Module &m, DiagnosticEngine &) { scaleUnits(m); }},
      {"fold-constants", "substitute parameters and fold constant expressions",
       foldConstants},
      {"integrate-odes",
       "lower ODEs to updates over one dt (exact, exponential Euler, RK4, RK2, Euler, "
       "Euler-Maruyama)",
       integrateODEs},
      {"fuse-neuron-updates", "merge each population's update, threshold and reset loops",
       [](ir::Module &m, DiagnosticEngine &) { fuseNeuronUpdates(m); }},
      {"partition-deliveries",
       "mark deliveries that can run as independent ranges of postsynaptic neurons",
       [](ir::Module &m, DiagnosticEngine &) { partitionDeliveries(m); }},
      {"mark-independent-synapses",
       "mark the synapse loops whose iterations touch only their own synapse and partner",
       [](ir::Module &m, DiagnosticEngine &) { markIndependentSynapses(m); }},
      {"poisson-intervals",
       "draw constant-rate Poisson sources' next spike (geometric intervals), not a number a step",
       [](ir::Module &m, DiagnosticEngine &) { poissonIntervals(m); }},
      {"check-spike-probabilities",
       "refuse constant spike probabilities rand() < p above 1; count the others' saturated draws",
       checkSpikeProbabilities},
      {"tabulate-poisson",
       "count Poisson draws of constant mean over their tabulated distribution, not a search",
       [](ir::Module &m, DiagnosticEngine &) { tabulatePoisson(m); }},
      {"lower-random", "compute random numbers inline from Philox-4x32-10 blocks",
       [](ir::Module &m, DiagnosticEngine &) { lowerRandom(m); }},
      {"reciprocal-divisions", "multiply by the reciprocal of a constant instead of dividing",
       [](ir::Module &m, DiagnosticEngine &) { reciprocalDivisions(m); }},
      {"compact-spikes",
       "turn each neuron loop's spike test into a mask per tile, then append the tile's spikes",
       [](ir::Module &m, DiagnosticEngine &) { compactSpikes(m); }},
      {"if-convert", "turn ifs that store only the loop's own neuron into selects",
       [](ir::Module &m, DiagnosticEngine &) { ifConvert(m); }},
      {"lower-spike-sources",
       "turn spike-source schedules into constant tables and a loop over this step's slice",
       [](ir::Module &m, DiagnosticEngine &) { lowerSpikeSources(m); }},
      {"lower-delay-rings", "turn transmission delays into loops over ring buffers",
       [](ir::Module &m, DiagnosticEngine &) { lowerDelayRings(m); }},
      {"lower-spike-loops",
       "turn loops over this step's spikes into loops over the spike list, prefetching rows",
       [](ir::Module &m, DiagnosticEngine &) { lowerSpikeLoops(m); }},
      {"lower-synapse-loops",
       "turn loops over a neuron's synapses into loops over connectivity arrays and searches",
       [](ir::Module &m, DiagnosticEngine &) { lowerSynapseLoops(m); }},
  };
  return passes;
}

bool runPipeline(ir::Module &m, const PipelineOptions &opts, DiagnosticEngine &diags,
                 std::string &error) {
  std::vector<const PassInfo *> plan;
  if (opts.only.empty()) {
    for (auto &p : passRegistry())
      plan.push_back(&p);
  } else {
    for (auto &name : opts.only) {
      const PassInfo *found = nullptr;
      for (auto &p : passRegistry())
        if (name == p.name)
          found = &p;
      if (!found) {
        error = "unknown pass '" + name + "'";
        return false;
      }
      plan.push_back(found);
    }
  }
  for (const PassInfo *p : plan) {
    p->run(m, diags);
    if (diags.hasErrors())
      return false;
    auto problems = ir::verifyModule(m);
    if (!problems.empty()) {
      error = std::string("IR verification failed after pass '") + p->name + "': " + problems[0];
      return false;
    }
    if (opts.printAfterAll) {
      *opts.printAfterAll << "// ----- IR after " << p->name << " -----\n";
      ir::printModule(*opts.printAfterAll, m);
    }
  }
  return true;
}

} // namespace snn::transforms
