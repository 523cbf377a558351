"""Max ulp error of generated exp, exprel, log and tanh against glibc's libm (Python's math module) over the
sweep of test/CodeGen/math-ulp.snn; prints the table rows of docs/vector-math.md and checks the
bounds stated there. usage: math_ulp.py OUT64 OUT32"""
import math
import sys
from decimal import Decimal, localcontext

import numpy as np

BOUND = {("exp", "float64"): 1, ("exprel", "float64"): 3, ("exp", "float32"): 1,
         ("exprel", "float32"): 3, ("log", "float64"): 1, ("log", "float32"): 1,
         ("tanh", "float64"): 3, ("tanh", "float32"): 3}


def exprel(x):
    if x > 700:  # past exp's overflow exprel is still finite: 40 digits
        with localcontext() as ctx:
            ctx.prec = 40
            return float((Decimal(x).exp() - 1) / Decimal(x))
    return 1.0 if x == 0 else math.expm1(x) / x


ok = True
for out, name in ((sys.argv[1], "float64"), (sys.argv[2], "float32")):
    dtype = np.float64 if name == "float64" else np.float32
    x = np.load(f"{out}/P.x.final.npy")["x"].reshape(-1)
    e = np.load(f"{out}/P.e.final.npy")["e"].reshape(-1)
    h_arg = (x * dtype(0.01)).astype(dtype)
    for fn, var, arg, ref in (("exp", "e", x, math.exp), ("exprel", "m", x, exprel),
                              ("log", "l", e, lambda v: -math.inf if v == 0 else math.log(v)),
                              ("tanh", "h", h_arg, math.tanh)):
        got = np.load(f"{out}/P.{var}.final.npy")[var].reshape(-1)
        worst, at, special = 0.0, 0.0, 0
        for xi, gi in zip(arg.tolist(), got.tolist()):
            try:
                want = dtype(ref(xi))
            except OverflowError:
                want = dtype(math.inf)
            if math.isinf(want) or want == 0:
                special += not (gi == want)
                continue
            ulps = abs(gi - float(want)) / float(np.spacing(dtype(abs(want))))
            if ulps > worst:
                worst, at = ulps, xi
        good = worst <= BOUND[(fn, name)] and special == 0
        ok &= good
        print(f"| {fn} | {name} | [{arg.min():g}, {arg.max():g}] | {len(arg)} | {worst:.3g} at "
              f"{at:.6g} | {'ok' if good else 'FAIL'} |")
print("PASS" if ok else "FAIL")
