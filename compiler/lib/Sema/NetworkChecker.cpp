// The network: settings, constants, timed arrays, populations, inputs and run-time
// parameters, and the order in which the other checkers see its items.
#include "NetworkChecker.h"

#include "snn/Sema/ConstEval.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>

namespace snn::sema {

using ast::BinaryOp;
using ast::Expr;

void NetworkChecker::checkNetwork(const ast::NetworkDef &n) {
  NetworkInfo &net = result_.network;
  net.def = &n;
  std::map<std::string, SourceLoc> settingsSeen;
  // Settings, constants and arrays in the order written: a constant may reduce an earlier array
  // (lam = max(A)), an array's unit may use an earlier constant.
  std::vector<const ast::ArrayDecl *> arrays;
  for (auto &a : n.arrays)
    arrays.push_back(&a);
  auto before = [](SourceLoc a, SourceLoc b) {
    return a.line != b.line ? a.line < b.line : a.col < b.col;
  };
  auto nextArray = arrays.begin();
  for (auto &s : n.settings) {
    for (; nextArray != arrays.end() && before((*nextArray)->loc, s.loc); ++nextArray)
      checkArray(**nextArray);
    if (auto [it, fresh] = settingsSeen.emplace(s.name, s.loc); !fresh) {
      bool setting = s.name == "dt" || s.name == "seed" || s.name == "precision";
      error(s.loc, std::string(setting ? "network setting '" : "network constant '") + s.name +
                       "' is given twice");
      note(it->second, "first given here");
      continue;
    }
    if (s.name == "dt") {
      dtValid_ = false;
      if (auto d = duration(*s.value, "dt")) {
        if (*d <= 0)
          error(s.value->loc, "dt must be positive");
        else if (*d < 1e-9)
          error(s.value->loc, "dt " + fmtNum(*d) +
                                  " s is below 1 ns: no network needs such a "
                                  "step, and 1 ms of it would take more than a million steps");
        else {
          net.dt = *d;
          dtValid_ = true;
        }
      }
    } else if (s.name == "seed") {
      if (auto v = integer(*s.value, "seed", UINT32_MAX))
        net.seed = *v;
    } else if (s.name == "precision") {
      auto *name = ast::dyn_cast<ast::NameExpr>(s.value.get());
      if (name && name->name == "float64")
        net.precision = Precision::Float64;
      else if (name && name->name == "float32")
        net.precision = Precision::Float32;
      else
        error(s.value->loc, "precision must be 'float64' or 'float32'");
    } else {
      defineConstant(s);
    }
  }

  for (; nextArray != arrays.end(); ++nextArray)
    checkArray(**nextArray);
  for (auto &a : n.timedArrays)
    checkTimedArray(a);
  for (auto &p : n.populations)
    checkPopulation(p);
  for (auto &c : n.connections)
    connections_.checkConnection(c);
  for (auto &r : n.records)
    records_.checkRecord(r);
  for (auto &rp : n.runtimeParams)
    checkRuntimeParam(rp);
  for (auto &in : n.inputs)
    checkInput(in);
  protocol_.checkProtocol(n);
}

void NetworkChecker::defineConstant(const ast::Binding &b) {
  static const std::set<std::string> reserved = {"t",  "i",  "j",      "N",
                                                 "xi", "pi", "target", "modulator"};
  if (reserved.count(b.name)) {
    error(b.loc, "'" + b.name +
                     "' cannot name a network constant: it is a predefined name "
                     "(network settings are dt, seed and precision)");
    return;
  }
  // A misspelt setting (`sead = 3`, `DT = 0.1 ms`) would silently become an unused constant.
  for (const char *setting : {"dt", "seed", "precision"})
    if (nearMiss(b.name, setting))
      diags_.warning(b.loc, "'" + b.name +
                                "' defines a network constant, not a setting; did "
                                "you mean '" +
                                setting + "'?");
  auto v = constant(*b.value, "network constant '" + b.name + "'");
  if (!v)
    return;
  if (!std::isfinite(v->value)) {
    error(b.value->loc, "network constant '" + b.name + "' is " +
                            (std::isnan(v->value) ? "not a number (NaN)" : "infinite"));
    return;
  }
  result_.network.constants[b.name] = *v;
}

void NetworkChecker::paramUses(const ast::Expr &e, ParamUses &u) const {
  if (auto *n = ast::dyn_cast<ast::NameExpr>(&e)) {
    auto r = result_.names.find(&e);
    if (r == result_.names.end())
      return;
    if (r->second.kind == NameRef::Kind::Index || r->second.kind == NameRef::Kind::Size)
      u.perNeuron = u.perNeuron ? u.perNeuron : &e;
    if (r->second.kind == NameRef::Kind::Time)
      u.time = u.time ? u.time : &e;
    if (r->second.kind == NameRef::Kind::Param)
      u.params.insert(n->name);
    return;
  }
  if (auto *un = ast::dyn_cast<ast::UnaryExpr>(&e))
    return paramUses(*un->operand, u);
  if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e)) {
    paramUses(*b->lhs, u);
    return paramUses(*b->rhs, u);
  }
  if (auto *c = ast::dyn_cast<ast::CallExpr>(&e)) {
    if (isRandomFunction(c->callee)) {
      u.perNeuron = u.perNeuron ? u.perNeuron : &e;
      u.random = u.random ? u.random : &e;
    }
    if (result_.network.findTimedArray(c->callee) >= 0)
      u.time = u.time ? u.time : &e;
    for (auto &a : c->args)
      paramUses(*a, u);
  }
}

std::vector<std::string>
NetworkChecker::perNeuronParams(const std::vector<const ast::Binding *> &params,
                                const std::string &pop, std::vector<std::string> &timed) {
  std::map<std::string, ParamUses> uses;
  for (auto *b : params)
    paramUses(*b->value, uses[b->name]);
  // The parameters for which `own` holds, or which use one of them (a fixpoint over the uses).
  auto closure = [&](const std::function<bool(const ParamUses &)> &own) {
    std::set<std::string> in;
    for (bool changed = true; changed;) {
      changed = false;
      for (auto *b : params) {
        const ParamUses &u = uses[b->name];
        if (in.count(b->name))
          continue;
        if (own(u) || std::any_of(u.params.begin(), u.params.end(),
                                  [&](const std::string &n) { return in.count(n) != 0; })) {
          in.insert(b->name);
          changed = true;
        }
      }
    }
    return in;
  };
  std::set<std::string> per = closure([](const ParamUses &u) { return u.perNeuron != nullptr; });
  // Parameters that vary in time, themselves or through another.
  std::set<std::string> timeDep = closure([](const ParamUses &u) { return u.time != nullptr; });
  std::vector<std::string> order;
  std::set<std::string> placed;
  std::function<void(const std::string &)> place = [&](const std::string &n) {
    if (!per.count(n) || !placed.insert(n).second)
      return;
    for (auto &dep : uses[n].params)
      place(dep);
    order.push_back(n);
  };
  for (auto *b : params)
    if (per.count(b->name)) {
      place(b->name);
      // Differing per neuron and in time (a per-neuron timed array, stim(t, i)): stored per
      // neuron and computed again at the start of every step. A random draw there would be
      // drawn anew every step, which is noise, not a parameter.
      const ParamUses &u = uses[b->name];
      if (timeDep.count(b->name) && u.random)
        error(u.random->loc, "parameter '" + b->name + "' of population '" + pop +
                                 "' depends on time, so it is computed at every step, and "
                                 "cannot draw random numbers (draw them in a parameter of "
                                 "their own, which is drawn once)");
    }
  for (const std::string &n : order)
    if (timeDep.count(n))
      timed.push_back(n);
  return order;
}

void NetworkChecker::checkInput(const ast::InputDecl &in) {
  InputInfo info;
  info.decl = &in;
  if (!popRange(in.pop, info.pop, info.begin, info.end))
    return;
  const PopulationInfo &pop = result_.network.populations[info.pop];
  if (!pop.neuron) {
    error(in.pop.loc, "population '" + in.pop.name +
                          "' is a spike source: it has no state "
                          "variables an input could add to");
    return;
  }
  const NeuronInfo &n = *pop.neuron;
  Scope s = models_.paramScope(n.paramDims, n.def->params, "an input");
  s.state = &n.stateDims;
  s.stateDecls = &n.def->state;
  s.allowTime = true;
  s.allowRand = true;
  s.alias = [&n](const std::string &name, SourceLoc, bool &known) -> std::optional<Dim> {
    known = n.aliasDecls.count(name) != 0;
    auto it = n.aliasDims.find(name);
    return it == n.aliasDims.end() ? std::nullopt : std::optional<Dim>(it->second);
  };
  size_t before = diags_.errorCount();
  models_.checkAssignments(in.assign, s, n.stateDims,
                           "an input to population '" + in.pop.name + "'");
  if (diags_.errorCount() == before)
    result_.network.inputs.push_back(info);
}

bool NetworkChecker::freshArrayName(const std::string &name, SourceLoc loc) {
  const NetworkInfo &net = result_.network;
  if (net.findTimedArray(name) >= 0 || net.findArray(name) >= 0 || invalidArrays_.count(name)) {
    error(loc, "redefinition of array '" + name + "'");
    return false;
  }
  if (exprs_.isFunction(name)) {
    error(loc, "'" + name + "' cannot name an array: it is a built-in function");
    return false;
  }
  return true;
}

void NetworkChecker::checkArray(const ast::ArrayDecl &a) {
  if (!freshArrayName(a.name, a.loc))
    return;
  invalidArrays_.insert(a.name); // until it proves valid: its uses are skipped quietly
  auto data = loadScaled(a.data, DataShape::Tensor, "array '" + a.name + "'");
  if (!data)
    return;
  auto &[file, scale] = *data;
  ArrayInfo info{a.name, scale.dim, file.shape, std::move(file.values)};
  for (double &v : info.values)
    if (!std::isfinite(v *= scale.value)) {
      error(a.data.scale ? a.data.scale->loc : a.data.pathLoc,
            "a value of array '" + a.name + "' times its unit is not finite");
      return;
    }
  if (info.values.empty()) {
    error(a.data.pathLoc, "array file '" + a.data.path + "' holds no values");
    return;
  }
  invalidArrays_.erase(a.name);
  result_.network.arrays.push_back(std::move(info));
}

bool NetworkChecker::timedArrayFromFile(const ast::TimedArrayDecl &a, TimedArrayInfo &info) {
  auto data = loadScaled(*a.file, DataShape::Array, "timed array '" + a.name + "'");
  if (!data)
    return false;
  auto &[file, scale] = *data;
  // (K, N): K intervals of N neurons' values, read as stim(t, i).
  if (file.shape.size() == 2)
    info.columns = file.shape[1];
  if (file.values.empty()) {
    error(a.file->pathLoc, "timed array '" + a.name + "' has no values");
    return false;
  }
  info.dim = scale.dim;
  for (double v : file.values)
    if (!std::isfinite(v * scale.value)) {
      error(a.file->scale ? a.file->scale->loc : a.file->pathLoc,
            "a value of timed array '" + a.name + "' times its unit is not finite");
      return false;
    } else {
      info.values.push_back(v * scale.value);
    }
  return true;
}

void NetworkChecker::checkTimedArray(const ast::TimedArrayDecl &a) {
  NetworkInfo &net = result_.network;
  if (!freshArrayName(a.name, a.loc))
    return;
  TimedArrayInfo info;
  info.name = a.name;
  bool ok = true;
  if (a.file) {
    ok = timedArrayFromFile(a, info);
  } else if (a.values.empty()) {
    error(a.loc, "timed array '" + a.name + "' has no values");
    ok = false;
  }
  for (size_t k = 0; k < a.values.size(); ++k) {
    auto v = constant(*a.values[k], "a value of a timed array");
    if (!v) {
      ok = false;
      continue;
    }
    if (k == 0)
      info.dim = v->dim;
    else if (v->dim != info.dim) {
      error(a.values[k]->loc, "value of timed array '" + a.name + "' has unit '" + v->dim.str() +
                                  "', but its first value has '" + info.dim.str() + "'");
      ok = false;
    }
    if (!std::isfinite(v->value)) {
      error(a.values[k]->loc, "value " + std::to_string(k) + " of timed array '" + a.name +
                                  "' is " +
                                  (std::isnan(v->value) ? "not a number (NaN)" : "infinite"));
      ok = false;
    }
    info.values.push_back(v->value);
  }
  if (auto d = duration(*a.interval, "the interval of a timed array")) {
    if (*d <= 0) {
      error(a.interval->loc, "the interval of a timed array must be positive");
      ok = false;
    }
    info.interval = *d;
  } else {
    ok = false;
  }
  if (ok)
    net.timedArrays.push_back(std::move(info));
  else
    invalidArrays_.insert(a.name);
}

void NetworkChecker::checkPopulation(const ast::PopulationDecl &p) {
  NetworkInfo &net = result_.network;
  if (auto [it, fresh] = popDecls_.emplace(p.name, p.loc); !fresh) {
    error(p.loc, "redefinition of population '" + p.name + "'");
    note(it->second, "previous definition is here");
    return;
  }
  // Until it proves valid, a population is known by name only, so that statements using it
  // are skipped quietly instead of calling it unknown.
  invalidPops_.insert(p.name);
  auto size = integer(*p.size, "population size", 0x7fffffff);
  if (size && *size == 0)
    error(p.size->loc, "population '" + p.name + "' must have at least one neuron");
  if (!p.sourceFile.empty()) {
    if (size && *size != 0)
      checkSpikeSource(p, static_cast<uint32_t>(*size));
    return;
  }
  auto nit = result_.neurons.find(p.model);
  if (nit == result_.neurons.end()) {
    error(p.modelLoc, result_.synapses.count(p.model)
                          ? "'" + p.model + "' is a synapse model, not a neuron model"
                          : "unknown neuron model '" + p.model + "'");
    return;
  }
  if (!size || *size == 0)
    return;
  const NeuronInfo &neuron = nit->second;
  models_.setStateNames(neuron.def);
  PopulationInfo info;
  info.decl = &p;
  info.neuron = &neuron;
  info.size = static_cast<uint32_t>(*size);

  ArrayIndexing indexing(arrayExtents_, {{info.size, "population '" + p.name + "'"}});
  info.params = overriddenParams(p, neuron);
  const auto &params = info.params;
  info.perNeuron = perNeuronParams(params, p.name, info.perNeuronTimed);
  for (const ast::Binding *b : params)
    if (std::count(info.perNeuron.begin(), info.perNeuron.end(), b->name))
      noteBuildUses(*b->value, "parameter '" + b->name + "' of population '" + p.name +
                                   "', computed per neuron at initialisation");
  for (auto &e : neuron.def->every)
    models_.checkPeriodSteps(e, "population '" + p.name + "'");

  info.init = initialValues(p, neuron);
  if (!checkPositions(p, info))
    return;
  invalidPops_.erase(p.name);
  popIndex_[p.name] = static_cast<uint32_t>(net.populations.size());
  net.populations.push_back(std::move(info));
}

bool NetworkChecker::checkPositions(const ast::PopulationDecl &p, PopulationInfo &info) {
  const ast::Positions &at = p.positions;
  PositionInfo pos;
  bool ok = true;
  switch (at.kind) {
  case ast::Positions::Kind::None: return true;
  case ast::Positions::Kind::Layout: ok = gridPositions(at.layout, info, pos); break;
  case ast::Positions::Kind::Exprs: ok = exprPositions(at, pos); break;
  case ast::Positions::Kind::File: ok = filePositions(p, info, pos); break;
  }
  if (!ok)
    return false;
  // `pre.x` must mean one thing where the network is built, which reads neurons' variables too.
  for (uint32_t a = 0; info.neuron && a < pos.dims; ++a) {
    const NeuronInfo &neuron = *info.neuron;
    std::string name(1, static_cast<char>('x' + a));
    if (neuron.stateDims.count(name) || neuron.paramDims.count(name)) {
      error(at.loc, "population '" + p.name + "' has a coordinate '" + name +
                        "', but its neuron '" + neuron.def->name + "' has a " +
                        (neuron.stateDims.count(name) ? "state variable" : "parameter") +
                        " of that name");
      return false;
    }
  }
  info.positions = std::move(pos);
  return true;
}

/// `grid(nx[, ny[, nz]], spacing = d, periodic = false)`: neuron i at column i % nx, row
/// (i / nx) % ny, layer i / (nx ny), spacing d apart, from the origin (NumPy's
/// reshape(nz, ny, nx)).
bool NetworkChecker::gridPositions(const ast::RuleCall &g, const PopulationInfo &info,
                                   PositionInfo &pos) {
  if (g.name != "grid") {
    error(g.loc, "unknown layout '" + g.name +
                     "' (expected grid(nx, ny, spacing = d), coordinates (x = ..., y = ...) or "
                     "load(\"positions.npy\") * unit)");
    return false;
  }
  pos.kind = PositionInfo::Kind::Grid;
  pos.dim = Dim::none();
  bool ok = true;
  const ast::Argument *spacing = nullptr, *periodic = nullptr;
  for (auto &a : g.args) {
    if (!a.value) {
      error(a.loc, "grid() takes numbers, not a string");
      ok = false;
    } else if (a.name.empty()) {
      if (pos.dims == 3) {
        error(a.loc, "grid() has at most 3 axes");
        ok = false;
        continue;
      }
      auto n = integer(*a.value, "the number of neurons along an axis", 0x7fffffff);
      if (n && *n == 0) {
        error(a.value->loc, "the number of neurons along an axis must be at least 1");
        n.reset();
      }
      ok = n.has_value() && ok;
      pos.shape[pos.dims++] = n ? static_cast<uint32_t>(*n) : 1;
    } else if (a.name == "spacing" && !spacing) {
      spacing = &a;
    } else if (a.name == "periodic" && !periodic) {
      periodic = &a;
    } else {
      error(a.loc, a.name == "spacing" || a.name == "periodic"
                       ? "argument '" + a.name + "' of grid() is given twice"
                       : "grid() has no argument '" + a.name + "' (it takes spacing and periodic)");
      ok = false;
    }
  }
  if (pos.dims == 0) {
    error(g.loc, "grid() needs the number of neurons along each axis: grid(nx), grid(nx, ny) "
                 "or grid(nx, ny, nz)");
    return false;
  }
  if (spacing) {
    if (auto v = constant(*spacing->value, "grid spacing")) {
      if (!(v->value > 0) || !std::isfinite(v->value)) {
        error(spacing->value->loc, "grid spacing must be positive and finite, got " +
                                       fmtNum(v->value));
        ok = false;
      }
      pos.spacing = v->value;
      pos.dim = v->dim;
    } else
      ok = false;
  }
  if (periodic) {
    auto *v = ast::dyn_cast<ast::NameExpr>(periodic->value.get());
    if (v && (v->name == "true" || v->name == "false"))
      pos.periodic = v->name == "true";
    else {
      error(periodic->value->loc, "periodic must be 'true' or 'false'");
      ok = false;
    }
  }
  uint64_t cells = uint64_t(pos.shape[0]) * pos.shape[1] * pos.shape[2];
  if (ok && cells != info.size) {
    std::string shape;
    for (uint32_t a = 0; a < pos.dims; ++a)
      shape += (a ? " x " : "") + std::to_string(pos.shape[a]);
    error(g.loc, "grid " + shape + " holds " + std::to_string(cells) + " neurons, but population '" +
                     info.decl->name + "' has " + std::to_string(info.size));
    ok = false;
  }
  return ok;
}

/// `(x = e, y = e, z = e)`: each coordinate an expression of the neuron's index i (and N,
/// arrays W(i), constants, random draws made once per neuron), all of one unit.
bool NetworkChecker::exprPositions(const ast::Positions &at, PositionInfo &pos) {
  pos.kind = PositionInfo::Kind::Exprs;
  static const std::vector<ast::Binding> none;
  static const std::map<std::string, Dim> noParams;
  Scope s = models_.paramScope(noParams, none, "a position");
  s.allowInit = true;
  bool ok = true;
  const char *names[] = {"x", "y", "z"};
  for (size_t a = 0; a < at.exprs.size(); ++a) {
    const ast::Binding &b = at.exprs[a];
    if (a >= 3 || b.name != names[a]) {
      error(b.loc, a >= 3 ? std::string("positions have at most 3 coordinates (x, y, z)")
                          : "coordinate " + std::to_string(a + 1) + " must be named '" +
                                names[a] + "' (coordinates are x, y and z, in order)");
      return false;
    }
    auto t = exprs_.checkExpr(*b.value, s);
    if (!t) {
      ok = false;
      continue;
    }
    if (t->isBool) {
      error(b.value->loc, "coordinate '" + b.name + "' must be a number, not a condition");
      ok = false;
      continue;
    }
    noteBuildUses(*b.value, "a position, computed where the network is built");
    if (a == 0)
      pos.dim = t->dim;
    else if (ok && t->dim != pos.dim) {
      error(b.value->loc, "coordinate '" + b.name + "' has unit '" + t->dim.str() +
                              "', but 'x' has '" + pos.dim.str() + "' (coordinates share a unit)");
      ok = false;
    }
    pos.exprs.push_back(b.value.get());
  }
  pos.dims = static_cast<uint32_t>(pos.exprs.size());
  return ok;
}

/// `load("xy.npy") * unit`: a file of N rows of 1 to 3 coordinates (or N values: x).
bool NetworkChecker::filePositions(const ast::PopulationDecl &p, const PopulationInfo &info,
                                   PositionInfo &pos) {
  pos.kind = PositionInfo::Kind::File;
  const ast::DataLoad &d = p.positions.file;
  auto data = loadScaled(d, DataShape::Array, "the positions of population '" + p.name + "'");
  if (!data)
    return false;
  auto &[file, scale] = *data;
  uint64_t rows = file.shape.empty() ? 0 : file.shape[0];
  uint64_t cols = file.shape.size() == 2 ? file.shape[1] : 1;
  if (rows != info.size || cols < 1 || cols > 3) {
    std::string shape;
    for (size_t k = 0; k < file.shape.size(); ++k)
      shape += (k ? ", " : "") + std::to_string(file.shape[k]);
    error(d.pathLoc, "positions file '" + d.path + "' has shape (" + shape +
                         "); population '" + p.name + "' needs (" + std::to_string(info.size) +
                         ", D) with D = 1, 2 or 3 coordinates per neuron");
    return false;
  }
  pos.dims = static_cast<uint32_t>(cols);
  pos.dim = scale.dim;
  pos.values = std::move(file.values);
  for (uint64_t k = 0; k < pos.values.size(); ++k)
    if (!std::isfinite(pos.values[k] *= scale.value)) {
      error(d.pathLoc, "positions file '" + d.path + "': row " + std::to_string(k / cols) +
                           " has a coordinate that is not finite");
      return false;
    }
  return true;
}

/// `population S = spikes("file")[n]`: the file's spikes, read now.
void NetworkChecker::checkSpikeSource(const ast::PopulationDecl &p, uint32_t size) {
  NetworkInfo &net = result_.network;
  // Relative paths are relative to the file that names them, like imports.
  std::filesystem::path file(p.sourceFile);
  if (file.is_relative())
    file = std::filesystem::path(sm_.path(p.sourceLoc.file)).parent_path() / file;
  auto events = readSpikeFile(file.string(), size, net.dt, p.sourceLoc, sm_, diags_);
  if (!events)
    return;
  PopulationInfo info;
  info.decl = &p;
  info.size = size;
  info.source = std::move(*events);
  if (!checkPositions(p, info))
    return;
  invalidPops_.erase(p.name);
  popIndex_[p.name] = static_cast<uint32_t>(net.populations.size());
  net.populations.push_back(std::move(info));
  return;
}

/// The neuron's parameter bindings with the population's overrides substituted. Overrides
/// replace the bindings; the whole set is re-checked so that an override may refer to other
/// parameters and cycles through overrides are caught.
std::vector<const ast::Binding *> NetworkChecker::overriddenParams(const ast::PopulationDecl &p,
                                                                   const NeuronInfo &neuron) {
  std::map<std::string, const ast::Binding *> overrides;
  for (auto &o : p.overrides) {
    if (!neuron.paramDims.count(o.name) &&
        std::none_of(neuron.def->params.begin(), neuron.def->params.end(),
                     [&](auto &b) { return b.name == o.name; })) {
      error(o.loc, "'" + o.name + "' is not a parameter of neuron '" + p.model + "'");
      continue;
    }
    if (auto [it, fresh] = overrides.emplace(o.name, &o); !fresh) {
      error(o.loc, "parameter '" + o.name + "' is overridden twice");
      note(it->second->loc, "first given here");
    }
  }
  std::vector<const ast::Binding *> params;
  std::set<std::string> seen;
  for (auto &b : neuron.def->params) {
    if (!seen.insert(b.name).second)
      continue;
    auto o = overrides.find(b.name);
    params.push_back(o == overrides.end() ? &b : o->second);
  }
  if (!overrides.empty()) {
    std::set<const ast::Binding *> substituted;
    for (auto &[name, o] : overrides)
      substituted.insert(o);
    auto dims = models_.checkParams(params, "population '" + p.name + "'", &substituted,
                                    /*timeVarying=*/true);
    for (auto &[name, o] : overrides) {
      auto d = dims.find(name);
      auto want = neuron.paramDims.find(name);
      if (d != dims.end() && want != neuron.paramDims.end() && d->second != want->second)
        error(o->value->loc, "override of '" + name + "' has unit '" + d->second.str() +
                                 "', expected '" + want->second.str() + "'");
    }
  }
  return params;
}

/// The initial value of every state variable, the population's initialisers substituted.
std::vector<const ast::Binding *> NetworkChecker::initialValues(const ast::PopulationDecl &p,
                                                                const NeuronInfo &neuron) {
  std::vector<const ast::Binding *> out;
  std::set<std::string> seen;
  std::map<std::string, const ast::Binding *> inits;
  for (auto &b : p.init) {
    auto sd = neuron.stateDims.find(b.name);
    // As in the neuron: an initial value may use the state variables declared before it.
    std::map<std::string, Dim> earlier;
    for (auto &decl : neuron.def->state) {
      if (decl.name == b.name)
        break;
      if (auto d = neuron.stateDims.find(decl.name); d != neuron.stateDims.end())
        earlier[decl.name] = d->second;
    }
    Scope init = models_.paramScope(neuron.paramDims, neuron.def->params, "an initial value");
    init.allowInit = true;
    init.state = &earlier;
    auto t = exprs_.checkExpr(*b.value, init);
    if (sd == neuron.stateDims.end()) {
      if (declares(neuron.def->state, b.name))
        continue; // declared, but its own initial value is invalid (already reported)
      error(b.loc, "'" + b.name + "' is not a state variable of neuron '" + p.model + "'");
      continue;
    }
    if (auto [it, fresh] = inits.emplace(b.name, &b); !fresh) {
      error(b.loc, "initial value of '" + b.name + "' is given twice");
      note(it->second->loc, "first given here");
      continue;
    }
    if (t && (t->isBool || t->dim != sd->second))
      error(b.value->loc, "initial value of '" + b.name + "' has unit '" +
                              (t->isBool ? std::string("boolean") : t->dim.str()) +
                              "', expected '" + sd->second.str() + "'");
  }
  for (auto &b : neuron.def->state) {
    if (!seen.insert(b.name).second)
      continue;
    auto o = inits.find(b.name);
    out.push_back(o == inits.end() ? &b : o->second);
  }
  return out;
}

void NetworkChecker::checkRuntimeParam(const ast::RuntimeParamDecl &d) {
  NetworkInfo &net = result_.network;
  auto pop = popIndex_.find(d.owner);
  if (pop == popIndex_.end()) {
    error(d.loc, connIndex_.count(d.owner)
                     ? "'" + d.owner +
                           "' is a projection: run-time parameters are parameters "
                           "of populations"
                     : "no population named '" + d.owner + "'");
    return;
  }
  const PopulationInfo &info = net.populations[pop->second];
  if (!info.neuron) {
    error(d.loc, "'" + d.owner + "' is a spike source: it has no parameters");
    return;
  }
  const ast::Binding *binding = nullptr;
  for (const ast::Binding *b : info.params)
    if (b->name == d.name)
      binding = b;
  if (!binding) {
    std::string known;
    for (const ast::Binding *b : info.params)
      known += (known.empty() ? "" : ", ") + b->name;
    error(d.nameLoc,
          "neuron '" + info.decl->model + "' of population '" + d.owner + "' has no parameter '" +
              d.name + "'" +
              (known.empty() ? std::string(" (it has none)") : " (it has " + known + ")"));
    return;
  }
  if (std::count(info.perNeuron.begin(), info.perNeuron.end(), d.name)) {
    error(d.nameLoc, "parameter '" + d.name + "' of population '" + d.owner +
                         "' differs per "
                         "neuron: a run-time parameter has one value for the population");
    return;
  }
  for (auto &other : net.runtimeParams)
    if (other.pop == pop->second && other.name == d.name) {
      error(d.nameLoc, "'" + d.owner + "." + d.name + "' is declared run-time twice");
      note(other.loc, "first declared here");
      return;
    }
  RuntimeParamInfo r;
  r.decl = &d;
  r.loc = d.nameLoc;
  r.pop = pop->second;
  r.name = d.name;
  auto t = result_.types.find(binding->value.get());
  if (t != result_.types.end())
    r.dim = t->second.dim;
  net.runtimeParams.push_back(std::move(r));
}

} // namespace snn::sema
