"""Compares final-value records with columns of a reference text file:
compare_columns.py OUTDIR REFERENCE.txt RTOL NAME0 NAME1 ...

Column k of REFERENCE.txt (one row per neuron) must equal OUTDIR/NAMEk.final.npy to within
relative tolerance RTOL, value by value.
"""
import sys

import numpy as np

out, ref, rtol = sys.argv[1], sys.argv[2], float(sys.argv[3])
want = np.loadtxt(ref, ndmin=2)
ok = True
for k, name in enumerate(sys.argv[4:]):
    rec = np.load(f"{out}/{name}.final.npy")
    got = rec[name.split(".")[-1]].reshape(-1)
    err = np.abs(got - want[:, k]) / np.abs(want[:, k])
    worst = int(np.argmax(err))
    print(f"{name}: worst relative error {err[worst]:.1e} at row {worst}")
    ok &= bool(np.all(err <= rtol))
print("PASS" if ok else "FAIL")
