"""Morris-Lecar checks against an independent RK4 reference.

The reference integrates, in mV, ms, uA/cm2, uF/cm2 and mS/cm2,
    C v' = I - gL (v - VL) - gCa m_inf (v - VCa) - gK w (v - VK),   w' = phi (w_inf - w) cosh((v - V3)/(2 V4))
with Rinzel & Ermentrout's (1998) "hopf" or "snlc" parameter set, from v = -60 mV, w = 0, with
classical RK4 at dt/--refine, and counts a spike at each step that takes v from <= 0 mV to > 0 mV.
  --osc NAME:I:SET    oscillates: the same number of spikes as the reference, and the mean period
                      (first to last spike) within --rtol of the reference's;
  --quiet NAME:I:SET  no spike after --t_quiet ms (the initial state is not the rest state, so one
                      transient spike may come first; it must match the reference's count too)."""
import argparse
import math

import numpy as np

SETS = {
    "hopf": dict(gCa=4.4, V3=2.0, V4=30.0, phi=0.04),
    "snlc": dict(gCa=4.0, V3=12.0, V4=17.4, phi=0.06667),
}
C, gL, gK, VL, VCa, VK, V1, V2 = 20.0, 2.0, 8.0, -60.0, 120.0, -84.0, -1.2, 18.0

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--osc", action="append", default=[])
ap.add_argument("--quiet", action="append", default=[])
ap.add_argument("--dt", type=float, required=True, help="ms")
ap.add_argument("--T", type=float, required=True, help="ms")
ap.add_argument("--refine", type=int, default=10)
ap.add_argument("--rtol", type=float, default=1e-3)
ap.add_argument("--t_quiet", type=float, default=100.0)
args = ap.parse_args()


def reference(I, gCa, V3, V4, phi):
    def f(v, w):
        m_inf = 0.5 * (1 + math.tanh((v - V1) / V2))
        w_inf = 0.5 * (1 + math.tanh((v - V3) / V4))
        return ((I - gL * (v - VL) - gCa * m_inf * (v - VCa) - gK * w * (v - VK)) / C,
                phi * (w_inf - w) * math.cosh((v - V3) / (2 * V4)))
    h = args.dt / args.refine
    v, w, out = -60.0, 0.0, []
    for n in range(int(round(args.T / h))):
        k1v, k1w = f(v, w)
        k2v, k2w = f(v + 0.5 * h * k1v, w + 0.5 * h * k1w)
        k3v, k3w = f(v + 0.5 * h * k2v, w + 0.5 * h * k2w)
        k4v, k4w = f(v + h * k3v, w + h * k3w)
        v_new = v + h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
        w += h / 6 * (k1w + 2 * k2w + 2 * k3w + k4w)
        if v <= 0 < v_new:
            out.append(n * h)
        v = v_new
    return np.array(out)


ok = True
for kind, specs in (("osc", args.osc), ("quiet", args.quiet)):
    for spec in specs:
        name, I, which = spec.split(":")
        ref = reference(float(I), **SETS[which])
        got = np.sort(np.load(f"{args.out}/{name}.spikes.npy")["t"]) * 1e3
        line = f"{name} ({which}, I = {float(I):g} uA/cm2): {len(got)} spikes, reference {len(ref)}"
        ok &= len(got) == len(ref)
        if kind == "osc":
            T = (got[-1] - got[0]) / (len(got) - 1)
            T_ref = (ref[-1] - ref[0]) / (len(ref) - 1)
            err = abs(T - T_ref) / T_ref
            print(f"{line}; period {T:.3f} ms, reference {T_ref:.3f} ms, relative error {err:.1e} "
                  f"(tolerance {args.rtol:g})")
            ok &= len(got) >= 3 and err <= args.rtol
        else:
            late = int(np.sum(got > args.t_quiet))
            print(f"{line}; {late} after {args.t_quiet:g} ms")
            ok &= late == 0
assert ok, "outside tolerance"
print("PASS")
