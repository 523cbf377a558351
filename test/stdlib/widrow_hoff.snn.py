import sys

import numpy as np

out, inputs = sys.argv[1], sys.argv[2]
eta, tau, tau_y, T, dt = 20.0, 0.010, 0.010, 0.100, 1e-5
tau_p = 1 / (1 / tau + 1 / tau_y)
inp = np.genfromtxt(inputs + "/wh_in.csv", delimiter=",", names=True)
desired = np.genfromtxt(inputs + "/wh_teacher.csv", delimiter=",", names=True)["t"]
fired = np.load(out + "/Out.spikes.npy")["t"]
print("output spikes: %d" % len(fired))


def K(a, b):
    first = tau if a <= b else tau_y
    return np.exp(-abs(b - a) / first) * tau_p * (1 - np.exp(-(T - max(a, b)) / tau_p))


w0 = np.array([12.0, 0.0, 0.0])
want = w0.copy()
for t_in, i in zip(inp["t"], inp["i"].astype(int)):
    want[i] += eta * (sum(K(t_in, d) for d in desired) - sum(K(t_in, o) for o in fired))
got = np.load(out + "/s.w.final.npy")[0]["w"]
err = np.max(np.abs(got - want))
scale = np.max(np.abs(want - w0))
print("closed form: %s" % (err < 1e-3 * scale))
if err >= 1e-3 * scale or "-v" in sys.argv:
    print("got", got, "want", want, "error", err)
