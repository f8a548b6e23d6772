// Stripe REST API v1 (https://stripe.com/docs/api).
//
//   auth        Authorization: Bearer {secret_key}: a secret key (sk_live_, sk_test_)
//               or a restricted key (rk_live_, rk_test_)
//               (https://stripe.com/docs/api/authentication, https://stripe.com/docs/keys)
//   version     Stripe-Version: kStripeVersion on every call, so an account's default
//               version never changes the shapes read here (https://stripe.com/docs/api/versioning)
//   base        https://api.stripe.com   (override key "stripe")
//   test        GET /v1/account                    → the account's name and country (step
//               fetch_account); a restricted key may not read it (403), which is no failure
//               GET /v1/payment_intents?limit=1    → Payment Intents: Read   (step check_scopes)
//               GET /v1/refunds?limit=1            → Charges and Refunds: Read
//   payments    GET /v1/payment_intents?limit=100&starting_after={cursor}&created[gte]=…&created[lte]=…
//   refunds     GET /v1/refunds?limit=100&starting_after={cursor}&created[gte]=…&created[lte]=…
//               both {"object": "list", "data": [...], "has_more": bool}, newest first; the
//               next page starts after the last id of this one (https://stripe.com/docs/api/pagination)
//   errors      {"error": {"type", "code", "message", "param"}}: 401 a wrong or revoked key,
//               403 permission_error (a restricted key without the permission), 429 rate limited
//               (https://stripe.com/docs/api/errors)
//
// Stripe objects carry no change time, only `created`, so the incremental
// window filters on created: a later change to an older payment (captured,
// refunded) arrives through its webhook event (webhook.cpp), not the
// scheduled run. Amounts stay Stripe's integers in the currency's smallest
// unit (edge/connectors/connector.h).
//
// Security: the key never appears in a Failure; Stripe's 401 message
// quotes part of the key, so it is replaced by the error's type.
#include <nlohmann/json.hpp>

#include "edge/connectors/platforms.h"
#include "edge/connectors/wire.h"

namespace onramp::connectors {

namespace {

using nlohmann::json;

// The API version every call asks for.
constexpr const char* kStripeVersion = "2024-06-20";
// The largest page Stripe serves (https://stripe.com/docs/api/pagination).
constexpr int kPageSize = 100;

constexpr std::string_view kKeyPrefixes[] = {"sk_live_", "sk_test_", "rk_live_", "rk_test_"};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// A key in one of the four documented prefixes followed by letters and
// digits; anything else never reaches Stripe.
bool key_shaped(const std::string& key) {
    for (std::string_view prefix : kKeyPrefixes) {
        if (!starts_with(key, prefix) || key.size() == prefix.size()) continue;
        for (size_t i = prefix.size(); i < key.size(); ++i) {
            char c = key[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
        }
        return true;
    }
    return false;
}

// A Stripe object id: letters, digits and '_' ("pi_3Mt…", "re_1N…").
bool id_shaped(const std::string& id) {
    if (id.empty() || id.size() > 255) return false;
    for (char c : id)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

struct ScopeProbe {
    const char* scope;
    const char* path;
};

// One cheap read per permission the sync needs.
constexpr ScopeProbe kProbes[] = {
    {"payment_intents_read", "/v1/payment_intents?limit=1"},
    {"charges_read", "/v1/refunds?limit=1"},
};

struct ListOf {
    const char* step;
    const char* path;
};

ListOf list_of(Resource r) {
    if (r == Resource::payments) return {"list_payments", "/v1/payment_intents"};
    return {"list_refunds", "/v1/refunds"};
}

class Stripe final : public Platform {
public:
    Stripe() : Platform(catalog_entry("stripe")) {}

    std::vector<Resource> resources() const override { return {Resource::payments, Resource::refunds}; }

    TestOutcome test(const Credentials& creds, CallContext& ctx) const override {
        TestOutcome out;
        for (const Scope& s : entry().scopes) out.verified.required_scopes.emplace_back(s.name);
        if (auto bad = malformed_key(creds, "fetch_account")) {
            out.failure = bad;
            return out;
        }
        const std::string& key = creds.at("secret_key");
        out.verified.details = {{"livemode", key.find("_live_") != std::string::npos},
                                {"restricted", starts_with(key, "rk_")}};

        auto res = wire::send(*this, ctx, request(creds, ctx, "fetch_account", "/v1/account"));
        if (!res) {
            out.failure = res.failure();
            return out;
        }
        if (res->status == 200) {
            auto account = wire::parse_json(res->body);
            if (!account) {
                out.failure = wire::unreadable(*this, "fetch_account", "the account is not JSON");
                return out;
            }
            json profile = wire::member(*account, "business_profile");
            std::string name = wire::text(profile, "name");
            if (name.empty()) name = wire::text(wire::member(wire::member(*account, "settings"), "dashboard"), "display_name");
            out.verified.account_id = wire::text(*account, "id");
            out.verified.account_name = name.empty() ? out.verified.account_id : name;
            out.verified.details["country"] = wire::member(*account, "country");
            out.verified.details["default_currency"] = wire::member(*account, "default_currency");
            out.verified.details["charges_enabled"] = wire::member(*account, "charges_enabled");
        } else if (res->status != 403) {
            out.failure = failure(ctx, "fetch_account", *res);
            return out;
        }

        for (const ScopeProbe& probe : kProbes) {
            auto r = wire::send(*this, ctx, request(creds, ctx, "check_scopes", probe.path));
            if (!r) {
                out.failure = r.failure();
                return out;
            }
            if (r->status == 200) {
                out.verified.granted_scopes.emplace_back(probe.scope);
            } else if (r->status == 403) {
                out.verified.missing_scopes.emplace_back(probe.scope);
            } else {
                out.failure = failure(ctx, "check_scopes", *r);
                return out;
            }
        }
        if (!out.verified.missing_scopes.empty()) {
            Failure f;
            f.step = "check_scopes";
            f.cause = Cause::scope_missing;
            f.http_status = 403;
            f.field = "secret_key";
            f.missing_scopes = out.verified.missing_scopes;
            f.message = "The restricted key works, but it may not read " +
                        wire::scope_labels(entry(), f.missing_scopes) +
                        ". In the Stripe Dashboard (Developers → API keys), edit the key and set those to Read.";
            out.failure = f;
        }
        return out;
    }

    Outcome<Page> fetch_page(const Credentials& creds, CallContext& ctx, Resource resource, const std::string& cursor,
                             const Window& window) const override {
        if (resource != Resource::payments && resource != Resource::refunds)
            return wire::unsupported_resource(*this, resource);
        ListOf list = list_of(resource);
        if (auto bad = malformed_key(creds, list.step)) return *bad;
        if (!cursor.empty() && !id_shaped(cursor)) return wire::unreadable(*this, list.step, "the cursor is not a Stripe id");
        std::string q = wire::query({{"limit", std::to_string(kPageSize)},
                                     {"starting_after", cursor},
                                     {"created[gte]", unix_text(window.updated_after)},
                                     {"created[lte]", unix_text(window.updated_before)}});
        auto j = call(creds, ctx, list.step, list.path + q);
        if (!j) return j.failure();
        json data = wire::member(*j, "data");
        if (wire::text(*j, "object") != "list" || !data.is_array())
            return wire::unreadable(*this, list.step, "not a Stripe list");
        Page page;
        for (const json& o : data) page.items.push_back(item(resource, o));
        if (wire::member(*j, "has_more") == json(true) && !page.items.empty()) page.next_cursor = page.items.back().id;
        return page;
    }

    Outcome<Item> fetch_one(const Credentials& creds, CallContext& ctx, Resource resource,
                            const std::string& id) const override {
        if (resource != Resource::payments && resource != Resource::refunds)
            return wire::unsupported_resource(*this, resource);
        if (!id_shaped(id)) return wire::not_an_id(*this, id, "letters, digits and _");
        if (auto bad = malformed_key(creds, "fetch_one")) return *bad;
        // A payment's refunded amount is on its latest charge, expanded in
        // the same call (https://stripe.com/docs/expand).
        std::string path = resource == Resource::payments
                               ? "/v1/payment_intents/" + wire::path_id(id) + "?expand%5B%5D=latest_charge"
                               : "/v1/refunds/" + wire::path_id(id);
        auto j = call(creds, ctx, "fetch_one", path);
        if (!j) return j.failure();
        return item(resource, *j);
    }

    Outcome<ProxyTarget> proxy(const Credentials& creds, CallContext& ctx) const override {
        if (auto bad = malformed_key(creds, "proxy")) return *bad;
        ProxyTarget t;
        t.base_url = api(creds, ctx);
        t.headers = headers(creds);
        return t;
    }

private:
    static std::string api(const Credentials& creds, const CallContext& ctx) {
        return wire::base_url(ctx, "stripe", "https://api.stripe.com", creds);
    }

    static http::Headers headers(const Credentials& creds) {
        return {{"Authorization", "Bearer " + creds.at("secret_key")},
                {"Stripe-Version", kStripeVersion},
                {"Accept", "application/json"}};
    }

    static wire::Request request(const Credentials& creds, const CallContext& ctx, std::string step,
                                 const std::string& path) {
        wire::Request r;
        r.step = std::move(step);
        r.url = api(creds, ctx) + path;
        r.headers = headers(creds);
        return r;
    }

    // "" for an open bound, else the window's ISO time as Unix seconds.
    static std::string unix_text(const std::string& iso) {
        if (iso.empty()) return "";
        int64_t t = wire::unix_seconds(iso);
        return t < 0 ? "" : std::to_string(t);
    }

    std::optional<Failure> malformed_key(const Credentials& creds, const std::string& step) const {
        const std::string& key = creds.at("secret_key");
        if (key_shaped(key)) return std::nullopt;
        Failure f;
        f.step = step;
        f.cause = Cause::credential_rejected;
        f.field = "secret_key";
        f.message = starts_with(key, "pk_")
                        ? "That is the publishable key, which only identifies the account. Paste a restricted key "
                          "(rk_live_…) or the secret key (sk_live_…) from Developers → API keys."
                        : "That is not a Stripe secret or restricted key. They start with sk_live_, sk_test_, "
                          "rk_live_ or rk_test_; copy the key again from Developers → API keys.";
        return f;
    }

    // A non-2xx answer in Stripe's words: {"error": {"type", "code", "message"}}.
    Failure failure(const CallContext& ctx, const std::string& step, const http::FetchResponse& res) const {
        auto body = wire::parse_json(res.body);
        json error = body ? wire::member(*body, "error") : json();
        std::string type = wire::text(error, "type");
        std::string said = res.status == 401 ? type : wire::text(error, "message");
        Failure f = wire::status_failure(*this, ctx, step, res, said);
        if (f.cause == Cause::credential_rejected) {
            f.field = "secret_key";
            f.message = "Stripe did not accept the key. Copy it again from Developers → API keys; a key that "
                        "was rolled or deleted there stops working.";
        } else if (f.cause == Cause::scope_missing) {
            f.field = "secret_key";
            f.message = "The restricted key may not do this. In the Stripe Dashboard (Developers → API keys), "
                        "give it Read on Payment Intents and on Charges and Refunds.";
            f.missing_scopes = {step == "list_refunds" ? "charges_read" : "payment_intents_read"};
        } else if (res.status == 400 && !wire::text(error, "param").empty()) {
            f.platform_message += " (param " + wire::text(error, "param") + ")";
        }
        return f;
    }

    Outcome<json> call(const Credentials& creds, CallContext& ctx, const std::string& step,
                       const std::string& path) const {
        auto res = wire::send(*this, ctx, request(creds, ctx, step, path));
        if (!res) return res.failure();
        if (res->status < 200 || res->status > 299) return failure(ctx, step, *res);
        auto j = wire::parse_json(res->body);
        if (!j || !j->is_object()) return wire::unreadable(*this, step, "the answer is not a Stripe object");
        return *j;
    }

    static json integer_or_null(const json& o, std::string_view key) {
        json v = wire::member(o, key);
        return v.is_number_integer() ? v : json(nullptr);
    }

    // An expandable field: the id whether Stripe sent the id or the object.
    static json id_of(const json& o, std::string_view key) {
        json v = wire::member(o, key);
        if (v.is_object()) v = wire::member(v, "id");
        return v.is_string() ? v : json(nullptr);
    }

    static Item item(Resource resource, const json& o) {
        Item it;
        it.id = wire::text(o, "id");
        std::string created = wire::utc_iso(o, "created");
        it.updated_at = created;
        if (resource == Resource::payments) {
            json charge = wire::member(o, "latest_charge");
            it.data = {{"id", it.id},
                       {"status", wire::member(o, "status")},
                       {"amount", integer_or_null(o, "amount")},
                       {"amount_received", integer_or_null(o, "amount_received")},
                       {"amount_refunded", charge.is_object() ? integer_or_null(charge, "amount_refunded") : json(nullptr)},
                       {"currency", wire::member(o, "currency")},
                       {"customer", id_of(o, "customer")},
                       {"description", wire::member(o, "description")},
                       {"created_at", created},
                       {"updated_at", created}};
        } else {
            it.data = {{"id", it.id},
                       {"payment_id", id_of(o, "payment_intent")},
                       {"charge_id", id_of(o, "charge")},
                       {"status", wire::member(o, "status")},
                       {"amount", integer_or_null(o, "amount")},
                       {"currency", wire::member(o, "currency")},
                       {"reason", wire::member(o, "reason")},
                       {"created_at", created},
                       {"updated_at", created}};
        }
        return it;
    }
};

}  // namespace

const Platform& stripe_platform() {
    static const Stripe platform;
    return platform;
}

}  // namespace onramp::connectors
