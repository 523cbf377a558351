// snn_sim_create refuses a model compiled for x86 extensions this CPU lacks (snn_model_desc.isa)
// with a message, instead of letting it die of an illegal instruction. The test asks for every
// extension the runtime knows that this CPU lacks (if it has them all, for none, and checks that
// the model is accepted); unknown names are ignored.
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t && %t | FileCheck %s
// CHECK: supported: created
// CHECK: unknown name: created
// CHECK: lacking: {{(refused: model 'tick' was compiled for .*, which this CPU lacks.*|nothing lacking)}}
#include "Inputs/tick_model.h"
#include <stdio.h>
#include <string.h>

static void try(const char *what, const char *isa) {
  snn_model_desc m = tick_model;
  m.isa = isa;
  char err[512] = "";
  snn_sim *s = snn_sim_create(&m, 1, err, sizeof err);
  printf("%s: %s%s\n", what, s ? "created" : "refused: ", s ? "" : err);
  snn_sim_destroy(s);
}

int main(void) {
  try("supported", "sse4.1,sse4.2"); // every x86-64 machine this project runs on has these
  try("unknown name", "quantum-ops");
  static const char *const names[] = {"avx", "avx2", "fma", "bmi", "bmi2", "avx512f",
                                      "avx512dq", "avx512bw", "avx512vl", "avx512cd"};
  char lacking[256] = "";
  __builtin_cpu_init();
  for (unsigned k = 0; k < sizeof names / sizeof names[0]; k++) {
    int have = 0;
    if (!strcmp(names[k], "avx")) have = __builtin_cpu_supports("avx");
    else if (!strcmp(names[k], "avx2")) have = __builtin_cpu_supports("avx2");
    else if (!strcmp(names[k], "fma")) have = __builtin_cpu_supports("fma");
    else if (!strcmp(names[k], "bmi")) have = __builtin_cpu_supports("bmi");
    else if (!strcmp(names[k], "bmi2")) have = __builtin_cpu_supports("bmi2");
    else if (!strcmp(names[k], "avx512f")) have = __builtin_cpu_supports("avx512f");
    else if (!strcmp(names[k], "avx512dq")) have = __builtin_cpu_supports("avx512dq");
    else if (!strcmp(names[k], "avx512bw")) have = __builtin_cpu_supports("avx512bw");
    else if (!strcmp(names[k], "avx512vl")) have = __builtin_cpu_supports("avx512vl");
    else if (!strcmp(names[k], "avx512cd")) have = __builtin_cpu_supports("avx512cd");
    if (!have) {
      if (*lacking) strcat(lacking, ",");
      strcat(lacking, names[k]);
    }
  }
  if (*lacking)
    try("lacking", lacking);
  else
    printf("lacking: nothing lacking\n");
  return 0;
}
