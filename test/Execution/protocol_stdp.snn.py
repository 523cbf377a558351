import sys

import numpy as np

d = sys.argv[1]
dt = 1e-4
taupre = taupost = 0.02
Apre, Apost = 0.01, -0.012


def steps(name):
    return [int(round(r[0] / dt)) for r in np.load("%s/%s.spikes.npy" % (d, name))]


pre, post = steps("Pre"), steps("Post")
per_run = lambda s: " + ".join(str(sum(1 for x in s if 1000 * k <= x < 1000 * (k + 1)))
                               for k in range(3))
print("%s pre and %s post spikes per run" % (per_run(pre), per_run(post)))


def eta(step):
    return [1.0, 0.0, 0.5][step // 1000]


# Events in step order; a pre and a post spike of the same step: on_pre first (Brian2's order).
events = sorted([(s, 0) for s in pre] + [(s, 1) for s in post])
apre = apost = 0.0
t_pre = t_post = 0
w = 0.5
w_at = {}  # the weight after every event
for s, kind in events:
    if kind == 0:
        apre = apre * np.exp(-(s - t_pre) * dt / taupre) + Apre
        t_pre = s
        w += eta(s) * apost * np.exp(-(s - t_post) * dt / taupost)
    else:
        apost = apost * np.exp(-(s - t_post) * dt / taupost) + Apost
        t_post = s
        w += eta(s) * apre * np.exp(-(s - t_pre) * dt / taupre)
    w_at[s] = w

rec = np.load(d + "/S.w.npy")
got = np.array([r[1] for r in rec]).ravel()
sample_steps = [int(round(r[0] / dt)) for r in rec]
want = []
for s in sample_steps:  # the state at the start of step s: events of earlier steps only
    before = [e for e in w_at if e < s]
    want.append(w_at[max(before)] if before else 0.5)
want = np.array(want)
print("%d samples of w match pair-based STDP: %s"
      % (got.size, bool(got.size == 300 and np.allclose(got, want, rtol=0, atol=1e-15))))
frozen = got[(np.array(sample_steps) > 1000) & (np.array(sample_steps) <= 2000)]
print("w constant while eta = 0: %s; changed in runs 1 and 3: %s %s"
      % (bool(np.all(frozen == frozen[0])), bool(got[100] != 0.5), bool(got[-1] != got[200])))
