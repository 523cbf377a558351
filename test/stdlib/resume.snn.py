import sys

import numpy as np

out, inputs = sys.argv[1], sys.argv[2]
eta, a, A, tau = 1.0, 0.05, 1.0, 0.005
inp = np.genfromtxt(inputs + "/wh_in.csv", delimiter=",", names=True)
desired = np.genfromtxt(inputs + "/wh_teacher.csv", delimiter=",", names=True)["t"]
fired = np.load(out + "/Out.spikes.npy")["t"]
print("output spikes: %d" % len(fired))


def trace(i, s):
    t = inp["t"][(inp["i"] == i) & (inp["t"] <= s + 1e-9)]
    return A * np.sum(np.exp(-(s - t) / tau))


want = np.array([12.0, 0.0, 0.0])
for i in range(3):
    want[i] += eta * (sum(a + trace(i, d) for d in desired) - sum(a + trace(i, o) for o in fired))
got = np.load(out + "/s.w.final.npy")[0]["w"]
print("closed form: %s" % bool(np.allclose(got, want, rtol=0, atol=1e-12)))
if not np.allclose(got, want, rtol=0, atol=1e-12) or "-v" in sys.argv:
    print("got", got, "want", want)
# Quiet never fires; input 0 teaches output k at 30 + 20 k ms.
q = np.load(out + "/q.w.final.npy")[0]["w"]
want_q = np.array([eta * (a + trace(0, 0.030)), eta * (a + trace(0, 0.050))])
print("slice: %s" % bool(np.allclose(q, want_q, rtol=0, atol=1e-12)))
if not np.allclose(q, want_q, rtol=0, atol=1e-12) or "-v" in sys.argv:
    print("q", q, "want", want_q)
