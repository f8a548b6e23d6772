// CallRail API v3.
//
//   auth        Authorization: Token token="{api_key}"   (quoted, as CallRail's docs write it)
//   base        https://api.callrail.com/v3   (override key "callrail" replaces the origin)
//   test        GET /v3/a.json → the accounts the key sees; the configured account must be
//               among them, by id (ACC…) or number (step list_accounts)
//               GET /v3/a/{account}/calls.json?per_page=1 → the key may read calls (check_access)
//   calls       GET /v3/a/{account}/calls.json?page=N&per_page=250&sort=start_time&order=asc
//               [&start_date&end_date]; {page, per_page, total_pages, total_records, calls}
//               The window applies to the call's start time: CallRail filters on nothing else.
//   errors      {"error": "..."}; 429 without rate headers
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

constexpr int kPageSize = 250;  // the calls endpoint's maximum per_page

class CallRail final : public Platform {
public:
    CallRail() : Platform(catalog_entry("callrail")) {}

    std::vector<Resource> resources() const override { return {Resource::calls}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        auto accounts = wire::call_json(*this, ctx, request(creds, ctx, "list_accounts", "/v3/a.json"));
        if (!accounts) {
            out.failure = explain(accounts.failure(), creds);
            return out;
        }
        const std::string& wanted = creds.at("account_id");
        json found;
        json list = wire::member(*accounts, "accounts");
        if (list.is_array())
            for (const json& a : list)
                if (wire::text(a, "id") == wanted || wire::text(a, "numeric_id") == wanted) found = a;
        if (found.is_null()) {
            Failure f;
            f.step = "list_accounts";
            f.cause = Cause::store_not_found;
            f.message = "The API key works, but it cannot see account " + wanted +
                        ". Check the account number, or create the key as a user of that account.";
            out.failure = f;
            return out;
        }
        out.verified.account_name = wire::text(found, "name");
        out.verified.account_id = wire::text(found, "id");
        out.verified.details = {{"numeric_id", wire::member(found, "numeric_id")},
                                {"hipaa_account", wire::member(found, "hipaa_account")}};

        auto calls = wire::call_json(*this, ctx, request(creds, ctx, "check_access", calls_path(creds) + "?per_page=1"));
        if (!calls) out.failure = explain(calls.failure(), creds);
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& w) const override {
        if (resource != Resource::calls) return wire::unsupported_resource(*this, resource);
        if (!cursor.empty() && cursor.find_first_not_of("0123456789") != std::string::npos)
            return wire::unreadable(*this, "list_calls", "bad cursor");
        std::string page_no = cursor.empty() ? "1" : cursor;
        std::string q = wire::query({{"page", page_no},
                                     {"per_page", std::to_string(kPageSize)},
                                     {"sort", "start_time"},
                                     {"order", "asc"},
                                     {"start_date", w.updated_after},
                                     {"end_date", w.updated_before}});
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "list_calls", calls_path(creds) + q));
        if (!j) return explain(j.failure(), creds);
        json calls = wire::member(*j, "calls");
        if (!calls.is_array()) return wire::unreadable(*this, "list_calls", "no calls array");
        Page page;
        for (const json& c : calls) page.items.push_back(call_item(c));
        int64_t current = std::atoll(page_no.c_str());
        json pages = wire::member(*j, "total_pages");
        if (pages.is_number_integer() && current < pages.get<int64_t>() && !page.items.empty())
            page.next_cursor = std::to_string(current + 1);
        if (cursor.empty() && wire::member(*j, "total_records").is_number_integer())
            page.total = (*j)["total_records"].get<int64_t>();
        return page;
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (resource != Resource::calls) return wire::unsupported_resource(*this, resource);
        std::string pid = wire::path_id(id);
        if (pid.empty()) return wire::unreadable(*this, "fetch_call", "empty id");
        std::string path = "/v3/a/" + creds.at("account_id") + "/calls/" + pid + ".json";
        auto j = wire::call_json(*this, ctx, request(creds, ctx, "fetch_call", path));
        if (!j) return j.failure();
        return call_item(*j);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        ProxyTarget t;
        t.base_url = origin(creds, ctx) + "/v3";
        t.headers = auth_headers(creds);
        return t;
    }

private:
    static std::string origin(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "callrail", "https://api.callrail.com", creds);
    }

    static std::string calls_path(const Credentials& creds) { return "/v3/a/" + creds.at("account_id") + "/calls.json"; }

    static http::Headers auth_headers(const Credentials& creds) {
        return {{"Authorization", "Token token=\"" + creds.at("api_key") + "\""}, {"Accept", "application/json"}};
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, std::string step,
                                 const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.url = origin(creds, ctx) + path;
        r.headers = auth_headers(creds);
        return r;
    }

    Failure explain(Failure f, const Credentials& creds) const {
        if (f.cause == Cause::credential_rejected)
            f.message = "CallRail did not accept the API key. Check that it was copied completely and not deleted "
                        "(Settings → Data Access → API Keys).";
        else if (f.cause == Cause::scope_missing)
            f.message = "The API key works, but its user may not read calls of account " + creds.at("account_id") +
                        ". Create the key as an administrator of that account.";
        else if (f.cause == Cause::store_not_found)
            f.message = "CallRail has no account " + creds.at("account_id") + " for this API key.";
        return f;
    }

    static Item call_item(const json& c) {
        Item item;
        item.id = wire::text(c, "id");
        item.updated_at = wire::utc_iso(c, "start_time");
        json answered = wire::member(c, "answered");
        item.data = {{"id", item.id},
                     {"direction", wire::member(c, "direction")},
                     {"from", wire::member(c, "customer_phone_number")},
                     {"to", wire::member(c, "tracking_phone_number")},
                     {"status", answered == true ? "completed" : (wire::member(c, "voicemail") == true ? "voicemail" : "missed")},
                     {"duration_seconds", wire::member(c, "duration")},
                     {"started_at", item.updated_at},
                     {"updated_at", item.updated_at},
                     {"answered", answered},
                     {"recording_url", wire::member(c, "recording")},
                     {"customer_name", wire::member(c, "customer_name")}};
        if (wire::text(c, "direction") == "outbound") {
            item.data["from"] = wire::member(c, "tracking_phone_number");
            item.data["to"] = wire::member(c, "customer_phone_number");
        }
        return item;
    }
};

}  // namespace

const Platform& callrail_platform() {
    static const CallRail platform;
    return platform;
}

}  // namespace onramp::connectors
