// Translation of the lowered IR into LLVM IR: the init and step kernels as ordinary loops over
// structure-of-arrays buffers, and the model descriptor as constant data laid out exactly like the
// structs of runtime.h. Also the file-emitting entry point.
#include "LLVMEmitter.h"

#include "Cuda.h"
#include "Library.h"
#include "MathLib.h"
#include "snn/CodeGen/Target.h"
#include "snn/IR/IRVerifier.h"
#include "snn/runtime.h"

#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <cmath>
#include <limits>
#include <functional>
#include <map>
#include <set>

namespace snn::codegen {
namespace {

using llvm::IRBuilder;
using llvm::Value;

/// Buffer-table slots, assigned in a fixed order: per population its variables, spike list and
/// spike count; per projection its row pointers and columns.
struct Slots {
  std::vector<std::vector<uint32_t>> var; // [pop][var]
  std::vector<uint32_t> spikes, spikeCount;
  std::vector<uint32_t> rowPtr, col;
  std::vector<std::vector<uint32_t>> synVar; // [proj][var]
  std::vector<uint32_t> ring, ringCount;     // [proj], only meaningful with a delay
  std::vector<uint32_t> delay, delayPtr, maxDelay; // [proj], only with per-synapse delays
  std::vector<uint32_t> colPtr, postSyn, postPre; // [proj], only with a by-post index
  std::vector<std::string> names; // for readable LLVM IR: %P.v, %P.spikes, %P_to_P.col
  uint32_t count = 0;

  explicit Slots(const ir::Module &m) {
    auto add = [this](std::string name) {
      names.push_back(std::move(name));
      return count++;
    };
    for (auto &p : m.populations) {
      var.emplace_back();
      for (auto &v : p.vars)
        var.back().push_back(add(p.name + "." + v.name));
      spikes.push_back(add(p.name + ".spikes"));
      spikeCount.push_back(add(p.name + ".nspikes"));
    }
    for (auto &pj : m.projections) {
      rowPtr.push_back(add(pj.name + ".row_ptr"));
      col.push_back(add(pj.name + ".col"));
      synVar.emplace_back();
      for (auto &v : pj.vars)
        synVar.back().push_back(add(pj.name + "." + v.name));
      bool ringed = pj.delaySteps || pj.synapseDelays;
      ring.push_back(ringed ? add(pj.name + ".ring") : 0);
      ringCount.push_back(ringed ? add(pj.name + ".ring_count") : 0);
      delay.push_back(pj.synapseDelays ? add(pj.name + ".delay") : 0);
      delayPtr.push_back(pj.synapseDelays ? add(pj.name + ".delay_ptr") : 0);
      maxDelay.push_back(pj.synapseDelays ? add(pj.name + ".max_delay") : 0);
      colPtr.push_back(pj.postIndex ? add(pj.name + ".col_ptr") : 0);
      postSyn.push_back(pj.postIndex ? add(pj.name + ".post_syn") : 0);
      postPre.push_back(pj.postIndex ? add(pj.name + ".post_pre") : 0);
    }
  }
};

/// What the host module says about the model's CUDA code (empty ptx: none was compiled).
struct DeviceCode {
  std::string ptx, arch;
};

class Emitter {
public:
  /// With `device`, the step kernels become CUDA kernels for an NVPTX target machine `tm`
  /// (runDevice); otherwise the host module: init, step, kernel table and descriptor (run).
  Emitter(const ir::Module &m, llvm::LLVMContext &ctx, llvm::TargetMachine &tm, bool device = false,
          DeviceCode deviceCode = {}, MergeKernels merge = MergeKernels::Auto)
      : m_(m), ctx_(ctx), slots_(m), b_(ctx), isa_(device ? "" : requiredIsa(tm)),
        device_(device), deviceCode_(std::move(deviceCode)) {
    merge_ = !device && (merge == MergeKernels::Always ||
                         (merge == MergeKernels::Auto && m.step.size() >= kMergeKernelsAt));
    mod_ = std::make_unique<llvm::Module>(m.name, ctx);
    mod_->setTargetTriple(tm.getTargetTriple().str());
    mod_->setDataLayout(tm.createDataLayout());
    real_ = m.precision == Precision::Float32 ? b_.getFloatTy() : b_.getDoubleTy();
    i32_ = b_.getInt32Ty();
    i64_ = b_.getInt64Ty();
    ptr_ = b_.getPtrTy();
  }

  std::unique_ptr<llvm::Module> run() {
    pairFns_.assign(m_.projections.size(), nullptr);
    for (const ir::Kernel &k : m_.connect)
      pairFns_[static_cast<size_t>(k.proj)] = pairFunction(k);
    llvm::Function *init = kernelFunction("snn_init", m_.init, /*isInit=*/true);
    for (size_t k = 0; k < m_.runtimeSystems.size(); ++k)
      coeffFns_.push_back(coefficientFunction(k));
    std::vector<KernelInfo> kernels;
    for (size_t k = 0; k < m_.step.size(); ++k)
      kernels.push_back(stepKernel(k));
    llvm::Function *step = stepFunction(kernels);
    descriptor(init, step, kernels);
    return std::move(mod_);
  }

  /// The device module: every step kernel as a CUDA kernel (deviceKernel) plus the runtime's
  /// compaction and spike-log kernels. Null, with `error`, for a kernel the CUDA path cannot run.
  std::unique_ptr<llvm::Module> runDevice(std::string &error) {
    for (size_t k = 0; k < m_.step.size(); ++k)
      if (!deviceKernel(k, error))
        return nullptr;
    cuda::addRuntimeKernels(*mod_);
    return std::move(mod_);
  }

private:
  /// A step kernel as its own function over a range of its iteration space (runtime.h's
  /// snn_kernel_fn): a tiled neuron kernel over tiles [begin, end), any other over [0, 1).
  struct KernelInfo {
    llvm::Function *fn;
    const ir::Kernel *kernel;
    const ir::Stmt *tile = nullptr; // the kernel's tile loop, if it has one
    /// A merged kernel's words (see kernelWord): the values its function reads from `args`.
    std::vector<uint64_t> args;
    llvm::Constant *argsTable = nullptr; // the words as a private array (finishMerged)
  };

  static const ir::Stmt *tileOf(const ir::Kernel &k) {
    for (auto &s : k.body)
      if (s->kind == ir::Stmt::Kind::Tile)
        return s.get();
    return nullptr;
  }

  /// void snn_k<j>_<net>(buffers, step, seed, begin, end, count_out). A tiled kernel runs the
  /// tiles of neurons [begin, end) (multiples of the tile size, end possibly the population's
  /// size), appends its spikes from spikes[begin] on and writes their number to *count_out; the
  /// caller joins the ranges' spikes and sets the count (so `clear_spikes` is its business).
  KernelInfo stepKernel(size_t j) {
    const ir::Kernel &k = m_.step[j];
    KernelInfo info{nullptr, &k, tileOf(k), {}, nullptr};
    auto *fty = llvm::FunctionType::get(b_.getVoidTy(),
                                        {ptr_, i64_, i64_, i32_, i32_, ptr_, ptr_}, false);
    auto *fn = llvm::Function::Create(fty, llvm::Function::InternalLinkage,
                                      "snn_k" + std::to_string(j) + "_" + m_.name, mod_.get());
    info.fn = fn;
    beginFunction(fn, /*isInit=*/false);
    fn->getArg(6)->setName("args");
    if (merge_) {
      argsArg_ = fn->getArg(6);
      words_ = &info.args;
      wordLoads_.clear();
    }
    rangeBegin_ = fn->getArg(3), rangeEnd_ = fn->getArg(4), countOut_ = fn->getArg(5);
    rangeBegin_->setName("begin");
    rangeEnd_->setName("end");
    countOut_->setName("count_out");
    tiled_ = info.tile != nullptr;
    if (tiled_) {
      tileCount_ = entryAlloca(i32_, "range.nspikes");
      b_.CreateStore(b_.getInt32(0), tileCount_);
    }
    locals_.clear();
    vars_.clear();
    block(k.body);
    if (tiled_)
      b_.CreateStore(b_.CreateLoad(i32_, tileCount_), countOut_);
    tiled_ = false;
    b_.CreateRetVoid();
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    // The step function calls every kernel once: inlining them all would make one function as
    // large as the network (900 projections: minutes of optimisation) for no gain, since each
    // call does a whole kernel's work. So compile time stays linear in the program.
    fn->addFnAttr(llvm::Attribute::NoInline);
    if (merge_)
      return finishMerged(info);
    annotateAliasing(*fn);
    return info;
  }

  /// The end of a merged kernel's function: the earlier function it equals, or itself.
  KernelInfo &finishMerged(KernelInfo &info) {
    words_ = nullptr;
    if (!info.args.empty()) {
      auto *ty = llvm::ArrayType::get(i64_, info.args.size());
      std::vector<llvm::Constant *> words;
      for (uint64_t w : info.args)
        words.push_back(b_.getInt64(w));
      info.argsTable =
          new llvm::GlobalVariable(*mod_, ty, true, llvm::GlobalValue::PrivateLinkage,
                                   llvm::ConstantArray::get(ty, words), "args." + info.kernel->name);
    }
    if (llvm::Function *same = mergeWithEarlier(*info.fn)) {
      info.fn->eraseFromParent();
      info.fn = same;
      return info;
    }
    for (llvm::Instruction *load : wordLoads_)
      load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
    annotateAliasing(*info.fn);
    return info;
  }

  /// Merged kernels (GeNN's merged groups): in a network of many kernels, each kernel's own
  /// values (its buffers' slots, constants, loop bounds) are read from its `args` words instead
  /// of being compiled in (kernelWord), so kernels that differ only in them become the same
  /// function, compiled once and called with each kernel's words. The test is exact: a kernel
  /// whose function, names aside, is the text of an earlier one's uses that one. Buffers share a
  /// word where they share a slot, so equal functions also agree on which accesses may alias.
  llvm::Function *mergeWithEarlier(llvm::Function &fn) {
    for (auto &bb : fn) {
      bb.setName("");
      for (auto &inst : bb)
        if (!inst.getType()->isVoidTy())
          inst.setName("");
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    fn.getFunctionType()->print(os); // init and step kernels never share a function
    for (auto &bb : fn)
      bb.print(os);
    os.flush();
    auto [it, fresh] = mergedBodies_.emplace(std::move(text), &fn);
    return fresh ? nullptr : it->second;
  }

  /// The value `bits` of type `ty` for the kernel being emitted: a constant, or in a merged
  /// kernel the next of its words (loaded once, at entry). Integers are sign-extended to 64
  /// bits; a float is its 32 bits, a double its 64.
  Value *kernelWord(llvm::Type *ty, uint64_t bits) {
    if (!words_) {
      if (ty->isDoubleTy() || ty->isFloatTy())
        return llvm::ConstantFP::get(ty, ty->isFloatTy()
                                             ? static_cast<double>(llvm::bit_cast<float>(
                                                   static_cast<uint32_t>(bits)))
                                             : llvm::bit_cast<double>(bits));
      return llvm::ConstantInt::get(ty, bits, /*IsSigned=*/true);
    }
    llvm::IRBuilderBase::InsertPointGuard guard(b_);
    b_.SetInsertPoint(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
    auto *load = b_.CreateLoad(
        i64_, b_.CreateConstInBoundsGEP1_64(i64_, argsArg_, words_->size()));
    wordLoads_.push_back(load);
    words_->push_back(bits);
    if (ty == i64_)
      return load;
    if (ty->isIntegerTy())
      return b_.CreateTrunc(load, ty);
    if (ty->isFloatTy())
      return b_.CreateBitCast(b_.CreateTrunc(load, i32_), ty);
    return b_.CreateBitCast(load, ty);
  }
  Value *int32Word(int64_t v) { return kernelWord(i32_, static_cast<uint64_t>(v)); }
  Value *int64Word(int64_t v) { return kernelWord(i64_, static_cast<uint64_t>(v)); }
  Value *realWord(double v) {
    if (real_->isFloatTy())
      return kernelWord(real_, llvm::bit_cast<uint32_t>(static_cast<float>(v)));
    return kernelWord(real_, llvm::bit_cast<uint64_t>(v));
  }

  /// CUDA kernel snn_k<j>(buffers, step, seed) of step kernel j, launched by the runtime over
  /// the kernel's extent (docs/cuda.md):
  ///  - a tiled neuron kernel runs one thread per neuron: its tile loop becomes the thread's
  ///    neuron, and its spike compaction a warp ballot whose word lane 0 stores in the
  ///    population's spike words (extra buffer slot num_buffers + pop); snn_cuda_compact then
  ///    turns the words into the ascending spike list;
  ///  - a by-post delivery runs one thread per postsynaptic neuron q, as the range [q, q + 1):
  ///    each sums its own inputs in spike order, exactly as the CPU's ranges do;
  ///  - any other kernel (plastic or delayed deliveries, ring pushes, spike sources) runs on one
  ///    thread, in program order.
  bool deviceKernel(size_t j, std::string &error) {
    const ir::Kernel &k = m_.step[j];
    const ir::Stmt *tile = tileOf(k);
    auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, i64_, i64_}, false);
    auto *fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, cuda::entryName(j),
                                      mod_.get());
    beginFunction(fn, /*isInit=*/false);
    wordPtrs_.clear();
    for (uint32_t p = 0; p < m_.populations.size(); ++p)
      wordPtrs_.push_back(loadBufferPtr(fn->getArg(0), slots_.count + p,
                                        m_.populations[p].name + ".spike_words"));
    Value *gid = cuda::globalThreadIndex(b_);
    locals_.clear();
    vars_.clear();
    tiled_ = tile != nullptr;
    if (tiled_) {
      const ir::Population &pop = m_.populations[static_cast<uint32_t>(k.pop)];
      for (auto &s : k.body) {
        using K = ir::Stmt::Kind;
        if (s->kind != K::Tile && s->kind != K::Let && s->kind != K::ClearSpikes &&
            s->kind != K::Note) {
          error = "kernel '" + k.name + "' has work outside its neuron loop, which the CUDA "
                  "target cannot run yet";
          return false;
        }
      }
      if (tile->begin != 0 || tile->end != pop.size) {
        error = "kernel '" + k.name + "' runs over part of population '" + pop.name +
                "', which the CUDA target cannot run yet";
        return false;
      }
      deviceGid_ = gid;
      spikeFlag_ = entryAlloca(b_.getInt1Ty(), "spiked");
      b_.CreateStore(b_.getFalse(), spikeFlag_);
      block(k.body);
    } else {
      bool byPost = k.postRanges;
      uint32_t extent = byPost ? m_.populations[ir::rangePopulation(m_, k)].size : 1;
      rangeBegin_ = byPost ? gid : b_.getInt32(0);
      rangeEnd_ = byPost ? b_.CreateAdd(gid, b_.getInt32(1), "gid_end") : b_.getInt32(1);
      countOut_ = entryAlloca(i32_, "count_out");
      auto *body = llvm::BasicBlock::Create(ctx_, "thread", fn);
      auto *done = llvm::BasicBlock::Create(ctx_, "done", fn);
      b_.CreateCondBr(b_.CreateICmpULT(gid, b_.getInt32(extent)), body, done);
      b_.SetInsertPoint(body);
      block(k.body);
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
    }
    tiled_ = false;
    b_.CreateRetVoid();
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    annotateAliasing(*fn);
    cuda::markKernel(*fn, cuda::kBlock); // launched in blocks of kBlock (or one thread)
    return true;
  }

  /// step(buffers, step, seed): every kernel over its whole range, in order; what the runtime
  /// calls when it runs on one thread.
  llvm::Function *stepFunction(const std::vector<KernelInfo> &kernels) {
    auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, i64_, i64_}, false);
    auto *fn = llvm::Function::Create(fty, llvm::Function::InternalLinkage, "snn_step_" + m_.name,
                                      mod_.get());
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    fn_ = fn;
    fn->getArg(0)->setName("buffers");
    fn->getArg(1)->setName("step");
    fn->getArg(2)->setName("seed");
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
    llvm::AllocaInst *count = b_.CreateAlloca(i32_, nullptr, "nspikes");
    for (const KernelInfo &k : kernels) {
      uint32_t extent =
          k.tile                 ? static_cast<uint32_t>(k.tile->end)
          : k.kernel->postRanges ? m_.populations[ir::rangePopulation(m_, *k.kernel)].size
                                 : 1;
      b_.CreateCall(k.fn, {fn->getArg(0), fn->getArg(1), fn->getArg(2), b_.getInt32(0),
                           b_.getInt32(extent), count, argsTable(k)});
      if (k.tile) {
        Value *slot = b_.CreateConstInBoundsGEP1_64(
            ptr_, fn->getArg(0), slots_.spikeCount[static_cast<uint32_t>(k.kernel->pop)]);
        b_.CreateStore(b_.CreateLoad(i32_, count), b_.CreateLoad(ptr_, slot));
      }
    }
    b_.CreateRetVoid();
    return fn;
  }

  /// A kernel's words as the private array it is called with (null when it has none).
  llvm::Constant *argsTable(const KernelInfo &k) {
    return k.argsTable ? k.argsTable : llvm::ConstantPointerNull::get(ptr_);
  }

  // ---- kernels ------------------------------------------------------------------------------
  llvm::Function *kernelFunction(const char *name, const std::vector<ir::Kernel> &kernels,
                                 bool isInit) {
    // init(buffers, seed), as runtime.h declares it.
    auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, i64_}, false);
    auto *fn = llvm::Function::Create(fty, llvm::Function::InternalLinkage,
                                      std::string(name) + "_" + m_.name, mod_.get());
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    if (merge_) {
      // Each kernel a function of its own, merged like the step kernels (initialising 50 equal
      // populations compiles one loop), called in order.
      std::vector<KernelInfo> parts;
      for (size_t j = 0; j < kernels.size(); ++j)
        parts.push_back(initKernel(kernels[j], j));
      fn_ = fn;
      b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
      for (const KernelInfo &k : parts)
        b_.CreateCall(k.fn, {fn->getArg(0), fn->getArg(1), argsTable(k)});
      b_.CreateRetVoid();
      return fn;
    }
    beginFunction(fn, isInit);
    for (auto &k : kernels) {
      locals_.clear();
      vars_.clear();
      block(k.body);
    }
    b_.CreateRetVoid();
    annotateAliasing(*fn);
    return fn;
  }

  /// uint32_t snn_pairs<j>_<net>(seed, by_post, fixed, lo, hi, out): connect kernel k's pair
  /// test over the candidates [lo, hi) of one row (by_post = 0: pre neuron `fixed`, candidate
  /// posts) or column (by_post = 1: post neuron `fixed`, candidate pres); writes the accepted
  /// candidates to out, ascending, and returns their number (runtime.h's snn_pairs_fn). Two
  /// loops: the tests, independent (SIMD lanes), each writing its flag to out[c - lo]; then the
  /// compaction of the accepted candidates to the front, in place.
  llvm::Function *pairFunction(const ir::Kernel &k) {
    auto *fty = llvm::FunctionType::get(i32_, {i64_, i32_, i32_, i32_, i32_, ptr_}, false);
    auto *fn = llvm::Function::Create(fty, llvm::Function::InternalLinkage,
                                      "snn_pairs" + std::to_string(k.proj) + "_" + m_.name,
                                      mod_.get());
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    const char *names[] = {"seed", "by_post", "fixed", "lo", "hi", "out"};
    for (unsigned a = 0; a < 6; ++a)
      fn->getArg(a)->setName(names[a]);
    fn_ = fn;
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
    loadBufferPointers(llvm::ConstantPointerNull::get(ptr_)); // a pair test reads no buffer
    seed_ = fn->getArg(0);
    step_ = nullptr;
    time_ = llvm::ConstantFP::get(real_, 0.0);
    words_ = nullptr;
    pairOut_ = fn->getArg(5);
    pairLo_ = fn->getArg(3);
    auto *rows = llvm::BasicBlock::Create(ctx_, "rows", fn);
    auto *cols = llvm::BasicBlock::Create(ctx_, "cols", fn);
    auto *done = llvm::BasicBlock::Create(ctx_, "done", fn);
    b_.CreateCondBr(b_.CreateICmpNE(fn->getArg(1), b_.getInt32(0)), cols, rows);
    for (bool byPost : {false, true}) {
      b_.SetInsertPoint(byPost ? cols : rows);
      loop(fn->getArg(3), fn->getArg(4), byPost ? "pre" : "post", [&](Value *iv) {
        locals_.clear();
        vars_.clear();
        bindLocal(byPost ? "post" : "pre", fn->getArg(2));
        bindLocal(byPost ? "pre" : "post", iv);
        pairPartner_ = iv;
        block(k.body);
      }, /*parallel=*/true);
      b_.CreateBr(done);
    }
    // In place, the accepted candidates to the front: out[n] = c; n += flag (n <= c - lo, and
    // out[c - lo] is read before anything is written over it).
    b_.SetInsertPoint(done);
    llvm::AllocaInst *count = entryAlloca(i32_, "n");
    b_.CreateStore(b_.getInt32(0), count);
    loop(fn->getArg(3), fn->getArg(4), "c", [&](Value *c) {
      Value *flag = b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, pairOut_, b_.CreateSub(c, pairLo_)));
      Value *n = b_.CreateLoad(i32_, count);
      b_.CreateStore(c, b_.CreateInBoundsGEP(i32_, pairOut_, n));
      b_.CreateStore(b_.CreateAdd(n, flag), count);
    });
    b_.CreateRet(b_.CreateLoad(i32_, count));
    pairOut_ = pairPartner_ = pairLo_ = nullptr;
    return fn;
  }

  /// void snn_i<j>_<net>(buffers, seed, args): init kernel j alone, with merged kernels.
  KernelInfo initKernel(const ir::Kernel &k, size_t j) {
    KernelInfo info{nullptr, &k, nullptr, {}, nullptr};
    auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, i64_, ptr_}, false);
    auto *fn = llvm::Function::Create(fty, llvm::Function::InternalLinkage,
                                      "snn_i" + std::to_string(j) + "_" + m_.name, mod_.get());
    info.fn = fn;
    beginFunction(fn, /*isInit=*/true);
    argsArg_ = fn->getArg(2);
    argsArg_->setName("args");
    words_ = &info.args;
    wordLoads_.clear();
    locals_.clear();
    vars_.clear();
    block(k.body);
    b_.CreateRetVoid();
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    fn->addFnAttr(llvm::Attribute::NoInline);
    return finishMerged(info);
  }

  /// void snn_coeffs<k>_<net>(buffers, double *a): run-time system k's matrix A from the
  /// current parameters, for the runtime to compute its propagators (runtime.h's
  /// snn_system_desc).
  llvm::Function *coefficientFunction(size_t k) {
    const ir::RuntimeSystem &rs = m_.runtimeSystems[k];
    auto *fty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, ptr_}, false);
    auto *fn = llvm::Function::Create(fty, llvm::Function::InternalLinkage,
                                      "snn_coeffs" + std::to_string(k) + "_" + m_.name,
                                      mod_.get());
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    fn_ = fn;
    fn->getArg(0)->setName("buffers");
    fn->getArg(1)->setName("a");
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));
    loadBufferPointers(fn->getArg(0));
    seed_ = b_.getInt64(0);
    step_ = nullptr;
    time_ = llvm::ConstantFP::get(real_, 0.0);
    locals_.clear();
    vars_.clear();
    for (size_t i = 0; i < rs.coeffs.size(); ++i) {
      Value *v = b_.CreateFPCast(expr(*rs.coeffs[i]), b_.getDoubleTy());
      b_.CreateStore(v, b_.CreateConstInBoundsGEP1_64(b_.getDoubleTy(), fn->getArg(1), i));
    }
    b_.CreateRetVoid();
    return fn;
  }

  /// Starts a function's buffer pointers: each is loaded once, at the top of the entry block,
  /// when the function first uses it (bufPtr), so that a kernel of a network with thousands of
  /// buffers loads, and annotates, only the few it touches.
  void loadBufferPointers(Value *buffers) {
    buffersArg_ = buffers;
    bufferPtrs_.assign(slots_.count, nullptr);
  }

  Value *bufPtr(uint32_t slot) {
    Value *&p = bufferPtrs_[slot];
    if (!p) {
      llvm::IRBuilderBase::InsertPointGuard guard(b_);
      if (words_) { // a merged kernel: the slot is one of its words
        Value *at = kernelWord(i64_, slot);
        b_.SetInsertPoint(llvm::cast<llvm::Instruction>(at)->getNextNode());
        p = b_.CreateLoad(ptr_, b_.CreateInBoundsGEP(ptr_, buffersArg_, at), slots_.names[slot]);
        return p;
      }
      b_.SetInsertPoint(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
      p = loadBufferPtr(buffersArg_, slot, slots_.names[slot]);
    }
    return p;
  }

  /// Entry `slot` of the buffer table. On the device every buffer is in global memory: the
  /// pointer is loaded as one into address space 1 and cast to generic, which LLVM's
  /// address-space inference then propagates, so accesses become ld.global / st.global.
  Value *loadBufferPtr(Value *buffers, uint32_t slot, const std::string &name) {
    Value *at = b_.CreateConstInBoundsGEP1_64(ptr_, buffers, slot);
    if (!device_)
      return b_.CreateLoad(ptr_, at, name);
    return b_.CreateAddrSpaceCast(b_.CreateLoad(b_.getPtrTy(1), at, name), ptr_);
  }

  /// Entry block of a kernel function: every buffer pointer loaded once; seed, step and t.
  void beginFunction(llvm::Function *fn, bool isInit) {
    fn_ = fn;
    llvm::Argument *buffers = fn->getArg(0);
    buffers->setName("buffers");
    llvm::Argument *arg = fn->getArg(1);
    arg->setName(isInit ? "seed" : "step");
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn));

    loadBufferPointers(buffers);
    seed_ = isInit ? arg : fn->getArg(2);
    seed_->setName("seed");
    step_ = isInit ? nullptr : arg;
    // Initialisation happens at t = 0 (a time-varying parameter read by an initial value).
    time_ = llvm::ConstantFP::get(real_, 0.0);
    if (!isInit) {
      // t = step * dt, computed in double as the runtime does, then narrowed for float32 models.
      Value *t = b_.CreateFMul(b_.CreateSIToFP(arg, b_.getDoubleTy()),
                               llvm::ConstantFP::get(b_.getDoubleTy(), m_.dt), "t");
      time_ = b_.CreateFPCast(t, real_);
    }
  }

  /// Every buffer is its own allocation, so accesses through different slots never alias: each
  /// load and store through a buffer gets that slot's alias scope and `noalias` for all others,
  /// which lets LLVM keep state in registers and vectorise loops without run-time overlap
  /// checks. The buffer table itself is never written by kernels (its loads are invariant).
  void annotateAliasing(llvm::Function &fn) {
    // Only the buffers this function uses get scopes: the lists stay as long as its own.
    llvm::MDBuilder md(ctx_);
    llvm::MDNode *domain = md.createAnonymousAliasScopeDomain("snn.buffers");
    std::vector<uint32_t> used;
    for (uint32_t s = 0; s < slots_.count; ++s)
      if (bufferPtrs_[s])
        used.push_back(s);
    std::vector<llvm::Metadata *> scopes;
    std::map<const Value *, uint32_t> slotOf; // underlying load -> index into `used`
    for (uint32_t u = 0; u < used.size(); ++u) {
      scopes.push_back(md.createAnonymousAliasScope(domain, slots_.names[used[u]]));
      const Value *load = llvm::getUnderlyingObject(bufferPtrs_[used[u]]);
      slotOf[load] = u;
      llvm::cast<llvm::Instruction>(const_cast<Value *>(load))
          ->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(ctx_, {}));
    }
    std::vector<llvm::MDNode *> scopeSets, others;
    for (uint32_t u = 0; u < used.size(); ++u) {
      scopeSets.push_back(llvm::MDNode::get(ctx_, {scopes[u]}));
      std::vector<llvm::Metadata *> rest;
      for (uint32_t o = 0; o < used.size(); ++o)
        if (o != u)
          rest.push_back(scopes[o]);
      others.push_back(llvm::MDNode::get(ctx_, rest));
    }
    for (auto &bb : fn)
      for (auto &inst : bb) {
        Value *ptr = nullptr;
        if (auto *ld = llvm::dyn_cast<llvm::LoadInst>(&inst))
          ptr = ld->getPointerOperand();
        else if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&inst))
          ptr = st->getPointerOperand();
        if (!ptr)
          continue;
        auto it = slotOf.find(llvm::getUnderlyingObject(ptr));
        if (it == slotOf.end())
          continue;
        inst.setMetadata(llvm::LLVMContext::MD_alias_scope, scopeSets[it->second]);
        inst.setMetadata(llvm::LLVMContext::MD_noalias, others[it->second]);
      }
  }

  /// A stack slot in the function's entry block (promoted to a register by LLVM's mem2reg).
  llvm::AllocaInst *entryAlloca(llvm::Type *ty, const std::string &name) {
    llvm::IRBuilder<> entry(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
    return entry.CreateAlloca(ty, nullptr, name);
  }

  Value *elementPtr(llvm::Type *elemTy, uint32_t slot, Value *index) {
    Value *i = index->getType() == i64_ ? index : b_.CreateSExt(index, i64_);
    return b_.CreateInBoundsGEP(elemTy, bufPtr(slot), i);
  }

  llvm::Type *varType(uint32_t pop, uint32_t var) {
    return m_.populations[pop].vars[var].type == ir::Type::I32 ? i32_ : real_;
  }

  /// Binds an immutable local (let, loop index), hiding any earlier var of that name.
  void bindLocal(const std::string &name, Value *v) {
    vars_.erase(name);
    locals_[name] = v;
    if (!llvm::isa<llvm::Constant>(v))
      v->setName(name);
  }

  /// Slot of runtime buffer `b` of population or projection `owner`.
  uint32_t bufferSlot(ir::Buffer b, uint32_t owner) const {
    using B = ir::Buffer;
    switch (b) {
    case B::Spikes: return slots_.spikes[owner];
    case B::SpikeCount: return slots_.spikeCount[owner];
    case B::RowPtr: return slots_.rowPtr[owner];
    case B::Col: return slots_.col[owner];
    case B::Ring: return slots_.ring[owner];
    case B::RingCount: return slots_.ringCount[owner];
    case B::Delay: return slots_.delay[owner];
    case B::DelayPtr: return slots_.delayPtr[owner];
    case B::MaxDelay: return slots_.maxDelay[owner];
    case B::ColPtr: return slots_.colPtr[owner];
    case B::PostSyn: return slots_.postSyn[owner];
    case B::PostPre: return slots_.postPre[owner];
    }
    return 0;
  }

  llvm::Type *llvmType(ir::Type t) {
    switch (t) {
    case ir::Type::Real: return real_;
    case ir::Type::Bool: return b_.getInt1Ty();
    case ir::Type::I32: case ir::Type::U32: return i32_;
    case ir::Type::I64: case ir::Type::U64: return i64_;
    }
    return i32_;
  }

  /// Whether a projection's col holds 16-bit post - post_begin (runtime.h, col_bytes): half a
  /// synapse's column bytes, where the post range allows.
  static bool narrowColumns(const ir::Projection &pj) { return pj.postEnd - pj.postBegin <= 65536; }

  Value *bufferPtr(ir::Buffer b, uint32_t owner, Value *index) {
    if (b == ir::Buffer::Col && narrowColumns(m_.projections[owner]))
      return elementPtr(b_.getInt16Ty(), bufferSlot(b, owner), index);
    return elementPtr(llvmType(ir::bufferType(b)), bufferSlot(b, owner), index);
  }

  /// The module's constant table `k` as a private array, emitted once.
  llvm::GlobalVariable *constTable(uint32_t k) {
    llvm::GlobalVariable *&gv = constants_[k];
    if (gv)
      return gv;
    const ir::ConstTable &c = m_.constants.at(k);
    llvm::Type *elem = llvmType(c.type);
    // Packed data (ConstantDataArray): a connection list may hold millions of entries.
    auto packed = [&](auto zero, auto convert) {
      std::vector<decltype(zero)> v;
      v.reserve(std::max<size_t>(c.size(), 1));
      if (c.type == ir::Type::Real)
        for (double x : c.reals)
          v.push_back(convert(x));
      else
        for (int64_t x : c.values)
          v.push_back(convert(x));
      if (v.empty())
        v.push_back(zero);
      return llvm::ConstantDataArray::get(ctx_, v);
    };
    llvm::Constant *init;
    if (elem->isFloatTy())
      init = packed(0.0f, [](auto x) { return static_cast<float>(x); });
    else if (elem->isDoubleTy())
      init = packed(0.0, [](auto x) { return static_cast<double>(x); });
    else if (elem == i64_)
      init = packed(uint64_t(0), [](auto x) { return static_cast<uint64_t>(x); });
    else
      init = packed(uint32_t(0), [](auto x) { return static_cast<uint32_t>(x); });
    gv = new llvm::GlobalVariable(*mod_, init->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                  init, "const." + c.name);
    return gv;
  }

  void block(const ir::Block &b) {
    for (auto &s : b)
      stmt(*s);
  }

  /// Emits `for (iv = begin; iv < end; ++iv) body(iv)`; iv has the type of begin.
  /// With `parallel`, the loop is declared free of loop-carried memory dependences (the IR's
  /// independent iterations): every load and store of its body joins one access group named by
  /// the loop's llvm.loop.parallel_accesses, which lets LLVM vectorise it without proving it.
  template <typename Body>
  void loop(Value *begin, Value *end, const char *name, Body body, bool parallel = false) {
    llvm::BasicBlock *pre = b_.GetInsertBlock();
    auto *header = llvm::BasicBlock::Create(ctx_, std::string(name) + ".header", fn_);
    auto *bodyBB = llvm::BasicBlock::Create(ctx_, std::string(name) + ".body", fn_);
    auto *exit = llvm::BasicBlock::Create(ctx_, std::string(name) + ".exit", fn_);
    b_.CreateBr(header);
    b_.SetInsertPoint(header);
    llvm::PHINode *iv = b_.CreatePHI(begin->getType(), 2, name);
    iv->addIncoming(begin, pre);
    b_.CreateCondBr(b_.CreateICmpSLT(iv, end), bodyBB, exit);
    b_.SetInsertPoint(bodyBB);
    body(iv);
    Value *next = b_.CreateAdd(iv, llvm::ConstantInt::get(begin->getType(), 1), "", true, true);
    iv->addIncoming(next, b_.GetInsertBlock());
    llvm::BranchInst *latch = b_.CreateBr(header);
    b_.SetInsertPoint(exit);
    if (parallel)
      markParallel(header, bodyBB, latch);
  }

  /// Whether running an independent loop as SIMD lanes pays on this target: its memory accesses
  /// become gathers and scatters, which cost about as much as scalar accesses on x86 (microcoded
  /// on Zen 4), so only a body with math functions to share (trace decays) gains; a plain
  /// `x[post] += w` runs a little faster scalar. (The CUBA delivery: 1.25 s scalar, 1.33 s as
  /// AVX-512 lanes; STDP's on_post: three times faster as lanes.)
  static bool worthLanes(const ir::Block &b) {
    bool found = false;
    std::function<void(const ir::Expr &)> visit = [&](const ir::Expr &e) {
      found = found || (e.op == ir::Op::Call && e.name != "abs" && e.name != "floor" &&
                        e.name != "ceil" && e.name != "trunc" && e.name != "round");
      for (auto &a : e.args)
        visit(*a);
    };
    std::function<void(const ir::Block &)> walk = [&](const ir::Block &blk) {
      for (auto &st : blk) {
        for (const ir::ExprRef *e : {&st->index, &st->value, &st->from, &st->to})
          if (*e)
            visit(**e);
        walk(st->body);
        walk(st->elseBody);
      }
    };
    walk(b);
    return found;
  }

  void markParallel(llvm::BasicBlock *header, llvm::BasicBlock *body, llvm::BranchInst *latch) {
    llvm::MDNode *group = llvm::MDNode::getDistinct(ctx_, {});
    std::vector<llvm::BasicBlock *> work{body};
    std::set<llvm::BasicBlock *> seen{header, body};
    while (!work.empty()) {
      llvm::BasicBlock *bb = work.back();
      work.pop_back();
      for (auto &inst : *bb) {
        Value *ptr = nullptr;
        if (auto *ld = llvm::dyn_cast<llvm::LoadInst>(&inst))
          ptr = ld->getPointerOperand();
        else if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&inst))
          ptr = st->getPointerOperand();
        if (ptr && !llvm::isa<llvm::AllocaInst>(llvm::getUnderlyingObject(ptr)))
          inst.setMetadata(llvm::LLVMContext::MD_access_group, group);
      }
      for (llvm::BasicBlock *succ : llvm::successors(bb))
        if (seen.insert(succ).second)
          work.push_back(succ);
    }
    llvm::MDNode *parallelAccesses = llvm::MDNode::get(
        ctx_, {llvm::MDString::get(ctx_, "llvm.loop.parallel_accesses"), group});
    llvm::MDNode *id = llvm::MDNode::getDistinct(ctx_, {nullptr, parallelAccesses});
    id->replaceOperandWith(0, id);
    latch->setMetadata(llvm::LLVMContext::MD_loop, id);
  }

  void stmt(const ir::Stmt &s) {
    using K = ir::Stmt::Kind;
    switch (s.kind) {
    case K::Let:
      bindLocal(s.name, expr(*s.value));
      return;
    case K::Store: {
      Value *v = expr(*s.value);
      if (s.onSynapse)
        b_.CreateStore(v, elementPtr(real_, slots_.synVar[s.pop][s.var], expr(*s.index)));
      else
        b_.CreateStore(v, elementPtr(varType(s.pop, s.var), slots_.var[s.pop][s.var],
                                     expr(*s.index)));
      return;
    }
    case K::BufStore:
      b_.CreateStore(expr(*s.value), bufferPtr(s.buffer, s.pop, expr(*s.index)));
      return;
    case K::Var: {
      Value *v = expr(*s.value);
      llvm::AllocaInst *slot = entryAlloca(v->getType(), s.name);
      b_.CreateStore(v, slot);
      locals_.erase(s.name);
      vars_[s.name] = slot;
      return;
    }
    case K::Assign:
      b_.CreateStore(expr(*s.value), vars_.at(s.name));
      return;
    case K::While: {
      auto *header = llvm::BasicBlock::Create(ctx_, "while.header", fn_);
      auto *body = llvm::BasicBlock::Create(ctx_, "while.body", fn_);
      auto *exit = llvm::BasicBlock::Create(ctx_, "while.exit", fn_);
      b_.CreateBr(header);
      b_.SetInsertPoint(header);
      b_.CreateCondBr(expr(*s.value), body, exit);
      b_.SetInsertPoint(body);
      block(s.body);
      b_.CreateBr(header);
      b_.SetInsertPoint(exit);
      return;
    }
    case K::Prefetch: // read, high locality, data cache
      if (device_)
        return; // a GPU hides latency with other warps
      b_.CreateIntrinsic(llvm::Intrinsic::prefetch, {ptr_},
                         {s.onSynapse
                              ? elementPtr(real_, slots_.synVar[s.pop][s.var], expr(*s.index))
                              : bufferPtr(s.buffer, s.pop, expr(*s.index)),
                          b_.getInt32(0), b_.getInt32(3), b_.getInt32(1)});
      return;
    case K::ForSpikes:
    case K::ForDelayedSpikes:
    case K::PushDelayedSpikes:
    case K::ForArrivals:
    case K::SetDelay:
    case K::ForRow:
    case K::ForColumn:
    case K::EmitSourceSpikes:
    case K::AdvanceTrace:
      return; // lowered by passes; the verifier refuses them here
    case K::If: {
      Value *c = expr(*s.value);
      auto *then = llvm::BasicBlock::Create(ctx_, "then", fn_);
      auto *els = llvm::BasicBlock::Create(ctx_, "else", fn_);
      auto *join = llvm::BasicBlock::Create(ctx_, "endif", fn_);
      b_.CreateCondBr(c, then, els);
      b_.SetInsertPoint(then);
      block(s.body);
      b_.CreateBr(join);
      b_.SetInsertPoint(els);
      block(s.elseBody);
      b_.CreateBr(join);
      b_.SetInsertPoint(join);
      return;
    }
    case K::Loop: {
      Value *begin = int32Word(s.begin);
      Value *end = int32Word(s.end);
      if (device_ && !s.tile.empty()) {
        // The thread's own neuron, if the grid's last block reaches past the population.
        Value *i = locals_.at(s.tile);
        auto *then = llvm::BasicBlock::Create(ctx_, s.name + ".thread", fn_);
        auto *join = llvm::BasicBlock::Create(ctx_, s.name + ".join", fn_);
        b_.CreateCondBr(b_.CreateICmpSLT(i, end), then, join);
        b_.SetInsertPoint(then);
        bindLocal(s.name, i);
        block(s.body);
        b_.CreateBr(join);
        b_.SetInsertPoint(join);
        return;
      }
      if (!s.tile.empty()) {
        // The neurons of the enclosing tile: [tile, min(tile + size, end)).
        begin = locals_.at(s.tile);
        Value *stop = b_.CreateAdd(begin, b_.getInt32(static_cast<uint32_t>(s.tileSize)));
        end = b_.CreateSelect(b_.CreateICmpSLT(stop, end), stop, end, "tile_end");
      }
      if (s.from) {
        begin = expr(*s.from);
        end = expr(*s.to);
      }
      loop(
          begin, end, s.name.c_str(),
          [&](Value *iv) {
            bindLocal(s.name, iv);
            block(s.body);
          },
          s.independent && worthLanes(s.body));
      return;
    }
    case K::Tile: {
      if (device_) { // one thread per neuron: the tile is the thread's neuron
        locals_[s.name] = b_.CreateAdd(b_.getInt32(static_cast<uint32_t>(s.begin)), deviceGid_,
                                       s.name);
        block(s.body);
        return;
      }
      // The tile's spike mask: a byte per neuron, scratch on the stack (allocated once, at entry).
      auto *maskTy = llvm::ArrayType::get(b_.getInt8Ty(), static_cast<uint64_t>(s.tileSize));
      Value *mask = entryAlloca(maskTy, "mask." + s.name);
      // The tiles of the kernel's range: [begin, min(end, s.end)).
      Value *end = int32Word(s.end);
      end = b_.CreateSelect(b_.CreateICmpSLT(rangeEnd_, end), rangeEnd_, end, "range_end");
      Value *first = int32Word(s.begin);
      Value *start = b_.CreateSelect(b_.CreateICmpSGT(rangeBegin_, first), rangeBegin_, first,
                                     "range_begin");
      llvm::BasicBlock *pre = b_.GetInsertBlock();
      auto *header = llvm::BasicBlock::Create(ctx_, s.name + ".header", fn_);
      auto *body = llvm::BasicBlock::Create(ctx_, s.name + ".body", fn_);
      auto *exit = llvm::BasicBlock::Create(ctx_, s.name + ".exit", fn_);
      b_.CreateBr(header);
      b_.SetInsertPoint(header);
      llvm::PHINode *t = b_.CreatePHI(i32_, 2, s.name);
      t->addIncoming(start, pre);
      b_.CreateCondBr(b_.CreateICmpSLT(t, end), body, exit);
      b_.SetInsertPoint(body);
      locals_[s.name] = t;
      masks_[s.name] = mask;
      block(s.body);
      t->addIncoming(b_.CreateAdd(t, b_.getInt32(static_cast<uint32_t>(s.tileSize)), "", true,
                                  true),
                     b_.GetInsertBlock());
      b_.CreateBr(header);
      b_.SetInsertPoint(exit);
      return;
    }
    case K::SpikeMask: {
      if (device_) {
        b_.CreateStore(expr(*s.value), spikeFlag_);
        return;
      }
      const std::string &tile = s.name;
      Value *k = b_.CreateSub(expr(*s.index), locals_.at(tile));
      b_.CreateStore(b_.CreateZExt(expr(*s.value), b_.getInt8Ty()),
                     b_.CreateInBoundsGEP(b_.getInt8Ty(), masks_.at(tile), k));
      return;
    }
    case K::CompactSpikes: {
      if (device_) {
        // Every lane of the warp, in range or not, votes; lane 0 stores the warp's word.
        Value *word = cuda::ballot(b_, b_.CreateLoad(b_.getInt1Ty(), spikeFlag_));
        Value *at = b_.CreateLShr(locals_.at(s.name), 5, "word_index"); // the tile begins at 0
        auto *lane0 = llvm::BasicBlock::Create(ctx_, "lane0", fn_);
        auto *join = llvm::BasicBlock::Create(ctx_, "voted", fn_);
        b_.CreateCondBr(b_.CreateICmpEQ(cuda::laneIndex(b_), b_.getInt32(0)), lane0, join);
        b_.SetInsertPoint(lane0);
        b_.CreateStore(word, b_.CreateInBoundsGEP(i32_, wordPtrs_[s.pop],
                                                  b_.CreateZExt(at, i64_)));
        b_.CreateBr(join);
        b_.SetInsertPoint(join);
        return;
      }
      // Appends tile + k for every set mask byte k, in order, to the kernel range's spikes (from
      // spikes[begin] on; the count stays in a register). Spikes are rare, so the mask is read 8
      // bytes at a time and a zero word skips 8 neurons; a word with a spike, and the tail of a
      // short tile, go byte by byte, branch-free.
      const ir::Population &pop = m_.populations[s.pop];
      Value *begin = locals_.at(s.name);
      Value *stop = b_.CreateAdd(begin, b_.getInt32(static_cast<uint32_t>(s.tileSize)));
      Value *size = int32Word(pop.size);
      Value *len = b_.CreateSub(b_.CreateSelect(b_.CreateICmpSLT(stop, size), stop, size), begin,
                                "tile_len");
      Value *mask = masks_.at(s.name);
      llvm::AllocaInst *nVar = tileCount_;
      auto bytes = [&](Value *from, Value *to) {
        loop(from, to, "cbyte", [&](Value *k) {
          Value *bit = b_.CreateLoad(b_.getInt8Ty(),
                                     b_.CreateInBoundsGEP(b_.getInt8Ty(), mask, k));
          Value *n = b_.CreateLoad(i32_, nVar);
          b_.CreateStore(b_.CreateAdd(begin, k),
                         elementPtr(i32_, slots_.spikes[s.pop], b_.CreateAdd(rangeBegin_, n)));
          b_.CreateStore(b_.CreateAdd(n, b_.CreateZExt(b_.CreateICmpNE(bit, b_.getInt8(0)), i32_)),
                         nVar);
        });
      };
      Value *words = b_.CreateLShr(len, 3, "words");
      loop(b_.getInt32(0), words, "cword", [&](Value *w) {
        Value *at = b_.CreateShl(w, 3);
        Value *word = b_.CreateLoad(i64_, b_.CreateInBoundsGEP(b_.getInt8Ty(), mask, at), "word");
        auto *any = llvm::BasicBlock::Create(ctx_, "compact.any", fn_);
        auto *next = llvm::BasicBlock::Create(ctx_, "compact.next", fn_);
        b_.CreateCondBr(b_.CreateICmpNE(word, b_.getInt64(0)), any, next);
        b_.SetInsertPoint(any);
        bytes(at, b_.CreateAdd(at, b_.getInt32(8)));
        b_.CreateBr(next);
        b_.SetInsertPoint(next);
      });
      bytes(b_.CreateShl(words, 3), len);
      return;
    }
    case K::ClearSpikes:
      if (tiled_)
        return; // the caller sets the count of a tiled kernel's spikes (stepFunction, runtime)
      b_.CreateStore(b_.getInt32(0), bufPtr(slots_.spikeCount[s.pop]));
      return;
    case K::EmitSpike: {
      Value *countPtr = bufPtr(slots_.spikeCount[s.pop]);
      Value *n = b_.CreateLoad(i32_, countPtr, "n");
      b_.CreateStore(expr(*s.index), elementPtr(i32_, slots_.spikes[s.pop], n));
      b_.CreateStore(b_.CreateAdd(n, b_.getInt32(1)), countPtr);
      return;
    }
    case K::Note:
      return;
    case K::AcceptPair:
      // out[candidate - lo] = accepted: a loop of independent tests (SIMD lanes), compacted after.
      b_.CreateStore(b_.CreateZExt(expr(*s.value), i32_),
                     b_.CreateInBoundsGEP(i32_, pairOut_, b_.CreateSub(pairPartner_, pairLo_)));
      return;
    case K::Ode:
      // Rejected by the verifier before code generation.
      return;
    }
  }

  /// Philox-4x32-10 (runtime/src/rng.c, Salmon et al. 2011) as an internal, pure, always-inlined
  /// function of (key, counter low, counter high) returning the block's four words.
  llvm::Function *philoxFunction() {
    if (philox_)
      return philox_;
    auto *vec = llvm::FixedVectorType::get(i32_, 4);
    auto *fty = llvm::FunctionType::get(vec, {i64_, i64_, i64_}, false);
    philox_ = llvm::Function::Create(fty, llvm::Function::InternalLinkage, "snn.philox4x32_10",
                                     mod_.get());
    philox_->addFnAttr(llvm::Attribute::AlwaysInline);
    philox_->addFnAttr(llvm::Attribute::NoUnwind);
    philox_->addFnAttr(llvm::Attribute::WillReturn);
    philox_->setDoesNotAccessMemory();
    IRBuilder<> b(llvm::BasicBlock::Create(ctx_, "entry", philox_));
    auto lo = [&](Value *v) { return b.CreateTrunc(v, i32_); };
    auto hi = [&](Value *v) { return b.CreateTrunc(b.CreateLShr(v, 32), i32_); };
    Value *key = philox_->getArg(0), *c01 = philox_->getArg(1), *c23 = philox_->getArg(2);
    Value *k0 = lo(key), *k1 = hi(key);
    Value *c[4] = {lo(c01), hi(c01), lo(c23), hi(c23)};
    const uint64_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
    for (int r = 0; r < 10; ++r) {
      if (r > 0) { // the key is bumped between rounds, not before the first
        k0 = b.CreateAdd(k0, b.getInt32(0x9E3779B9u));
        k1 = b.CreateAdd(k1, b.getInt32(0xBB67AE85u));
      }
      Value *p0 = b.CreateMul(b.CreateZExt(c[0], i64_), b.getInt64(M0));
      Value *p1 = b.CreateMul(b.CreateZExt(c[2], i64_), b.getInt64(M1));
      Value *n0 = b.CreateXor(b.CreateXor(hi(p1), c[1]), k0);
      Value *n1 = lo(p1);
      Value *n2 = b.CreateXor(b.CreateXor(hi(p0), c[3]), k1);
      Value *n3 = lo(p0);
      c[0] = n0, c[1] = n1, c[2] = n2, c[3] = n3;
    }
    Value *out = llvm::PoisonValue::get(vec);
    for (unsigned w = 0; w < 4; ++w)
      out = b.CreateInsertElement(out, c[w], b.getInt32(w));
    b.CreateRet(out);
    return philox_;
  }

  Value *intrinsic(llvm::Intrinsic::ID id, std::vector<Value *> args) {
    if (device_) { // what PTX has no instruction for comes from libdevice
      static const std::map<llvm::Intrinsic::ID, const char *> fromLibdevice = {
          {llvm::Intrinsic::sin, "sin"},     {llvm::Intrinsic::cos, "cos"},
          {llvm::Intrinsic::log10, "log10"}, {llvm::Intrinsic::pow, "pow"}};
      if (auto it = fromLibdevice.find(id); it != fromLibdevice.end())
        return libm(it->second, args);
    }
    llvm::Function *f = llvm::Intrinsic::getDeclaration(mod_.get(), id, {real_});
    return b_.CreateCall(f, args);
  }

  Value *libm(const std::string &name, std::vector<Value *> args) {
    // float32 models call the 'f' variants (tanhf), as C would.
    std::string sym = device_ ? cuda::libdeviceName(name, real_->isFloatTy())
                      : real_->isFloatTy() ? name + "f"
                                           : name;
    std::vector<llvm::Type *> params(args.size(), real_);
    llvm::FunctionCallee f =
        mod_->getOrInsertFunction(sym, llvm::FunctionType::get(real_, params, false));
    if (auto *fn = llvm::dyn_cast<llvm::Function>(f.getCallee())) {
      // Pure, like the llvm.exp intrinsic: errno is never read by model code, so LLVM may merge
      // repeated calls (a rate function used in both f and a of exponential Euler) and hoist them.
      fn->setDoesNotThrow();
      fn->setDoesNotAccessMemory();
      fn->setWillReturn();
    }
    return b_.CreateCall(f, args);
  }

  Value *expr(const ir::Expr &e) {
    using ir::Op;
    auto arg = [&](size_t i) { return expr(*e.args[i]); };
    ir::Type argType = e.args.empty() ? ir::Type::Real : e.args[0]->type;
    bool isUnsigned = argType == ir::Type::U32 || argType == ir::Type::U64;
    bool isInt = ir::isInteger(argType);
    switch (e.op) {
    case Op::Const: return realWord(e.value);
    case Op::IntConst:
      if (e.type == ir::Type::U64 || e.type == ir::Type::I64)
        return int64Word(static_cast<int64_t>(e.value));
      return kernelWord(i32_, static_cast<uint64_t>(static_cast<int64_t>(e.value)) & 0xffffffffu);
    case Op::BoolConst: return b_.getInt1(e.value != 0);
    case Op::Load: {
      if (e.onSynapse)
        return b_.CreateLoad(real_, elementPtr(real_, slots_.synVar[e.pop][e.var], arg(0)));
      llvm::Type *t = varType(e.pop, e.var);
      return b_.CreateLoad(t, elementPtr(t, slots_.var[e.pop][e.var], arg(0)));
    }
    case Op::Local:
      if (auto v = vars_.find(e.name); v != vars_.end())
        return b_.CreateLoad(v->second->getAllocatedType(), v->second, e.name);
      return locals_.at(e.name);
    case Op::BufLoad:
      if (e.buffer == ir::Buffer::Col && narrowColumns(m_.projections[e.pop])) {
        // A 16-bit column: the post neuron is post_begin + the entry.
        Value *q = b_.CreateZExt(
            b_.CreateLoad(b_.getInt16Ty(), bufferPtr(e.buffer, e.pop, arg(0)), "col16"), i32_);
        uint32_t first = m_.projections[e.pop].postBegin;
        return first ? b_.CreateAdd(q, b_.getInt32(first), "col", true, true) : q;
      }
      return b_.CreateLoad(llvmType(e.type), bufferPtr(e.buffer, e.pop, arg(0)),
                           ir::bufferName(e.buffer));
    case Op::ConstLoad: {
      llvm::GlobalVariable *gv = constTable(e.var);
      Value *i = arg(0);
      if (i->getType() != i64_)
        i = e.args[0]->type == ir::Type::I32 ? b_.CreateSExt(i, i64_) : b_.CreateZExt(i, i64_);
      return b_.CreateLoad(llvmType(e.type),
                           b_.CreateInBoundsGEP(gv->getValueType(), gv, {b_.getInt64(0), i}));
    }
    case Op::RangeBegin: return rangeBegin_;
    case Op::RangeEnd: return rangeEnd_;
    case Op::Time: return time_;
    case Op::Rand: return nullptr; // lowered by lower-random; the verifier refuses it here
    case Op::Step: return step_ ? step_ : b_.getInt64(0);
    case Op::Seed: return seed_;
    case Op::Philox: {
      // One block per (key, counter): the helper is pure, so LLVM merges the calls for the four
      // words of one draw, then inlines it.
      Value *block = b_.CreateCall(philoxFunction(), {arg(0), arg(1), arg(2)});
      return b_.CreateExtractElement(block, b_.getInt32(e.var));
    }
    case Op::Xor: return b_.CreateXor(arg(0), arg(1));
    case Op::Shl: return b_.CreateShl(arg(0), arg(1));
    case Op::LShr: return b_.CreateLShr(arg(0), arg(1));
    case Op::Cast: {
      Value *x = arg(0);
      ir::Type from = e.args[0]->type;
      bool isSigned = from == ir::Type::I32 || from == ir::Type::I64;
      if (e.type == ir::Type::Real)
        return isSigned ? b_.CreateSIToFP(x, real_) : b_.CreateUIToFP(x, real_);
      llvm::Type *to = llvmType(e.type);
      if (x->getType() == to) // same width: the bits are kept
        return x;
      if (x->getType()->getIntegerBitWidth() > to->getIntegerBitWidth())
        return b_.CreateTrunc(x, to);
      return isSigned ? b_.CreateSExt(x, to) : b_.CreateZExt(x, to);
    }
    case Op::Neg: return isInt ? b_.CreateNeg(arg(0)) : b_.CreateFNeg(arg(0));
    case Op::Not: return b_.CreateNot(arg(0));
    case Op::Add: return isInt ? b_.CreateAdd(arg(0), arg(1)) : b_.CreateFAdd(arg(0), arg(1));
    case Op::Sub: return isInt ? b_.CreateSub(arg(0), arg(1)) : b_.CreateFSub(arg(0), arg(1));
    case Op::Mul: return isInt ? b_.CreateMul(arg(0), arg(1)) : b_.CreateFMul(arg(0), arg(1));
    case Op::Div:
      if (!isInt)
        return b_.CreateFDiv(arg(0), arg(1));
      return isUnsigned ? b_.CreateUDiv(arg(0), arg(1)) : b_.CreateSDiv(arg(0), arg(1));
    case Op::Rem: return isUnsigned ? b_.CreateURem(arg(0), arg(1)) : b_.CreateSRem(arg(0), arg(1));
    case Op::Pow: return intrinsic(llvm::Intrinsic::pow, {arg(0), arg(1)});
    case Op::Min:
    case Op::Max: {
      Value *a = arg(0), *c = arg(1);
      if (isInt)
        return b_.CreateSelect(e.op == Op::Min ? b_.CreateICmpSLT(a, c) : b_.CreateICmpSGT(a, c),
                               a, c);
      return intrinsic(e.op == Op::Min ? llvm::Intrinsic::minnum : llvm::Intrinsic::maxnum, {a, c});
    }
    case Op::Lt:
      if (isUnsigned)
        return b_.CreateICmpULT(arg(0), arg(1));
      return isInt ? b_.CreateICmpSLT(arg(0), arg(1)) : b_.CreateFCmpOLT(arg(0), arg(1));
    case Op::Le:
      if (isUnsigned)
        return b_.CreateICmpULE(arg(0), arg(1));
      return isInt ? b_.CreateICmpSLE(arg(0), arg(1)) : b_.CreateFCmpOLE(arg(0), arg(1));
    case Op::Gt:
      if (isUnsigned)
        return b_.CreateICmpUGT(arg(0), arg(1));
      return isInt ? b_.CreateICmpSGT(arg(0), arg(1)) : b_.CreateFCmpOGT(arg(0), arg(1));
    case Op::Ge:
      if (isUnsigned)
        return b_.CreateICmpUGE(arg(0), arg(1));
      return isInt ? b_.CreateICmpSGE(arg(0), arg(1)) : b_.CreateFCmpOGE(arg(0), arg(1));
    case Op::Eq: return isInt ? b_.CreateICmpEQ(arg(0), arg(1)) : b_.CreateFCmpOEQ(arg(0), arg(1));
    case Op::Ne: return isInt ? b_.CreateICmpNE(arg(0), arg(1)) : b_.CreateFCmpUNE(arg(0), arg(1));
    case Op::And: return b_.CreateAnd(arg(0), arg(1));
    case Op::Or: return b_.CreateOr(arg(0), arg(1));
    case Op::Select: return b_.CreateSelect(arg(0), arg(1), arg(2));
    case Op::ToReal: return b_.CreateSIToFP(arg(0), real_);
    case Op::ToInt: // saturating, NaN -> 0 (plain fptosi is poison out of range)
      return b_.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {i32_, real_}, {arg(0)});
    case Op::Call: return callFn(e);
    case Op::Table: return timedArray(e);
    case Op::CountBelow: {
      // Straight-line compares against the table's constants (the tables are short: SLP makes
      // them a few vector compares). Exactly as in double precision: a float x is above the
      // double c if and only if x >= the least float above c.
      const ir::ConstTable &t = m_.constants[e.var];
      Value *x = arg(0);
      const bool single = x->getType()->isFloatTy();
      Value *n = b_.getInt32(0);
      for (double v : t.reals) {
        Value *below;
        if (single) {
          float f = static_cast<float>(v);
          if (static_cast<double>(f) <= v)
            f = std::nextafter(f, std::numeric_limits<float>::infinity());
          below = b_.CreateFCmpOGE(x, llvm::ConstantFP::get(x->getType(), f));
        } else {
          below = b_.CreateFCmpOLT(llvm::ConstantFP::get(b_.getDoubleTy(), v),
                                   b_.CreateFPCast(x, b_.getDoubleTy()));
        }
        n = b_.CreateAdd(n, b_.CreateZExt(below, i32_));
      }
      return n;
    }
    case Op::PoissonInv: { // in double precision whatever the model's
      llvm::Type *f64 = b_.getDoubleTy();
      Value *mean = b_.CreateFPCast(arg(0), f64), *u = b_.CreateFPCast(arg(1), f64);
      return b_.CreateFPCast(b_.CreateCall(mathPoissonInv(*mod_), {mean, u}), real_);
    }
    case Op::BinomialInv: {
      llvm::Type *f64 = b_.getDoubleTy();
      Value *n = b_.CreateFPCast(arg(0), f64), *p = b_.CreateFPCast(arg(1), f64),
            *u = b_.CreateFPCast(arg(2), f64);
      return b_.CreateFPCast(b_.CreateCall(mathBinomialInv(*mod_), {n, p, u}), real_);
    }
    case Op::Quantity:
    case Op::Param:
      break; // rejected by the verifier before code generation
    }
    return llvm::ConstantFP::get(real_, 0.0);
  }

  Value *callFn(const ir::Expr &e) {
    Value *x = expr(*e.args[0]);
    static const std::map<std::string, llvm::Intrinsic::ID> intrinsics = {
        {"log10", llvm::Intrinsic::log10}, {"sqrt", llvm::Intrinsic::sqrt},
        {"abs", llvm::Intrinsic::fabs},    {"sin", llvm::Intrinsic::sin},
        {"cos", llvm::Intrinsic::cos},     {"floor", llvm::Intrinsic::floor},
        {"ceil", llvm::Intrinsic::ceil},   {"trunc", llvm::Intrinsic::trunc},
        {"round", llvm::Intrinsic::roundeven}}; // half to even, as Python and NumPy
    if (auto it = intrinsics.find(e.name); it != intrinsics.end())
      return intrinsic(it->second, {x});
    // Branch-free, so that the loop using them vectorises (MathLib.h).
    if (e.name == "exp")
      return b_.CreateCall(mathExp(*mod_, real_), {x});
    if (e.name == "log")
      return b_.CreateCall(mathLog(*mod_, real_), {x});
    if (e.name == "tanh")
      return b_.CreateCall(mathTanh(*mod_, real_), {x});
    if (e.name == "cos2pi")
      return b_.CreateCall(mathCos2Pi(*mod_, real_), {x});
    for (const char *fn : {"tan", "atan", "sinh", "cosh"})
      if (e.name == fn)
        return libm(fn, {x});
    if (e.name == "exprel") {
      // ir::exprel (Simplify.cpp) in code, with one expm1: expm1(x)/x, and near and past exp's
      // overflow (x > 700, or 80 in float32) expm1(x) = q (q + 2) with q = expm1(x/2), as
      // (q/x) (q + 2), finite up to where exprel itself overflows; the series 1 + x/2 at the
      // removable singularity; +inf at x = +inf.
      auto c = [&](double v) { return llvm::ConstantFP::get(real_, v); };
      Value *small = b_.CreateFCmpOLT(intrinsic(llvm::Intrinsic::fabs, {x}), c(1e-8));
      Value *series = b_.CreateFAdd(c(1.0), b_.CreateFMul(x, c(0.5)));
      Value *huge = b_.CreateFCmpOGT(x, c(real_->isFloatTy() ? 80.0 : 700.0));
      Value *q = b_.CreateCall(mathExpm1(*mod_, real_),
                               {b_.CreateSelect(huge, b_.CreateFMul(x, c(0.5)), x)});
      Value *qx = b_.CreateFDiv(q, x);
      Value *full = b_.CreateSelect(huge, b_.CreateFMul(qx, b_.CreateFAdd(q, c(2.0))), qx);
      full = b_.CreateSelect(b_.CreateFCmpOEQ(x, llvm::ConstantFP::getInfinity(real_)),
                             llvm::ConstantFP::getInfinity(real_), full);
      return b_.CreateSelect(small, series, full);
    }
    return llvm::ConstantFP::get(real_, 0.0);
  }

  /// values[clamp(int((t + 1e-3*T)/T), 0, n-1)], in double like Brian2's timestep(); the table
  /// is a constant array in the object.
  Value *timedArray(const ir::Expr &e) {
    const ir::TimedArray &ta = m_.tables.at(e.var);
    auto *ty = llvm::ArrayType::get(real_, ta.values.size());
    llvm::GlobalVariable *&gv = tables_[e.var];
    if (!gv) {
      std::vector<llvm::Constant *> vals;
      for (double v : ta.values)
        vals.push_back(llvm::ConstantFP::get(real_, v));
      gv = new llvm::GlobalVariable(*mod_, ty, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(ty, vals), "timed_array." + ta.name);
    }
    auto *dbl = b_.getDoubleTy();
    Value *t = b_.CreateFPExt(expr(*e.args[0]), dbl);
    Value *k = b_.CreateFDiv(b_.CreateFAdd(t, llvm::ConstantFP::get(dbl, 1e-3 * ta.interval)),
                             llvm::ConstantFP::get(dbl, ta.interval));
    Value *zero = llvm::ConstantFP::get(dbl, 0.0);
    Value *last = llvm::ConstantFP::get(dbl, static_cast<double>(ta.values.size() - 1));
    k = b_.CreateSelect(b_.CreateFCmpOGT(k, zero), k, zero);
    k = b_.CreateSelect(b_.CreateFCmpOLT(k, last), k, last);
    Value *index = b_.CreateFPToSI(k, i64_, ta.name + ".index");
    return b_.CreateLoad(real_, b_.CreateInBoundsGEP(ty, gv, {b_.getInt64(0), index}), ta.name);
  }

  // ---- descriptor ---------------------------------------------------------------------------
  llvm::Constant *str(const std::string &s) {
    auto *init = llvm::ConstantDataArray::getString(ctx_, s);
    auto *gv = new llvm::GlobalVariable(*mod_, init->getType(), true,
                                        llvm::GlobalValue::PrivateLinkage, init, ".str");
    gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    return gv;
  }

  llvm::Constant *array(llvm::StructType *ty, const std::vector<llvm::Constant *> &elems,
                        const std::string &name) {
    if (elems.empty())
      return llvm::ConstantPointerNull::get(ptr_);
    auto *aty = llvm::ArrayType::get(ty, elems.size());
    return new llvm::GlobalVariable(*mod_, aty, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(aty, elems), name);
  }

  llvm::Constant *u32(uint64_t v) { return b_.getInt32(static_cast<uint32_t>(v)); }

  llvm::Constant *u32Array(const std::vector<uint32_t> &vals, const std::string &name) {
    auto *ty = llvm::ArrayType::get(i32_, vals.size());
    std::vector<llvm::Constant *> cs;
    for (uint32_t v : vals)
      cs.push_back(u32(v));
    return new llvm::GlobalVariable(*mod_, ty, true, llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(ty, cs), name);
  }

  /// runtime.h's snn_conv_desc, field by field (zeros but for ones where no conv2d).
  llvm::Constant *convGeometry(const ConvGeometry &g) {
    const uint32_t v[10] = {g.inC, g.inH, g.inW, g.outC, g.outH, g.outW,
                            g.kH,  g.kW,  g.stride, g.padding};
    std::vector<llvm::Constant *> cs;
    for (uint32_t x : v)
      cs.push_back(u32(x));
    return llvm::ConstantArray::get(llvm::ArrayType::get(i32_, 10), cs);
  }

  static uint32_t phaseCode(ir::Phase p) {
    switch (p) {
    case ir::Phase::Update: return SNN_PHASE_UPDATE;
    case ir::Phase::Threshold: return SNN_PHASE_THRESHOLD;
    case ir::Phase::Deliver: return SNN_PHASE_DELIVER;
    case ir::Phase::Reset: return SNN_PHASE_RESET;
    case ir::Phase::Init:
    case ir::Phase::Connect: break;
    }
    return SNN_PHASE_UNKNOWN;
  }

  void descriptor(llvm::Function *init, llvm::Function *step,
                  const std::vector<KernelInfo> &kernels) {
    // These struct types mirror runtime.h field by field; natural alignment gives the C layout.
    auto *varTy = llvm::StructType::get(ctx_, {ptr_, i32_, i32_, ptr_, i32_});
    // Synapse variables some step kernel writes; the others are fixed after init.
    std::set<std::pair<uint32_t, uint32_t>> written;
    std::function<void(const ir::Block &)> scan = [&](const ir::Block &b) {
      for (auto &s : b) {
        if ((s->kind == ir::Stmt::Kind::Store || s->kind == ir::Stmt::Kind::AdvanceTrace) &&
            s->onSynapse)
          written.insert({s->pop, s->var});
        scan(s->body);
        scan(s->elseBody);
      }
    };
    for (auto &k : m_.step)
      scan(k.body);
    auto *popTy = llvm::StructType::get(ctx_, {ptr_, i32_, i32_, ptr_, i32_, i32_, i32_, i32_});
    auto *projTy = llvm::StructType::get(ctx_, {ptr_, i32_, i32_, i32_, i32_, i32_, i32_, i32_, i32_,
                                                b_.getDoubleTy(), i32_, i32_, i32_, i32_, ptr_,
                                                i32_, i32_, i32_, i32_, i32_, i32_, i32_, i32_,
                                                i32_, i32_, i32_, ptr_, ptr_, i64_, i32_, ptr_,
                                                llvm::ArrayType::get(i32_, 10)});
    auto *recTy = llvm::StructType::get(ctx_, {ptr_, i32_, i32_, i32_, i32_, i32_, i32_});
    auto *kernelTy =
        llvm::StructType::get(ctx_, {ptr_, ptr_, i32_, i32_, i32_, i32_, i32_, ptr_, ptr_});
    auto *modelTy = llvm::StructType::get(
        ctx_, {i32_, ptr_, i32_, b_.getDoubleTy(), b_.getDoubleTy(), i64_, i32_, ptr_, i32_, ptr_,
               i32_, ptr_, i32_, ptr_, ptr_, i32_, ptr_, ptr_, i32_, ptr_, i32_, ptr_, ptr_, ptr_,
               i32_, ptr_, ptr_});
    auto *systemTy = llvm::StructType::get(
        ctx_, {i32_, i32_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_});
    std::vector<llvm::Constant *> systems;
    for (size_t k = 0; k < m_.runtimeSystems.size(); ++k) {
      const ir::RuntimeSystem &rs = m_.runtimeSystems[k];
      std::string tag = "system" + std::to_string(k) + ".";
      auto slotsOf = [&](const std::vector<uint32_t> &vars, const char *what) -> llvm::Constant * {
        if (vars.empty())
          return llvm::ConstantPointerNull::get(ptr_);
        std::vector<uint32_t> s;
        for (uint32_t v : vars)
          s.push_back(slots_.var[rs.pop][v]);
        return u32Array(s, tag + what);
      };
      std::vector<uint32_t> frozen;
      for (bool f : rs.frozen)
        frozen.push_back(f ? 1 : 0);
      auto *bTy = llvm::ArrayType::get(b_.getDoubleTy(), rs.bConst.size());
      std::vector<llvm::Constant *> bs;
      for (double v : rs.bConst)
        bs.push_back(llvm::ConstantFP::get(b_.getDoubleTy(), v));
      auto *bConst = new llvm::GlobalVariable(*mod_, bTy, true, llvm::GlobalValue::PrivateLinkage,
                                              llvm::ConstantArray::get(bTy, bs), tag + "b");
      systems.push_back(llvm::ConstantStruct::get(
          systemTy, {u32(rs.pop), u32(rs.n), coeffFns_[k], bConst, u32Array(frozen, tag + "frozen"),
                     slotsOf(rs.phi, "phi"), slotsOf(rs.gamma, "gamma"),
                     slotsOf(rs.constant, "constant"), slotsOf(rs.phiR, "phi_r"),
                     slotsOf(rs.gammaR, "gamma_r"), slotsOf(rs.constantR, "constant_r")}));
    }
    auto *paramTy = llvm::StructType::get(ctx_, {ptr_, i32_, i32_, b_.getDoubleTy(), ptr_, ptr_});
    // Every population parameter: run-time ones with their buffer, folded ones with their value.
    // Then the run-time synapse parameters and network constants; paramIndex maps each run-time
    // parameter to its entry, for the protocol's changes.
    std::vector<llvm::Constant *> params;
    std::vector<uint32_t> paramIndex(m_.runtimeParams.size());
    auto runtimeEntry = [&](size_t k) {
      const ir::RuntimeParam &r = m_.runtimeParams[k];
      paramIndex[k] = static_cast<uint32_t>(params.size());
      params.push_back(llvm::ConstantStruct::get(
          paramTy, {str(ir::qualifiedName(r)), u32(r.pop), u32(slots_.var[r.pop][r.var]),
                    llvm::ConstantFP::get(b_.getDoubleTy(), r.value), str(r.unit),
                    str(r.units)}));
    };
    for (size_t p = 0; p < m_.populations.size(); ++p)
      for (const ir::Param &pr : m_.populations[p].params) {
        int rt = -1;
        for (size_t k = 0; k < m_.runtimeParams.size(); ++k)
          if (m_.runtimeParams[k].owner == m_.populations[p].name &&
              m_.runtimeParams[k].name == pr.name)
            rt = static_cast<int>(k);
        double value = 0;
        if (rt >= 0) {
          runtimeEntry(static_cast<size_t>(rt));
          continue;
        }
        if (!ir::isConst(*pr.value, &value))
          continue; // time-varying: not a single value
        params.push_back(llvm::ConstantStruct::get(
            paramTy, {str(m_.populations[p].name + "." + pr.name), u32(p), u32(SNN_NO_BUFFER),
                      llvm::ConstantFP::get(b_.getDoubleTy(), value), str(""), str("")}));
      }
    for (size_t k = 0; k < m_.runtimeParams.size(); ++k)
      if (m_.runtimeParams[k].owner != m_.populations[m_.runtimeParams[k].pop].name)
        runtimeEntry(k);
    auto *changeTy = llvm::StructType::get(ctx_, {i64_, i32_, b_.getDoubleTy()});
    std::vector<llvm::Constant *> changes;
    for (const ir::ParamChange &c : m_.changes)
      changes.push_back(llvm::ConstantStruct::get(
          changeTy, {b_.getInt64(static_cast<uint64_t>(c.step)), u32(paramIndex.at(c.param)),
                     llvm::ConstantFP::get(b_.getDoubleTy(), c.value)}));
    std::vector<llvm::Constant *> ks;
    auto nullPtr = llvm::ConstantPointerNull::get(ptr_);
    bool hasDevice = !deviceCode_.ptx.empty();
    for (const KernelInfo &k : kernels) {
      bool tiled = k.tile != nullptr, byPost = k.kernel->postRanges;
      uint32_t extent = tiled    ? static_cast<uint32_t>(k.tile->end)
                        : byPost ? m_.populations[ir::rangePopulation(m_, *k.kernel)].size
                                 : 1;
      ks.push_back(llvm::ConstantStruct::get(
          kernelTy, {str(k.kernel->name), k.fn, u32(tiled ? k.kernel->pop : byPost ? ir::rangePopulation(m_, *k.kernel) : 0), u32(extent),
                     u32(tiled ? k.tile->tileSize : 0), u32(byPost ? 1 : 0),
                     u32(phaseCode(k.kernel->phase)),
                     hasDevice ? str(cuda::entryName(ks.size())) : nullPtr, argsTable(k)}));
    }

    std::vector<llvm::Constant *> pops;
    for (size_t p = 0; p < m_.populations.size(); ++p) {
      const ir::Population &pop = m_.populations[p];
      std::vector<llvm::Constant *> vars;
      for (size_t v = 0; v < pop.vars.size(); ++v)
        vars.push_back(llvm::ConstantStruct::get(
            varTy, {str(pop.vars[v].name),
                    u32(pop.vars[v].type == ir::Type::I32 ? SNN_I32 : SNN_REAL),
                    u32(slots_.var[p][v]), str(pop.vars[v].unit), u32(0)}));
      pops.push_back(llvm::ConstantStruct::get(
          popTy, {str(pop.name), u32(pop.size), u32(pop.vars.size()),
                  array(varTy, vars, "vars." + pop.name), u32(slots_.spikes[p]),
                  u32(slots_.spikeCount[p]),
                  u32(pop.saturationVar >= 0 ? 1 : 0),
                  u32(pop.saturationVar >= 0 ? static_cast<uint32_t>(pop.saturationVar) : 0)}));
    }
    std::vector<llvm::Constant *> projs;
    for (size_t j = 0; j < m_.projections.size(); ++j) {
      const ir::Projection &pj = m_.projections[j];
      uint32_t rule = SNN_ALL_TO_ALL;
      switch (pj.rule) {
      case ConnRule::AllToAll: rule = SNN_ALL_TO_ALL; break;
      case ConnRule::OneToOne: rule = SNN_ONE_TO_ONE; break;
      case ConnRule::Bernoulli: rule = SNN_BERNOULLI; break;
      case ConnRule::FixedIndegree: rule = SNN_FIXED_INDEGREE; break;
      case ConnRule::FixedOutdegree: rule = SNN_FIXED_OUTDEGREE; break;
      case ConnRule::FromFile: rule = SNN_FROM_LIST; break;
      case ConnRule::FixedTotal: rule = SNN_FIXED_TOTAL; break;
      case ConnRule::Conv2d: rule = SNN_CONV2D; break;
      }
      const bool listed = pj.rule == ConnRule::FromFile;
      std::vector<llvm::Constant *> vars;
      for (size_t v = 0; v < pj.vars.size(); ++v)
        vars.push_back(llvm::ConstantStruct::get(
            varTy, {str(pj.vars[v].name), u32(SNN_REAL), u32(slots_.synVar[j][v]),
                    str(pj.vars[v].unit),
                    u32(written.count({static_cast<uint32_t>(j), static_cast<uint32_t>(v)}) ? 0
                                                                                            : 1)}));
      projs.push_back(llvm::ConstantStruct::get(
          projTy, {str(pj.name), u32(pj.pre), u32(pj.post), u32(pj.preBegin), u32(pj.preEnd),
                   u32(pj.postBegin), u32(pj.postEnd), u32(rule), u32(pj.autapses ? 1 : 0),
                   llvm::ConstantFP::get(b_.getDoubleTy(), pj.p), u32(pj.k),
                   u32(slots_.rowPtr[j]), u32(slots_.col[j]), u32(pj.vars.size()),
                   array(varTy, vars, "synvars." + pj.name), u32(pj.delaySteps),
                   u32(slots_.ring[j]), u32(slots_.ringCount[j]), u32(pj.synapseDelays ? 1 : 0),
                   u32(slots_.delay[j]), u32(slots_.delayPtr[j]), u32(slots_.maxDelay[j]),
                   u32(pj.postIndex ? 1 : 0),
                   u32(slots_.colPtr[j]), u32(slots_.postSyn[j]), u32(slots_.postPre[j]),
                   listed ? static_cast<llvm::Constant *>(constTable(pj.listRowPtr)) : nullPtr,
                   listed ? static_cast<llvm::Constant *>(constTable(pj.listCol)) : nullPtr,
                   b_.getInt64(pj.total), u32(narrowColumns(pj) ? 2 : 4),
                   pairFns_[j] ? static_cast<llvm::Constant *>(pairFns_[j]) : nullPtr,
                   convGeometry(pj.conv)}));
    }
    std::vector<llvm::Constant *> recs;
    for (auto &r : m_.recorders)
      recs.push_back(llvm::ConstantStruct::get(
          recTy, {str(r.name),
                  u32(r.spikes     ? SNN_RECORD_SPIKES
                      : r.synapses ? SNN_RECORD_SYNAPSES
                      : r.rate     ? SNN_RECORD_RATE
                                   : SNN_RECORD_STATE),
                  u32(r.pop),
                  u32(r.var), u32(r.begin), u32(r.end), u32(r.every)}));

    llvm::Constant *model = llvm::ConstantStruct::get(
        modelTy,
        {u32(SNN_ABI_VERSION), str(m_.name),
         u32(m_.precision == Precision::Float32 ? 4 : 8),
         llvm::ConstantFP::get(b_.getDoubleTy(), m_.dt),
         llvm::ConstantFP::get(b_.getDoubleTy(), m_.duration), b_.getInt64(m_.seed),
         u32(pops.size()), array(popTy, pops, "populations"), u32(projs.size()),
         array(projTy, projs, "projections"), u32(recs.size()), array(recTy, recs, "recorders"),
         u32(slots_.count), init, step, u32(ks.size()), array(kernelTy, ks, "kernels"),
         str(isa_), u32(params.size()), array(paramTy, params, "params"),
         u32(systems.size()), array(systemTy, systems, "systems"),
         hasDevice ? str(deviceCode_.ptx) : nullPtr, hasDevice ? str(deviceCode_.arch) : nullPtr,
         u32(changes.size()), array(changeTy, changes, "changes"),
         m_.unsplittable.empty() ? nullPtr : str(m_.unsplittable)});
    new llvm::GlobalVariable(*mod_, modelTy, true, llvm::GlobalValue::ExternalLinkage, model,
                             modelSymbol(m_.name));
  }

  const ir::Module &m_;
  llvm::LLVMContext &ctx_;
  Slots slots_;
  IRBuilder<> b_;
  std::string isa_; // the x86 extensions the code may use (runtime.h's snn_model_desc.isa)
  std::unique_ptr<llvm::Module> mod_;
  llvm::Type *real_, *i32_, *i64_;
  llvm::PointerType *ptr_;
  llvm::Function *fn_ = nullptr;
  std::vector<Value *> bufferPtrs_; // per slot, loaded on first use (bufPtr); null: unused
  bool merge_ = false;               // step kernels read their own values from `args`
  std::vector<uint64_t> *words_ = nullptr; // the words of the merged kernel being emitted
  Value *argsArg_ = nullptr;
  std::vector<llvm::Instruction *> wordLoads_;
  std::map<std::string, llvm::Function *> mergedBodies_; // a merged function, by its text
  Value *buffersArg_ = nullptr;
  std::map<uint32_t, llvm::GlobalVariable *> tables_; // timed arrays, emitted once
  std::map<std::string, Value *> locals_;
  std::map<std::string, llvm::AllocaInst *> vars_; // mutable locals (IR `var`)
  std::map<uint32_t, llvm::GlobalVariable *> constants_; // constant tables, emitted once
  std::vector<llvm::Function *> coeffFns_; // per run-time system, its coefficient function
  std::vector<llvm::Function *> pairFns_;  // per projection, its pair test (null: none)
  Value *pairOut_ = nullptr, *pairPartner_ = nullptr, *pairLo_ = nullptr; // a pair test's
  std::map<std::string, Value *> masks_;      // tile variable -> its spike mask
  // A step kernel's range arguments; for a tiled one also its running spike count.
  Value *rangeBegin_ = nullptr, *rangeEnd_ = nullptr, *countOut_ = nullptr;
  llvm::AllocaInst *tileCount_ = nullptr;
  bool tiled_ = false;
  // Device mode (runDevice): the thread's global index, its neuron's spike test, and per
  // population the spike-word buffer.
  bool device_ = false;
  DeviceCode deviceCode_;
  Value *deviceGid_ = nullptr;
  llvm::AllocaInst *spikeFlag_ = nullptr;
  std::vector<Value *> wordPtrs_;
  llvm::Function *philox_ = nullptr;
  Value *seed_ = nullptr, *step_ = nullptr, *time_ = nullptr;
};

} // namespace

std::unique_ptr<llvm::Module> buildLLVMModule(const ir::Module &m, llvm::LLVMContext &ctx,
                                              llvm::TargetMachine &tm) {
  return Emitter(m, ctx, tm).run();
}

namespace {

bool verifyLowered(const ir::Module &m, std::string &error) {
  auto problems = ir::verifyModule(m, {/*requireLowered=*/true});
  if (!problems.empty())
    error = "internal error: IR not ready for code generation: " + problems[0];
  return problems.empty();
}

bool verifyLLVM(const llvm::Module &mod, std::string &error) {
  std::string msg;
  llvm::raw_string_ostream os(msg);
  if (!llvm::verifyModule(mod, &os))
    return true;
  error = "internal error: invalid LLVM IR generated: " + os.str();
  return false;
}

/// The device module for --target=cuda: CUDA kernels, libdevice linked, optimised.
std::unique_ptr<llvm::Module> compileDevice(const ir::Module &m, llvm::LLVMContext &ctx,
                                            llvm::TargetMachine &tm, const TargetOptions &opts,
                                            std::string &error) {
  if (!verifyLowered(m, error))
    return nullptr;
  auto mod = Emitter(m, ctx, tm, /*device=*/true).runDevice(error);
  if (!mod || !verifyLLVM(*mod, error) || !cuda::linkLibdevice(*mod, opts.libdevice, error))
    return nullptr;
  optimizeModule(*mod, tm, opts);
  return mod;
}

} // namespace

bool emitPTX(const ir::Module &m, const TargetOptions &opts, std::string &ptx, std::string &error,
             bool llvmText) {
  auto tm = cuda::createTargetMachine(opts.cudaArch, error);
  if (!tm)
    return false;
  llvm::LLVMContext ctx;
  auto mod = compileDevice(m, ctx, *tm, opts, error);
  if (!mod)
    return false;
  ptx.clear();
  llvm::raw_string_ostream out(ptx);
  if (llvmText) {
    mod->print(out, nullptr);
    return true;
  }
  llvm::SmallString<0> buf;
  llvm::raw_svector_ostream os(buf);
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::AssemblyFile)) {
    error = "the NVPTX target cannot emit PTX";
    return false;
  }
  pm.run(*mod);
  out << buf.str();
  return true;
}

/// Builds, verifies and optimises the LLVM module; shared by emitFile and runJIT. With
/// --target=cuda the device code is compiled first and its PTX carried in the descriptor.
std::unique_ptr<llvm::Module> compileToLLVM(const ir::Module &m, llvm::LLVMContext &ctx,
                                            llvm::TargetMachine &tm, const TargetOptions &opts,
                                            std::string &error) {
  if (!verifyLowered(m, error))
    return nullptr;
  DeviceCode device;
  if (opts.cuda) {
    if (!emitPTX(m, opts, device.ptx, error))
      return nullptr;
    device.arch = opts.cudaArch;
  }
  auto mod = Emitter(m, ctx, tm, /*device=*/false, std::move(device), opts.mergeKernels).run();
  if (!verifyLLVM(*mod, error))
    return nullptr;
  optimizeModule(*mod, tm, opts);
  return mod;
}

bool emitFile(const ir::Module &m, OutputKind kind, const TargetOptions &opts,
              const std::string &path, std::string &error, ObjectRole role) {
  auto tm = createTargetMachine(opts, error);
  if (!tm)
    return false;
  llvm::LLVMContext ctx;
  auto mod = compileToLLVM(m, ctx, *tm, opts, error);
  if (!mod)
    return false;
  if (role == ObjectRole::Executable) { // main.c's `snn_model`
    llvm::GlobalVariable *desc = mod->getNamedGlobal(modelSymbol(m.name));
    llvm::GlobalAlias::create(desc->getValueType(), 0, llvm::GlobalValue::ExternalLinkage,
                              kEntryModelSymbol, desc, mod.get());
  }
  if (role == ObjectRole::Library)
    addLibraryEntryPoints(*mod, m.name);
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, kind == OutputKind::Object ? llvm::sys::fs::OF_None
                                                                : llvm::sys::fs::OF_Text);
  if (ec) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  if (kind == OutputKind::LLVMText) {
    mod->print(out, nullptr);
    return true;
  }
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, out, nullptr,
                              kind == OutputKind::Object ? llvm::CodeGenFileType::ObjectFile
                                                         : llvm::CodeGenFileType::AssemblyFile)) {
    error = "the target cannot emit this kind of file";
    return false;
  }
  pm.run(*mod);
  out.flush();
  return true;
}

} // namespace snn::codegen
