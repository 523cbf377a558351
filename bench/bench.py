#!/usr/bin/python3
"""snnc against Brian2's C++ standalone mode (one thread), side by side in one run.

    bench/run.sh [--models cuba,coba,...] [--reps N] [--quick]

For each model it compiles the .snn file with snnc (timed), runs the executable --reps times,
builds and runs the Brian2 twin (bench/brian2_standalone.py) and re-runs Brian2's compiled
program --reps times, then prints one table (minimum of the repetitions, as the machine is
noisy): snnc loop time and whole process, Brian2 simulation time and whole process, the ratio
Brian2 / snnc of the loop times, both firing rates, both build times, snnc's bytes per synapse
and both peak RSS. The LIF-1M rows report ns per neuron update and state traffic beside the
machine's triad bandwidth. Where a CUDA GPU is found, CUBA-200k, COBAHH-4k and LIF-1M also run
on it (snnc --target=cuda, --device cuda): loop time, real-time factor, speed-up over snnc on one
core and whether the spikes equal the CPU run's. bench/README.md explains every column and keeps
the last table.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNNC = os.environ.get("SNNC", os.path.join(ROOT, "build", "bin", "snnc"))
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3")

# model: (snnc source, Brian2 twin, description, target ratio or None)
MODELS = {
    "cuba": ("examples/cuba.snn", "cuba", "CUBA 4000, 1 s", 5),
    "cuba200k": ("bench/models/cuba200k.snn", "cuba200k", "CUBA 200 000 (80 syn/neuron), 1 s", 5),
    "coba": ("bench/models/coba.snn", "coba", "COBA 4000, 1 s", 5),
    "cobahh": ("examples/cobahh.snn", "cobahh", "COBAHH 4000, 1 s", 8),
    "song": ("examples/stdp_song.snn", "song", "Song STDP 1000 -> 1, 100 s", 30),
    "stdp100": ("bench/models/stdp100.snn", "stdp100", "STDP 1000 -> 100, 10 s", 5),
    "lif1m": ("bench/models/lif1m.snn", "lif1m", "LIF 1 000 000, 100 ms (float64)", None),
    "lif1m_f32": ("bench/models/lif1m.snn", None, "LIF 1 000 000, 100 ms (float32)", None),
}
# The Potjans & Diesmann (2014) microcircuit at full scale: its own row (no Brian2 twin at this
# size), with the published rates beside snnc's (NEST's example, network_params.py).
MICROCIRCUIT = "examples/potjans_diesmann.snn"
PUBLISHED_RATES = {"L23e": 0.971, "L23i": 2.868, "L4e": 4.746, "L4i": 5.396, "L5e": 8.142,
                   "L5i": 9.078, "L6e": 0.991, "L6i": 7.523}
STATE_BYTES = {"lif1m": 28, "lif1m_f32": 16}  # v, ge, gi and the i32 countdown per neuron
CUDA_MODELS = ("cuba200k", "cobahh", "lif1m")  # the GPU rows: issue 12's, and the largest net


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def timed(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("bench: %s failed (%d):\n%s" % (" ".join(cmd), p.returncode, err[-2000:]))
    return wall, out


def rss_of(cmd, cwd=None):
    """Peak resident set of one run of cmd, in MiB (GNU time's %M)."""
    if not shutil.which("/usr/bin/time"):
        return None
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, capture_output=True, text=True)
    try:
        return int(p.stderr.strip().splitlines()[-1]) / 1024.0
    except (ValueError, IndexError):
        return None


def thread_scaling(work, reps):
    """CUBA-200k's loop on 1 and 2 threads (the same executable; the results are identical)."""
    exe = os.path.join(work, "cuba200k")
    if not os.path.exists(exe):
        timed([SNNC, os.path.join(ROOT, "bench/models/cuba200k.snn"), "-o", exe])
    best = {}
    for threads in (1, 2):
        loops = []
        for r in range(reps):
            out = os.path.join(work, "threads%d_%d" % (threads, r))
            timed([exe, "--quiet", "--threads", str(threads), "--out", out])
            loops.append(json.load(open(os.path.join(out, "summary.json")))["wall_time"])
        best[threads] = min(loops)
    same = open(os.path.join(work, "threads1_0", "P.spikes.npy"), "rb").read() == \
        open(os.path.join(work, "threads2_0", "P.spikes.npy"), "rb").read()
    return best, same


def run_snnc(name, src, work, reps):
    exe = os.path.join(work, name)
    source = os.path.join(ROOT, src)
    if name.endswith("_f32"):
        text = open(source).read().replace("seed = 1", "seed = 1; precision = float32")
        source = os.path.join(work, name + ".snn")
        open(source, "w").write(text)
    compile_s, _ = timed([SNNC, source, "-I", os.path.join(ROOT, "stdlib"), "-o", exe])
    loops, procs, summary = [], [], None
    for r in range(reps):
        out = os.path.join(work, "%s_out%d" % (name, r))
        # One thread: the table compares one core with Brian2 on one core.
        wall, _ = timed([exe, "--quiet", "--threads", "1", "--out", out])
        s = json.load(open(os.path.join(out, "summary.json")))
        loops.append(s["wall_time"])
        procs.append(wall)
        summary = s
    rss = rss_of([exe, "--quiet", "--threads", "1", "--out", os.path.join(work, name + "_rss")])
    nsyn = sum(p["synapses"] for p in summary["projections"])
    bps = (sum(p["bytes_per_synapse"] * p["synapses"] for p in summary["projections"]) / nsyn
           if nsyn else None)
    return {"compile_s": compile_s, "loop_s": min(loops), "process_s": min(procs),
            "rates": {p["name"]: p["rate_hz"] for p in summary["populations"]},
            "steps": summary["steps"], "neurons": sum(p["size"] for p in summary["populations"]),
            "synapses": nsyn, "bytes_per_synapse": bps, "rss_mib": rss}


def steady_rates(out, summary, t0):
    """Each population's rate after the start-up transient (t >= t0), as NEST's example measures
    after its presimulation."""
    import numpy as np
    sim = summary["steps"] * summary["dt"]
    rates = {}
    for p in summary["populations"]:
        t = np.load(os.path.join(out, p["name"] + ".spikes.npy"))["t"]
        rates[p["name"]] = np.count_nonzero(t >= t0) / p["size"] / (sim - t0)
    return rates


def microcircuit(work):
    """The full-scale microcircuit, once on 1 and once on 2 threads (each run builds 0.3 billion
    synapses): build time (process wall time less the loop and the output), memory, bytes per
    synapse, real-time factors, rates."""
    exe = os.path.join(work, "potjans_diesmann")
    compile_s, _ = timed([SNNC, os.path.join(ROOT, MICROCIRCUIT), "-o", exe])
    runs = {}
    for threads in (1, 2):
        out = os.path.join(work, "pd_out%d" % threads)
        cmd = [exe, "--quiet", "--threads", str(threads), "--out", out]
        t0 = time.perf_counter()
        rss = rss_of(cmd)
        wall = time.perf_counter() - t0
        s = json.load(open(os.path.join(out, "summary.json")))
        runs[threads] = (wall, rss, s)
    # 2 MPI ranks of 1 thread each (mpirun from openmpi-bin), which must give the same spikes.
    mpi = None
    if shutil.which("mpirun"):
        out = os.path.join(work, "pd_mpi2")
        env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
        subprocess.run(["mpirun", "-np", "2", "--oversubscribe", exe, "--quiet", "--threads", "1",
                        "--out", out], env=env, check=True)
        ms = json.load(open(os.path.join(out, "summary.json")))
        mpi = {"rtf": ms["wall_time"] / (ms["steps"] * ms["dt"]),
               "same": all(open(os.path.join(work, "pd_out1", f), "rb").read() ==
                           open(os.path.join(out, f), "rb").read()
                           for f in ms["files"] if f.endswith(".npy"))}
    wall, rss, s = runs[1]
    nsyn = sum(p["synapses"] for p in s["projections"])
    bps = sum(p["bytes_per_synapse"] * p["synapses"] for p in s["projections"]) / nsyn
    sim = s["steps"] * s["dt"]
    return {"compile_s": compile_s,
            "build_s": min(w - summary["wall_time"] for w, _, summary in runs.values()),
            "rss_mib": rss, "bytes_per_synapse": bps, "synapses": nsyn,
            "rtf": {t: runs[t][2]["wall_time"] / sim for t in runs},
            "rates": steady_rates(os.path.join(work, "pd_out1"), s, 0.1),
            "same": open(os.path.join(work, "pd_out1", "L4e.spikes.npy"), "rb").read() ==
            open(os.path.join(work, "pd_out2", "L4e.spikes.npy"), "rb").read(),
            "mpi": mpi}


def compile_scaling(work, reps):
    """Compile time of 1000 projections (50 populations of 100 LIF neurons, 20 projections
    each: test/CodeGen/Inputs/many_projections.py), to an executable and to IR only."""
    src = os.path.join(work, "many.snn")
    with open(src, "w") as f:
        subprocess.run([sys.executable, os.path.join(ROOT, "test", "CodeGen", "Inputs",
                                                     "many_projections.py"), "50", "20"],
                       stdout=f, check=True)
    stdlib = os.path.join(ROOT, "stdlib")
    exe = [timed([SNNC, src, "-I", stdlib, "-o", os.path.join(work, "many")])[0]
           for _ in range(reps)]
    ir = [timed([SNNC, src, "-I", stdlib, "-emit=ir", "-o", os.path.join(work, "many.ir")])[0]
          for _ in range(reps)]
    return min(exe), min(ir)


def gpu_name():
    """The first CUDA GPU's name, or None without a driver or a device."""
    import ctypes
    try:
        cu = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return None
    n, dev, name = ctypes.c_int(0), ctypes.c_int(0), ctypes.create_string_buffer(256)
    if cu.cuInit(0) or cu.cuDeviceGetCount(ctypes.byref(n)) or n.value < 1:
        return None
    if cu.cuDeviceGet(ctypes.byref(dev), 0) or cu.cuDeviceGetName(name, 255, dev):
        return "CUDA GPU 0"
    return name.value.decode()


def run_cuda(name, src, work, reps):
    """The model on GPU 0: loop time (min of reps), real-time factor, and whether the spikes of
    every population equal those of the CPU run (run_snnc's first output) byte for byte."""
    exe = os.path.join(work, name + "_cuda")
    timed([SNNC, os.path.join(ROOT, src), "-I", os.path.join(ROOT, "stdlib"), "--target=cuda",
           "-o", exe])
    loops = []
    for r in range(reps):
        out = os.path.join(work, "%s_cuda_out%d" % (name, r))
        timed([exe, "--quiet", "--device", "cuda", "--out", out])
        s = json.load(open(os.path.join(out, "summary.json")))
        loops.append(s["wall_time"])
    first, cpu = os.path.join(work, name + "_cuda_out0"), os.path.join(work, name + "_out0")
    same = all(open(os.path.join(first, f), "rb").read() == open(os.path.join(cpu, f), "rb").read()
               for f in os.listdir(cpu) if f.endswith(".spikes.npy"))
    return {"loop_s": min(loops), "rtf": min(loops) / s["duration"], "same": same}


def run_brian2(twin, work, reps):
    build = os.path.join(work, "brian2_" + twin)
    t0 = time.perf_counter()
    p = subprocess.run([PYTHON, os.path.join(ROOT, "bench", "brian2_standalone.py"), twin, build],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("bench: Brian2 %s failed:\n%s" % (twin, p.stderr[-3000:]))
    b = json.loads(p.stdout.strip().splitlines()[-1])
    runs, procs = [b["run_s"]], []
    for _ in range(reps):
        wall, _ = timed(["./main"], cwd=build)
        procs.append(wall)
        info = open(os.path.join(build, "results", "last_run_info.txt")).read().split()
        runs.append(float(info[0]))
    b["run_s"] = min(runs)
    b["process_s"] = min(procs)
    b["rss_mib"] = rss_of(["./main"], cwd=build)
    b["rates"] = {g["name"]: g["spikes"] / g["size"] / b["duration"] for g in b["populations"]}
    return b


def triad_gbs(work):
    exe = os.path.join(work, "triad")
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    subprocess.run([cc, "-O2", "-o", exe, os.path.join(ROOT, "bench", "triad.c")], check=True)
    return max(float(subprocess.run([exe], capture_output=True, text=True).stdout)
               for _ in range(2))


def fmt_s(x):
    if x is None:
        return "-"
    return "%.3f s" % x if x >= 0.1 else "%.1f ms" % (x * 1e3)


def fmt_rates(r):
    return ", ".join("%s %.2f" % (k, v) for k, v in r.items())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default=",".join(MODELS),
                    help="comma-separated subset of: " + ", ".join(MODELS))
    ap.add_argument("--reps", type=int, default=3, help="runs of each program; the minimum counts")
    ap.add_argument("--keep", help="keep executables, outputs and Brian2 projects in this folder")
    ap.add_argument("--no-microcircuit", action="store_true",
                    help="skip the full-scale Potjans & Diesmann row (about 8 minutes)")
    args = ap.parse_args()
    models = [m for m in args.models.split(",") if m]
    for m in models:
        if m not in MODELS:
            ap.error("unknown model %r" % m)
    if args.reps < 1:
        ap.error("--reps must be at least 1")
    if not os.access(SNNC, os.X_OK):
        sys.exit("bench: no snnc at %s (build it, or set SNNC)" % SNNC)
    work = args.keep or tempfile.mkdtemp(prefix="snnc-bench.")
    os.makedirs(work, exist_ok=True)
    rows = []
    for m in models:
        src, twin, title, target = MODELS[m]
        log("bench: %s: snnc" % m)
        s = run_snnc(m, src, work, args.reps)
        b = None
        if twin:
            log("bench: %s: Brian2 standalone (build, then %d runs)" % (m, args.reps))
            b = run_brian2(twin, work, args.reps)
        rows.append((m, title, target, s, b))
    triad = triad_gbs(work) if any(m.startswith("lif1m") for m in models) else None

    version = subprocess.run([SNNC, "--version"], capture_output=True, text=True).stdout.strip()
    brian2 = next((b["brian2"] for *_, b in rows if b), "?")
    print("%s vs Brian2 %s cpp_standalone (1 thread), float64 unless said; min of %d runs"
          % (version or "snnc", brian2, args.reps))
    head = ("| model | snnc loop | snnc process | Brian2 sim | Brian2 process | ratio | target |"
            " rates snnc (Hz) | rates Brian2 (Hz) | build snnc | build Brian2 | B/syn snnc |"
            " RSS snnc | RSS Brian2 |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    met = []
    for m, title, target, s, b in rows:
        ratio = b["run_s"] / s["loop_s"] if b else None
        if target and ratio:
            met.append((title, ratio, target))
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            title, fmt_s(s["loop_s"]), fmt_s(s["process_s"]), fmt_s(b["run_s"]) if b else "-",
            fmt_s(b["process_s"]) if b else "-", "%.2fx" % ratio if ratio else "-",
            ("%gx" % target) if target else "-", fmt_rates(s["rates"]),
            fmt_rates(b["rates"]) if b else "-", fmt_s(s["compile_s"]),
            fmt_s(b["build_s"]) if b else "-",
            "%.2f" % s["bytes_per_synapse"] if s["bytes_per_synapse"] else "-",
            "%.0f MiB" % s["rss_mib"] if s["rss_mib"] else "-",
            "%.0f MiB" % b["rss_mib"] if b and b["rss_mib"] else "-"))
    for m, title, target, s, b in rows:
        if m in STATE_BYTES:
            updates = s["neurons"] * s["steps"]
            ns = s["loop_s"] / updates * 1e9
            gbs = 2 * STATE_BYTES[m] * updates / s["loop_s"] / 1e9
            line = "%s: %.3f ns per neuron update, %.1f GB/s of state traffic" % (title, ns, gbs)
            if b:
                line += "; Brian2 %.3f ns" % (b["run_s"] / updates * 1e9)
            print(line)
    if triad:
        print("triad bandwidth of this machine: %.1f GB/s (bench/triad.c)" % triad)
    if "cuba200k" in models:
        best, same = thread_scaling(work, args.reps)
        speedup = best[1] / best[2]
        print("CUBA-200k threads: 1 thread %s, 2 threads %s: %.2fx (target 1.7x: %s); spikes %s"
              % (fmt_s(best[1]), fmt_s(best[2]), speedup,
                 "met" if speedup >= 1.7 else "not met",
                 "byte-identical" if same else "DIFFERENT"))
    if not args.no_microcircuit:
        log("bench: Potjans & Diesmann microcircuit, full scale, 1 and 2 threads, 2 MPI ranks")
        pd = microcircuit(work)
        print("Potjans & Diesmann 2014 microcircuit, full scale (%d neurons, %.3g synapses), 1 s, "
              "float32: build %s (target 60 s: %s), %.2f B/synapse (target 8: %s), peak RSS %.0f "
              "MiB, real-time factor %.1f on 1 thread, %.1f on 2 (target 4: %s), spikes %s"
              % (77169, pd["synapses"], fmt_s(pd["build_s"]),
                 "met" if pd["build_s"] <= 60 else "not met", pd["bytes_per_synapse"],
                 "met" if pd["bytes_per_synapse"] <= 8 else "not met", pd["rss_mib"] or 0,
                 pd["rtf"][1], pd["rtf"][2], "met" if pd["rtf"][2] <= 4 else "not met",
                 "byte-identical" if pd["same"] else "DIFFERENT"))
        if pd["mpi"]:
            print("  on 2 MPI ranks x 1 thread: real-time factor %.1f (target 4: %s), spikes %s"
                  % (pd["mpi"]["rtf"], "met" if pd["mpi"]["rtf"] <= 4 else "not met",
                     "byte-identical" if pd["mpi"]["same"] else "DIFFERENT"))
        else:
            print("  MPI: no mpirun (openmpi-bin), the 2-rank run skipped")
        print("  rates after 0.1 s (Hz), snnc / published: " + ", ".join(
            "%s %.2f / %.2f" % (k, pd["rates"][k], v) for k, v in PUBLISHED_RATES.items()))
    exe_s, ir_s = compile_scaling(work, args.reps)
    print("compile time, 1000 projections: %s to an executable (target 1 s: %s), %s to IR"
          % (fmt_s(exe_s), "met" if exe_s <= 1.0 else "not met", fmt_s(ir_s)))
    gpu = gpu_name()
    cuda_rows = [m for m in models if m in CUDA_MODELS]
    if cuda_rows and not gpu:
        print("CUDA rows (%s): no CUDA GPU found, skipped" % ", ".join(cuda_rows))
    elif cuda_rows:
        print()
        print("On %s (snnc --target=cuda --device cuda), min of %d runs:" % (gpu, args.reps))
        print("| model | GPU loop | real-time factor | snnc 1 core | speed-up | spikes = CPU |")
        print("|---|---|---|---|---|---|")
        for m, title, target, s, b in rows:
            if m not in cuda_rows:
                continue
            log("bench: %s: CUDA" % m)
            g = run_cuda(m, MODELS[m][0], work, args.reps)
            print("| %s | %s | %.3g | %s | %.1fx | %s |" % (
                title, fmt_s(g["loop_s"]), g["rtf"], fmt_s(s["loop_s"]),
                s["loop_s"] / g["loop_s"], "yes" if g["same"] else "NO"))
    for title, ratio, target in met:
        print("target %s: %.2fx of %gx: %s" % (title, ratio, target,
                                               "met" if ratio >= target else "not met"))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
