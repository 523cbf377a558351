"""Checks test/Execution/potjans_diesmann.snn: sizes at a tenth, rates beside the Brian2 twin's."""
import sys

import numpy as np

out = sys.argv[1]
pops = ["L23e", "L23i", "L4e", "L4i", "L5e", "L5i", "L6e", "L6i"]
sizes = [2068, 583, 2192, 548, 485, 106, 1440, 295]  # round(N_full * 0.1)
twin = [0.747, 2.967, 4.414, 6.697, 6.477, 7.136, 0.956, 7.752]  # Brian2, seeds 1-4
summary = __import__("json").load(open(out + "/summary.json"))
print("sizes:", [p["size"] for p in summary["populations"]] == sizes)
ok = True
for p, n, ref in zip(pops, sizes, twin):
    t = np.load("%s/%s.spikes.npy" % (out, p))["t"]
    rate = np.count_nonzero(t >= 0.1) / n / 0.9
    good = abs(rate - ref) <= max(0.08 * ref, 0.12)
    ok &= good
    print("%s %.3f Hz (twin %.3f)%s" % (p, rate, ref, "" if good else " OUT"), file=sys.stderr)
print("rates within 8 % of the Brian2 twin:", ok)
