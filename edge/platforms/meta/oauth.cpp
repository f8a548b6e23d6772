// Facebook Login for a Page: the module's OAuth part (oauth.h).
#include "edge/platforms/meta/oauth.h"

#include "edge/app.h"
#include "edge/audit.h"
#include "edge/connectors/wire.h"
#include "edge/http/message.h"
#include "edge/oauth/states.h"
#include "edge/platforms/meta/demo.h"
#include "edge/platforms/meta/graph.h"
#include "edge/store/db.h"
#include "edge/webhooks/automatic.h"
#include "edge/webhooks/endpoint.h"
#include "shared/validation/validate.h"

namespace onramp::platforms::meta {

namespace {

using nlohmann::json;
namespace wire = connectors::wire;

struct AppCredentials {
    std::string app_id, app_secret, verify_token;
};

// The Onramp app at Meta, or in demo mode the mock's demo app.
std::optional<AppCredentials> app_credentials(App& app) {
    AppCredentials a{app.env("META_APP_ID"), app.env("META_APP_SECRET"), app.env("META_WEBHOOK_VERIFY_TOKEN")};
    if (!a.app_id.empty() && !a.app_secret.empty() && !a.verify_token.empty()) return a;
    if (!app.config.demo) return std::nullopt;
    return AppCredentials{demo().app_id, demo().app_secret, demo().verify_token};
}

// The start's part: optionally the Page to connect, when the person
// manages several; and the Onramp app at Meta.
Status prepare(App& app, Fields& f, const connectors::CallContext&, oauth::Pending& p) {
    if (auto page = f.opt_text("page_id", 32)) {
        const connectors::Connector* entry = connectors::find_connector("meta");
        validation::FieldCheck check = validation::validate_field(*entry->find_field("page_id"), *page);
        if (!check.ok()) f.fail("page_id", check.error);
        p.shop = check.value;
    }
    if (!f.ok()) return f.problem();
    if (!app_credentials(app))
        return conflict("This server has no Meta app: set META_APP_ID, META_APP_SECRET and "
                        "META_WEBHOOK_VERIFY_TOKEN.",
                        "oauth_not_configured");
    return ok_status();
}

std::string authorize_url(App& app, const connectors::CallContext& ctx, const oauth::Pending&,
                          const std::string& redirect_uri, const std::string& state) {
    return wire::base_url(ctx, "meta_dialog", "https://www.facebook.com", {}) + "/" + std::string(kGraphVersion) +
           "/dialog/oauth" +
           wire::query({{"client_id", app_credentials(app)->app_id},
                        {"redirect_uri", redirect_uri},
                        {"state", state},
                        {"response_type", "code"},
                        {"scope", kScopes}});
}

// Facebook answers a declined dialog with error=access_denied
// (https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow#canceled).
std::optional<OAuthRefusal> check_answer(const oauth::Pending&, const http::Request& req) {
    std::string error = req.query_value("error");
    if (error == "access_denied")
        return OAuthRefusal{403, "access_denied", "Access was declined at Facebook, so nothing was connected."};
    if (!error.empty())
        return OAuthRefusal{400, "authorization_failed",
                            "Facebook did not authorize Onramp (" + error.substr(0, 64) + ")."};
    if (req.query_value("code").empty())
        return OAuthRefusal{400, "missing_code",
                            "The answer from Facebook carried no authorization code. Start again from Onramp."};
    return std::nullopt;
}

OAuthRefusal exchange_failed(const connectors::Failure& f) {
    return OAuthRefusal{502, "code_exchange_failed",
                        "Facebook did not accept the sign-in (" + f.step + "). Start again from Onramp." +
                            (f.platform_message.empty() ? "" : " Facebook said: " + f.platform_message.substr(0, 300))};
}

// Steps 3 to 5 of oauth.h; the Page asked for at the start, else the only one.
std::optional<OAuthRefusal> exchange(App& app, connectors::CallContext& ctx, const oauth::Pending& p,
                                     const http::Request& req, const std::string& redirect_uri, OAuthGrant& out) {
    AppCredentials a = *app_credentials(app);
    auto user = graph_get(ctx, "exchange_code",
                          "/oauth/access_token" + wire::query({{"client_id", a.app_id},
                                                               {"redirect_uri", redirect_uri},
                                                               {"client_secret", a.app_secret},
                                                               {"code", req.query_value("code")}}),
                          "");
    if (!user) return exchange_failed(user.failure());
    auto long_lived = graph_get(ctx, "exchange_token",
                                "/oauth/access_token" + wire::query({{"grant_type", "fb_exchange_token"},
                                                                     {"client_id", a.app_id},
                                                                     {"client_secret", a.app_secret},
                                                                     {"fb_exchange_token", wire::text(*user, "access_token")}}),
                                "");
    if (!long_lived) return exchange_failed(long_lived.failure());
    auto accounts = graph_get(ctx, "list_pages", "/me/accounts?fields=id,name,access_token&limit=100",
                              wire::text(*long_lived, "access_token"));
    if (!accounts) return exchange_failed(accounts.failure());

    json pages = wire::member(*accounts, "data");
    if (!pages.is_array() || pages.empty())
        return OAuthRefusal{422, "no_page", "This Facebook account manages no Page, or no Page was shared with "
                                            "Onramp. Sign in again and choose the Page to connect."};
    const json* chosen = nullptr;
    json choices = json::array();
    for (const json& page : pages) {
        if (!p.shop.empty() && wire::text(page, "id") == p.shop) chosen = &page;
        choices.push_back({{"value", wire::text(page, "id")}, {"label", wire::text(page, "name")}});
    }
    if (p.shop.empty() && pages.size() == 1) chosen = &pages.front();
    // Several Pages and none named: the client picks one and starts again
    // with its page_id (Facebook then skips what was already granted).
    if (!chosen && p.shop.empty())
        return OAuthRefusal{409, "page_not_chosen",
                            "This Facebook account manages several Pages: choose the one to connect.", "page_id",
                            choices};
    if (!chosen)
        return OAuthRefusal{409, "page_not_shared",
                            "Page " + p.shop + " was not shared with Onramp. Sign in again and share it, or choose "
                            "another Page.", "page_id", choices};
    std::string token = wire::text(*chosen, "access_token");
    if (token.empty()) return exchange_failed(wire::unreadable(*connectors::find_platform("meta"), "list_pages", "no access_token"));
    out.credentials = {{"page_id", wire::text(*chosen, "id")},
                       {"page_access_token", token},
                       {"verify_token", a.verify_token}};
    out.account = wire::text(*chosen, "name");
    return std::nullopt;
}

// Meta signs the Page's notifications with the app secret: it becomes the
// connection's webhook secret, as Shopify's does. With it set, the Page
// installs the app (POST /{page-id}/subscribed_apps, module.cpp's
// subscription), so its notifications start without a step by hand.
void connected(App& app, const store::Connection& conn, const auth::Principal& who, const http::Request& req) {
    auto a = app_credentials(app);
    if (!a) return;
    {
        auto db = app.store->lease();
        store::Tx tx(*db);
        const webhooks::Scheme& scheme = webhooks::default_scheme(conn.platform);
        if (!webhooks::set_secret(*app.vault, *db, conn, scheme, a->app_secret, 0, app.now())) return;
        audit(*db, app.now(), &who, &req,
              {"webhook.secret_set", conn.org_id, "connection", conn.id,
               {{"scheme", std::string(scheme.name)}, {"generated", false}, {"from", "meta_app"}}});
        tx.commit();
    }
    webhooks::register_automatically(app, conn, &who, &req);
}

}  // namespace

std::optional<webhooks::Secrets> app_webhook_secrets(App& app) {
    auto a = app_credentials(app);
    if (!a) return std::nullopt;
    webhooks::Secrets s;
    s.keys = {a->app_secret};
    s.handshake_token = a->verify_token;
    return s;
}

const OAuthInstall& oauth_install() {
    static const OAuthInstall install{
        .sender = "Facebook",
        .prepare = prepare,
        .authorize_url = authorize_url,
        .started_detail = [](const oauth::Pending& p) { return json{{"page_id", p.shop}}; },
        .check_answer = check_answer,
        .exchange = exchange,
        .connected = connected,
    };
    return install;
}

}  // namespace onramp::platforms::meta
