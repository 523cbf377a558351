// The IR's text form read back (see IRParser.h): a lexer, a recursive-descent parser for the
// declarations and statements, and expressions read in two steps — first a tree of names
// resolved to the module's entities, then typed from the outside in, so that a bare `1` becomes
// the real, i32 or i64 its context needs (the printer writes `1` for both the real and the i32).
#include "snn/IR/IRParser.h"

#include "snn/Sema/Units.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

namespace snn::ir {
namespace {

// ---- Tokens -----------------------------------------------------------------------------------

enum class Tok {
  End,
  Ident,   // name, keyword
  Number,  // 12, 0.5, 1e-05, 3u, 3ul, 3l (suffix kept in `suffix`)
  Local,   // %name
  Const,   // @name (a constant table)
  String,  // "text"
  Comment, // ; text to the end of the line
  Punct,   // ( ) [ ] { } , : = . + - * / % ^ $ < <= > >= == != << >> ->
};

struct Token {
  Tok kind = Tok::End;
  std::string text;
  std::string suffix; // Number: "", "u", "ul", "l"
  SourceLoc loc;
};

bool identStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

struct ParseError {};

class Lexer {
public:
  Lexer(const std::string &text, uint32_t file, DiagnosticEngine &diags)
      : s_(text), file_(file), diags_(diags) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      skipSpace();
      Token t;
      t.loc = {file_, line_, static_cast<uint32_t>(pos_ - lineStart_ + 1)};
      if (pos_ >= s_.size()) {
        out.push_back(t);
        return out;
      }
      char c = s_[pos_];
      if (c == ';') {
        size_t e = s_.find('\n', pos_);
        if (e == std::string::npos)
          e = s_.size();
        size_t b = pos_ + 1;
        while (b < e && s_[b] == ' ')
          ++b;
        t.kind = Tok::Comment;
        t.text = s_.substr(b, e - b);
        pos_ = e;
      } else if (identStart(c)) {
        t.kind = Tok::Ident;
        t.text = take(identChar);
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        number(t);
      } else if ((c == '%' || c == '@') && pos_ + 1 < s_.size() &&
                 (identChar(s_[pos_ + 1]) || s_[pos_ + 1] == '.')) {
        t.kind = c == '%' ? Tok::Local : Tok::Const;
        ++pos_;
        t.text = take([](char ch) { return identChar(ch) || ch == '.'; });
      } else if (c == '"') {
        size_t e = s_.find_first_of("\"\n", pos_ + 1);
        if (e == std::string::npos || s_[e] != '"')
          fail(t.loc, "unterminated string");
        t.kind = Tok::String;
        t.text = s_.substr(pos_ + 1, e - pos_ - 1);
        pos_ = e + 1;
      } else {
        static const char *const two[] = {"<=", ">=", "==", "!=", "<<", ">>", "->"};
        t.kind = Tok::Punct;
        for (const char *p : two)
          if (s_.compare(pos_, 2, p) == 0)
            t.text = p;
        if (t.text.empty()) {
          if (std::string_view("()[]{},:=.+-*/%^$<>").find(c) == std::string_view::npos)
            fail(t.loc, c >= 32 && c < 127 ? std::string("unexpected character '") + c + "'"
                                           : "unexpected byte " + std::to_string(
                                                                     static_cast<unsigned char>(c)));
          t.text = std::string(1, c);
        }
        pos_ += t.text.size();
      }
      out.push_back(std::move(t));
    }
  }

private:
  [[noreturn]] void fail(SourceLoc loc, const std::string &msg) {
    diags_.error(loc, msg);
    throw ParseError{};
  }

  template <class Pred> std::string take(Pred p) {
    size_t b = pos_;
    while (pos_ < s_.size() && p(s_[pos_]))
      ++pos_;
    return s_.substr(b, pos_ - b);
  }

  void skipSpace() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\n') {
        ++line_;
        lineStart_ = ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/') {
        while (pos_ < s_.size() && s_[pos_] != '\n') // `// ----- IR after ...`
          ++pos_;
      } else {
        return;
      }
    }
  }

  void number(Token &t) {
    auto digits = [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; };
    t.kind = Tok::Number;
    size_t b = pos_;
    take(digits);
    if (pos_ + 1 < s_.size() && s_[pos_] == '.' && digits(s_[pos_ + 1])) {
      ++pos_;
      take(digits);
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      size_t q = pos_ + 1;
      if (q < s_.size() && (s_[q] == '+' || s_[q] == '-'))
        ++q;
      if (q < s_.size() && digits(s_[q])) {
        pos_ = q;
        take(digits);
      }
    }
    t.text = s_.substr(b, pos_ - b);
    for (const char *suf : {"ul", "u", "l"}) {
      size_t n = std::char_traits<char>::length(suf);
      if (s_.compare(pos_, n, suf) == 0 && (pos_ + n >= s_.size() || !identChar(s_[pos_ + n]))) {
        t.suffix = suf;
        pos_ += n;
        break;
      }
    }
    if (pos_ < s_.size() && identChar(s_[pos_]))
      fail(t.loc, "malformed number '" + t.text + take(identChar) + "'");
  }

  const std::string &s_;
  uint32_t file_;
  DiagnosticEngine &diags_;
  size_t pos_ = 0, lineStart_ = 0;
  uint32_t line_ = 1;
};

// ---- Untyped expressions ----------------------------------------------------------------------

/// An expression with its names resolved but bare numbers not yet typed. `node` holds the op and
/// every attribute; for a number, `intLike` says whether it could be an integer (no point, no
/// exponent) and `typed` whether a suffix fixed its type.
struct Raw {
  Expr node;
  bool typed = true;   // node.type is known (false: a bare number, typed by its context)
  bool intLike = false;
  bool realCast = false; // `real(x)`: ToReal of an i32, a Cast of the other integers
  SourceLoc loc;
  std::vector<std::unique_ptr<Raw>> args;
};
using RawPtr = std::unique_ptr<Raw>;

bool isComparison(Op op) {
  return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge || op == Op::Eq ||
         op == Op::Ne;
}

/// The type `r` has whatever its context, if that is known without one.
std::optional<Type> infer(const Raw &r) {
  const Expr &e = r.node;
  auto either = [&]() -> std::optional<Type> {
    for (auto &a : r.args)
      if (auto t = infer(*a))
        return t;
    return std::nullopt;
  };
  switch (e.op) {
  case Op::Const: case Op::IntConst:
    if (r.typed)
      return e.type;
    return r.intLike ? std::nullopt : std::optional<Type>(Type::Real);
  case Op::Neg: return infer(*r.args[0]);
  case Op::Not: return Type::Bool;
  case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Pow: case Op::Min:
  case Op::Max: case Op::Rem: case Op::Xor: case Op::Shl: case Op::LShr:
    return either();
  case Op::And: case Op::Or: {
    auto t = either();
    if (t && (*t == Type::U32 || *t == Type::U64))
      return t;
    return Type::Bool;
  }
  case Op::Select: {
    if (auto t = infer(*r.args[1]))
      return t;
    return infer(*r.args[2]);
  }
  default:
    if (isComparison(e.op))
      return Type::Bool;
    return e.type; // leaves, calls, conversions: fixed when they were read
  }
}

/// Builds the typed expression of `r` where a value of type `want` is expected (if known).
ExprRef build(const Raw &r, std::optional<Type> want) {
  const Expr &e = r.node;
  auto arg = [&](size_t k, std::optional<Type> t) { return build(*r.args[k], t); };
  auto operandType = [&]() -> std::optional<Type> {
    if (auto t = infer(*r.args[0]))
      return t;
    return infer(*r.args[1]);
  };
  switch (e.op) {
  case Op::Const: case Op::IntConst: {
    Type t = r.typed          ? e.type
             : !r.intLike     ? Type::Real
             : want && *want != Type::Bool ? *want
                                           : Type::I32;
    if (t == Type::Real)
      return real(e.value);
    auto n = std::make_shared<Expr>(*uconst(0, t));
    n->value = e.value; // negative integers too
    return n;
  }
  case Op::Neg: return unary(Op::Neg, arg(0, want));
  case Op::Not: return unary(Op::Not, arg(0, Type::Bool));
  case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Pow: case Op::Min:
  case Op::Max: case Op::Rem: case Op::Xor: case Op::Shl: case Op::LShr: {
    auto t = operandType();
    if (!t)
      t = want;
    return binary(e.op, arg(0, t), arg(1, t));
  }
  case Op::And: case Op::Or: {
    auto t = operandType();
    if (!t)
      t = want ? want : std::optional<Type>(Type::Bool);
    return binary(e.op, arg(0, t), arg(1, t));
  }
  case Op::Select: {
    auto t = infer(*r.args[1]);
    if (!t)
      t = infer(*r.args[2]);
    if (!t)
      t = want;
    return select(arg(0, Type::Bool), arg(1, t), arg(2, t));
  }
  case Op::Call: {
    std::vector<ExprRef> args;
    for (size_t k = 0; k < r.args.size(); ++k)
      args.push_back(arg(k, Type::Real));
    return call(e.name, std::move(args));
  }
  case Op::ToInt: return toInt(arg(0, Type::Real));
  case Op::Cast: {
    auto from = infer(*r.args[0]);
    ExprRef a = arg(0, from ? from : std::optional<Type>(Type::I32));
    if (r.realCast && a->type != Type::U32 && a->type != Type::U64 && a->type != Type::I64)
      return toReal(a);
    return cast(a, e.type);
  }
  case Op::Philox:
    return withArgs(e, {arg(0, Type::U64), arg(1, Type::U64), arg(2, Type::U64)});
  case Op::Table: return withArgs(e, {arg(0, Type::Real)});
  case Op::PoissonInv: return poissonInv(arg(0, Type::Real), arg(1, Type::Real));
  case Op::CountBelow: return countBelow(e.var, arg(0, Type::Real));
  case Op::BinomialInv:
    return binomialInv(arg(0, Type::Real), arg(1, Type::Real), arg(2, Type::Real));
  default:
    if (isComparison(e.op)) {
      auto t = operandType();
      return binary(e.op, arg(0, t), arg(1, t));
    }
    if (r.args.empty())
      return std::make_shared<Expr>(e);
    { // indexed leaves: loads, buffer and table reads, random numbers
      auto t = infer(*r.args[0]);
      return withArgs(e, {arg(0, t ? t : std::optional<Type>(Type::I32))});
    }
  }
}

bool typeFromName(const std::string &n, Type &t) {
  for (Type c : {Type::Real, Type::I32, Type::Bool, Type::U32, Type::U64, Type::I64})
    if (n == typeName(c)) {
      t = c;
      return true;
    }
  return false;
}

// ---- The parser -------------------------------------------------------------------------------

/// Nesting beyond this is refused (a diagnostic, never a stack overflow); the front end's limit.
constexpr int kMaxDepth = 100000;

class Parser {
public:
  Parser(std::vector<Token> toks, DiagnosticEngine &diags) : t_(std::move(toks)), diags_(diags) {}

  Module module() {
    expectWord("module");
    m_.name = name("a module name");
    for (const char *key : {"dt", "duration", "seed", "precision", "streams"}) {
      expectWord(key);
      expect("=");
      if (std::string(key) == "dt")
        m_.dt = number();
      else if (std::string(key) == "duration")
        m_.duration = number();
      else if (std::string(key) == "seed")
        m_.seed = unsignedNumber();
      else if (std::string(key) == "streams")
        m_.streams = unsignedNumber();
      else {
        std::string p = name("float64 or float32");
        if (p != "float64" && p != "float32")
          fail(prev().loc, "expected float64 or float32, found '" + p + "'");
        m_.precision = p == "float32" ? Precision::Float32 : Precision::Float64;
      }
    }
    if (isWord("unsplittable")) {
      next();
      m_.unsplittable = str();
    }
    while (isWord("table"))
      timedArray();
    while (isWord("population"))
      population();
    while (isWord("projection"))
      projection();
    while (isWord("record"))
      recorder();
    while (isWord("const"))
      constTable();
    resolveLists();
    while (isWord("runtime"))
      runtimeParam();
    while (isWord("change"))
      change();
    while (isWord("system"))
      runtimeSystem();
    if (acceptWord("connect"))
      kernels(Phase::Connect, m_.connect);
    expectWord("init");
    kernels(Phase::Init, m_.init);
    expectWord("step");
    kernels(Phase::Update, m_.step);
    if (peek().kind != Tok::End)
      fail(peek().loc, "expected the end of the module, found " + describe(peek()));
    return std::move(m_);
  }

private:
  // -- Tokens --

  const Token &peek(size_t k = 0) const { return t_[std::min(p_ + k, t_.size() - 1)]; }
  const Token &prev() const { return t_[p_ ? p_ - 1 : 0]; }
  const Token &next() {
    const Token &t = t_[p_];
    if (p_ + 1 < t_.size())
      ++p_;
    return t;
  }
  bool isPunct(const char *p, size_t k = 0) const {
    return peek(k).kind == Tok::Punct && peek(k).text == p;
  }
  bool isWord(const char *w, size_t k = 0) const {
    return peek(k).kind == Tok::Ident && peek(k).text == w;
  }
  bool accept(const char *p) {
    if (!isPunct(p))
      return false;
    next();
    return true;
  }
  bool acceptWord(const char *w) {
    if (!isWord(w))
      return false;
    next();
    return true;
  }
  static std::string describe(const Token &t) {
    switch (t.kind) {
    case Tok::End: return "the end of the file";
    case Tok::Comment: return "a comment";
    case Tok::Local: return "'%" + t.text + "'";
    case Tok::Const: return "'@" + t.text + "'";
    case Tok::String: return "a string";
    default: return "'" + t.text + t.suffix + "'";
    }
  }
  [[noreturn]] void fail(SourceLoc loc, const std::string &msg) {
    diags_.error(loc, msg);
    throw ParseError{};
  }
  void expect(const char *p) {
    if (!accept(p))
      fail(peek().loc, std::string("expected '") + p + "', found " + describe(peek()));
  }
  void expectWord(const char *w) {
    if (!acceptWord(w))
      fail(peek().loc, std::string("expected '") + w + "', found " + describe(peek()));
  }
  std::string name(const char *what) {
    if (peek().kind != Tok::Ident)
      fail(peek().loc, std::string("expected ") + what + ", found " + describe(peek()));
    return next().text;
  }
  /// A dotted name: `deliver.P_to_Q`.
  std::string dottedName(const char *what) {
    std::string n = name(what);
    while (isPunct(".") && peek(1).kind == Tok::Ident) {
      next();
      n += "." + next().text;
    }
    return n;
  }
  std::string localName() {
    if (peek().kind != Tok::Local)
      fail(peek().loc, "expected a local ('%name'), found " + describe(peek()));
    return next().text;
  }
  std::string str() {
    if (peek().kind != Tok::String)
      fail(peek().loc, "expected a string, found " + describe(peek()));
    return next().text;
  }

  /// A number as written, with an optional sign; `nan`, `inf`, `-inf`.
  double number() {
    bool neg = accept("-");
    double v;
    if (isWord("nan") || isWord("inf")) {
      v = next().text == "nan" ? NAN : HUGE_VAL;
    } else {
      if (peek().kind != Tok::Number)
        fail(peek().loc, "expected a number, found " + describe(peek()));
      v = std::strtod(next().text.c_str(), nullptr);
    }
    return neg ? -v : v;
  }
  int64_t integer() {
    bool neg = accept("-");
    if (peek().kind != Tok::Number || peek().text.find_first_of(".eE") != std::string::npos)
      fail(peek().loc, "expected an integer, found " + describe(peek()));
    const Token &t = next();
    errno = 0;
    unsigned long long v = std::strtoull(t.text.c_str(), nullptr, 10);
    if (errno == ERANGE || v > (neg ? 9223372036854775808ull : 9223372036854775807ull))
      fail(t.loc, "integer " + t.text + " out of range");
    return neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  }
  uint64_t unsignedNumber() {
    if (peek().kind != Tok::Number || peek().text.find_first_of(".eE") != std::string::npos)
      fail(peek().loc, "expected an unsigned integer, found " + describe(peek()));
    const Token &t = next();
    errno = 0;
    unsigned long long v = std::strtoull(t.text.c_str(), nullptr, 10);
    if (errno == ERANGE)
      fail(t.loc, "integer " + t.text + " out of range");
    return v;
  }
  uint32_t count(const char *what) {
    SourceLoc loc = peek().loc;
    int64_t v = integer();
    if (v < 0 || v > UINT32_MAX)
      fail(loc, std::string(what) + " must be between 0 and 4294967295");
    return static_cast<uint32_t>(v);
  }
  Type type() {
    Type t;
    std::string n = name("a type");
    if (!typeFromName(n, t))
      fail(prev().loc, "unknown type '" + n + "' (real, i32, i64, u32, u64 or bool)");
    return t;
  }
  /// [item, item, ...]
  template <class F> void list(F item) {
    expect("[");
    if (accept("]"))
      return;
    do
      item();
    while (accept(","));
    expect("]");
  }

  // -- Names --

  int findPop(const std::string &n) const {
    for (size_t k = 0; k < m_.populations.size(); ++k)
      if (m_.populations[k].name == n)
        return static_cast<int>(k);
    return -1;
  }
  int findProj(const std::string &n) const {
    for (size_t k = 0; k < m_.projections.size(); ++k)
      if (m_.projections[k].name == n)
        return static_cast<int>(k);
    return -1;
  }
  uint32_t pop(const std::string &n, SourceLoc loc) {
    int p = findPop(n);
    if (p < 0)
      fail(loc, "no population named '" + n + "'");
    return static_cast<uint32_t>(p);
  }
  uint32_t proj(const std::string &n, SourceLoc loc) {
    int p = findProj(n);
    if (p < 0)
      fail(loc, "no projection named '" + n + "'");
    return static_cast<uint32_t>(p);
  }
  uint32_t popVar(uint32_t p, const std::string &v, SourceLoc loc) {
    int k = m_.populations[p].findVar(v);
    if (k < 0)
      fail(loc, "population '" + m_.populations[p].name + "' has no variable '" + v + "'");
    return static_cast<uint32_t>(k);
  }
  uint32_t synVar(uint32_t j, const std::string &v, SourceLoc loc) {
    int k = m_.projections[j].findVar(v);
    if (k < 0)
      fail(loc, "projection '" + m_.projections[j].name + "' has no synapse variable '" + v + "'");
    return static_cast<uint32_t>(k);
  }

  /// A population or projection named by the next token.
  uint32_t popNamed() {
    SourceLoc loc = peek().loc;
    return pop(name("a population"), loc);
  }
  uint32_t projNamed() {
    SourceLoc loc = peek().loc;
    return proj(name("a projection"), loc);
  }
  /// `[a, b)` with integer bounds.
  void intRange(int64_t &begin, int64_t &end) {
    expect("[");
    begin = integer();
    expect(",");
    end = integer();
    expect(")");
  }

  /// `Owner.var`: a state variable of a population or a synapse variable of a projection.
  struct VarRef {
    uint32_t owner = 0, var = 0;
    bool onSynapse = false;
    Type type = Type::Real;
  };
  VarRef varRef() {
    SourceLoc loc = peek().loc;
    return varOf(name("a population or projection"), loc);
  }
  /// The `.var` after `owner` (read at `loc`).
  VarRef varOf(const std::string &owner, SourceLoc loc) {
    expect(".");
    SourceLoc vloc = peek().loc;
    std::string v = name("a variable");
    VarRef r;
    if (int p = findPop(owner); p >= 0) {
      r.owner = static_cast<uint32_t>(p);
      r.var = popVar(r.owner, v, vloc);
      r.type = m_.populations[r.owner].vars[r.var].type;
    } else if (int j = findProj(owner); j >= 0) {
      r.owner = static_cast<uint32_t>(j);
      r.onSynapse = true;
      r.var = synVar(r.owner, v, vloc);
      r.type = m_.projections[r.owner].vars[r.var].type;
    } else {
      fail(loc, "no population or projection named '" + owner + "'");
    }
    return r;
  }
  /// `Owner:buffer`.
  std::pair<Buffer, uint32_t> bufferRef() {
    SourceLoc loc = peek().loc;
    return bufferOf(name("a population or projection"), loc);
  }
  /// The `:buffer` after `owner` (read at `loc`).
  std::pair<Buffer, uint32_t> bufferOf(const std::string &owner, SourceLoc loc) {
    expect(":");
    SourceLoc bloc = peek().loc;
    std::string b = name("a buffer name");
    for (int k = 0; k <= static_cast<int>(Buffer::PostPre); ++k) {
      auto buf = static_cast<Buffer>(k);
      if (b != bufferName(buf))
        continue;
      return {buf, bufferOfPopulation(buf) ? pop(owner, loc) : proj(owner, loc)};
    }
    fail(bloc, "unknown buffer '" + b + "'");
  }

  // -- Expressions --

  ExprRef expr(std::optional<Type> want) {
    RawPtr r = orExpr();
    return build(*r, want);
  }

  RawPtr leaf(Op op, Type t, SourceLoc loc) {
    auto r = std::make_unique<Raw>();
    r->node.op = op;
    r->node.type = t;
    r->loc = loc;
    return r;
  }
  RawPtr node(Op op, SourceLoc loc, std::vector<RawPtr> args) {
    auto r = leaf(op, Type::Real, loc);
    r->args = std::move(args);
    return r;
  }
  template <class... A> std::vector<RawPtr> vec(A... a) {
    std::vector<RawPtr> v;
    (v.push_back(std::move(a)), ...);
    return v;
  }

  struct Depth {
    Parser &p;
    explicit Depth(Parser &q) : p(q) {
      if (++p.depth_ > kMaxDepth)
        p.fail(p.peek().loc, "expression nested more than " + std::to_string(kMaxDepth) +
                                 " deep");
    }
    ~Depth() { --p.depth_; }
  };

  template <class Next>
  RawPtr leftAssoc(Next sub, std::initializer_list<std::pair<const char *, Op>> ops, bool words) {
    RawPtr l = (this->*sub)();
    for (;;) {
      const std::pair<const char *, Op> *hit = nullptr;
      for (auto &o : ops)
        if (words ? isWord(o.first) : isPunct(o.first))
          hit = &o;
      if (!hit)
        return l;
      SourceLoc loc = next().loc;
      RawPtr r = (this->*sub)();
      l = node(hit->second, loc, vec(std::move(l), std::move(r)));
    }
  }
  RawPtr orExpr() { return leftAssoc(&Parser::andExpr, {{"or", Op::Or}}, true); }
  RawPtr andExpr() {
    return leftAssoc(&Parser::notExpr, {{"and", Op::And}, {"xor", Op::Xor}}, true);
  }
  RawPtr notExpr() {
    Depth d(*this);
    if (isWord("not")) {
      SourceLoc loc = next().loc;
      return node(Op::Not, loc, vec(notExpr()));
    }
    return cmpExpr();
  }
  RawPtr cmpExpr() {
    return leftAssoc(&Parser::shiftExpr,
                     {{"<", Op::Lt}, {"<=", Op::Le}, {">", Op::Gt}, {">=", Op::Ge},
                      {"==", Op::Eq}, {"!=", Op::Ne}},
                     false);
  }
  RawPtr shiftExpr() {
    return leftAssoc(&Parser::addExpr, {{"<<", Op::Shl}, {">>", Op::LShr}}, false);
  }
  RawPtr addExpr() { return leftAssoc(&Parser::mulExpr, {{"+", Op::Add}, {"-", Op::Sub}}, false); }
  RawPtr mulExpr() {
    return leftAssoc(&Parser::unaryExpr, {{"*", Op::Mul}, {"/", Op::Div}, {"%", Op::Rem}}, false);
  }
  RawPtr unaryExpr() {
    Depth d(*this);
    if (!isPunct("-"))
      return powExpr();
    SourceLoc loc = next().loc;
    // `-2` is the number -2 unless a power follows (`-2 ^ 2` is -(2 ^ 2)); the printer brackets
    // a negative number where a negation would be bracketed.
    size_t after = peek(1).kind == Tok::Ident && peek(1).loc.line == peek().loc.line &&
                           lookupUnit(peek(1).text)
                       ? 2
                       : 1;
    if ((peek().kind == Tok::Number || isWord("inf")) && !isPunct("^", after)) {
      RawPtr n = numberLeaf();
      n->node.value = -n->node.value;
      n->loc = loc;
      return n;
    }
    return node(Op::Neg, loc, vec(unaryExpr()));
  }
  RawPtr powExpr() {
    RawPtr base = primary();
    if (!isPunct("^"))
      return base;
    Depth d(*this);
    SourceLoc loc = next().loc;
    return node(Op::Pow, loc, vec(std::move(base), powExpr()));
  }

  /// A number, or a quantity (`20 ms`).
  RawPtr numberLeaf() {
    const Token &t = next();
    auto r = leaf(Op::Const, Type::Real, t.loc);
    if (t.kind == Tok::Ident) { // inf, nan
      r->node.value = t.text == "nan" ? NAN : HUGE_VAL;
      return r;
    }
    r->node.value = std::strtod(t.text.c_str(), nullptr);
    if (!t.suffix.empty()) {
      r->node.op = Op::IntConst;
      r->node.type = t.suffix == "u" ? Type::U32 : t.suffix == "ul" ? Type::U64 : Type::I64;
      return r;
    }
    if (peek().kind == Tok::Ident && peek().loc.line == t.loc.line) { // `20 ms`
      if (const UnitInfo *u = lookupUnit(peek().text)) {
        r->node.op = Op::Quantity;
        r->node.name = next().text;
        r->node.scale = u->scale;
        return r;
      }
    }
    r->typed = false;
    r->intLike = t.text.find_first_of(".eE") == std::string::npos;
    if (r->intLike)
      r->node.op = Op::IntConst; // the op only; build() decides
    return r;
  }

  std::vector<RawPtr> callArgs() {
    expect("(");
    std::vector<RawPtr> args;
    if (accept(")"))
      return args;
    do
      args.push_back(orExpr());
    while (accept(","));
    expect(")");
    return args;
  }
  std::vector<RawPtr> callArgs(size_t n, const std::string &fn, SourceLoc loc) {
    auto args = callArgs();
    if (args.size() != n)
      fail(loc, fn + " takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") + ", got " +
                    std::to_string(args.size()));
    return args;
  }
  RawPtr indexed(RawPtr r) {
    expect("[");
    r->args.push_back(orExpr());
    expect("]");
    return r;
  }

  RawPtr primary() {
    Depth d(*this);
    const Token &t = peek();
    SourceLoc loc = t.loc;
    switch (t.kind) {
    case Tok::Number: return numberLeaf();
    case Tok::Local: {
      std::string n = next().text;
      auto f = locals_.find(n);
      if (f == locals_.end())
        fail(loc, "use of undeclared local '%" + n + "'");
      auto r = leaf(Op::Local, f->second, loc);
      r->node.name = n;
      return r;
    }
    case Tok::Const: {
      std::string n = next().text;
      for (size_t k = 0; k < m_.constants.size(); ++k)
        if (m_.constants[k].name == n) {
          auto r = leaf(Op::ConstLoad, m_.constants[k].type, loc);
          r->node.var = static_cast<uint32_t>(k);
          return indexed(std::move(r));
        }
      fail(loc, "no constant table named '@" + n + "'");
    }
    case Tok::Punct:
      if (accept("(")) {
        RawPtr r = orExpr();
        expect(")");
        return r;
      }
      if (accept("$")) {
        auto r = leaf(Op::Param, Type::Real, loc);
        if (!accept(".")) { // `$.x`: a network constant
          r->node.owner = name("a population or projection");
          expect(".");
        }
        r->node.name = name("a parameter");
        return r;
      }
      break;
    case Tok::Ident: return named();
    default: break;
    }
    fail(loc, "expected an expression, found " + describe(t));
  }

  RawPtr named() {
    SourceLoc loc = peek().loc;
    const std::string n = peek().text;
    if (isPunct(".", 1)) {
      VarRef v = varRef();
      auto r = leaf(Op::Load, v.type, loc);
      r->node.pop = v.owner;
      r->node.var = v.var;
      r->node.onSynapse = v.onSynapse;
      return indexed(std::move(r));
    }
    if (isPunct(":", 1)) {
      auto [b, owner] = bufferRef();
      auto r = leaf(Op::BufLoad, bufferType(b), loc);
      r->node.buffer = b;
      r->node.pop = owner;
      return indexed(std::move(r));
    }
    static const std::map<std::string, std::pair<Op, Type>> words = {
        {"t", {Op::Time, Type::Real}},           {"step", {Op::Step, Type::U64}},
        {"seed", {Op::Seed, Type::U64}},         {"range_begin", {Op::RangeBegin, Type::I32}},
        {"range_end", {Op::RangeEnd, Type::I32}}};
    if (!isPunct("(", 1)) {
      if (auto w = words.find(n); w != words.end()) {
        next();
        return leaf(w->second.first, w->second.second, loc);
      }
      if (n == "true" || n == "false") {
        next();
        auto r = leaf(Op::BoolConst, Type::Bool, loc);
        r->node.value = n == "true";
        return r;
      }
      if (n == "nan" || n == "inf")
        return numberLeaf();
      fail(loc, "unknown name '" + n + "'");
    }
    next();
    if (n == "rand_uniform" || n == "rand_normal") {
      auto r = leaf(Op::Rand, Type::Real, loc);
      r->node.dist = n == "rand_uniform" ? RandDist::Uniform : RandDist::Normal;
      expect("(");
      expectWord("stream");
      r->node.stream = unsignedNumber();
      expect(",");
      if (isWord("step") && isPunct(",", 1)) {
        next();
        next();
        r->node.perStep = true;
      }
      r->args.push_back(orExpr());
      expect(")");
      return r;
    }
    if (n.size() == 7 && n.compare(0, 6, "philox") == 0 && n[6] >= '0' && n[6] <= '3') {
      auto r = leaf(Op::Philox, Type::U32, loc);
      r->node.var = static_cast<uint32_t>(n[6] - '0');
      r->args = callArgs(3, n, loc);
      return r;
    }
    if (n == "select")
      return node(Op::Select, loc, callArgs(3, n, loc));
    if (n == "poisson_inv")
      return node(Op::PoissonInv, loc, callArgs(2, n, loc));
    if (n == "count_below") { // count_below(@table, x)
      expect("(");
      SourceLoc at = peek().loc;
      if (peek().kind != Tok::Const)
        fail(at, "expected a constant table (@name) in count_below");
      std::string t = next().text;
      auto r = leaf(Op::CountBelow, Type::I32, loc);
      r->node.var = UINT32_MAX;
      for (size_t k = 0; k < m_.constants.size(); ++k)
        if (m_.constants[k].name == t)
          r->node.var = static_cast<uint32_t>(k);
      if (r->node.var == UINT32_MAX)
        fail(at, "no constant table named '@" + t + "'");
      expect(",");
      r->args.push_back(orExpr());
      expect(")");
      return r;
    }
    if (n == "binomial_inv")
      return node(Op::BinomialInv, loc, callArgs(3, n, loc));
    if (n == "min" || n == "max")
      return node(n == "min" ? Op::Min : Op::Max, loc, callArgs(2, n, loc));
    if (n == "int") {
      auto r = node(Op::ToInt, loc, callArgs(1, n, loc));
      r->node.type = Type::I32;
      return r;
    }
    if (Type t; typeFromName(n, t)) {
      auto r = node(Op::Cast, loc, callArgs(1, n, loc));
      r->node.type = t;
      r->realCast = t == Type::Real;
      return r;
    }
    for (size_t k = 0; k < m_.tables.size(); ++k)
      if (m_.tables[k].name == n) {
        auto r = node(Op::Table, loc, callArgs(1, n, loc));
        r->node.var = static_cast<uint32_t>(k);
        return r;
      }
    if (!isMathFunction(n))
      fail(loc, "unknown function '" + n + "'");
    auto r = node(Op::Call, loc, callArgs(1, n, loc));
    r->node.name = n;
    return r;
  }

  // -- Declarations --

  void timedArray() {
    next();
    TimedArray a;
    a.name = name("a timed array name");
    expectWord("interval");
    expect("=");
    a.interval = number();
    list([&] { a.values.push_back(number()); });
    m_.tables.push_back(std::move(a));
  }

  void params(std::vector<Param> &out) {
    while (acceptWord("param")) {
      Param p;
      p.name = name("a parameter name");
      expect("=");
      p.value = expr(Type::Real);
      if (isPunct("(") && isWord("runtime", 1)) {
        next();
        next();
        expect(")");
        p.runtime = true;
      }
      out.push_back(std::move(p));
    }
  }

  void vars(std::vector<Var> &out, bool perSynapse) {
    while (acceptWord("var")) {
      std::string n = name("a variable name");
      expect(":");
      Type t = type();
      bool scalar = acceptWord("scalar");
      if (perSynapse) {
        expect("(");
        expectWord("per");
        expectWord("synapse");
        expect(")");
      }
      std::string unit;
      if (acceptWord("unit"))
        unit = str();
      out.emplace_back(n, t, scalar, unit);
    }
  }

  int varIndex(const Population &p, const char *what) {
    SourceLoc loc = peek().loc;
    std::string v = name(what);
    int k = p.findVar(v);
    if (k < 0)
      fail(loc, "population '" + p.name + "' has no variable '" + v + "'");
    return k;
  }

  void population() {
    Population p;
    p.loc = next().loc;
    p.name = name("a population name");
    if (findPop(p.name) >= 0 || findProj(p.name) >= 0)
      fail(prev().loc, "redefinition of '" + p.name + "'");
    expect("[");
    p.size = count("a population size");
    expect("]");
    expect("{");
    params(p.params);
    vars(p.vars, false);
    expectWord("model");
    p.model = name("a neuron model name");
    if (isWord("method")) {
      p.methodLoc = next().loc;
      SourceLoc loc = peek().loc;
      std::string mn = name("an integration method");
      bool found = false;
      for (Method c : {Method::Auto, Method::Exact, Method::ExponentialEuler, Method::RK4,
                       Method::RK2, Method::Euler})
        if (mn == methodName(c)) {
          p.method = c;
          found = true;
        }
      if (!found)
        fail(loc, "unknown integration method '" + mn + "'");
    }
    if (acceptWord("refractory_var"))
      p.refractoryVar = varIndex(p, "the refractory countdown");
    if (acceptWord("saturation_var"))
      p.saturationVar = varIndex(p, "the saturation counter");
    if (acceptWord("source")) {
      p.isSource = true;
      expectWord("steps");
      list([&] { p.sourceSteps.push_back(integer()); });
      expectWord("neurons");
      list([&] {
        SourceLoc loc = peek().loc;
        uint32_t n = count("a neuron index");
        if (n >= p.size)
          fail(loc, "neuron " + std::to_string(n) + " of a population of " +
                        std::to_string(p.size));
        p.sourceIndices.push_back(n);
      });
      if (p.sourceSteps.size() != p.sourceIndices.size())
        fail(prev().loc, "a spike source needs as many steps as neurons");
    }
    expect("}");
    m_.populations.push_back(std::move(p));
  }

  /// `P[a:b]`: a population and a range of it.
  uint32_t slice(uint32_t &begin, uint32_t &end) {
    SourceLoc loc = peek().loc;
    uint32_t p = pop(name("a population"), loc);
    expect("[");
    begin = count("a neuron index");
    expect(":");
    end = count("a neuron index");
    expect("]");
    return p;
  }

  void projection() {
    next();
    Projection pj;
    pj.name = name("a projection name");
    if (findPop(pj.name) >= 0 || findProj(pj.name) >= 0)
      fail(prev().loc, "redefinition of '" + pj.name + "'");
    expect("=");
    pj.pre = slice(pj.preBegin, pj.preEnd);
    expect("->");
    pj.post = slice(pj.postBegin, pj.postEnd);
    SourceLoc loc = peek().loc;
    std::string rule = name("a connectivity rule");
    if (rule == "all_to_all")
      pj.rule = ConnRule::AllToAll;
    else if (rule == "one_to_one")
      pj.rule = ConnRule::OneToOne;
    else if (rule == "bernoulli" || rule == "fixed_indegree" || rule == "fixed_outdegree") {
      bool bern = rule == "bernoulli";
      pj.rule = bern                        ? ConnRule::Bernoulli
                : rule == "fixed_indegree" ? ConnRule::FixedIndegree
                                           : ConnRule::FixedOutdegree;
      expect("(");
      expectWord(bern ? "p" : "k");
      expect("=");
      if (bern)
        pj.p = number();
      else
        pj.k = count(pj.rule == ConnRule::FixedIndegree ? "an in-degree" : "an out-degree");
      expect(")");
    } else if (rule == "fixed_total_number") {
      pj.rule = ConnRule::FixedTotal;
      expect("(");
      expectWord("n");
      expect("=");
      SourceLoc nloc = peek().loc;
      int64_t n = integer();
      if (n < 0)
        fail(nloc, "expected a number of synapses, found " + std::to_string(n));
      pj.total = static_cast<uint64_t>(n);
      expect(")");
    } else if (rule == "from_file") {
      // The tables come later in the text: resolved by name once they are read.
      pj.rule = ConnRule::FromFile;
      expect("(");
      expectWord("rows");
      expect("=");
      std::string rows = constName();
      expect(",");
      expectWord("cols");
      expect("=");
      pendingLists_.push_back({m_.projections.size(), loc, rows, constName()});
      expect(")");
    } else if (rule == "conv2d") {
      pj.rule = ConnRule::Conv2d;
      ConvGeometry &g = pj.conv;
      auto dims = [&](const char *name, std::vector<uint32_t *> into) {
        expectWord(name);
        expect("=");
        expect("[");
        for (size_t k = 0; k < into.size(); ++k) {
          if (k)
            expect(",");
          *into[k] = count("a size");
        }
        expect("]");
      };
      expect("(");
      dims("in", {&g.inC, &g.inH, &g.inW});
      expect(",");
      dims("out", {&g.outC, &g.outH, &g.outW});
      expect(",");
      dims("kernel", {&g.kH, &g.kW});
      expect(",");
      expectWord("stride");
      expect("=");
      g.stride = count("a stride");
      expect(",");
      expectWord("padding");
      expect("=");
      g.padding = count("a padding");
      expect(")");
    } else {
      fail(loc, "unknown connectivity rule '" + rule + "'");
    }
    pj.autapses = !acceptWord("no_autapses");
    if (acceptWord("delay")) {
      if (acceptWord("per")) {
        expectWord("synapse");
        pj.synapseDelays = true;
      } else {
        pj.delaySteps = count("a delay");
        expectWord("steps");
      }
    }
    pj.postIndex = acceptWord("post_index");
    expect("{");
    params(pj.params);
    vars(pj.vars, true);
    expect("}");
    m_.projections.push_back(std::move(pj));
  }

  void recorder() {
    next();
    Recorder r;
    // `spikes P[..]`, `rate P[..]`; a population named `spikes` or `rate` is followed by a dot.
    if ((isWord("spikes") || isWord("rate")) && !isPunct(".", 1)) {
      r.rate = next().text == "rate";
      r.spikes = !r.rate;
      r.pop = slice(r.begin, r.end);
    } else {
      VarRef v = varRef();
      r.pop = v.owner;
      r.var = v.var;
      expect("[");
      if (v.onSynapse) {
        r.synapses = true;
        expectWord("all");
        expectWord("synapses");
      } else {
        r.begin = count("a neuron index");
        expect(":");
        r.end = count("a neuron index");
      }
      expect("]");
    }
    if (!r.spikes) {
      if (acceptWord("final"))
        r.every = 0;
      else {
        expectWord("every");
        r.every = count("a record interval");
      }
    }
    expectWord("as");
    r.name = str();
    m_.recorders.push_back(std::move(r));
  }

  std::string constName() {
    if (peek().kind != Tok::Const)
      fail(peek().loc, "expected a constant table name ('@name'), found " + describe(peek()));
    return next().text;
  }

  /// from_file projections name their tables: they must exist, of types i64 and i32, with one
  /// row start per presynaptic neuron and one more.
  void resolveLists() {
    for (auto &pl : pendingLists_) {
      Projection &pj = m_.projections[pl.proj];
      auto find = [&](const std::string &n, Type t) {
        for (size_t k = 0; k < m_.constants.size(); ++k)
          if (m_.constants[k].name == n) {
            if (m_.constants[k].type != t)
              fail(pl.loc, "constant table '@" + n + "' of from_file must hold " + typeName(t));
            return static_cast<int>(k);
          }
        fail(pl.loc, "no constant table named '@" + n + "'");
      };
      pj.listRowPtr = find(pl.rows, Type::I64);
      pj.listCol = find(pl.cols, Type::I32);
    }
  }

  void constTable() {
    next();
    ConstTable c;
    c.name = constName();
    expect(":");
    SourceLoc loc = peek().loc;
    c.type = type();
    if (c.type != Type::I32 && c.type != Type::I64 && c.type != Type::Real)
      fail(loc, "a constant table holds i32, i64 or real");
    expect("[");
    SourceLoc nloc = peek().loc;
    int64_t n = integer();
    expect("]");
    expect("=");
    if (c.type == Type::Real)
      list([&] { c.reals.push_back(number()); });
    else
      list([&] { c.values.push_back(integer()); });
    if (static_cast<int64_t>(c.size()) != n)
      fail(nloc, "constant table of " + std::to_string(n) + " values lists " +
                     std::to_string(c.size()));
    m_.constants.push_back(std::move(c));
  }

  /// `runtime P.x = v in Q.var unit "..." units "..."` (`runtime .x` for a network constant).
  void runtimeParam() {
    RuntimeParam rp;
    rp.loc = next().loc;
    if (!accept(".")) {
      SourceLoc at = peek().loc;
      rp.owner = name("a population or projection");
      if (!hasOwner(rp.owner))
        fail(at, "no population or projection named '" + rp.owner + "'");
      expect(".");
    }
    rp.name = name("a parameter name");
    expect("=");
    rp.value = number();
    expectWord("in");
    rp.pop = popNamed();
    expect(".");
    rp.var = static_cast<uint32_t>(varIndex(m_.populations[rp.pop], "its scalar variable"));
    expectWord("unit");
    rp.unit = str();
    expectWord("units");
    rp.units = str();
    m_.runtimeParams.push_back(std::move(rp));
  }

  bool hasOwner(const std::string &n) const {
    for (auto &p : m_.populations)
      if (p.name == n)
        return true;
    for (auto &p : m_.projections)
      if (p.name == n)
        return true;
    return false;
  }

  /// `change at step S: P.x = v`, naming a run-time parameter declared above.
  void change() {
    SourceLoc at = next().loc;
    expectWord("at");
    expectWord("step");
    ParamChange c;
    c.step = integer();
    expect(":");
    SourceLoc nameLoc = peek().loc;
    std::string owner;
    if (!accept("."))
      owner = name("a population or projection"), expect(".");
    std::string n = name("a parameter name");
    expect("=");
    c.value = number();
    bool found = false;
    for (size_t k = 0; k < m_.runtimeParams.size() && !found; ++k)
      if (m_.runtimeParams[k].owner == owner && m_.runtimeParams[k].name == n) {
        c.param = static_cast<uint32_t>(k);
        found = true;
      }
    if (!found)
      fail(nameLoc, "no run-time parameter '" + (owner.empty() ? n : owner + "." + n) + "'");
    if (!m_.changes.empty() && m_.changes.back().step > c.step)
      fail(at, "changes must be in the order of their steps");
    m_.changes.push_back(c);
  }

  void runtimeSystem() {
    next();
    RuntimeSystem rs;
    rs.pop = popNamed();
    const Population &P = m_.populations[rs.pop];
    expectWord("n");
    expect("=");
    rs.n = count("a system size");
    expect("{");
    expectWord("coeffs");
    locals_.clear();
    list([&] { rs.coeffs.push_back(expr(Type::Real)); });
    expectWord("b");
    list([&] { rs.bConst.push_back(number()); });
    expectWord("frozen");
    list([&] {
      if (!isWord("true") && !isWord("false"))
        fail(peek().loc, "expected true or false, found " + describe(peek()));
      rs.frozen.push_back(next().text == "true");
    });
    std::pair<const char *, std::vector<uint32_t> *> slots[] = {
        {"phi", &rs.phi},           {"gamma", &rs.gamma},           {"constant", &rs.constant},
        {"phi_refractory", &rs.phiR}, {"gamma_refractory", &rs.gammaR},
        {"constant_refractory", &rs.constantR}};
    for (auto &[word, out] : slots)
      if (acceptWord(word))
        list([&, out = out] {
          out->push_back(static_cast<uint32_t>(varIndex(P, "a scalar variable")));
        });
    size_t n = rs.n;
    if (rs.coeffs.size() != n * n || rs.bConst.size() != n || rs.frozen.size() != n)
      fail(peek().loc, "a system of " + std::to_string(n) + " needs " + std::to_string(n * n) +
                           " coefficients and " + std::to_string(n) + " b and frozen entries");
    expect("}");
    m_.runtimeSystems.push_back(std::move(rs));
  }

  // -- Kernels and statements --

  void kernels(Phase section, std::vector<Kernel> &out) {
    expect("{");
    while (acceptWord("kernel")) {
      Kernel k;
      SourceLoc loc = peek().loc;
      k.name = dottedName("a kernel name");
      expect("(");
      SourceLoc ploc = peek().loc;
      std::string ph = name("a phase");
      bool found = false;
      for (Phase c : {Phase::Init, Phase::Update, Phase::Threshold, Phase::Deliver, Phase::Reset,
                      Phase::Connect})
        if (ph == phaseName(c)) {
          k.phase = c;
          found = true;
        }
      if (!found)
        fail(ploc, "unknown phase '" + ph + "'");
      bool stepPhase = k.phase != Phase::Init && k.phase != Phase::Connect;
      if (section == Phase::Update ? !stepPhase : k.phase != section)
        fail(ploc, "a kernel of phase " + std::string(phaseName(k.phase)) + " in " +
                       (section == Phase::Update ? "step" : phaseName(section)));
      expect(")");
      owner(k, loc);
      expect("{");
      if (peek().kind == Tok::Comment && peek().loc.line == prev().loc.line) {
        if (next().text != "runs as ranges of postsynaptic neurons")
          fail(prev().loc, "unknown kernel attribute '; " + prev().text + "'");
        k.postRanges = true;
      }
      locals_.clear();
      if (k.phase == Phase::Connect) {
        bind("pre", Type::I32);
        bind("post", Type::I32);
      }
      k.body = block();
      out.push_back(std::move(k));
    }
    expect("}");
  }

  /// A kernel runs over the population or projection its name ends with (`deliver.P_to_Q`).
  void owner(Kernel &k, SourceLoc loc) {
    size_t dot = k.name.find('.');
    std::string o = dot == std::string::npos ? "" : k.name.substr(dot + 1);
    int p = findPop(o), j = findProj(o);
    // Names are unique across populations and projections; a deliver kernel of a population is
    // an input (`input.P`).
    bool popKernel = k.phase == Phase::Threshold || k.phase == Phase::Reset || j < 0;
    if (popKernel && p >= 0)
      k.pop = p;
    else if (!popKernel && j >= 0)
      k.proj = j;
    else
      fail(loc, "kernel '" + k.name + "' must be named <role>." +
                    (popKernel ? "<population>" : "<projection>"));
  }

  /// Statements up to the closing brace (which it consumes).
  Block block() {
    Depth d(*this);
    Block b;
    while (!accept("}")) {
      if (peek().kind == Tok::End)
        fail(peek().loc, "expected '}', found the end of the file");
      b.push_back(stmt());
    }
    return b;
  }

  /// `{` and the attributes written as comments after it: `; independent iterations`.
  void open(Stmt &s, bool independent, bool postRange) {
    expect("{");
    if (peek().kind != Tok::Comment || peek().loc.line != prev().loc.line)
      return;
    const Token &c = next();
    std::string rest = c.text; // "a  ; b": the lexer reads one comment to the end of the line
    for (;;) {
      size_t cut = rest.find("  ; ");
      std::string attr = rest.substr(0, cut);
      if (independent && attr == "independent iterations")
        s.independent = true;
      else if (postRange && attr == "onto the kernel's range only")
        s.postRange = true;
      else
        fail(c.loc, "unknown attribute '; " + attr + "'");
      if (cut == std::string::npos)
        return;
      rest = rest.substr(cut + 4);
    }
  }

  void bind(const std::string &n, Type t) { locals_[n] = t; }

  StmtPtr make(Stmt::Kind k, SourceLoc loc) {
    auto s = std::make_unique<Stmt>();
    s->kind = k;
    s->loc = loc;
    return s;
  }

  ExprRef index() {
    expect("[");
    ExprRef e = expr(std::nullopt);
    expect("]");
    return e;
  }

  StmtPtr stmt() {
    const Token &t = peek();
    SourceLoc loc = t.loc;
    if (t.kind == Tok::Comment) {
      auto s = make(Stmt::Kind::Note, loc);
      s->name = next().text;
      return s;
    }
    if (t.kind == Tok::Local) { // %x = e
      std::string n = next().text;
      auto f = locals_.find(n);
      if (f == locals_.end())
        fail(loc, "assignment to undeclared local '%" + n + "'");
      expect("=");
      auto s = makeAssign(n, expr(f->second));
      s->loc = loc;
      return s;
    }
    if (t.kind != Tok::Ident)
      fail(loc, "expected a statement, found " + describe(t));
    if (isPunct(".", 1)) { // Owner.var[i] = e
      VarRef v = varRef();
      auto s = make(Stmt::Kind::Store, loc);
      s->pop = v.owner;
      s->var = v.var;
      s->onSynapse = v.onSynapse;
      s->index = index();
      expect("=");
      s->value = expr(v.type);
      return s;
    }
    if (isPunct(":", 1)) { // Owner:buffer[i] = e
      auto [b, owner] = bufferRef();
      auto s = make(Stmt::Kind::BufStore, loc);
      s->buffer = b;
      s->pop = owner;
      s->index = index();
      expect("=");
      s->value = expr(bufferType(b));
      return s;
    }
    std::string w = next().text;
    if (w == "let" || w == "var") {
      std::string n = localName();
      expect(":");
      SourceLoc tloc = peek().loc;
      Type ty = type();
      expect("=");
      ExprRef v = expr(ty);
      if (v->type != ty)
        fail(tloc, "%" + n + " is declared " + typeName(ty) + " but its value is " +
                       typeName(v->type));
      auto s = w == "let" ? makeLet(n, v) : makeVar(n, v);
      s->loc = loc;
      bind(n, ty);
      return s;
    }
    if (w == "if" || w == "while") {
      auto s = make(w == "if" ? Stmt::Kind::If : Stmt::Kind::While, loc);
      s->value = expr(Type::Bool);
      expect("{");
      s->body = block();
      if (w == "if" && acceptWord("else")) {
        expect("{");
        s->elseBody = block();
      }
      return s;
    }
    if (w == "loop") {
      auto s = make(Stmt::Kind::Loop, loc);
      s->name = localName();
      expectWord("in");
      if (acceptWord("tile")) {
        s->tile = localName();
        bind(s->name, Type::I32);
        open(*s, false, false);
        s->body = block();
        return s;
      }
      expect("[");
      bool constant = peek().kind == Tok::Number && peek().suffix.empty() && isPunct(",", 1) &&
                      peek(2).kind == Tok::Number && peek(2).suffix.empty() && isPunct(")", 3);
      if (constant) {
        s->begin = integer();
        expect(",");
        s->end = integer();
        bind(s->name, Type::I32);
      } else {
        RawPtr from = orExpr();
        expect(",");
        RawPtr to = orExpr();
        auto ty = infer(*from);
        if (!ty)
          ty = infer(*to);
        s->from = build(*from, ty);
        s->to = build(*to, ty);
        bind(s->name, s->from->type);
      }
      expect(")");
      open(*s, true, false);
      s->body = block();
      return s;
    }
    if (w == "tile") {
      auto s = make(Stmt::Kind::Tile, loc);
      s->name = localName();
      expectWord("in");
      intRange(s->begin, s->end);
      expectWord("by");
      s->tileSize = integer();
      bind(s->name, Type::I32);
      expect("{");
      s->body = block();
      return s;
    }
    if (w == "spike_mask" || w == "emit_spike") {
      auto s = make(w == "emit_spike" ? Stmt::Kind::EmitSpike : Stmt::Kind::SpikeMask, loc);
      s->pop = popNamed();
      s->index = index();
      if (w == "spike_mask") {
        expectWord("of");
        expectWord("tile");
        s->name = localName();
        expect("=");
        s->value = expr(Type::Bool);
      }
      return s;
    }
    if (w == "compact_spikes") {
      auto s = make(Stmt::Kind::CompactSpikes, loc);
      s->pop = popNamed();
      expectWord("of");
      expectWord("tile");
      s->name = localName();
      return s;
    }
    if (w == "clear_spikes" || w == "emit_source_spikes") {
      auto s = make(w == "clear_spikes" ? Stmt::Kind::ClearSpikes : Stmt::Kind::EmitSourceSpikes,
                    loc);
      s->pop = popNamed();
      return s;
    }
    if (w == "push_delayed_spikes") {
      auto s = make(Stmt::Kind::PushDelayedSpikes, loc);
      s->proj = projNamed();
      return s;
    }
    if (w == "for_spikes") {
      auto s = make(Stmt::Kind::ForSpikes, loc);
      s->name = localName();
      expectWord("of");
      s->pop = popNamed();
      expectWord("in");
      intRange(s->begin, s->end);
      bind(s->name, Type::I32);
      expect("{");
      s->body = block();
      return s;
    }
    if (w == "for_synapses") {
      auto s = make(Stmt::Kind::ForRow, loc);
      s->name = localName();
      if (accept(","))
        s->synName = localName();
      expectWord("of");
      s->proj = projNamed();
      expectWord("from");
      s->index = expr(Type::I32);
      if (acceptWord("with")) {
        expectWord("delay");
        s->value = expr(Type::I32);
      }
      bind(s->name, Type::I32);
      if (!s->synName.empty())
        bind(s->synName, Type::I64);
      open(*s, true, true);
      s->body = block();
      return s;
    }
    if (w == "for_delayed_spikes") {
      auto s = make(Stmt::Kind::ForDelayedSpikes, loc);
      s->name = localName();
      expectWord("of");
      s->proj = projNamed();
      expect("(");
      expectWord("delay");
      SourceLoc dloc = peek().loc;
      if (count("a delay") != m_.projections[s->proj].delaySteps)
        fail(dloc, "projection '" + m_.projections[s->proj].name + "' has a delay of " +
                       std::to_string(m_.projections[s->proj].delaySteps) + " steps");
      expectWord("steps");
      expect(")");
      bind(s->name, Type::I32);
      expect("{");
      s->body = block();
      return s;
    }
    if (w == "for_arrivals" || w == "for_column") {
      bool column = w == "for_column";
      auto s = make(column ? Stmt::Kind::ForColumn : Stmt::Kind::ForArrivals, loc);
      s->name = localName();
      expect(",");
      s->synName = localName();
      expectWord("of");
      s->proj = projNamed();
      if (column) {
        expectWord("to");
        s->index = expr(Type::I32);
      }
      bind(s->name, Type::I32);
      bind(s->synName, column ? Type::I64 : Type::I32);
      open(*s, column, false);
      s->body = block();
      return s;
    }
    if (w == "accept_pair") {
      auto s = make(Stmt::Kind::AcceptPair, loc);
      s->proj = projNamed();
      expectWord("if");
      s->value = expr(Type::Bool);
      return s;
    }
    if (w == "set_delay") {
      auto s = make(Stmt::Kind::SetDelay, loc);
      s->proj = projNamed();
      s->index = index();
      expect("=");
      s->value = expr(Type::I32);
      expectWord("steps");
      return s;
    }
    if (w == "prefetch") {
      auto s = make(Stmt::Kind::Prefetch, loc);
      SourceLoc oloc = peek().loc;
      std::string owner = name("a population or projection");
      if (peek().text == ".") { // a synapse variable
        VarRef v = varOf(owner, oloc);
        if (!v.onSynapse)
          fail(oloc, "prefetch of a variable needs a projection's synapse variable");
        s->pop = v.owner;
        s->var = v.var;
        s->onSynapse = true;
      } else {
        auto [b, o] = bufferOf(owner, oloc);
        s->buffer = b;
        s->pop = o;
      }
      s->index = index();
      return s;
    }
    if (w == "advance") {
      auto s = make(Stmt::Kind::AdvanceTrace, loc);
      VarRef v = varRef();
      s->pop = v.owner;
      s->var = v.var;
      s->onSynapse = v.onSynapse;
      s->index = index();
      expectWord("from");
      SourceLoc tloc = peek().loc;
      VarRef tv = varRef();
      if (tv.owner != v.owner || tv.onSynapse != v.onSynapse)
        fail(tloc, "a trace's time is a variable of the same population or projection");
      s->timeVar = tv.var;
      expectWord("by");
      if (peek().kind != Tok::Ident || peek().text != "d")
        fail(peek().loc, "expected 'd/dt', found " + describe(peek()));
      next();
      expect("/");
      expectWord("dt");
      expect("=");
      s->value = expr(Type::Real);
      if (isWord("into")) { // the advanced value into a local, the trace left as it is
        next();
        s->name = localName();
        bind(s->name, Type::Real);
      }
      return s;
    }
    if (w == "ode") {
      auto s = make(Stmt::Kind::Ode, loc);
      // `dP.v/dt`: the lexer reads `dP` as one name.
      if (peek().kind != Tok::Ident || peek().text.size() < 2 || peek().text[0] != 'd')
        fail(peek().loc, "expected 'd<population>.<variable>/dt', found " + describe(peek()));
      SourceLoc oloc = peek().loc;
      ++oloc.col;
      VarRef v = varOf(next().text.substr(1), oloc);
      s->pop = v.owner;
      s->var = v.var;
      s->onSynapse = v.onSynapse;
      expect("/");
      expectWord("dt");
      s->index = index();
      expect("=");
      s->value = expr(Type::Real);
      if (acceptWord("unless")) {
        expectWord("refractory");
        s->unlessRefractory = true;
      }
      return s;
    }
    fail(loc, "unknown statement '" + w + "'");
  }

  std::vector<Token> t_;
  size_t p_ = 0;
  DiagnosticEngine &diags_;
  Module m_;
  struct PendingList {
    size_t proj;
    SourceLoc loc;
    std::string rows, cols;
  };
  std::vector<PendingList> pendingLists_; // from_file tables, resolved after `const` lines
  std::map<std::string, Type> locals_; // the latest binding of each name in the kernel
  int depth_ = 0;
};

} // namespace

std::optional<Module> parseModule(const SourceManager &sm, uint32_t file,
                                  DiagnosticEngine &diags) {
  try {
    std::vector<Token> toks = Lexer(sm.text(file), file, diags).run();
    return Parser(std::move(toks), diags).module();
  } catch (ParseError &) {
    return std::nullopt;
  }
}

} // namespace snn::ir
