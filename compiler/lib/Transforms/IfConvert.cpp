// if-convert (see IfConvert.h).
#include "snn/Transforms/IfConvert.h"

#include <string>

namespace snn::transforms {
namespace {

using namespace ir;

class Converter {
public:
  explicit Converter(uint32_t pop) : pop_(pop) {}

  /// Converts the ifs of `b`, inside loops over the neurons of pop_ (whose variable is `iv`).
  void visit(Block &b, const std::string &iv) {
    Block out;
    for (auto &s : b) {
      if (s->kind == Stmt::Kind::Loop) {
        visit(s->body, s->name);
      } else if (s->kind == Stmt::Kind::Tile) {
        visit(s->body, iv);
      } else if (s->kind == Stmt::Kind::If && !iv.empty()) {
        visit(s->body, iv);
        visit(s->elseBody, iv);
        if (convertible(s->body, iv) && convertible(s->elseBody, iv)) {
          convert(*s, out);
          continue;
        }
      }
      out.push_back(std::move(s));
    }
    b = std::move(out);
  }

private:
  bool convertible(const Block &b, const std::string &iv) const {
    for (auto &s : b) {
      if (s->kind == Stmt::Kind::Note)
        continue;
      if (s->kind != Stmt::Kind::Store || s->onSynapse || s->pop != pop_ || !s->index ||
          s->index->op != Op::Local || s->index->name != iv || expensive(*s->value))
        return false;
    }
    return true;
  }

  /// Work worth a branch: a random number or a math call, which a select would compute for every
  /// neuron rather than for the few that take the branch (a Poisson source's next interval).
  static bool expensive(const Expr &e) {
    if (e.op == Op::Philox || e.op == Op::Rand || e.op == Op::Call)
      return true;
    for (auto &a : e.args)
      if (expensive(*a))
        return true;
    return false;
  }

  /// let %cond = c; then each store x = select(%cond, v, x) (else-branch stores the other way).
  void convert(Stmt &s, Block &out) {
    ExprRef c = s.value;
    if (c->op != Op::Local) { // a bound condition can be used as it is
      std::string name = "cond" + std::to_string(count_++);
      out.push_back(makeLet(name, s.value));
      c = local(name, Type::Bool);
    }
    for (bool then : {true, false})
      for (auto &st : then ? s.body : s.elseBody) {
        if (st->kind == Stmt::Kind::Store) {
          // Loads of state are typed like the variable (i32 countdowns, real state).
          ExprRef old = load(st->pop, st->var, st->value->type, st->index);
          st->value = then ? select(c, st->value, old) : select(c, old, st->value);
        }
        out.push_back(std::move(st));
      }
  }

  uint32_t pop_;
  int count_ = 0;
};

} // namespace

void ifConvert(ir::Module &m) {
  for (Kernel &k : m.step)
    if (k.pop >= 0)
      Converter(static_cast<uint32_t>(k.pop)).visit(k.body, "");
}

} // namespace snn::transforms
