"""Brian2 twin of test/Execution/pathway_order.snn: prints the final x and y of the target.

Run with Debian's Brian2 2.5.1: /usr/bin/python3 test/Inputs/brian2/pathway_order.py
Pre and Post both fire in steps 9 and 19 (dt = 0.1 ms, 2 ms). s1 has on_post 'x += 1', s2 has
on_pre 'y = x'; Brian2 runs every pre pathway before any post pathway.
"""
from brian2 import NeuronGroup, Synapses, defaultclock, ms, prefs, run

prefs.codegen.target = "numpy"
defaultclock.dt = 0.1 * ms
clock = dict(threshold="c >= 10", reset="c = 0")
Pre = NeuronGroup(1, "c : 1", **clock)
Post = NeuronGroup(1, "c : 1\nx : 1\ny : 1", **clock)
for g in (Pre, Post):
    g.run_regularly("c += 1", when="groups", order=1)
s1 = Synapses(Pre, Post, on_pre="x_post += 0", on_post="x_post += 1")
s1.connect()
s2 = Synapses(Pre, Post, on_pre="y_post = x_post")
s2.connect()
run(2 * ms)
print("x", float(Post.x[0]), "y", float(Post.y[0]))
