"""The IR's text form carries everything: for each input and each point k of the pipeline,
  1. snn-opt reads what `snnc -passes=<first k> -emit=ir` prints and prints it back unchanged;
  2. snn-opt running the remaining passes on it prints what `snnc -emit=ir` (the whole
     pipeline) prints: the parsed module is the module, not just its text.
Usage: roundtrip.py SNNC SNN_OPT FILE...; prints one line per file."""
import subprocess
import sys

snnc, snn_opt, files = sys.argv[1], sys.argv[2], sys.argv[3:]
helptext = subprocess.run([snn_opt, "--help"], capture_output=True, text=True, check=True).stdout
passes = [l.split()[0] for l in helptext.split("Passes:")[1].splitlines() if l.strip()]


def run(cmd, stdin=None):
    r = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd[:1] + cmd[2:]) + " failed: " + r.stderr.strip()[:400])
    return r.stdout


def first_difference(a, b):
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        if x != y:
            return "line %d: %r vs %r" % (n, x, y)
    return "lengths %d vs %d" % (len(a), len(b))


status = 0
for f in files:
    name = f.split("/")[-1]
    try:
        full = run([snnc, f, "-emit=ir", "-o", "-"])
        for k in range(len(passes) + 1):
            after = passes[k - 1] if k else "IRGen"
            text = run([snnc, f, "-passes=" + ",".join(passes[:k]), "-emit=ir", "-o", "-"])
            back = run([snn_opt, "-"], text)
            if back != text:
                raise RuntimeError("printed back differently after %s: %s" %
                                   (after, first_difference(text, back)))
            rest = run([snn_opt, "-", "-passes=" + ",".join(passes[k:])], text)
            if rest != full:
                raise RuntimeError("the rest of the pipeline from %s differs: %s" %
                                   (after, first_difference(full, rest)))
        print("%s: %d stages read back; the pipeline split at each gives the same module" %
              (name, len(passes) + 1))
    except RuntimeError as e:
        print("%s: %s" % (name, e))
        status = 1
sys.exit(status)
