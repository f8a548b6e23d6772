#include "edge/webhooks/automatic.h"

#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/connectors/target.h"
#include "edge/http/client.h"
#include "edge/webhooks/registration.h"
#include "shared/validation/messages.h"

namespace onramp::webhooks {

namespace {

using nlohmann::json;

// Why registration waits or does not apply, with "{platform}" and
// "{public_url}" for reason() to fill: fixed templates, so that the web
// client can translate them (registration_reasons()).
constexpr const char* kNoPublicUrl =
    "This server has no public URL to give {platform}: start it with --public-url (ONRAMP_PUBLIC_URL) set to the "
    "address the platform can reach.";
constexpr const char* kBadPublicUrl =
    "The public URL {public_url} is not an absolute http(s) URL with a port: set --public-url.";
constexpr const char* kLoopbackUrl =
    "The public URL {public_url} is this machine's own address, which {platform} cannot reach: set --public-url to "
    "the address the platform can reach, then register.";
constexpr const char* kPrivateUrl =
    "The public URL {public_url} is an address on a private network, which {platform} cannot reach: set "
    "--public-url to the address the platform can reach, then register.";
constexpr const char* kSecretFirst =
    "Set the app's client secret first (PUT .../webhooks/secret): {platform} signs deliveries with it. The hooks "
    "are registered as soon as it is set.";
constexpr const char* kManual = "{platform} has no webhook registration API; follow the steps shown.";
constexpr const char* kRemovedAutomatic = "An operator removed the hooks; register them again by hand.";
constexpr const char* kRemoved = "An operator removed the hooks; POST .../webhooks/registration registers them again.";
constexpr const char* kNotRegistered = "Not registered yet: POST .../webhooks/registration registers the hooks.";

std::string reason(const char* text, const store::Connection& conn, const std::string& public_url = "") {
    return validation::fill_message(text, {{"platform", conn.platform}, {"public_url", public_url}});
}

// How far an address is seen from: this machine only, a private network,
// or the internet. Host names other than localhost count as the internet
// (they are not resolved here).
enum class Reach { loopback = 0, private_net = 1, internet = 2 };

Reach reach_of(const std::string& host) {
    if (host == "localhost" || (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0))
        return Reach::loopback;
    connectors::AddressKind kind;
    if (!connectors::classify_address(host, kind) || kind == connectors::AddressKind::public_internet)
        return Reach::internet;
    return kind == connectors::AddressKind::loopback ? Reach::loopback : Reach::private_net;
}

Reach url_reach(const std::string& url) {
    http::ParsedUrl u;
    return http::parse_url(url, u) ? reach_of(u.host) : Reach::internet;
}

// Where the platform's API is: the configured override (the mock
// platforms, a staging store), the store's own address for WooCommerce,
// else the platform's service on the internet.
Reach platform_reach(const Config& config, const store::Connection& conn) {
    if (auto it = config.base_urls.find(conn.platform); it != config.base_urls.end()) return url_reach(it->second);
    if (conn.platform == "woocommerce") {
        auto site = conn.config.find("site_url");
        if (site != conn.config.end() && site->is_string()) return url_reach(site->get<std::string>());
    }
    return Reach::internet;
}

json audit_detail(const store::Connection& conn, const Automatic& a) {
    json d = {{"platform", conn.platform}, {"automatic", true}};
    if (a.state == "registered") d["hooks"] = a.hooks;
    if (a.state == "failed") d["reason"] = a.reason;
    return d;
}

}  // namespace

std::vector<std::string> registration_reasons() {
    return {kNoPublicUrl, kBadPublicUrl, kLoopbackUrl,      kPrivateUrl,   kSecretFirst,
            kManual,      kRemoved,      kRemovedAutomatic, kNotRegistered};
}

json to_json(const Automatic& a) {
    return {{"state", a.state}, {"reason", a.reason.empty() ? json(nullptr) : json(a.reason)}, {"hooks", a.hooks}};
}

std::optional<std::string> missing_prerequisite(App& app, store::Db& db, const store::Connection& conn,
                                                const std::optional<Endpoint>& e) {
    const std::string& public_url = app.config.public_url;
    if (public_url.empty()) return reason(kNoPublicUrl, conn);
    http::ParsedUrl parsed;
    if (!http::parse_url(public_url, parsed)) return reason(kBadPublicUrl, conn, public_url);
    Reach ours = reach_of(parsed.host);
    if (ours != Reach::internet && platform_reach(app.config, conn) > ours)
        return reason(ours == Reach::loopback ? kLoopbackUrl : kPrivateUrl, conn, public_url);
    if (!can_generate_secret(default_scheme(conn.platform)) &&
        (&scheme_of(conn, e) != &default_scheme(conn.platform) ||
         load_secrets(*app.vault, db, conn, e, app.now()).keys.empty()))
        return reason(kSecretFirst, conn);
    return std::nullopt;
}

Automatic register_automatically(App& app, const store::Connection& conn, const auth::Principal* who,
                                 const http::Request* req) {
    if (!supports_registration(conn.platform))
        return {"manual", reason(kManual, conn), 0};
    {
        auto db = app.store->lease();
        auto e = find_endpoint(*db, conn.id);
        if (e && e->registration_state == "removed")
            return {"removed", kRemovedAutomatic, 0};
        if (auto why = missing_prerequisite(app, *db, conn, e)) return {"pending", *why, 0};
    }
    auto done = register_hooks(app, conn);
    Automatic a = done ? Automatic{"registered", "", done->registered.size()}
                       : Automatic{"failed", done.problem().detail, 0};
    auto db = app.store->lease();
    audit(*db, app.now(), who, req,
          {done ? "webhook.registered" : "webhook.registration_failed", conn.org_id, "connection", conn.id,
           audit_detail(conn, a)});
    return a;
}

void unregister_before_delete(App& app, const store::Connection& conn, const auth::Principal* who,
                              const http::Request* req) {
    if (!supports_registration(conn.platform)) return;
    {
        auto db = app.store->lease();
        auto e = find_endpoint(*db, conn.id);
        if (!e || e->registered.empty()) return;
    }
    auto done = unregister_hooks(app, conn);
    auto db = app.store->lease();
    json detail = {{"platform", conn.platform}, {"connection_deleted", true}};
    if (!done) detail["reason"] = done.problem().detail;
    audit(*db, app.now(), who, req,
          {done ? "webhook.unregistered" : "webhook.unregister_failed", conn.org_id, "connection", conn.id, detail});
}

json registration_json(App& app, store::Db& db, const store::Connection& conn, const std::optional<Endpoint>& e) {
    json out = {{"automatic", supports_registration(conn.platform)},
                {"reason", nullptr},
                {"attempted_at", e ? api::iso8601_or_null(e->registration_attempted_at) : json(nullptr)}};
    std::string state = e ? e->registration_state : "";
    if (!supports_registration(conn.platform)) {
        out["state"] = "manual";
        out["reason"] = reason(kManual, conn);
    } else if (state == "registered" && !e->registered.empty()) {
        out["state"] = "registered";
    } else if (state == "failed") {
        out["state"] = "failed";
        out["reason"] = e->registration_error.value_or("");
    } else if (state == "removed") {
        out["state"] = "removed";
        out["reason"] = kRemoved;
    } else if (auto why = missing_prerequisite(app, db, conn, e)) {
        out["state"] = "pending";
        out["reason"] = *why;
    } else {
        out["state"] = "not_registered";
        out["reason"] = kNotRegistered;
    }
    return out;
}

void adopt_shopify_app_secret(App& app, const store::Connection& conn, const std::string& client_secret,
                              const auth::Principal* who, const http::Request* req) {
    {
        auto db = app.store->lease();
        store::Tx tx(*db);
        const Scheme& scheme = default_scheme(conn.platform);
        auto e = set_secret(*app.vault, *db, conn, scheme, client_secret, 0, app.now());
        if (!e) return;
        audit(*db, app.now(), who, req,
              {"webhook.secret_set", conn.org_id, "connection", conn.id,
               {{"scheme", std::string(scheme.name)}, {"generated", false}, {"from", "shopify_app"}}});
        tx.commit();
    }
    register_automatically(app, conn, who, req);
}

}  // namespace onramp::webhooks
