// Matrix exponential (see MatrixExp.h).
#include "snn/Transforms/MatrixExp.h"

#include <cmath>

namespace snn::transforms {
namespace {

Matrix multiply(const Matrix &a, const Matrix &b) {
  size_t n = a.size();
  Matrix c(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < n; ++k) {
      if (a[i][k] == 0)
        continue;
      for (size_t j = 0; j < n; ++j)
        c[i][j] += a[i][k] * b[k][j];
    }
  return c;
}

} // namespace

Matrix expm(const Matrix &a) {
  size_t n = a.size();
  double norm = 0;
  for (auto &row : a) {
    double s = 0;
    for (double v : row)
      s += std::fabs(v);
    norm = std::fmax(norm, s);
  }
  int squarings = 0;
  if (norm > 0.5)
    squarings = static_cast<int>(std::ceil(std::log2(norm / 0.5)));
  double scale = std::ldexp(1.0, -squarings);
  Matrix b = a;
  for (auto &row : b)
    for (double &v : row)
      v *= scale;
  // Taylor series; with ||b|| <= 1/2 the 24th term is below 1e-31 of the sum.
  Matrix result(n, std::vector<double>(n, 0.0)), term(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i)
    result[i][i] = term[i][i] = 1.0;
  for (int k = 1; k <= 24; ++k) {
    term = multiply(term, b);
    for (auto &row : term)
      for (double &v : row)
        v /= k;
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j)
        result[i][j] += term[i][j];
  }
  for (int s = 0; s < squarings; ++s)
    result = multiply(result, result);
  return result;
}

void propagators(const Matrix &a, double dt, Matrix &phi, Matrix &gamma) {
  size_t n = a.size();
  Matrix block(2 * n, std::vector<double>(2 * n, 0.0));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j)
      block[i][j] = a[i][j] * dt;
    block[i][n + i] = dt;
  }
  Matrix e = expm(block);
  phi.assign(n, std::vector<double>(n, 0.0));
  gamma.assign(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      phi[i][j] = e[i][j];
      gamma[i][j] = e[i][n + j];
    }
}

} // namespace snn::transforms
