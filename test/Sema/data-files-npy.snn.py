"""Writes the malformed .npy files of test/Sema/data-files-npy.snn into DIR."""
import sys

import numpy as np

d = sys.argv[1]
open(f"{d}/garbage.npy", "wb").write(b"PK\x03\x04 not numpy")
np.save(f"{d}/short.npy", np.arange(5.0))
data = open(f"{d}/short.npy", "rb").read()
open(f"{d}/short.npy", "wb").write(data[:-8])  # one value missing
np.save(f"{d}/structured.npy", np.zeros(3, dtype=[("a", "<f8"), ("b", "<i4")]))
np.save(f"{d}/plain.npy", np.zeros((3, 2)))
np.save(f"{d}/complex.npy", np.zeros(3, dtype=np.complex128))
np.save(f"{d}/cube.npy", np.zeros((2, 2, 2)))
np.save(f"{d}/matrix.npy", np.ones((2, 3)))
conn = np.array([(0, 0, 1.0), (1, 1, 2.0), (0, 2, np.nan)], dtype=[("i", "<i4"), ("j", "<i4"), ("w", "<f8")])
np.save(f"{d}/conn_nan.npy", conn)
conn = np.array([(0, 0, 1.0), (1, 7, 2.0)], dtype=[("i", "<i4"), ("j", "<i4"), ("w", "<f8")])
np.save(f"{d}/conn_range.npy", conn)
# A field named like a header key ('shape') must not confuse the header's own keys.
conn = np.array([(0, 1, 2.0)], dtype=[("i", "<i4"), ("j", "<i4"), ("shape", "<f8")])
np.save(f"{d}/conn_shape.npy", conn)
