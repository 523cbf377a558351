// Constructors and small queries for IR nodes.
#include "snn/IR/IR.h"

namespace snn::ir {

const char *typeName(Type t) {
  switch (t) {
  case Type::Real: return "real";
  case Type::I32: return "i32";
  case Type::Bool: return "bool";
  case Type::U32: return "u32";
  case Type::U64: return "u64";
  case Type::I64: return "i64";
  }
  return "?";
}

bool isInteger(Type t) {
  return t == Type::I32 || t == Type::I64 || t == Type::U32 || t == Type::U64;
}

const char *bufferName(Buffer b) {
  switch (b) {
  case Buffer::Spikes: return "spikes";
  case Buffer::SpikeCount: return "nspikes";
  case Buffer::RowPtr: return "row_ptr";
  case Buffer::Col: return "col";
  case Buffer::Ring: return "ring";
  case Buffer::RingCount: return "ring_count";
  case Buffer::Delay: return "delay";
  case Buffer::DelayPtr: return "delay_ptr";
  case Buffer::MaxDelay: return "max_delay";
  case Buffer::ColPtr: return "col_ptr";
  case Buffer::PostSyn: return "post_syn";
  case Buffer::PostPre: return "post_pre";
  }
  return "?";
}

Type bufferType(Buffer b) {
  return b == Buffer::RowPtr || b == Buffer::ColPtr ? Type::I64 : Type::I32;
}

bool bufferOfPopulation(Buffer b) { return b == Buffer::Spikes || b == Buffer::SpikeCount; }

const char *phaseName(Phase p) {
  switch (p) {
  case Phase::Init: return "init";
  case Phase::Update: return "update";
  case Phase::Threshold: return "threshold";
  case Phase::Deliver: return "deliver";
  case Phase::Reset: return "reset";
  case Phase::Connect: return "connect";
  }
  return "?";
}

static std::shared_ptr<Expr> node(Op op, Type t) {
  auto e = std::make_shared<Expr>();
  e->op = op;
  e->type = t;
  return e;
}

ExprRef real(double v) {
  auto e = node(Op::Const, Type::Real);
  e->value = v;
  return e;
}
ExprRef integer(int64_t v) {
  auto e = node(Op::IntConst, Type::I32);
  e->value = static_cast<double>(v);
  return e;
}
ExprRef index64(int64_t v) {
  auto e = node(Op::IntConst, Type::I64);
  e->value = static_cast<double>(v);
  return e;
}
ExprRef boolean(bool v) {
  auto e = node(Op::BoolConst, Type::Bool);
  e->value = v ? 1 : 0;
  return e;
}
ExprRef quantity(double v, std::string unit, double scale) {
  auto e = node(Op::Quantity, Type::Real);
  e->value = v;
  e->name = std::move(unit);
  e->scale = scale;
  return e;
}
ExprRef param(std::string owner, std::string name) {
  auto e = node(Op::Param, Type::Real);
  e->owner = std::move(owner);
  e->name = std::move(name);
  return e;
}
ExprRef load(uint32_t pop, uint32_t var, Type t, ExprRef index) {
  auto e = node(Op::Load, t);
  e->pop = pop;
  e->var = var;
  e->args = {std::move(index)};
  return e;
}
ExprRef loadSynapse(uint32_t proj, uint32_t var, ExprRef index) {
  auto e = std::make_shared<Expr>(*load(proj, var, Type::Real, std::move(index)));
  e->onSynapse = true;
  return e;
}
ExprRef local(std::string name, Type t) {
  auto e = node(Op::Local, t);
  e->name = std::move(name);
  return e;
}
ExprRef timeNow() { return node(Op::Time, Type::Real); }
ExprRef table(uint32_t index, ExprRef time) {
  auto e = node(Op::Table, Type::Real);
  e->var = index;
  e->args = {std::move(time)};
  return e;
}
ExprRef bufLoad(Buffer b, uint32_t owner, ExprRef index) {
  auto e = node(Op::BufLoad, bufferType(b));
  e->buffer = b;
  e->pop = owner;
  e->args = {std::move(index)};
  return e;
}
ExprRef constLoad(uint32_t table, Type t, ExprRef index) {
  auto e = node(Op::ConstLoad, t);
  e->var = table;
  e->args = {std::move(index)};
  return e;
}
ExprRef countBelow(uint32_t table, ExprRef x) {
  auto e = node(Op::CountBelow, Type::I32);
  e->var = table;
  e->args = {std::move(x)};
  return e;
}
ExprRef rangeBegin() { return node(Op::RangeBegin, Type::I32); }

uint32_t rangePopulation(const Module &m, const Kernel &k) {
  return k.proj >= 0 ? m.projections.at(static_cast<size_t>(k.proj)).post
                     : static_cast<uint32_t>(k.pop);
}
ExprRef rangeEnd() { return node(Op::RangeEnd, Type::I32); }
ExprRef binomialInv(ExprRef n, ExprRef p, ExprRef uniform) {
  auto e = node(Op::BinomialInv, Type::Real);
  e->args = {std::move(n), std::move(p), std::move(uniform)};
  return e;
}
ExprRef poissonInv(ExprRef mean, ExprRef uniform) {
  auto e = node(Op::PoissonInv, Type::Real);
  e->args = {std::move(mean), std::move(uniform)};
  return e;
}
ExprRef rand(RandDist d, uint64_t stream, ExprRef index, bool perStep) {
  auto e = node(Op::Rand, Type::Real);
  e->dist = d;
  e->perStep = perStep;
  e->stream = stream;
  e->args = {std::move(index)};
  return e;
}
ExprRef unary(Op op, ExprRef a) {
  auto e = node(op, op == Op::Not ? Type::Bool : a->type);
  e->args = {std::move(a)};
  return e;
}
ExprRef binary(Op op, ExprRef a, ExprRef b) {
  Type t = a->type;
  switch (op) {
  case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: case Op::Eq: case Op::Ne:
    t = Type::Bool;
    break;
  case Op::And: case Op::Or:
    if (a->type == Type::U32 || a->type == Type::U64)
      break; // bitwise
    t = Type::Bool;
    break;
  default:
    break;
  }
  auto e = node(op, t);
  e->args = {std::move(a), std::move(b)};
  return e;
}
ExprRef select(ExprRef c, ExprRef a, ExprRef b) {
  auto e = node(Op::Select, a->type);
  e->args = {std::move(c), std::move(a), std::move(b)};
  return e;
}
ExprRef call(std::string fn, std::vector<ExprRef> args) {
  auto e = node(Op::Call, Type::Real);
  e->name = std::move(fn);
  e->args = std::move(args);
  return e;
}
ExprRef toReal(ExprRef a) {
  auto e = node(Op::ToReal, Type::Real);
  e->args = {std::move(a)};
  return e;
}
ExprRef toInt(ExprRef a) {
  auto e = node(Op::ToInt, Type::I32);
  e->args = {std::move(a)};
  return e;
}
ExprRef uconst(uint64_t v, Type t) {
  auto e = node(Op::IntConst, t);
  e->value = static_cast<double>(v);
  return e;
}
ExprRef stepNumber() { return node(Op::Step, Type::U64); }
ExprRef seedValue() { return node(Op::Seed, Type::U64); }
ExprRef philox(uint32_t word, ExprRef key, ExprRef counterLo, ExprRef counterHi) {
  auto e = node(Op::Philox, Type::U32);
  e->var = word;
  e->args = {std::move(key), std::move(counterLo), std::move(counterHi)};
  return e;
}
ExprRef add(ExprRef a, ExprRef b) { return binary(Op::Add, std::move(a), std::move(b)); }
ExprRef sub(ExprRef a, ExprRef b) { return binary(Op::Sub, std::move(a), std::move(b)); }
ExprRef mul(ExprRef a, ExprRef b) { return binary(Op::Mul, std::move(a), std::move(b)); }
ExprRef toI64(ExprRef a) { return cast(std::move(a), Type::I64); }
ExprRef cast(ExprRef a, Type t) {
  auto e = node(Op::Cast, t);
  e->args = {std::move(a)};
  return e;
}
ExprRef withArgs(const Expr &e, std::vector<ExprRef> args) {
  auto n = std::make_shared<Expr>(e);
  n->args = std::move(args);
  return n;
}

void appendToInit(Module &m, uint32_t pop, const std::function<StmtPtr(ExprRef)> &make) {
  for (Kernel &k : m.init)
    if (k.pop == static_cast<int>(pop))
      for (auto &s : k.body)
        if (s->kind == Stmt::Kind::Loop) {
          s->body.push_back(make(local(s->name, Type::I32)));
          return;
        }
  const Population &P = m.populations[pop];
  Block body;
  body.push_back(make(local("i", Type::I32)));
  Block kernel;
  kernel.push_back(makeLoop("i", 0, P.size, std::move(body)));
  m.init.insert(m.init.begin(),
                {"init." + P.name, Phase::Init, static_cast<int>(pop), -1, std::move(kernel)});
}

bool isMathFunction(const std::string &name) {
  static const char *const names[] = {"exp",  "log",  "log10", "sqrt",   "abs",   "sin",
                                      "cos",  "tan",  "atan",  "sinh",   "cosh",  "tanh",
                                      "exprel", "floor", "ceil", "trunc", "round", "cos2pi"};
  for (const char *n : names)
    if (name == n)
      return true;
  return false;
}

bool isConst(const Expr &e, double *v) {
  if (e.op != Op::Const)
    return false;
  if (v)
    *v = e.value;
  return true;
}

StmtPtr makeLet(std::string name, ExprRef value) {
  auto s = std::make_unique<Stmt>();
  s->kind = Stmt::Kind::Let;
  s->name = std::move(name);
  s->value = std::move(value);
  return s;
}
StmtPtr makeStore(uint32_t pop, uint32_t var, ExprRef index, ExprRef value) {
  auto s = std::make_unique<Stmt>();
  s->kind = Stmt::Kind::Store;
  s->pop = pop;
  s->var = var;
  s->index = std::move(index);
  s->value = std::move(value);
  return s;
}
StmtPtr makeStoreSynapse(uint32_t proj, uint32_t var, ExprRef index, ExprRef value) {
  auto s = makeStore(proj, var, std::move(index), std::move(value));
  s->onSynapse = true;
  return s;
}
StmtPtr makeIf(ExprRef cond, Block body, Block elseBody) {
  auto s = std::make_unique<Stmt>();
  s->kind = Stmt::Kind::If;
  s->value = std::move(cond);
  s->body = std::move(body);
  s->elseBody = std::move(elseBody);
  return s;
}
StmtPtr makeLoop(std::string var, int64_t begin, int64_t end, Block body) {
  auto s = std::make_unique<Stmt>();
  s->kind = Stmt::Kind::Loop;
  s->name = std::move(var);
  s->begin = begin;
  s->end = end;
  s->body = std::move(body);
  return s;
}
StmtPtr makeLoop(std::string var, ExprRef from, ExprRef to, Block body) {
  auto s = makeLoop(std::move(var), 0, 0, std::move(body));
  s->from = std::move(from);
  s->to = std::move(to);
  return s;
}
StmtPtr makeVar(std::string name, ExprRef value) {
  auto s = makeLet(std::move(name), std::move(value));
  s->kind = Stmt::Kind::Var;
  return s;
}
StmtPtr makeAssign(std::string name, ExprRef value) {
  auto s = makeLet(std::move(name), std::move(value));
  s->kind = Stmt::Kind::Assign;
  return s;
}
StmtPtr makeWhile(ExprRef cond, Block body) {
  auto s = makeIf(std::move(cond), std::move(body));
  s->kind = Stmt::Kind::While;
  return s;
}
StmtPtr makeBufStore(Buffer b, uint32_t owner, ExprRef index, ExprRef value) {
  auto s = std::make_unique<Stmt>();
  s->kind = Stmt::Kind::BufStore;
  s->buffer = b;
  s->pop = owner;
  s->index = std::move(index);
  s->value = std::move(value);
  return s;
}
StmtPtr makePrefetch(Buffer b, uint32_t owner, ExprRef index) {
  auto s = makeBufStore(b, owner, std::move(index), nullptr);
  s->kind = Stmt::Kind::Prefetch;
  return s;
}
StmtPtr makePrefetchSynapse(uint32_t proj, uint32_t var, ExprRef index) {
  auto s = makePrefetch(Buffer::Col, proj, std::move(index));
  s->onSynapse = true;
  s->var = var;
  return s;
}
StmtPtr makeForSpikes(std::string var, uint32_t pop, int64_t begin, int64_t end, Block body) {
  auto s = std::make_unique<Stmt>();
  s->kind = Stmt::Kind::ForSpikes;
  s->name = std::move(var);
  s->pop = pop;
  s->begin = begin;
  s->end = end;
  s->body = std::move(body);
  return s;
}
StmtPtr makeNote(std::string text) {
  auto s = std::make_unique<Stmt>();
  s->kind = Stmt::Kind::Note;
  s->name = std::move(text);
  return s;
}

int Projection::findVar(const std::string &n) const {
  for (size_t i = 0; i < vars.size(); ++i)
    if (vars[i].name == n)
      return static_cast<int>(i);
  return -1;
}

int Population::findVar(const std::string &n) const {
  for (size_t i = 0; i < vars.size(); ++i)
    if (vars[i].name == n)
      return static_cast<int>(i);
  return -1;
}

ExprRef mapExpr(const ExprRef &e, const ExprRewrite &f) {
  std::vector<ExprRef> args;
  bool changed = false;
  for (auto &a : e->args) {
    args.push_back(mapExpr(a, f));
    changed = changed || args.back() != a;
  }
  return f(changed ? withArgs(*e, std::move(args)) : e);
}

void rewriteStmtExprs(Block &b, const ExprRewrite &f) {
  for (auto &s : b) {
    if (s->index)
      s->index = f(s->index);
    if (s->value)
      s->value = f(s->value);
    if (s->from)
      s->from = f(s->from);
    if (s->to)
      s->to = f(s->to);
    rewriteStmtExprs(s->body, f);
    rewriteStmtExprs(s->elseBody, f);
  }
}

void mapBlockExprs(Block &b, const ExprRewrite &f) {
  rewriteStmtExprs(b, [&f](const ExprRef &e) { return mapExpr(e, f); });
}

void mapModuleExprs(Module &m, const ExprRewrite &f) {
  for (auto &p : m.populations)
    for (auto &pr : p.params)
      pr.value = mapExpr(pr.value, f);
  for (auto &p : m.projections)
    for (auto &pr : p.params)
      pr.value = mapExpr(pr.value, f);
  forEachKernel(m, [&](Kernel &k) { mapBlockExprs(k.body, f); });
}

void forEachKernel(Module &m, const std::function<void(Kernel &)> &f) {
  for (auto &k : m.connect)
    f(k);
  for (auto &k : m.init)
    f(k);
  for (auto &k : m.step)
    f(k);
}

void expandStmts(Block &b, const StmtExpansion &f) {
  Block out;
  out.reserve(b.size());
  for (auto &s : b) {
    expandStmts(s->body, f);
    expandStmts(s->elseBody, f);
    Block replacement;
    if (!f(*s, replacement)) {
      out.push_back(std::move(s));
      continue;
    }
    for (auto &r : replacement)
      out.push_back(std::move(r));
  }
  b = std::move(out);
}

void expandModuleStmts(Module &m, const StmtExpansion &f) {
  forEachKernel(m, [&](Kernel &k) { expandStmts(k.body, f); });
}

std::string qualifiedName(const RuntimeParam &rp) {
  return rp.owner.empty() ? rp.name : rp.owner + "." + rp.name;
}

} // namespace snn::ir
