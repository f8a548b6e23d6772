// Router::pattern_for: the route pattern a request path matches, for
// counting requests by route (edge/metrics/requests.h) rather than by raw
// path, whose ids would make one metric series per object.
#include "edge/http/router.h"

namespace onramp::http {

// The matched route's pattern, "" when no route matches. A view into the
// route table, valid while the router lives.
std::string_view Router::pattern_for(const std::string& method, const std::string& path) const {
    const Route* r = match(method, path, nullptr, nullptr);
    return r ? std::string_view(r->pattern) : std::string_view();
}

}  // namespace onramp::http
