"""Reads a run of snnc with spike records of E and I, prints bench/brunel2000/analyse.py's
statistics and compares them with a Brian2 twin's.
Usage: compare_to_twin.py OUT T N_E N_I rate_E rate_I cv_E sync_E RATE_TOL CV_TOL SYNC_TOL
(relative tolerances for the rates and the synchrony, an absolute one for the CV)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench",
                                "brunel2000"))
from analyse import stats  # noqa: E402

out, T, NE, NI = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ref = dict(zip(("rate_E", "rate_I", "cv_E", "sync_E"), (float(x) for x in sys.argv[5:9])))
rate_tol, cv_tol, sync_tol = (float(x) for x in sys.argv[9:12])
e, i = np.load(out + "/E.spikes.npy"), np.load(out + "/I.spikes.npy")
s = stats(e["t"], e["i"], i["t"], i["i"], NE, NI, T)
print("rate_E %.2f Hz, rate_I %.2f Hz, cv_E %.3f, sync_E %.3f"
      % (s["rate_E"], s["rate_I"], s["cv_E"], s["sync_E"]))
good = {
    "rate_E": abs(s["rate_E"] / ref["rate_E"] - 1) < rate_tol,
    "rate_I": abs(s["rate_I"] / ref["rate_I"] - 1) < rate_tol,
    "cv_E": abs(s["cv_E"] - ref["cv_E"]) < cv_tol,
    "sync_E": abs(s["sync_E"] / ref["sync_E"] - 1) < sync_tol,
}
print(", ".join("%s %s" % (k, "ok" if v else "FAILED") for k, v in good.items()))
