// Twilio REST API 2010-04-01.
//
//   auth        HTTP Basic {account_sid}:{auth_token}
//   base        https://api.twilio.com   (override key "twilio")
//   test        GET /2010-04-01/Accounts/{sid}.json → name, status, type (step fetch_account);
//               a suspended or closed account fails here
//               GET /2010-04-01/Accounts/{sid}/Calls.json?PageSize=1 (step check_access)
//   calls       GET /2010-04-01/Accounts/{sid}/Calls.json?PageSize=100[&StartTime>=&StartTime<=]
//               then next_page_uri until null; the cursor is that URI, which must stay under
//               this account's Calls.json (Security: a cursor cannot point elsewhere)
//   errors      {"code": 20003, "message", "more_info", "status"}; 429 is error 20429
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr int kPageSize = 100;

class Twilio final : public Platform {
public:
    Twilio() : Platform(catalog_entry("twilio")) {}

    std::vector<Resource> resources() const override { return {Resource::calls}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto acct = wire::call_json(*this, ctx, request(creds, ctx, "fetch_account", account_path(creds) + ".json"));
        if (!acct) {
            out.failure = explain(acct.failure());
            return out;
        }
        out.verified.account_name = wire::text(*acct, "friendly_name");
        out.verified.account_id = wire::text(*acct, "sid");
        std::string status = wire::text(*acct, "status");
        out.verified.details = {{"status", status}, {"type", wire::member(*acct, "type")}};
        if (status != "active") {
            Failure f;
            f.step = "fetch_account";
            f.cause = Cause::platform_error;
            f.platform_message = "status: " + status;
            f.message = "Twilio says this account is " + status +
                        ". Reactivate it in the Twilio Console (or use an active account) and try again.";
            out.failure = f;
            return out;
        }
        auto calls = wire::call_json(*this, ctx, request(creds, ctx, "check_access", calls_path(creds) + "?PageSize=1"));
        if (!calls) out.failure = explain(calls.failure());
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& w) const override {
        if (resource != Resource::calls) return wire::unsupported_resource(*this, resource);
        std::string path;
        if (cursor.empty()) {
            // Twilio filters calls by the UTC day they started, with the
            // parameter names "StartTime>" and "StartTime<" (the value after
            // "=" makes them >= and <=); a day is the finest it takes.
            path = calls_path(creds) + wire::query({{"PageSize", std::to_string(kPageSize)},
                                                    {"StartTime>", w.updated_after.substr(0, 10)},
                                                    {"StartTime<", w.updated_before.substr(0, 10)}});
        } else {
            // Security: the cursor came back from the platform; it may only
            // name this account's call list, never another path or host.
            if (cursor.rfind(calls_path(creds) + "?", 0) != 0 || cursor.find("..") != std::string::npos)
                return wire::unreadable(*this, "list_calls", "next_page_uri outside the call list");
            path = cursor;
        }
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "list_calls", path));
        if (!j) return explain(j.failure());
        json calls = wire::member(*j, "calls");
        if (!calls.is_array()) return wire::unreadable(*this, "list_calls", "no calls array");
        Page page;
        for (const json& c : calls) page.items.push_back(call_item(c));
        page.next_cursor = wire::text(*j, "next_page_uri");
        return page;
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (resource != Resource::calls) return wire::unsupported_resource(*this, resource);
        std::string pid = wire::path_id(id);
        if (pid.empty()) return wire::unreadable(*this, "fetch_call", "empty id");
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "fetch_call", account_path(creds) + "/Calls/" + pid + ".json"));
        if (!j) return explain(j.failure());
        return call_item(*j);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        ProxyTarget t;
        t.base_url = origin(creds, ctx) + account_path(creds);
        t.headers = auth_headers(creds);
        return t;
    }

private:
    static std::string origin(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "twilio", "https://api.twilio.com", creds);
    }
    static std::string account_path(const Credentials& creds) {
        return "/2010-04-01/Accounts/" + creds.at("account_sid");
    }
    static std::string calls_path(const Credentials& creds) { return account_path(creds) + "/Calls.json"; }

    static http::Headers auth_headers(const Credentials& creds) {
        return {{"Authorization", wire::basic_auth(creds.at("account_sid"), creds.at("auth_token"))},
                {"Accept", "application/json"}};
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, std::string step,
                                 const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.url = origin(creds, ctx) + path;
        r.headers = auth_headers(creds);
        return r;
    }

    Failure explain(Failure f) const {
        if (f.cause == Cause::credential_rejected)
            f.message = "Twilio did not accept the Account SID and auth token. Copy both again from the Account "
                        "Info box on the Twilio Console; if the token was rotated, use the new one.";
        else if (f.cause == Cause::scope_missing)
            f.message = "Twilio accepted the credentials but refused to show the call log. Use the account's own "
                        "auth token, or an API key allowed to read calls.";
        else if (f.cause == Cause::store_not_found)
            f.message = "Twilio has no account with that Account SID.";
        return f;
    }

    static Item call_item(const json& c) {
        Item item;
        item.id = wire::text(c, "sid");
        item.updated_at = wire::utc_iso(c, "date_updated");
        std::string direction = wire::text(c, "direction");
        std::string status = wire::text(c, "status");
        json duration = nullptr;
        if (std::string d = wire::text(c, "duration"); !d.empty() && d.find_first_not_of("0123456789") == std::string::npos)
            duration = std::stoll(d);
        item.data = {{"id", item.id},
                     {"direction", direction.rfind("outbound", 0) == 0 ? "outbound" : "inbound"},
                     {"from", wire::member(c, "from")},
                     {"to", wire::member(c, "to")},
                     {"status", status},
                     {"duration_seconds", duration},
                     {"started_at", wire::utc_iso(c, "start_time")},
                     {"updated_at", item.updated_at},
                     {"answered", status == "completed"},
                     {"recording_url", nullptr},
                     {"customer_name", wire::member(c, "caller_name")}};
        return item;
    }
};

}  // namespace

const Platform& twilio_platform() {
    static const Twilio platform;
    return platform;
}

}  // namespace onramp::connectors
