// The protocol: the `run` statements and the parameter changes between them.
#include "ProtocolChecker.h"

#include "snn/Sema/ConstEval.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace snn::sema {

using ast::BinaryOp;
using ast::Expr;

void ProtocolChecker::checkProtocol(const ast::NetworkDef &n) {
  NetworkInfo &net = result_.network;
  if (n.runs.empty()) {
    error(n.loc, "network '" + n.name + "' has no 'run' statement");
    for (auto &c : n.changes)
      checkChange(c, net.constants);
    return;
  }
  ConstNames env = net.constants;
  double total = 0;
  bool ok = true;
  for (size_t k = 0; k <= n.runs.size(); ++k) {
    for (auto &c : n.changes)
      if (c.phase == k)
        checkChange(c, env);
    if (k == n.runs.size())
      break;
    const ast::RunDecl &r = n.runs[k];
    auto d = duration(*r.duration, "run duration", &env);
    if (!d) {
      ok = false;
      continue;
    }
    if (*d < 0) {
      error(r.duration->loc, "run duration must not be negative, got " + fmtNum(*d) + " s");
      ok = false;
      continue;
    }
    total += *d;
    if (dtValid_ && total / net.dt > 0x1p53) {
      error(r.duration->loc,
            std::string(n.runs.size() > 1 ? "the runs together last " : "run duration ") +
                fmtNum(total) + " s is more than 2^53 steps of dt = " + fmtNum(net.dt * 1e3) +
                " ms");
      ok = false;
    }
    net.runs.push_back(*d);
  }
  if (ok)
    net.duration = total;
  for (auto &c : n.changes)
    if (c.phase == n.runs.size())
      diags_.warning(c.loc, "this change has no effect: no run follows it");
  checkChangedConstantsAreLive();
}

void ProtocolChecker::checkChange(const ast::ParamChange &c, ConstNames &env) {
  NetworkInfo &net = result_.network;
  std::string what = (c.owner.empty() ? "" : c.owner + ".") + c.name;
  if (c.phase == 0) {
    error(c.loc, "'" + what + " = ...' before the first run: give the value where '" +
                     (c.owner.empty() ? c.name : c.owner) +
                     "' is declared; a change stands between two runs");
    return;
  }
  using Owner = RuntimeParamInfo::Owner;
  Owner owner;
  uint32_t index = 0;
  Dim dim;
  if (c.owner.empty()) {
    if (c.name == "dt" || c.name == "seed" || c.name == "precision") {
      error(c.loc, "network setting '" + c.name + "' cannot change between runs");
      return;
    }
    auto it = env.find(c.name);
    if (it == env.end()) {
      error(c.loc, "no network constant '" + c.name +
                       "' to change: constants are defined "
                       "before the first run");
      return;
    }
    owner = Owner::Network;
    dim = it->second.dim;
  } else if (auto pop = popIndex_.find(c.owner); pop != popIndex_.end()) {
    const PopulationInfo &info = net.populations[pop->second];
    if (!info.neuron) {
      error(c.loc, "'" + c.owner + "' is a spike source: it has no parameters");
      return;
    }
    auto d = info.neuron->paramDims.find(c.name);
    if (d == info.neuron->paramDims.end()) {
      error(c.nameLoc, "neuron '" + info.decl->model + "' of population '" + c.owner +
                           "' has no parameter '" + c.name + "'" + known(info.neuron->paramDims));
      return;
    }
    if (std::count(info.perNeuron.begin(), info.perNeuron.end(), c.name)) {
      error(c.nameLoc, "parameter '" + c.name + "' of population '" + c.owner +
                           "' differs "
                           "per neuron: a change between runs gives the population one value");
      return;
    }
    owner = Owner::Population;
    index = pop->second;
    dim = d->second;
  } else if (auto conn = connIndex_.find(c.owner); conn != connIndex_.end()) {
    const ConnectionInfo &info = net.connections[conn->second];
    const SynapseInfo *syn = info.synapse;
    auto d = syn ? syn->paramDims.find(c.name) : std::map<std::string, Dim>::const_iterator();
    if (!syn || d == syn->paramDims.end()) {
      error(c.nameLoc, "the synapse of connection '" + c.owner + "' has no parameter '" + c.name +
                           "'" + (syn ? known(syn->paramDims) : std::string()));
      return;
    }
    owner = Owner::Connection;
    index = conn->second;
    dim = d->second;
  } else if (invalidPops_.count(c.owner)) {
    return; // a rejected population or connection: its error says why
  } else {
    error(c.loc, env.count(c.owner) ? "'" + c.owner + "' is a network constant: change it as '" +
                                          c.owner + " = value'"
                                    : "no population or connection named '" + c.owner + "'");
    return;
  }
  auto v = constant(*c.value, "the new value of '" + what + "'", &env);
  if (!v)
    return;
  if (v->dim != dim) {
    error(c.value->loc, "'" + what + "' has unit '" + dim.str() +
                            "', but its new value has "
                            "unit '" +
                            v->dim.str() + "'");
    return;
  }
  if (!std::isfinite(v->value)) {
    error(c.value->loc, "the new value of '" + what + "' is " +
                            (std::isnan(v->value) ? "not a number (NaN)" : "infinite"));
    return;
  }
  if (owner == Owner::Network)
    env[c.name] = *v;
  uint32_t param = runtimeParamFor(owner, index, c.name, dim, c.nameLoc);
  for (auto &other : net.changes)
    if (other.param == param && other.phase == c.phase) {
      error(c.loc, "'" + what + "' is changed twice before the same run");
      note(other.decl->loc, "first changed here");
      return;
    }
  net.changes.push_back({&c, param, v->value, c.phase});
}

std::string ProtocolChecker::known(const std::map<std::string, Dim> &names) {
  std::string list;
  for (auto &[name, dim] : names)
    list += (list.empty() ? "" : ", ") + name;
  return list.empty() ? " (it has none)" : " (it has " + list + ")";
}

uint32_t ProtocolChecker::runtimeParamFor(RuntimeParamInfo::Owner owner, uint32_t index,
                                          const std::string &name, Dim dim, SourceLoc loc) {
  auto &params = result_.network.runtimeParams;
  for (size_t k = 0; k < params.size(); ++k)
    if (params[k].owner == owner && params[k].pop == index && params[k].name == name)
      return static_cast<uint32_t>(k);
  RuntimeParamInfo r;
  r.owner = owner;
  r.loc = loc;
  r.pop = index;
  r.name = name;
  r.dim = dim;
  params.push_back(std::move(r));
  return static_cast<uint32_t>(params.size() - 1);
}

void ProtocolChecker::checkChangedConstantsAreLive() {
  NetworkInfo &net = result_.network;
  std::set<std::string> reported;
  for (auto &c : net.changes) {
    const RuntimeParamInfo &r = net.runtimeParams[c.param];
    if (r.owner != RuntimeParamInfo::Owner::Network || !reported.insert(r.name).second)
      continue;
    auto use = buildUses_.find(r.name);
    if (use == buildUses_.end())
      continue;
    error(c.decl->loc, "network constant '" + r.name +
                           "' cannot change between runs: it is "
                           "read once, when the network is built (" +
                           use->second.second + ")");
    note(use->second.first, "used here");
  }
}

} // namespace snn::sema
