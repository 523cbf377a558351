// runOnLargeStack (see LargeStack.h).
#include "snn/Basic/LargeStack.h"

#include <pthread.h>

namespace snn {
namespace {

struct MainCall {
  int (*main)(int, char **);
  int argc;
  char **argv;
  int rc;
};

void *callMain(void *p) {
  auto *c = static_cast<MainCall *>(p);
  c->rc = c->main(c->argc, c->argv);
  return nullptr;
}

} // namespace

int runOnLargeStack(int (*main)(int, char **), int argc, char **argv) {
  MainCall call{main, argc, argv, 1};
  pthread_attr_t attr;
  pthread_t thread;
  if (pthread_attr_init(&attr) != 0)
    return main(argc, argv);
  bool started = pthread_attr_setstacksize(&attr, kLargeStackBytes) == 0 &&
                 pthread_create(&thread, &attr, callMain, &call) == 0;
  pthread_attr_destroy(&attr);
  if (!started)
    return main(argc, argv);
  pthread_join(thread, nullptr);
  return call.rc;
}

} // namespace snn
