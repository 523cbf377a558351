#!/usr/bin/env bash
# Benchmark: snnc (examples/<model>.snn) against Brian2 (bench/brian2_bench.py), same network.
# See bench/README.md for what is measured and how to read the table.
#
# usage: bench/run.sh [--model cuba|cobahh|all] [--duration T] [--reps N]
#                     [--brian2-target auto|cython|numpy] [--keep DIR]
#   --model M      cuba (LIF, default), cobahh (Hodgkin-Huxley) or all (one after the other)
#   --duration T   simulated time for both tools, e.g. 1s, 10s, 500ms (default 1s)
#   --reps N       repetitions of each measurement; the fastest is reported (default 3)
#   --brian2-target  Brian2 code-generation target (default auto: cython if it compiles, else numpy)
#   --keep DIR     keep the compiled model, outputs and raw JSON in DIR (default: a temp dir, removed)
# environment: SNNC (default build/bin/snnc), PYTHON for Brian2 (default /usr/bin/python3)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
SNNC="${SNNC:-build/bin/snnc}"
PYTHON="${PYTHON:-/usr/bin/python3}"
model="cuba"
duration="1s"
reps=3
target="auto"
keep=""

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="${2:?--model needs a value}"; shift 2 ;;
    --model=*) model="${1#*=}"; shift ;;
    --duration) duration="${2:?--duration needs a value}"; shift 2 ;;
    --duration=*) duration="${1#*=}"; shift ;;
    --reps) reps="${2:?--reps needs a value}"; shift 2 ;;
    --reps=*) reps="${1#*=}"; shift ;;
    --brian2-target) target="${2:?--brian2-target needs a value}"; shift 2 ;;
    --brian2-target=*) target="${1#*=}"; shift ;;
    --keep) keep="${2:?--keep needs a value}"; shift 2 ;;
    --keep=*) keep="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$model" in
  cuba|cobahh) ;;
  all) for m in cuba cobahh; do "${BASH_SOURCE[0]}" --model "$m" --duration "$duration" --reps "$reps" --brian2-target "$target" ${keep:+--keep "$keep/$m"}; done; exit 0 ;;
  *) echo "bench/run.sh: unknown model '$model' (cuba, cobahh or all)" >&2; exit 2 ;;
esac
MODEL="examples/$model.snn"
case "$reps" in ''|*[!0-9]*|0) echo "bench/run.sh: --reps must be a positive integer" >&2; exit 2 ;; esac
if [ ! -x "$SNNC" ]; then
  echo "bench/run.sh: no snnc at '$SNNC' (build it, or set SNNC=/path/to/snnc)" >&2; exit 1
fi

if [ -n "$keep" ]; then
  work="$keep"; mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/snnc-bench.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# ---- snnc: compile once (timed), then run the executable $reps times ---------------------------
echo "snnc: compiling $MODEL with $SNNC" >&2
t0=$(now)
"$SNNC" "$MODEL" -o "$work/model"
t1=$(now)
echo "$(elapsed "$t0" "$t1")" > "$work/snnc_compile_s"
# The IR gives each projection's presynaptic range (for the CSR row_ptr size).
"$SNNC" "$MODEL" -emit=ir -o "$work/model.ir"

: > "$work/snnc_process_s"
for r in $(seq 1 "$reps"); do
  echo "snnc: run $r/$reps (--duration $duration)" >&2
  rm -rf "$work/out$r"
  t0=$(now)
  "$work/model" --quiet --duration "$duration" --out "$work/out$r"
  t1=$(now)
  echo "$(elapsed "$t0" "$t1")" >> "$work/snnc_process_s"
done

# ---- Brian2 -------------------------------------------------------------------------------------
echo "brian2: running bench/brian2_bench.py --model $model (--duration $duration, --reps $reps, --target $target)" >&2
"$PYTHON" bench/brian2_bench.py --model "$model" --duration "$duration" --reps "$reps" --target "$target" \
  > "$work/brian2.json"

# ---- table --------------------------------------------------------------------------------------
"$PYTHON" - "$work" "$reps" "$model" <<'EOF'
import json, os, re, sys

work, reps, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]
summaries = [json.load(open(os.path.join(work, "out%d" % r, "summary.json")))
             for r in range(1, reps + 1)]
process = [float(x) for x in open(os.path.join(work, "snnc_process_s")).read().split()]
compile_s = float(open(os.path.join(work, "snnc_compile_s")).read())
b = json.load(open(os.path.join(work, "brian2.json")))

s = min(summaries, key=lambda j: j["wall_time"])      # fastest simulation loop
s_loop = s["wall_time"]
s_proc = min(process)
duration = s["duration"]
s_spikes = sum(p["spikes"] for p in s["populations"])
s_neurons = sum(p["size"] for p in s["populations"])
s_rate = s_spikes / s_neurons / duration if duration else float("nan")
s_nsyn = sum(p["synapses"] for p in s["projections"])

# Presynaptic range of every projection: from summary.json if the runtime reports it, else from
# the compiler's IR (`projection NAME = POP[a:b] -> ...`).
ir = open(os.path.join(work, "model.ir")).read()
ir_pre = {m.group(1): int(m.group(3)) - int(m.group(2)) for m in
          re.finditer(r"^\s*projection\s+(\w+)\s*=\s*\w+\[(\d+):(\d+)\]\s*->", ir, re.M)}
# The runtime reports memory per synapse itself (summary.json) since it knows every per-synapse
# array; the CSR arithmetic below is the fallback for older runtimes.
if all("bytes_per_synapse" in p for p in s["projections"]) and s_nsyn:
    s_bps_runtime = sum(p["bytes_per_synapse"] * p["synapses"] for p in s["projections"]) / s_nsyn
else:
    s_bps_runtime = None
csr_bytes = 0
for p in s["projections"]:
    npre = p.get("pre_size", ir_pre.get(p["name"]))
    if npre is None:
        sys.exit("bench: cannot find the presynaptic size of projection %r" % p["name"])
    csr_bytes += 8 * (npre + 1) + 4 * p["synapses"]
s_bps = csr_bytes / s_nsyn if s_nsyn else float("nan")
if s_bps_runtime is not None:
    s_bps = s_bps_runtime

def secs(x):
    return "%.3f s" % x if x >= 0.1 else "%.1f ms" % (x * 1e3)

def ratio(a, b):
    return "%.2fx" % (a / b) if b > 0 else "n/a"

rows = [
    ("simulated time", "%g s" % duration, "%g s" % b["duration_s"]),
    ("numeric type", s.get("real", "?"), "float64"),
    ("compile / code generation", secs(compile_s) + " (snnc -> exe)",
     secs(b["warmup_s"]) + " (warm-up: build + 1 ms run)"),
    ("simulation loop wall time", secs(s_loop) + " (summary.json)", secs(b["run_s"]) + " (run())"),
    ("total wall time", secs(s_proc) + " (whole process)", secs(b["total_s"]) + " (build + run())"),
    ("  of which network build", "-", secs(b["build_s"])),
    ("real-time factor (loop)", "%.4f" % (s_loop / duration), "%.4f" % (b["run_s"] / b["duration_s"])),
    ("spikes", "%d" % s_spikes, "%d" % b["spikes"]),
    ("mean rate", "%.3f Hz" % s_rate, "%.3f Hz" % b["rate_hz"]),
    ("synapses", "%d" % s_nsyn, "%d" % b["synapses"]),
    ("bytes / synapse", "%.2f (all per-synapse arrays)" % s_bps,
     ("%.2f (Synapses arrays)" % b["syn_bytes_per_synapse"])
     if b.get("syn_bytes_per_synapse") is not None else "n/a"),
]
w0 = max(len(r[0]) for r in rows)
w1 = max(len(r[1]) for r in rows + [("", "snnc")])
print()
title = {"cuba": "CUBA (4000 LIF, p = 0.02)", "cobahh": "COBAHH (4000 HH, p = 0.02)"}[model]
print("%s, best of %d; Brian2 %s, target '%s', method '%s'" % (
    title, reps, b["brian2_version"], b["target"], b.get("method", "?")))
print("%-*s  %-*s  %s" % (w0, "", w1, "snnc", "Brian2"))
for r in rows:
    print("%-*s  %-*s  %s" % (w0, r[0], w1, r[1], r[2]))
print()
print("speed ratio Brian2 / snnc, simulation loop: %s" % ratio(b["run_s"], s_loop))
print("speed ratio Brian2 / snnc, total:           %s" % ratio(b["total_s"], s_proc))
print("snnc runs (loop, process):  %s" % ", ".join(
    "%s / %s" % (secs(j["wall_time"]), secs(p)) for j, p in zip(summaries, process)))
print("Brian2 runs (run, build):   %s" % ", ".join(
    "%s / %s" % (secs(x["run_s"]), secs(x["build_s"])) for x in b.get("reps", [])))
EOF
