import sys

import numpy as np

d = sys.argv[1]
w = np.load(d + "/ie.w.final.npy")[0]["w"]
ij = np.load(d + "/ie.w.final.synapses.npy")
W = np.zeros((16, 4))
W[ij["i"], ij["j"]] = w
P = W.reshape(4, 4, 4).sum(axis=1)  # (pattern, neuron)
share = P / P.sum(axis=0)
spikes = len(np.load(d + "/E.spikes.npy"))
print("shares\n%s\nspikes %d" % (np.round(share, 3), spikes), file=sys.stderr)
checks = [("selective", bool(np.all(share.max(axis=0) > 0.95))),
          ("distinct", len(set(share.argmax(axis=0))) == 4),
          ("spikes", abs(spikes / 1206 - 1) < 0.10)]
print("; ".join("%s %s" % (name, "ok" if ok else "FAILED") for name, ok in checks))
