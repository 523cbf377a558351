"""Checks for the integrate-and-fire models of stdlib/neurons/if.snn against their closed forms.

  leak-floor OUT --dt DT --theta TH --V_min VM --drive NAME:L+X ... --sink NAME:L+X:V0 --relay NAME:SRC
      IFLeakFloor, V(n) = max(V(n-1) + L + X, V_min), spike and reset to 0 when V >= theta.
      --drive: a neuron started at 0 with L + X > 0 spikes every p = ceil(theta/(L + X)) steps;
      the k-th spike is stamped at the start of step k*p - 1.
      --sink: a neuron started at V0 with L + X < 0 follows V0 + n*(L + X) until it reaches V_min
      and then stays at V_min exactly (checked on the recorded trace NAME.v, every step).
      --relay: a neuron parked below threshold that receives x_syn += w (w large enough to cross)
      from SRC spikes one step after each spike of SRC (delivery at step n, integration at n+1).
  pif OUT --dt DT --C C --I I --theta TH --hard NAME --soft NAME
      Perfect integrator C dv/dt = I from V_reset, strict threshold at V_reset + theta. Each step
      adds q = I*dt/C. Hard reset: period ceil(theta/q) steps, k-th spike at step k*ceil(theta/q)-1.
      Soft reset (subtract theta, keep the overshoot): the k-th spike is at step floor(k*theta/q),
      so the mean period is C*theta/I exactly in the long run.
Values are SI."""
import argparse
import math
import sys

import numpy as np


def spike_steps(out, name, dt):
    s = np.load(f"{out}/{name}.spikes.npy")
    return np.rint(np.sort(s["t"]) / dt).astype(np.int64)


def leak_floor(a):
    n_steps = a.steps
    for spec in a.drive:
        name, d = spec.split(":")
        d = float(d)
        p = math.ceil(a.theta / d)
        assert abs(a.theta / d - round(a.theta / d)) > 1e-6, "theta/(L+X) too close to an integer"
        expected = np.arange(p - 1, n_steps, p)
        got = spike_steps(a.out, name, a.dt)
        print(f"{name}: L+X = {d * 1e3:g} mV, period measured {np.diff(got).mean():g} steps, "
              f"closed form ceil({a.theta / d:.4f}) = {p} steps; {len(got)} spikes, expected {len(expected)}")
        assert np.array_equal(got, expected), f"{name}: spike steps {got} != {expected}"
    for spec in a.sink:
        name, d, v0 = spec.split(":")
        d, v0 = float(d), float(v0)
        rec = np.load(f"{a.out}/{name}.v.npy")
        v = rec["v"][:, 0]
        n = np.rint(rec["t"] / a.dt)
        expected = np.maximum(v0 + n * d, a.V_min)
        floor_from = math.ceil((v0 - a.V_min) / -d)
        err = np.max(np.abs(v - expected))
        at_floor = v[int(floor_from):]
        print(f"{name}: L+X = {d * 1e3:g} mV from {v0 * 1e3:g} mV: max |v - closed form| = {err:.2e} V; "
              f"at V_min from step {floor_from}: {len(at_floor)} samples, all == V_min: "
              f"{bool(np.all(at_floor == a.V_min))}")
        assert err <= 1e-15, "trace differs from V0 + n(L+X)"
        assert len(at_floor) > 10 and np.all(at_floor == a.V_min), "not exactly at V_min"
        assert np.all(v[:int(floor_from)] > a.V_min), "reached V_min too early"
    for spec in a.relay:
        name, src = spec.split(":")
        got, want = spike_steps(a.out, name, a.dt), spike_steps(a.out, src, a.dt) + 1
        want = want[want < n_steps]
        print(f"{name}: {len(got)} spikes, each one step after {src}'s: {np.array_equal(got, want)}")
        assert np.array_equal(got, want), f"{name}: {got} != {want}"


def pif(a):
    q = a.I * a.dt / a.C
    ratio = a.theta / q
    n_steps = a.steps
    hard_p = math.floor(ratio) + 1
    hard = np.arange(hard_p - 1, n_steps, hard_p)
    soft = []
    k = 1
    while True:
        x = k * ratio
        assert abs(x - round(x)) > 1e-6, f"k*theta/q = {x} too close to an integer"
        if math.floor(x) >= n_steps:
            break
        soft.append(math.floor(x))
        k += 1
    soft = np.array(soft)
    got_h = spike_steps(a.out, a.hard, a.dt)
    got_s = spike_steps(a.out, a.soft, a.dt)
    T = a.C * a.theta / a.I
    mh = np.diff(got_h).mean() * a.dt
    ms = (got_s[-1] - got_s[0]) / (len(got_s) - 1) * a.dt
    print(f"continuous period C*theta/I = {T * 1e3:.4f} ms; theta/(I dt/C) = {ratio:.4f} steps")
    print(f"hard reset: mean period {mh * 1e3:.4f} ms, closed form ceil = {hard_p * a.dt * 1e3:.4f} ms; "
          f"{len(got_h)} spikes, expected {len(hard)}")
    print(f"soft reset: mean period {ms * 1e3:.4f} ms (relative error {abs(ms - T) / T:.1e} vs C*theta/I); "
          f"{len(got_s)} spikes, expected {len(soft)}")
    assert np.array_equal(got_h, hard), f"hard: {got_h} != {hard}"
    assert np.array_equal(got_s, soft), f"soft: {got_s} != {soft}"
    assert abs(ms - T) <= a.dt / (len(got_s) - 1), "soft-reset mean period"


ap = argparse.ArgumentParser()
ap.add_argument("mode", choices=["leak-floor", "pif"])
ap.add_argument("out")
ap.add_argument("--dt", type=float, required=True)
ap.add_argument("--steps", type=int, required=True)
ap.add_argument("--theta", type=float)
ap.add_argument("--V_min", type=float)
ap.add_argument("--drive", action="append", default=[])
ap.add_argument("--sink", action="append", default=[])
ap.add_argument("--relay", action="append", default=[])
ap.add_argument("--C", type=float)
ap.add_argument("--I", type=float)
ap.add_argument("--hard")
ap.add_argument("--soft")
a = ap.parse_args()
leak_floor(a) if a.mode == "leak-floor" else pif(a)
print("PASS")
