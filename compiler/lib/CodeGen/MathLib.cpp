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
#include <functional>
#include <string>
#include <vector>

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

/// An always-inlined pure function `name` of one real, with its body left to `body`.
template <typename Body>
llvm::Function *define(llvm::Module &m, llvm::Type *real, const char *base, Body body) {
  std::string name = std::string(base) + (real->isDoubleTy() ? ".f64" : ".f32");
  if (llvm::Function *fn = m.getFunction(name))
    return fn;
  auto *fty = llvm::FunctionType::get(real, {real}, false);
  auto *fn = llvm::Function::Create(fty, llvm::Function::PrivateLinkage, name, m);
  fn->addFnAttr(llvm::Attribute::AlwaysInline);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->addFnAttr(llvm::Attribute::WillReturn);
  fn->setDoesNotAccessMemory();
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(m.getContext(), "entry", fn));
  b.CreateRet(body(b, fn->getArg(0)));
  return fn;
}

/// sum_i coef[i] z^i by Horner's rule with fused multiply-adds (coef[0] last).
Value *horner(llvm::IRBuilder<> &b, llvm::Type *real, Value *z, const std::vector<double> &coef) {
  Value *p = llvm::ConstantFP::get(real, coef.back());
  for (size_t i = coef.size() - 1; i-- > 0;)
    p = b.CreateIntrinsic(llvm::Intrinsic::fma, {real},
                          {p, z, llvm::ConstantFP::get(real, coef[i])});
  return p;
}

/// Builds the function `name` with the shared reduction; `finish` combines (scale, p, x).
template <typename Finish>
llvm::Function *build(llvm::Module &m, llvm::Type *real, const char *base, Finish finish) {
  return define(m, real, base, [&](llvm::IRBuilder<> &b, Value *x) {
    Format f = formatOf(real);
    auto c = [&](double v) { return llvm::ConstantFP::get(real, v); };
    llvm::Type *intTy = f.f64 ? b.getInt64Ty() : b.getInt32Ty();
    auto ic = [&](int64_t v) { return llvm::ConstantInt::get(intTy, static_cast<uint64_t>(v)); };
    // k = floor(x / ln2 + 1/2), within the range where the result is finite and non-zero.
    Value *xc = b.CreateIntrinsic(llvm::Intrinsic::maxnum, {real},
                                  {b.CreateIntrinsic(llvm::Intrinsic::minnum, {real},
                                                     {x, c(f.overflow)}),
                                   c(f.underflow)});
    Value *kf = b.CreateIntrinsic(
        llvm::Intrinsic::floor, {real},
        {b.CreateFAdd(b.CreateFMul(xc, c(1.0 / std::log(2.0))), c(0.5))});
    Value *r = b.CreateFSub(b.CreateFSub(xc, b.CreateFMul(kf, c(f.ln2hi))),
                            b.CreateFMul(kf, c(f.ln2lo)));
    // p = r + r^2/2! + ... + r^n/n!, Horner from the top: ((1/n! r + 1/(n-1)!) r + ...) r.
    // Fused multiply-adds: one rounding instead of two, and half the instructions. llvm.fma is
    // exactly specified, so every target (with or without FMA hardware) gets these bits.
    std::vector<double> coef;
    double fact = 1;
    for (int i = 1; i <= f.degree; ++i)
      coef.push_back(1.0 / (fact *= i));
    Value *p = b.CreateFMul(horner(b, real, r, coef), r);
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
    return b.CreateSelect(b.CreateFCmpUNO(x, x), x, y);
  });
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

/// log(x): x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f / (2 + f), and
/// log(1 + f) = 2 atanh(s) = f - (f^2/2 - s (f^2/2 + R)) with R = sum_n 2 s^(2n) / (2n + 1)
/// (Taylor, 10 terms in float64 and 5 in float32 for |s| <= 0.1716: truncation far below half
/// an ulp), then + k ln2 in two parts (fdlibm's arrangement of the same identities).
/// Subnormals are scaled into the normal range first; log(0) = -inf, log(x < 0) = NaN,
/// log(+inf) = +inf, NaN stays NaN.
Value *logBody(llvm::IRBuilder<> &b, Value *x) {
  llvm::Type *real = x->getType();
  Format f = formatOf(real);
  auto c = [&](double v) { return llvm::ConstantFP::get(real, v); };
  llvm::Type *intTy = f.f64 ? b.getInt64Ty() : b.getInt32Ty();
  auto ic = [&](uint64_t v) { return llvm::ConstantInt::get(intTy, v); };
  int scaleBits = f.mantissa + 2;
  double minNormal = std::ldexp(1.0, 1 - f.bias);
  Value *tiny = b.CreateFCmpOLT(x, c(minNormal));
  Value *xs = b.CreateSelect(tiny, b.CreateFMul(x, c(std::ldexp(1.0, scaleBits))), x);
  Value *bits = b.CreateBitCast(xs, intTy);
  Value *k = b.CreateSub(b.CreateLShr(bits, ic(f.mantissa)), ic(f.bias));
  k = b.CreateSelect(tiny, b.CreateSub(k, ic(scaleBits)), k);
  uint64_t fracMask = (uint64_t(1) << f.mantissa) - 1;
  Value *m = b.CreateBitCast(
      b.CreateOr(b.CreateAnd(bits, ic(fracMask)), ic(uint64_t(f.bias) << f.mantissa)), real);
  Value *big = b.CreateFCmpOGT(m, c(std::sqrt(2.0)));
  m = b.CreateSelect(big, b.CreateFMul(m, c(0.5)), m);
  k = b.CreateSelect(big, b.CreateAdd(k, ic(1)), k);
  Value *fr = b.CreateFSub(m, c(1.0));
  Value *s = b.CreateFDiv(fr, b.CreateFAdd(fr, c(2.0)));
  Value *z = b.CreateFMul(s, s);
  std::vector<double> coef{0.0};
  for (int n = 1; n <= (f.f64 ? 10 : 5); ++n)
    coef.push_back(2.0 / (2 * n + 1));
  Value *R = horner(b, real, z, coef);
  Value *hfsq = b.CreateFMul(c(0.5), b.CreateFMul(fr, fr));
  Value *kf = b.CreateSIToFP(k, real);
  // k ln2_hi - ((hfsq - (s (hfsq + R) + k ln2_lo)) - f)
  Value *inner = b.CreateFAdd(b.CreateFMul(s, b.CreateFAdd(hfsq, R)), b.CreateFMul(kf, c(f.ln2lo)));
  Value *y = b.CreateFSub(b.CreateFMul(kf, c(f.ln2hi)),
                          b.CreateFSub(b.CreateFSub(hfsq, inner), fr));
  y = b.CreateSelect(b.CreateFCmpOEQ(x, c(INFINITY)), c(INFINITY), y);
  y = b.CreateSelect(b.CreateFCmpOEQ(x, c(0.0)), c(-INFINITY), y);
  y = b.CreateSelect(b.CreateFCmpOLT(x, c(0.0)), c(NAN), y);
  return b.CreateSelect(b.CreateFCmpUNO(x, x), x, y);
}

} // namespace

llvm::Function *mathLog(llvm::Module &m, llvm::Type *real) {
  return define(m, real, "snn.log", logBody);
}

llvm::Function *mathTanh(llvm::Module &m, llvm::Type *real) {
  return define(m, real, "snn.tanh", [&m, real](llvm::IRBuilder<> &b, Value *x) {
    // tanh|x| = e / (e + 2) with e = expm1(2|x|), 1 past 22 (9 in float32, where the rest is
    // below half an ulp), the sign copied back (tanh(-0) = -0); NaN stays NaN through expm1.
    auto c = [&](double v) { return llvm::ConstantFP::get(real, v); };
    Value *a = b.CreateIntrinsic(llvm::Intrinsic::fabs, {real}, {x});
    Value *e = b.CreateCall(mathExpm1(m, real), {b.CreateFMul(a, c(2.0))});
    Value *t = b.CreateFDiv(e, b.CreateFAdd(e, c(2.0)));
    t = b.CreateSelect(b.CreateFCmpOGT(a, c(real->isDoubleTy() ? 22.0 : 9.0)), c(1.0), t);
    return b.CreateIntrinsic(llvm::Intrinsic::copysign, {real}, {t, x});
  });
}

llvm::Function *mathCos2Pi(llvm::Module &m, llvm::Type *real) {
  return define(m, real, "snn.cos2pi", [real](llvm::IRBuilder<> &b, Value *x) {
    // cos(2 pi x) with an exact reduction: n = round(4x), v = x - n/4 in [-1/8, 1/8] (both
    // steps exact below 2^50), theta = 2 pi v in [-pi/4, pi/4], and by the quadrant n mod 4
    // cos theta, -sin theta, -cos theta or sin theta, each a Taylor polynomial (to theta^18
    // and theta^17 in float64, theta^10 and theta^11 in float32).
    bool f64 = real->isDoubleTy();
    auto c = [&](double v) { return llvm::ConstantFP::get(real, v); };
    Value *n = b.CreateIntrinsic(llvm::Intrinsic::floor, {real},
                                 {b.CreateFAdd(b.CreateFMul(x, c(4.0)), c(0.5))});
    Value *v = b.CreateFSub(x, b.CreateFMul(n, c(0.25)));
    Value *th = b.CreateFMul(v, c(6.283185307179586476925286766559));
    Value *z = b.CreateFMul(th, th);
    std::vector<double> cc, sc;
    double fact = 1;
    for (int i = 0; i <= (f64 ? 9 : 5); ++i) {
      if (i)
        fact *= (2 * i - 1) * (2 * i);
      cc.push_back((i % 2 ? -1.0 : 1.0) / fact);
    }
    fact = 1;
    for (int i = 0; i <= (f64 ? 8 : 5); ++i) {
      if (i)
        fact *= (2 * i) * (2 * i + 1);
      sc.push_back((i % 2 ? -1.0 : 1.0) / fact);
    }
    Value *cosT = horner(b, real, z, cc);
    Value *sinT = b.CreateFMul(th, horner(b, real, z, sc));
    // n mod 4 in 0..3, exactly, for negative n too.
    Value *q = b.CreateFSub(n, b.CreateFMul(c(4.0), b.CreateIntrinsic(llvm::Intrinsic::floor,
                                                                        {real},
                                                                        {b.CreateFMul(n, c(0.25))})));
    Value *odd = b.CreateFCmpOEQ(b.CreateIntrinsic(llvm::Intrinsic::fabs, {real},
                                                   {b.CreateFSub(q, c(2.0))}),
                                 c(1.0)); // q = 1 or 3
    Value *mag = b.CreateSelect(odd, sinT, cosT);
    // minus for q = 1 (-sin) and q = 2 (-cos)
    Value *neg = b.CreateOr(b.CreateFCmpOEQ(q, c(1.0)), b.CreateFCmpOEQ(q, c(2.0)));
    Value *y = b.CreateSelect(neg, b.CreateFNeg(mag), mag);
    // +-inf and NaN give NaN (v is NaN there).
    return y;
  });
}

llvm::Function *mathExp(llvm::Module &m, llvm::Type *real) {
  return build(m, real, "snn.exp", ExpFinish{});
}

llvm::Function *mathExpm1(llvm::Module &m, llvm::Type *real) {
  return build(m, real, "snn.expm1", Expm1Finish{});
}

namespace {

/// The inverse of a discrete law at u by sequential search from 0, into `fn` from the current
/// block: k = 0, p = p_0 = exp(logp0), F = p, and while F < u and k < kmax, k += 1,
/// p *= ratio(k) (= p_k / p_{k-1}), F += p. Exact up to the rounding of F (about k ulps): p and F
/// are kept scaled by 2^e, e chosen so that p_0 2^e does not underflow, against the target
/// u 2^e (+inf while 2^e is out of range), and rescaled by 2^-900 whenever F passes 2^900; the
/// far tail ends the search where p underflows. Returns k.
Value *inverseSearch(llvm::IRBuilder<> &b, llvm::Module &m, llvm::Function *fn, Value *logp0,
                     const std::function<Value *(Value *)> &ratio, Value *kmax, Value *u) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Type *f64 = llvm::Type::getDoubleTy(ctx);
  auto c = [&](double v) { return llvm::ConstantFP::get(f64, v); };
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  auto target = [&](Value *e) { // u 2^e where 2^e is a double, +inf beyond
    // 2^e (0 <= e <= 1000, whole) built from its exponent bits, so the product is exact and
    // costs a multiply (ldexp is a libm call on x86).
    Value *ei = b.CreateFPToSI(b.CreateMinNum(e, c(1000.0)), i64);
    Value *pow2 = b.CreateBitCast(b.CreateShl(b.CreateAdd(ei, llvm::ConstantInt::get(i64, 1023)), 52),
                                  f64);
    Value *scaled = b.CreateFMul(u, pow2);
    return b.CreateSelect(b.CreateFCmpOLE(e, c(1000.0)), scaled, c(HUGE_VAL));
  };
  Value *e0 = b.CreateMaxNum(c(0.0), b.CreateIntrinsic(llvm::Intrinsic::ceil, {f64},
                                                       {b.CreateFMul(b.CreateFSub(c(-700.0), logp0),
                                                                     c(1 / M_LN2))}));
  Value *p0 = b.CreateCall(mathExp(m, f64), {b.CreateFAdd(b.CreateFMul(e0, c(M_LN2)), logp0)});
  Value *t0 = target(e0);
  llvm::BasicBlock *setup = b.GetInsertBlock();
  auto *loop = llvm::BasicBlock::Create(ctx, "search", fn);
  auto *body = llvm::BasicBlock::Create(ctx, "step", fn);
  auto *exit = llvm::BasicBlock::Create(ctx, "found", fn);
  b.CreateBr(loop);

  b.SetInsertPoint(loop);
  auto *k = b.CreatePHI(f64, 2, "k");
  auto *p = b.CreatePHI(f64, 2, "p");
  auto *F = b.CreatePHI(f64, 2, "F");
  auto *e = b.CreatePHI(f64, 2, "e");
  auto *t = b.CreatePHI(f64, 2, "t");
  k->addIncoming(c(0.0), setup);
  p->addIncoming(p0, setup);
  F->addIncoming(p0, setup);
  e->addIncoming(e0, setup);
  t->addIncoming(t0, setup);
  Value *more = b.CreateAnd(b.CreateAnd(b.CreateFCmpOLT(F, t), b.CreateFCmpOGT(p, c(0.0))),
                            b.CreateFCmpOLT(k, kmax));
  b.CreateCondBr(more, body, exit);

  b.SetInsertPoint(body);
  Value *k1 = b.CreateFAdd(k, c(1.0));
  Value *p1 = b.CreateFMul(p, ratio(k1));
  Value *F1 = b.CreateFAdd(F, p1);
  Value *big = b.CreateFCmpOGT(F1, c(0x1p900));
  Value *down = c(0x1p-900);
  Value *e1 = b.CreateSelect(big, b.CreateFSub(e, c(900.0)), e);
  k->addIncoming(k1, body);
  p->addIncoming(b.CreateSelect(big, b.CreateFMul(p1, down), p1), body);
  F->addIncoming(b.CreateSelect(big, b.CreateFMul(F1, down), F1), body);
  e->addIncoming(e1, body);
  t->addIncoming(b.CreateSelect(big, target(e1), t), body);
  b.CreateBr(loop);

  b.SetInsertPoint(exit);
  return k;
}

/// A pure function of `args` doubles named `name`, with its body left to `body`.
llvm::Function *defineF64(llvm::Module &m, const char *name, unsigned args,
                          const std::function<void(llvm::IRBuilder<> &, llvm::Function *)> &body) {
  if (llvm::Function *fn = m.getFunction(name))
    return fn;
  llvm::Type *f64 = llvm::Type::getDoubleTy(m.getContext());
  auto *fty = llvm::FunctionType::get(f64, std::vector<llvm::Type *>(args, f64), false);
  auto *fn = llvm::Function::Create(fty, llvm::Function::PrivateLinkage, name, m);
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  fn->setDoesNotAccessMemory();
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(m.getContext(), "entry", fn));
  body(b, fn);
  return fn;
}

} // namespace

/// Poisson(mean): p_0 = exp(-mean), p_k / p_{k-1} = mean / k. A mean of 0 draws 0; a negative or
/// NaN one is NaN. Costs about mean + a few sqrt(mean) steps.
llvm::Function *mathPoissonInv(llvm::Module &m) {
  return defineF64(m, "snn.poisson_inv.f64", 2, [&m](llvm::IRBuilder<> &b, llvm::Function *fn) {
    llvm::LLVMContext &ctx = m.getContext();
    llvm::Type *f64 = llvm::Type::getDoubleTy(ctx);
    auto c = [&](double v) { return llvm::ConstantFP::get(f64, v); };
    Value *mean = fn->getArg(0), *u = fn->getArg(1);
    auto *bad = llvm::BasicBlock::Create(ctx, "not_positive", fn);
    auto *search = llvm::BasicBlock::Create(ctx, "setup", fn);
    b.CreateCondBr(b.CreateFCmpOGT(mean, c(0.0)), search, bad);
    b.SetInsertPoint(bad);
    b.CreateRet(b.CreateSelect(b.CreateFCmpOEQ(mean, c(0.0)), c(0.0), c(NAN)));
    b.SetInsertPoint(search);
    Value *k = inverseSearch(
        b, m, fn, b.CreateFNeg(mean), [&](Value *k1) { return b.CreateFDiv(mean, k1); },
        c(HUGE_VAL), u);
    b.CreateRet(k);
  });
}

/// Binomial(n, p), n truncated: p_0 = (1 - p)^n, p_k / p_{k-1} = (n - k + 1)/k p/(1 - p), at
/// most n. 0 for n <= 0 or p <= 0, n for p >= 1, NaN for a NaN n or p. Costs about n p steps.
llvm::Function *mathBinomialInv(llvm::Module &m) {
  return defineF64(m, "snn.binomial_inv.f64", 3, [&m](llvm::IRBuilder<> &b, llvm::Function *fn) {
    llvm::LLVMContext &ctx = m.getContext();
    llvm::Type *f64 = llvm::Type::getDoubleTy(ctx);
    auto c = [&](double v) { return llvm::ConstantFP::get(f64, v); };
    Value *n = b.CreateIntrinsic(llvm::Intrinsic::trunc, {f64}, {fn->getArg(0)});
    Value *p = fn->getArg(1), *u = fn->getArg(2);
    auto *edge = llvm::BasicBlock::Create(ctx, "edge", fn);
    auto *search = llvm::BasicBlock::Create(ctx, "setup", fn);
    Value *inside = b.CreateAnd(b.CreateAnd(b.CreateFCmpOGT(p, c(0.0)), b.CreateFCmpOLT(p, c(1.0))),
                                b.CreateFCmpOGT(n, c(0.0)));
    b.CreateCondBr(inside, search, edge);
    b.SetInsertPoint(edge); // NaN n or p: NaN; p >= 1: n; otherwise (n <= 0 or p <= 0) 0
    Value *nan = b.CreateOr(b.CreateFCmpUNO(n, n), b.CreateFCmpUNO(p, p));
    Value *all = b.CreateAnd(b.CreateFCmpOGE(p, c(1.0)), b.CreateFCmpOGT(n, c(0.0)));
    b.CreateRet(b.CreateSelect(nan, c(NAN), b.CreateSelect(all, n, c(0.0))));
    b.SetInsertPoint(search);
    Value *q = b.CreateFSub(c(1.0), p);
    Value *odds = b.CreateFDiv(p, q);
    Value *logp0 = b.CreateFMul(n, b.CreateCall(mathLog(m, f64), {q}));
    Value *k = inverseSearch(
        b, m, fn, logp0,
        [&](Value *k1) {
          return b.CreateFMul(b.CreateFDiv(b.CreateFAdd(b.CreateFSub(n, k1), c(1.0)), k1), odds);
        },
        n, u);
    b.CreateRet(k);
  });
}

} // namespace snn::codegen

