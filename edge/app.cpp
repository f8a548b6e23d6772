#include "edge/app.h"

#include <chrono>

namespace onramp {

int64_t system_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace onramp
