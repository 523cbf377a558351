/*
 * summary.c — the end-of-run report, once as an aligned table for people (stdout) and once as
 * summary.json for scripts. Both derive rates as spikes / neurons / simulated time so they agree.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Memory a projection costs per synapse: the column index, every per-synapse variable and the
 * by-post index (each scaled by the synapse count), plus the row pointers and the per-synapse
 * delay index spread over the synapses. Per-neuron traces and delay rings belong to neurons and
 * are not counted. */
static double bytes_per_synapse(const snn_sim *sim, uint32_t j) {
  const snn_model_desc *m = sim->model;
  const snn_projection_desc *pj = &m->projections[j];
  uint64_t n = sim->proj_synapses[j];
  if (n == 0) return 0.0;
  double per = pj->col_bytes == 2 ? 2.0 : 4.0; /* col */
  for (uint32_t v = 0; v < pj->num_vars; v++)
    per += (double)snn_elem_size(m, pj->vars[v].kind);
  if (pj->post_index) per += 2 * sizeof(uint32_t); /* post_syn, post_pre */
  double rows = (double)sizeof(uint64_t) * ((double)(pj->pre_end - pj->pre_begin) + 1.0);
  if (pj->post_index) rows += (double)sizeof(uint64_t) * ((double)(pj->post_end - pj->post_begin) + 1.0);
  if (pj->synapse_delays) {
    const uint32_t *max_delay = sim->buffers[pj->max_delay_buffer];
    rows += (double)sizeof(uint32_t) * ((double)*max_delay + 2.0) *
            (double)(pj->pre_end - pj->pre_begin);
  }
  return per + rows / (double)n;
}

static double sim_time(const snn_sim *sim) { return (double)sim->steps_done * sim->model->dt; }

static double rate_hz(const snn_sim *sim, uint32_t p) {
  double t = sim_time(sim);
  uint32_t size = sim->model->populations[p].size;
  return (t > 0 && size > 0) ? (double)sim->pop_spikes[p] / (double)size / t : 0.0;
}

static int max_int(int a, int b) { return a > b ? a : b; }

/* The warning for a population whose spike draws saturated, or 0 if none did. */
static int saturation_warning(const snn_sim *sim, uint32_t p, char *buf, size_t len) {
  uint64_t n = snn_sim_saturated_draws(sim, p);
  if (n == 0) return 0;
  const snn_model_desc *m = sim->model;
  char dt[32];
  snn_format_time(m->dt, dt, sizeof dt);
  uint64_t draws = (uint64_t)sim->steps_done * m->populations[p].size;
  snprintf(buf, len,
           "population '%s': %llu of %llu spike draws had a probability rate*dt above 1 and fired "
           "at most once per step, so its rate is capped at 1/dt = %.6g Hz (dt = %s); use a "
           "smaller dt or split the rate over more neurons",
           m->populations[p].name, (unsigned long long)n, (unsigned long long)draws, 1.0 / m->dt,
           dt);
  return 1;
}

void snn_sim_print_warnings(const snn_sim *sim, FILE *out) {
  char msg[512];
  for (uint32_t p = 0; p < sim->model->num_populations; p++)
    if (saturation_warning(sim, p, msg, sizeof msg)) fprintf(out, "warning: %s\n", msg);
}

void snn_sim_print_summary(const snn_sim *sim, FILE *out) {
  if (!sim || !out) return;
  const snn_model_desc *m = sim->model;
  char simt[32], dt[32], wall[32];
  snn_format_time(sim_time(sim), simt, sizeof simt);
  snn_format_time(m->dt, dt, sizeof dt);
  snn_format_time(sim->wall_s, wall, sizeof wall);
  int threads = snn_sim_threads(sim);
  fprintf(out, "snnc: network '%s', %s simulated (%lld steps of %s), seed %llu", m->name, simt,
          (long long)sim->steps_done, dt, (unsigned long long)sim->seed);
  if (snn_sim_device_name(sim))
    fprintf(out, ", on %s (CUDA)", snn_sim_device_name(sim));
  else if (sim->mpi)
    fprintf(out, ", %d MPI ranks x %d threads", snn_mpi_size(sim->mpi), threads);
  else if (threads > 1)
    fprintf(out, ", %d threads", threads);
  fputc('\n', out);

  /* One name column wide enough for every population and projection name. */
  int w = max_int((int)strlen("population"), (int)strlen("projection"));
  for (uint32_t p = 0; p < m->num_populations; p++)
    w = max_int(w, (int)strlen(m->populations[p].name));
  for (uint32_t j = 0; j < m->num_projections; j++)
    w = max_int(w, (int)strlen(m->projections[j].name));

  uint64_t neurons = 0, spikes = 0, synapses = 0;
  if (m->num_populations) {
    fprintf(out, "  %-*s %10s %11s %11s\n", w, "population", "neurons", "spikes", "rate (Hz)");
    for (uint32_t p = 0; p < m->num_populations; p++) {
      fprintf(out, "  %-*s %10u %11llu %11.3f\n", w, m->populations[p].name,
              m->populations[p].size, (unsigned long long)sim->pop_spikes[p], rate_hz(sim, p));
      neurons += m->populations[p].size;
      spikes += sim->pop_spikes[p];
    }
  }
  if (m->num_projections) {
    fprintf(out, "  %-*s %10s %11s\n", w, "projection", "synapses", "bytes/syn");
    for (uint32_t j = 0; j < m->num_projections; j++) {
      fprintf(out, "  %-*s %10llu %11.2f\n", w, m->projections[j].name,
              (unsigned long long)snn_sim_total_synapses(sim, j), bytes_per_synapse(sim, j));
      synapses += snn_sim_total_synapses(sim, j);
    }
  }
  snn_sim_print_warnings(sim, out);
  fprintf(out, "total: %llu neurons, %llu synapses, %llu spikes; wall %s, ",
          (unsigned long long)neurons, (unsigned long long)synapses, (unsigned long long)spikes,
          wall);
  if (sim_time(sim) > 0)
    fprintf(out, "real-time factor %.3g (wall / simulated)\n", sim->wall_s / sim_time(sim));
  else
    fprintf(out, "real-time factor n/a (nothing simulated)\n");
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

int snn_write_summary_json(const snn_sim *sim, const char *path, const char *const *files,
                           uint32_t nfiles, char *err, size_t len) {
  const snn_model_desc *m = sim->model;
  snn_out o;
  if (snn_out_open(&o, path, err, len)) return -1;
  FILE *f = o.f;
  double t = sim_time(sim);
  fprintf(f, "{\n  \"model\": ");
  json_str(f, m->name);
  fprintf(f, ",\n  \"real\": \"%s\",\n", m->real_size == 4 ? "float32" : "float64");
  fprintf(f, "  \"dt\": %.17g,\n  \"duration\": %.17g,\n  \"steps\": %lld,\n", m->dt, t,
          (long long)sim->steps_done);
  /* complete: false when the last run stopped before its end (NaN, a signal); stopped says why. */
  fprintf(f, "  \"complete\": %s,\n  \"stopped\": ", sim->stopped ? "false" : "true");
  if (sim->stopped)
    json_str(f, sim->err);
  else
    fputs("null", f);
  fprintf(f, ",\n");
  fprintf(f, "  \"seed\": %llu,\n  \"threads\": %d,\n  \"ranks\": %d,\n",
          (unsigned long long)sim->seed, snn_sim_threads(sim), snn_mpi_size(sim->mpi));
  fprintf(f, "  \"device\": ");
  json_str(f, snn_sim_device_name(sim) ? snn_sim_device_name(sim) : "cpu");
  fprintf(f, ",\n  \"wall_time\": %.6f,\n", sim->wall_s);
  if (t > 0)
    fprintf(f, "  \"real_time_factor\": %.6g,\n", sim->wall_s / t);
  else
    fprintf(f, "  \"real_time_factor\": null,\n");
  fprintf(f, "  \"populations\": [");
  for (uint32_t p = 0; p < m->num_populations; p++) {
    fprintf(f, "%s\n    {\"name\": ", p ? "," : "");
    json_str(f, m->populations[p].name);
    fprintf(f, ", \"size\": %u, \"spikes\": %llu, \"rate_hz\": %.17g}", m->populations[p].size,
            (unsigned long long)sim->pop_spikes[p], rate_hz(sim, p));
  }
  fprintf(f, "%s],\n  \"projections\": [", m->num_populations ? "\n  " : "");
  for (uint32_t j = 0; j < m->num_projections; j++) {
    fprintf(f, "%s\n    {\"name\": ", j ? "," : "");
    json_str(f, m->projections[j].name);
    fprintf(f, ", \"synapses\": %llu, \"bytes_per_synapse\": %.17g}",
            (unsigned long long)snn_sim_total_synapses(sim, j), bytes_per_synapse(sim, j));
  }
  fprintf(f, "%s],\n  \"warnings\": [", m->num_projections ? "\n  " : "");
  int warned = 0;
  char msg[512];
  for (uint32_t p = 0; p < m->num_populations; p++) {
    if (!saturation_warning(sim, p, msg, sizeof msg)) continue;
    fprintf(f, "%s\n    {\"population\": ", warned++ ? "," : "");
    json_str(f, m->populations[p].name);
    fprintf(f, ", \"kind\": \"saturated_spike_probability\", \"count\": %llu, \"message\": ",
            (unsigned long long)snn_sim_saturated_draws(sim, p));
    json_str(f, msg);
    fputc('}', f);
  }
  fprintf(f, "%s],\n  \"files\": [", warned ? "\n  " : "");
  for (uint32_t k = 0; k < nfiles; k++) {
    fputs(k ? ", " : "", f);
    json_str(f, files[k]);
  }
  fprintf(f, "%s]\n}\n", nfiles ? ", \"summary.json\"" : "\"summary.json\"");
  return snn_out_commit(&o, err, len);
}
