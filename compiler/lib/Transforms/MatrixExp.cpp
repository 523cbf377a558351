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

/// Diagonal similarity D^-1 A D with D a vector of powers of two (so scaling is exact) that brings
/// off-diagonal row and column sums close to the size of the diagonal. Neuron models in SI units
/// are badly scaled (1/C is 1e10 for C = 100 pF) while their eigenvalues are small; without this,
/// the norm and hence the number of squarings, each of which amplifies rounding, would follow
/// the units rather than the dynamics. Parlett-Reinsch balancing, extended to variables that only
/// influence others (zero off-diagonal row) or are only influenced (zero off-diagonal column),
/// which balancing alone would leave untouched.
std::vector<double> balance(Matrix &a) {
  size_t n = a.size();
  std::vector<double> d(n, 1.0);
  double diag = 0;
  for (size_t i = 0; i < n; ++i)
    diag = std::fmax(diag, std::fabs(a[i][i]));
  const double target = std::fmax(diag, 0.25);
  auto scale = [&](size_t i, double f) { // row i /= f, column i *= f
    for (size_t j = 0; j < n; ++j) {
      a[i][j] /= f;
      a[j][i] *= f;
    }
    d[i] *= f;
  };
  auto pow2 = [](double x) { return std::ldexp(1.0, static_cast<int>(std::lround(std::log2(x)))); };
  for (int sweep = 0; sweep < 20; ++sweep) {
    bool changed = false;
    for (size_t i = 0; i < n; ++i) {
      double r = 0, c = 0;
      for (size_t j = 0; j < n; ++j)
        if (j != i) {
          r += std::fabs(a[i][j]);
          c += std::fabs(a[j][i]);
        }
      double f = 1;
      if (r > 0 && c > 0)
        f = pow2(std::sqrt(r / c));
      else if (r > target)
        f = pow2(r / target);       // only the row is non-zero: shrink it
      else if (c > target)
        f = 1 / pow2(c / target);   // only the column is non-zero: shrink it
      if (f != 1 && std::isfinite(f) && f > 0) {
        double before = r + c;
        double after = r / f + c * f;
        if (after < 0.95 * before || (r == 0) != (c == 0)) {
          scale(i, f);
          changed = true;
        }
      }
    }
    if (!changed)
      break;
  }
  return d;
}

Matrix expmScaled(const Matrix &a);

} // namespace

Matrix expm(const Matrix &a) {
  Matrix b = a;
  std::vector<double> d = balance(b);
  Matrix e = expmScaled(b);
  // exp(A) = D exp(D^-1 A D) D^-1, exactly, since D holds powers of two.
  for (size_t i = 0; i < e.size(); ++i)
    for (size_t j = 0; j < e.size(); ++j)
      e[i][j] = e[i][j] * d[i] / d[j];
  return e;
}

namespace {

Matrix expmScaled(const Matrix &a) {
  size_t n = a.size();
  double norm = 0;
  for (auto &row : a) {
    double s = 0;
    for (double v : row)
      s += std::fabs(v);
    norm = std::fmax(norm, s);
  }
  if (!std::isfinite(norm)) // a time constant of 0 or a non-finite parameter: no propagator
    return Matrix(n, std::vector<double>(n, std::nan("")));
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

} // namespace

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
