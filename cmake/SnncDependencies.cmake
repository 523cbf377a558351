# Locates the Debian 12 packages snnc builds against: LLVM 19, the ANTLR 4 C++ runtime (4.9) with the
# antlr4 tool (4.7.2) that generates the parser into the build tree, and {fmt}.
find_package(LLVM REQUIRED CONFIG PATHS /usr/lib/llvm-19/lib/cmake/llvm NO_DEFAULT_PATH)
if(NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "snnc needs LLVM 19, found ${LLVM_PACKAGE_VERSION}")
endif()
message(STATUS "LLVM ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}")
set(SNNC_LLVM_TOOLS_DIR ${LLVM_TOOLS_BINARY_DIR})

find_package(fmt REQUIRED)

find_program(ANTLR4_TOOL antlr4 REQUIRED)
find_path(ANTLR4_INCLUDE_DIR antlr4-runtime.h PATH_SUFFIXES antlr4-runtime REQUIRED)
find_library(ANTLR4_RUNTIME_LIB antlr4-runtime REQUIRED)

# Python with NumPy for the execution tests' checkers, and lit from the llvm-19-tools package.
find_program(SNNC_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
set(SNNC_LIT ${LLVM_TOOLS_BINARY_DIR}/../build/utils/lit/lit.py)
