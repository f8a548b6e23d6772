// TikTok Shop's request signature, answer envelope and authorized shops
// (api.h).
#include "edge/platforms/tiktok_shop/api.h"

#include <ctime>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"

namespace onramp::platforms::tiktok_shop {

using connectors::Cause;
using connectors::Failure;
using connectors::Outcome;
using nlohmann::json;
namespace wire = connectors::wire;

std::string sign(std::string_view app_secret, std::string_view path, const Query& query, std::string_view body) {
    std::string message(app_secret);
    message += path;
    for (const auto& [name, value] : query)
        if (name != "sign" && name != "access_token") message += name + value;
    message += body;
    message += app_secret;
    return crypto::hex_encode(crypto::hmac_sha256(app_secret, message));
}

std::string encode_query(const Query& query) {
    std::string out;
    for (const auto& [name, value] : query) {
        if (!out.empty()) out += '&';
        out += wire::url_encode(name) + "=" + wire::url_encode(value);
    }
    return out;
}

int64_t now(const connectors::CallContext& ctx) { return ctx.now ? ctx.now() : int64_t(std::time(nullptr)); }

Outcome<json> call(connectors::CallContext& ctx, const wire::Request& req) {
    const connectors::Platform& platform = connectors::tiktok_shop_platform();
    auto res = wire::send(platform, ctx, req);
    if (!res) return res.failure();
    auto body = wire::parse_json(res->body);
    json code = body ? wire::member(*body, "code") : json();
    std::string said = body ? wire::text(*body, "message") : "";
    if (code.is_number_integer() && code.get<int64_t>() != 0) said = std::to_string(code.get<int64_t>()) + " " + said;
    if (res->status < 200 || res->status > 299) return wire::status_failure(platform, ctx, req.step, *res, said);
    if (!code.is_number_integer()) return wire::unreadable(platform, req.step, "no code in the answer");
    if (code.get<int64_t>() != 0) {
        Failure f = wire::status_failure(platform, ctx, req.step, *res, said);
        f.cause = Cause::platform_error;
        f.message = "TikTok Shop refused the request (" + said.substr(0, 200) + ").";
        return f;
    }
    json data = wire::member(*body, "data");
    return data.is_null() ? json::object() : data;
}

wire::Request signed_request(const connectors::CallContext& ctx, const connectors::Credentials& creds,
                             const std::string& access_token, std::string step, std::string method,
                             const std::string& path, Query query, std::string body) {
    auto value = [&creds](const char* name) {
        auto it = creds.find(name);
        return it == creds.end() ? std::string() : it->second;
    };
    query["app_key"] = value("app_key");
    // TikTok Shop holds it against its own clock: the system's, whatever
    // clock the context gives expiries.
    query["timestamp"] = std::to_string(int64_t(std::time(nullptr)));
    query["sign"] = sign(value("app_secret"), path, query, body);
    wire::Request r;
    r.step = std::move(step);
    r.method = std::move(method);
    r.url = wire::base_url(ctx, "tiktok_shop", "https://open-api.tiktokglobalshop.com", creds) + path + "?" +
            encode_query(query);
    r.headers = {{std::string(kAccessTokenHeader), access_token}, {"Accept", "application/json"}};
    if (!body.empty()) r.content_type = "application/json";
    r.body = std::move(body);
    return r;
}

Outcome<std::vector<Shop>> authorized_shops(connectors::CallContext& ctx, const connectors::Credentials& creds,
                                            const std::string& access_token) {
    const std::string path = "/authorization/" + std::string(kVersion) + "/shops";
    auto data = call(ctx, signed_request(ctx, creds, access_token, "fetch_shops", "GET", path, {}));
    if (!data) return data.failure();
    json list = wire::member(*data, "shops");
    if (!list.is_array())
        return wire::unreadable(connectors::tiktok_shop_platform(), "fetch_shops", "no shops array");
    std::vector<Shop> shops;
    for (const json& s : list)
        shops.push_back({wire::text(s, "id"), wire::text(s, "name"), wire::text(s, "region"),
                         wire::text(s, "seller_type"), wire::text(s, "cipher"), wire::text(s, "code")});
    return shops;
}

}  // namespace onramp::platforms::tiktok_shop
