"""AdEx (Brette & Gerstner 2005) checks.

rheobase OUT --below NAME --above NAME ... : with a = b = 0 (the exponential integrate-and-fire
    neuron), I_rh = gL (VT - E_L - DeltaT). A neuron below rheobase is silent and settles at the
    stable root of gL (E_L - v) + gL DeltaT exp((v - VT)/DeltaT) + I = 0 (found here by bisection
    between E_L and VT), compared with the last sample of NAME.v. A neuron above rheobase fires
    periodically; close to the saddle-node its period approaches the normal-form asymptote
    T_sn = pi C sqrt(2 DeltaT / (gL (I - I_rh))) from above (the reset and the upstroke add a
    little): 1 <= T / T_sn <= --sn_ratio.
reference OUT --neuron NAME:I ... : the default (Table 1) parameters with the input I, against an
    independent RK4 integration of the same equations at dt/--refine with the same cut at V_peak and
    reset (v = V_r, w += b) tested after every step: equal spike counts, spike times within --t_tol,
    and the adaptation of the paper's Fig. 2 (intervals growing: the last at least --ratio times
    the first).
Arguments are SI values; the model parameters are the defaults of stdlib/neurons/adex.snn."""
import argparse
import math

import numpy as np

C, gL, EL, VT, DT, tau_w, a0, b0 = 281e-12, 30e-9, -70.6e-3, -50.4e-3, 2e-3, 144e-3, 4e-9, 0.0805e-9
V_r, V_peak = EL, VT + 5 * DT
I_rh = gL * (VT - EL - DT)

ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["rheobase", "reference"])
ap.add_argument("out")
ap.add_argument("--below", action="append", default=[], help="NAME:I")
ap.add_argument("--above", action="append", default=[], help="NAME:I")
ap.add_argument("--sn_ratio", type=float, default=1.1)
ap.add_argument("--neuron", action="append", default=[], help="NAME:I")
ap.add_argument("--dt", type=float)
ap.add_argument("--T", type=float)
ap.add_argument("--refine", type=int, default=10)
ap.add_argument("--t_tol", type=float, default=2e-4)
ap.add_argument("--ratio", type=float, default=2.0)
args = ap.parse_args()


def spikes(name):
    return np.sort(np.load(f"{args.out}/{name}.spikes.npy")["t"])


def rheobase():
    ok = True
    print(f"rheobase gL (VT - E_L - DeltaT) = {I_rh * 1e9:.4f} nA")
    for spec in args.below:
        name, I = spec.split(":")
        I = float(I)
        f = lambda v: gL * (EL - v) + gL * DT * math.exp((v - VT) / DT) + I
        lo, hi = EL, VT  # f(lo) > 0 > f(hi) below rheobase
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if f(mid) > 0 else (lo, mid)
        v_end = float(np.load(f"{args.out}/{name}.v.npy")["v"][-1, 0])
        n = len(spikes(name))
        print(f"{name}: I = {I / I_rh:.3f} I_rh, {n} spikes; settled at {v_end * 1e3:.6f} mV, "
              f"fixed point {lo * 1e3:.6f} mV")
        ok &= n == 0 and abs(v_end - lo) <= 1e-9
    for spec in args.above:
        name, I = spec.split(":")
        I = float(I)
        t = spikes(name)
        T = float(np.mean(np.diff(t))) if len(t) >= 2 else math.inf
        T_sn = math.pi * C * math.sqrt(2 * DT / (gL * (I - I_rh)))
        print(f"{name}: I = {I / I_rh:.3f} I_rh, {len(t)} spikes, period {T * 1e3:.2f} ms, "
              f"normal-form asymptote {T_sn * 1e3:.2f} ms, ratio {T / T_sn:.3f} (required 1 .. {args.sn_ratio:g})")
        ok &= len(t) >= 2 and 1 <= T / T_sn <= args.sn_ratio
    return ok


def reference_spikes(I, h, steps):
    def f(v, w):
        return ((gL * (EL - v) + gL * DT * math.exp((v - VT) / DT) - w + I) / C,
                (a0 * (v - EL) - w) / tau_w)
    v, w, out = EL, 0.0, []
    for n in range(steps):
        k1v, k1w = f(v, w)
        k2v, k2w = f(v + 0.5 * h * k1v, w + 0.5 * h * k1w)
        k3v, k3w = f(v + 0.5 * h * k2v, w + 0.5 * h * k2w)
        k4v, k4w = f(v + h * k3v, w + h * k3w)
        v += h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
        w += h / 6 * (k1w + 2 * k2w + 2 * k3w + k4w)
        if v > V_peak:
            out.append(n * h)
            v, w = V_r, w + b0
    return np.array(out)


def reference():
    ok = True
    for spec in args.neuron:
        name, I = spec.split(":")
        h = args.dt / args.refine
        ref = reference_spikes(float(I), h, int(round(args.T / h)))
        got = spikes(name)
        n = min(len(got), len(ref))
        dev = float(np.max(np.abs(got[:n] - ref[:n])))
        isi, risi = np.diff(got), np.diff(ref)
        print(f"{name}: I = {float(I) * 1e9:g} nA, {len(got)} spikes, reference (RK4, dt/{args.refine}) "
              f"{len(ref)}; spike times differ by at most {dev * 1e3:.3f} ms (tolerance {args.t_tol * 1e3:g})")
        print(f"{name}: ISIs first {isi[0] * 1e3:.2f} ms (reference {risi[0] * 1e3:.2f}), last "
              f"{isi[-1] * 1e3:.2f} ms (reference {risi[-1] * 1e3:.2f}); last/first {isi[-1] / isi[0]:.2f} "
              f"(required >= {args.ratio:g})")
        ok &= len(got) == len(ref) and dev <= args.t_tol and isi[-1] >= args.ratio * isi[0]
    return ok


assert rheobase() if args.mode == "rheobase" else reference(), "outside tolerance"
print("PASS")
