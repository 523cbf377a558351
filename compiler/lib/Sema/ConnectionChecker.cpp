// Connections: `connect` statements (rule, delay, synapse model with overrides and
// initial values, target and modulator, inline on_pre) checked against both populations.
#include "ConnectionChecker.h"

#include "snn/Sema/ConstEval.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace snn::sema {

using ast::BinaryOp;
using ast::Expr;

/// Traces are kept per neuron and brought up to date only when a spike touches them, and a
/// response lives with the postsynaptic neuron: code run for every synapse in every (or every
/// T-th) step cannot read them.
static void hideTracesAndResponses(const SynapseInfo &syn, Scope &s) {
  s.preTraces = s.postTraces = s.response = nullptr;
  const std::string howTo = " (kept per neuron and brought up to date only at spikes; for a "
                            "value read every step declare a synapse variable with its equation)";
  s.unavailable = {{&syn.preDims, "a presynaptic trace" + howTo},
                   {&syn.postDims, "a postsynaptic trace" + howTo},
                   {&syn.responseDims, "a postsynaptic response of the synapse model"}};
}

void ConnectionChecker::checkSynapseEvery(const ast::ConnectDecl &c, const SynapseInfo &syn,
                                          Scope s) {
  hideTracesAndResponses(syn, s);
  s.target.reset();
  s.allowTotal = true;
  s.stateDecls = nullptr; // a neuron's variable is never a target here: no quiet skip
  s.allowRand = true;     // per synapse, in the steps the block runs
  s.context = "an every block of synapse '" + syn.def->name + "'";
  for (auto &e : syn.def->every) {
    models_.checkPeriodSteps(e, "connection of '" + c.pre.name + "' to '" + c.post.name + "'");
    models_.checkAssignments(e.body, s, syn.stateDims, s.context);
  }
}

void ConnectionChecker::checkConnection(const ast::ConnectDecl &c) {
  ConnectionInfo info;
  info.decl = &c;
  bool ok = popRange(c.pre, info.pre, info.preBegin, info.preEnd);
  ok = popRange(c.post, info.post, info.postBegin, info.postEnd) && ok;
  if (!checkRule(c, info, ok)) {
    if (!c.name.empty())
      invalidPops_.insert(c.name);
    return;
  }
  std::map<std::string, Dim> synDims;
  ok = checkSynapseModel(c, info, synDims) && ok;
  if (info.rule == ConnRule::FromFile)
    ok = checkFileColumns(c, info) && ok;
  {
    // The synapses' initial values and delay may read arrays at (i, j), counted from the ranges.
    std::string of = " range of the connection (" + c.pre.name + " -> " + c.post.name + ")";
    ArrayIndexing indexing(arrayExtents_, {{info.preEnd - info.preBegin, "the presynaptic" + of},
                                           {info.postEnd - info.postBegin, "the postsynaptic" + of}});
    ok = checkPairExprs(c, info) && ok;
    ok = checkDelay(c, info) && ok;
    ok = checkEffect(c, info) && ok;
  }
  std::optional<Dim> modulator;
  if (c.modulatorPop && !(modulator = chooseModulator(c, info)))
    ok = false;
  ok = chooseTeacher(c, info) && ok;
  ok = checkBodies(c, info, synDims, modulator) && ok;
  if (ok)
    declare(c, std::move(info));
  else if (!c.name.empty())
    invalidPops_.insert(c.name); // its records and changes are skipped quietly: one error
}

/// The rule and its arguments (`ok`: the ranges are valid, so sizes can be checked). False for
/// an unknown rule, which leaves nothing to check.
/// The rule's arguments by name (positional ones in `allowed`'s order, autapses by name only).
bool ConnectionChecker::ruleArguments(const ast::ConnectDecl &c,
                                      const std::vector<std::string> &allowed,
                                      std::map<std::string, const ast::Argument *> &args) {
  const std::string &rule = c.rule.name;
  bool ok = true;
  size_t positional = 0;
  for (auto &a : c.rule.args) {
    std::string name = a.name;
    if (name.empty()) {
      if (positional >= allowed.size() || allowed[positional] == "autapses") {
        error(a.loc, "too many arguments for '" + rule + "'");
        ok = false;
        continue;
      }
      name = allowed[positional++];
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      error(a.loc, "'" + rule + "' has no argument '" + name + "'");
      ok = false;
      continue;
    }
    if (auto [it, fresh] = args.emplace(name, &a); !fresh) {
      error(a.loc, "argument '" + name + "' of '" + rule + "' is given twice");
      note(it->second->loc, "first given here");
      ok = false;
    }
  }
  return ok;
}

/// `conv2d(kernel, stride = 1, padding = 0)` from a grid of (C, H, W) neurons to one of
/// (C_out, H_out, W_out): the kernel an array of shape (C_out, C, KH, KW), or (KH, KW) for one
/// channel on each side; H_out = (H + 2 padding - KH) / stride + 1 (and W_out), as PyTorch's
/// Conv2d. Whole populations only: the grids are the populations'.
bool ConnectionChecker::checkConvRule(const ast::ConnectDecl &c, ConnectionInfo &info) {
  std::map<std::string, const ast::Argument *> args;
  if (!ruleArguments(c, {"kernel", "stride", "padding"}, args))
    return false;
  const NetworkInfo &net = result_.network;
  bool ok = true;
  auto it = args.find("kernel");
  const ast::NameExpr *name =
      it == args.end() || !it->second->value ? nullptr
                                             : ast::dyn_cast<ast::NameExpr>(it->second->value.get());
  if (it == args.end()) {
    error(c.rule.loc, "'conv2d' needs a kernel: an array of shape (C_out, C_in, KH, KW) or "
                      "(KH, KW) (array K = load(\"kernel.npy\") * 1 mV, then conv2d(K))");
    return false;
  }
  if (!name || name->side != ast::Side::None || net.findArray(name->name) < 0) {
    if (name && invalidArrays_.count(name->name))
      return false; // its declaration was reported
    error(it->second->loc, "conv2d's kernel must name an array (array K = load(\"kernel.npy\") "
                           "* 1 mV, then conv2d(K))");
    return false;
  }
  info.convKernel = net.findArray(name->name);
  const ArrayInfo &k = net.arrays[static_cast<size_t>(info.convKernel)];
  if (k.shape.size() != 2 && k.shape.size() != 4) {
    error(it->second->loc, "conv2d's kernel '" + k.name + "' has shape " + shapeText(k.shape) +
                               "; it must be (C_out, C_in, KH, KW) or (KH, KW)");
    return false;
  }
  ConvGeometry &g = info.conv;
  const bool channels = k.shape.size() == 4;
  g.outC = channels ? static_cast<uint32_t>(k.shape[0]) : 1;
  const uint32_t kernelC = channels ? static_cast<uint32_t>(k.shape[1]) : 1;
  g.kH = static_cast<uint32_t>(k.shape[channels ? 2 : 0]);
  g.kW = static_cast<uint32_t>(k.shape[channels ? 3 : 1]);
  auto whole = [&](const char *what, int64_t v, uint64_t min) -> std::optional<uint32_t> {
    auto a = args.find(what);
    if (a == args.end())
      return static_cast<uint32_t>(v);
    auto n = integer(*a->second->value, std::string("conv2d's ") + what, 0x7fffffff);
    if (n && *n < min) {
      error(a->second->value->loc, std::string("conv2d's ") + what + " must be at least " +
                                       std::to_string(min));
      n.reset();
    }
    return n ? std::optional<uint32_t>(static_cast<uint32_t>(*n)) : std::nullopt;
  };
  auto stride = whole("stride", 1, 1), padding = whole("padding", 0, 0);
  if (!stride || !padding)
    return false;
  g.stride = *stride;
  g.padding = *padding;
  // Both sides: whole grid populations of 2 axes (one channel) or 3 (channels along z).
  for (bool pre : {true, false}) {
    uint32_t p = pre ? info.pre : info.post;
    const ast::PopRef &ref = pre ? c.pre : c.post;
    if (!popIndexValid(p))
      return false;
    const PopulationInfo &pop = net.populations[p];
    const PositionInfo &at = pop.positions;
    if (at.kind != PositionInfo::Kind::Grid || at.dims < 2) {
      error(ref.loc, "conv2d connects grids: '" + ref.name + "' needs `at grid(W, H)` or `at "
                     "grid(W, H, C)` (x fastest, channels along z)");
      ok = false;
      continue;
    }
    if ((pre ? info.preEnd - info.preBegin : info.postEnd - info.postBegin) != pop.size) {
      error(ref.loc, "conv2d connects whole populations, not a slice of '" + ref.name + "'");
      ok = false;
      continue;
    }
    (pre ? g.inW : g.outW) = at.shape[0];
    (pre ? g.inH : g.outH) = at.shape[1];
    (pre ? g.inC : g.outC) = at.dims == 3 ? at.shape[2] : 1;
    if (!pre) // the kernel's output channels are checked against the grid's below
      g.outC = channels ? static_cast<uint32_t>(k.shape[0]) : 1;
  }
  if (!ok)
    return false;
  if (kernelC != g.inC) {
    error(it->second->loc, "conv2d's kernel '" + k.name + "' of shape " + shapeText(k.shape) +
                               " takes " + std::to_string(kernelC) + " input channel" +
                               (kernelC == 1 ? "" : "s") + ", but '" + c.pre.name + "' has " +
                               std::to_string(g.inC) +
                               (channels ? "" : " (give a (C_out, C_in, KH, KW) kernel)"));
    return false;
  }
  auto out = [&](uint32_t in, uint32_t kn) -> int64_t {
    int64_t span = int64_t(in) + 2 * int64_t(g.padding) - kn;
    return span < 0 ? 0 : span / g.stride + 1;
  };
  const int64_t outH = out(g.inH, g.kH), outW = out(g.inW, g.kW);
  const PositionInfo &post = net.populations[info.post].positions;
  const uint32_t gridC = post.dims == 3 ? post.shape[2] : 1;
  if (outH != post.shape[1] || outW != post.shape[0] || g.outC != gridC) {
    auto dims = [](int64_t w, int64_t h, int64_t ch) {
      return std::to_string(w) + " x " + std::to_string(h) + " x " + std::to_string(ch);
    };
    error(c.rule.loc, "conv2d of the " + dims(g.inW, g.inH, g.inC) + " grid '" + c.pre.name +
                          "' with a " + std::to_string(g.kH) + " x " + std::to_string(g.kW) +
                          " kernel of " + std::to_string(g.outC) + " output channel" +
                          (g.outC == 1 ? "" : "s") + ", stride " + std::to_string(g.stride) +
                          " and padding " + std::to_string(g.padding) + " is a " +
                          dims(outW, outH, g.outC) + " grid (W x H x C), but '" + c.post.name +
                          "' is " + dims(post.shape[0], post.shape[1], gridC));
    return false;
  }
  return true;
}

/// Whether `e` is a constant of the network (else an expression of the pair, or wrong).
bool ConnectionChecker::isConstant(const ast::Expr &e) {
  std::string why;
  SourceLoc where;
  return evalConst(e, why, where, &result_.network.constants).has_value();
}

bool ConnectionChecker::checkRule(const ast::ConnectDecl &c, ConnectionInfo &info, bool &ok) {
  const std::string &rule = c.rule.name;
  std::map<std::string, const ast::Argument *> args;
  std::vector<std::string> allowed;
  if (rule == "all_to_all") {
    info.rule = ConnRule::AllToAll;
    allowed = {"autapses"};
  } else if (rule == "one_to_one") {
    info.rule = ConnRule::OneToOne;
  } else if (rule == "bernoulli" || rule == "pairwise_bernoulli") { // the latter: NEST's name
    info.rule = ConnRule::Bernoulli;
    allowed = {"p", "autapses"};
  } else if (rule == "fixed_indegree" || rule == "fixed_outdegree") {
    info.rule = rule == "fixed_indegree" ? ConnRule::FixedIndegree : ConnRule::FixedOutdegree;
    allowed = {"k", "autapses"};
  } else if (rule == "fixed_total_number") {
    info.rule = ConnRule::FixedTotal;
    allowed = {"n", "autapses"};
  } else if (rule == "from_file") {
    info.rule = ConnRule::FromFile;
    checkFileRule(c, info, ok);
    return true;
  } else if (rule == "conv2d") {
    info.rule = ConnRule::Conv2d;
    ok = checkConvRule(c, info) && ok;
    return true;
  } else {
    error(c.rule.loc, "unknown connectivity rule '" + rule +
                          "' (expected all_to_all, one_to_one, bernoulli, fixed_indegree, "
                          "fixed_outdegree, fixed_total_number, from_file or conv2d)");
    return false;
  }
  for (auto &a : c.rule.args)
    if (!a.value) {
      error(a.loc, "'" + rule + "' takes numbers, not a string");
      ok = false;
      return true;
    }
  ok = ruleArguments(c, allowed, args) && ok;
  if (auto it = args.find("autapses"); it != args.end()) {
    auto *v = ast::dyn_cast<ast::NameExpr>(it->second->value.get());
    if (v && (v->name == "true" || v->name == "false"))
      info.autapses = v->name == "true";
    else {
      error(it->second->value->loc, "autapses must be 'true' or 'false'");
      ok = false;
    }
  }
  if (info.rule == ConnRule::Bernoulli) {
    auto it = args.find("p");
    if (it == args.end()) {
      error(c.rule.loc, "'" + rule + "' needs a connection probability p");
      ok = false;
    } else if (!isConstant(*it->second->value)) {
      info.pairProb = it->second->value.get(); // p per pair (checkPairExprs)
    } else if (auto v = constant(*it->second->value, "connection probability")) {
      if (!v->dim.isDimensionless() || !(v->value >= 0 && v->value <= 1)) {
        error(it->second->value->loc,
              "connection probability must be a number in [0, 1], got " +
                  (v->dim.isDimensionless() ? fmtNum(v->value)
                                            : "a value of unit '" + v->dim.str() + "'"));
        ok = false;
      } else
        info.p = v->value;
    } else
      ok = false;
  }
  if (info.rule == ConnRule::FixedIndegree || info.rule == ConnRule::FixedOutdegree) {
    bool in = info.rule == ConnRule::FixedIndegree;
    const std::string degree = in ? "in-degree" : "out-degree";
    auto it = args.find("k");
    if (it == args.end()) {
      error(c.rule.loc, "'" + rule + "' needs an " + degree + " k");
      ok = false;
    } else if (auto v = integer(*it->second->value, degree, 0x7fffffff)) {
      info.k = static_cast<uint32_t>(*v);
      if (ok) {
        // Candidates per neuron: the other side's range, less the neuron itself when autapses
        // are excluded and it lies in that range.
        uint64_t candidates = in ? info.preEnd - info.preBegin : info.postEnd - info.postBegin;
        bool overlap =
            info.pre == info.post && info.postBegin < info.preEnd && info.preBegin < info.postEnd;
        if (!info.autapses && overlap)
          --candidates;
        if (info.k > candidates) {
          error(it->second->value->loc,
                degree + " " + std::to_string(info.k) + " exceeds the " +
                    std::to_string(candidates) + " available " +
                    (in ? "presynaptic" : "postsynaptic") + " neurons" +
                    (in ? "" : " (each target is distinct: there are no multapses)"));
          ok = false;
        }
      }
    } else
      ok = false;
  }
  if (info.rule == ConnRule::FixedTotal) {
    auto it = args.find("n");
    if (it == args.end()) {
      error(c.rule.loc, "'fixed_total_number' needs a number of synapses n");
      ok = false;
    } else if (auto v = integer(*it->second->value, "number of synapses", UINT64_C(1) << 53)) {
      info.total = *v;
      if (ok) {
        uint64_t pairs = uint64_t(info.preEnd - info.preBegin) * (info.postEnd - info.postBegin);
        uint32_t lo = std::max(info.preBegin, info.postBegin);
        uint32_t hi = std::min(info.preEnd, info.postEnd);
        if (info.pre == info.post && !info.autapses && hi > lo)
          pairs -= hi - lo;
        if (info.total > pairs) {
          error(it->second->value->loc,
                "fixed_total_number " + std::to_string(info.total) + " exceeds the " +
                    std::to_string(pairs) + " pairs available (each pair is connected at most "
                    "once: there are no multapses)");
          ok = false;
        }
      }
    } else
      ok = false;
  }
  if (info.rule == ConnRule::OneToOne && ok &&
      info.preEnd - info.preBegin != info.postEnd - info.postBegin) {
    error(c.rule.loc, "one_to_one needs ranges of equal size, got " +
                          std::to_string(info.preEnd - info.preBegin) + " and " +
                          std::to_string(info.postEnd - info.postBegin) + " neurons");
    ok = false;
  }

  return true;
}

void ConnectionChecker::checkFileRule(const ast::ConnectDecl &c, ConnectionInfo &info, bool &ok) {
  const ast::Argument *path = nullptr;
  std::map<std::string, const ast::Argument *> scales;
  for (auto &a : c.rule.args) {
    if (!a.value && a.name.empty() && !path) {
      path = &a;
    } else if (!a.value || a.name.empty()) {
      error(a.loc, "from_file takes the file's name, then one 'column = unit' per value column "
                   "(from_file(\"c.csv\", w = 1 mV, delay = 1 ms))");
      ok = false;
    } else if (auto [it, fresh] = scales.emplace(a.name, &a); !fresh) {
      error(a.loc, "column '" + a.name + "' is given twice");
      note(it->second->loc, "first given here");
      ok = false;
    }
  }
  if (!path) {
    error(c.rule.loc, "from_file needs the name of a file listing the synapses: "
                      "from_file(\"c.csv\")");
    ok = false;
    return;
  }
  // The scale of each named column, as a constant.
  for (auto &[name, a] : scales) {
    auto v = constant(*a->value, "the unit of column '" + name + "'");
    if (!v) {
      ok = false;
      continue;
    }
    if (!std::isfinite(v->value)) {
      error(a->value->loc, "the unit of column '" + name + "' must be finite");
      ok = false;
      continue;
    }
    info.listColumns.push_back({name, v->dim, a->loc, {v->value}});
  }
  if (!ok)
    return; // the ranges or arguments are wrong: the file cannot be checked against them
  auto file = loadData(path->text, path->loc, DataShape::Table, "connection file");
  if (!file) {
    ok = false;
    return;
  }
  std::string columns;
  for (auto &n : file->names)
    columns += (columns.empty() ? "" : ", ") + n;
  for (const char *index : {"i", "j"})
    if (!file->column(index)) {
      error(path->loc, "connection file '" + path->text + "' has no column '" + index +
                           "' (its columns: " + columns + "); it needs 'i' and 'j', the pre- "
                           "and postsynaptic neuron of each synapse");
      ok = false;
    }
  for (auto &col : info.listColumns)
    if (!file->column(col.var)) {
      error(col.loc, "connection file '" + path->text + "' has no column '" + col.var +
                         "' (its columns: " + columns + ")");
      ok = false;
    }
  for (auto &n : file->names)
    if (n != "i" && n != "j" && !scales.count(n)) {
      error(path->loc, "column '" + n + "' of '" + path->text + "' needs its unit: from_file(\"" +
                           path->text + "\", " + n + " = 1 ...)" +
                           " (a unit such as 1 mV, or 1 for a number)");
      ok = false;
    }
  if (ok && (!listToRows(*file, c, info) || file->damaged))
    ok = false;
  if (!ok)
    info.listColumns.clear(); // nothing more to check against them
}

bool ConnectionChecker::listToRows(const DataFile &file, const ast::ConnectDecl &c,
                                   ConnectionInfo &info) {
  const std::vector<double> &is = *file.column("i"), &js = *file.column("j");
  const uint64_t npre = info.preEnd - info.preBegin, npost = info.postEnd - info.postBegin;
  const uint64_t rows = file.rows();
  bool ok = true;
  int reported = 0;
  auto bad = [&](uint64_t r, const std::string &msg) {
    ok = false;
    if (reported++ < 10)
      error(file.rowLoc(r), file.rowPrefix(r) + msg);
  };
  auto index = [&](double v, uint64_t n, const char *what, const std::string &range,
                   uint64_t r) {
    if (v != std::floor(v) || v < 0 || v >= static_cast<double>(n))
      bad(r, std::string(what) + " index " + fmtNum(v) + " is out of range: " + range + " has " +
                 std::to_string(n) + " neurons (indices count from the connection's range)");
  };
  std::string preRange = "the presynaptic range (" + c.pre.name + ")";
  std::string postRange = "the postsynaptic range (" + c.post.name + ")";
  for (uint64_t r = 0; r < rows; ++r) {
    index(is[r], npre, "presynaptic", preRange, r);
    index(js[r], npost, "postsynaptic", postRange, r);
  }
  // Value columns as they will be used: times their unit, finite, and delays not negative.
  for (auto &col : info.listColumns) {
    const std::vector<double> &v = *file.column(col.var);
    const double scale = col.values.at(0);
    for (uint64_t r = 0; r < rows; ++r) {
      double x = v[r] * scale;
      if (!std::isfinite(x))
        bad(r, "'" + col.var + "' value " + fmtNum(v[r]) + " times its unit is not finite");
      else if (col.var == "delay" && x < 0)
        bad(r, "delay " + fmtNum(x * 1e3) + " ms is negative");
    }
  }
  if (!ok || file.damaged)
    return false;
  // CSR order: by pre, then post; a pair listed twice is refused (one synapse per pair keeps
  // the per-row updates independent).
  std::vector<uint64_t> order(rows);
  for (uint64_t r = 0; r < rows; ++r)
    order[r] = r;
  std::stable_sort(order.begin(), order.end(), [&](uint64_t a, uint64_t b) {
    return is[a] != is[b] ? is[a] < is[b] : js[a] < js[b];
  });
  for (uint64_t k = 1; k < rows; ++k)
    if (is[order[k]] == is[order[k - 1]] && js[order[k]] == js[order[k - 1]]) {
      bad(order[k], "the pair (" + fmtNum(is[order[k]]) + ", " + fmtNum(js[order[k]]) +
                        ") is listed again (first in row " + std::to_string(order[k - 1] + 1) +
                        "); a connection makes at most one synapse per pair");
      return false;
    }
  info.listRowPtr.assign(npre + 1, 0);
  info.listCol.resize(rows);
  for (uint64_t k = 0; k < rows; ++k) {
    info.listRowPtr[static_cast<uint64_t>(is[order[k]]) + 1]++;
    info.listCol[k] = info.postBegin + static_cast<int64_t>(js[order[k]]);
  }
  for (uint64_t r = 0; r < npre; ++r)
    info.listRowPtr[r + 1] += info.listRowPtr[r];
  for (auto &col : info.listColumns) {
    const std::vector<double> &v = *file.column(col.var);
    double scale = col.values.at(0);
    col.values.resize(rows);
    for (uint64_t k = 0; k < rows; ++k)
      col.values[k] = v[order[k]] * scale;
  }
  return true;
}

bool ConnectionChecker::checkFileColumns(const ast::ConnectDecl &c, const ConnectionInfo &info) {
  bool ok = true;
  if (!c.synapse.empty() && !info.synapse)
    return false; // the unknown synapse model was reported; its variables are unknown
  for (auto &col : info.listColumns) {
    std::optional<Dim> want;
    if (col.var == "delay") {
      want = dims::second();
      if (c.delay) {
        error(c.delay->loc, "the delay is given twice: by the file's column 'delay' and here");
        note(col.loc, "the column is named here");
        ok = false;
        continue;
      }
    } else if (info.synapse) {
      if (auto d = info.synapse->stateDims.find(col.var); d != info.synapse->stateDims.end())
        want = d->second;
      for (auto &b : c.synapseInit)
        if (b.name == col.var) {
          error(b.loc, "'" + col.var + "' is given twice: by the file's column and here");
          note(col.loc, "the column is named here");
          ok = false;
        }
    }
    if (!want) {
      error(col.loc, "column '" + col.var + "' names no " +
                         (info.synapse ? "variable of synapse '" + c.synapse + "'"
                                       : std::string("synapse variable (the connection has no "
                                                     "synapse model)")) +
                         " and is not 'delay'");
      ok = false;
    } else if (*want != col.dim) {
      error(col.loc, "column '" + col.var + "' is given in unit '" + col.dim.str() +
                         "', but '" + col.var + "' has unit '" + want->str() + "'");
      ok = false;
    }
  }
  return ok;
}

/// The synapse model: its overrides, checked with the model's parameters (their units into
/// `synDims`).
bool ConnectionChecker::checkSynapseModel(const ast::ConnectDecl &c, ConnectionInfo &info,
                                          std::map<std::string, Dim> &synDims) {
  bool ok = true;
  if (!c.synapse.empty()) {
    auto sit = result_.synapses.find(c.synapse);
    if (sit == result_.synapses.end()) {
      error(c.synapseLoc, result_.neurons.count(c.synapse)
                              ? "'" + c.synapse + "' is a neuron model, not a synapse model"
                              : "unknown synapse model '" + c.synapse + "'");
      ok = false;
    } else {
      info.synapse = &sit->second;
      std::map<std::string, const ast::Binding *> overrides;
      for (auto &o : c.synapseOverrides) {
        if (std::none_of(sit->second.def->params.begin(), sit->second.def->params.end(),
                         [&](auto &b) { return b.name == o.name; })) {
          error(o.loc, "'" + o.name + "' is not a parameter of synapse '" + c.synapse + "'");
          ok = false;
        } else if (auto [it, fresh] = overrides.emplace(o.name, &o); !fresh) {
          error(o.loc, "parameter '" + o.name + "' is overridden twice");
          note(it->second->loc, "first given here");
          ok = false;
        }
      }
      std::set<std::string> seen;
      for (auto &b : sit->second.def->params) {
        if (!seen.insert(b.name).second)
          continue;
        auto o = overrides.find(b.name);
        info.synapseParams.push_back(o == overrides.end() ? &b : o->second);
      }
      models_.setStateNames(nullptr);
      std::set<const ast::Binding *> substituted;
      for (auto &[name, o] : overrides)
        substituted.insert(o);
      synDims =
          models_.checkParams(info.synapseParams, "synapse '" + c.synapse + "'", &substituted);
      for (auto &[name, o] : overrides) {
        auto d = synDims.find(name);
        auto want = sit->second.paramDims.find(name);
        if (d != synDims.end() && want != sit->second.paramDims.end() &&
            d->second != want->second) {
          error(o->value->loc, "override of '" + name + "' has unit '" + d->second.str() +
                                   "', expected '" + want->second.str() + "'");
          // Check on_pre with the unit the model declares, so that the bad override is not
          // reported a second time in the synapse's own statements.
          d->second = want->second;
          ok = false;
        }
      }
    }
  }
  return ok;
}

/// A delay: a constant whole number of steps, or an expression drawn per synapse.
bool ConnectionChecker::checkDelay(const ast::ConnectDecl &c, ConnectionInfo &info) {
  NetworkInfo &net = result_.network;
  bool ok = true;
  std::string why;
  SourceLoc where;
  if (c.delay && !evalConst(*c.delay, why, where, &result_.network.constants)) {
    ok = checkSynapseDelay(*c.delay, info) && ok;
    noteBuildUses(*c.delay, "a delay, drawn per synapse at initialisation");
  } else if (c.delay) {
    // A constant delay is exact to the step: one that is not a whole number of steps is
    // refused rather than silently rounded (Brian2 rounds; NEST refuses).
    if (auto d = duration(*c.delay, "delay")) {
      double steps = *d / net.dt;
      double rounded = std::round(steps);
      if (*d < 0) {
        error(c.delay->loc, "delay must not be negative, got " + fmtNum(*d * 1e3) + " ms");
        ok = false;
      } else if (rounded > 1e6) {
        // The ring holds every step's spikes of the longest delay: a bound, not rounding.
        error(c.delay->loc, "delay " + fmtNum(*d * 1e3) + " ms is " + fmtNum(rounded) +
                                " time steps; at most 1000000 steps (" + fmtNum(net.dt * 1e6) +
                                " s at dt = " + fmtNum(net.dt * 1e3) + " ms) are supported");
        ok = false;
      } else if (std::fabs(steps - rounded) > 1e-6 * std::fmax(rounded, 1.0)) {
        error(c.delay->loc, "delay " + fmtNum(*d * 1e3) +
                                " ms is not a whole number of time "
                                "steps (dt = " +
                                fmtNum(net.dt * 1e3) +
                                " ms); delays are not "
                                "rounded");
        ok = false;
      } else {
        info.delaySteps = static_cast<uint32_t>(rounded);
      }
    } else {
      ok = false;
    }
  }
  return ok;
}

/// Initial values, and that the connection does something, one way.
bool ConnectionChecker::checkEffect(const ast::ConnectDecl &c, ConnectionInfo &info) {
  bool ok = true;
  if (info.synapse)
    ok = checkSynapseInit(c, info) && ok;
  else if (!c.synapseInit.empty()) {
    error(c.synapseInit.front().loc, "initial values need a synapse model with state");
    ok = false;
  }
  if (c.synapse.empty() && !c.hasInlineOnPre) {
    error(c.loc, "connection has no effect: give a synapse model or an on_pre block");
    ok = false;
  }
  if (!c.synapse.empty() && c.hasInlineOnPre) {
    error(c.loc, "give either a synapse model or an inline on_pre block, not both");
    ok = false;
  }
  if (!c.onto.empty() && !info.synapse) {
    error(c.ontoLoc, "'onto' chooses what a synapse model acts on; an inline on_pre names the "
                     "variable directly");
    ok = false;
  }
  return ok;
}

/// The synapse's code (or the inline on_pre) against both neurons.
bool ConnectionChecker::checkBodies(const ast::ConnectDecl &c, ConnectionInfo &info,
                                    const std::map<std::string, Dim> &synDims,
                                    std::optional<Dim> modulator) {
  NetworkInfo &net = result_.network;
  bool ok = true;
  if (popIndexValid(info.post) && !net.populations[info.post].neuron) {
    error(c.post.loc, "'" + c.post.name + "' is a spike source and cannot receive synapses");
    ok = false;
  } else if (popIndexValid(info.post)) {
    const NeuronInfo &post = *net.populations[info.post].neuron;
    Scope s = bodyScope(c, info, post, synDims, modulator);
    // Without a valid `onto` the model's uses of `target` cannot be checked; the error at the
    // connection says why.
    bool bodies =
        (!info.synapse || chooseTarget(c, info, post, s)) && (!c.modulatorPop || modulator);
    ok = ok && bodies;
    const auto &stmts = info.synapse ? info.synapse->def->onPre : c.onPre;
    unsigned before = diags_.errorCount();
    // Targets: the synapse's own variables and the postsynaptic neuron's state. A name in both
    // would be ambiguous, so it is refused where the synapse variable is declared.
    std::map<std::string, Dim> targets = post.stateDims;
    std::map<std::string, Dim> postTargets = post.stateDims;
    if (info.synapse) {
      const SynapseInfo &syn = *info.synapse;
      s.synState = &syn.stateDims;
      s.preTraces = &syn.preDims;
      s.postTraces = &syn.postDims;
      s.response = &syn.responseDims;
      s.synDecls = {&syn.def->state, &syn.def->preTraces, &syn.def->postTraces, &syn.def->response};
      for (auto *decls :
           {&syn.def->state, &syn.def->preTraces, &syn.def->postTraces, &syn.def->response})
        for (auto &b : *decls)
          if (post.stateDims.count(b.name))
            error(b.loc, "synapse variable '" + b.name + "' of '" + c.synapse +
                             "' has the name of a state variable of the postsynaptic neuron '" +
                             post.def->name + "'");
      for (auto &[name, d] : syn.stateDims) {
        targets[name] = d;
        postTargets[name] = d;
      }
      for (auto &[name, d] : syn.preDims)
        targets[name] = d;
      for (auto &[name, d] : syn.postDims)
        postTargets[name] = d;
      for (auto &[name, d] : syn.responseDims) {
        targets[name] = d;
        postTargets[name] = d;
      }
      if (s.target) {
        targets["target"] = *s.target;
        postTargets["target"] = *s.target;
      }
    }
    // Writes to the other side's traces are reported by checkTraceUpdates.
    auto withOthers = [&](std::map<std::string, Dim> t, bool pre) {
      if (info.synapse)
        for (auto &[name, d] : pre ? info.synapse->postDims : info.synapse->preDims)
          t[name] = d;
      return t;
    };
    // Event code draws random numbers per synapse and spike (or per spiking neuron, in its
    // once-per-spike trace updates); outputs, summed inputs and equations do not.
    Scope events = s;
    events.allowRand = true;
    if (bodies)
      models_.checkAssignments(
          stmts, events, withOthers(targets, true),
          "on_pre (targets are synapse variables and state variables of neuron '" + post.def->name +
              "')");
    if (info.synapse && info.synapse->def->output && info.ontoInput)
      checkOutput(*info.synapse, s, post, info.onto);
    if (info.synapse && info.synapse->def->summed && info.ontoInput)
      checkSummed(c, info, s, post);
    if (info.synapse && bodies) {
      models_.checkTraceUpdates(stmts, *info.synapse, true, "on_pre");
      // on_post and on_teacher visit the synapses onto one postsynaptic neuron.
      auto postSide = [&](const std::vector<ast::Assignment> &block, const char *name) {
        events.context = name;
        models_.checkAssignments(block, events, withOthers(postTargets, false),
                                 std::string(name) +
                                     " (targets are synapse variables, postsynaptic traces and "
                                     "state variables of neuron '" +
                                     post.def->name + "')");
        models_.checkTraceUpdates(block, *info.synapse, false, name);
      };
      if (info.synapse->def->hasOnPost)
        postSide(info.synapse->def->onPost, "on_post");
      if (info.synapse->def->hasOnTeacher)
        postSide(info.synapse->def->onTeacher, "on_teacher");
      checkSynapseEquations(*info.synapse, s);
      if (!info.synapse->def->every.empty())
        checkSynapseEvery(c, *info.synapse, s);
    }
    if (diags_.errorCount() != before && info.synapse)
      note(c.loc, "in synapse '" + c.synapse + "' as used by this connection");
    ok = ok && diags_.errorCount() == before;
  }
  return ok;
}

/// What synapse code may read: the synapse's parameters, both neurons (`pre.x`, `post.x`, and
/// bare postsynaptic names), t and the modulator.
Scope ConnectionChecker::bodyScope(const ast::ConnectDecl &c, const ConnectionInfo &info,
                                   const NeuronInfo &post,
                                   const std::map<std::string, Dim> &synDims,
                                   std::optional<Dim> modulator) {
  NetworkInfo &net = result_.network;
  static const std::vector<ast::Binding> none;
  Scope s = models_.paramScope(synDims, info.synapse ? info.synapse->def->params : none, "on_pre");
  s.kernel = convKernel(info);
  s.kernelFailed = info.rule == ConnRule::Conv2d && !s.kernel;
  s.state = &post.stateDims;
  s.stateDecls = &post.def->state;
  s.allowTime = true;
  s.synapseSides = true;
  s.modulator = modulator;
  s.postWhat = "postsynaptic neuron '" + post.def->name + "'";
  s.postParams = &post.paramDims;
  if (post.def->holdRefractoryInputs)
    s.heldBy = post.def;
  if (popIndexValid(info.pre) && net.populations[info.pre].neuron) {
    s.preState = &net.populations[info.pre].neuron->stateDims;
    s.preParams = &net.populations[info.pre].neuron->paramDims;
    s.preWhat = "presynaptic neuron '" + net.populations[info.pre].neuron->def->name + "'";
  } else {
    s.preWhat = "presynaptic population '" + c.pre.name + "' (a spike source)";
  }
  return s;
}

/// Names the checked connection (its own name, or pre_to_post made unique) and records it.
void ConnectionChecker::declare(const ast::ConnectDecl &c, ConnectionInfo info) {
  NetworkInfo &net = result_.network;
  const std::string &preName = net.populations[info.pre].decl->name;
  const std::string &postName = net.populations[info.post].decl->name;
  // Projection names share the namespace of parameter owners with populations: keep them
  // distinct from both.
  auto taken = [&](const std::string &name) {
    return popDecls_.count(name) || connIndex_.count(name);
  };
  if (!c.name.empty()) {
    if (taken(c.name)) {
      error(c.nameLoc, "redefinition of '" + c.name + "'");
      return;
    }
    info.name = c.name;
  } else {
    info.name = preName + "_to_" + postName;
    for (int k = 1; taken(info.name); ++k)
      info.name = preName + "_to_" + postName + "_" + std::to_string(k);
  }
  connIndex_[info.name] = static_cast<uint32_t>(net.connections.size());
  net.connections.push_back(std::move(info));
}

bool ConnectionChecker::mentionsTarget(const ast::SynapseDef &syn) {
  std::function<bool(const ast::Expr &)> in = [&](const ast::Expr &e) {
    if (auto *n = ast::dyn_cast<ast::NameExpr>(&e))
      return n->side == ast::Side::None && n->name == "target";
    if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e))
      return in(*u->operand);
    if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e))
      return in(*b->lhs) || in(*b->rhs);
    if (auto *c = ast::dyn_cast<ast::CallExpr>(&e))
      return std::any_of(c->args.begin(), c->args.end(), [&](auto &a) { return in(*a); });
    return false;
  };
  for (auto *block : {&syn.onPre, &syn.onPost, &syn.onTeacher})
    for (auto &a : *block)
      if ((a.side == ast::Side::None && a.target == "target") || in(*a.value) ||
          std::any_of(a.guards.begin(), a.guards.end(),
                      [&](auto &g) { return in(*g.condition->cond); }))
        return true;
  return false;
}

bool ConnectionChecker::chooseTarget(const ast::ConnectDecl &c, ConnectionInfo &info,
                                     const NeuronInfo &post, Scope &s) {
  const ast::SynapseDef &syn = *info.synapse->def;
  bool usesTarget = mentionsTarget(syn);
  const std::string &model = "synapse '" + syn.name + "'";
  const std::string &neuron = "neuron '" + post.def->name + "'";
  if (c.onto.empty()) {
    if (syn.output || syn.summed) {
      error(c.synapseLoc, model + " has " + (syn.output ? "an output" : "a summed value") +
                              "; choose the input of " + neuron + " it feeds with 'onto <input>'");
      return false;
    }
    if (usesTarget) {
      error(c.synapseLoc, model + " acts on 'target'; choose the variable of " + neuron +
                              " it stands for with 'onto <variable>'");
      return false;
    }
    return true;
  }
  info.onto = c.onto;
  if (syn.output || syn.summed) {
    if (post.inputDims.count(c.onto)) {
      info.ontoInput = true;
      return true;
    }
    error(c.ontoLoc, "'" + c.onto + "' is not an input of " + neuron +
                         (post.def->inputs.empty()
                              ? " (it declares none; an output feeds a name declared in the "
                                "neuron's 'inputs' block)"
                              : ""));
    return false;
  }
  if (!usesTarget) {
    error(c.ontoLoc, model + " has neither an output nor a 'target' for 'onto' to choose");
    return false;
  }
  if (auto it = post.stateDims.find(c.onto); it != post.stateDims.end()) {
    s.target = it->second;
    s.targetName = c.onto;
    return true;
  }
  if (post.inputDims.count(c.onto))
    error(c.ontoLoc, "'" + c.onto + "' is an input of " + neuron +
                         "; only a synapse with an "
                         "output can feed it");
  else if (!declares(post.def->state, c.onto))
    error(c.ontoLoc, neuron + " has no state variable '" + c.onto + "'");
  return false;
}

void ConnectionChecker::checkSummed(const ast::ConnectDecl &c, const ConnectionInfo &info,
                                    const Scope &events, const NeuronInfo &post) {
  const SynapseInfo &syn = *info.synapse;
  Scope s = events;
  s.context = "a summed value";
  s.target.reset();
  auto t = exprs_.checkExpr(*syn.def->summed, s);
  std::vector<NameRef> used;
  namesIn(*syn.def->summed, used);
  for (auto &r : used)
    if (r.kind == NameRef::Kind::PreTrace || r.kind == NameRef::Kind::PostTrace) {
      error(syn.def->summedLoc, "the summed value of synapse '" + syn.def->name +
                                    "' cannot read the trace '" + r.name +
                                    "': traces are "
                                    "brought up to date only at spikes");
      return;
    }
  Dim want = post.inputDims.at(info.onto);
  if (t && (t->isBool || t->dim != want))
    error(syn.def->summed->loc, "summed value of synapse '" + syn.def->name + "' has unit '" +
                                    (t->isBool ? std::string("boolean") : t->dim.str()) +
                                    "', but input '" + info.onto + "' of neuron '" +
                                    post.def->name + "' has unit '" + want.str() + "'");
  auto key = std::make_pair(info.post, info.onto);
  if (auto [it, fresh] = summedInputs_.emplace(key, c.ontoLoc); !fresh) {
    error(c.ontoLoc, "input '" + info.onto + "' of population '" + c.post.name +
                         "' is already the sum of another connection; a summed input has one "
                         "source");
    note(it->second, "the first is here");
  }
}

void ConnectionChecker::checkOutput(const SynapseInfo &syn, const Scope &events,
                                    const NeuronInfo &post, const std::string &input) {
  Scope o = events;
  o.context = "an output";
  o.synState = nullptr; // per synapse: the output is computed per postsynaptic neuron
  o.preTraces = o.postTraces = nullptr;
  o.preState = nullptr;
  o.preParams = nullptr;
  o.target.reset();
  auto t = exprs_.checkExpr(*syn.def->output, o);
  Dim want = post.inputDims.at(input);
  if (t && (t->isBool || t->dim != want))
    error(syn.def->output->loc, "output of synapse '" + syn.def->name + "' has unit '" +
                                    (t->isBool ? std::string("boolean") : t->dim.str()) +
                                    "', but input '" + input + "' of neuron '" + post.def->name +
                                    "' has unit '" + want.str() + "'");
}

bool ConnectionChecker::chooseTeacher(const ast::ConnectDecl &c, ConnectionInfo &info) {
  bool learns = info.synapse && info.synapse->def->hasOnTeacher;
  if (!c.teacherPop) {
    if (learns)
      error(c.synapseLoc, "synapse '" + c.synapse +
                              "' has an on_teacher block: name the teacher with 'taught by T'");
    return !learns;
  }
  const ast::PopRef &ref = *c.teacherPop;
  if (!learns) {
    error(ref.loc, "'taught by' runs a synapse model's on_teacher block, and " +
                       (c.synapse.empty() ? std::string("this connection has no synapse model")
                                          : "synapse '" + c.synapse + "' has none"));
    return false;
  }
  uint32_t pop = 0, begin = 0, end = 0;
  if (!popRange(ref, pop, begin, end))
    return false;
  if (end - begin != info.postEnd - info.postBegin) {
    error(ref.loc, "the teacher's k-th neuron teaches the k-th postsynaptic neuron, but '" +
                       ref.name + "' selects " + std::to_string(end - begin) + " neurons and '" +
                       c.post.name + "' " + std::to_string(info.postEnd - info.postBegin));
    return false;
  }
  info.teacherPop = static_cast<int>(pop);
  info.teacherBegin = begin;
  info.teacherEnd = end;
  return true;
}

std::optional<Dim> ConnectionChecker::chooseModulator(const ast::ConnectDecl &c,
                                                      ConnectionInfo &info) {
  const ast::PopRef &ref = *c.modulatorPop;
  if (c.synapse.empty()) {
    error(ref.loc, "'modulated by' gives a synapse model its 'modulator'; an inline on_pre "
                   "names variables directly");
    return std::nullopt;
  }
  uint32_t pop = 0, begin = 0, end = 0;
  if (!popRange(ref, pop, begin, end))
    return std::nullopt;
  const PopulationInfo &p = result_.network.populations[pop];
  if (!p.neuron) {
    error(ref.loc, "'" + ref.name +
                       "' is a spike source; a modulator is a state variable of "
                       "a neuron");
    return std::nullopt;
  }
  if (end - begin != 1) {
    error(ref.loc, "a modulator is the variable of one neuron, but '" + ref.name + "' selects " +
                       std::to_string(end - begin) + "; pick one with '" + ref.name + "[k]'");
    return std::nullopt;
  }
  auto d = p.neuron->stateDims.find(c.modulatorVar);
  if (d == p.neuron->stateDims.end()) {
    error(c.modulatorVarLoc, "'" + c.modulatorVar + "' is not a state variable of neuron '" +
                                 p.neuron->def->name + "'");
    return std::nullopt;
  }
  info.modulatorPop = static_cast<int>(pop);
  info.modulatorIndex = begin;
  info.modulatorVar = c.modulatorVar;
  return d->second;
}

void ConnectionChecker::checkSynapseEquations(const SynapseInfo &syn, Scope s) {
  hideTracesAndResponses(syn, s);
  s.context = "a synapse equation";
  for (const ast::Equation *eq : syn.synapseEquations) {
    auto t = exprs_.checkExpr(*eq->rhs, s);
    Dim want = syn.stateDims.at(eq->var) / dims::second();
    if (t && (t->isBool || t->dim != want))
      error(eq->rhs->loc, "right-hand side of 'd" + eq->var + "/dt' has unit '" +
                              (t->isBool ? std::string("boolean") : t->dim.str()) +
                              "', expected '" + want.str() + "'");
  }
}

bool ConnectionChecker::checkSynapseDelay(const ast::Expr &e, ConnectionInfo &info) {
  Scope s = pairScope(info, *info.decl, "a delay");
  auto t = exprs_.checkExpr(e, s);
  if (!t)
    return false;
  if (t->isBool || t->dim != dims::second()) {
    error(e.loc, "delay must have unit 'second', got '" +
                     (t->isBool ? std::string("boolean") : t->dim.str()) + "'");
    return false;
  }
  // uniform(a, b) with constant bounds: a negative lower bound is a mistake visible now.
  if (auto *call = ast::dyn_cast<ast::CallExpr>(&e); call && call->args.size() == 2) {
    std::string why;
    SourceLoc where;
    auto lo = evalConst(*call->args[0], why, where, &result_.network.constants);
    if (call->callee == "uniform" && lo && lo->value < 0) {
      error(call->args[0]->loc, "delay must not be negative, but uniform() starts at " +
                                    fmtNum(lo->value * 1e3) + " ms");
      return false;
    }
    auto hi = evalConst(*call->args[1], why, where, &result_.network.constants);
    if (call->callee == "uniform" && lo && hi && hi->value < lo->value) {
      error(e.loc, "uniform(a, b) needs a <= b");
      return false;
    }
  }
  info.synapseDelay = &e;
  return true;
}

void ConnectionChecker::seePositions(Scope &s, const ConnectionInfo &info,
                                     const ast::ConnectDecl &c) const {
  const NetworkInfo &net = result_.network;
  s.positionsHere = true;
  s.kernel = convKernel(info);
  s.kernelFailed = info.rule == ConnRule::Conv2d && !s.kernel;
  s.prePop = c.pre.name;
  s.postPop = c.post.name;
  if (popIndexValid(info.pre) && net.populations[info.pre].positions.dims)
    s.prePositions = &net.populations[info.pre].positions;
  if (popIndexValid(info.post) && net.populations[info.post].positions.dims)
    s.postPositions = &net.populations[info.post].positions;
}

/// What a function of a synapse's pair, computed where the network is built (`context`: a
/// connection rule's p and condition, a delay), may read: i, j, the neurons' positions,
/// distance, constants, arrays and random draws, not the neurons' parameters or state.
Scope ConnectionChecker::pairScope(const ConnectionInfo &info, const ast::ConnectDecl &c,
                                   const std::string &context) {
  static const std::vector<ast::Binding> none;
  static const std::map<std::string, Dim> noParams;
  models_.setStateNames(nullptr);
  Scope s = models_.paramScope(noParams, none, context);
  s.allowInit = true;
  s.allowIndex = false;
  s.synapseIndices = true;
  s.synapseSides = true;
  seePositions(s, info, c);
  s.preWhat = "presynaptic population '" + c.pre.name + "' (" + context +
              " reads neurons' positions only)";
  s.postWhat = "postsynaptic population '" + c.post.name + "' (" + context +
               " reads neurons' positions only)";
  for (uint32_t p : {info.pre, info.post}) // a neuron's names: not here, and said so
    if (popIndexValid(p))
      if (const NeuronInfo *n = result_.network.populations[p].neuron) {
        s.unavailable.push_back({&n->paramDims, "a parameter of neuron '" + n->def->name + "'"});
        s.unavailable.push_back(
            {&n->stateDims, "a state variable of neuron '" + n->def->name + "'"});
      }
  return s;
}

bool ConnectionChecker::checkPairExprs(const ast::ConnectDecl &c, ConnectionInfo &info) {
  if (!info.pairProb && !c.condition)
    return true;
  Scope s = pairScope(info, c, "a connection rule");
  bool ok = true;
  if (info.pairProb) {
    if (auto t = exprs_.checkExpr(*info.pairProb, s)) {
      if (t->isBool || !t->dim.isDimensionless()) {
        error(info.pairProb->loc, "connection probability must be a number, got " +
                                      (t->isBool ? std::string("a condition")
                                                 : "a value of unit '" + t->dim.str() + "'"));
        ok = false;
      } else
        noteBuildUses(*info.pairProb, "a connection probability, computed where the network is "
                                      "built");
    } else
      ok = false;
  }
  if (c.condition) {
    if (info.rule == ConnRule::FixedTotal || info.rule == ConnRule::FromFile) {
      error(c.condition->loc, std::string("a condition cannot restrict ") +
                                  (info.rule == ConnRule::FixedTotal
                                       ? "fixed_total_number (use bernoulli or fixed_indegree)"
                                       : "from_file (the file says which pairs exist)"));
      return false;
    }
    if (auto t = exprs_.checkExpr(*c.condition, s)) {
      if (!t->isBool) {
        error(c.condition->loc, "the condition of a connection must be a comparison, got a "
                                "value of unit '" + t->dim.str() + "'");
        ok = false;
      } else {
        info.condition = c.condition.get();
        noteBuildUses(*c.condition, "a connection's condition, computed where the network is "
                                    "built");
      }
    } else
      ok = false;
  }
  return ok;
}

bool ConnectionChecker::checkSynapseInit(const ast::ConnectDecl &c, ConnectionInfo &info) {
  const SynapseInfo &syn = *info.synapse;
  bool ok = true;
  std::map<std::string, Dim> dims;
  for (auto *b : info.synapseParams)
    if (syn.paramDims.count(b->name))
      dims[b->name] = syn.paramDims.at(b->name);
  Scope init = models_.paramScope(dims, syn.def->params, "an initial value of a synapse");
  init.allowInit = true;
  init.allowIndex = false;
  init.synapseIndices = true;
  // A connection's initial values may also read the neurons on either side (`w = pre.x`,
  // `post.x` or a bare postsynaptic name) and the synapse variables declared before.
  const NetworkInfo &net = result_.network;
  init.synapseSides = true;
  if (popIndexValid(info.post) && net.populations[info.post].neuron) {
    const NeuronInfo &post = *net.populations[info.post].neuron;
    init.state = &post.stateDims;
    init.stateDecls = &post.def->state;
    init.postParams = &post.paramDims;
    init.postWhat = "postsynaptic neuron '" + post.def->name + "'";
  } else {
    init.postWhat = "postsynaptic population '" + c.post.name + "'";
  }
  if (popIndexValid(info.pre) && net.populations[info.pre].neuron) {
    const NeuronInfo &pre = *net.populations[info.pre].neuron;
    init.preState = &pre.stateDims;
    init.preParams = &pre.paramDims;
    init.preWhat = "presynaptic neuron '" + pre.def->name + "'";
  } else {
    init.preWhat = "presynaptic population '" + c.pre.name + "' (a spike source)";
  }
  seePositions(init, info, c);
  std::map<std::string, const ast::Binding *> given;
  for (auto &b : c.synapseInit) {
    std::map<std::string, Dim> earlier;
    for (auto &decl : syn.def->state) {
      if (decl.name == b.name)
        break;
      if (auto d = syn.stateDims.find(decl.name); d != syn.stateDims.end())
        earlier[decl.name] = d->second;
    }
    init.synState = &earlier;
    auto t = exprs_.checkExpr(*b.value, init);
    auto want = syn.stateDims.find(b.name);
    if (want == syn.stateDims.end()) {
      if (!declares(syn.def->state, b.name))
        error(b.loc, "'" + b.name + "' is not a variable of synapse '" + c.synapse + "'");
      ok = false;
      continue;
    }
    if (auto [it, fresh] = given.emplace(b.name, &b); !fresh) {
      error(b.loc, "initial value of '" + b.name + "' is given twice");
      note(it->second->loc, "first given here");
      ok = false;
      continue;
    }
    if (t && (t->isBool || t->dim != want->second)) {
      error(b.value->loc, "initial value of '" + b.name + "' has unit '" +
                              (t->isBool ? std::string("boolean") : t->dim.str()) +
                              "', expected '" + want->second.str() + "'");
      ok = false;
    }
  }
  std::set<std::string> seen;
  for (auto &b : syn.def->state) {
    if (!seen.insert(b.name).second)
      continue;
    auto g = given.find(b.name);
    info.synapseInit.push_back(g == given.end() ? &b : g->second);
  }
  return ok;
}

} // namespace snn::sema
