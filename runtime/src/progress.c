/*
 * progress.c — the progress bar of a run, drawn on stderr with '\r' only when stderr is a terminal
 * (so logs and pipes stay clean), and redrawn at most ~10 times per second so it never costs
 * noticeable time.
 */
#include "internal.h"

#include <stdio.h>
#include <unistd.h>

#define BAR_WIDTH 24
/* Lines are padded to this width so a shorter line fully overwrites a longer previous one. */
#define LINE_WIDTH 96

void snn_progress_begin(snn_progress *p, int want, int64_t total, double dt, double sim_t0) {
  p->enabled = want && total > 0 && isatty(fileno(stderr));
  p->drawn = 0;
  p->total = total;
  p->dt = dt;
  p->sim_t0 = sim_t0;
  p->t_start = p->last_draw = snn_now();
}

void snn_progress_update(snn_progress *p, int64_t done) {
  if (!p->enabled) return;
  double now = snn_now();
  if (now - p->last_draw < 0.1) return;
  p->last_draw = now;
  double frac = (double)done / (double)p->total;
  double elapsed = now - p->t_start;
  double eta = frac > 0 ? elapsed * (1.0 - frac) / frac : 0.0;
  char bar[BAR_WIDTH + 1];
  int full = (int)(frac * BAR_WIDTH);
  for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < full ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  char t[32], tt[32], el[32], et[32];
  snn_format_time(p->sim_t0 + (double)done * p->dt, t, sizeof t);
  snn_format_time(p->sim_t0 + (double)p->total * p->dt, tt, sizeof tt);
  snn_format_time(elapsed, el, sizeof el);
  snn_format_time(eta, et, sizeof et);
  char line[512];
  snprintf(line, sizeof line, "[%s] %5.1f%%  t = %s / %s  elapsed %s  ETA %s", bar, 100.0 * frac,
           t, tt, el, et);
  fprintf(stderr, "\r%-*s", LINE_WIDTH, line);
  fflush(stderr);
  p->drawn = 1;
}

void snn_progress_end(snn_progress *p) {
  if (!p->enabled || !p->drawn) return;
  fprintf(stderr, "\r%*s\r", LINE_WIDTH, "");
  fflush(stderr);
  p->drawn = 0;
}
