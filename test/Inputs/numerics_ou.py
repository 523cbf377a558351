"""Statistics across neurons of an Ornstein-Uhlenbeck process dx/dt = -x/tau + sigma sqrt(2/tau) xi
integrated with Euler-Maruyama at step dt (a = dt/tau):
    x_{n+1} = (1 - a) x_n + sigma sqrt(2a) N(0, 1)
whose stationary law is normal with mean 0 and variance sigma^2/(1 - a/2) (the O(dt/tau) bias of
Euler-Maruyama; the continuous process has sigma^2), and whose lag-L correlation is (1 - a)^L.

The recording holds samples at several times (columns = neurons, independent). Checked at the
last two samples, each within --nsigma standard errors for N neurons:
  mean 0                     (standard error sqrt(var/N)),
  variance sigma^2/(1-a/2)   (relative standard error sqrt(2/(N-1))),
  kurtosis 3 (Gaussian)      (standard error sqrt(24/N)),
  correlation between them   (1-a)^L, L = their distance in steps (standard error (1-r^2)/sqrt(N)).
"""
import argparse

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("trace")
ap.add_argument("--var", default="x")
ap.add_argument("--tau", type=float, required=True)
ap.add_argument("--sigma", type=float, required=True)
ap.add_argument("--dt", type=float, required=True)
ap.add_argument("--nsigma", type=float, default=4.0)
a = ap.parse_args()

r = np.load(a.trace)
t, x = r["t"], r[a.var].astype(np.float64)
n = x.shape[1]
alpha = a.dt / a.tau
v_em = a.sigma ** 2 / (1 - alpha / 2)
ok = len(t) >= 2 and n >= 1000
print(f"{n} neurons, samples at {', '.join(f'{s * 1e3:g}' for s in t)} ms; a = dt/tau = {alpha:g}")
print(f"expected variance: continuous sigma^2 = {a.sigma ** 2:.6e}, Euler-Maruyama "
      f"sigma^2/(1 - a/2) = {v_em:.6e}")


def check(name, got, expected, se):
    global ok
    z = (got - expected) / se
    print(f"  {name}: {got:.6g} expected {expected:.6g} (standard error {se:.3g}, z = {z:+.2f}, "
          f"bound |z| <= {a.nsigma:g})")
    ok = ok and abs(z) <= a.nsigma


for k in (len(t) - 2, len(t) - 1):
    xs = x[k]
    m, v = float(np.mean(xs)), float(np.var(xs, ddof=1))
    print(f"t = {t[k] * 1e3:g} ms: variance/sigma^2 = {v / a.sigma ** 2:.5f}")
    check("mean", m, 0.0, np.sqrt(v_em / n))
    check("variance", v, v_em, v_em * np.sqrt(2 / (n - 1)))
    kurt = float(np.mean((xs - m) ** 4) / np.mean((xs - m) ** 2) ** 2)
    check("kurtosis", kurt, 3.0, np.sqrt(24 / n))
lag = int(round((t[-1] - t[-2]) / a.dt))
rho = (1 - alpha) ** lag
corr = float(np.corrcoef(x[-2], x[-1])[0, 1])
check(f"lag-{lag} correlation", corr, rho, (1 - rho * rho) / np.sqrt(n))
assert ok, "statistics outside the bounds"
print("PASS")
