// snn_main: option parsing, exit codes (0 ok, 1 runtime failure, 2 usage), --help, --quiet.
// The program runs snn_main in-process on many argument vectors (with --inproc) to see the exact
// return codes, and is also run as a real executable.
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t
// RUN: %t --inproc %t.dir 2>&1 | FileCheck %s
// RUN: %t --help | FileCheck --check-prefix=HELP %s
// RUN: not %t --bogus 2>&1 | FileCheck --check-prefix=BAD %s
// RUN: not %t stray 2>&1 | FileCheck --check-prefix=STRAY %s
// RUN: %t --quiet --out %t.dir/quiet 2>&1 | FileCheck --allow-empty --check-prefix=QUIET %s
// RUN: %python -c "import numpy as np; a = np.load('%t.dir/quiet/P.c.npy'); assert a.shape == (20,), a.shape; print('default duration ok')" | FileCheck --check-prefix=DEF %s
// RUN: %t --duration=1ms --seed 3 --out %t.dir/loud | FileCheck --check-prefix=LOUD %s
// HELP: usage: {{.*}} [--duration T] [--seed N] [--out DIR] [--threads N] [--device D]
// HELP-NEXT: [--set P.x=V]... [--quiet]
// HELP: --duration T {{.*}}unit s, ms or us
// HELP-NEXT: (default: 2 ms)
// HELP-NEXT: --seed N {{.*}}(default: 7)
// HELP: --out DIR
// HELP-NEXT: (default: tick_out)
// HELP-NEXT: --threads N {{.*}}1 to 1024
// HELP-NEXT: the results are the same for every N
// HELP-NEXT: --device D {{.*}}cpu, cuda or cuda:N (GPU N) to run the step on (default: cpu)
// HELP-NEXT: --set P.x=V {{.*}}(P.tau_m=15ms)
// HELP-NEXT: or in SI units without one; repeatable
// HELP-NEXT: --checkpoint FILE {{.*}}at the end and, with
// HELP-NEXT: --checkpoint-every T, every T of simulated time
// HELP-NEXT: --resume FILE {{.*}}up to --duration
// HELP-NEXT: those of one uninterrupted run
// HELP-NEXT: --max-memory B {{.*}}more than B bytes
// HELP-NEXT: powers of 1024; default: the memory available when it starts)
// HELP-NEXT: --no-finite-check {{.*}}NaN or
// HELP-NEXT: infinite (a run that meets one stops with status 4, outputs written)
// HELP-NEXT: --quiet
// HELP-NEXT: --help
// BAD: error: unknown option '--bogus'
// BAD-NEXT: usage:
// STRAY: error: unexpected argument 'stray'
// STRAY-NEXT: usage:
// QUIET-NOT: {{.}}
// DEF: default duration ok
// LOUD: snnc: network 'tick', 1 ms simulated (10 steps of 0.1 ms), seed 3
// LOUD: wrote 5 files to {{.*}}loud
#include "Inputs/tick_model.h"
#include <stdio.h>
#include <string.h>

static int call(const char *title, int argc, char **argv) {
  printf("== %s\n", title);
  fflush(stdout);
  int rc = snn_main(argc, argv, &tick_model);
  fflush(stdout);
  fflush(stderr);
  printf("rc=%d\n", rc);
  fflush(stdout);
  return rc;
}

#define CALL(title, ...)                                          \
  do {                                                            \
    char *v_[] = {"prog", __VA_ARGS__};                           \
    call(title, (int)(sizeof v_ / sizeof v_[0]), v_);             \
  } while (0)

int main(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "--inproc") != 0) return snn_main(argc, argv, &tick_model);
  char out[1024], file[1024], under[1024];
  snprintf(out, sizeof out, "%s/a/b/c", argv[2]);
  snprintf(file, sizeof file, "%s/plainfile", argv[2]);
  snprintf(under, sizeof under, "%s/plainfile/sub", argv[2]);
  FILE *f = fopen(file, "w");
  fputs("x", f);
  fclose(f);

  // CHECK-LABEL: == unknown
  // CHECK: prog: error: unknown option '--frobnicate'
  // CHECK-NEXT: usage: prog
  // CHECK: rc=2
  CALL("unknown", "--frobnicate");
  // CHECK-LABEL: == missing value
  // CHECK: prog: error: option '--duration' needs a value
  // CHECK: rc=2
  CALL("missing value", "--duration");
  // CHECK-LABEL: == negative duration
  // CHECK: prog: error: invalid duration '-1'
  // CHECK: rc=2
  CALL("negative duration", "--duration", "-1");
  // CHECK-LABEL: == bad unit
  // CHECK: prog: error: invalid duration '5min'
  // CHECK: rc=2
  CALL("bad unit", "--duration=5min");
  // CHECK-LABEL: == empty duration
  // CHECK: prog: error: invalid duration ''
  // CHECK: rc=2
  CALL("empty duration", "--duration=");
  // CHECK-LABEL: == nan duration
  // CHECK: prog: error: invalid duration 'nan'
  // CHECK: rc=2
  CALL("nan duration", "--duration", "nan");
  // strtod would read these as 16 and 1: only plain decimal numbers are durations.
  // CHECK-LABEL: == hex duration
  // CHECK: prog: error: invalid duration '0x10'
  // CHECK: rc=2
  CALL("hex duration", "--duration", "0x10");
  // CHECK-LABEL: == empty exponent
  // CHECK: prog: error: invalid duration '1e'
  // CHECK: rc=2
  CALL("empty exponent", "--duration", "1e");
  // CHECK-LABEL: == infinite duration
  // CHECK: prog: error: invalid duration 'inf'
  // CHECK: rc=2
  CALL("infinite duration", "--duration", "inf");
  // CHECK-LABEL: == negative seed
  // CHECK: prog: error: invalid seed '-1'
  // CHECK: rc=2
  CALL("negative seed", "--seed", "-1");
  // 2^64 does not fit in 64 bits.
  // CHECK-LABEL: == seed overflow
  // CHECK: prog: error: invalid seed '18446744073709551616'
  // CHECK: rc=2
  CALL("seed overflow", "--seed", "18446744073709551616");
  // CHECK-LABEL: == seed junk
  // CHECK: prog: error: invalid seed '12abc'
  // CHECK: rc=2
  CALL("seed junk", "--seed", "12abc");
  // Thread counts: 1 to 1024, decimal, nothing else.
  // CHECK-LABEL: == zero threads
  // CHECK: prog: error: invalid thread count '0' (expected an integer from 1 to 1024)
  // CHECK-NEXT: usage: prog
  // CHECK: rc=2
  CALL("zero threads", "--threads", "0");
  // CHECK-LABEL: == negative threads
  // CHECK: prog: error: invalid thread count '-2'
  // CHECK: rc=2
  CALL("negative threads", "--threads", "-2");
  // CHECK-LABEL: == junk threads
  // CHECK: prog: error: invalid thread count 'two'
  // CHECK: rc=2
  CALL("junk threads", "--threads=two");
  // CHECK-LABEL: == too many threads
  // CHECK: prog: error: invalid thread count '1025'
  // CHECK: rc=2
  CALL("too many threads", "--threads", "1025");
  // CHECK-LABEL: == missing threads
  // CHECK: prog: error: option '--threads' needs a value
  // CHECK: rc=2
  CALL("missing threads", "--threads");
  // A descriptor without a kernel table runs its step on one thread, whatever is asked.
  // CHECK-LABEL: == threads without kernels
  // CHECK: snnc: network 'tick', 0.3 ms simulated (3 steps of 0.1 ms), seed 7
  // CHECK: rc=0
  CALL("threads without kernels", "--threads", "4", "--duration", "300us", "--out", out);
  // CHECK-LABEL: == missing out
  // CHECK: prog: error: option '--out' needs a value
  // CHECK: rc=2
  CALL("missing out", "--quiet", "--out");
  // CHECK-LABEL: == stray
  // CHECK: prog: error: unexpected argument 'extra'
  // CHECK: rc=2
  CALL("stray", "--quiet", "extra");

  // CHECK-LABEL: == help
  // CHECK: usage: prog
  // CHECK: rc=0
  CALL("help", "-h");

  // Units: 300us = 3 steps of 0.1 ms; a plain 0.0015 (seconds) = 15 steps; 1s = 10000 steps.
  // CHECK-LABEL: == us
  // CHECK: snnc: network 'tick', 0.3 ms simulated (3 steps of 0.1 ms), seed 18446744073709551615
  // CHECK: wrote 5 files to {{.*}}a/b/c
  // CHECK: rc=0
  CALL("us", "--duration", "300us", "--seed", "18446744073709551615", "--out", out);
  // CHECK-LABEL: == plain seconds
  // CHECK: (15 steps of 0.1 ms), seed 7
  // CHECK: rc=0
  CALL("plain seconds", "--duration=0.0015", "--out", out);
  // CHECK-LABEL: == seconds suffix
  // CHECK: (10000 steps of 0.1 ms)
  // CHECK: rc=0
  CALL("seconds suffix", "--duration", "1s", "--out", out);
  // CHECK-LABEL: == zero
  // CHECK: (0 steps of 0.1 ms)
  // CHECK: real-time factor n/a
  // CHECK: rc=0
  CALL("zero", "--duration", "0ms", "--out", out);

  // A runtime failure (the output path runs through a regular file) is exit code 1, no usage.
  // CHECK-LABEL: == unwritable
  // CHECK: prog: error: cannot create directory '{{.*}}plainfile': Not a directory
  // CHECK-NOT: usage:
  // CHECK: rc=1
  CALL("unwritable", "--quiet", "--out", under);
  return 0;
}
