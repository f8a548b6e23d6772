// Request counting by route pattern from access lines
// (edge/metrics/requests.h).
#include "edge/metrics/requests.h"

#include <charconv>
#include <cstring>

namespace onramp::metrics {

namespace {

// Distinct (method, status, path) keys kept; past it the cache starts over,
// so paths full of ids cannot grow it without bound.
constexpr size_t kCacheLimit = 4096;

// The value after "key": in a one-line JSON object. Inside a JSON string a
// quote is always escaped, so "key": cannot be matched inside a value.
std::string_view after_key(std::string_view line, std::string_view quoted_key) {
    size_t at = line.find(quoted_key);
    return at == std::string_view::npos ? std::string_view() : line.substr(at + quoted_key.size());
}

// A JSON string's content up to its closing (unescaped) quote.
std::optional<std::string_view> string_value(std::string_view rest) {
    if (rest.empty() || rest[0] != '"') return std::nullopt;
    for (size_t i = 1; i < rest.size(); ++i) {
        if (rest[i] == '\\') ++i;
        else if (rest[i] == '"') return rest.substr(1, i - 1);
    }
    return std::nullopt;
}

// httplib serves these; anything else (a pre-routing refusal of an odd
// method) is counted as "other", so a client cannot mint label values.
std::string_view method_label(std::string_view m) {
    for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
        if (m == known) return known;
    return "other";
}

}  // namespace

std::optional<AccessFields> parse_access_line(std::string_view line) {
    AccessFields f;
    auto method = string_value(after_key(line, "\"method\":"));
    auto path = string_value(after_key(line, "\"path\":"));
    std::string_view status = after_key(line, "\"status\":");
    if (!method || !path || status.empty()) return std::nullopt;
    auto [end, ec] = std::from_chars(status.data(), status.data() + status.size(), f.status);
    if (ec != std::errc() || f.status < 100 || f.status > 599) return std::nullopt;
    f.method = *method;
    f.path = *path;
    return f;
}

Value& RequestCounter::series(const AccessFields& f) {
    std::string_view method = method_label(f.method);
    std::string_view route = router_.pattern_for(std::string(method), std::string(f.path));
    char status[4];
    std::to_chars(status, status + 3, f.status);
    return requests_.at({method, route.empty() ? "unmatched" : route, std::string_view(status, 3)});
}

void RequestCounter::count(std::string_view access_line) {
    auto f = parse_access_line(access_line);
    if (!f) return;
    // The key "METHOD STATUS PATH" is built on the stack: no allocation for
    // a request whose key is cached. Longer paths are not cached.
    char key[512];
    size_t n = f->method.size() + 5 + f->path.size();
    if (n > sizeof key) return series(*f).add();
    char* p = key;
    std::memcpy(p, f->method.data(), f->method.size());
    p += f->method.size();
    *p++ = ' ';
    p = std::to_chars(p, p + 3, f->status).ptr;
    *p++ = ' ';
    std::memcpy(p, f->path.data(), f->path.size());
    p += f->path.size();
    std::string_view k(key, size_t(p - key));
    {
        std::lock_guard<std::mutex> lock(mu_);
        if (auto it = cache_.find(k); it != cache_.end()) return it->second->add();
    }
    Value& v = series(*f);
    v.add();
    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_.emplace(std::string(k), &v);
}

}  // namespace onramp::metrics
