// Host target selection and LLVM's standard O2 pipeline (see Target.h).
#include "snn/CodeGen/Target.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>

namespace snn::codegen {

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const TargetOptions &opts,
                                                         std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = opts.cpu;
  std::string features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    for (auto &f : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") + std::string(f.second ? "+" : "-") +
                  f.first().str();
  }
  // Unknown names would only be warned about by LLVM, and then ignored: refuse them.
  std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", ""));
  if (sti && !sti->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' for -mcpu (LLVM's names: x86-64, x86-64-v3, skylake-avx512, "
            "znver4, native, ...)";
    return nullptr;
  }
  if (!opts.attrs.empty()) {
    for (llvm::StringRef f : llvm::split(opts.attrs, ',')) {
      f = f.trim();
      bool known = false;
      if (sti && f.size() > 1 && (f[0] == '+' || f[0] == '-'))
        for (const llvm::SubtargetFeatureKV &kv : sti->getAllProcessorFeatures())
          known = known || f.drop_front() == kv.Key;
      if (!known) {
        error = "unknown feature '" + f.str() + "' in -mattr (write +name or -name, e.g. +avx2)";
        return nullptr;
      }
      features += (features.empty() ? "" : ",") + f.str();
    }
  }
  llvm::TargetOptions to;
  // No floating-point contraction: the JIT and the executable must produce identical spikes, and
  // results must not depend on whether the host has FMA.
  to.AllowFPOpFusion = llvm::FPOpFusion::Strict;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, to, llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Default));
  if (!tm)
    error = "cannot create a target machine for " + triple + " (cpu " + cpu + ")";
  return tm;
}

/// Features the code for `tm` may use: LLVM's names of the bits set for its CPU and features.
static std::vector<std::string> enabledFeatures(const llvm::TargetMachine &tm) {
  std::vector<std::string> out;
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  if (!sti)
    return out;
  for (const llvm::SubtargetFeatureKV &kv : sti->getAllProcessorFeatures())
    if (sti->getFeatureBits().test(kv.Value))
      out.push_back(kv.Key);
  return out;
}

std::vector<std::string> missingHostFeatures(const llvm::TargetMachine &tm) {
  // Only instruction-set features the host reports can be missing; tuning flags are not.
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  std::vector<std::string> missing;
  for (const std::string &f : enabledFeatures(tm))
    if (auto it = host.find(f); it != host.end() && !it->second)
      missing.push_back(f);
  return missing;
}

std::string requiredIsa(const llvm::TargetMachine &tm) {
  static const char *const checked[] = {"sse4.1",  "sse4.2",   "avx",      "avx2",
                                        "fma",     "bmi",      "bmi2",     "avx512f",
                                        "avx512dq", "avx512bw", "avx512vl", "avx512cd"};
  std::vector<std::string> on = enabledFeatures(tm);
  std::string out;
  for (const char *name : checked)
    if (std::find(on.begin(), on.end(), name) != on.end())
      out += (out.empty() ? "" : ",") + std::string(name);
  return out;
}

void optimizeModule(llvm::Module &m, llvm::TargetMachine &tm, const TargetOptions &opts) {
  if (!opts.optimize)
    return;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  mpm.run(m, mam);
}

} // namespace snn::codegen
