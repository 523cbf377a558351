/*
 * outfile.c — output files that appear whole or not at all: each is written to a temporary file
 * beside its final name (".<name>.part-<pid>", in the same directory so that the rename cannot
 * cross file systems) and renamed over the final name only once every byte is written and the
 * file is flushed and closed. A failed or interrupted write (disk full, I/O error, a kill) leaves
 * at most the temporary, never a truncated file under the real name.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int snn_out_open(snn_out *o, const char *path, char *err, size_t len) {
  memset(o, 0, sizeof *o);
  o->path = path;
  const char *slash = strrchr(path, '/');
  size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
  size_t n = strlen(path) + 48;
  if (!(o->tmp = malloc(n))) return snn_set_err(err, len, "out of memory"), -1;
  snprintf(o->tmp, n, "%.*s.%s.part-%ld", (int)dir, path, path + dir, (long)getpid());
  if (!(o->f = fopen(o->tmp, "wb"))) {
    snn_set_err(err, len, "cannot create '%s': %s", path, strerror(errno));
    free(o->tmp);
    o->tmp = NULL;
    return -1;
  }
  return 0;
}

void snn_out_abort(snn_out *o) {
  if (o->f) fclose(o->f);
  if (o->tmp) unlink(o->tmp);
  free(o->tmp);
  memset(o, 0, sizeof *o);
}

int snn_out_commit(snn_out *o, char *err, size_t len) {
  int bad = ferror(o->f) || fflush(o->f) != 0;
  int e = errno;
  if (!bad && fsync(fileno(o->f)) != 0 && errno != EINVAL && errno != EROFS) bad = 1, e = errno;
  if (fclose(o->f) != 0 && !bad) bad = 1, e = errno;
  o->f = NULL;
  if (!bad && rename(o->tmp, o->path) != 0) bad = 1, e = errno;
  if (bad) {
    snn_set_err(err, len, "error writing '%s': %s (nothing written under that name)", o->path,
                strerror(e ? e : EIO));
    unlink(o->tmp);
  }
  free(o->tmp);
  o->tmp = NULL;
  return bad ? -1 : 0;
}
