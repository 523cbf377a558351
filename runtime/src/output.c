/*
 * output.c — snn_sim_write_outputs: creates the output directory (like mkdir -p) and writes one
 * .npy per recorder (two for a synapse recorder: values and (pre, post) pairs) plus summary.json,
 * so a run's results are one self-describing folder. Every file is written whole or not at all
 * (outfile.c), and summary.json, written last, lists exactly the files this run wrote: files of
 * an earlier run in the same folder are left alone, but never mistaken for this one's.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int mkdir_one(const char *path) {
  if (mkdir(path, 0777) == 0) return 0;
  int e = errno;
  struct stat st;
  if (e == EEXIST && stat(path, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return 0;
    errno = ENOTDIR;
    return -1;
  }
  errno = e;
  return -1;
}

static int mkdir_p(const char *dir, char *err, size_t len) {
  size_t n = strlen(dir);
  char *p = malloc(n + 1);
  if (!p) {
    snn_set_err(err, len, "out of memory");
    return -1;
  }
  memcpy(p, dir, n + 1);
  /* Create each prefix ending before a '/', then the whole path. */
  for (size_t i = 1; i <= n; i++) {
    if (i < n && p[i] != '/') continue;
    if (i < n && p[i - 1] == '/') continue; /* "a//b" */
    char c = p[i];
    p[i] = '\0';
    if (mkdir_one(p) != 0) {
      snn_set_err(err, len, "cannot create directory '%s': %s", p, strerror(errno));
      free(p);
      return -1;
    }
    p[i] = c;
  }
  free(p);
  return 0;
}

int snn_prepare_output_dir(const char *dir, char *err, size_t len) {
  if (!dir || !dir[0]) return snn_set_err(err, len, "no output directory"), -1;
  if (mkdir_p(dir, err, len)) return -1;
  /* Probe: a file created, written and removed, so that a read-only or full disk is found now. */
  size_t n = strlen(dir) + 48;
  char *probe = malloc(n);
  if (!probe) return snn_set_err(err, len, "out of memory"), -1;
  snprintf(probe, n, "%s/.snnc-probe-%ld", dir, (long)getpid());
  FILE *f = fopen(probe, "wb");
  int ok = f && fputs("snnc\n", f) >= 0;
  int e = errno;
  if (f && fclose(f) != 0 && ok) ok = 0, e = errno;
  if (f) unlink(probe);
  free(probe);
  if (!ok) {
    snn_set_err(err, len, "cannot write into the output directory '%s': %s", dir, strerror(e));
    return -1;
  }
  return 0;
}

static char *join(const char *dir, const char *name, const char *ext) {
  size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%s/%s%s", dir, name, ext);
  return s;
}

/* Recorder i's file (and, for a synapse recorder, its (pre, post) pairs) in dir. */
static int write_recorder(const snn_sim *sim, const char *dir, uint32_t i, char *err, size_t len) {
  const snn_model_desc *m = sim->model;
  const snn_recorder_desc *rd = &m->recorders[i];
  {
    char *path = join(dir, rd->name, ".npy");
    if (!path) {
      snn_set_err(err, len, "out of memory");
      return -1;
    }
    int rc;
    if (rd->kind == SNN_RECORD_SPIKES)
      rc = snn_npy_write_spikes(path, &sim->recs[i], m->dt, err, len);
    else if (rd->kind == SNN_RECORD_RATE)
      rc = snn_npy_write_rate(path, &sim->recs[i], m->dt, err, len);
    else if (rd->kind == SNN_RECORD_STATE)
      rc = snn_npy_write_state(path, m->populations[rd->pop].vars[rd->var].name, &sim->recs[i],
                               m->dt, err, len);
    else
      rc = snn_npy_write_state(path, m->projections[rd->pop].vars[rd->var].name, &sim->recs[i],
                               m->dt, err, len);
    free(path);
    if (rc) return -1;
    if (rd->kind == SNN_RECORD_SYNAPSES) {
      /* Which (pre, post) pair each column of the recording belongs to. */
      if (!(path = join(dir, rd->name, ".synapses.npy"))) {
        snn_set_err(err, len, "out of memory");
        return -1;
      }
      rc = snn_npy_write_pairs(path, sim, rd->pop, &sim->recs[i], err, len);
      free(path);
      if (rc) return -1;
    }
  }
  return 0;
}

int snn_sim_write_outputs(const snn_sim *sim, const char *dir, char *err, size_t len) {
  if (!sim || !dir || !dir[0]) {
    snn_set_err(err, len, "no simulation or no output directory");
    return -1;
  }
  if (mkdir_p(dir, err, len)) return -1;
  const snn_model_desc *m = sim->model;
  /* The names written, for summary.json: at most two per recorder. */
  const char **files = calloc(2 * (size_t)m->num_recorders + 1, sizeof *files);
  char **owned = calloc(2 * (size_t)m->num_recorders + 1, sizeof *owned);
  uint32_t nfiles = 0;
  int rc = files && owned ? 0 : (snn_set_err(err, len, "out of memory"), -1);
  for (uint32_t i = 0; i < m->num_recorders && !rc; i++) {
    const snn_recorder_desc *rd = &m->recorders[i];
    rc = write_recorder(sim, dir, i, err, len);
    for (int pairs = 0; pairs < 1 + (rd->kind == SNN_RECORD_SYNAPSES) && !rc; pairs++) {
      char *name = join("", rd->name, pairs ? ".synapses.npy" : ".npy");
      if (!name) rc = -1, snn_set_err(err, len, "out of memory");
      else files[nfiles] = (owned[nfiles] = name) + 1, nfiles++; /* without join's '/' */
    }
  }
  if (!rc) {
    char *path = join(dir, "summary", ".json");
    if (!path) rc = -1, snn_set_err(err, len, "out of memory");
    else rc = snn_write_summary_json(sim, path, files, nfiles, err, len);
    free(path);
  }
  for (uint32_t k = 0; owned && k < nfiles; k++) free(owned[k]);
  free(owned);
  free(files);
  return rc;
}
