// Choices a model makes that every stage shares — numeric precision, connectivity rule,
// integration method — so that the IR and the back ends need not include the front end (Sema).
#pragma once

#include <cstdint>

namespace snn {

enum class Precision { Float64, Float32 };

enum class ConnRule { AllToAll, OneToOne, Bernoulli, FixedIndegree, FixedOutdegree, FromFile,
                      FixedTotal, Conv2d };

/// conv2d(kernel, stride, padding) between grid populations: input neuron (c, y, x) is
/// c * inH * inW + y * inW + x (a grid's C order, x fastest), output neuron (o, oy, ox) likewise,
/// and output (o, oy, ox) is connected to input (c, oy * stride - padding + ky, ox * stride -
/// padding + kx) for every c and every kernel cell (ky, kx) inside the input: PyTorch's Conv2d
/// (a cross-correlation), whose weight is kernel[o, c, ky, kx].
struct ConvGeometry {
  uint32_t inC = 1, inH = 1, inW = 1;
  uint32_t outC = 1, outH = 1, outW = 1;
  uint32_t kH = 1, kW = 1, stride = 1, padding = 0;
};

/// How a neuron's equations are integrated: chosen by the compiler (Auto) or requested with
/// `equations (method = ...)`.
enum class Method { Auto, Exact, ExponentialEuler, RK4, RK2, Euler };
const char *methodName(Method m);

} // namespace snn
