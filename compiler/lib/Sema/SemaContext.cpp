// The shared context of semantic analysis: the helpers every checker uses.
#include "SemaContext.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace snn::sema {

namespace {

/// A definition cycle [first, last) back to `name`, for a message: 'a' -> 'b' -> 'a', with the
/// middle of a long one elided ('p0' -> 'p1' -> 'p2' -> ... 4994 more ... -> 'p4999' -> 'p0').
template <typename It> std::string cyclePath(It first, It last, const std::string &name) {
  constexpr long kShown = 6;
  long n = static_cast<long>(std::distance(first, last));
  std::string path;
  long k = 0;
  for (It it = first; it != last; ++it, ++k) {
    if (n > kShown + 2 && k == kShown / 2)
      path += "... " + std::to_string(n - kShown) + " more ... -> ";
    if (n > kShown + 2 && k >= kShown / 2 && k < n - kShown / 2)
      continue;
    path += "'" + *it + "' -> ";
  }
  return path + "'" + name + "'";
}

} // namespace

std::string fmtNum(double v) {
  if (std::isnan(v))
    return "NaN"; // not "nan" or "-nan", whichever sign the platform gives 0/0
  std::ostringstream os;
  os << v;
  return os.str();
}

std::optional<Dim> DefinitionResolver::resolve(const std::string &name) {
  if (state_[name] == 2)
    return result_[name];
  state_[name] = 1;
  stack_.push_back(name);
  std::optional<Dim> d = check_(name);
  stack_.pop_back();
  state_[name] = 2;
  result_[name] = d;
  return d;
}

std::optional<Dim> DefinitionResolver::use(const std::string &name, SourceLoc loc) {
  if (state_[name] == 1) {
    auto first = std::find(stack_.begin(), stack_.end(), name);
    cycle_(name, cyclePath(first, stack_.end(), name),
           std::vector<std::string>(first, stack_.end()), loc);
    return std::nullopt;
  }
  return resolve(name);
}

void Checker::error(SourceLoc loc, const std::string &msg) {
  auto key = std::make_tuple(loc.file, loc.line, loc.col, msg);
  if (reported_.insert(key).second)
    diags_.error(loc, msg);
}

void Checker::note(SourceLoc loc, const std::string &msg) { diags_.note(loc, msg); }

bool Checker::declares(const std::vector<ast::Binding> &decls, const std::string &name) {
  return std::any_of(decls.begin(), decls.end(), [&](auto &b) { return b.name == name; });
}

void Checker::namesIn(const ast::Expr &e, std::vector<NameRef> &out) const {
  if (auto it = result_.names.find(&e); it != result_.names.end())
    out.push_back(it->second);
  if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e))
    namesIn(*u->operand, out);
  if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e)) {
    namesIn(*b->lhs, out);
    namesIn(*b->rhs, out);
  }
  if (auto *c = ast::dyn_cast<ast::CallExpr>(&e))
    for (auto &a : c->args)
      namesIn(*a, out);
}

std::optional<ConstValue> Checker::constant(const Expr &e, const std::string &what,
                                            const ConstNames *env) {
  std::string why;
  SourceLoc where;
  ConstUses uses;
  ConstArrays arrays; // the arrays read so far, which constants may reduce (max(A))
  for (const ArrayInfo &a : result_.network.arrays)
    arrays[a.name] = {a.dim, &a.values};
  auto v = evalConst(e, why, where, env ? env : &result_.network.constants, &uses, &arrays);
  if (!v)
    error(where.valid() ? where : e.loc, what + " must be a constant: " + why);
  if (!env)
    for (auto &[name, loc] : uses)
      buildUses_.emplace(name, std::make_pair(loc, what));
  return v;
}

std::optional<DataFile> Checker::loadData(const std::string &path, SourceLoc at, DataShape want,
                                          const char *what) {
  std::filesystem::path file(path);
  if (file.is_relative())
    file = std::filesystem::path(sm_.path(at.file)).parent_path() / file;
  return readDataFile(file.string(), want, what, at, sm_, diags_);
}

std::optional<std::pair<DataFile, ConstValue>>
Checker::loadScaled(const ast::DataLoad &d, DataShape want, const std::string &owner) {
  if (d.fn != "load") {
    error(d.fnLoc, "expected load(\"file\") for the values of " + owner + ", found '" + d.fn + "'");
    return std::nullopt;
  }
  ConstValue scale{1.0, Dim::none()};
  if (d.scale) {
    auto v = constant(*d.scale, "the unit of " + owner);
    if (!v)
      return std::nullopt;
    if (!std::isfinite(v->value) || v->value == 0) {
      error(d.scale->loc, "the unit of " + owner + " must be a finite, non-zero constant");
      return std::nullopt;
    }
    scale = *v;
  }
  auto file = loadData(d.path, d.pathLoc, want, want != DataShape::Table ? "array file" : "file");
  if (!file)
    return std::nullopt;
  return std::make_pair(std::move(*file), scale);
}

void Checker::noteBuildUses(const Expr &e, const std::string &what) {
  if (auto *n = ast::dyn_cast<ast::NameExpr>(&e)) {
    auto it = result_.names.find(n);
    if (it != result_.names.end() && it->second.kind == NameRef::Kind::NetConst)
      buildUses_.emplace(n->name, std::make_pair(n->loc, what));
  }
  if (auto *u = ast::dyn_cast<ast::UnaryExpr>(&e))
    noteBuildUses(*u->operand, what);
  if (auto *b = ast::dyn_cast<ast::BinaryExpr>(&e)) {
    noteBuildUses(*b->lhs, what);
    noteBuildUses(*b->rhs, what);
  }
  if (auto *c = ast::dyn_cast<ast::CallExpr>(&e))
    for (auto &a : c->args)
      noteBuildUses(*a, what);
}

std::optional<uint64_t> Checker::integer(const Expr &e, const std::string &what, uint64_t max) {
  auto v = constant(e, what);
  if (!v)
    return std::nullopt;
  if (!v->dim.isDimensionless() || v->value != std::floor(v->value) || v->value < 0 ||
      v->value > static_cast<double>(max)) {
    error(e.loc, what + " must be an integer between 0 and " + std::to_string(max) + ", got " +
                     (v->dim.isDimensionless() ? fmtNum(v->value)
                                               : "a value of unit '" + v->dim.str() + "'"));
    return std::nullopt;
  }
  return static_cast<uint64_t>(v->value);
}

std::optional<double> Checker::duration(const Expr &e, const std::string &what,
                                        const ConstNames *env) {
  auto v = constant(e, what, env);
  if (!v)
    return std::nullopt;
  if (v->dim != dims::second()) {
    error(e.loc, what + " must have unit 'second', got '" + v->dim.str() + "'");
    return std::nullopt;
  }
  // NaN passes every `< 0` and range test after this (and then casts to an integer number of
  // steps with undefined behaviour), so it stops here, with infinities.
  if (!std::isfinite(v->value)) {
    error(e.loc, what + " must be finite, got " +
                     (std::isnan(v->value) ? std::string("NaN") : fmtNum(v->value) + " s"));
    return std::nullopt;
  }
  return v->value;
}

bool Checker::popRange(const ast::PopRef &r, uint32_t &pop, uint32_t &begin, uint32_t &end) {
  auto it = popIndex_.find(r.name);
  if (it == popIndex_.end()) {
    if (!invalidPops_.count(r.name))
      error(r.loc, "unknown population '" + r.name + "'");
    return false;
  }
  pop = it->second;
  uint32_t size = result_.network.populations[pop].size;
  begin = 0;
  end = size;
  if (!r.slice)
    return true;
  auto lo = integer(*r.slice->lo, "slice bound", 0x7fffffff);
  if (!lo)
    return false;
  uint64_t hi = *lo + 1;
  if (r.slice->hi) {
    auto h = integer(*r.slice->hi, "slice bound", 0x7fffffff);
    if (!h)
      return false;
    hi = *h;
  }
  std::string text = r.slice->hi ? "[" + std::to_string(*lo) + ":" + std::to_string(hi) + "]"
                                 : "[" + std::to_string(*lo) + "]";
  if (hi > size) {
    error(r.slice->loc, "slice " + text + " is past the end of population '" + r.name +
                            "' of size " + std::to_string(size));
    return false;
  }
  if (*lo >= hi) {
    error(r.slice->loc, "slice " + text + " of population '" + r.name + "' is empty");
    return false;
  }
  begin = static_cast<uint32_t>(*lo);
  end = static_cast<uint32_t>(hi);
  return true;
}

bool Checker::nearMiss(const std::string &a, const std::string &b) {
  auto lower = [](std::string x) {
    for (char &c : x)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return x;
  };
  std::string x = lower(a), y = lower(b);
  if (x == y)
    return true;
  if (y.size() < 3 || x.size() + 1 < y.size() || y.size() + 1 < x.size())
    return false;
  if (x.size() == y.size()) {
    size_t k = 0;
    while (k < x.size() && x[k] == y[k])
      ++k;
    if (x.compare(k + 1, std::string::npos, y, k + 1, std::string::npos) == 0)
      return true; // one changed
    return k + 1 < x.size() && x[k] == y[k + 1] && x[k + 1] == y[k] &&
           x.compare(k + 2, std::string::npos, y, k + 2, std::string::npos) == 0; // swapped
  }
  const std::string &shorter = x.size() < y.size() ? x : y, &longer = x.size() < y.size() ? y : x;
  size_t k = 0;
  while (k < shorter.size() && shorter[k] == longer[k])
    ++k;
  return shorter.compare(k, std::string::npos, longer, k + 1, std::string::npos) == 0;
}

bool Checker::popIndexValid(uint32_t i) const {
  return i < result_.network.populations.size() && result_.network.def;
}

} // namespace snn::sema
