#include "edge/connectors/shopify_oauth.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"

namespace onramp::connectors::shopify_oauth {

namespace {

std::string escape(const std::string& s, bool key) {
    std::string out;
    for (char c : s) {
        if (c == '%') out += "%25";
        else if (c == '&') out += "%26";
        else if (key && c == '=') out += "%3D";
        else out += c;
    }
    return out;
}

std::string base(const CallContext& ctx, const std::string& shop) {
    return wire::base_url(ctx, "shopify", "https://{shop_domain}", {{"shop_domain", shop}});
}

}  // namespace

std::string scopes() {
    std::string out;
    const Platform* p = find_platform("shopify");
    if (!p) return out;
    for (const Scope& s : p->entry().scopes) out += (out.empty() ? "" : ",") + std::string(s.name);
    return out;
}

std::string authorize_url(const CallContext& ctx, const std::string& shop, const AppCredentials& app,
                          const std::string& redirect_uri, const std::string& state) {
    return base(ctx, shop) + "/admin/oauth/authorize" +
           wire::query({{"client_id", app.client_id}, {"scope", scopes()}, {"redirect_uri", redirect_uri},
                        {"state", state}});
}

std::string signed_message(const std::multimap<std::string, std::string>& query) {
    std::vector<std::string> pairs;
    for (const auto& [k, v] : query)
        if (k != "hmac" && k != "signature") pairs.push_back(escape(k, true) + "=" + escape(v, false));
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const std::string& p : pairs) out += (out.empty() ? "" : "&") + p;
    return out;
}

std::string sign(const std::string& secret, const std::multimap<std::string, std::string>& query) {
    return crypto::hex_encode(crypto::hmac_sha256(secret, signed_message(query)));
}

bool verify(const std::string& secret, const std::multimap<std::string, std::string>& query) {
    auto given = query.find("hmac");
    if (given == query.end() || query.count("hmac") != 1 || secret.empty()) return false;
    std::string mac = given->second;
    for (char& c : mac) c = char(std::tolower(static_cast<unsigned char>(c)));
    return crypto::constant_time_equal(mac, sign(secret, query));
}

Outcome<Token> exchange_code(CallContext& ctx, const std::string& shop, const AppCredentials& app,
                             const std::string& code) {
    const Platform* p = find_platform("shopify");
    wire::Request r;
    r.step = "exchange_code";
    r.method = "POST";
    r.url = base(ctx, shop) + "/admin/oauth/access_token";
    r.content_type = "application/json";
    r.headers = {{"Accept", "application/json"}};
    r.body = nlohmann::json{{"client_id", app.client_id}, {"client_secret", app.client_secret}, {"code", code}}.dump();
    // A code is single-use: a retry after a lost answer would only be refused.
    r.retryable = false;
    r.budgeted = false;
    auto j = wire::call_json(*p, ctx, r);
    if (!j) {
        Failure f = j.failure();
        if (f.http_status == 400 || f.http_status == 401 || f.http_status == 403)
            f.message = "Shopify did not accept the authorization. Start the connection again from Onramp.";
        return f;
    }
    Token t{wire::text(*j, "access_token"), wire::text(*j, "scope")};
    if (t.access_token.empty()) return wire::unreadable(*p, "exchange_code", "no access_token");
    return t;
}

}  // namespace onramp::connectors::shopify_oauth
