#!/usr/bin/python3
"""The benchmark networks in Brian2, the same models as examples/<model>.snn.

--model cuba: Brian2's CUBA example (Vogels & Abbott 2005, benchmark 2 of Brette et al. 2007):
4000 LIF neurons, Ne = 3200 excitatory and Ni = 800 inhibitory, each projecting to all 4000 with
p = 0.02. It records the same things as examples/cuba.snn (all spikes, v of neurons 0..9 every 1 ms).
--model cobahh: Brian2's COBAHH example (benchmark 3): 4000 Hodgkin-Huxley neurons with
conductance-based synapses, exponential Euler, as examples/cobahh.snn.

Prints a human-readable report on stderr and one JSON object on stdout:
  target            the code-generation target that ran ('cython' or 'numpy')
  warmup_s          a first, short run of an identical network (cython: compiles and caches the
                    code objects; excluded from the timings below)
  build_s           (of the reported repetition) constructing NeuronGroup, Synapses (+ connect), monitors and Network
  run_s             the Network.run() call alone
  total_s           build_s + run_s
  spikes, rate_hz   spike count and mean rate over all 4000 neurons
  synapses          number of synapses
  syn_bytes_per_synapse   bytes of the per-synapse arrays of both Synapses objects / synapses

With --reps N the network is built and run N times (same seed, same names, so the cached code is
reused) and the repetition with the fastest run() is reported; every repetition is in "reps".

Usage: brian2_bench.py [--model cuba|cobahh] [--duration 1s] [--target auto|cython|numpy]
                       [--seed N] [--reps N]
"""
import argparse
import gc
import json
import logging
import re
import sys
import time
import warnings


def parse_duration(text):
    m = re.fullmatch(r"\s*([0-9.eE+-]+)\s*(s|ms|us)?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError("bad duration %r (want e.g. 1s, 500ms)" % text)
    return float(m.group(1)) * {"s": 1.0, "ms": 1e-3, "us": 1e-6, None: 1.0}[m.group(2)]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["cuba", "cobahh"], default="cuba")
    ap.add_argument("--duration", type=parse_duration, default=1.0, help="simulated time (1s)")
    ap.add_argument("--target", choices=["auto", "cython", "numpy"], default="auto")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=1,
                    help="build and run the network this many times; report the fastest run")
    args = ap.parse_args()

    warnings.filterwarnings("ignore")
    t_import = time.perf_counter()
    import brian2
    from brian2 import (NeuronGroup, Synapses, SpikeMonitor, StateMonitor, Network, prefs,
                        defaultclock, seed, ms, mV, second, rand)
    import numpy as np
    brian2.BrianLogger.log_level_error()
    chosen = []    # Brian2 only logs the integration method it picks

    class MethodLog(logging.Handler):
        def emit(self, record):
            m = re.search(r"using method '(\w+)'", record.getMessage())
            if m:
                chosen.append(m.group(1))
    h = MethodLog(level=logging.DEBUG)
    logging.getLogger("brian2").addHandler(h)
    logging.getLogger("py.warnings").setLevel(logging.ERROR)
    t_import = time.perf_counter() - t_import

    def build():
        return build_cobahh() if args.model == "cobahh" else build_cuba()

    def build_cobahh():
        from brian2 import umetre, ufarad, cm, siemens, msiemens, nS, Equations
        area = 20000 * umetre ** 2
        ns = dict(area=area, Cm=(1 * ufarad * cm ** -2) * area, gl=(5e-5 * siemens * cm ** -2) * area,
                  El=-60 * mV, EK=-90 * mV, ENa=50 * mV, g_na=(100 * msiemens * cm ** -2) * area,
                  g_kd=(30 * msiemens * cm ** -2) * area, VT=-63 * mV, taue=5 * ms, taui=10 * ms,
                  we=6 * nS, wi=67 * nS, Ee=0 * mV, Ei=-80 * mV)
        eqs = Equations("""
        dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-
                 g_na*(m*m*m)*h*(v-ENa)-
                 g_kd*(n*n*n*n)*(v-EK))/Cm : volt
        dm/dt = alpha_m*(1-m)-beta_m*m : 1
        dn/dt = alpha_n*(1-n)-beta_n*n : 1
        dh/dt = alpha_h*(1-h)-beta_h*h : 1
        dge/dt = -ge*(1./taue) : siemens
        dgi/dt = -gi*(1./taui) : siemens
        alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
        beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
        alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
        beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
        alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
        beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
        """)
        P = NeuronGroup(4000, model=eqs, threshold="v>-20*mV", refractory=3 * ms,
                        method="exponential_euler", namespace=ns, name="P")
        Ce = Synapses(P, P, on_pre="ge+=we", namespace=ns, name="Ce")
        Ci = Synapses(P, P, on_pre="gi+=wi", namespace=ns, name="Ci")
        Ce.connect("i<3200", p=0.02)
        Ci.connect("i>=3200", p=0.02)
        P.v = "El + (randn() * 5 - 5)*mV"
        P.ge = "(randn() * 1.5 + 4) * 10.*nS"
        P.gi = "(randn() * 12 + 20) * 10.*nS"
        s_mon = SpikeMonitor(P, name="spikes")
        v_mon = StateMonitor(P, "v", record=range(5), dt=0.5 * ms, name="v_mon")
        net = Network(P, Ce, Ci, s_mon, v_mon, name="net")
        return net, P, Ce, Ci, s_mon

    def build_cuba():
        taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
        Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
        eqs = """
        dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
        dge/dt = -ge/taue : volt
        dgi/dt = -gi/taui : volt
        """
        ns = dict(taum=taum, taue=taue, taui=taui, Vt=Vt, Vr=Vr, El=El)
        P = NeuronGroup(4000, eqs, threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                        namespace=ns, name="P")   # method: Brian2's default ('exact')
        P.v = "Vr + rand() * (Vt - Vr)"
        P.ge = 0 * mV
        P.gi = 0 * mV
        we = (60 * 0.27 / 10) * mV  # excitatory synaptic weight (voltage)
        wi = (-20 * 4.5 / 10) * mV  # inhibitory synaptic weight
        Ce = Synapses(P, P, on_pre="ge += we", namespace=dict(we=we), name="Ce")
        Ci = Synapses(P, P, on_pre="gi += wi", namespace=dict(wi=wi), name="Ci")
        Ce.connect("i<3200", p=0.02)
        Ci.connect("i>=3200", p=0.02)
        s_mon = SpikeMonitor(P, name="spikes")
        v_mon = StateMonitor(P, "v", record=range(10), dt=1 * ms, name="v_mon")
        net = Network(P, Ce, Ci, s_mon, v_mon, name="net")
        return net, P, Ce, Ci, s_mon

    def syn_bytes(S):
        total = 0
        n = len(S)
        for name, var in S.variables.items():
            if getattr(var, "owner", None) is None or var.owner.name != S.name:
                continue
            if not hasattr(var, "get_value") or getattr(var, "scalar", False):
                continue
            try:
                val = np.asarray(var.get_value())
            except Exception:
                continue
            if val.ndim == 1 and val.size == n:
                total += val.nbytes
        return total

    def attempt(target):
        prefs.codegen.target = target
        defaultclock.dt = 0.1 * ms
        seed(args.seed)
        t0 = time.perf_counter()
        objs = build()
        objs[0].run(1 * ms)
        dt = time.perf_counter() - t0
        del objs      # the timed network reuses the names, hence the compiled code
        gc.collect()
        return dt

    targets = ["cython", "numpy"] if args.target == "auto" else [args.target]
    target = None
    for t in targets:
        try:
            warmup = attempt(t)
            target = t
            break
        except Exception as e:  # no compiler, no Cython, ...: fall back
            log("brian2: target %s does not work here (%s: %s)" % (t, type(e).__name__,
                                                                     str(e).splitlines()[0:1]))
    if target is None:
        log("brian2: no code-generation target works")
        return 1

    best = None
    runs = []
    for rep in range(max(1, args.reps)):
        if best is not None:
            del net, P, Ce, Ci, s_mon
            gc.collect()
        prefs.codegen.target = target
        defaultclock.dt = 0.1 * ms
        seed(args.seed)
        t0 = time.perf_counter()
        net, P, Ce, Ci, s_mon = build()
        t1 = time.perf_counter()
        net.run(args.duration * second)
        t2 = time.perf_counter()
        if best is None or t2 - t1 < best[1]:
            best = (t1 - t0, t2 - t1)
        runs.append({"build_s": t1 - t0, "run_s": t2 - t1})

    nsyn = len(Ce) + len(Ci)
    spikes = int(s_mon.num_spikes)
    res = {
        "brian2_version": brian2.__version__,
        "target": target,
        "method": chosen[-1] if chosen else "?",
        "duration_s": args.duration,
        "import_s": t_import,
        "warmup_s": warmup,
        "build_s": best[0],                 # of the repetition with the fastest run()
        "run_s": best[1],
        "total_s": best[0] + best[1],
        "reps": runs,
        "spikes": spikes,
        "rate_hz": spikes / 4000 / args.duration,
        "synapses": nsyn,
        "syn_bytes_per_synapse": (syn_bytes(Ce) + syn_bytes(Ci)) / nsyn if nsyn else None,
    }
    log("brian2 %s, target %s: build %.3f s, run %.3f s, %d spikes, %.3f Hz, %d synapses" % (
        res["brian2_version"], target, res["build_s"], res["run_s"], spikes, res["rate_hz"], nsyn))
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
