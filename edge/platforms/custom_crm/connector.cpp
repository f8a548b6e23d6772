// A custom CRM with a REST API: the client gives its base URL, how it
// authenticates and a path to test.
//
//   auth        api_key  {api_key_header}: {api_key}
//               bearer   Authorization: Bearer {bearer_token}
//               basic    Authorization: Basic base64(username:password)
//               oauth2   client credentials (RFC 6749 §4.4): POST {token_url}
//                        grant_type=client_credentials[&scope], client authenticated with
//                        HTTP Basic (§2.3.1); then Authorization: Bearer {access_token}
//               oauth2   with an access_token (issued by signing in to the CRM, the
//                        authorization code grant in oauth.h):
//                        Authorization: Bearer {access_token}. With a refresh_token, a
//                        token past its expires_at, or one the CRM answers 401 to, is
//                        renewed first (the call is then repeated once), and the new
//                        tokens go to ctx.save_credentials
//   base        {base_url}   (override key "custom_crm"; "custom_crm_token" replaces {token_url})
//               Security: the URLs are typed by the client: the SSRF guard applies to them
//   test        GET {base_url}{test_path}: any 2xx means the credentials work (step call_test_path)
//   contacts    a convention, since every CRM differs: GET {base_url}/contacts?page=N&per_page=100
//               answering a JSON array, or an object holding it under data, contacts, items or
//               results; a short page is the last. Ids come from "id"; change times from
//               updated_at, updatedAt or modified_at.
//   revoke      oauth2 with a revocation_url and a token: RFC 7009 (oauth.h)
#include <nlohmann/json.hpp>

#include <ctime>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/custom_crm/oauth.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr int kPageSize = 100;
// A token this close to its expiry is renewed before it is sent, so it
// cannot expire on the way.
constexpr int64_t kRenewMarginS = 60;

class CustomCrm final : public Platform {
public:
    CustomCrm() : Platform(catalog_entry("custom_crm")) {}

    std::vector<Resource> resources() const override { return {Resource::contacts}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto res = authorized(creds, ctx, [&](const http::Headers& h) {
            return wire::call(*this, ctx, request(creds, ctx, h, "call_test_path", creds.at("test_path")));
        });
        if (!res) {
            out.failure = res.failure();
            return out;
        }
        http::ParsedUrl u;
        if (http::parse_url(creds.at("base_url"), u)) out.verified.domain = u.host;
        out.verified.details = {{"auth_type", creds.at("auth_type")}, {"status", res->status}};
        // Name the account when the test path answers with something like
        // a profile; many CRMs' /me does.
        if (auto j = wire::parse_json(res->body); j && j->is_object()) {
            for (const char* k : {"name", "company", "account_name", "email", "username"}) {
                std::string v = wire::text(*j, k);
                if (!v.empty()) {
                    out.verified.account_name = v;
                    break;
                }
            }
            out.verified.account_id = wire::text(*j, "id");
        }
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& w) const override {
        if (resource != Resource::contacts) return unsupported(resource);
        if (!cursor.empty() && cursor.find_first_not_of("0123456789") != std::string::npos)
            return wire::unreadable(*this, "list_contacts", "bad cursor");
        std::string page_no = cursor.empty() ? "1" : cursor;
        std::string q = wire::query({{"page", page_no},
                                     {"per_page", std::to_string(kPageSize)},
                                     {"updated_since", w.updated_after},
                                     {"updated_before", w.updated_before}});
        auto j = authorized(creds, ctx, [&](const http::Headers& h) {
            return wire::call_json(*this, ctx, request(creds, ctx, h, "list_contacts", "/contacts" + q));
        });
        if (!j) return j.failure();
        json list = *j;
        if (!list.is_array())
            for (const char* k : {"data", "contacts", "items", "results"})
                if (wire::member(*j, k).is_array()) {
                    list = (*j)[k];
                    break;
                }
        if (!list.is_array()) return wire::unreadable(*this, "list_contacts", "no list of contacts");
        Page page;
        for (const json& c : list) page.items.push_back(contact_item(c));
        if (int(page.items.size()) == kPageSize) page.next_cursor = std::to_string(std::atoll(page_no.c_str()) + 1);
        return page;
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (resource != Resource::contacts) return unsupported(resource);
        std::string pid = wire::path_id(id);
        if (pid.empty()) return wire::unreadable(*this, "fetch_contact", "empty id");
        auto j = authorized(creds, ctx, [&](const http::Headers& h) {
            return wire::call_json(*this, ctx, request(creds, ctx, h, "fetch_contact", "/contacts/" + pid));
        });
        if (!j) return j.failure();
        json c = wire::member(*j, "data");
        return contact_item(c.is_object() ? c : *j);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        auto headers = auth_headers(creds, ctx, false);
        if (!headers) return headers.failure();
        ProxyTarget t;
        t.base_url = base(creds, ctx);
        t.headers = *headers;
        return t;
    }

    bool can_revoke(const Credentials& creds) const override { return custom_crm_oauth::can_revoke(creds); }

    std::optional<Failure> revoke(const Credentials& creds, CallContext& ctx) const override {
        if (!can_revoke(creds)) return Platform::revoke(creds, ctx);
        return custom_crm_oauth::revoke(ctx, creds);
    }

private:
    static std::string base(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "custom_crm", "{base_url}", creds);
    }

    static std::string value(const Credentials& creds, const char* name) {
        auto it = creds.find(name);
        return it == creds.end() ? std::string() : it->second;
    }

    wire::Request request(const Credentials& creds, const CallContext& ctx, const http::Headers& headers,
                          std::string step, const std::string& path) const {
        wire::Request r;
        r.step = std::move(step);
        r.url = base(creds, ctx) + path;
        r.headers = headers;
        r.headers.emplace("Accept", "application/json");
        r.typed_host = !wire::has_override(ctx, "custom_crm");
        r.host_field = "base_url";
        return r;
    }

    static bool renewable(const Credentials& creds) {
        return value(creds, "auth_type") == "oauth2" && !value(creds, "access_token").empty() &&
               !value(creds, "refresh_token").empty();
    }

    // One call with the credentials' auth headers. A signed-in token the
    // CRM refuses (401; RFC 6750 §3.1 invalid_token) is renewed once and
    // the call repeated. Failures come back explained.
    template <class Call>
    auto authorized(const Credentials& creds, CallContext& ctx, Call call) const -> decltype(call(http::Headers{})) {
        auto headers = auth_headers(creds, ctx, false);
        if (!headers) return explain(headers.failure(), creds);
        auto out = call(*headers);
        if (!out && out.failure().http_status == 401 && renewable(creds)) {
            headers = auth_headers(creds, ctx, true);
            if (!headers) return explain(headers.failure(), creds);
            out = call(*headers);
        }
        if (!out) return explain(out.failure(), creds);
        return out;
    }

    // The headers that authenticate a call. In OAuth 2.0 mode: the token
    // issued at sign-in (renewed when expired, or when `refused`), else one
    // exchanged for the client credentials.
    Outcome<http::Headers> auth_headers(const Credentials& creds, CallContext& ctx, bool refused) const {
        std::string type = value(creds, "auth_type");
        if (type == "api_key") return http::Headers{{value(creds, "api_key_header"), value(creds, "api_key")}};
        if (type == "bearer") return http::Headers{{"Authorization", "Bearer " + value(creds, "bearer_token")}};
        if (type == "basic")
            return http::Headers{{"Authorization", wire::basic_auth(value(creds, "username"), value(creds, "password"))}};
        auto token = value(creds, "access_token").empty() ? client_credentials_token(creds, ctx)
                                                           : signed_in_token(creds, ctx, refused);
        if (!token) return token.failure();
        return http::Headers{{"Authorization", "Bearer " + *token}};
    }

    static int64_t now(const CallContext& ctx) { return ctx.now ? ctx.now() : int64_t(std::time(nullptr)); }

    Outcome<std::string> signed_in_token(const Credentials& creds, CallContext& ctx, bool refused) const {
        int64_t expires_at = std::atoll(value(creds, "expires_at").c_str());
        bool expired = expires_at > 0 && now(ctx) >= expires_at - kRenewMarginS;
        if (!renewable(creds) || (!expired && !refused)) return value(creds, "access_token");
        return renewed_token(creds, ctx);
    }

    // Renews the access token with the refresh token and hands the new
    // tokens to ctx.save_credentials. One renewal at a time per connection
    // (its token cache's lock): a CRM that rotates refresh tokens accepts
    // each only once, so a second caller holding the same stale token gets
    // the token the first one obtained.
    Outcome<std::string> renewed_token(const Credentials& creds, CallContext& ctx) const {
        if (!ctx.tokens) ctx.tokens = std::make_shared<TokenCache>();
        std::lock_guard<std::mutex> lock(ctx.tokens->mu);
        std::string key = crypto::hex_encode(crypto::sha256("custom_crm renewed " + value(creds, "access_token")));
        if (ctx.tokens->key == key && !ctx.tokens->access_token.empty()) return ctx.tokens->access_token;
        auto fresh = custom_crm_oauth::refresh(ctx, creds);
        if (!fresh) return fresh.failure();
        ctx.tokens->key = key;
        ctx.tokens->access_token = fresh->access_token;
        std::string expires_at = fresh->expires_in > 0 ? std::to_string(now(ctx) + fresh->expires_in) : "";
        if (ctx.save_credentials)
            ctx.save_credentials({{"access_token", fresh->access_token},
                                  {"refresh_token", fresh->refresh_token},
                                  {"expires_at", expires_at}});
        return fresh->access_token;
    }

    Outcome<std::string> client_credentials_token(const Credentials& creds, CallContext& ctx) const {
        std::string id = value(creds, "client_id"), secret = value(creds, "client_secret");
        std::string token_url = wire::base_url(ctx, "custom_crm_token", "{token_url}", creds);
        std::string cached = wire::cached_token(ctx, {"custom_crm", token_url, id, secret});
        if (!cached.empty()) return cached;

        wire::Request r;
        r.step = "exchange_client_credentials";
        r.method = "POST";
        r.url = token_url;
        r.content_type = "application/x-www-form-urlencoded";
        r.body = wire::query({{"grant_type", "client_credentials"}, {"scope", value(creds, "scope")}}).substr(1);
        // RFC 6749 §2.3.1: client id and secret are form-encoded, then sent
        // as HTTP Basic credentials.
        r.headers = {{"Authorization", wire::basic_auth(wire::url_encode(id), wire::url_encode(secret))},
                     {"Accept", "application/json"}};
        r.typed_host = !wire::has_override(ctx, "custom_crm_token");
        r.host_field = "token_url";
        r.budgeted = false;  // the token host has limits of its own
        auto res = wire::send(*this, ctx, r);
        if (!res) return res.failure();
        auto j = wire::parse_json(res->body);
        if (res->status != 200) {
            Failure f = wire::status_failure(*this, ctx, r.step, *res, j ? wire::error_text(*j) : wire::error_text(res->body));
            std::string code = j ? wire::text(*j, "error") : "";
            if (code == "invalid_client" || code == "unauthorized_client" || res->status == 401) {
                f.cause = Cause::credential_rejected;
                f.message = "Your CRM did not accept the client ID and secret at its token URL. Copy both again "
                            "from the OAuth app you registered.";
            } else if (code == "invalid_scope") {
                f.cause = Cause::scope_missing;
                f.message = "Your CRM refused the requested scopes. Check them against its OAuth documentation, "
                            "or leave Scopes empty.";
            } else if (res->status == 404) {
                f.message = "Nothing answered at the token URL. Check it against your CRM's OAuth documentation.";
            }
            return f;
        }
        std::string token = j ? wire::text(*j, "access_token") : "";
        if (token.empty()) return wire::unreadable(*this, r.step, "no access_token in the token response");
        int64_t expires = j->contains("expires_in") && (*j)["expires_in"].is_number() ? (*j)["expires_in"].get<int64_t>() : 3600;
        wire::cache_token(ctx, {"custom_crm", token_url, id, secret}, token, expires);
        return token;
    }

    Failure explain(Failure f, const Credentials& creds) const {
        // The token URL's failures are explained where they happen.
        if (f.step == "exchange_client_credentials" || f.step == "refresh_token") return f;
        if (f.cause == Cause::credential_rejected && !value(creds, "access_token").empty())
            f.message = "Your CRM no longer accepts the access token Onramp was given when you signed in (it "
                        "answered 401). Sign in to your CRM from Onramp again.";
        else if (f.cause == Cause::credential_rejected)
            f.message = "Your CRM did not accept these credentials (it answered 401). Check the " +
                        std::string(value(creds, "auth_type") == "api_key" ? "API key and the header it goes in"
                                                                            : "credentials") + ".";
        else if (f.cause == Cause::scope_missing)
            f.message = "Your CRM accepted the credentials but refused access (403). Give them permission to read "
                        "what the test path shows.";
        else if (f.cause == Cause::store_not_found && f.step == "call_test_path")
            f.message = "Your CRM answered 404 for " + value(creds, "test_path") +
                        ". Check the base URL and the test path against its API documentation.";
        return f;
    }

    static Item contact_item(const json& c) {
        std::string name = wire::text(c, "name");
        if (name.empty()) {
            std::string first = wire::text(c, "first_name"), last = wire::text(c, "last_name");
            name = first + (first.empty() || last.empty() ? "" : " ") + last;
        }
        std::string updated;
        for (const char* k : {"updated_at", "updatedAt", "modified_at"})
            if (updated.empty()) updated = wire::utc_iso(c, k);
        Item item;
        item.id = wire::text(c, "id");
        item.updated_at = updated;
        item.data = {{"id", item.id},
                     {"name", name.empty() ? json(nullptr) : json(name)},
                     {"email", wire::member(c, "email")},
                     {"phone", c.contains("phone") ? wire::member(c, "phone") : wire::member(c, "phone_number")},
                     {"company", c.contains("company") ? wire::member(c, "company") : wire::member(c, "company_name")},
                     {"created_at", wire::utc_iso(c, "created_at")},
                     {"updated_at", updated}};
        return item;
    }

    Failure unsupported(Resource r) const {
        Failure f;
        f.step = "list_" + std::string(to_string(r));
        f.message = "Onramp imports only contacts from a custom CRM.";
        return f;
    }
};

}  // namespace

const Platform& custom_crm_platform() {
    static const CustomCrm platform;
    return platform;
}

}  // namespace onramp::connectors
