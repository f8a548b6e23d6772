// Helpers shared by the schemes' verifiers (edge/webhooks/*.cpp and
// edge/platforms/<id>/webhook.cpp), and the verifiers of the schemes that
// are not platforms. Private to the schemes: callers use verify.h and
// scheme.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edge/webhooks/verify.h"

namespace onramp::webhooks::detail {

Verdict fail(Failure failure, std::string reason);
// A valid verdict. The id and topic are kept only when token_or_empty()
// keeps them.
Verdict accept(std::string delivery_id = {}, std::string topic = {});

// `text` when it is a token as every platform's ids and topics are: 1 to 200
// visible ASCII characters; "" otherwise. Security: ids and topics are stored
// and listed as JSON, and on Shopify, WooCommerce, Twilio and Chatwoot they
// come from headers outside the MAC, which anyone replaying a captured
// delivery chooses; bytes that are not UTF-8 would make every later listing
// of the connection's deliveries fail to serialise.
std::string token_or_empty(std::string text);

// Received text inside a reason, in double quotes: at most 64 bytes, and
// every byte that is not printable ASCII (or is a quote or backslash)
// written as \xNN, because a reason becomes the 401's JSON detail and a log
// line, where raw bytes would be invalid UTF-8 or forge a line.
std::string quoted(std::string_view text);

// The non-empty keys: an empty string is a key anyone knows, so it never
// counts as a configured secret.
std::vector<std::string_view> usable_keys(const std::vector<std::string>& keys);
Verdict no_secret();

// A header that must appear exactly once. On nullopt `error` says whether it
// was missing or repeated. Security: two copies of a signature header mean an
// intermediary and this code may disagree on which one was checked.
std::optional<std::string_view> single_header(const Headers& headers, std::string_view name,
                                              Verdict* error);
// First value of an informational header (ids, topics), "" when absent.
std::string header_or_empty(const Headers& headers, std::string_view name);
bool has_header(const Headers& headers, std::string_view name);

// For the signers: replaces every copy of header `name` with one `value`;
// the first value of `name`, or `fallback` when absent.
void set_header(Delivery& delivery, std::string_view name, std::string value);
std::string header_or(const Delivery& delivery, std::string_view name, std::string_view fallback);

// Lower-case media type without parameters: "application/json".
std::string media_type(const Delivery& delivery);

// Unix seconds written as 1..18 ASCII digits; anything else (sign, space,
// fraction, exponent) is nullopt, because a timestamp that parses loosely can
// be re-spelled by an attacker without changing what the MAC covers.
std::optional<int64_t> parse_unix_seconds(std::string_view text);

// "t=1614265330 is 400 s in the past; allowed 300 s"
std::string describe_skew(int64_t timestamp, int64_t now, int64_t tolerance);

// A top-level string or integer member of a JSON object body, as text; ""
// when the body is not JSON or has no such member. Only read after the
// signature verified, to fill Verdict::delivery_id and topic.
std::string json_member(std::string_view body, const char* name);

// The Standard Webhooks scheme (Svix, Clerk, BigCommerce): HMAC-SHA256 with
// each of `keys` (raw key bytes) over "{id}.{timestamp}.{body}", compared
// with every "v1,<base64>" entry. `svix_first` chooses which header family
// is reported missing when neither svix-* nor webhook-* is complete.
Verdict verify_standard_webhooks(const Delivery& delivery, const std::vector<std::string>& keys,
                                 bool svix_first, int64_t tolerance, int64_t now);

Verdict verify_svix(const Delivery& delivery, const Secrets& secrets, int64_t now, bool svix_first);

// application/x-www-form-urlencoded pairs, decoded ('+' a space, %XX a
// byte; a malformed escape stays literal, as Python's unquote_plus leaves it).
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view text);

}  // namespace onramp::webhooks::detail
