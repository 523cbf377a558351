// Synapse recorders (SNN_RECORD_SYNAPSES) and final-only recorders (every == 0) on the
// hand-written model Inputs/syn_model.h: runs of 10, 0 and 5 steps, the .npy files checked exactly
// with NumPy (values and the <name>.synapses.npy (pre, post) pairs), in float64 and float32 mode;
// bad projection / variable indices are refused at creation.
// RUN: rm -rf %t.out64 %t.out32 %t.cli
// RUN: %cc %snnrt_cflags %s %snnrt_libs -o %t64 && %t64 %t.out64 | FileCheck %s
// RUN: %python %S/Inputs/check_synapses.py %t.out64 | FileCheck --check-prefix=PY %s
// RUN: %cc %snnrt_cflags -DSYN_REAL_FLOAT %s %snnrt_libs -o %t32 && %t32 %t.out32 | FileCheck %s
// RUN: %python %S/Inputs/check_synapses.py %t.out32 | FileCheck --check-prefix=PY %s
// The command line counts the extra .synapses.npy files: 5 recorders + 4 pair files + summary.
// RUN: %t64 cli --out %t.cli | FileCheck --check-prefix=CLI %s
// RUN: %python -c "import numpy as np; a = np.load('%t.cli/AB.w_final.npy'); print(list(a['t']), a['w'][0].tolist())" | FileCheck --check-prefix=CLIPY %s
// PY: synapse outputs ok
// CLI: wrote 10 files to
// CLIPY: [0.001] [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
#include "Inputs/syn_model.h"
#include <stdio.h>
#include <string.h>

static void try(const char *what) {
  char err[256] = "";
  snn_sim *s = snn_sim_create(&syn_model, 1, err, sizeof err);
  printf("%s: %s: %s\n", what, s ? "created" : "NULL", err);
  snn_sim_destroy(s);
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "cli")) return snn_main(argc - 1, argv + 1, &syn_model);

  // CHECK: bad projection: NULL: recorder 'AB.w' refers to projection 2, but the model has 2
  syn_recs[0].pop = 2, try("bad projection"), syn_recs[0].pop = 0;
  // CHECK: bad var: NULL: recorder 'AB.w' refers to synapse variable 2, but 'AB' has 2
  syn_recs[0].var = 2, try("bad var"), syn_recs[0].var = 0;
  // CHECK: no vars: NULL: recorder 'E.w' refers to synapse variable 1, but 'E' has 1
  syn_recs[3].var = 1, try("no vars"), syn_recs[3].var = 0;
  // begin/end are unused for synapse recorders; they are not checked against anything.
  // CHECK: ignored range: created:
  syn_recs[0].begin = 7, syn_recs[0].end = 3, try("ignored range");
  syn_recs[0].begin = syn_recs[0].end = 0;
  // The pair file "AB.w.synapses.npy" must not be another recorder's file.
  // CHECK: clash: NULL: recorder 'AB.w.synapses' would overwrite 'AB.w.synapses.npy' of recorder 'AB.w'
  syn_recs[4].name = "AB.w.synapses", try("clash"), syn_recs[4].name = "A.v_final";
  // CHECK: good: created:
  try("good");

  char err[256];
  snn_sim *sim = snn_sim_create(&syn_model, 3, err, sizeof err);
  if (!sim) {
    printf("create failed: %s\n", err);
    return 1;
  }
  // CHECK: synapses 9 0
  printf("synapses %llu %llu\n", (unsigned long long)snn_sim_num_synapses(sim, 0),
         (unsigned long long)snn_sim_num_synapses(sim, 1));
  // 10 steps, then a run of 0 steps (a final sample of the unchanged state), then 5 more.
  // CHECK: runs 0 0 0 steps 15
  int r0 = snn_sim_run(sim, 1e-3, NULL);
  int r1 = snn_sim_run(sim, 0.0, NULL);
  int r2 = snn_sim_run(sim, 5e-4, NULL);
  // A refused run takes no final sample.
  // CHECK: refused -1
  printf("runs %d %d %d steps %lld\n", r0, r1, r2, (long long)snn_sim_steps_done(sim));
  printf("refused %d\n", snn_sim_run(sim, -1.0, NULL));
  int w = snn_sim_write_outputs(sim, argv[1], err, sizeof err);
  // CHECK: write 0
  printf("write %d %s\n", w, w ? err : "");
  snn_sim_destroy(sim);
  return 0;
}
