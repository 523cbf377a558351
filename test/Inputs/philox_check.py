"""Checks the random numbers of test/Execution/philox_inline.snn against an independent Python
Philox-4x32-10 (Salmon et al. 2011, Random123's constants) with docs/runtime.md's layout:
key = seed, counter = {index, stream}; uniform = ((w0 << 21 ^ w1 >> 11) + 0.5) * 2^-53 (float64)
or ((w0 >> 9) + 0.5) * 2^-23 (float32); normal = sqrt(-2 ln u1) cos(2 pi u2), the reference
computed in 50-digit decimal arithmetic.
usage: philox_check.py OUT64 OUT32 SEED STREAM_INIT_U STREAM_INIT_N STREAM_STEP"""
import math
import sys
from decimal import Decimal, localcontext

import numpy as np

M = 0xFFFFFFFF


def philox(seed, index, stream):
    c = [index & M, index >> 32, stream & M, stream >> 32]
    k0, k1 = seed & M, seed >> 32
    for r in range(10):
        if r:
            k0, k1 = (k0 + 0x9E3779B9) & M, (k1 + 0xBB67AE85) & M
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k0, p1 & M, (p0 >> 32) ^ c[3] ^ k1, p0 & M]
    return c


def u64(hi, lo):
    u = (((hi << 21) ^ (lo >> 11)) + 0.5) * 2.0 ** -53
    return u if u < 1 else 1 - 2.0 ** -53


PI = Decimal("3.14159265358979323846264338327950288419716939937510")


def normal_exact(u1, u2):
    """sqrt(-2 ln u1) cos(2 pi u2) in 50-digit decimal arithmetic (math.cos(2 * math.pi * u2)
    rounds its argument first and can be off by 20 ulp of the result)."""
    with localcontext() as ctx:
        ctx.prec = 50
        x = (2 * PI * Decimal(u2)) % (2 * PI)
        c, t, n = Decimal(1), Decimal(1), 0
        while abs(t) > Decimal(10) ** -48:
            n += 2
            t = -t * x * x / (n * (n - 1))
            c += t
        return float((-2 * Decimal(u1).ln()).sqrt() * c)


def u32(w):
    return np.float32(((w >> 9) + 0.5) * 2.0 ** -23)


out64, out32 = sys.argv[1], sys.argv[2]
seed, su, sn, ss = (int(x) for x in sys.argv[3:7])
n = 256
ok = True
for out, f32 in ((out64, False), (out32, True)):
    u = np.load(f"{out}/P.u.final.npy")["u"].reshape(-1)
    g = np.load(f"{out}/P.g.final.npy")["g"].reshape(-1)
    x = np.load(f"{out}/P.x.npy")["x"]  # sample k (start of step k) holds step k - 1's draw
    for i in range(n):
        w = philox(seed, i, su)
        want = u32(w[0]) if f32 else u64(w[0], w[1])
        ok &= bool(u[i] == want)
        w = philox(seed, i, sn)
        if f32:
            z = normal_exact(float(u32(w[0])), float(u32(w[2])))
            ok &= abs(g[i] - z) <= 1e-5 * max(1, abs(z))
        else:
            z = normal_exact(u64(w[0], w[1]), u64(w[2], w[3]))
            ok &= abs(g[i] - z) <= 1e-15 * max(1, abs(z))
        for step in range(3):
            w = philox(seed, (step << 32) | i, ss)
            want = u32(w[0]) if f32 else u64(w[0], w[1])
            ok &= bool(x[step + 1, i] == want)
    print("float32" if f32 else "float64", "PASS" if ok else "FAIL")
