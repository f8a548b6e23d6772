// The mock's demo Meta app and Page (module.cpp): what the mock accepts
// (mock.cpp) and what the sign-in uses in demo mode (oauth.cpp).
#pragma once

#include <string>
#include <vector>

namespace onramp::platforms::meta {

struct DemoPage {
    std::string id, name, token;
};

// The demo person manages two Pages, so the sign-in asks which one to
// connect; the first is the one the demo credentials name.
struct Demo {
    std::string app_id, app_secret, verify_token;
    std::vector<DemoPage> pages;
};

const Demo& demo();

}  // namespace onramp::platforms::meta
