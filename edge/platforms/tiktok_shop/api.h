// What the TikTok Shop folder's files share: the Open API's request
// signature, its answer envelope, and the authorized-shops call that both
// the connector and the sign-in need. Wire facts and sources:
// docs/platforms/tiktok_shop.md.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "edge/connectors/wire.h"

namespace onramp::platforms::tiktok_shop {

// Every path carries its version (/product/202309/...); Onramp speaks 202309.
inline constexpr std::string_view kVersion = "202309";
// Where the access token goes from version 202309 on: a header, outside
// the signature, never the query.
inline constexpr std::string_view kAccessTokenHeader = "x-tts-access-token";
// How far a request's timestamp may be from TikTok Shop's clock.
inline constexpr int64_t kTimestampToleranceS = 300;
// The largest page_size the search endpoints take.
inline constexpr int kMaxPageSize = 100;

// A request's query parameters by name. std::map keeps them sorted by
// byte order, the order the signature wants.
using Query = std::map<std::string, std::string>;

// The `sign` query parameter of a request
// (https://partner.tiktokshop.com/doc/page/274638, "Sign your API request"):
// every query parameter but `sign` and `access_token`, sorted by name and
// written as name then value with no separators; the path (no host, no
// query) before them and the body exactly as sent after them (a
// multipart/form-data body is left out: pass ""); the app secret on both
// ends; then the lowercase hex HMAC-SHA256 of that, keyed with the app
// secret. Values are taken as they are, before percent-encoding.
std::string sign(std::string_view app_secret, std::string_view path, const Query& query, std::string_view body);

// The query string of `query`, percent-encoded, without "?".
std::string encode_query(const Query& query);

// One call to TikTok Shop, read through its envelope
// {"code", "message", "data", "request_id"}: `data` when code is 0; else a
// Failure naming the code and message (401 and 403 keep their causes).
connectors::Outcome<nlohmann::json> call(connectors::CallContext& ctx, const connectors::wire::Request& req);

// A shop the seller authorized the app for
// (GET /authorization/202309/shops).
struct Shop {
    std::string id, name, region, seller_type, cipher, code;
};

// The authorized shops, signed with creds app_key and app_secret and
// authenticated with `access_token` (step "fetch_shops").
connectors::Outcome<std::vector<Shop>> authorized_shops(connectors::CallContext& ctx,
                                                        const connectors::Credentials& creds,
                                                        const std::string& access_token);

// A signed request to the Open API: app_key, timestamp (the system clock)
// and sign added to `query`, the access token in its header. `body`
// is sent as it is and signed as it is; "" for a GET.
connectors::wire::Request signed_request(const connectors::CallContext& ctx, const connectors::Credentials& creds,
                                         const std::string& access_token, std::string step, std::string method,
                                         const std::string& path, Query query, std::string body = "");

// Unix seconds by the context's clock (CallContext::now), else the
// system's: what access-token expiries are compared with.
int64_t now(const connectors::CallContext& ctx);

}  // namespace onramp::platforms::tiktok_shop

namespace onramp::connectors {
const Platform& tiktok_shop_platform();
}
