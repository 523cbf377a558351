// Names of the shared model choices (see ModelKinds.h).
#include "snn/Basic/ModelKinds.h"

namespace snn {

const char *methodName(Method m) {
  switch (m) {
  case Method::Auto: return "auto";
  case Method::Exact: return "exact";
  case Method::ExponentialEuler: return "exponential_euler";
  case Method::RK4: return "rk4";
  case Method::RK2: return "rk2";
  case Method::Euler: return "euler";
  }
  return "auto";
}

} // namespace snn
