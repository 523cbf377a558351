// Internal to lib/CodeGen: exp, expm1, log, tanh and cos(2 pi x) as straight-line LLVM IR (range reduction, a polynomial,
// a scaling by 2^k through the exponent bits, selects for the special cases), emitted once per
// module as private always-inlined functions of one real. Having no branches and no calls, they
// vectorise with the loop that uses them, where a libm call would keep it scalar; each lane
// computes exactly what the scalar function does, so vector and scalar code agree bit for bit.
// Accuracy against glibc's libm: docs/vector-math.md (test/CodeGen/math-ulp.snn measures it).
#pragma once

namespace llvm {
class Function;
class Module;
class Type;
} // namespace llvm

namespace snn::codegen {

/// `snn.exp.f64` / `snn.exp.f32` for real type `real` (double or float), created on first use.
llvm::Function *mathExp(llvm::Module &m, llvm::Type *real);
/// `snn.expm1.f64` / `snn.expm1.f32`: exp(x) - 1, accurate near 0.
llvm::Function *mathExpm1(llvm::Module &m, llvm::Type *real);
/// `snn.log.*`: the natural logarithm.
llvm::Function *mathLog(llvm::Module &m, llvm::Type *real);
/// `snn.tanh.*`: the hyperbolic tangent, from expm1.
llvm::Function *mathTanh(llvm::Module &m, llvm::Type *real);
/// `snn.cos2pi.*`: cos(2 pi x), reduced exactly (Box-Muller's angle).
llvm::Function *mathCos2Pi(llvm::Module &m, llvm::Type *real);
/// `snn.poisson_inv.f64(mean, u)`: a Poisson draw by inversion, in double precision — a loop,
/// not straight-line code (ir::Op::PoissonInv).
llvm::Function *mathPoissonInv(llvm::Module &m);
/// `snn.binomial_inv.f64(n, p, u)`: a binomial draw by inversion (ir::Op::BinomialInv).
llvm::Function *mathBinomialInv(llvm::Module &m);

} // namespace snn::codegen
