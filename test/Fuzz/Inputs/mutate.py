#!/usr/bin/env python3
"""Bounded random-mutation test of the snnc front end and of snn-opt's IR reader.

For every input .snn file, make --count corrupted copies (seeded, reproducible: mutant k of input
F depends only on --seed, the file's name and k) and compile each with `snnc -emit=ir` (every
10th also with `-emit=llvm -O0`); an input .ir file (IR text) is read with `snn-opt` instead
(every 10th also run through --passes). A mutant passes when the tool

  * exits by itself within --timeout seconds (no hang),
  * with status 0 or 1 (never a signal, an abort or any other code), and
  * when the status is 1, prints a diagnostic on stderr: a line `file:line:col: error: ...` or
    `snnc: error: ...` (never a silent failure).

A file that defines no network (a neuron library such as stdlib/neurons/lif.snn) is mutated in
place and imported by a small fixed network next to it, so that Sema and the lowering see the
mutated definitions too.

On failure the mutant (and the wrapper network) is saved under --save-dir, the command, status
and stderr are printed, and the script exits with status 1. The last line is always
`mutations: N passed, M failed`.

Reproduce one mutant: mutate.py --snnc SNNC --seed S --only K --save-dir DIR FILE
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

KEYWORDS = [
    b"import", b"neuron", b"synapse", b"network", b"parameters", b"state", b"equations", b"spike",
    b"when", b"reset", b"refractory", b"unless", b"on_pre", b"population", b"connect", b"with",
    b"record", b"spikes", b"of", b"every", b"run", b"and", b"or", b"not",
]
# Names with a meaning in some context: units, rules, functions, settings, the time variable.
KNOWN_NAMES = [
    b"ms", b"s", b"us", b"mV", b"V", b"nA", b"pA", b"Mohm", b"ohm", b"nS", b"Hz", b"dt", b"t",
    b"seed", b"precision", b"float32", b"float64", b"uniform", b"normal", b"exp", b"log", b"sqrt",
    b"bernoulli", b"all_to_all", b"one_to_one", b"fixed_indegree", b"autapses", b"p", b"k",
    b"LIF", b"LIFCurrent", b"v", b"ge", b"gi", b"x", b"_refcnt",
]
PUNCT = [b"->", b"+=", b"-=", b"*=", b"/=", b"<=", b">=", b"==", b"!=", b"**", b"^", b"<", b">",
         b"=", b"+", b"-", b"*", b"/", b"(", b")", b"{", b"}", b"[", b"]", b",", b":", b";", b".",
         b'"', b"//", b"/*", b"*/", b"#"]
ALPHABET = (b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"
            b"+-*/^<>=!(){}[],:;.\"# \t\n")
JUNK = [b"\x00", b"\xff", b"\xfe", b"\x80", b"\xc3", b"\xc3\xa9", b"\xe2\x80\x8b", b"\xf0\x9f\x92\xa5",
        b"\xce\xbc", b"\x1b[0m", b"\r", b"\r\n", b"\x7f", b"\x01", b"\x0b", b"\x0c", b"\\", b"'",
        b"`", b"$", b"@", b"?", b"%", b"&", b"|", b"~", b"\xef\xbb\xbf", b"\xed\xa0\x80"]
NUMBERS = [b"1e400", b"-1e400", b"1e-400", b"1e308", b"1.7976931348623157e308", b"-5", b"0", b"0.0",
           b"-0", b"1", b"2", b"0.5", b"4294967295", b"4294967296", b"18446744073709551616",
           b"9223372036854775807", b"99999999999999999999999999999", b"1e9", b"1e10", b"-1",
           b"1.", b".5", b"1e", b"1e+", b"0x10", b"1_000", b"00", b"3.3.3", b"1e-7", b"-1e-300"]

TOKEN_RE = re.compile(
    rb"(?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)"
    rb"|(?P<id>[A-Za-z_][A-Za-z_0-9]*)"
    rb'|(?P<str>"[^"\r\n]*")'
    rb"|(?P<punct>->|\+=|-=|\*=|/=|<=|>=|==|!=|\*\*|[-+*/^<>=(){}\[\],:;.])")

WRAPPER_NAME = b"fuzz_neuron.snn"
# A network that instantiates both stdlib LIF models, overrides parameters and initial values,
# connects them, records and runs, so that a mutated neuron file reaches Sema, the IR and LLVM.
WRAPPER = b"""import "fuzz_neuron.snn"

network fuzz_wrap {
    dt = 0.1 ms
    seed = 3
    population A = LIF[20] { v = uniform(V_reset, V_th) }
    population B = LIFCurrent[5](I = 0.5 nA) { v = -60 mV }
    connect A[0:15] -> B with bernoulli(0.1) on_pre { v += 1 mV }
    connect A[15:20] -> A with fixed_indegree(2) on_pre { gi += -1 mV }
    record spikes of A
    record B.v[0:2] every 1 ms
    run 10 ms
}
"""

DIAG_RE = re.compile(r"^([^:\n]+:\d+:\d+: error: |snnc: error: |snn-opt: error: )", re.M)


# ---- mutation operators ---------------------------------------------------------------------
def tokens(data):
    return [m for m in TOKEN_RE.finditer(data)]


def pick_range(rng, n, maxlen=40):
    if n == 0:
        return 0, 0
    a = rng.randrange(n)
    b = min(n, a + rng.randint(1, maxlen))
    return a, b


def m_delete_chars(rng, d):
    a, b = pick_range(rng, len(d))
    return d[:a] + d[b:]


def m_duplicate_chars(rng, d):
    a, b = pick_range(rng, len(d))
    at = rng.randrange(len(d) + 1)
    return d[:at] + d[a:b] + d[at:]


def m_swap_chars(rng, d):
    if len(d) < 4:
        return d
    a, b = sorted(rng.sample(range(len(d)), 2))
    la = rng.randint(1, min(20, b - a))
    lb = rng.randint(1, min(20, len(d) - b))
    return d[:a] + d[b:b + lb] + d[a + la:b] + d[a:a + la] + d[b + lb:]


def m_delete_token(rng, d):
    t = tokens(d)
    if not t:
        return d
    m = rng.choice(t)
    return d[:m.start()] + d[m.end():]


def m_duplicate_token(rng, d):
    t = tokens(d)
    if not t:
        return d
    m = rng.choice(t)
    return d[:m.end()] + rng.choice([b"", b" "]) + m.group() + d[m.end():]


def m_swap_tokens(rng, d):
    t = tokens(d)
    if len(t) < 2:
        return d
    x, y = sorted(rng.sample(range(len(t)), 2))
    a, b = t[x], t[y]
    return d[:a.start()] + b.group() + d[a.end():b.start()] + a.group() + d[b.end():]


def m_insert_alphabet(rng, d):
    at = rng.randrange(len(d) + 1)
    k = rng.randint(1, 8)
    s = bytes(rng.choice(ALPHABET) for _ in range(k))
    if rng.random() < 0.5:
        s = rng.choice(PUNCT + KEYWORDS)
    return d[:at] + s + d[at:]


def m_insert_junk(rng, d):
    at = rng.randrange(len(d) + 1)
    s = b"".join(rng.choice(JUNK) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.2:
        s = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return d[:at] + s + d[at:]


def m_replace_number(rng, d):
    t = [m for m in tokens(d) if m.lastgroup == "num"]
    if not t:
        return d
    m = rng.choice(t)
    return d[:m.start()] + rng.choice(NUMBERS) + d[m.end():]


def m_replace_ident(rng, d):
    t = tokens(d)
    ids = [m for m in t if m.lastgroup == "id"]
    if not ids:
        return d
    m = rng.choice(ids)
    r = rng.random()
    if r < 0.45:
        new = rng.choice(ids).group()
    elif r < 0.7:
        new = rng.choice(KEYWORDS)
    elif r < 0.9:
        new = rng.choice(KNOWN_NAMES)
    else:
        new = m.group() + rng.choice([b"x", b"_", b"0", b"\xc3\xa9"])
    return d[:m.start()] + new + d[m.end():]


def m_brace(rng, d):
    pos = [i for i, c in enumerate(d) if c in b"{}()[]"]
    if not pos:
        return d
    i = rng.choice(pos)
    r = rng.random()
    if r < 0.5:
        return d[:i] + d[i + 1:]                      # drop
    if r < 0.8:
        return d[:i] + d[i:i + 1] * rng.randint(2, 3) + d[i + 1:]   # duplicate
    return d[:i] + rng.choice(b"{}()[]").to_bytes(1, "little") + d[i + 1:]  # mismatch


def m_truncate(rng, d):
    return d[:rng.randrange(len(d) + 1)]


def m_lines(rng, d):
    lines = d.split(b"\n")
    if len(lines) < 2:
        return d
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    r = rng.random()
    if r < 0.4:
        del lines[i]
    elif r < 0.8:
        lines.insert(j, lines[i])
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def m_comment(rng, d):
    at = rng.randrange(len(d) + 1)
    return d[:at] + rng.choice([b"/*", b"*/", b"//", b"#", b'"', b"/* x */", b"\n//\n"]) + d[at:]


OPERATORS = [
    (m_delete_chars, 3), (m_duplicate_chars, 2), (m_swap_chars, 1), (m_delete_token, 3),
    (m_duplicate_token, 2), (m_swap_tokens, 2), (m_insert_alphabet, 2), (m_insert_junk, 2),
    (m_replace_number, 4), (m_replace_ident, 4), (m_brace, 3), (m_truncate, 1), (m_lines, 2),
    (m_comment, 1),
]
OP_FUNCS = [f for f, _ in OPERATORS]
OP_WEIGHTS = [w for _, w in OPERATORS]


def mutate(rng, data):
    applied = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 5])):
        op = rng.choices(OP_FUNCS, OP_WEIGHTS)[0]
        data = op(rng, data)
        applied.append(op.__name__[2:])
    return data, applied


# ---- running snnc ---------------------------------------------------------------------------
def describe_status(rc):
    if rc < 0:
        try:
            return "killed by signal %d (%s)" % (-rc, signal.Signals(-rc).name)
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit status %d" % rc


STATS = {0: 0, 1: 0}


def check(snnc, path, extra, timeout):
    """Returns None on success, else a string saying what went wrong (and stderr)."""
    cmd = [snnc, path] + extra + ["-o", "-"]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except OSError as e:
        return "%s\n  -> cannot run snnc: %s" % (" ".join(cmd), e)
    except subprocess.TimeoutExpired as e:
        err = (e.stderr or b"").decode("utf-8", "replace")
        return "%s\n  -> timed out after %g s\n--- stderr ---\n%s" % (" ".join(cmd), timeout, err)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode in STATS:
        STATS[p.returncode] += 1
    if p.returncode == 0:
        return None
    if p.returncode == 1:
        if DIAG_RE.search(err):
            return None
        return "%s\n  -> exit status 1 without a diagnostic line\n--- stderr ---\n%s" % (
            " ".join(cmd), err)
    return "%s\n  -> %s\n--- stderr ---\n%s" % (" ".join(cmd), describe_status(p.returncode), err)


def defines_network(data):
    return re.search(rb"^\s*network\b", data, re.M) is not None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--snnc", required=True)
    ap.add_argument("--snn-opt", help="for .ir inputs: read each mutant with snn-opt (every N-th "
                    "also through the whole pipeline, -passes=PASSES)")
    ap.add_argument("--passes", default="", help="the pipeline for .ir mutants")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300, help="mutants per input file")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per snnc run")
    ap.add_argument("--llvm-every", type=int, default=10,
                    help="also run -emit=llvm -O0 on every N-th mutant (0: never)")
    ap.add_argument("--save-dir", help="where failing mutants are written (default: a temp dir)")
    ap.add_argument("--only", type=int, help="run only mutant number K (to reproduce a failure)")
    ap.add_argument("--keep-going", action="store_true", help="do not stop at the first failure")
    ap.add_argument("--skip-invalid-utf8", action="store_true",
                    help="do not run mutants that are not valid UTF-8 (to look past a known bug)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every mutant's operators")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="snnc-fuzz-")
    save_dir = args.save_dir or os.path.join(work, "failures")
    passed = failed = 0
    start = time.monotonic()
    try:
        for inp in args.inputs:
            with open(inp, "rb") as f:
                original = f.read()
            base = os.path.basename(inp)
            wrap = not inp.endswith(".ir") and not defines_network(original)
            indices = [args.only] if args.only is not None else range(args.count)
            for k in indices:
                rng = random.Random("%d:%s:%d" % (args.seed, base, k))
                data, ops = mutate(rng, original)
                if args.skip_invalid_utf8:
                    try:
                        data.decode("utf-8")
                    except UnicodeDecodeError:
                        continue
                d = os.path.join(work, "m%d" % k)
                os.makedirs(d, exist_ok=True)
                if wrap:
                    mut_path = os.path.join(d, WRAPPER_NAME.decode())
                    main_path = os.path.join(d, "main.snn")
                    with open(main_path, "wb") as f:
                        f.write(WRAPPER)
                else:
                    mut_path = main_path = os.path.join(d, base)
                with open(mut_path, "wb") as f:
                    f.write(data)
                if args.verbose:
                    print("%s #%d: %s" % (base, k, ",".join(ops)))
                tool = args.snnc
                runs = [["-emit=ir"]]
                if args.llvm_every and k % args.llvm_every == 0:
                    runs.append(["-emit=llvm", "-O0"])
                if base.endswith(".ir"):  # IR text: snn-opt reads it, some run the pipeline
                    tool = args.snn_opt
                    runs = [[]]
                    if args.llvm_every and k % args.llvm_every == 0 and args.passes:
                        runs.append(["-passes=" + args.passes])
                problem = None
                for extra in runs:
                    problem = check(tool, main_path, extra, args.timeout)
                    if problem:
                        break
                if problem is None:
                    passed += 1
                else:
                    failed += 1
                    out = os.path.join(save_dir, "%s.seed%d.m%d" % (base, args.seed, k))
                    if os.path.isdir(out):
                        shutil.rmtree(out)
                    shutil.copytree(d, out)
                    print("FAIL: %s mutant %d (seed %d; operators: %s)" % (
                        base, k, args.seed, ", ".join(ops)))
                    print("  saved to %s" % out)
                    print(problem.rstrip())
                    print("--- mutant (%s) ---" % os.path.basename(mut_path))
                    print(data.decode("utf-8", "backslashreplace"))
                    print("--- end of mutant ---")
                    sys.stdout.flush()
                shutil.rmtree(d)
                if failed and not args.keep_going:
                    break
            if failed and not args.keep_going:
                break
    finally:
        if not failed or args.save_dir:
            shutil.rmtree(work, ignore_errors=True)
    print("time: %.1f s for %d mutants; snnc runs: %d accepted (status 0), %d rejected (status 1)"
          % (time.monotonic() - start, passed + failed, STATS[0], STATS[1]))
    print("mutations: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
