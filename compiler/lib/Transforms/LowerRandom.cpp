// lower-random (see LowerRandom.h).
#include "snn/Transforms/LowerRandom.h"

namespace snn::transforms {
namespace {

using namespace ir;

ExprRef u32c(uint64_t v) { return uconst(v, Type::U32); }
ExprRef u64c(uint64_t v) { return uconst(v, Type::U64); }

/// A uniform number in (0, 1) from two words (float64) or from the first (float32).
ExprRef uniform(const ExprRef &hi, const ExprRef &lo, bool f32) {
  if (f32)
    return binary(Op::Mul,
                  binary(Op::Add, cast(binary(Op::LShr, hi, u32c(9)), Type::Real), real(0.5)),
                  real(0x1p-23));
  ExprRef m = binary(Op::Xor, binary(Op::Shl, cast(hi, Type::U64), u64c(21)),
                     cast(binary(Op::LShr, lo, u32c(11)), Type::U64));
  ExprRef u = binary(Op::Mul, binary(Op::Add, cast(m, Type::Real), real(0.5)), real(0x1p-53));
  return select(binary(Op::Lt, u, real(1.0)), u, real(0x1.fffffffffffffp-1));
}

ExprRef lower(const Expr &r, bool f32) {
  // The counter {index, stream word}: a neuron's draw per step is {step << 32 | neuron, stream};
  // a synapse's (a 64-bit index, as synapses outnumber 2^32 in large networks) is
  // {synapse, (step + 2) << 32 | stream}. Streams are below 2^32 and differ between draw sites,
  // and the runtime's connectivity draws have the stream word's high half 1, so no two draws
  // share a counter.
  ExprRef index = cast(r.args[0], Type::U64), stream = u64c(r.stream);
  bool wide = r.args[0]->type == Type::I64 || r.args[0]->type == Type::U64;
  if (r.perStep && wide)
    stream = binary(Op::Or, binary(Op::Shl, binary(Op::Add, stepNumber(), u64c(2)), u64c(32)),
                    stream);
  else if (r.perStep)
    index = binary(Op::Or, binary(Op::Shl, stepNumber(), u64c(32)), index);
  ExprRef key = seedValue();
  auto word = [&](uint32_t w) { return philox(w, key, index, stream); };
  ExprRef u1 = uniform(word(0), word(1), f32);
  if (r.dist == RandDist::Uniform)
    return u1;
  ExprRef u2 = uniform(word(2), word(3), f32);
  return binary(Op::Mul, call("sqrt", {binary(Op::Mul, real(-2.0), call("log", {u1}))}),
                call("cos2pi", {u2}));
}

} // namespace

void lowerRandom(ir::Module &m) {
  bool f32 = m.precision == Precision::Float32;
  mapModuleExprs(m, [f32](const ExprRef &e) -> ExprRef {
    return e->op == Op::Rand ? lower(*e, f32) : e;
  });
}

} // namespace snn::transforms
