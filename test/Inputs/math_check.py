"""Compares the math probes of Execution/math.snn with NumPy at x = (i - 4)/2, i = 0..8."""
import sys

import numpy as np

out = sys.argv[1]
i = np.arange(9.0)
x = (i - 4) / 2
with np.errstate(invalid="ignore", divide="ignore"):
    er = np.where(x == 0, 1.0, np.expm1(x) / x)
expected = {
    "x": x, "e": np.exp(x), "l": np.log(1 + i), "q": np.sqrt(i * 1.5),
    "s": np.sin(x) + np.cos(x), "th": np.tanh(x), "er": er, "a": np.abs(x),
    "mm": np.minimum(x, 1) + np.maximum(x, -1), "c": np.clip(x, -1, 1.5),
    "p": np.power(1.5, x) + x ** 2, "lg": np.log10(1 + i),
    "fl": np.floor(x), "ce": np.ceil(x), "ro": np.round(x), "tr": np.trunc(x) + 10 * (x > 0),
    "md": np.mod(x, 0.75) + np.mod(x, -0.75) * 10,
    "dv": np.floor_divide(i - 4, 3) + 10 * np.floor_divide(i * 1e-3 + 0.3e-3, -2e-3),
}
worst = 0.0
for name, want in expected.items():
    got = np.load(f"{out}/P.{name}.npy")[name][0]
    err = np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-300))
    worst = max(worst, err)
    print(f"{name:3s} max relative error {err:.1e}")
    assert err <= 4e-16 or np.allclose(got, want, rtol=1e-14, atol=0), name
print(f"worst {worst:.1e}")
print("PASS")
