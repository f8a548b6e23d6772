// libFuzzer target: a webhook delivery, checked by the server's verifier.
//
// Input layout (tests/fuzz/webhooks/ has seeds for every scheme):
//
//   the scheme's name (webhooks::schemes(): "shopify", "stripe", ...), a space
//   one byte   flags, its low four bits ('0'..'9', ':'..'?'):
//                1  sign the delivery validly (the scheme's Scheme::sign)
//                   after parsing it, replacing any signature headers it
//                   carries, so fuzzing gets past the MAC into what follows
//                2  the secret is the second key, as during a rotation
//                4  sign with a timestamp 1000 s in the past
//                8  the scheme's other configuration (Scheme::example_secrets
//                   with `variant`: e.g. CallRail's MAC in hex, BigCommerce
//                   with an app client secret), and a GET request
//   then       "Name: value" header lines, an empty line, the URL on one
//              line, and the body (the rest, byte for byte)
//
// The secrets are fixed; the clock is fixed. A valid delivery's body is then
// read as the receiver and the worker read it (topic, action).
//
// Besides the sanitizers, the target checks:
//   - a delivery this target signed is never a signature mismatch or a bad
//     encoding (the signer and the verifier agree; schemes that sign the
//     URL, whose verifiers read its query and the method, are left out);
//   - the verdict's reason, delivery id and topic serialise as JSON, since
//     the reason is the 401's detail and the others are listed by
//     GET .../webhooks.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "edge/webhooks/internal.h"
#include "edge/webhooks/scheme.h"

namespace {

using namespace onramp::webhooks;

constexpr int64_t kNow = 1700000000;
constexpr int64_t kStale = kNow - 1000;

enum Flag : unsigned { sign = 1, rotated = 2, stale = 4, alternative = 8 };

[[noreturn]] void broken(const Scheme& p, const std::string& what) {
    std::fprintf(stderr, "fuzz webhooks: %s: %s\n", std::string(p.name).c_str(), what.c_str());
    std::abort();
}

std::string_view next_line(std::string_view* rest) {
    size_t nl = rest->find('\n');
    std::string_view line = rest->substr(0, nl);
    rest->remove_prefix(nl == std::string_view::npos ? rest->size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Headers, URL and body out of the text after the two leading bytes.
Delivery parse_delivery(std::string_view text) {
    Delivery d;
    while (!text.empty()) {
        std::string_view line = next_line(&text);
        if (line.empty()) break;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        d.headers.emplace(std::string(line.substr(0, colon)), std::string(value));
    }
    d.url = std::string(next_line(&text));
    d.body = std::string(text);
    return d;
}

void expect_json_text(const Scheme& p, const char* what, const std::string& text) {
    try {
        (void)nlohmann::json(text).dump();
    } catch (const nlohmann::json::exception& e) {
        broken(p, std::string("the verdict's ") + what + " does not serialise as JSON: " + e.what());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    size_t space = input.find(' ');
    if (space == std::string_view::npos || space + 1 >= input.size()) return 0;
    const Scheme* found = find_scheme(input.substr(0, space));
    if (!found) return 0;
    const Scheme& platform = *found;
    unsigned flags = uint8_t(input[space + 1]) & 0x0Fu;
    Delivery d = parse_delivery(input.substr(space + 2));
    if (platform.signs_url && (flags & alternative)) d.method = "GET";

    Secrets signing = platform.example_secrets(flags & alternative);
    Secrets secrets = signing;
    if (flags & rotated) secrets.keys.insert(secrets.keys.begin(), "the-previous-secret");
    if (flags & sign) platform.sign(d, signing, (flags & stale) ? kStale : kNow);

    Verdict v = verify(platform, d, secrets, kNow);
    expect_json_text(platform, "reason", v.reason);
    if ((flags & sign) && !platform.signs_url &&
        (v.failure == Failure::mismatch || v.failure == Failure::bad_encoding))
        broken(platform, "a delivery signed by Scheme::sign fails verification: " + v.reason);
    if (!v.valid) return 0;

    // What the receiver stores and the worker does with a verified delivery.
    std::string scheme(platform.name);
    std::string topic = v.topic.empty() ? topic_from_body(scheme, d.body, detail::media_type(d)) : v.topic;
    expect_json_text(platform, "delivery id", v.delivery_id);
    expect_json_text(platform, "topic", topic);
    Action a = classify(scheme, topic, d.body);
    expect_json_text(platform, "action's reason", a.why);
    return 0;
}
