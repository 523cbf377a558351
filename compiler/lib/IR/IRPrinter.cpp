// Text dump of the IR. The format is documented in docs/ir.md and is what the IR and Transforms
// tests check, so changes here are changes to a test contract.
#include "snn/IR/IRPrinter.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace snn::ir {

std::string formatNumber(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  // The shortest representation that reads back to the same double (C++17 to_chars).
  char buf[64];
  // Plain decimals for the magnitudes models use, scientific notation outside them.
  double mag = std::fabs(v);
  auto format = (mag == 0 || (mag >= 1e-5 && mag < 1e16)) ? std::chars_format::fixed
                                                          : std::chars_format::scientific;
  auto res = std::to_chars(buf, buf + sizeof buf, v, format);
  return std::string(buf, res.ptr);
}

namespace {

/// `P:spikes`, `Proj:row_ptr`: a runtime buffer of its population or projection (a colon, not a
/// dot: a state variable may have a buffer's name).
std::string bufferRef(const Module &m, Buffer b, uint32_t owner) {
  return (bufferOfPopulation(b) ? m.populations.at(owner).name : m.projections.at(owner).name) +
         ":" + bufferName(b);
}

int precedence(Op op) {
  switch (op) {
  case Op::Or: return 1;
  case Op::And: return 2;
  case Op::Xor: return 2;
  case Op::Shl: case Op::LShr: return 5;
  case Op::Not: return 3;
  case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::Ne: return 4;
  case Op::Add: case Op::Sub: return 6; // binds tighter than shifts, as in C
  case Op::Mul: case Op::Div: case Op::Rem: return 7;
  case Op::Neg: return 8;
  case Op::Pow: return 9;
  default: return 10;
  }
}

const char *binSpelling(Op op) {
  switch (op) {
  case Op::Add: return " + ";
  case Op::Sub: return " - ";
  case Op::Mul: return " * ";
  case Op::Div: return " / ";
  case Op::Rem: return " % ";
  case Op::Pow: return " ^ ";
  case Op::Lt: return " < ";
  case Op::Le: return " <= ";
  case Op::Gt: return " > ";
  case Op::Ge: return " >= ";
  case Op::Eq: return " == ";
  case Op::Ne: return " != ";
  case Op::And: return " and ";
  case Op::Or: return " or ";
  case Op::Xor: return " xor ";
  case Op::Shl: return " << ";
  case Op::LShr: return " >> ";
  default: return " ? ";
  }
}

struct ExprPrinter {
  const Module &m;
  std::ostream &os;

  /// name(arg, arg, ...)
  void callForm(const std::string &name, const Expr &e) {
    os << name << '(';
    for (size_t i = 0; i < e.args.size(); ++i) {
      if (i)
        os << ", ";
      print(*e.args[i]);
    }
    os << ')';
  }

  void print(const Expr &e, int outer = 0) {
    int p = precedence(e.op);
    // A negative number reads like a negation: `(-2) ^ 2`, `x ^ (-2)`, `-(-2)`.
    if ((e.op == Op::Const || e.op == Op::IntConst || e.op == Op::Quantity) &&
        std::signbit(e.value) && !std::isnan(e.value))
      p = precedence(Op::Neg);
    bool paren = p < outer;
    if (paren)
      os << '(';
    switch (e.op) {
    case Op::Const: os << formatNumber(e.value); break;
    case Op::Quantity: os << formatNumber(e.value) << ' ' << e.name; break;
    case Op::IntConst:
      os << static_cast<int64_t>(e.value);
      if (e.type == Type::U32)
        os << 'u';
      else if (e.type == Type::U64)
        os << "ul";
      else if (e.type == Type::I64)
        os << 'l';
      break;
    case Op::BufLoad:
      os << bufferRef(m, e.buffer, e.pop) << '[';
      print(*e.args[0]);
      os << ']';
      break;
    case Op::ConstLoad:
      os << '@' << m.constants.at(e.var).name << '[';
      print(*e.args[0]);
      os << ']';
      break;
    case Op::RangeBegin: os << "range_begin"; break;
    case Op::RangeEnd: os << "range_end"; break;
    case Op::Step: os << "step"; break;
    case Op::Seed: os << "seed"; break;
    case Op::Philox:
      callForm("philox" + std::to_string(e.var), e);
      break;
    case Op::Cast:
      os << typeName(e.type) << '(';
      print(*e.args[0]);
      os << ')';
      break;
    case Op::BoolConst: os << (e.value != 0 ? "true" : "false"); break;
    case Op::Param: os << '$' << e.owner << '.' << e.name; break;
    case Op::Load: {
      if (e.onSynapse) {
        const Projection &pj = m.projections.at(e.pop);
        os << pj.name << '.' << pj.vars.at(e.var).name << '[';
        print(*e.args[0]);
        os << ']';
        break;
      }
      const Population &pop = m.populations.at(e.pop);
      os << pop.name << '.' << pop.vars.at(e.var).name << '[';
      print(*e.args[0]);
      os << ']';
      break;
    }
    case Op::Local: os << '%' << e.name; break;
    case Op::Time: os << 't'; break;
    case Op::Rand:
      os << (e.dist == RandDist::Uniform ? "rand_uniform" : "rand_normal") << "(stream "
         << e.stream << (e.perStep ? ", step, " : ", ");
      print(*e.args[0]);
      os << ')';
      break;
    case Op::Neg:
      os << '-';
      print(*e.args[0], p + 1);
      break;
    case Op::Not:
      os << "not ";
      print(*e.args[0], p);
      break;
    case Op::Min: case Op::Max:
      callForm(e.op == Op::Min ? "min" : "max", e);
      break;
    case Op::Select:
      callForm("select", e);
      break;
    case Op::PoissonInv:
      callForm("poisson_inv", e);
      break;
    case Op::CountBelow:
      os << "count_below(@" << m.constants.at(e.var).name << ", ";
      print(*e.args[0]);
      os << ')';
      break;
    case Op::BinomialInv:
      callForm("binomial_inv", e);
      break;
    case Op::Table:
      os << m.tables.at(e.var).name << '(';
      print(*e.args[0]);
      os << ')';
      break;
    case Op::Call:
      callForm(e.name, e);
      break;
    case Op::ToReal:
      os << "real(";
      print(*e.args[0]);
      os << ')';
      break;
    case Op::ToInt:
      os << "int(";
      print(*e.args[0]);
      os << ')';
      break;
    default:
      // Binary operators; the right operand binds tighter to keep left associativity visible,
      // except for the right-associative power.
      print(*e.args[0], e.op == Op::Pow ? p + 1 : p);
      os << binSpelling(e.op);
      print(*e.args[1], e.op == Op::Pow ? p : p + 1);
      break;
    }
    if (paren)
      os << ')';
  }
};

struct ModulePrinter {
  const Module &m;
  std::ostream &os;
  int depth = 0;

  std::ostream &line() { return os << std::string(2 * depth, ' '); }
  void expr(const Expr &e) { ExprPrinter{m, os}.print(e); }
  std::string popName(uint32_t p) { return m.populations.at(p).name; }
  std::string varName(uint32_t p, uint32_t v) {
    return m.populations.at(p).name + "." + m.populations.at(p).vars.at(v).name;
  }
  std::string synVarName(uint32_t j, uint32_t v) {
    return m.projections.at(j).name + "." + m.projections.at(j).vars.at(v).name;
  }
  std::string varName(const Stmt &s, uint32_t v) {
    return s.onSynapse ? synVarName(s.pop, v) : varName(s.pop, v);
  }

  void block(const Block &b) {
    ++depth;
    for (auto &s : b)
      stmt(*s);
    --depth;
  }

  void stmt(const Stmt &s) {
    switch (s.kind) {
    case Stmt::Kind::Let:
      line() << "let %" << s.name << " : " << typeName(s.value->type) << " = ";
      expr(*s.value);
      os << '\n';
      return;
    case Stmt::Kind::Var:
      line() << "var %" << s.name << " : " << typeName(s.value->type) << " = ";
      expr(*s.value);
      os << '\n';
      return;
    case Stmt::Kind::Assign:
      line() << '%' << s.name << " = ";
      expr(*s.value);
      os << '\n';
      return;
    case Stmt::Kind::BufStore:
      line() << bufferRef(m, s.buffer, s.pop) << '[';
      expr(*s.index);
      os << "] = ";
      expr(*s.value);
      os << '\n';
      return;
    case Stmt::Kind::Prefetch:
      line() << "prefetch "
             << (s.onSynapse ? m.projections[s.pop].name + "." + m.projections[s.pop].vars[s.var].name
                             : bufferRef(m, s.buffer, s.pop))
             << '[';
      expr(*s.index);
      os << "]\n";
      return;
    case Stmt::Kind::While:
      line() << "while ";
      expr(*s.value);
      os << " {\n";
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::Store:
      line() << varName(s, s.var) << '[';
      expr(*s.index);
      os << "] = ";
      expr(*s.value);
      os << '\n';
      return;
    case Stmt::Kind::If:
      line() << "if ";
      expr(*s.value);
      os << " {\n";
      block(s.body);
      if (!s.elseBody.empty()) {
        line() << "} else {\n";
        block(s.elseBody);
      }
      line() << "}\n";
      return;
    case Stmt::Kind::Loop:
      if (!s.tile.empty())
        line() << "loop %" << s.name << " in tile %" << s.tile << " {\n";
      else if (s.from) {
        line() << "loop %" << s.name << " in [";
        expr(*s.from);
        os << ", ";
        expr(*s.to);
        os << ") {" << (s.independent ? "  ; independent iterations" : "") << "\n";
      } else
        line() << "loop %" << s.name << " in [" << s.begin << ", " << s.end << ") {\n";
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::Tile:
      line() << "tile %" << s.name << " in [" << s.begin << ", " << s.end << ") by " << s.tileSize
             << " {\n";
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::SpikeMask:
      line() << "spike_mask " << popName(s.pop) << '[';
      expr(*s.index);
      os << "] of tile %" << s.name << " = ";
      expr(*s.value);
      os << '\n';
      return;
    case Stmt::Kind::CompactSpikes:
      line() << "compact_spikes " << popName(s.pop) << " of tile %" << s.name << '\n';
      return;
    case Stmt::Kind::ForSpikes:
      line() << "for_spikes %" << s.name << " of " << popName(s.pop) << " in [" << s.begin
             << ", " << s.end << ") {\n";
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::ForRow:
      line() << "for_synapses %" << s.name;
      if (!s.synName.empty())
        os << ", %" << s.synName;
      os << " of " << m.projections.at(s.proj).name << " from ";
      expr(*s.index);
      if (s.value) {
        os << " with delay ";
        expr(*s.value);
      }
      os << " {" << (s.postRange ? "  ; onto the kernel's range only" : "")
         << (s.independent ? "  ; independent iterations" : "") << '\n';
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::ForDelayedSpikes:
      line() << "for_delayed_spikes %" << s.name << " of " << m.projections.at(s.proj).name
             << " (delay " << m.projections.at(s.proj).delaySteps << " steps) {\n";
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::PushDelayedSpikes:
      line() << "push_delayed_spikes " << m.projections.at(s.proj).name << '\n';
      return;
    case Stmt::Kind::ForArrivals:
      line() << "for_arrivals %" << s.name << ", %" << s.synName << " of "
             << m.projections.at(s.proj).name << " {\n";
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::SetDelay:
      line() << "set_delay " << m.projections.at(s.proj).name << '[';
      expr(*s.index);
      os << "] = ";
      expr(*s.value);
      os << " steps\n";
      return;
    case Stmt::Kind::ForColumn:
      line() << "for_column %" << s.name << ", %" << s.synName << " of "
             << m.projections.at(s.proj).name << " to ";
      expr(*s.index);
      os << " {" << (s.independent ? "  ; independent iterations" : "") << '\n';
      block(s.body);
      line() << "}\n";
      return;
    case Stmt::Kind::EmitSourceSpikes:
      line() << "emit_source_spikes " << popName(s.pop) << '\n';
      return;
    case Stmt::Kind::AdvanceTrace:
      line() << "advance " << varName(s, s.var) << '[';
      expr(*s.index);
      os << "] from " << varName(s, s.timeVar) << " by d/dt = ";
      expr(*s.value);
      if (!s.name.empty())
        os << " into %" << s.name;
      os << '\n';
      return;
    case Stmt::Kind::Ode:
      line() << "ode d" << varName(s, s.var) << "/dt[";
      expr(*s.index);
      os << "] = ";
      expr(*s.value);
      if (s.unlessRefractory)
        os << " unless refractory";
      os << '\n';
      return;
    case Stmt::Kind::ClearSpikes:
      line() << "clear_spikes " << popName(s.pop) << '\n';
      return;
    case Stmt::Kind::EmitSpike:
      line() << "emit_spike " << popName(s.pop) << '[';
      expr(*s.index);
      os << "]\n";
      return;
    case Stmt::Kind::Note:
      line() << "; " << s.name << '\n';
      return;
    case Stmt::Kind::AcceptPair:
      line() << "accept_pair " << m.projections.at(s.proj).name << " if ";
      expr(*s.value);
      os << '\n';
      return;
    }
  }

  void kernel(const Kernel &k) {
    line() << "kernel " << k.name << " (" << phaseName(k.phase) << ") {"
           << (k.postRanges ? "  ; runs as ranges of postsynaptic neurons" : "") << '\n';
    block(k.body);
    line() << "}\n";
  }

  static const char *ruleName(ConnRule r) {
    switch (r) {
    case ConnRule::AllToAll: return "all_to_all";
    case ConnRule::OneToOne: return "one_to_one";
    case ConnRule::Bernoulli: return "bernoulli";
    case ConnRule::FixedIndegree: return "fixed_indegree";
    case ConnRule::FixedOutdegree: return "fixed_outdegree";
    case ConnRule::FromFile: return "from_file";
    case ConnRule::FixedTotal: return "fixed_total_number";
    case ConnRule::Conv2d: return "conv2d";
    }
    return "?";
  }

  /// [a, b, c] with `item(k)` printing element k.
  template <class F> void list(size_t n, F item) {
    os << '[';
    for (size_t k = 0; k < n; ++k) {
      if (k)
        os << ", ";
      item(k);
    }
    os << ']';
  }

  void numbers(const std::vector<double> &v) {
    list(v.size(), [&](size_t k) { os << formatNumber(v[k]); });
  }

  void integers(const std::vector<int64_t> &v) {
    list(v.size(), [&](size_t k) { os << v[k]; });
  }

  void varNames(const Population &p, const std::vector<uint32_t> &vars) {
    list(vars.size(), [&](size_t k) { os << p.vars.at(vars[k]).name; });
  }

  void var(const Var &v, const char *where) {
    line() << "var " << v.name << " : " << typeName(v.type) << (v.scalar ? " scalar" : "")
           << where;
    if (!v.unit.empty())
      os << " unit \"" << v.unit << '"';
    os << '\n';
  }

  void params(const std::vector<Param> &ps) {
    for (auto &pr : ps) {
      line() << "param " << pr.name << " = ";
      expr(*pr.value);
      os << (pr.runtime ? " (runtime)" : "") << '\n';
    }
  }

  void population(const Population &p) {
    os << "\npopulation " << p.name << '[' << p.size << "] {\n";
    depth = 1;
    params(p.params);
    for (auto &v : p.vars)
      var(v, "");
    line() << "model " << p.model << '\n';
    if (p.method != Method::Auto)
      line() << "method " << methodName(p.method) << '\n';
    if (p.refractoryVar >= 0)
      line() << "refractory_var " << p.vars.at(p.refractoryVar).name << '\n';
    if (p.saturationVar >= 0)
      line() << "saturation_var " << p.vars.at(p.saturationVar).name << '\n';
    if (p.isSource) { // the schedule, until lower-spike-sources moves it into constant tables
      line() << "source steps ";
      integers(p.sourceSteps);
      os << " neurons ";
      list(p.sourceIndices.size(), [&](size_t k) { os << p.sourceIndices[k]; });
      os << '\n';
    }
    depth = 0;
    os << "}\n";
  }

  void projection(const Projection &pj) {
    os << "\nprojection " << pj.name << " = " << popName(pj.pre) << '[' << pj.preBegin << ':'
       << pj.preEnd << "] -> " << popName(pj.post) << '[' << pj.postBegin << ':' << pj.postEnd
       << "] " << ruleName(pj.rule);
    if (pj.rule == ConnRule::Bernoulli)
      os << "(p=" << formatNumber(pj.p) << ')';
    if (pj.rule == ConnRule::FixedIndegree || pj.rule == ConnRule::FixedOutdegree)
      os << "(k=" << pj.k << ')';
    if (pj.rule == ConnRule::FixedTotal)
      os << "(n=" << pj.total << ')';
    if (pj.rule == ConnRule::Conv2d) {
      const ConvGeometry &g = pj.conv;
      os << "(in=[" << g.inC << ", " << g.inH << ", " << g.inW << "], out=[" << g.outC << ", "
         << g.outH << ", " << g.outW << "], kernel=[" << g.kH << ", " << g.kW
         << "], stride=" << g.stride << ", padding=" << g.padding << ')';
    }
    if (pj.rule == ConnRule::FromFile)
      os << "(rows=@" << m.constants.at(pj.listRowPtr).name << ", cols=@"
         << m.constants.at(pj.listCol).name << ')';
    os << (pj.autapses ? "" : " no_autapses");
    if (pj.delaySteps)
      os << " delay " << pj.delaySteps << " steps";
    else if (pj.synapseDelays)
      os << " delay per synapse";
    os << (pj.postIndex ? " post_index" : "") << " {\n";
    depth = 1;
    params(pj.params);
    for (auto &v : pj.vars)
      var(v, " (per synapse)");
    depth = 0;
    os << "}\n";
  }

  void recorder(const Recorder &r) {
    if (r.synapses) {
      const Projection &pj = m.projections.at(r.pop);
      os << "record " << pj.name << '.' << pj.vars.at(r.var).name << "[all synapses]";
    } else {
      os << "record "
         << (r.spikes ? "spikes " + popName(r.pop)
             : r.rate ? "rate " + popName(r.pop)
                      : varName(r.pop, r.var))
         << '[' << r.begin << ':' << r.end << ']';
    }
    if (!r.spikes) {
      if (r.every)
        os << " every " << r.every;
      else
        os << " final";
    }
    os << " as \"" << r.name << "\"\n";
  }

  void runtimeSystem(const RuntimeSystem &rs) {
    const Population &p = m.populations.at(rs.pop);
    os << "system " << p.name << " n=" << rs.n << " {\n";
    depth = 1;
    line() << "coeffs ";
    list(rs.coeffs.size(), [&](size_t k) { expr(*rs.coeffs[k]); });
    os << '\n';
    line() << "b ";
    numbers(rs.bConst);
    os << '\n';
    line() << "frozen ";
    list(rs.frozen.size(), [&](size_t k) { os << (rs.frozen[k] ? "true" : "false"); });
    os << '\n';
    const std::pair<const char *, const std::vector<uint32_t> *> slots[] = {
        {"phi", &rs.phi},           {"gamma", &rs.gamma},           {"constant", &rs.constant},
        {"phi_refractory", &rs.phiR}, {"gamma_refractory", &rs.gammaR},
        {"constant_refractory", &rs.constantR}};
    for (auto &[name, vars] : slots)
      if (!vars->empty()) {
        line() << name << ' ';
        varNames(p, *vars);
        os << '\n';
      }
    depth = 0;
    os << "}\n";
  }

  void module() {
    os << "module " << m.name << " dt=" << formatNumber(m.dt) << " duration="
       << formatNumber(m.duration) << " seed=" << m.seed << " precision="
       << (m.precision == Precision::Float32 ? "float32" : "float64") << " streams=" << m.streams
       << "\n";
    if (!m.unsplittable.empty())
      os << "unsplittable \"" << m.unsplittable << "\"\n";
    if (!m.tables.empty())
      os << '\n';
    for (auto &t : m.tables) {
      os << "table " << t.name << " interval=" << formatNumber(t.interval) << ' ';
      numbers(t.values);
      os << '\n';
    }
    for (auto &p : m.populations)
      population(p);
    for (auto &pj : m.projections)
      projection(pj);
    if (!m.recorders.empty())
      os << '\n';
    for (auto &r : m.recorders)
      recorder(r);
    if (!m.constants.empty())
      os << '\n';
    for (auto &c : m.constants) {
      os << "const @" << c.name << " : " << typeName(c.type) << '[' << c.size() << "] = ";
      if (c.type == Type::Real)
        numbers(c.reals);
      else
        integers(c.values);
      os << '\n';
    }
    if (!m.runtimeParams.empty() || !m.runtimeSystems.empty())
      os << '\n';
    for (auto &rp : m.runtimeParams)
      os << "runtime " << rp.owner << '.' << rp.name << " = " << formatNumber(rp.value) << " in "
         << popName(rp.pop) << '.' << m.populations.at(rp.pop).vars.at(rp.var).name << " unit \""
         << rp.unit << "\" units \"" << rp.units << "\"\n";
    for (auto &c : m.changes)
      os << "change at step " << c.step << ": " << m.runtimeParams.at(c.param).owner << '.'
         << m.runtimeParams.at(c.param).name << " = " << formatNumber(c.value) << '\n';
    for (auto &rs : m.runtimeSystems)
      runtimeSystem(rs);
    if (!m.connect.empty()) // only where some projection tests pairs
      section("connect", m.connect);
    section("init", m.init);
    section("step", m.step);
  }

  /// `\nname {\n` and the kernels, then `}`.
  void section(const char *name, const std::vector<Kernel> &kernels) {
    os << '\n' << name << " {\n";
    depth = 1;
    for (auto &k : kernels)
      kernel(k);
    depth = 0;
    os << "}\n";
  }
};

} // namespace

void printModule(std::ostream &os, const Module &m) { ModulePrinter{m, os}.module(); }

std::string exprToString(const Module &m, const Expr &e) {
  std::ostringstream os;
  ExprPrinter{m, os}.print(e);
  return os.str();
}

} // namespace snn::ir
