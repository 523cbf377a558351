"""Checks an interrupted run's output folder (stop-signal.test)."""
import json
import os
import sys

import numpy as np

d = sys.argv[1]
s = json.load(open(os.path.join(d, "summary.json")))
print("complete %s, files %s" % (s["complete"], s["files"]))
t_stop = s["steps"] * s["dt"]
spikes, v = np.load(os.path.join(d, "P.spikes.npy")), np.load(os.path.join(d, "P.v.npy"))
# P.v is sampled every 10 steps at the start of a step: the last sample is the last multiple of 10
# below the steps done.
last = (s["steps"] - 1) // 10 * 10 * s["dt"]
print("spikes end before the stop: %s; samples end at the stop: %s"
      % (len(spikes) > 0 and spikes["t"].max() < t_stop, abs(v["t"][-1] - last) < 1e-9))
print("no partial files: %s" % (not any(".part" in f for f in os.listdir(d))))
