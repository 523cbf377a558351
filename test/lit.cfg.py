# lit configuration for snnc. Tests are .snn files (compiler tests) and .c files (runtime tests),
# each with RUN lines; FileCheck and `not` come from LLVM 19's tools.
import os
import shutil

import lit.formats

config.name = "snnc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".snn", ".c", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.snnc_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.snnc_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Keep generated programs from drawing a progress bar or picking up a user's environment.
config.environment["TERM"] = "dumb"

inputs = os.path.join(config.test_source_root, "Inputs")
config.substitutions.append(("%snnc", os.path.join(config.snnc_bin_dir, "snnc")))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%cc", config.cc))
config.substitutions.append(("%snnrt_cflags", "-I" + os.path.join(config.snnc_src_root, "runtime", "include")))
config.substitutions.append(("%snnrt_libs", os.path.join(config.snnc_lib_dir, "libsnnrt.a") + " -lm -lpthread"))
config.substitutions.append(("%inputs", inputs))
config.substitutions.append(("%examples", os.path.join(config.snnc_src_root, "examples")))
config.substitutions.append(("%stdlib", os.path.join(config.snnc_src_root, "stdlib")))
config.substitutions.append(("%srcroot", config.snnc_src_root))

if shutil.which("ptxas"):
    config.available_features.add("ptxas")
