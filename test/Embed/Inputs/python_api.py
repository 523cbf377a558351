"""Drives examples/cuba.snn through the snnc Python package; see test/Embed/python.test.
usage: python_api.py CUBA.snn TMPDIR CUBA_RUNTIME.snn"""
import os
import sys

import numpy as np

import snnc
import snnc.plot

source, tmp = sys.argv[1], sys.argv[2]
cache = os.path.join(tmp, "cache")
lib = snnc.compile(source, cache_dir=cache)
m = snnc.Model(lib, seed=3)
m.run(0.1)
saved = m.save()
m.run(0.1)
exe = np.load(os.path.join(tmp, "exe", "P.spikes.npy"))
print("spikes equal", np.array_equal(m.spikes("P"), exe))
m.write_outputs(os.path.join(tmp, "lib_out"))

v = m.state("P.v")
v2 = m["P.v"]
v[7] = -0.0712
print("view shares memory", bool(m.state("P.v")[7] == -0.0712 and v2[7] == -0.0712))

m.restore(saved)
m.run(0.1)
print("restored equal", np.array_equal(m.spikes("P"), exe))

print("units", m.units("P"))
pre, post = m.synapses("P_to_P")
print("synapses", len(pre), "pre sorted", bool(np.all(np.diff(pre.astype(np.int64)) >= 0)))
try:
    m.state("P.nope")
except snnc.SnncError as e:
    print(f"error {e.code}: {e}")

# Parameters: listed, a folded one refused, a run-time one (examples/embed/cuba_runtime.snn)
# set through m[...] gives the executable's --set run.
print("folded V_th", m.params["P.V_th"][2] is False)
try:
    m["P.V_th"] = -0.052
except snnc.SnncError as e:
    print(f"error {e.code}: folded")
rt = snnc.Model(snnc.compile(sys.argv[3], cache_dir=cache), seed=3)
rt["P.V_th"] = -0.052
rt.reset()
rt.run(0.2)
print("runtime V_th", rt["P.V_th"], np.array_equal(rt.spikes("P"),
                                                   np.load(os.path.join(tmp, "exe_set", "P.spikes.npy"))))

before = os.listdir(cache)
again = snnc.compile(source, cache_dir=cache)
print("cached", again.path == lib.path and os.listdir(cache) == before)
# An edited import is a new key: a copy of the model importing a copy of the stdlib file.
import shutil  # noqa: E402
work = os.path.join(tmp, "edit")
os.makedirs(os.path.join(work, "neurons"), exist_ok=True)
stdlib = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(source))), "stdlib")
shutil.copy(os.path.join(stdlib, "neurons", "lif.snn"), os.path.join(work, "neurons", "lif.snn"))
shutil.copy(source, os.path.join(work, "cuba.snn"))
first = snnc.compile(os.path.join(work, "cuba.snn"), cache_dir=cache)
with open(os.path.join(work, "neurons", "lif.snn"), "a") as f:
    f.write("\n// edited\n")
second = snnc.compile(os.path.join(work, "cuba.snn"), cache_dir=cache)
print("import edit recompiles", first.path != second.path)

ax = snnc.plot.raster(m.spikes("P"))
png = os.path.join(tmp, "raster.png")
ax.figure.savefig(png)
print("raster png", os.path.getsize(png) > 10000)
print("PASS")
