// Looking a module up by id in the generated table (module.h).
#include "edge/platforms/module.h"

namespace onramp::platforms {

const Module* find_module(std::string_view id) {
    for (const Module* m : modules())
        if (m->id == id) return m;
    return nullptr;
}

}  // namespace onramp::platforms
