// The mock's demo Meta app and Page (module.cpp): what the mock accepts
// (mock.cpp) and what the sign-in uses in demo mode (oauth.cpp).
#pragma once

#include <string>

namespace onramp::platforms::meta {

struct Demo {
    std::string app_id, app_secret, verify_token;
    std::string page_id, page_name, page_token;
};

const Demo& demo();

}  // namespace onramp::platforms::meta
