// Demo mode: a ready-made operator and organization so that a new user can
// sign in right after `serve --demo` without creating anything first.
#pragma once

#include <string>

#include "edge/app.h"

namespace onramp {

struct DemoLogin {
    std::string email;
    std::string password;
    std::string org_id;
};

// Idempotent: creates the demo operator and demo organization only once.
// The password is fixed and printed: the demo runs offline on loopback
// with mock platforms and holds nothing worth protecting.
DemoLogin seed_demo(App& app);

}  // namespace onramp
