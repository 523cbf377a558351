"""Checks test/Execution/exprel.snn against exprel computed with 60 significant digits."""
import math
import sys
from decimal import Decimal, getcontext

import numpy as np

getcontext().prec = 60
XS = [1, 0, 1e-300, -1e-300, 1e-20, -1e-20, 1e-9, -1e-9, 1e-8, -1e-8, 1.5e-8, -1.5e-8, 1e-7, -1e-7,
      1e-4, -1e-4, 0.5, -0.5, -1, 10, -10, 700, 717, 718, 1000, 1e308, -700, -1000, -1e308]
FOLDED = {"F1": 1, "F2": 0, "F3": 1e-300, "F4": -1e-300, "F5": 1e-9, "F6": -1e-7, "F7": 1000,
          "F8": -1e308}


def reference(x):
    """(exp(x) - 1)/x rounded to double; inf where it overflows."""
    if x == 0:
        return 1.0
    if x > 709.78:  # exp(x) itself overflows a double, and so does (exp(x) - 1)/x
        return math.inf
    d = Decimal(x)
    if abs(d) < Decimal("1e-30"):
        return float(1 + d / 2)
    return float((d.exp() - 1) / d)


def ok(got, x):
    want = reference(x)
    if math.isinf(want):
        good = math.isinf(got) and got > 0
    else:
        # exprel(1) = e - 1 and every other value to 1e-15 (a few ulps).
        good = abs(got - want) <= 1e-15 * abs(want)
    if not good:
        print(f"x = {x!r}: got {got!r}, expected {want!r}")
    return good and not math.isnan(got)


out = sys.argv[1]
e = np.load(f"{out}/P.e.npy")["e"][:, 0]
# The update of step k evaluates xs[k]; the record at the start of step k + 1 shows it.
good = all([ok(float(e[k + 1]), x) for k, x in enumerate(XS)])
assert abs(e[1] - (math.e - 1)) <= 1e-15 * (math.e - 1)
print("run time:", "PASS" if good else "FAIL")
good = all([ok(float(np.load(f"{out}/{p}.e.final.npy")["e"].reshape(-1)[0]), x)
            for p, x in FOLDED.items()])
print("compile time:", "PASS" if good else "FAIL")
