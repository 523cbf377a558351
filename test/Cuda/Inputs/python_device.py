"""The Python package on a CUDA device (device=), against the CPU stand-in for the driver
(fake_cuda.c, loaded by LD_LIBRARY_PATH): the same spikes and state as on the CPU; unknown
devices and targets are refused."""
import ctypes
import sys

import numpy as np

import snnc

source, cache = sys.argv[1], sys.argv[2]
fake = ctypes.CDLL("libcuda.so.1", mode=ctypes.RTLD_GLOBAL)  # the stand-in, as the runtime will
lib = snnc.compile(source, target="cuda", cache_dir=cache)
desc = ctypes.c_char.in_dll(ctypes.CDLL(lib.path), "snn_model_" + lib.name)
fake.fake_cuda_use_model(ctypes.byref(desc))

gpu = snnc.Model(lib, seed=4)
cpu = snnc.Model(lib, seed=4, device="cpu")
for m in (gpu, cpu):
    m.run(0.1)
    m.run(0.1)
sg, sc = gpu.spikes("P"), cpu.spikes("P")
print("spikes", len(sg), "equal" if len(sg) > 0 and np.array_equal(sg, sc) else "differ")
print("v", "equal" if np.array_equal(gpu.state("P.v"), cpu.state("P.v")) else "differ")
for bad in (lambda: snnc.Model(lib, device="tpu"), lambda: snnc.Model(lib, device="cuda:x"),
            lambda: snnc.compile(source, target="gpu", cache_dir=cache)):
    try:
        bad()
        print("accepted")
    except snnc.SnncError as e:
        print("refused:", e)
