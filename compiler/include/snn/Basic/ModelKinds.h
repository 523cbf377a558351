// Choices a model makes that every stage shares — numeric precision, connectivity rule,
// integration method — so that the IR and the back ends need not include the front end (Sema).
#pragma once

namespace snn {

enum class Precision { Float64, Float32 };

enum class ConnRule { AllToAll, OneToOne, Bernoulli, FixedIndegree, FixedOutdegree, FromFile,
                      FixedTotal };

/// How a neuron's equations are integrated: chosen by the compiler (Auto) or requested with
/// `equations (method = ...)`.
enum class Method { Auto, Exact, ExponentialEuler, RK4, RK2, Euler };
const char *methodName(Method m);

} // namespace snn
