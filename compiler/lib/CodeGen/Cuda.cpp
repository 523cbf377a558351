// The CUDA back end's own pieces (see Cuda.h).
#include "Cuda.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IntrinsicsNVPTX.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"

#include <cstdlib>
#include <functional>
#include <set>

namespace snn::codegen::cuda {

using llvm::IRBuilder;
using llvm::Value;

std::string entryName(size_t k) { return "snn_k" + std::to_string(k); }

static Value *sreg(IRBuilder<> &b, llvm::Intrinsic::ID id) { return b.CreateIntrinsic(id, {}, {}); }

Value *globalThreadIndex(IRBuilder<> &b) {
  Value *block = sreg(b, llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_x);
  Value *width = sreg(b, llvm::Intrinsic::nvvm_read_ptx_sreg_ntid_x);
  Value *thread = sreg(b, llvm::Intrinsic::nvvm_read_ptx_sreg_tid_x);
  return b.CreateAdd(b.CreateMul(block, width, "", true, true), thread, "gid", true, true);
}

Value *laneIndex(IRBuilder<> &b) {
  return b.CreateAnd(sreg(b, llvm::Intrinsic::nvvm_read_ptx_sreg_tid_x), b.getInt32(31), "lane");
}

Value *ballot(IRBuilder<> &b, Value *pred) {
  return b.CreateIntrinsic(llvm::Intrinsic::nvvm_vote_ballot_sync, {},
                           {b.getInt32(0xffffffffu), pred}, nullptr, "ballot");
}

void markKernel(llvm::Function &fn, unsigned maxThreads) {
  llvm::Module &m = *fn.getParent();
  llvm::LLVMContext &ctx = m.getContext();
  llvm::NamedMDNode *md = m.getOrInsertNamedMetadata("nvvm.annotations");
  auto add = [&](const char *key, unsigned v) {
    md->addOperand(llvm::MDNode::get(
        ctx, {llvm::ValueAsMetadata::get(&fn), llvm::MDString::get(ctx, key),
              llvm::ConstantAsMetadata::get(llvm::ConstantInt::get(llvm::Type::getInt32Ty(ctx), v))}));
  };
  add("kernel", 1);
  if (maxThreads)
    add("maxntidx", maxThreads);
}

namespace {

/// A small structured-code helper over an IRBuilder, for the two hand-written kernels.
struct KernelBuilder {
  llvm::Function *fn;
  IRBuilder<> b;

  KernelBuilder(llvm::Module &m, const char *name, std::vector<llvm::Type *> params)
      : fn(llvm::Function::Create(
            llvm::FunctionType::get(llvm::Type::getVoidTy(m.getContext()), params, false),
            llvm::Function::ExternalLinkage, name, &m)),
        b(llvm::BasicBlock::Create(m.getContext(), "entry", fn)) {
    fn->addFnAttr(llvm::Attribute::NoUnwind);
  }

  /// for (iv = from; iv < to; iv += by) body(iv), signed i32.
  void loop(Value *from, Value *to, Value *by, const char *name,
            const std::function<void(Value *)> &body) {
    llvm::LLVMContext &ctx = fn->getContext();
    llvm::BasicBlock *pre = b.GetInsertBlock();
    auto *header = llvm::BasicBlock::Create(ctx, std::string(name) + ".header", fn);
    auto *bodyBB = llvm::BasicBlock::Create(ctx, std::string(name) + ".body", fn);
    auto *exit = llvm::BasicBlock::Create(ctx, std::string(name) + ".exit", fn);
    b.CreateBr(header);
    b.SetInsertPoint(header);
    llvm::PHINode *iv = b.CreatePHI(from->getType(), 2, name);
    iv->addIncoming(from, pre);
    b.CreateCondBr(b.CreateICmpSLT(iv, to), bodyBB, exit);
    b.SetInsertPoint(bodyBB);
    body(iv);
    iv->addIncoming(b.CreateAdd(iv, by), b.GetInsertBlock());
    b.CreateBr(header);
    b.SetInsertPoint(exit);
  }

  void when(Value *cond, const std::function<void()> &body) {
    llvm::LLVMContext &ctx = fn->getContext();
    auto *then = llvm::BasicBlock::Create(ctx, "then", fn);
    auto *join = llvm::BasicBlock::Create(ctx, "endif", fn);
    b.CreateCondBr(cond, then, join);
    b.SetInsertPoint(then);
    body();
    b.CreateBr(join);
    b.SetInsertPoint(join);
  }

  void barrier() { b.CreateIntrinsic(llvm::Intrinsic::nvvm_barrier0, {}, {}); }
};

Value *minI32(IRBuilder<> &b, Value *x, Value *y) {
  return b.CreateSelect(b.CreateICmpSLT(x, y), x, y);
}

/// snn_cuda_compact(u32 *words, i32 nwords, u32 *spikes, u32 *count), one block of kScanThreads:
/// the population's spike words (bit l of word w: neuron 32 w + l spiked) become its spike list,
/// ascending, and its count. Each thread takes a contiguous run of words (a multiple of four,
/// read as 128-bit vectors; nwords is a multiple of four), counts their bits, and a scan over
/// the threads' counts in shared memory gives every thread where its spikes go. No atomics: the
/// list is the same, in the same order, every run.
void addCompact(llvm::Module &m) {
  llvm::LLVMContext &ctx = m.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *ptr = llvm::PointerType::get(ctx, 0);
  KernelBuilder k(m, "snn_cuda_compact", {ptr, i32, ptr, ptr});
  IRBuilder<> &b = k.b;
  Value *words = k.fn->getArg(0), *nwords = k.fn->getArg(1), *spikes = k.fn->getArg(2),
        *count = k.fn->getArg(3);
  words->setName("words");
  nwords->setName("nwords");
  spikes->setName("spikes");
  count->setName("count");
  auto *scanTy = llvm::ArrayType::get(i32, kScanThreads);
  auto *scan = new llvm::GlobalVariable(m, scanTy, false, llvm::GlobalValue::InternalLinkage,
                                        llvm::UndefValue::get(scanTy), "snn.scan", nullptr,
                                        llvm::GlobalValue::NotThreadLocal, /*shared*/ 3);
  auto *v4 = llvm::FixedVectorType::get(i32, 4);
  Value *tid = sreg(b, llvm::Intrinsic::nvvm_read_ptx_sreg_tid_x);
  // Quads per thread, rounded up; [lo, hi) in quads.
  Value *quads = b.CreateLShr(nwords, 2, "quads");
  Value *per = b.CreateUDiv(b.CreateAdd(quads, b.getInt32(kScanThreads - 1)),
                            b.getInt32(kScanThreads), "per");
  Value *lo = minI32(b, b.CreateMul(tid, per), quads);
  Value *hi = minI32(b, b.CreateAdd(lo, per), quads);
  auto quad = [&](Value *q) {
    Value *p = b.CreateInBoundsGEP(v4, words, b.CreateZExt(q, b.getInt64Ty()));
    return b.CreateAlignedLoad(v4, p, llvm::Align(16), "quad");
  };
  llvm::AllocaInst *c = b.CreateAlloca(i32, nullptr, "c");
  b.CreateStore(b.getInt32(0), c);
  k.loop(lo, hi, b.getInt32(1), "q", [&](Value *q) {
    Value *bits = b.CreateIntrinsic(llvm::Intrinsic::ctpop, {v4}, {quad(q)});
    Value *sum = b.CreateAddReduce(bits);
    b.CreateStore(b.CreateAdd(b.CreateLoad(i32, c), sum), c);
  });
  Value *mine = b.CreateLoad(i32, c, "mine");
  auto at = [&](Value *i) { return b.CreateInBoundsGEP(scanTy, scan, {b.getInt32(0), i}); };
  b.CreateStore(mine, at(tid));
  k.barrier();
  // Hillis-Steele inclusive scan over the kScanThreads counts.
  for (unsigned off = 1; off < kScanThreads; off *= 2) {
    Value *has = b.CreateICmpUGE(tid, b.getInt32(off));
    Value *from = b.CreateSelect(has, b.CreateSub(tid, b.getInt32(off)), tid);
    Value *v = b.CreateSelect(has, b.CreateLoad(i32, at(from)), b.getInt32(0));
    k.barrier();
    b.CreateStore(b.CreateAdd(b.CreateLoad(i32, at(tid)), v), at(tid));
    k.barrier();
  }
  Value *inclusive = b.CreateLoad(i32, at(tid), "inclusive");
  k.when(b.CreateICmpEQ(tid, b.getInt32(kScanThreads - 1)),
         [&] { b.CreateStore(inclusive, count); });
  llvm::AllocaInst *n = b.CreateAlloca(i32, nullptr, "n");
  b.CreateStore(b.CreateSub(inclusive, mine), n);
  llvm::AllocaInst *bitsLeft = b.CreateAlloca(i32, nullptr, "bits");
  k.loop(b.CreateShl(lo, 2), b.CreateShl(hi, 2), b.getInt32(1), "w", [&](Value *w) {
    Value *word =
        b.CreateLoad(i32, b.CreateInBoundsGEP(i32, words, b.CreateZExt(w, b.getInt64Ty())));
    b.CreateStore(word, bitsLeft);
    llvm::LLVMContext &cx = k.fn->getContext();
    auto *header = llvm::BasicBlock::Create(cx, "bit.header", k.fn);
    auto *body = llvm::BasicBlock::Create(cx, "bit.body", k.fn);
    auto *exit = llvm::BasicBlock::Create(cx, "bit.exit", k.fn);
    b.CreateBr(header);
    b.SetInsertPoint(header);
    Value *rest = b.CreateLoad(i32, bitsLeft);
    b.CreateCondBr(b.CreateICmpNE(rest, b.getInt32(0)), body, exit);
    b.SetInsertPoint(body);
    Value *bit = b.CreateIntrinsic(llvm::Intrinsic::cttz, {i32}, {rest, b.getTrue()});
    Value *pos = b.CreateLoad(i32, n);
    b.CreateStore(b.CreateAdd(b.CreateShl(w, 5), bit),
                  b.CreateInBoundsGEP(i32, spikes, b.CreateZExt(pos, b.getInt64Ty())));
    b.CreateStore(b.CreateAdd(pos, b.getInt32(1)), n);
    b.CreateStore(b.CreateAnd(rest, b.CreateSub(rest, b.getInt32(1))), bitsLeft);
    b.CreateBr(header);
    b.SetInsertPoint(exit);
  });
  b.CreateRetVoid();
  markKernel(*k.fn, kScanThreads);
}

/// snn_cuda_log_spikes(u32 *spikes, u32 *count, u32 *log, u32 *offsets, i32 slot), any grid:
/// appends this step's spike list to the recording batch's log, from offsets[slot] on, and sets
/// offsets[slot + 1] to the end; the host copies the log back once a batch of steps is done.
void addLogSpikes(llvm::Module &m) {
  llvm::LLVMContext &ctx = m.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *ptr = llvm::PointerType::get(ctx, 0);
  KernelBuilder k(m, "snn_cuda_log_spikes", {ptr, ptr, ptr, ptr, i32});
  IRBuilder<> &b = k.b;
  Value *spikes = k.fn->getArg(0), *count = k.fn->getArg(1), *log = k.fn->getArg(2),
        *offsets = k.fn->getArg(3), *slot = k.fn->getArg(4);
  auto elem = [&](Value *base, Value *i) {
    return b.CreateInBoundsGEP(i32, base, b.CreateZExt(i, b.getInt64Ty()));
  };
  Value *n = b.CreateLoad(i32, count, "n");
  Value *start = b.CreateLoad(i32, elem(offsets, slot), "start");
  Value *gid = globalThreadIndex(b);
  Value *stride = b.CreateMul(sreg(b, llvm::Intrinsic::nvvm_read_ptx_sreg_nctaid_x),
                              sreg(b, llvm::Intrinsic::nvvm_read_ptx_sreg_ntid_x), "stride");
  k.loop(gid, n, stride, "i", [&](Value *i) {
    b.CreateStore(b.CreateLoad(i32, elem(spikes, i)), elem(log, b.CreateAdd(start, i)));
  });
  k.when(b.CreateICmpEQ(gid, b.getInt32(0)), [&] {
    b.CreateStore(b.CreateAdd(start, n), elem(offsets, b.CreateAdd(slot, b.getInt32(1))));
  });
  b.CreateRetVoid();
  markKernel(*k.fn);
}

} // namespace

void addRuntimeKernels(llvm::Module &m) {
  addCompact(m);
  addLogSpikes(m);
}

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const std::string &arch,
                                                         std::string &error) {
  LLVMInitializeNVPTXTargetInfo();
  LLVMInitializeNVPTXTarget();
  LLVMInitializeNVPTXTargetMC();
  LLVMInitializeNVPTXAsmPrinter();
  const std::string triple = "nvptx64-nvidia-cuda";
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::unique_ptr<llvm::MCSubtargetInfo> sti(target->createMCSubtargetInfo(triple, "", ""));
  if (!sti || !sti->isCPUStringValid(arch) || arch.rfind("sm_", 0) != 0) {
    error = "unknown CUDA architecture '" + arch +
            "' for --cuda-arch (LLVM's names: sm_70, sm_75, sm_80, sm_86, sm_89, sm_90, ...)";
    return nullptr;
  }
  llvm::TargetOptions to;
  // As on the CPU: no contraction of a*b+c into one rounding, so that the GPU computes the same
  // bits as the CPU for the same IR.
  to.AllowFPOpFusion = llvm::FPOpFusion::Strict;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, arch, "", to, std::nullopt, std::nullopt, llvm::CodeGenOptLevel::Default));
  if (!tm)
    error = "cannot create the NVPTX target machine for " + arch;
  return tm;
}

std::string libdeviceName(const std::string &fn, bool isFloat) {
  return "__nv_" + fn + (isFloat ? "f" : "");
}

bool linkLibdevice(llvm::Module &m, const std::string &path, std::string &error) {
  bool needed = false;
  for (llvm::Function &f : m)
    needed = needed || (f.isDeclaration() && f.getName().starts_with("__nv_"));
  if (!needed)
    return true;
  std::string file = path;
  if (file.empty()) {
    const char *root = std::getenv("CUDA_PATH");
    file = std::string(root && *root ? root : "/usr/local/cuda") +
           "/nvvm/libdevice/libdevice.10.bc";
  }
  if (!llvm::sys::fs::exists(file)) {
    error = "the model calls math functions the CUDA target takes from libdevice, but '" + file +
            "' does not exist (install the CUDA toolkit, set CUDA_PATH, or pass --libdevice=FILE)";
    return false;
  }
  llvm::SMDiagnostic diag;
  std::unique_ptr<llvm::Module> lib = llvm::parseIRFile(file, diag, m.getContext());
  if (!lib) {
    error = "cannot read libdevice '" + file + "': " + diag.getMessage().str();
    return false;
  }
  lib->setTargetTriple(m.getTargetTriple());
  lib->setDataLayout(m.getDataLayout());
  if (llvm::Linker::linkModules(m, std::move(lib), llvm::Linker::LinkOnlyNeeded)) {
    error = "cannot link libdevice '" + file + "'";
    return false;
  }
  // Only the kernels are entry points; everything linked in may be inlined and dropped.
  std::set<const llvm::Function *> kernels;
  if (llvm::NamedMDNode *md = m.getNamedMetadata("nvvm.annotations"))
    for (llvm::MDNode *op : md->operands())
      if (auto *vm = llvm::dyn_cast_or_null<llvm::ValueAsMetadata>(op->getOperand(0).get()))
        kernels.insert(llvm::dyn_cast<llvm::Function>(vm->getValue()));
  for (llvm::Function &f : m)
    if (!f.isDeclaration() && !kernels.count(&f))
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  // libdevice asks __nvvm_reflect whether to flush denormals: no, as on the CPU.
  m.addModuleFlag(llvm::Module::Override, "nvvm-reflect-ftz", uint32_t(0));
  return true;
}

} // namespace snn::codegen::cuda
