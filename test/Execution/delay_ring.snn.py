"""Writes the spike file of test/Execution/delay_ring.snn and checks B.n against its closed form."""
import sys

import numpy as np

steps, dt = 300, 1e-4


def fires(i, p):
    return p % 3 == 0 if i == 1 else p % 7 in (0, 2) if i == 2 else True


if sys.argv[1] == "gen":
    with open(sys.argv[2] + "/s.csv", "w") as f:
        f.write("t,i\n")
        for p in range(steps):
            for i in range(3):
                if fires(i, p):
                    f.write("%.6g,%d\n" % (p * dt, i))
    sys.exit(0)

rec = np.load(sys.argv[3] + "/B.n.npy")
got = rec["n"] if rec.dtype.names and "n" in rec.dtype.names else rec
got = np.asarray(got)
ok = got.shape[0] == steps
for s in range(min(steps, got.shape[0])):
    for j in range(6):
        want = sum(10**i * sum(1 for p in range(steps) if fires(i, p) and p + 3 * j < s) for i in range(3))
        if got[s][j] != want:
            if ok:
                print("step %d, B_%d: %g, expected %d" % (s, j, got[s][j], want), file=sys.stderr)
            ok = False
print("B.n as the closed form at all %d steps: %s" % (steps, ok))
