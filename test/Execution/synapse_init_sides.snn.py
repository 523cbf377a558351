import sys

import numpy as np

d = sys.argv[1]
w = np.load(d + "/ab.w.final.npy")["w"][0]
w2 = np.load(d + "/ab.w2.final.npy")["w2"][0]
p = np.load(d + "/ab.w.final.synapses.npy")
i, j = p["i"].astype(float), p["j"].astype(float)
print("%d synapses; w = 2 i + 20 j + j/1000: %s; w2 = 2 w: %s"
      % (w.size, bool(np.all(w == 2 * i + 20 * j + j / 1000)), bool(np.all(w2 == 2 * w))))
