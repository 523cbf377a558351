/*
 * cli.c — snn_main, the command line of every generated executable: parse --duration/--seed/--out/
 * --threads/--quiet/--help strictly (a typo must not silently run the default experiment), then create, run,
 * write outputs and report. Exit codes: 0 success, 1 runtime failure, 2 bad usage, 3 the chosen
 * device (--device cuda) is unavailable: no driver, no GPU, or one that cannot load the PTX,
 * 4 a state variable became NaN or infinite, 128 + N stopped by signal N (SIGINT: 130, SIGTERM:
 * 143). In the last two cases the outputs up to the step where the run stopped are written and
 * summary.json says the run is incomplete and why.
 *
 * SIGINT and SIGTERM set a flag the run loop polls after every step (the one piece of process
 * state here, as signals are per process; the library itself keeps none); a second one, a second
 * or more after the first, kills.
 */
#include "internal.h"
#include "snn/instance.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct cli_opts {
  double *params; /* per model parameter: the value to run with (run-time ones may be --set) */
  double duration;
  uint64_t seed;
  const char *out;
  int threads; /* 0: every core (for large kernels) */
  int device;  /* -1: the CPU; N >= 0: CUDA GPU N */
  int no_finite_check;
  double checkpoint_every; /* seconds; 0: a checkpoint only at the end */
  const char *checkpoint;  /* file to save the state to, NULL: none */
  const char *resume;      /* file to restore the state from, NULL: none */
  double max_memory;       /* bytes; 0: what the machine has available */
  int quiet;
  int help;
} cli_opts;

static const char *prog_name(const char *argv0) {
  if (!argv0 || !argv0[0]) return "snn";
  const char *s = strrchr(argv0, '/');
  return s ? s + 1 : argv0;
}

static void usage(FILE *f, const char *prog, const snn_model_desc *m) {
  char dur[32];
  snn_format_time(m->duration, dur, sizeof dur);
  fprintf(f,
          "usage: %s [--duration T] [--seed N] [--out DIR] [--threads N] [--device D]\n"
          "       [--set P.x=V]... [--quiet]\n"
          "Simulates the network '%s' (compiled by snnc) and writes its recordings.\n"
          "\n"
          "options:\n"
          "  --duration T  simulated time; a number with optional unit s, ms or us, plain = seconds\n"
          "                (default: %s)\n"
          "  --seed N      random seed, an unsigned 64-bit integer (default: %llu)\n"
          "  --out DIR     output directory for the .npy recordings and summary.json\n"
          "                (default: %s_out)\n"
          "  --threads N   threads to run on, 1 to 1024 (default: every core, for populations of\n"
          "                32768 neurons or more); the results are the same for every N\n"
          "  --device D    cpu, cuda or cuda:N (GPU N) to run the step on (default: %s)\n"
          "  --set P.x=V   a run-time parameter's value, with a unit of its dimension (P.tau_m=15ms)\n"
          "                or in SI units without one; repeatable\n"
          "  --checkpoint FILE  save the whole state to FILE at the end and, with\n"
          "  --checkpoint-every T, every T of simulated time (written whole, then renamed)\n"
          "  --resume FILE  continue the run saved in FILE up to --duration; the outputs equal\n"
          "                those of one uninterrupted run (its seed and parameters are FILE's)\n"
          "  --max-memory B  refuse a network estimated to need more than B bytes (K, M, G, T:\n"
          "                powers of 1024; default: the memory available when it starts)\n"
          "  --no-finite-check  skip the check, every 100 steps, that no state variable is NaN or\n"
          "                infinite (a run that meets one stops with status 4, outputs written)\n"
          "  --quiet       no progress bar, summary or 'wrote' line\n"
          "  -h, --help    show this help and exit\n"
          "Under mpirun -np R the network is split over R processes, with the same results.\n",
          prog, m->name, dur, (unsigned long long)m->seed, m->name,
          m->cuda_ptx ? "cuda" : "cpu");
  int any = 0;
  for (uint32_t k = 0; k < m->num_params; k++)
    if (m->params[k].buffer != SNN_NO_BUFFER) {
      fprintf(f, "%s  %s = %g (%s)\n", any ? "" : "\nrun-time parameters (SI units):\n",
              m->params[k].name, m->params[k].value, m->params[k].unit);
      any = 1;
    }
  /* The protocol's changes, at the times the runs start. */
  for (uint32_t k = 0; k < m->num_changes; k++) {
    const snn_change_desc *c = &m->changes[k];
    char t[32];
    snn_format_time((double)c->step * m->dt, t, sizeof t);
    fprintf(f, "%s  at %s: %s = %g (%s)\n", k ? "" : "\nprotocol (changes between runs, SI units):\n",
            t, m->params[c->param].name, c->value, m->params[c->param].unit);
  }
}

/* strtod on a plain decimal number only: it would also read hexadecimal ("0x10"), "inf" and
 * "nan"; the number ends where strtod stops, and must be digits, '.', and an exponent. */
static double decimal(const char *s, char **end) {
  const char *p = s;
  if (*p == '-' || *p == '+') p++;
  while ((*p >= '0' && *p <= '9') || *p == '.') p++;
  if ((*p == 'e' || *p == 'E') && (p[1] == '-' || p[1] == '+' || (p[1] >= '0' && p[1] <= '9'))) {
    p += 2;
    while (*p >= '0' && *p <= '9') p++;
  }
  double v = strtod(s, end);
  if (*end != p) *end = (char *)s; /* strtod read more (hex, inf) or less: not a decimal */
  return v;
}

/* "P.x=15ms": run-time parameter P.x set to 0.015, the unit one of the parameter's own (its
 * units list) or none (SI). 0, or -1 with a message. */
static int parse_set(const char *s, const snn_model_desc *m, double *values, char *err,
                     size_t len) {
  const char *eq = strchr(s, '=');
  if (!eq || eq == s)
    return snn_set_err(err, len, "--set needs NAME=VALUE, not '%s'", s), -1;
  size_t nlen = (size_t)(eq - s);
  int k = -1;
  for (uint32_t j = 0; j < m->num_params; j++)
    if (strlen(m->params[j].name) == nlen && !strncmp(m->params[j].name, s, nlen)) k = (int)j;
  if (k < 0) {
    char known[256] = "";
    for (uint32_t j = 0; j < m->num_params; j++)
      if (m->params[j].buffer != SNN_NO_BUFFER && strlen(known) + strlen(m->params[j].name) + 3 < sizeof known) {
        if (known[0]) strcat(known, ", ");
        strcat(known, m->params[j].name);
      }
    return snn_set_err(err, len, "unknown parameter '%.*s' (run-time parameters: %s)", (int)nlen,
                       s, known[0] ? known : "none"),
           -1;
  }
  const snn_param_desc *pd = &m->params[k];
  if (pd->buffer == SNN_NO_BUFFER)
    return snn_set_err(err, len,
                       "parameter '%s' was folded at compile time; declare it `runtime %s` in the "
                       "network to set it",
                       pd->name, pd->name),
           -1;
  const char *v = eq + 1;
  char *end;
  errno = 0;
  double x = decimal(v, &end);
  if (end == v || errno == ERANGE || !isfinite(x))
    return snn_set_err(err, len, "invalid value '%s' for '%s'", v, pd->name), -1;
  double scale = 1.0;
  if (*end) {
    /* The unit: one of "name=scale,..." in pd->units. */
    int found = 0;
    for (const char *u = pd->units; u && *u && !found;) {
      const char *e = strchr(u, '='), *next = strchr(u, ',');
      if (!e) break;
      if ((size_t)(e - u) == strlen(end) && !strncmp(u, end, strlen(end))) {
        scale = strtod(e + 1, NULL);
        found = 1;
      }
      u = next ? next + 1 : NULL;
    }
    if (!found)
      return snn_set_err(err, len, "'%s' is not a unit of '%s' (%s; or a plain number in SI units)",
                         end, pd->name, pd->unit),
             -1;
  }
  /* Decimal-exact, as the compiler scales quantities: "-52mV" is the double nearest -0.052,
   * which -52 * 0.001 is not. Every unit scale is a power of ten. */
  double e10 = round(log10(scale));
  if (scale > 0 && fabs(pow(10.0, e10) / scale - 1.0) < 1e-12) {
    char buf[96];
    snprintf(buf, sizeof buf, "%.*se%d", (int)(end - v), v, (int)e10);
    x = strtod(buf, NULL);
  } else {
    x *= scale;
  }
  values[k] = x;
  return 0;
}

/* "1", "0.5s", "250ms", "100us": non-negative, finite; returns seconds. */
static int parse_duration(const char *s, double *out) {
  if (!s || !*s || *s == '-' || *s == '+' || (*s != '.' && (*s < '0' || *s > '9'))) return -1;
  char *end;
  errno = 0;
  double v = decimal(s, &end);
  if (end == s || errno == ERANGE) return -1;
  double scale;
  if (!strcmp(end, "") || !strcmp(end, "s"))
    scale = 1.0;
  else if (!strcmp(end, "ms"))
    scale = 1e-3;
  else if (!strcmp(end, "us"))
    scale = 1e-6;
  else
    return -1;
  v *= scale;
  if (!(v >= 0.0) || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

static int parse_threads(const char *s, int *out) {
  if (!s || *s < '1' || *s > '9') return -1; /* no sign, no 0, no leading zero */
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (*end || errno == ERANGE || v > 1024) return -1;
  *out = (int)v;
  return 0;
}

static int parse_seed(const char *s, uint64_t *out) {
  /* Decimal only: strtoull would accept a sign (wrapping "-1") and base prefixes. */
  if (!s || *s < '0' || *s > '9') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end || errno == ERANGE) return -1;
  *out = (uint64_t)v;
  return 0;
}

/* "512M", "8G", "1.5T", "1000000": bytes (powers of 1024), positive and finite. */
static int parse_bytes(const char *s, double *out) {
  if (!s || *s < '0' || *s > '9') return -1;
  char *end;
  errno = 0;
  double v = decimal(s, &end);
  if (end == s || errno == ERANGE) return -1;
  const char *units = "KMGT";
  const char *u = *end ? strchr(units, *end) : NULL;
  if (*end && (!u || end[1] != '\0')) return -1;
  for (const char *k = units; u && k <= u; k++) v *= 1024;
  if (!(v >= 1) || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

/* "cpu" -> -1, "cuda" -> 0, "cuda:N" -> N (0 to 1023). */
static int parse_device(const char *s, int *out) {
  if (!strcmp(s, "cpu")) return *out = -1, 0;
  if (!strcmp(s, "cuda")) return *out = 0, 0;
  if (strncmp(s, "cuda:", 5) != 0) return -1;
  const char *d = s + 5;
  if (*d < '0' || *d > '9' || (d[0] == '0' && d[1])) return -1;
  char *end;
  errno = 0;
  long v = strtol(d, &end, 10);
  if (*end || errno == ERANGE || v > 1023) return -1;
  *out = (int)v;
  return 0;
}

/* Matches "--name VALUE" and "--name=VALUE"; returns 1 if argv[*i] is this option. */
static int take_value(int argc, char **argv, int *i, const char *name, const char **val,
                      int *missing) {
  size_t n = strlen(name);
  const char *a = argv[*i];
  if (strncmp(a, name, n) != 0) return 0;
  if (a[n] == '=') {
    *val = a + n + 1;
    return 1;
  }
  if (a[n] != '\0') return 0;
  if (*i + 1 >= argc) {
    *missing = 1;
    return 1;
  }
  *val = argv[++*i];
  return 1;
}

static int parse_args(int argc, char **argv, const snn_model_desc *m, cli_opts *o, char *err,
                      size_t len) {
  o->duration = m->duration;
  o->seed = m->seed;
  for (uint32_t k = 0; k < m->num_params; k++) o->params[k] = m->params[k].value;
  o->out = NULL;
  o->threads = 0;
  o->device = m->cuda_ptx ? 0 : -1;
  o->quiet = 0;
  o->no_finite_check = 0;
  o->checkpoint_every = 0;
  o->checkpoint = o->resume = NULL;
  o->max_memory = 0;
  o->help = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    int missing = 0;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      o->help = 1;
    } else if (!strcmp(a, "--quiet")) {
      o->quiet = 1;
    } else if (!strcmp(a, "--no-finite-check")) {
      o->no_finite_check = 1;
    } else if (take_value(argc, argv, &i, "--duration", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--duration' needs a value"), -1;
      if (parse_duration(val, &o->duration))
        return snn_set_err(err, len,
                           "invalid duration '%s' (expected a non-negative number with optional "
                           "unit s, ms or us)",
                           val),
               -1;
    } else if (take_value(argc, argv, &i, "--seed", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--seed' needs a value"), -1;
      if (parse_seed(val, &o->seed))
        return snn_set_err(err, len, "invalid seed '%s' (expected an unsigned 64-bit integer)",
                           val),
               -1;
    } else if (take_value(argc, argv, &i, "--threads", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--threads' needs a value"), -1;
      if (parse_threads(val, &o->threads))
        return snn_set_err(err, len, "invalid thread count '%s' (expected an integer from 1 to 1024)",
                           val),
               -1;
    } else if (take_value(argc, argv, &i, "--device", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--device' needs a value"), -1;
      if (parse_device(val, &o->device))
        return snn_set_err(err, len, "unknown device '%s' (valid: cpu, cuda, cuda:N)", val), -1;
      if (o->device >= 0 && !m->cuda_ptx)
        return snn_set_err(err, len,
                           "--device %s: the model was compiled for the CPU only (compile it with "
                           "snnc --target=cuda)",
                           val),
               -1;
    } else if (take_value(argc, argv, &i, "--max-memory", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--max-memory' needs a value"), -1;
      if (parse_bytes(val, &o->max_memory))
        return snn_set_err(err, len,
                           "invalid memory size '%s' (expected a positive number with optional "
                           "unit K, M, G or T, powers of 1024)",
                           val),
               -1;
    } else if (take_value(argc, argv, &i, "--checkpoint-every", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--checkpoint-every' needs a value"), -1;
      if (parse_duration(val, &o->checkpoint_every) || !(o->checkpoint_every > 0))
        return snn_set_err(err, len,
                           "invalid checkpoint interval '%s' (expected a positive number with "
                           "optional unit s, ms or us)",
                           val),
               -1;
    } else if (take_value(argc, argv, &i, "--checkpoint", &val, &missing)) {
      if (missing || !*val) return snn_set_err(err, len, "option '--checkpoint' needs a file"), -1;
      o->checkpoint = val;
    } else if (take_value(argc, argv, &i, "--resume", &val, &missing)) {
      if (missing || !*val) return snn_set_err(err, len, "option '--resume' needs a file"), -1;
      o->resume = val;
    } else if (take_value(argc, argv, &i, "--set", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--set' needs NAME=VALUE"), -1;
      if (parse_set(val, m, o->params, err, len)) return -1;
    } else if (take_value(argc, argv, &i, "--out", &val, &missing)) {
      if (missing) return snn_set_err(err, len, "option '--out' needs a value"), -1;
      if (!*val) return snn_set_err(err, len, "option '--out' needs a non-empty directory"), -1;
      o->out = val;
    } else if (a[0] == '-' && a[1] != '\0') {
      return snn_set_err(err, len, "unknown option '%s'", a), -1;
    } else {
      return snn_set_err(err, len, "unexpected argument '%s'", a), -1;
    }
  }
  if (o->checkpoint_every > 0 && !o->checkpoint)
    return snn_set_err(err, len, "--checkpoint-every needs --checkpoint FILE"), -1;
  if (o->checkpoint_every > 0 && o->checkpoint_every / m->dt < 0.5)
    return snn_set_err(err, len, "--checkpoint-every is shorter than one step"), -1;
  return 0;
}

/* Runs `sim` until o->duration, in pieces ending at multiples of --checkpoint-every with the
 * state saved after each (and at the end) when --checkpoint is given; a resumed run goes on from
 * its saved step. Returns snn_sim_run's result (-1 with the message in err). Final-only
 * recorders sample once, at the very end, so the pieces' outputs are those of one run. */
static int run_to(snn_sim *sim, snn_instance *inst, const cli_opts *o, const snn_run_options *ro,
                  char *err, size_t len) {
  const double dt = sim->model->dt;
  const double nd = o->duration / dt;
  if (nd > 0x1p62) return snn_set_err(err, len, "duration %g is too many steps", o->duration), -1;
  const int64_t target = (int64_t)llround(nd);
  if (snn_sim_steps_done(sim) > target) {
    char at[32], want[32];
    snn_format_time((double)snn_sim_steps_done(sim) * dt, at, sizeof at);
    snn_format_time(o->duration, want, sizeof want);
    return snn_set_err(err, len, "the checkpoint is at t = %s, beyond --duration %s", at, want), -1;
  }
  if (!o->checkpoint) {
    int rc = snn_sim_run(sim, (double)(target - snn_sim_steps_done(sim)) * dt, ro);
    if (rc == -1) snn_set_err(err, len, "%s", snn_sim_last_error(sim));
    return rc;
  }
  const int64_t every = o->checkpoint_every > 0 ? llround(o->checkpoint_every / dt) : target + 1;
  int rc = 0;
  while (rc == 0 && snn_sim_steps_done(sim) < target) {
    int64_t done = snn_sim_steps_done(sim);
    int64_t next = (done / every + 1) * every;
    if (next > target) next = target;
    sim->defer_final = 1;
    rc = snn_sim_run(sim, (double)(next - done) * dt, ro);
    sim->defer_final = 0;
    if (rc == 0 && snn_instance_save_file(inst, o->checkpoint)) {
      snn_set_err(err, len, "%s", snn_instance_error(inst));
      return -1;
    }
  }
  if (rc == -1) snn_set_err(err, len, "%s", snn_sim_last_error(sim));
  if (rc == 0) {
    if (snn_record_reserve(sim, snn_sim_steps_done(sim), 0)) /* room for the final samples */
      return snn_set_err(err, len, "%s", snn_sim_last_error(sim)), -1;
    snn_record_final(sim, snn_sim_steps_done(sim));
  }
  return rc;
}

static volatile sig_atomic_t stop_signal;
static struct timespec stop_signal_at;

/* The first SIGINT/SIGTERM asks the run to stop at the end of the step. One signal often arrives
 * twice (timeout(1) and kill(0, ...) send it to the process and again to its group), so a repeat
 * within a second is that same request; a later one is the user insisting and kills at once. */
static void on_stop_signal(int sig) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now); /* async-signal-safe */
  if (!stop_signal) {
    stop_signal_at = now;
    stop_signal = sig;
    return;
  }
  double since = (double)(now.tv_sec - stop_signal_at.tv_sec) +
                 1e-9 * (double)(now.tv_nsec - stop_signal_at.tv_nsec);
  if (since >= 1.0) {
    signal(sig, SIG_DFL);
    raise(sig);
  }
}

static void catch_stop_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* Split over MPI ranks: what this executable does not do across ranks, refused before anything
 * is built (0, or an exit status with the message in err). */
static int check_split(const snn_model_desc *m, const cli_opts *o, int ranks, char *err,
                       size_t len) {
  if (o->checkpoint || o->resume)
    return snn_set_err(err, len, "--checkpoint and --resume run on one process, not on %d MPI "
                                 "ranks", ranks), 2;
  if (o->device >= 0)
    return snn_set_err(err, len, "--device cuda runs on one process, not on %d MPI ranks (add "
                                 "--device cpu)", ranks), 2;
  uint64_t neurons = 0;
  for (uint32_t p = 0; p < m->num_populations; p++) neurons += m->populations[p].size;
  if ((uint64_t)ranks > neurons)
    return snn_set_err(err, len, "%d MPI ranks for a network of %llu neurons: at most one rank "
                                 "per neuron", ranks, (unsigned long long)neurons), 2;
  if (m->mpi_refusal)
    return snn_set_err(err, len, "network '%s' cannot be split over MPI ranks: %s, and another "
                                 "rank may own them; run it on one process", m->name,
                       m->mpi_refusal), 1;
  if (m->num_kernels == 0)
    return snn_set_err(err, len, "model '%s' has no kernel table: it cannot be split over MPI "
                                 "ranks", m->name), 1;
  return 0;
}

/* Threads per rank when --threads is not given: the cores shared by the ranks on this node. */
static int threads_per_rank(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  const char *v = getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  long local = v ? strtol(v, NULL, 10) : 1;
  if (local < 1) local = 1;
  long t = cores > 0 ? cores / local : 1;
  return t < 1 ? 1 : t > 256 ? 256 : (int)t;
}

int snn_main(int argc, char **argv, const snn_model_desc *m) {
  const char *prog = prog_name(argc > 0 ? argv[0] : NULL);
  char err[SNN_ERR_LEN];
  /* Started by mpirun, only rank 0 prints what every rank would (usage, progress, summary). */
  const int root = snn_mpi_launched_rank() == 0;
  if (!m || !m->name) {
    fprintf(stderr, "%s: error: no model descriptor\n", prog);
    return 1;
  }
  /* From the start: a signal while the network is being built stops the run after its first
   * step, with outputs, rather than killing the process with nothing written. */
  stop_signal = 0;
  catch_stop_signals();
  cli_opts o;
  o.params = calloc(m->num_params ? m->num_params : 1, sizeof *o.params);
  if (!o.params) {
    fprintf(stderr, "%s: error: out of memory\n", prog);
    return 1;
  }
  if (parse_args(argc, argv, m, &o, err, sizeof err)) {
    if (root) {
      fprintf(stderr, "%s: error: %s\n", prog, err);
      usage(stderr, prog, m);
    }
    free(o.params);
    return 2;
  }
  if (o.help) {
    if (root) usage(stdout, prog, m);
    free(o.params);
    return 0;
  }
  snn_mpi *mpi = snn_mpi_start(err, sizeof err);
  if (!mpi && err[0]) {
    fprintf(stderr, "%s: error: %s\n", prog, err);
    free(o.params);
    return 1;
  }
  if (mpi) {
    int refused = check_split(m, &o, snn_mpi_size(mpi), err, sizeof err);
    if (refused) {
      if (root) fprintf(stderr, "%s: error: %s\n", prog, err);
      snn_mpi_finish(mpi);
      free(o.params);
      return refused;
    }
    if (o.threads == 0) o.threads = threads_per_rank();
  }

  char *default_out = NULL;
  if (!o.out) {
    size_t n = strlen(m->name) + 5;
    default_out = malloc(n);
    if (!default_out) {
      fprintf(stderr, "%s: error: out of memory\n", prog);
      snn_mpi_abort(mpi, 1);
      free(o.params);
      return 1;
    }
    snprintf(default_out, n, "%s_out", m->name);
    o.out = default_out;
  }

  int rc = 1;
  snn_sim *sim = NULL;
  snn_instance *inst = NULL;
  /* An output folder that cannot be written is found before the simulation, not after it
   * (rank 0 writes the outputs of every rank). */
  int bad_out = root && snn_prepare_output_dir(o.out, err, sizeof err);
  if (snn_mpi_any(mpi, bad_out) >= 0) {
    if (bad_out) fprintf(stderr, "%s: error: %s\n", prog, err);
    goto done;
  }
  if (!o.quiet && root) {
    /* Before anything is allocated: a network too big is refused with this estimate. */
    char what[320];
    snn_describe_estimate(m, what, sizeof what);
    if (mpi)
      fprintf(stderr, "%s: building %s, split over %d MPI ranks\n", prog, what,
              snn_mpi_size(mpi));
    else
      fprintf(stderr, "%s: building %s\n", prog, what);
  }
  if (o.checkpoint || o.resume) {
    /* Checkpoints are saved states of the embedding API (instance.c's format). */
    snn_instance_options io;
    snn_instance_default_options(m, &io);
    io.seed = o.seed;
    io.threads = o.threads;
    io.keep_spikes = 0;
    io.device = -1; /* the GPU, if any, after the restore */
    inst = snn_instance_create_with(m, &io, o.params, o.max_memory, err, sizeof err);
    if (inst && o.resume && snn_instance_restore_file(inst, o.resume)) {
      snprintf(err, sizeof err, "cannot resume from '%s': %s", o.resume, snn_instance_error(inst));
      snn_instance_destroy(inst);
      inst = NULL;
    }
    sim = snn_instance_sim(inst);
  } else {
    sim = snn_sim_create_on(m, o.seed, o.params, o.max_memory, mpi, err, sizeof err);
  }
  if (mpi) {
    /* Every rank built its part, or none goes on (the first failure is the one reported). */
    int first = snn_mpi_any(mpi, sim == NULL);
    snn_mpi_share_error(mpi, first, err, sizeof err);
    if (first >= 0) {
      if (root && first)
        fprintf(stderr, "%s: error: on MPI rank %d: %s\n", prog, first, err);
      else if (root)
        fprintf(stderr, "%s: error: %s\n", prog, err);
      goto done;
    }
    uint64_t *all = malloc((size_t)snn_mpi_size(mpi) * (m->num_projections + 1) * sizeof *all);
    if (!all) snn_mpi_abort(mpi, 1);
    for (uint32_t j = 0; j < m->num_projections; j++) {
      snn_mpi_allgather(mpi, &sim->proj_synapses[j], sizeof(uint64_t), all);
      sim->proj_synapses_all[j] = 0;
      for (int r = 0; r < snn_mpi_size(mpi); r++) sim->proj_synapses_all[j] += all[r];
    }
    free(all);
  }
  if (!sim) {
    fprintf(stderr, "%s: error: %s\n", prog, err);
    goto done;
  }
  if (o.device >= 0 && snn_sim_use_cuda(sim, o.device, err, sizeof err)) {
    fprintf(stderr, "%s: error: %s\n", prog, err);
    rc = 3;
    goto done;
  }
  snn_run_options ro = {!o.quiet && root, o.threads, o.no_finite_check, &stop_signal};
  int run = run_to(sim, inst, &o, &ro, err, sizeof err);
  if (run == -1 && mpi) { /* the other ranks may be waiting for this one: end them all */
    fprintf(stderr, "%s: error: on MPI rank %d: %s\n", prog, snn_mpi_rank(mpi), err);
    snn_mpi_abort(mpi, 1);
  }
  if (run == -1) {
    fprintf(stderr, "%s: error: %s\n", prog, err);
    goto done;
  }
  if ((run == SNN_RUN_NOT_FINITE || run == SNN_RUN_INTERRUPTED) && root)
    fprintf(stderr, "%s: error: %s; outputs up to there are in %s\n", prog,
            snn_sim_last_error(sim), o.out);
  if (mpi && snn_mpi_gather_recordings(sim, err, sizeof err)) {
    fprintf(stderr, "%s: error: %s\n", prog, err);
    snn_mpi_abort(mpi, 1);
  }
  int bad_write = root && snn_sim_write_outputs(sim, o.out, err, sizeof err);
  if (bad_write) fprintf(stderr, "%s: error: %s\n", prog, err);
  if (snn_mpi_any(mpi, bad_write) >= 0) goto done;
  if (run == SNN_RUN_NOT_FINITE) {
    rc = 4;
    goto done;
  }
  if (run == SNN_RUN_INTERRUPTED) {
    rc = 128 + (int)(stop_signal ? stop_signal : SIGINT);
    goto done;
  }
  if (o.quiet && root)
    snn_sim_print_warnings(sim, stderr); /* a capped rate is never silent */
  if (!o.quiet && root) {
    snn_sim_print_summary(sim, stdout);
    uint32_t files = m->num_recorders + 1; /* + summary.json */
    for (uint32_t i = 0; i < m->num_recorders; i++)
      files += m->recorders[i].kind == SNN_RECORD_SYNAPSES; /* + <name>.synapses.npy */
    printf("wrote %u files to %s\n", files, o.out);
  }
  rc = 0;
done:
  fflush(stdout);
  if (inst)
    snn_instance_destroy(inst);
  else
    snn_sim_destroy(sim);
  snn_mpi_finish(mpi);
  free(default_out);
  free(o.params);
  return rc;
}
