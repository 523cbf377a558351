"""Prints what the summary.json files of runs of one network (given as output folders, the
first run on one process) say about ranks, threads and synapses, and whether the first was
active: test/MPI/identical.snn."""
import json, sys
import numpy as np

runs = [json.load(open(d + "/summary.json")) for d in sys.argv[1:]]
print("files", len([f for f in runs[0]["files"] if f.endswith(".npy")]))
print("ranks", [r["ranks"] for r in runs], "threads", [r["threads"] for r in runs])
counts = [[p["synapses"] for p in r["projections"]] for r in runs]
print("synapse counts equal", all(c == counts[0] for c in counts) and min(counts[0]) > 0)
spikes = {p["name"]: p["spikes"] for p in runs[0]["populations"]}
w = np.load(sys.argv[1] + "/ee.w.final.npy")["w"][0]
print("active", spikes["E"] > 1000 and spikes["I"] > 100 and w.std() > 0)
