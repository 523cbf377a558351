// fold-constants (see FoldConstants.h). Parameters are resolved per owner with memoisation; Sema
// has rejected cyclic definitions, and a guard turns any cycle that slipped through into an
// untouched parameter rather than infinite recursion.
#include "snn/Transforms/FoldConstants.h"

#include "snn/IR/Simplify.h"

#include <map>
#include <set>

namespace snn::transforms {
namespace {

class Folder {
public:
  explicit Folder(ir::Module &m) : m_(m) {
    for (auto &rp : m.runtimeParams) {
      runtime_[{rp.owner, rp.name}] = ir::load(rp.pop, rp.var, ir::Type::Real, ir::integer(0));
      if (rp.owner.empty()) // a network constant: its value as declared is its default
        defs_[{rp.owner, rp.name}] = ir::real(rp.value);
    }
    for (auto &p : m.populations)
      for (auto &pr : p.params)
        defs_[{p.name, pr.name}] = pr.value;
    for (auto &p : m.projections)
      for (auto &pr : p.params)
        defs_[{p.name, pr.name}] = pr.value;
  }

  void run(DiagnosticEngine &diags) {
    // A run-time parameter's default: its definition folded with every parameter at its value.
    for (auto &rp : m_.runtimeParams) {
      defaultOf_ = true;
      readsChanging_.clear();
      ir::ExprRef v = value({rp.owner, rp.name});
      defaultOf_ = false;
      if (!rp.owner.empty() && !readsChanging_.empty()) {
        // Its own storage holds whatever was set last: the constant's change would not reach it.
        diags.error(rp.loc, "run-time parameter '" + ir::qualifiedName(rp) + "' is computed "
                            "from network constant '" + readsChanging_ + "', which changes "
                            "between runs; set '" + ir::qualifiedName(rp) + "' itself, or give "
                            "it a value that does not read '" + readsChanging_ + "'");
        continue;
      }
      folded_.clear(); // folded with defaults: not what the kernels may use
      double c;
      if (!v || !ir::isConst(*v, &c))
        diags.error(rp.loc, "run-time parameter '" + ir::qualifiedName(rp) +
                                "' needs a constant default value (not one that depends on t)");
      else
        rp.value = c;
    }
    auto fold = [this](const ir::ExprRef &e) { return ir::simplify(substitute(e)); };
    // The parameter lists keep naming the run-time parameters a value reads (`$.I0`), as loads
    // there would name variables of populations declared later.
    keepRuntime_ = true;
    for (auto &p : m_.populations)
      for (auto &pr : p.params)
        pr.value = fold(pr.value);
    for (auto &p : m_.projections)
      for (auto &pr : p.params)
        pr.value = fold(pr.value);
    keepRuntime_ = false;
    folded_.clear();
    ir::forEachKernel(m_, [&](ir::Kernel &k) { ir::rewriteStmtExprs(k.body, fold); });
  }

private:
  using Key = std::pair<std::string, std::string>;

  ir::ExprRef value(const Key &k) {
    if (!defaultOf_)
      if (auto r = runtime_.find(k); r != runtime_.end())
        return keepRuntime_ ? ir::param(k.first, k.second) : r->second;
    if (defaultOf_ && k.first.empty() && runtime_.count(k))
      readsChanging_ = k.second;
    if (auto it = folded_.find(k); it != folded_.end())
      return it->second;
    auto def = defs_.find(k);
    if (def == defs_.end() || !active_.insert(k).second)
      return nullptr;
    ir::ExprRef v = ir::simplify(substitute(def->second));
    active_.erase(k);
    folded_[k] = v;
    return v;
  }

  ir::ExprRef substitute(const ir::ExprRef &e) {
    return ir::mapExpr(e, [this](const ir::ExprRef &n) -> ir::ExprRef {
      if (n->op != ir::Op::Param)
        return n;
      ir::ExprRef v = value({n->owner, n->name});
      return v ? v : n;
    });
  }

  ir::Module &m_;
  std::map<Key, ir::ExprRef> defs_, folded_;
  std::map<Key, ir::ExprRef> runtime_; // run-time parameters: a load of their scalar variable
  bool defaultOf_ = false;             // folding defaults: run-time parameters at their values
  std::string readsChanging_;          // a changing network constant the default read
  bool keepRuntime_ = false;           // run-time parameters stay parameter references
  std::set<Key> active_;
};

} // namespace

void foldConstants(ir::Module &m, DiagnosticEngine &diags) { Folder(m).run(diags); }

} // namespace snn::transforms
