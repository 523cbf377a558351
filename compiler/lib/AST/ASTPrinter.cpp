// Text form of the AST (`-emit=ast`): one node per line, children indented, expressions fully
// parenthesised so that tests can check how precedence was resolved.
#include "snn/AST/ASTPrinter.h"

#include <string>

namespace snn::ast {

static const char *sidePrefix(Side s) {
  return s == Side::Pre ? "pre." : s == Side::Post ? "post." : "";
}

void printExpr(std::ostream &os, const Expr &e) {
  switch (e.kind) {
  case Expr::Kind::Number: {
    auto &n = static_cast<const NumberExpr &>(e);
    os << n.text;
    if (!n.unit.empty())
      os << ' ' << n.unit;
    return;
  }
  case Expr::Kind::Name: {
    auto &n = static_cast<const NameExpr &>(e);
    os << sidePrefix(n.side) << n.name;
    return;
  }
  case Expr::Kind::Unary: {
    auto &u = static_cast<const UnaryExpr &>(e);
    os << '(' << (u.op == UnaryOp::Neg ? "-" : u.op == UnaryOp::Plus ? "+" : "not ");
    printExpr(os, *u.operand);
    os << ')';
    return;
  }
  case Expr::Kind::Binary: {
    auto &b = static_cast<const BinaryExpr &>(e);
    os << '(';
    printExpr(os, *b.lhs);
    os << ' ' << spelling(b.op) << ' ';
    printExpr(os, *b.rhs);
    os << ')';
    return;
  }
  case Expr::Kind::Call: {
    auto &c = static_cast<const CallExpr &>(e);
    os << c.callee << '(';
    for (size_t i = 0; i < c.args.size(); ++i) {
      if (i)
        os << ", ";
      printExpr(os, *c.args[i]);
    }
    os << ')';
    return;
  }
  }
}

namespace {

struct Printer {
  std::ostream &os;
  int depth = 0;

  std::ostream &line() { return os << std::string(2 * depth, ' '); }
  static std::string at(SourceLoc l) {
    return "<" + std::to_string(l.line) + ":" + std::to_string(l.col) + ">";
  }

  void bindings(const char *what, const std::vector<Binding> &bs) {
    for (auto &b : bs) {
      line() << what << ' ' << b.name << " = ";
      printExpr(os, *b.value);
      os << ' ' << at(b.loc) << '\n';
    }
  }
  void assignments(const std::vector<Assignment> &as) {
    for (auto &a : as) {
      line() << sidePrefix(a.side) << a.target << ' ' << spelling(a.op) << ' ';
      printExpr(os, *a.value);
      os << ' ' << at(a.loc) << '\n';
    }
  }
  void popRef(const PopRef &r) {
    os << r.name;
    if (r.slice) {
      os << '[';
      printExpr(os, *r.slice->lo);
      if (r.slice->hi) {
        os << ':';
        printExpr(os, *r.slice->hi);
      }
      os << ']';
    }
  }

  void neuron(const NeuronDef &n) {
    line() << "neuron " << n.name << ' ' << at(n.loc) << '\n';
    ++depth;
    bindings("param", n.params);
    bindings("state", n.state);
    if (!n.method.empty())
      line() << "method " << n.method << '\n';
    for (auto &eq : n.equations) {
      line() << "ode d" << eq.var << "/dt = ";
      printExpr(os, *eq.rhs);
      if (eq.unlessRefractory)
        os << " unless refractory";
      os << ' ' << at(eq.loc) << '\n';
    }
    bindings("alias", n.aliases);
    bindings("input", n.inputs);
    if (!n.update.empty()) {
      line() << "update\n";
      ++depth;
      assignments(n.update);
      --depth;
    }
    if (n.threshold) {
      line() << "spike when ";
      printExpr(os, *n.threshold);
      os << '\n';
    }
    if (!n.reset.empty()) {
      line() << "reset\n";
      ++depth;
      assignments(n.reset);
      --depth;
    }
    if (n.refractory) {
      line() << "refractory ";
      printExpr(os, *n.refractory);
      if (n.holdRefractoryInputs)
        os << " (inputs = hold)";
      os << '\n';
    }
    --depth;
  }

  void synapse(const SynapseDef &s) {
    line() << "synapse " << s.name << ' ' << at(s.loc) << '\n';
    ++depth;
    bindings("param", s.params);
    bindings("state", s.state);
    bindings("pre", s.preTraces);
    bindings("post", s.postTraces);
    bindings("response", s.response);
    for (auto &eq : s.equations) {
      line() << "ode d" << eq.var << "/dt = ";
      printExpr(os, *eq.rhs);
      os << ' ' << at(eq.loc) << '\n';
    }
    line() << "on_pre\n";
    ++depth;
    assignments(s.onPre);
    --depth;
    if (s.hasOnPost) {
      line() << "on_post\n";
      ++depth;
      assignments(s.onPost);
      --depth;
    }
    if (s.hasOnTeacher) {
      line() << "on_teacher\n";
      ++depth;
      assignments(s.onTeacher);
      --depth;
    }
    if (s.output) {
      line() << "output ";
      printExpr(os, *s.output);
      os << ' ' << at(s.outputLoc) << '\n';
    }
    --depth;
  }

  void ruleCall(const RuleCall &r) {
    os << r.name;
    for (size_t i = 0; i < r.args.size(); ++i) {
      os << (i ? ", " : "(");
      if (!r.args[i].name.empty())
        os << r.args[i].name << " = ";
      if (r.args[i].value)
        printExpr(os, *r.args[i].value);
      else
        os << '"' << r.args[i].text << '"';
    }
    if (!r.args.empty())
      os << ')';
  }

  void network(const NetworkDef &n) {
    line() << "network " << n.name << ' ' << at(n.loc) << '\n';
    ++depth;
    bindings("set", n.settings);
    for (auto &p : n.populations) {
      line() << "population " << p.name << " = "
             << (p.sourceFile.empty() ? p.model : "spikes(\"" + p.sourceFile + "\")") << '[';
      printExpr(os, *p.size);
      os << "] " << at(p.loc) << '\n';
      ++depth;
      bindings("override", p.overrides);
      bindings("init", p.init);
      switch (p.positions.kind) {
      case Positions::Kind::None: break;
      case Positions::Kind::Layout:
        line() << "at ";
        ruleCall(p.positions.layout);
        os << '\n';
        break;
      case Positions::Kind::Exprs: bindings("at", p.positions.exprs); break;
      case Positions::Kind::File:
        line() << "at load(\"" << p.positions.file.path << "\")";
        if (p.positions.file.scale) {
          os << " * ";
          printExpr(os, *p.positions.file.scale);
        }
        os << '\n';
        break;
      }
      --depth;
    }
    for (auto &c : n.connections) {
      line() << "connect ";
      if (!c.name.empty())
        os << c.name << " = ";
      popRef(c.pre);
      os << " -> ";
      popRef(c.post);
      os << " with ";
      ruleCall(c.rule);
      if (c.condition) {
        os << " if ";
        printExpr(os, *c.condition);
      }
      if (c.delay) {
        os << " delay ";
        printExpr(os, *c.delay);
      }
      if (!c.synapse.empty())
        os << " synapse " << c.synapse;
      if (!c.onto.empty())
        os << " onto " << c.onto;
      if (c.teacherPop) {
        os << " taught by ";
        popRef(*c.teacherPop);
      }
      if (c.modulatorPop) {
        os << " modulated by ";
        popRef(*c.modulatorPop);
        os << '.' << c.modulatorVar;
      }
      os << ' ' << at(c.loc) << '\n';
      ++depth;
      bindings("override", c.synapseOverrides);
      bindings("init", c.synapseInit);
      if (c.hasInlineOnPre) {
        line() << "on_pre\n";
        ++depth;
        assignments(c.onPre);
        --depth;
      }
      --depth;
    }
    auto dataLoad = [&](const ast::DataLoad &d) {
      os << d.fn << "(\"" << d.path << "\")";
      if (d.scale) {
        os << " * ";
        printExpr(os, *d.scale);
      }
    };
    for (auto &a : n.arrays) {
      line() << "array " << a.name << " = ";
      dataLoad(a.data);
      os << ' ' << at(a.loc) << '\n';
    }
    for (auto &a : n.timedArrays) {
      line() << "timed_array " << a.name << " = ";
      if (a.file) {
        dataLoad(*a.file);
      } else {
        os << '[';
        for (size_t k = 0; k < a.values.size(); ++k) {
          os << (k ? ", " : "");
          printExpr(os, *a.values[k]);
        }
        os << ']';
      }
      os << " every ";
      printExpr(os, *a.interval);
      os << ' ' << at(a.loc) << '\n';
    }
    for (auto &r : n.records) {
      line() << "record ";
      if (r.spikes || r.rate) {
        os << (r.spikes ? "spikes of " : "rate of ");
        popRef(r.pop);
        if (r.every) {
          os << " every ";
          printExpr(os, *r.every);
        }
      } else {
        os << (r.final ? "final " : "") << r.pop.name << '.' << r.var;
        if (r.pop.slice) {
          os << '[';
          printExpr(os, *r.pop.slice->lo);
          if (r.pop.slice->hi) {
            os << ':';
            printExpr(os, *r.pop.slice->hi);
          }
          os << ']';
        }
        if (r.every) {
          os << " every ";
          printExpr(os, *r.every);
        }
      }
      os << ' ' << at(r.loc) << '\n';
    }
    for (size_t k = 0; k <= n.runs.size(); ++k) {
      for (auto &c : n.changes)
        if (c.phase == k) {
          line() << "change " << (c.owner.empty() ? "" : c.owner + ".") << c.name << " = ";
          printExpr(os, *c.value);
          os << ' ' << at(c.loc) << '\n';
        }
      if (k < n.runs.size()) {
        line() << "run ";
        printExpr(os, *n.runs[k].duration);
        os << '\n';
      }
    }
    --depth;
  }
};

} // namespace

void printProgram(std::ostream &os, const Program &p, const SourceManager &sm) {
  Printer pr{os};
  for (auto &f : p.files) {
    os << "file " << sm.path(f.fileId) << '\n';
    pr.depth = 1;
    for (auto &i : f.imports)
      pr.line() << "import \"" << i.path << "\"\n";
    for (auto &n : f.neurons)
      pr.neuron(n);
    for (auto &s : f.synapses)
      pr.synapse(s);
    for (auto &n : f.networks)
      pr.network(n);
  }
}

} // namespace snn::ast
