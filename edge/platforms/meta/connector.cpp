// Meta's Graph API for a Facebook Page and the Instagram account linked to
// it (https://developers.facebook.com/docs/graph-api).
//
//   auth        the Page access token the sign-in issued (oauth.cpp), sent as
//               Authorization: Bearer (https://developers.facebook.com/docs/facebook-login/guides/access-tokens)
//   base        https://graph.facebook.com/{kGraphVersion}   (override key "meta")
//   test        GET /me?fields=id,name with the Page token: the Page itself, the
//               cheapest read that proves the token (step fetch_page); its id
//               must be the connection's page_id
//   resources   none: a Page's messages and comments arrive as webhook
//               notifications (webhook.cpp); nothing is imported
//   errors      {"error": {"message", "type", "code", "fbtrace_id"}}; code 190 is
//               an invalid or expired token
//               (https://developers.facebook.com/docs/graph-api/guides/error-handling)
//
// Security: the token travels in a header, never in a URL, and no message
// quotes it.
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"
#include "edge/platforms/meta/graph.h"

namespace onramp::platforms::meta {

using nlohmann::json;
namespace wire = connectors::wire;

std::string graph_base(const connectors::CallContext& ctx) {
    return wire::base_url(ctx, "meta", "https://graph.facebook.com", {}) + "/" + std::string(kGraphVersion);
}

connectors::Outcome<json> graph_get(connectors::CallContext& ctx, const std::string& step,
                                    const std::string& path_and_query, const std::string& token) {
    const connectors::Platform& platform = *connectors::find_platform("meta");
    wire::Request r;
    r.step = step;
    r.url = graph_base(ctx) + path_and_query;
    r.headers = {{"Accept", "application/json"}};
    if (!token.empty()) r.headers.emplace("Authorization", "Bearer " + token);
    auto res = wire::send(platform, ctx, r);
    if (!res) return res.failure();
    auto body = wire::parse_json(res->body);
    if (res->status >= 200 && res->status <= 299) {
        if (!body || !body->is_object()) return wire::unreadable(platform, step, "the answer is not a JSON object");
        return *body;
    }
    json error = body ? wire::member(*body, "error") : json();
    connectors::Failure f = wire::status_failure(platform, ctx, step, *res, wire::text(error, "message"));
    if (wire::member(error, "code") == json(190)) {
        f.cause = connectors::Cause::credential_rejected;
        f.field = "page_access_token";
        f.message = "Facebook did not accept the Page access token (it expired or was revoked). Sign in with "
                    "Facebook again to issue a new one.";
    }
    return f;
}

}  // namespace onramp::platforms::meta

namespace onramp::connectors {

namespace {

using nlohmann::json;

class Meta final : public Platform {
public:
    Meta() : Platform(catalog_entry("meta")) {}

    std::vector<Resource> resources() const override { return {}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto page = platforms::meta::graph_get(ctx, "fetch_page", "/me?fields=id,name", creds.at("page_access_token"));
        if (!page) {
            out.failure = page.failure();
            return out;
        }
        out.verified.account_id = wire::text(*page, "id");
        out.verified.account_name = wire::text(*page, "name");
        out.verified.details = {{"id", wire::member(*page, "id")}, {"name", wire::member(*page, "name")}};
        if (out.verified.account_id != creds.at("page_id")) {
            Failure f;
            f.step = "fetch_page";
            f.cause = Cause::credential_rejected;
            f.field = "page_id";
            f.message = "Facebook accepted the token, but it belongs to another Page than " + creds.at("page_id") +
                        ". Sign in with Facebook again and choose this Page.";
            out.failure = f;
        }
        return out;
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        ProxyTarget t;
        t.base_url = platforms::meta::graph_base(ctx);
        t.headers = {{"Accept", "application/json"}, {"Authorization", "Bearer " + creds.at("page_access_token")}};
        return t;
    }
};

}  // namespace

const Platform& meta_platform() {
    static const Meta platform;
    return platform;
}

}  // namespace onramp::connectors
