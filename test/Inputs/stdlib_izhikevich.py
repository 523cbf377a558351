"""Izhikevich (2003) neurons against an independent reference and the paper's firing patterns.

The reference integrates the same equations, in the paper's units (mV, ms),
    v' = 0.04 v^2 + 5 v + 140 - u + I,   u' = a (b v - u),   v >= 30: v = c, u += d,
with classical RK4 at a step `--refine` times finer than the simulation's, testing the threshold
after each of its steps (the simulation tests after each of its steps too). Spike times may differ
by about one coarse step per spike, so the check is: the spike counts agree to within --count_tol
and the first --n_first spike times to within --t_tol ms.
Pattern (Izhikevich 2003, Fig. 2): `--adapting NAME` (regular spiking) requires the last
interspike interval to be at least --ratio times the first; `--tonic NAME` (fast spiking) requires
every interval that starts after --settle ms to lie within 1% of the last one (adaptation over
within --settle ms) and a steady rate of at least --min_rate Hz. Both require the last interval to
agree with the reference's to within 1%.
A neuron is given as NAME:a:b:c:d:I (c, d, I in mV)."""
import argparse

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--neuron", action="append", required=True)
ap.add_argument("--dt", type=float, required=True, help="simulation step, ms")
ap.add_argument("--T", type=float, required=True, help="duration, ms")
ap.add_argument("--refine", type=int, default=100)
ap.add_argument("--count_tol", type=int, default=1)
ap.add_argument("--n_first", type=int, default=5)
ap.add_argument("--t_tol", type=float, default=0.5)
ap.add_argument("--adapting", action="append", default=[])
ap.add_argument("--ratio", type=float, default=1.5)
ap.add_argument("--tonic", action="append", default=[])
ap.add_argument("--min_rate", type=float, default=0.0)
ap.add_argument("--max_rate", type=float, default=1e9)
ap.add_argument("--settle", type=float, default=30.0)
args = ap.parse_args()


def reference(a, b, c, d, I, dt, steps):
    def f(v, u):
        return 0.04 * v * v + 5 * v + 140 - u + I, a * (b * v - u)
    v, u, spikes = -65.0, -65.0 * b, []
    for n in range(steps):
        k1v, k1u = f(v, u)
        k2v, k2u = f(v + 0.5 * dt * k1v, u + 0.5 * dt * k1u)
        k3v, k3u = f(v + 0.5 * dt * k2v, u + 0.5 * dt * k2u)
        k4v, k4u = f(v + dt * k3v, u + dt * k3u)
        v += dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
        u += dt / 6 * (k1u + 2 * k2u + 2 * k3u + k4u)
        if v >= 30:
            spikes.append(n * dt)
            v, u = c, u + d
    return np.array(spikes)


ok = True
for spec in args.neuron:
    name, *vals = spec.split(":")
    a, b, c, d, I = map(float, vals)
    h = args.dt / args.refine
    ref = reference(a, b, c, d, I, h, int(round(args.T / h)))
    got = np.sort(np.load(f"{args.out}/{name}.spikes.npy")["t"]) * 1e3
    n = min(args.n_first, len(got), len(ref))
    dev = np.max(np.abs(got[:n] - ref[:n]))
    isi = np.diff(got)
    print(f"{name}: {len(got)} spikes in {args.T:g} ms, reference (RK4, dt/{args.refine}) {len(ref)}; "
          f"first {n} spike times differ by at most {dev:.3f} ms (tolerance {args.t_tol:g})")
    print(f"{name}: first ISI {isi[0]:.2f} ms (reference {np.diff(ref)[0]:.2f}), "
          f"last ISI {isi[-1]:.2f} ms (reference {np.diff(ref)[-1]:.2f})")
    ok &= abs(len(got) - len(ref)) <= args.count_tol and dev <= args.t_tol
    ok &= abs(isi[-1] - np.diff(ref)[-1]) <= 0.01 * np.diff(ref)[-1]
    rate = 1e3 / isi[-1]
    if name in args.adapting:
        print(f"{name}: adaptation, last/first ISI = {isi[-1] / isi[0]:.2f} (required >= {args.ratio:g}), "
              f"steady rate {rate:.1f} Hz (required <= {args.max_rate:g})")
        ok &= isi[-1] >= args.ratio * isi[0] and rate <= args.max_rate
    if name in args.tonic:
        late = isi[got[:-1] >= args.settle]
        spread = np.max(np.abs(late - isi[-1])) / isi[-1]
        print(f"{name}: tonic, {len(late)} ISIs after {args.settle:g} ms within {spread:.2e} of the last "
              f"(required <= 1e-2), steady rate {rate:.1f} Hz (required >= {args.min_rate:g})")
        ok &= spread <= 0.01 and rate >= args.min_rate
assert ok, "outside tolerance"
print("PASS")
