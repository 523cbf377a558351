// Records: `record` statements (spikes, rates, state and synapse variables).
#include "RecordChecker.h"

#include "snn/Sema/ConstEval.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace snn::sema {

using ast::BinaryOp;
using ast::Expr;

void RecordChecker::checkRecord(const ast::RecordDecl &r) {
  NetworkInfo &net = result_.network;
  RecordInfo info;
  info.decl = &r;
  info.spikes = r.spikes;
  if (!r.spikes && !popIndex_.count(r.pop.name) && connIndex_.count(r.pop.name)) {
    checkSynapseRecord(r, info);
    return;
  }
  if (!popRange(r.pop, info.pop, info.begin, info.end))
    return;
  if (r.final && r.every) {
    error(r.every->loc, "a 'final' record takes no interval");
    return;
  }
  info.everySteps = r.final ? 0 : 1;
  info.rate = r.rate;
  if (r.rate) {
    if (r.every && !recordInterval(*r.every, info.everySteps))
      return;
    net.records.push_back(std::move(info));
    return;
  }
  if (!r.spikes) {
    if (!net.populations[info.pop].neuron) {
      error(r.varLoc, "'" + r.pop.name + "' is a spike source and has no state variables");
      return;
    }
    const NeuronInfo &neuron = *net.populations[info.pop].neuron;
    if (!neuron.stateDims.count(r.var)) {
      if (declares(neuron.def->state, r.var))
        return; // declared, but its initial value is invalid (already reported)
      error(r.varLoc,
            "'" + r.var + "' is not a state variable of neuron '" + neuron.def->name + "'");
      return;
    }
    info.var = r.var;
    if (r.every && !recordInterval(*r.every, info.everySteps))
      return;
  }
  net.records.push_back(std::move(info));
}

bool RecordChecker::recordInterval(const ast::Expr &every, uint32_t &steps) {
  const NetworkInfo &net = result_.network;
  auto d = duration(every, "record interval");
  // With an invalid dt (already reported) the interval cannot be judged.
  if (!d || !dtValid_)
    return false;
  double exact = *d / net.dt;
  double rounded = std::round(exact);
  if (rounded < 1 || rounded > 2147483647.0 || std::fabs(exact - rounded) > 1e-6 * rounded) {
    error(every.loc, "record interval " + fmtNum(*d * 1e3) +
                         " ms is not a positive multiple of dt (" + fmtNum(net.dt * 1e3) + " ms)");
    return false;
  }
  steps = static_cast<uint32_t>(rounded);
  return true;
}

void RecordChecker::checkSynapseRecord(const ast::RecordDecl &r, RecordInfo &info) {
  NetworkInfo &net = result_.network;
  const ConnectionInfo &conn = net.connections[connIndex_.at(r.pop.name)];
  info.synapses = true;
  info.pop = connIndex_.at(r.pop.name);
  if (r.pop.slice) {
    error(r.pop.slice->loc, "a record of synapse variables takes no slice: it records every "
                            "synapse of '" +
                                r.pop.name + "'");
    return;
  }
  if (!conn.synapse || !conn.synapse->stateDims.count(r.var)) {
    if (conn.synapse && declares(conn.synapse->def->state, r.var))
      return; // declared, but its initial value is invalid (already reported)
    error(r.varLoc, "'" + r.var + "' is not a variable of the synapses of '" + r.pop.name + "'");
    return;
  }
  info.var = r.var;
  if (r.final && r.every) {
    error(r.every->loc, "a 'final' record takes no interval");
    return;
  }
  if (!r.final && !r.every) {
    error(r.loc, "recording a synapse variable needs 'every T' or 'final' (every step of every "
                 "synapse is rarely what is wanted)");
    return;
  }
  info.everySteps = 0;
  if (r.every && !recordInterval(*r.every, info.everySteps))
    return;
  net.records.push_back(std::move(info));
}

} // namespace snn::sema
