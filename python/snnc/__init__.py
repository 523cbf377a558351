"""snnc from Python: compile a .snn network into a shared library and drive it with NumPy.

    import snnc
    m = snnc.Model(snnc.compile("examples/cuba.snn"), seed=1)
    m.run(1.0)                    # progress bar on a terminal
    m["P.V_th"] = -0.052          # a run-time parameter (`runtime P.V_th` in the network)
    spikes = m.spikes("P")        # structured array (t, i), as P.spikes.npy
    v = m.state("P.v")            # a zero-copy NumPy view of the state
    state = m.save(); m.run(0.5); m.restore(state)   # continue bit for bit from the save

Built on ctypes and NumPy only (Debian's python3-numpy). The library is made by the `snnc`
driver (`snnc model.snn -emit=lib -o libnet.so`) and cached by the content hash of the source
and of the driver; the functions it exports are those of the generated header (docs/embedding.md).
"""
import ctypes
import hashlib
import os
import re
import shutil
import subprocess
import sys

import numpy as np

__all__ = ["compile", "Library", "Model", "SnncError"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(os.path.dirname(_HERE))


class SnncError(RuntimeError):
    """A failed compile or library call; `code` is the library's error code where there is one."""

    def __init__(self, message, code=None):
        super().__init__(message)
        self.code = code


def _driver():
    """The snnc driver: $SNNC, then the repository's build, then PATH."""
    for path in (os.environ.get("SNNC"), os.path.join(_ROOT, "build", "bin", "snnc"),
                 shutil.which("snnc")):
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise SnncError("cannot find the snnc driver (set SNNC=/path/to/snnc)")


class Library:
    """A compiled network: the shared library and its network name."""

    def __init__(self, path, name):
        self.path = path
        self.name = name

    def __repr__(self):
        return f"snnc.Library({self.path!r}, {self.name!r})"


_IMPORT = re.compile(rb'^\s*import\s+"([^"]+)"', re.M)


def _sources(source, options, driver):
    """The source and every file it imports, transitively, as the driver would find them (the
    importing file's directory, -I directories, the standard library), in a stable order."""
    dirs = [options[k + 1] for k, o in enumerate(options[:-1]) if o == "-I"]
    dirs += [o[2:] for o in options if o.startswith("-I") and len(o) > 2]
    dirs += [os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(driver))), "share",
                          "snnc", "stdlib"), os.path.join(_ROOT, "stdlib")]
    seen, order, todo = set(), [], [os.path.abspath(source)]
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        with open(path, "rb") as f:
            text = f.read()
        order.append((path, text))
        for name in _IMPORT.findall(text):
            name = name.decode()
            for d in [os.path.dirname(path)] + dirs:
                candidate = os.path.abspath(os.path.join(d, name))
                if os.path.isfile(candidate):
                    todo.append(candidate)
                    break  # an import the driver cannot find either is its error to report
    return order


def compile(source, *, cache_dir=None, options=(), driver=None, target="cpu"):
    """Compiles `source` (a .snn file) into a shared library, or reuses the cached one.

    target="cuda" also compiles the step kernels for a CUDA GPU (snnc --target=cuda): a Model
    of the library then runs on GPU 0 unless it is given device="cpu".

    The cache key is the SHA-256 of the source, of every file it imports (found as the driver
    finds them), of the driver binary and of `options` (extra snnc options such as "-I dir" or
    "-mcpu=x86-64-v3"): editing any of them compiles again."""
    driver = driver or _driver()
    if target not in ("cpu", "cuda"):
        raise SnncError(f"unknown target {target!r} (valid: 'cpu', 'cuda')")
    options = list(options) + (["--target=cuda"] if target == "cuda" else [])
    h = hashlib.sha256()
    for path, text in _sources(source, options, driver):
        h.update(path.encode() + b"\0" + hashlib.sha256(text).digest())
    with open(driver, "rb") as f:
        h.update(hashlib.sha256(f.read()).digest())
    for o in options:
        h.update(b"\0" + o.encode())
    cache_dir = cache_dir or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "snnc")
    out = os.path.join(cache_dir, h.hexdigest()[:24])
    done = os.path.join(out, "ok")
    if not os.path.exists(done):
        os.makedirs(out, exist_ok=True)
        lib = os.path.join(out, "libmodel.so")
        p = subprocess.run([driver, os.path.abspath(source), "-emit=lib", "-o", lib, *options],
                           cwd=os.path.dirname(os.path.abspath(source)) or ".",
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SnncError(p.stderr.strip() or f"snnc exited with {p.returncode}")
        headers = [f for f in os.listdir(out) if f.endswith(".h")]
        if len(headers) != 1:
            raise SnncError(f"expected one generated header in {out}, found {headers}")
        with open(done, "w") as f:
            f.write(headers[0][:-2])
    with open(done) as f:
        name = f.read().strip()
    return Library(os.path.join(out, "libmodel.so"), name)


class _Options(ctypes.Structure):
    _fields_ = [("seed", ctypes.c_uint64), ("threads", ctypes.c_int),
                ("keep_spikes", ctypes.c_int), ("device", ctypes.c_int)]


def _device_index(device):
    """None (the library's default), "cpu", "cuda" or "cuda:N" -> the options' device field."""
    if device == "cpu":
        return -1
    if device == "cuda":
        return 0
    m = re.fullmatch(r"cuda:(0|[1-9][0-9]{0,3})", device) if isinstance(device, str) else None
    if not m:
        raise SnncError(f"unknown device {device!r} (valid: 'cpu', 'cuda', 'cuda:N')")
    return int(m.group(1))


class _Array(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("length", ctypes.c_uint64), ("type", ctypes.c_int)]


_DTYPES = {1: np.int32, 2: np.float32, 3: np.float64}
_P, _I32, _I64, _F64, _U64 = (ctypes.c_void_p, ctypes.c_int, ctypes.c_int64, ctypes.c_double,
                              ctypes.c_uint64)
_SIGNATURES = {  # suffix: (restype, argtypes), as in the generated header
    "default_options": (None, [_P]),
    "create": (_P, [_P, ctypes.c_char_p, ctypes.c_size_t]),
    "destroy": (None, [_P]),
    "error": (ctypes.c_char_p, [_P]),
    "reset": (_I32, [_P]),
    "step": (_I32, [_P, _I64]),
    "run": (_I32, [_P, _F64]),
    "steps_done": (_I64, [_P]),
    "time": (_F64, [_P]),
    "dt": (_F64, [_P]),
    "num_populations": (_I32, [_P]),
    "population": (_I32, [_P, _I32, _P, _P]),
    "num_projections": (_I32, [_P]),
    "projection": (_I32, [_P, _I32, _P, _P]),
    "num_variables": (_I32, [_P, ctypes.c_char_p]),
    "variable": (_I32, [_P, ctypes.c_char_p, _I32, _P, _P]),
    "num_params": (_I32, [_P]),
    "param": (_I32, [_P, _I32, _P, _P, _P, _P]),
    "get_param": (_I32, [_P, ctypes.c_char_p, _P]),
    "set_param": (_I32, [_P, ctypes.c_char_p, _F64]),
    "state": (_I32, [_P, ctypes.c_char_p, _P]),
    "set_state": (_I32, [_P, ctypes.c_char_p, _P, _U64, _I32]),
    "synapses": (_I32, [_P, ctypes.c_char_p, _P, _P, _U64, _P]),
    "drain_spikes": (_I64, [_P, ctypes.c_char_p, _P, _P, _U64]),
    "inject": (_I32, [_P, ctypes.c_char_p, _P, _U64]),
    "save": (_I32, [_P, _P, _P]),
    "restore": (_I32, [_P, _P, ctypes.c_size_t]),
    "save_file": (_I32, [_P, ctypes.c_char_p]),
    "restore_file": (_I32, [_P, ctypes.c_char_p]),
    "write_outputs": (_I32, [_P, ctypes.c_char_p]),
}
_SPIKE_DTYPE = np.dtype([("t", "<f8"), ("i", "<i4")])


class Model:
    """One instance of a compiled network (its own state, seed and threads). device: None (the
    library's default: GPU 0 if it was compiled with target="cuda", else the CPU), "cpu", "cuda"
    or "cuda:N"."""

    def __init__(self, library, *, seed=None, threads=1, device=None):
        if isinstance(library, str):
            library = compile(library)
        self.library = library
        self._lib = ctypes.CDLL(library.path)
        self._fn = {}
        for suffix, (res, args) in _SIGNATURES.items():
            f = getattr(self._lib, f"{library.name}_{suffix}")
            f.restype, f.argtypes = res, args
            self._fn[suffix] = f
        opts = _Options()
        self._fn["default_options"](ctypes.byref(opts))
        if seed is not None:
            opts.seed = seed
        opts.threads = threads
        if device is not None:
            opts.device = _device_index(device)
        err = ctypes.create_string_buffer(512)
        self._m = self._fn["create"](ctypes.byref(opts), err, len(err))
        if not self._m:
            raise SnncError(err.value.decode())
        self.dt = self._fn["dt"](self._m)
        self._spikes = {}  # population -> list of drained (steps, neurons) chunks

    # ---- plumbing -------------------------------------------------------------------------
    def _check(self, rc):
        if rc < 0:
            raise SnncError(self._fn["error"](self._m).decode(), rc)
        return rc

    def close(self):
        """Frees the instance (also done when the Model is garbage-collected)."""
        if getattr(self, "_m", None):
            self._fn["destroy"](self._m)
            self._m = None

    def __del__(self):
        self.close()

    # ---- running --------------------------------------------------------------------------
    def run(self, seconds, progress=None):
        """Advances by `seconds`; a progress bar on stderr when it is a terminal (or progress=True)."""
        steps = int(round(seconds / self.dt))
        if progress is None:
            progress = sys.stderr.isatty() and steps >= 1000
        if not progress:
            self._check(self._fn["step"](self._m, steps))
        else:
            chunk = max(1, steps // 100)
            done = 0
            while done < steps:
                n = min(chunk, steps - done)
                self._check(self._fn["step"](self._m, n))
                done += n
                bar = "#" * (40 * done // steps)
                sys.stderr.write(f"\r[{bar:<40}] {100 * done // steps:3d}%  t = {self.t:.4g} s")
                sys.stderr.flush()
            sys.stderr.write("\n")
        self._drain_all()

    def step(self, n=1):
        self._check(self._fn["step"](self._m, n))
        self._drain_all()

    def reset(self):
        self._check(self._fn["reset"](self._m))
        self._spikes = {}

    @property
    def t(self):
        return self._fn["time"](self._m)

    @property
    def steps(self):
        return self._fn["steps_done"](self._m)

    # ---- the model ------------------------------------------------------------------------
    @property
    def populations(self):
        """{name: size} of every population."""
        out = {}
        for k in range(self._check(self._fn["num_populations"](self._m))):
            name, size = ctypes.c_char_p(), ctypes.c_uint64()
            self._check(self._fn["population"](self._m, k, ctypes.byref(name), ctypes.byref(size)))
            out[name.value.decode()] = size.value
        return out

    @property
    def projections(self):
        """{name: synapse count} of every projection."""
        out = {}
        for k in range(self._check(self._fn["num_projections"](self._m))):
            name, n = ctypes.c_char_p(), ctypes.c_uint64()
            self._check(self._fn["projection"](self._m, k, ctypes.byref(name), ctypes.byref(n)))
            out[name.value.decode()] = n.value
        return out

    def variables(self, owner):
        """The variable names of a population or projection."""
        return list(self.units(owner))

    def units(self, owner):
        """{variable: SI unit} of a population or projection ('volt', '1'; '' if internal)."""
        out = {}
        for k in range(self._check(self._fn["num_variables"](self._m, owner.encode()))):
            name, unit = ctypes.c_char_p(), ctypes.c_char_p()
            self._check(self._fn["variable"](self._m, owner.encode(), k, ctypes.byref(name),
                                             ctypes.byref(unit)))
            out[name.value.decode()] = unit.value.decode()
        return out

    # ---- parameters -----------------------------------------------------------------------
    @property
    def params(self):
        """{"P.x": (value in SI units, unit, settable)} of every population parameter."""
        out = {}
        for k in range(self._check(self._fn["num_params"](self._m))):
            name, unit = ctypes.c_char_p(), ctypes.c_char_p()
            value, rt = ctypes.c_double(), ctypes.c_int()
            self._check(self._fn["param"](self._m, k, ctypes.byref(name), ctypes.byref(value),
                                          ctypes.byref(unit), ctypes.byref(rt)))
            out[name.value.decode()] = (value.value, unit.value.decode(), bool(rt.value))
        return out

    def get_param(self, name):
        v = ctypes.c_double()
        self._check(self._fn["get_param"](self._m, name.encode(), ctypes.byref(v)))
        return v.value

    def set_param(self, name, value):
        """Sets a run-time parameter (`runtime P.x` in the network), in SI units."""
        self._check(self._fn["set_param"](self._m, name.encode(), float(value)))

    # ---- state ----------------------------------------------------------------------------
    def state(self, name):
        """A zero-copy NumPy view of state array "P.v" (per neuron) or "proj.w" (per synapse);
        valid until reset, restore or close."""
        a = _Array()
        self._check(self._fn["state"](self._m, name.encode(), ctypes.byref(a)))
        dtype = _DTYPES[a.type]
        if a.length == 0:
            return np.zeros(0, dtype)
        buf = (ctypes.c_char * (a.length * np.dtype(dtype).itemsize)).from_address(a.data)
        view = np.frombuffer(buf, dtype=dtype)
        buf._snnc_owner = self  # the view keeps buf alive, and buf the Model
        return view

    def _is_param(self, name):
        if not hasattr(self, "_param_names"):
            self._param_names = set(self.params)
        return name in self._param_names

    def __getitem__(self, name):
        """m["P.tau_m"]: a parameter's value; m["P.v"]: a state array (a view)."""
        return self.get_param(name) if self._is_param(name) else self.state(name)

    def __setitem__(self, name, value):
        if self._is_param(name):
            self.set_param(name, value)
        else:
            self.state(name)[...] = value

    def synapses(self, projection):
        """(pre, post) neuron arrays of every synapse, in the order of its per-synapse state."""
        n = ctypes.c_uint64()
        self._check(self._fn["synapses"](self._m, projection.encode(), None, None, 0,
                                         ctypes.byref(n)))
        pre = np.empty(n.value, np.uint32)
        post = np.empty(n.value, np.uint32)
        self._check(self._fn["synapses"](self._m, projection.encode(), pre.ctypes.data,
                                         post.ctypes.data, n.value, ctypes.byref(n)))
        return pre, post

    def weights(self, projection, var="w"):
        """Structured array (pre, post, w) of a projection's synapses."""
        pre, post = self.synapses(projection)
        w = self.state(f"{projection}.{var}")
        out = np.empty(len(pre), [("pre", "<u4"), ("post", "<u4"), (var, w.dtype)])
        out["pre"], out["post"], out[var] = pre, post, w
        return out

    # ---- spikes ---------------------------------------------------------------------------
    def _drain_all(self):
        for pop in self.populations:
            cap = 1 << 16
            steps = np.empty(cap, np.int64)
            neurons = np.empty(cap, np.uint32)
            chunks = self._spikes.setdefault(pop, [])
            while True:
                n = self._check(self._fn["drain_spikes"](self._m, pop.encode(), steps.ctypes.data,
                                                        neurons.ctypes.data, cap))
                if n:
                    chunks.append((steps[:n].copy(), neurons[:n].copy()))
                if n < cap:
                    break

    def spikes(self, population):
        """Every spike of the population so far: structured array (t, i), as P.spikes.npy."""
        if population not in self.populations:
            raise SnncError(f"no population named '{population}'")
        chunks = self._spikes.get(population, [])
        out = np.empty(sum(len(s) for s, _ in chunks), _SPIKE_DTYPE)
        at = 0
        for s, n in chunks:
            out["t"][at:at + len(s)] = s * self.dt
            out["i"][at:at + len(s)] = n
            at += len(s)
        return out

    def inject(self, population, neurons):
        """These neurons (indices within the population) spike in the next step."""
        a = np.ascontiguousarray(neurons, dtype=np.uint32).reshape(-1)
        self._check(self._fn["inject"](self._m, population.encode(), a.ctypes.data, len(a)))

    # ---- saving ---------------------------------------------------------------------------
    def save(self):
        """The whole state as bytes (spikes drained so far are kept on the Python side)."""
        data, length = ctypes.c_void_p(), ctypes.c_size_t()
        self._check(self._fn["save"](self._m, ctypes.byref(data), ctypes.byref(length)))
        try:
            blob = ctypes.string_at(data, length.value)
        finally:
            ctypes.CDLL(None).free(data)
        return (blob, {k: list(v) for k, v in self._spikes.items()})

    def restore(self, saved):
        """Back to a state from save(): the run continues bit for bit."""
        blob, spikes = saved
        self._check(self._fn["restore"](self._m, blob, len(blob)))
        self._spikes = {k: list(v) for k, v in spikes.items()}

    def write_outputs(self, directory):
        """The model's recorders as .npy files and summary.json, as the executable writes them."""
        self._check(self._fn["write_outputs"](self._m, directory.encode()))
