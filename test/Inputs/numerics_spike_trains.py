"""Compares the regular spiking of neurons integrated at a sequence of time steps with a
fine-step reference (spike files as written by snnc executables).

For each neuron and run: the number of spikes, the first spike time and the mean interspike
interval (ISI) are compared with the reference's. Checks, per neuron:
  * the run at the first (coarsest) dt has its mean ISI within --isi-rtol of the reference's and
    its first spike within --first-atol seconds of the reference's first spike;
  * with more than one run (dt, dt/2, ...), each halving of dt divides the ISI error by a factor
    in [--min-ratio, --max-ratio] (2 for a first-order method).
"""
import argparse

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("reference")
ap.add_argument("runs", nargs="+")
ap.add_argument("--isi-rtol", type=float, required=True)
ap.add_argument("--first-atol", type=float, required=True)
ap.add_argument("--min-ratio", type=float, default=0.0)
ap.add_argument("--max-ratio", type=float, default=float("inf"))
ap.add_argument("--min-spikes", type=int, default=5)
a = ap.parse_args()


def trains(path):
    s = np.load(path)
    return {int(i): np.sort(s["t"][s["i"] == i]) for i in np.unique(s["i"])}


ref = trains(a.reference)
runs = [trains(p) for p in a.runs]
ok = len(ref) > 0
for i, tr in sorted(ref.items()):
    isi_ref = float(np.mean(np.diff(tr)))
    print(f"neuron {i}: reference {len(tr)} spikes, first {tr[0] * 1e3:.3f} ms, "
          f"mean ISI {isi_ref * 1e3:.4f} ms")
    ok = ok and len(tr) >= a.min_spikes
    errors = []
    for path, run in zip(a.runs, runs):
        ts = run.get(i, np.array([]))
        if len(ts) < 2:
            print(f"  {path}: {len(ts)} spikes")
            ok = False
            continue
        isi = float(np.mean(np.diff(ts)))
        err = abs(isi - isi_ref) / isi_ref
        errors.append(err)
        print(f"  {path.split('/')[-2]}: {len(ts)} spikes, first {ts[0] * 1e3:.3f} ms, mean ISI "
              f"{isi * 1e3:.4f} ms, relative ISI error {err:.4f}")
    if not errors:
        continue
    first = runs[0].get(i, np.array([np.inf]))[0]
    print(f"  coarsest: ISI error {errors[0]:.4f} (tolerance {a.isi_rtol:g}), first spike off by "
          f"{abs(first - tr[0]) * 1e3:.3f} ms (tolerance {a.first_atol * 1e3:g} ms)")
    ok = ok and errors[0] <= a.isi_rtol and abs(first - tr[0]) <= a.first_atol
    for e0, e1 in zip(errors, errors[1:]):
        ratio = e0 / e1 if e1 > 0 else float("inf")
        print(f"  error ratio {ratio:.3f} (accepted [{a.min_ratio:g}, {a.max_ratio:g}])")
        ok = ok and a.min_ratio <= ratio <= a.max_ratio
assert ok, "spiking differs from the reference"
print("PASS")
