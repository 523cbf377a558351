#!/usr/bin/python3
"""The bench's networks in Brian2's C++ standalone mode, one thread: the same models as the .snn
files bench/bench.py compiles (examples/ and bench/models/). Run one model per process:

    /usr/bin/python3 bench/brian2_standalone.py MODEL BUILD_DIR

It builds the C++ project in BUILD_DIR (set_device('cpp_standalone'), openmp_threads = 1), runs
it once and prints one JSON object: model, brian2 (version), build_s (network construction, code
generation and compilation), run_s (device._last_run_time: the simulation loop), neurons and
spikes per population, synapses, and the method Brian2 chose. bench.py then re-runs BUILD_DIR/main
itself for the whole-process time and peak memory.
"""
import json
import logging
import re
import sys
import time
import warnings

MODELS = ("cuba", "cuba200k", "coba", "cobahh", "song", "stdp100", "lif1m")


def main():
    model, build_dir = sys.argv[1], sys.argv[2]
    if model not in MODELS:
        sys.exit("brian2_standalone.py: unknown model %r (one of %s)" % (model, ", ".join(MODELS)))
    warnings.filterwarnings("ignore")
    import brian2 as b2
    from brian2 import (NeuronGroup, PoissonGroup, SpikeMonitor, Synapses, defaultclock, mV, ms,
                        second, Hz, nS)
    b2.BrianLogger.log_level_error()
    methods = []

    class MethodLog(logging.Handler):
        def emit(self, record):
            m = re.search(r"using method '(\w+)'", record.getMessage())
            if m:
                methods.append(m.group(1))
    logging.getLogger("brian2").addHandler(MethodLog(level=logging.DEBUG))

    t0 = time.perf_counter()
    b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = 1
    defaultclock.dt = 0.1 * ms
    b2.seed(1)
    groups, synapses, duration = [], [], 1 * second

    if model in ("cuba", "cuba200k", "lif1m"):
        n = {"cuba": 4000, "cuba200k": 200000, "lif1m": 1000000}[model]
        ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-49 * mV)
        P = NeuronGroup(n, """dv/dt = (ge+gi-(v-El))/taum : volt (unless refractory)
                              dge/dt = -ge/taue : volt
                              dgi/dt = -gi/taui : volt""",
                        threshold="v>Vt", reset="v = Vr", refractory=5 * ms, method="exact",
                        namespace=ns, name="P")
        P.v = "Vr + rand() * (Vt - Vr)"
        groups.append(P)
        if model == "lif1m":
            duration = 100 * ms
        else:
            ne, p = n * 4 // 5, (0.02 if n == 4000 else 80.0 / n)
            Ce = Synapses(P, P, on_pre="ge += 1.62*mV", name="Ce")
            Ci = Synapses(P, P, on_pre="gi += -9*mV", name="Ci")
            Ce.connect("i < %d" % ne, p=p)
            Ci.connect("i >= %d" % ne, p=p)
            synapses += [Ce, Ci]
    elif model == "coba":
        ns = dict(taum=20 * ms, taue=5 * ms, taui=10 * ms, Vt=-50 * mV, Vr=-60 * mV, El=-60 * mV,
                  Ee=0 * mV, Ei=-80 * mV)
        P = NeuronGroup(4000, """dv/dt = (ge*(Ee-v)+gi*(Ei-v)-(v-El))/taum : volt (unless refractory)
                                 dge/dt = -ge/taue : 1
                                 dgi/dt = -gi/taui : 1""",
                        threshold="v>Vt", reset="v = Vr", refractory=5 * ms,
                        method="exponential_euler", namespace=ns, name="P")
        P.v = "-60*mV + (randn()*5 - 5)*mV"
        P.ge = "randn()*1.5 + 4"
        P.gi = "randn()*12 + 20"
        Ce = Synapses(P, P, on_pre="ge += 0.6", name="Ce")
        Ci = Synapses(P, P, on_pre="gi += 6.7", name="Ci")
        Ce.connect("i < 3200", p=0.02)
        Ci.connect("i >= 3200", p=0.02)
        groups.append(P)
        synapses += [Ce, Ci]
    elif model == "cobahh":
        from brian2 import umetre, ufarad, cm, siemens, msiemens
        area = 20000 * umetre ** 2
        ns = dict(Cm=(1 * ufarad * cm ** -2) * area, gl=(5e-5 * siemens * cm ** -2) * area,
                  El=-60 * mV, EK=-90 * mV, ENa=50 * mV, g_na=(100 * msiemens * cm ** -2) * area,
                  g_kd=(30 * msiemens * cm ** -2) * area, VT=-63 * mV, taue=5 * ms, taui=10 * ms,
                  Ee=0 * mV, Ei=-80 * mV)
        P = NeuronGroup(4000, """
            dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
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
            beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz""",
                        threshold="v>-20*mV", refractory=3 * ms, method="exponential_euler",
                        namespace=ns, name="P")
        P.v = "El + (randn() * 5 - 5)*mV"
        P.ge = "(randn() * 1.5 + 4) * 10.*nS"
        P.gi = "(randn() * 12 + 20) * 10.*nS"
        Ce = Synapses(P, P, on_pre="ge += 6*nS", name="Ce")
        Ci = Synapses(P, P, on_pre="gi += 67*nS", name="Ci")
        Ce.connect("i < 3200", p=0.02)
        Ci.connect("i >= 3200", p=0.02)
        groups.append(P)
        synapses += [Ce, Ci]
    else:  # song, stdp100: Brian2's STDP example (Song, Miller & Abbott 2000)
        n_post = 1 if model == "song" else 100
        duration = (100 if model == "song" else 10) * second
        gmax = 0.01
        ns = dict(taum=10 * ms, taupre=20 * ms, taupost=20 * ms, Ee=0 * mV, vt=-54 * mV,
                  vr=-60 * mV, El=-74 * mV, taue=5 * ms, gmax=gmax, dApre=0.01 * gmax,
                  dApost=-0.01 * gmax * 1.05)
        In = PoissonGroup(1000, rates=15 * Hz, name="In")
        N = NeuronGroup(n_post, """dv/dt = (ge * (Ee-v) + El - v) / taum : volt
                                   dge/dt = -ge / taue : 1""",
                        threshold="v>vt", reset="v = vr", method="euler", namespace=ns, name="N")
        S = Synapses(In, N, """w : 1
                               dApre/dt = -Apre / taupre : 1 (event-driven)
                               dApost/dt = -Apost / taupost : 1 (event-driven)""",
                     on_pre="""ge += w
                               Apre += dApre
                               w = clip(w + Apost, 0, gmax)""",
                     on_post="""Apost += dApost
                                w = clip(w + Apre, 0, gmax)""", namespace=ns, name="syn")
        S.connect()
        S.w = "rand() * gmax"
        groups += [In, N]
        synapses.append(S)

    monitors = [SpikeMonitor(g, name="spikes_" + g.name) for g in groups]
    net = b2.Network(*groups, *synapses, *monitors)  # explicit: run() only collects named locals
    net.run(duration)
    b2.device.build(directory=build_dir, compile=True, run=True, debug=False)
    total = time.perf_counter() - t0
    run_s = b2.device._last_run_time
    print(json.dumps({
        "model": model, "brian2": b2.__version__, "duration": float(duration),
        "build_s": total - run_s, "run_s": run_s, "method": methods[0] if methods else None,
        "populations": [{"name": g.name, "size": len(g), "spikes": int(m.num_spikes)}
                        for g, m in zip(groups, monitors)],
        "synapses": int(sum(len(s) for s in synapses)),
    }))


if __name__ == "__main__":
    main()
