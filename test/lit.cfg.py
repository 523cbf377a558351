# lit configuration for snnc. Tests are .snn files (compiler tests), .ir files (IR text for snn-opt)
# and .c files (runtime tests), each with RUN lines; FileCheck and `not` come from LLVM 19's tools.
import os
import shutil

import lit.formats

config.name = "snnc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".snn", ".ir", ".c", ".cpp", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.snnc_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.snnc_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Keep generated programs from drawing a progress bar or picking up a user's environment.
config.environment["TERM"] = "dumb"
# scripts/sanitize.sh links every generated program against the instrumented runtime.
if os.environ.get("SNNC_LINK_FLAGS"):
    config.environment["SNNC_LINK_FLAGS"] = os.environ["SNNC_LINK_FLAGS"]

inputs = os.path.join(config.test_source_root, "Inputs")
config.substitutions.append(("%snnc", os.path.join(config.snnc_bin_dir, "snnc")))
config.substitutions.append(("%snn-opt", os.path.join(config.snnc_bin_dir, "snn-opt")))
config.substitutions.append(("%python", config.python))
# Under scripts/sanitize.sh the test programs link the instrumented runtime too.
_sanitize = " " + os.environ["SNNC_LINK_FLAGS"] if os.environ.get("SNNC_LINK_FLAGS") else ""
config.substitutions.append(("%cc", config.cc + _sanitize))
# A C++ program against the compiler's own libraries (front end, IR, passes; no LLVM).
_libs = ["snnTransforms", "snnIRGen", "snnSema", "snnParse", "snnAST", "snnIR", "snnBasic"]
config.substitutions.append(("%ir_cxx", config.cxx + _sanitize + " -std=c++17 -I" +
                             os.path.join(config.snnc_src_root, "compiler", "include")))
config.substitutions.append(("%ir_libs", " ".join(
    os.path.join(config.snnc_lib_dir, "lib%s.a" % l) for l in _libs) + " " +
    config.antlr4_runtime_lib))
config.substitutions.append(("%snnrt_cflags", "-I" + os.path.join(config.snnc_src_root, "runtime", "include")))
config.substitutions.append(("%snnrt_libs", os.path.join(config.snnc_lib_dir, "libsnnrt.a") + " -lm -lpthread -ldl"))
config.substitutions.append(("%inputs", inputs))
config.substitutions.append(("%examples", os.path.join(config.snnc_src_root, "examples")))
config.substitutions.append(("%stdlib", os.path.join(config.snnc_src_root, "stdlib")))
config.substitutions.append(("%srcroot", config.snnc_src_root))

# MPI: Open MPI's mpirun (scripts/install-deps.sh installs it). Tests may run as root (CI), which
# mpirun refuses unless told; more ranks than cores are fine for a test.
mpirun = shutil.which("mpirun")
if mpirun:
    config.available_features.add("mpirun")
    config.environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    config.environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    # No network probing in a sandbox: the ranks of a test share one machine.
    config.environment["OMPI_MCA_btl"] = "self,vader"
    config.substitutions.append(("%mpirun", mpirun + " --oversubscribe"))

# CUDA: ptxas (to assemble the PTX snnc emits) from PATH, $CUDA_PATH or /usr/local/cuda; a GPU
# (to run it) when libcuda.so.1 loads and reports a device.
cuda_root = os.environ.get("CUDA_PATH") or "/usr/local/cuda"
ptxas = shutil.which("ptxas") or shutil.which("ptxas", path=os.path.join(cuda_root, "bin"))
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))


def _cuda_driver():
    """'none' (no libcuda.so.1), 'gpu' (it loads and reports a device) or 'no-gpu'."""
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return "none"
    n = ctypes.c_int(0)
    ok = cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(n)) == 0 and n.value > 0
    return "gpu" if ok else "no-gpu"


_driver = _cuda_driver()
if _driver == "gpu":
    config.available_features.add("cuda-gpu")
if _driver == "none":
    config.available_features.add("no-cuda-driver")
# The CPU stand-in for libcuda.so.1 (test/Cuda/Inputs/fake_cuda.c), built by each test that uses
# it into its own directory.
config.substitutions.append(
    ("%fake_cuda", config.cc + _sanitize + " -shared -fPIC -O1 -Wl,-soname,libcuda.so.1 -I" + os.path.join(config.snnc_src_root, "runtime", "include")
     + " " + os.path.join(config.test_source_root, "Cuda", "Inputs", "fake_cuda.c")))
