// exp and expm1 for vector loops (see MathLib.h).
//
// Both reduce x = k ln2 + r with k = round(x / ln2) and |r| <= ln2/2 (ln2 split in a high part
// with trailing zero bits, so that k * ln2_hi is exact, and a low part: Cody & Waite), evaluate
// p = expm1(r) as its Taylor polynomial (degree 14 in double, 8 in float, truncation below half
// an ulp on that interval) in Horner form with fused multiply-adds, and rebuild
//   exp(x)   = 2^k (1 + p),
//   expm1(x) = 2^k p + (2^k - 1)   (exact for k = 0, and no cancellation for k != 0),
// with 2^k made from exponent bits as two factors 2^(k/2) 2^(k - k/2), so that results down to
// the subnormals and up to the largest finite value come out right. Beyond the range, +inf, 0
// (exp) or -1 (expm1); NaN stays NaN.
#include "MathLib.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Module.h"

#include <cmath>

namespace snn::codegen {
namespace {

using llvm::Value;

struct Format {
  bool f64;
  int mantissa, bias, degree;
  double ln2hi, ln2lo, overflow, underflow;
};

Format formatOf(llvm::Type *real) {
  if (real->isDoubleTy())
    // fdlibm's split of ln2; exp overflows above 709.78 and is 0 below -745.13.
    return {true, 52, 1023, 14, 6.93147180369123816490e-01, 1.90821492927058770002e-10,
            709.782712893383973096, -745.1332191019411};
  // ln2_hi has 13 significant bits, so k * ln2_hi is exact for every |k| <= 150.
  return {false, 23, 127, 8, 0.693145751953125, 0.6931471805599453 - 0.693145751953125,
          88.72283935546875, -103.97207708};
}

/// Builds the function `name` with the shared reduction; `finish` combines (scale, p, x).
template <typename Finish>
llvm::Function *build(llvm::Module &m, llvm::Type *real, const char *base, Finish finish) {
  Format f = formatOf(real);
  std::string name = std::string(base) + (f.f64 ? ".f64" : ".f32");
  if (llvm::Function *fn = m.getFunction(name))
    return fn;
  auto *fty = llvm::FunctionType::get(real, {real}, false);
  auto *fn = llvm::Function::Create(fty, llvm::Function::PrivateLinkage, name, m);
  fn->addFnAttr(llvm::Attribute::AlwaysInline);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->addFnAttr(llvm::Attribute::WillReturn);
  fn->setDoesNotAccessMemory();
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(m.getContext(), "entry", fn));
  auto c = [&](double v) { return llvm::ConstantFP::get(real, v); };
  llvm::Type *intTy = f.f64 ? b.getInt64Ty() : b.getInt32Ty();
  auto ic = [&](int64_t v) { return llvm::ConstantInt::get(intTy, static_cast<uint64_t>(v)); };
  Value *x = fn->getArg(0);
  // k = floor(x / ln2 + 1/2), within the range where the result is finite and non-zero.
  Value *xc = b.CreateIntrinsic(llvm::Intrinsic::maxnum, {real},
                                {b.CreateIntrinsic(llvm::Intrinsic::minnum, {real},
                                                   {x, c(f.overflow)}),
                                 c(f.underflow)});
  Value *kf = b.CreateIntrinsic(llvm::Intrinsic::floor, {real},
                                {b.CreateFAdd(b.CreateFMul(xc, c(1.0 / std::log(2.0))), c(0.5))});
  Value *r = b.CreateFSub(b.CreateFSub(xc, b.CreateFMul(kf, c(f.ln2hi))), b.CreateFMul(kf, c(f.ln2lo)));
  // p = r + r^2/2! + ... + r^n/n!, Horner from the top: ((1/n! r + 1/(n-1)!) r + ...) r.
  double fact = 1;
  for (int i = 2; i <= f.degree; ++i)
    fact *= i;
  Value *p = c(1.0 / fact);
  for (int i = f.degree - 1; i >= 1; --i) {
    fact /= (i + 1);
    // A fused multiply-add: one rounding instead of two, and half the instructions. llvm.fma
    // is exactly specified, so every target (with or without FMA hardware) gets these bits.
    p = b.CreateIntrinsic(llvm::Intrinsic::fma, {real}, {p, r, c(1.0 / fact)});
  }
  p = b.CreateFMul(p, r);
  // 2^k = 2^k1 * 2^k2 with k1 = k >> 1, k2 = k - k1, each a normal number.
  Value *k = b.CreateFPToSI(kf, intTy);
  Value *k1 = b.CreateAShr(k, ic(1));
  Value *k2 = b.CreateSub(k, k1);
  auto pow2 = [&](Value *e) {
    return b.CreateBitCast(b.CreateShl(b.CreateAdd(e, ic(f.bias)), ic(f.mantissa)), real);
  };
  Value *s1 = pow2(k1), *s2 = pow2(k2);
  Value *y = finish(b, c, s1, s2, p, kf);
  // Out of range and NaN: +inf above, 0 / -1 below (through the clamp y is finite there).
  y = b.CreateSelect(b.CreateFCmpOGT(x, c(f.overflow)), c(INFINITY), y);
  y = b.CreateSelect(b.CreateFCmpOLT(x, c(f.underflow)), finish.lowest(c), y);
  y = b.CreateSelect(b.CreateFCmpUNO(x, x), x, y);
  b.CreateRet(y);
  return fn;
}

struct ExpFinish {
  template <typename B, typename C>
  Value *operator()(B &b, C &c, Value *s1, Value *s2, Value *p, Value *) const {
    return b.CreateFMul(b.CreateFMul(b.CreateFAdd(c(1.0), p), s1), s2);
  }
  template <typename C> Value *lowest(C &c) const { return c(0.0); }
};

struct Expm1Finish {
  template <typename B, typename C>
  Value *operator()(B &b, C &c, Value *s1, Value *s2, Value *p, Value *kf) const {
    // 2^k p + (2^k - 1); k = 0 gives p exactly, and for very negative x (k far below
    // -mantissa) it is -1 + tiny, as it should be. For large k, where 2^k alone may overflow
    // (k = 1024) and the - 1 no longer matters, exp(x) - 1 with exp's scaling.
    Value *scale = b.CreateFMul(s1, s2);
    Value *small = b.CreateFAdd(b.CreateFMul(scale, p), b.CreateFSub(scale, c(1.0)));
    Value *big = b.CreateFSub(b.CreateFMul(b.CreateFMul(b.CreateFAdd(c(1.0), p), s1), s2), c(1.0));
    Value *y = b.CreateSelect(b.CreateFCmpOGT(kf, c(60.0)), big, small);
    return b.CreateSelect(b.CreateFCmpOEQ(kf, c(0.0)), p, y);
  }
  template <typename C> Value *lowest(C &c) const { return c(-1.0); }
};

} // namespace

llvm::Function *mathExp(llvm::Module &m, llvm::Type *real) {
  return build(m, real, "snn.exp", ExpFinish{});
}

llvm::Function *mathExpm1(llvm::Module &m, llvm::Type *real) {
  return build(m, real, "snn.expm1", Expm1Finish{});
}

} // namespace snn::codegen
