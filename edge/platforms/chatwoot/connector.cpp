// Chatwoot Application API, cloud or self-hosted.
//
//   auth        api_access_token: {api_access_token}   (a user's access token)
//   base        {base_url}/api/v1   (override key "chatwoot" replaces {base_url})
//               Security: a self-hosted address is typed by the client: the SSRF guard applies
//   test        GET /api/v1/profile → the user and the accounts they belong to; the configured
//               account must be one of them (step fetch_profile)
//               GET /api/v1/accounts/{id}/contacts?page=1 (step check_access)
//   contacts    GET /api/v1/accounts/{id}/contacts?page=N → {"meta": {"count", "current_page"},
//               "payload": [...]}, 15 per page. Chatwoot cannot filter contacts by change time,
//               so every run reads them all; the window is not applied.
//   errors      {"errors": [...]} or {"error": "..."}; Rack::Attack 429 without Retry-After
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr int kChatwootPage = 15;  // fixed by Chatwoot

class Chatwoot final : public Platform {
public:
    Chatwoot() : Platform(catalog_entry("chatwoot")) {}

    std::vector<Resource> resources() const override { return {Resource::contacts}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto profile = wire::call_json(*this, ctx, request(creds, ctx, "fetch_profile", "/profile"));
        if (!profile) {
            out.failure = explain(profile.failure(), creds);
            return out;
        }
        const std::string& wanted = creds.at("account_id");
        json account;
        if (json accounts = wire::member(*profile, "accounts"); accounts.is_array())
            for (const json& a : accounts)
                if (wire::text(a, "id") == wanted) account = a;
        out.verified.details = {{"user", wire::member(*profile, "name")}, {"email", wire::member(*profile, "email")}};
        if (account.is_null()) {
            Failure f;
            f.step = "fetch_profile";
            f.cause = Cause::store_not_found;
            f.message = "The access token works, but its user is not a member of Chatwoot account " + wanted +
                        ". Check the account ID (the number after /accounts/ in Chatwoot's address bar).";
            out.failure = f;
            return out;
        }
        out.verified.account_name = wire::text(account, "name");
        out.verified.account_id = wanted;
        out.verified.domain = host_of(creds, ctx);
        out.verified.details["role"] = wire::member(account, "role");

        auto contacts = wire::call_json(*this, ctx, request(creds, ctx, "check_access", contacts_path(creds) + "?page=1"));
        if (!contacts) out.failure = explain(contacts.failure(), creds);
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window&) const override {
        if (resource != Resource::contacts) return wire::unsupported_resource(*this, resource);
        if (!cursor.empty() && cursor.find_first_not_of("0123456789") != std::string::npos)
            return wire::unreadable(*this, "list_contacts", "bad cursor");
        std::string page_no = cursor.empty() ? "1" : cursor;
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "list_contacts", contacts_path(creds) + "?page=" + page_no));
        if (!j) return explain(j.failure(), creds);
        json payload = wire::member(*j, "payload");
        if (!payload.is_array()) return wire::unreadable(*this, "list_contacts", "no payload array");
        Page page;
        for (const json& c : payload) page.items.push_back(contact_item(c));
        json count = wire::member(wire::member(*j, "meta"), "count");
        int64_t current = std::atoll(page_no.c_str());
        if (count.is_number_integer() && current * kChatwootPage < count.get<int64_t>() && !page.items.empty())
            page.next_cursor = std::to_string(current + 1);
        if (cursor.empty() && count.is_number_integer()) page.total = count.get<int64_t>();
        return page;
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (resource != Resource::contacts) return wire::unsupported_resource(*this, resource);
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
            return wire::unreadable(*this, "fetch_contact", "contact ids are numbers");
        auto j = wire::call_json(*this, ctx,
                                 request(creds, ctx, "fetch_contact", "/accounts/" + creds.at("account_id") + "/contacts/" + id));
        if (!j) return explain(j.failure(), creds);
        json c = wire::member(*j, "payload");
        return contact_item(c.is_object() ? c : *j);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        ProxyTarget t;
        t.base_url = api(creds, ctx);
        t.headers = auth_headers(creds);
        return t;
    }

private:
    static std::string api(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "chatwoot", "{base_url}", creds) + "/api/v1";
    }
    static std::string host_of(const Credentials& creds, const CallContext& ctx) {
        http::ParsedUrl u;
        return http::parse_url(creds.at("base_url"), u) ? u.host : "";
    }
    static std::string contacts_path(const Credentials& creds) {
        return "/accounts/" + creds.at("account_id") + "/contacts";
    }

    static http::Headers auth_headers(const Credentials& creds) {
        return {{"api_access_token", creds.at("api_access_token")}, {"Accept", "application/json"}};
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, std::string step,
                                 const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.url = api(creds, ctx) + path;
        r.headers = auth_headers(creds);
        r.typed_host = !wire::has_override(ctx, "chatwoot");
        r.host_field = "base_url";
        return r;
    }

    Failure explain(Failure f, const Credentials& creds) const {
        // Chatwoot answers 401 both for a bad token and (through Pundit)
        // for a user without the permission; the message tells them apart.
        if (f.http_status == 401 && f.platform_message.find("not authorized") != std::string::npos)
            f.cause = Cause::scope_missing;
        if (f.cause == Cause::credential_rejected)
            f.message = "Chatwoot did not accept the access token. Copy it again from Profile Settings → Access "
                        "Token; if you reset it there, use the new one.";
        else if (f.cause == Cause::scope_missing)
            f.message = "The access token works, but its user may not read the contacts of account " +
                        creds.at("account_id") + ". Use the token of an administrator or an agent of that account.";
        else if (f.cause == Cause::store_not_found && f.step == "fetch_profile")
            f.message = "Onramp found no Chatwoot API at " + creds.at("base_url") +
                        ". Check the address you open Chatwoot at.";
        else if (f.cause == Cause::store_not_found)
            f.message = "Chatwoot has no account " + creds.at("account_id") + " for this user.";
        return f;
    }

    static Item contact_item(const json& c) {
        json extra = wire::member(c, "additional_attributes");
        Item item;
        item.id = wire::text(c, "id");
        // Contacts carry creation and last-activity times, not an update time.
        std::string created = wire::utc_iso(c, "created_at");
        std::string active = wire::utc_iso(c, "last_activity_at");
        item.updated_at = std::max(created, active);
        item.data = {{"id", item.id},
                     {"name", wire::member(c, "name")},
                     {"email", wire::member(c, "email")},
                     {"phone", wire::member(c, "phone_number")},
                     {"company", wire::member(extra, "company_name")},
                     {"created_at", created},
                     {"updated_at", item.updated_at}};
        return item;
    }
};

}  // namespace

const Platform& chatwoot_platform() {
    static const Chatwoot platform;
    return platform;
}

}  // namespace onramp::connectors
