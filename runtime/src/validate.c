/*
 * validate.c — checks a model descriptor before anything is allocated. The descriptor comes from
 * generated code (or a hand-written embedder), and a wrong slot or range would otherwise surface as
 * a crash inside a kernel; here it becomes a message naming the offending element.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Marks buffer slot `slot` as used by `what`; fails if out of range or already taken. */
/* A connection list: row starts from 0, non-decreasing; columns inside the post range and
 * strictly ascending within each row (what the kernels and the by-post index assume). */
static int check_list(const snn_projection_desc *pj, char *err, size_t len) {
  const uint32_t npre = pj->pre_end - pj->pre_begin;
  if (!pj->list_row_ptr || !pj->list_col || pj->list_row_ptr[0] != 0) {
    snn_set_err(err, len, "projection '%s': from_file needs list_row_ptr (starting at 0) and list_col",
                pj->name);
    return -1;
  }
  for (uint32_t r = 0; r < npre; r++) {
    if (pj->list_row_ptr[r + 1] < pj->list_row_ptr[r]) {
      snn_set_err(err, len, "projection '%s': list_row_ptr decreases at row %u", pj->name, r);
      return -1;
    }
    for (uint64_t s = pj->list_row_ptr[r]; s < pj->list_row_ptr[r + 1]; s++) {
      uint32_t c = pj->list_col[s];
      if (c < pj->post_begin || c >= pj->post_end ||
          (s > pj->list_row_ptr[r] && c <= pj->list_col[s - 1])) {
        snn_set_err(err, len,
                    "projection '%s': list_col[%llu] = %u is outside [%u, %u) or not above the "
                    "entry before it in its row",
                    pj->name, (unsigned long long)s, c, pj->post_begin, pj->post_end);
        return -1;
      }
    }
  }
  return 0;
}

static int claim(unsigned char *used, const snn_model_desc *m, uint32_t slot, const char *what,
                 const char *name, char *err, size_t len) {
  if (slot >= m->num_buffers) {
    snn_set_err(err, len, "%s of '%s' uses buffer slot %u, but the model has only %u slots", what,
                name, slot, m->num_buffers);
    return -1;
  }
  if (used[slot]) {
    snn_set_err(err, len, "%s of '%s' uses buffer slot %u, which is already in use", what, name,
                slot);
    return -1;
  }
  used[slot] = 1;
  return 0;
}

static const char *nm(const char *s) { return s ? s : "(null)"; }

static int check_pops(const snn_model_desc *m, unsigned char *used, char *err, size_t len) {
  if (m->num_populations && !m->populations) {
    snn_set_err(err, len, "model has %u populations but no population table", m->num_populations);
    return -1;
  }
  for (uint32_t i = 0; i < m->num_populations; i++) {
    const snn_population_desc *p = &m->populations[i];
    if (!p->name) {
      snn_set_err(err, len, "population %u has no name", i);
      return -1;
    }
    if (p->num_vars && !p->vars) {
      snn_set_err(err, len, "population '%s' has %u variables but no variable table", p->name,
                  p->num_vars);
      return -1;
    }
    for (uint32_t v = 0; v < p->num_vars; v++) {
      const snn_var_desc *vd = &p->vars[v];
      if (!vd->name) {
        snn_set_err(err, len, "variable %u of population '%s' has no name", v, p->name);
        return -1;
      }
      if (vd->kind != SNN_REAL && vd->kind != SNN_I32) {
        snn_set_err(err, len, "variable '%s.%s' has unknown element kind %u", p->name, vd->name,
                    vd->kind);
        return -1;
      }
      if (claim(used, m, vd->buffer, "variable", vd->name, err, len)) return -1;
    }
    if (p->counts_saturation &&
        (p->saturated_var >= p->num_vars || p->vars[p->saturated_var].kind != SNN_I32)) {
      snn_set_err(err, len, "population '%s': saturated_var %u is not one of its i32 variables",
                  p->name, p->saturated_var);
      return -1;
    }
    if (claim(used, m, p->spike_buffer, "spike buffer", p->name, err, len)) return -1;
    if (claim(used, m, p->spike_count_buffer, "spike count buffer", p->name, err, len)) return -1;
  }
  return 0;
}

static int check_projs(const snn_model_desc *m, unsigned char *used, char *err, size_t len) {
  if (m->num_projections >= (1u << 24)) { /* connectivity streams keep bits 24..31 (rng.c) */
    snn_set_err(err, len, "model has %u projections; at most 2^24 - 1 are supported",
                m->num_projections);
    return -1;
  }
  if (m->num_projections && !m->projections) {
    snn_set_err(err, len, "model has %u projections but no projection table", m->num_projections);
    return -1;
  }
  for (uint32_t j = 0; j < m->num_projections; j++) {
    const snn_projection_desc *pj = &m->projections[j];
    const char *n = nm(pj->name);
    if (!pj->name) {
      snn_set_err(err, len, "projection %u has no name", j);
      return -1;
    }
    if (pj->pre >= m->num_populations || pj->post >= m->num_populations) {
      snn_set_err(err, len, "projection '%s' refers to population %u, but the model has %u", n,
                  pj->pre >= m->num_populations ? pj->pre : pj->post, m->num_populations);
      return -1;
    }
    const snn_population_desc *pre = &m->populations[pj->pre], *post = &m->populations[pj->post];
    if (pj->pre_begin > pj->pre_end || pj->pre_end > pre->size) {
      snn_set_err(err, len, "projection '%s': presynaptic range [%u, %u) is not inside '%s' (%u neurons)",
                  n, pj->pre_begin, pj->pre_end, pre->name, pre->size);
      return -1;
    }
    if (pj->post_begin > pj->post_end || pj->post_end > post->size) {
      snn_set_err(err, len, "projection '%s': postsynaptic range [%u, %u) is not inside '%s' (%u neurons)",
                  n, pj->post_begin, pj->post_end, post->name, post->size);
      return -1;
    }
    uint32_t npre = pj->pre_end - pj->pre_begin, npost = pj->post_end - pj->post_begin;
    if (pj->col_bytes != 0 && pj->col_bytes != 2 && pj->col_bytes != 4) {
      snn_set_err(err, len, "projection '%s': col_bytes %u is not 2 or 4", n, pj->col_bytes);
      return -1;
    }
    if (pj->col_bytes == 2 && npost > 65536) {
      snn_set_err(err, len, "projection '%s': 2-byte columns cannot index %u postsynaptic neurons",
                  n, npost);
      return -1;
    }
    if (pj->pairs && (pj->rule == SNN_FROM_LIST || pj->rule == SNN_FIXED_TOTAL)) {
      snn_set_err(err, len, "projection '%s': rule %u cannot have a pair test", n, pj->rule);
      return -1;
    }
    switch (pj->rule) {
    case SNN_ALL_TO_ALL:
      break;
    case SNN_ONE_TO_ONE:
      if (npre != npost) {
        snn_set_err(err, len, "projection '%s': one_to_one needs ranges of equal length (%u vs %u)",
                    n, npre, npost);
        return -1;
      }
      break;
    case SNN_BERNOULLI:
      if (!(pj->p >= 0.0 && pj->p <= 1.0)) {
        snn_set_err(err, len, "projection '%s': bernoulli probability %g is not in [0, 1]", n, pj->p);
        return -1;
      }
      break;
    case SNN_FIXED_INDEGREE:
    case SNN_FIXED_OUTDEGREE: {
      /* The tightest neuron is one that also lies in the candidates' range when autapses are
       * off: it may not pick itself, so it has one candidate fewer. */
      const int in = pj->rule == SNN_FIXED_INDEGREE;
      const uint32_t chosen = in ? npost : npre, candidates = in ? npre : npost;
      int self = pj->pre == pj->post && !pj->autapses && pj->post_begin < pj->pre_end &&
                 pj->pre_begin < pj->post_end && chosen > 0;
      uint32_t eligible = candidates - (self ? 1u : 0u);
      if (chosen > 0 && pj->k > eligible) {
        snn_set_err(err, len, "projection '%s': %s k = %u exceeds the %u eligible %s neurons", n,
                    in ? "fixed_indegree" : "fixed_outdegree", pj->k, eligible,
                    in ? "presynaptic" : "postsynaptic");
        return -1;
      }
      break;
    }
    case SNN_FROM_LIST:
      if (check_list(pj, err, len)) return -1;
      break;
    case SNN_CONV2D: {
      const snn_conv_desc *g = &pj->conv;
      const uint64_t in = (uint64_t)g->in_c * g->in_h * g->in_w;
      const uint64_t out = (uint64_t)g->out_c * g->out_h * g->out_w;
      const int64_t span_h = (int64_t)g->in_h + 2 * (int64_t)g->padding - g->k_h;
      const int64_t span_w = (int64_t)g->in_w + 2 * (int64_t)g->padding - g->k_w;
      if (g->stride == 0 || g->k_h == 0 || g->k_w == 0 || span_h < 0 || span_w < 0 ||
          in != npre || out != npost || (uint64_t)(span_h / g->stride + 1) != g->out_h ||
          (uint64_t)(span_w / g->stride + 1) != g->out_w || pj->pairs) {
        snn_set_err(err, len,
                    "projection '%s': conv2d geometry (%u x %u x %u in, %u x %u x %u out, kernel "
                    "%u x %u, stride %u, padding %u) does not fit its %u and %u neurons",
                    n, g->in_c, g->in_h, g->in_w, g->out_c, g->out_h, g->out_w, g->k_h, g->k_w,
                    g->stride, g->padding, npre, npost);
        return -1;
      }
      break;
    }
    case SNN_FIXED_TOTAL: {
      uint64_t pairs = snn_eligible_pairs(pj);
      if (pj->total > pairs) {
        snn_set_err(err, len, "projection '%s': fixed_total_number n = %llu exceeds the %llu "
                    "eligible pairs", n, (unsigned long long)pj->total, (unsigned long long)pairs);
        return -1;
      }
      break;
    }
    default:
      snn_set_err(err, len, "projection '%s' has unknown rule %u", n, pj->rule);
      return -1;
    }
    if (claim(used, m, pj->row_ptr_buffer, "row_ptr buffer", n, err, len)) return -1;
    if (claim(used, m, pj->col_buffer, "col buffer", n, err, len)) return -1;
    if (pj->synapse_delays > 1 || (pj->synapse_delays && pj->delay_steps)) {
      snn_set_err(err, len,
                  "projection '%s': synapse_delays must be 0 or 1, and 0 with delay_steps > 0", n);
      return -1;
    }
    if (pj->delay_steps || pj->synapse_delays) {
      if (claim(used, m, pj->ring_buffer, "delay ring", n, err, len)) return -1;
      if (claim(used, m, pj->ring_count_buffer, "delay ring counts", n, err, len)) return -1;
    }
    if (pj->synapse_delays) {
      if (claim(used, m, pj->delay_buffer, "delay buffer", n, err, len)) return -1;
      if (claim(used, m, pj->delay_ptr_buffer, "delay_ptr buffer", n, err, len)) return -1;
      if (claim(used, m, pj->max_delay_buffer, "max_delay buffer", n, err, len)) return -1;
    }
    if (pj->post_index > 1) {
      snn_set_err(err, len, "projection '%s': post_index must be 0 or 1, not %u", n,
                  pj->post_index);
      return -1;
    }
    if (pj->post_index) {
      if (claim(used, m, pj->col_ptr_buffer, "col_ptr buffer", n, err, len)) return -1;
      if (claim(used, m, pj->post_syn_buffer, "post_syn buffer", n, err, len)) return -1;
      if (claim(used, m, pj->post_pre_buffer, "post_pre buffer", n, err, len)) return -1;
    }
    if (pj->num_vars && !pj->vars) {
      snn_set_err(err, len, "projection '%s' has %u synapse variables but no table", n,
                  pj->num_vars);
      return -1;
    }
    for (uint32_t v = 0; v < pj->num_vars; v++) {
      const snn_var_desc *vd = &pj->vars[v];
      if (vd->kind != SNN_REAL && vd->kind != SNN_I32) {
        snn_set_err(err, len, "synapse variable '%s' of '%s' has unknown kind %u",
                    vd->name ? vd->name : "?", n, vd->kind);
        return -1;
      }
      if (claim(used, m, vd->buffer, "synapse variable", vd->name ? vd->name : "?", err, len))
        return -1;
    }
  }
  return 0;
}

static int check_recs(const snn_model_desc *m, char *err, size_t len) {
  if (m->num_recorders && !m->recorders) {
    snn_set_err(err, len, "model has %u recorders but no recorder table", m->num_recorders);
    return -1;
  }
  for (uint32_t r = 0; r < m->num_recorders; r++) {
    const snn_recorder_desc *rd = &m->recorders[r];
    /* The name becomes a file name inside the output directory. */
    if (!rd->name || !rd->name[0] || strchr(rd->name, '/') || !strcmp(rd->name, ".") ||
        !strcmp(rd->name, "..")) {
      snn_set_err(err, len, "recorder %u has an invalid name '%s' (it is used as a file name)", r,
                  nm(rd->name));
      return -1;
    }
    for (uint32_t q = 0; q < r; q++)
      if (!strcmp(m->recorders[q].name, rd->name)) {
        snn_set_err(err, len, "two recorders are named '%s'", rd->name);
        return -1;
      }
    if (rd->kind == SNN_RECORD_SYNAPSES) {
      /* `pop` is a projection index; begin and end are unused. */
      if (rd->pop >= m->num_projections) {
        snn_set_err(err, len, "recorder '%s' refers to projection %u, but the model has %u",
                    rd->name, rd->pop, m->num_projections);
        return -1;
      }
      const snn_projection_desc *pj = &m->projections[rd->pop];
      if (rd->var >= pj->num_vars) {
        snn_set_err(err, len, "recorder '%s' refers to synapse variable %u, but '%s' has %u",
                    rd->name, rd->var, pj->name, pj->num_vars);
        return -1;
      }
      /* It also writes "<name>.synapses.npy", which must not be another recorder's file. */
      size_t nl = strlen(rd->name);
      for (uint32_t q = 0; q < m->num_recorders; q++) {
        const char *o = m->recorders[q].name;
        if (q != r && o && !strncmp(o, rd->name, nl) && !strcmp(o + nl, ".synapses")) {
          snn_set_err(err, len, "recorder '%s' would overwrite '%s.synapses.npy' of recorder '%s'",
                      o, rd->name, rd->name);
          return -1;
        }
      }
      continue; /* every == 0: final values only */
    }
    if (rd->kind != SNN_RECORD_SPIKES && rd->kind != SNN_RECORD_STATE &&
        rd->kind != SNN_RECORD_RATE) {
      snn_set_err(err, len, "recorder '%s' has unknown kind %u", rd->name, rd->kind);
      return -1;
    }
    if (rd->pop >= m->num_populations) {
      snn_set_err(err, len, "recorder '%s' refers to population %u, but the model has %u", rd->name,
                  rd->pop, m->num_populations);
      return -1;
    }
    const snn_population_desc *p = &m->populations[rd->pop];
    if (rd->begin > rd->end || rd->end > p->size) {
      snn_set_err(err, len, "recorder '%s': range [%u, %u) is not inside '%s' (%u neurons)",
                  rd->name, rd->begin, rd->end, p->name, p->size);
      return -1;
    }
    if (rd->kind == SNN_RECORD_STATE) {
      /* every == 0: final values only */
      if (rd->var >= p->num_vars) {
        snn_set_err(err, len, "recorder '%s' refers to variable %u, but '%s' has %u", rd->name,
                    rd->var, p->name, p->num_vars);
        return -1;
      }
    } else if (rd->kind == SNN_RECORD_RATE && rd->every < 1) {
      snn_set_err(err, len, "recorder '%s': rate bin width (every) must be at least 1 step",
                  rd->name);
      return -1;
    } else if (rd->every < 1) {
      snn_set_err(err, len, "recorder '%s': sampling interval must be at least 1 step", rd->name);
      return -1;
    }
  }
  return 0;
}

/* Whether this CPU has every x86 extension the model's code may use (m->isa): running it anyway
 * would end in an illegal instruction part-way. */
static int check_isa(const snn_model_desc *m, char *err, size_t len) {
  if (!m->isa || !*m->isa) return 0;
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
  __builtin_cpu_init();
  char missing[256] = "";
  const char *p = m->isa;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char name[32];
    if (n < sizeof name) {
      memcpy(name, p, n);
      name[n] = '\0';
      int have = 1;
#define SNN_ISA(s) else if (!strcmp(name, s)) have = __builtin_cpu_supports(s)
      if (0) {
      }
      SNN_ISA("sse4.1"); SNN_ISA("sse4.2"); SNN_ISA("avx"); SNN_ISA("avx2"); SNN_ISA("fma");
      SNN_ISA("bmi"); SNN_ISA("bmi2"); SNN_ISA("avx512f"); SNN_ISA("avx512dq");
      SNN_ISA("avx512bw"); SNN_ISA("avx512vl"); SNN_ISA("avx512cd");
#undef SNN_ISA
      if (!have && strlen(missing) + n + 3 < sizeof missing) {
        if (*missing) strcat(missing, ", ");
        strcat(missing, name);
      }
    }
    p += n + (e ? 1 : 0);
  }
  if (*missing) {
    snn_set_err(err, len,
                "model '%s' was compiled for %s, which this CPU lacks (compile it for this machine, "
                "or with -mcpu/-mattr that it supports)",
                m->name, missing);
    return -1;
  }
#else
  (void)err, (void)len;
#endif
  return 0;
}

int snn_validate_model(const snn_model_desc *m, char *err, size_t len) {
  if (!m) {
    snn_set_err(err, len, "no model descriptor");
    return -1;
  }
  if (m->abi_version != SNN_ABI_VERSION) {
    snn_set_err(err, len, "model was compiled for runtime ABI version %u, this runtime has %u",
                m->abi_version, SNN_ABI_VERSION);
    return -1;
  }
  if (!m->name) {
    snn_set_err(err, len, "model has no name");
    return -1;
  }
  if (m->real_size != 4 && m->real_size != 8) {
    snn_set_err(err, len, "model '%s': real_size must be 4 or 8, not %u", m->name, m->real_size);
    return -1;
  }
  if (!(m->dt > 0.0) || !isfinite(m->dt)) {
    snn_set_err(err, len, "model '%s': time step dt = %g must be positive and finite", m->name,
                m->dt);
    return -1;
  }
  if (!(m->duration >= 0.0) || !isfinite(m->duration)) {
    snn_set_err(err, len, "model '%s': default duration %g must be non-negative and finite",
                m->name, m->duration);
    return -1;
  }
  if (!m->init || !m->step) {
    snn_set_err(err, len, "model '%s' lacks its %s kernel", m->name, m->init ? "step" : "init");
    return -1;
  }
  for (uint32_t k = 0; k < m->num_kernels; k++) {
    const snn_kernel_desc *kd = &m->kernels[k];
    if (!kd->fn || ((kd->tile || kd->by_post) && kd->pop >= m->num_populations)) {
      snn_set_err(err, len, "model '%s': kernel %u is malformed", m->name, k);
      return -1;
    }
  }
  if (check_isa(m, err, len)) return -1;
  if (m->num_params && !m->params) {
    snn_set_err(err, len, "model '%s' has %u parameters but no table", m->name, m->num_params);
    return -1;
  }
  for (uint32_t k = 0; k < m->num_params; k++) {
    const snn_param_desc *pd = &m->params[k];
    int ok = pd->name && pd->pop < m->num_populations && isfinite(pd->value);
    if (ok && pd->buffer != SNN_NO_BUFFER) {
      /* A run-time parameter lives in a real variable of its population. */
      const snn_population_desc *pop = &m->populations[pd->pop];
      int found = 0;
      for (uint32_t v = 0; v < pop->num_vars; v++)
        found |= pop->vars[v].buffer == pd->buffer && pop->vars[v].kind == SNN_REAL;
      ok = found;
    }
    if (!ok) {
      snn_set_err(err, len, "model '%s': parameter %u is malformed", m->name, k);
      return -1;
    }
  }
  if (m->num_changes && !m->changes) {
    snn_set_err(err, len, "model '%s' has %u changes but no table", m->name, m->num_changes);
    return -1;
  }
  for (uint32_t k = 0; k < m->num_changes; k++) {
    const snn_change_desc *c = &m->changes[k];
    if (c->step < 0 || (k && c->step < m->changes[k - 1].step) || c->param >= m->num_params ||
        m->params[c->param].buffer == SNN_NO_BUFFER || !isfinite(c->value)) {
      snn_set_err(err, len, "model '%s': change %u is malformed", m->name, k);
      return -1;
    }
  }
  if (m->num_systems && !m->systems) {
    snn_set_err(err, len, "model '%s' has %u systems but no table", m->name, m->num_systems);
    return -1;
  }
  for (uint32_t k = 0; k < m->num_systems; k++) {
    const snn_system_desc *sd = &m->systems[k];
    int ok = sd->n > 0 && sd->n <= 64 && sd->coeffs && sd->b_const && sd->frozen && sd->phi &&
             sd->gamma && sd->constant && sd->pop < m->num_populations;
    for (uint32_t i = 0; ok && i < sd->n * sd->n; i++)
      ok = sd->phi[i] < m->num_buffers && sd->gamma[i] < m->num_buffers &&
           (!sd->phi_r || (sd->phi_r[i] < m->num_buffers && sd->gamma_r[i] < m->num_buffers));
    for (uint32_t i = 0; ok && i < sd->n; i++)
      ok = sd->constant[i] < m->num_buffers && (!sd->phi_r || sd->constant_r[i] < m->num_buffers);
    if (!ok) {
      snn_set_err(err, len, "model '%s': system %u is malformed", m->name, k);
      return -1;
    }
  }
  unsigned char *used = calloc(m->num_buffers ? m->num_buffers : 1, 1);
  if (!used) {
    snn_set_err(err, len, "out of memory");
    return -1;
  }
  int rc = check_pops(m, used, err, len);
  if (!rc) rc = check_projs(m, used, err, len);
  if (!rc) rc = check_recs(m, err, len);
  for (uint32_t s = 0; !rc && s < m->num_buffers; s++)
    if (!used[s]) {
      snn_set_err(err, len, "buffer slot %u is not named by any variable, spike buffer or projection",
                  s);
      rc = -1;
    }
  free(used);
  return rc;
}
