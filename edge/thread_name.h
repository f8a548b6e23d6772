// Names the calling thread, so that `top -H`, `ps -L` and a profiler show
// which part of the edge a busy thread belongs to (the inbox's committer,
// the webhook worker, ...). Linux keeps at most 15 characters. The main
// thread keeps the process's name: tools find the server by it.
#pragma once

#include <pthread.h>

namespace onramp {

inline void name_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace onramp
