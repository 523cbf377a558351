import sys

import numpy as np

d = sys.argv[1]
dt = 1e-4
starts = [0, 200, 400, 500, 600]  # the steps where runs 1-4 start, and the end


def closed_form(phases, v0=-0.07, E_L=-0.07, R=1e8):
    """phases: (I, tau) per run; the sample of step s is v(s dt)."""
    out, v = [], v0
    for k, (I, tau) in enumerate(phases):
        vinf = E_L + R * I
        steps = starts[k + 1] - starts[k]
        out.append(vinf + (v - vinf) * np.exp(-np.arange(steps) * dt / tau))
        v = vinf + (v - vinf) * np.exp(-steps * dt / tau)
    return np.concatenate(out)


for name, phases in [("A", [(1e-10, 0.01), (1e-10, 0.01), (2e-10, 0.01), (2e-10, 0.01)]),
                     ("B", [(1e-10, 0.01), (2e-10, 0.02), (2e-10, 0.02), (2e-10, 0.02)])]:
    v = np.array([r[1] for r in np.load("%s/%s.v.npy" % (d, name))]).ravel()
    want = closed_form(phases)
    print("%s: %d samples match the closed form: %s"
          % (name, v.size, bool(v.size == want.size and np.allclose(v, want, rtol=0, atol=1e-12))))

# C.n every 10 ms: the counts before steps 0, 100, ..., 500.
n = np.array([r[1] for r in np.load(d + "/C.n.npy")])
ok = []
for (a, b, lam) in [(0, 2, 0.1), (2, 4, 0.1), (4, 5, 0.5)]:
    cells = n.shape[1] * (b - a) * 100
    total = (n[b] - n[a]).sum()
    ok.append(abs(total - lam * cells) < 5 * np.sqrt(lam * cells))
print("C: %d samples; mean counts per step 0.1 0.1 0.5 within 5 sd: %s"
      % (n.shape[0], " ".join(str(bool(x)) for x in ok)))
