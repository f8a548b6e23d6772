// The mock Stripe API under /stripe (standing in for https://api.stripe.com),
// one test-mode account whose payments are the data set's orders: order i is
// PaymentIntent pi_demo<i> with charge ch_demo<i>, and a "refunded" order
// also has refund re_demo<i> of its whole amount.
//
//   GET  /v1/account                      the account (the secret key only; a restricted key 403s)
//   GET  /v1/payment_intents              list, newest first        (Payment Intents: Read)
//   GET  /v1/payment_intents/{id}         one; expand[]=latest_charge embeds the charge
//   POST /v1/payment_intents/{id}/cancel  a payment not yet succeeded becomes canceled
//   GET  /v1/refunds                      list, newest first        (Charges and Refunds: Read)
//   GET  /v1/refunds/{id}                 one
//   POST /v1/refunds                      payment_intent=…[&amount=…] refunds a succeeded payment
//
// Lists take limit (1..100, default 10), starting_after or ending_before
// (an id of that list, never both) and created[gt|gte|lt|lte]
// (https://stripe.com/docs/api/pagination); anything else in those is a 400
// invalid_request_error naming the param. Auth is Authorization: Bearer
// with one of the demo keys (module.cpp); errors are Stripe's shape
// {"error": {"type", "code", "message", "param"}} (https://stripe.com/docs/api/errors):
// 401 without a key or with another, 403 permission_error when a restricted
// key lacks the permission (the faults' missing_scopes take permissions away
// by the catalog's scope names), 404 resource_missing, 429 rate_limit past
// kRequestsPerSecond. The cancellations and refunds made here are kept by
// this file, per running mock.
#include <algorithm>
#include <cstdio>
#include <map>

#include "edge/connectors/wire.h"
#include "edge/mock/internal.h"

namespace onramp::platforms::stripe {
const char* demo_secret_key();
const char* demo_restricted_key();
}

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "stripe";
// The basic rate limiter's sandbox rate, which is what test-mode keys get
// (live mode allows 100; https://stripe.com/docs/rate-limits).
constexpr int kRequestsPerSecond = 25;

struct Refund {
    std::string id;
    int64_t order = 0;  // data set index of the payment refunded
    int64_t amount = 0;
    int64_t created = 0;
};

// What requests to this mock changed, under its State's mu.
struct Changes {
    std::set<int64_t> canceled;  // order indexes
    std::vector<Refund> refunds;
};

std::map<const State*, Changes>& changes_of() {
    static std::map<const State*, Changes> all;
    return all;
}

http::Response failed(int status, const std::string& type, const std::string& message, const std::string& code = "",
                      const std::string& param = "") {
    json error = {{"type", type}, {"message", message}};
    if (!code.empty()) error["code"] = code;
    if (!param.empty()) error["param"] = param;
    return reply({{"error", error}}, status);
}

http::Response invalid(const std::string& message, const std::string& param, const std::string& code = "parameter_invalid_integer") {
    return failed(400, "invalid_request_error", message, code, param);
}

http::Response error(int status, const std::string& message, double) {
    if (status == 429)
        return failed(429, "invalid_request_error", "Request rate limit exceeded. " + message, "rate_limit");
    return failed(status, "api_error", message);
}

std::string padded(const char* prefix, int64_t i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%010lld", prefix, static_cast<long long>(i));
    return buf;
}

// The order index in "pi_demo0000000042", or -1.
int64_t index_of(const std::string& id, std::string_view prefix, const State& s) {
    if (id.size() != prefix.size() + 10 || id.compare(0, prefix.size(), prefix) != 0) return -1;
    std::string digits = id.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos) return -1;
    int64_t i = std::stoll(digits);
    return i < s.data.count(Kind::order) ? i : -1;
}

// Which key the request carries: "secret", "restricted" or "" for none we know.
std::string key_kind(State& s, const http::Request& req) {
    std::string auth = req.header("Authorization");
    if (revoked(s, kPlatform) || auth.rfind("Bearer ", 0) != 0) return "";
    std::string key = auth.substr(7);
    if (key == platforms::stripe::demo_secret_key()) return "secret";
    if (key == platforms::stripe::demo_restricted_key()) return "restricted";
    return "";
}

// The demo restricted key reads payments and refunds and nothing else, less
// what the faults take away.
bool restricted_may(State& s, const char* permission) {
    if (!permission) return false;
    std::string p = permission;
    return (p == "payment_intents_read" || p == "charges_read") && !scope_missing(s, kPlatform, p);
}

int64_t refunded_amount(const Changes& c, const Order& o) {
    int64_t sum = o.status == "refunded" ? o.total_cents : 0;
    for (const Refund& r : c.refunds)
        if (r.order == o.index) sum += r.amount;
    return sum;
}

std::string payment_status(const Changes& c, const Order& o) {
    if (c.canceled.count(o.index)) return "canceled";
    return o.status == "pending" ? "requires_payment_method" : "succeeded";
}

json charge_json(const Changes& c, const Order& o) {
    int64_t refunded = refunded_amount(c, o);
    return {{"id", padded("ch_demo", o.index)},
            {"object", "charge"},
            {"amount", o.total_cents},
            {"amount_refunded", refunded},
            {"refunded", refunded >= o.total_cents},
            {"currency", "usd"},
            {"payment_intent", padded("pi_demo", o.index)},
            {"created", o.created_at},
            {"livemode", false}};
}

json payment_json(const Changes& c, const Order& o, bool expand_charge) {
    std::string status = payment_status(c, o);
    bool charged = o.status != "pending";
    json charge = charged ? (expand_charge ? charge_json(c, o) : json(padded("ch_demo", o.index))) : json(nullptr);
    return {{"id", padded("pi_demo", o.index)},
            {"object", "payment_intent"},
            {"amount", o.total_cents},
            {"amount_received", status == "succeeded" ? o.total_cents : 0},
            {"currency", "usd"},
            {"customer", nullptr},
            {"description", "Order #" + std::to_string(1000 + o.index)},
            {"receipt_email", o.email},
            {"status", status},
            {"latest_charge", charge},
            {"created", o.created_at},
            {"livemode", false},
            {"metadata", json::object()}};
}

json refund_json(const Refund& r) {
    return {{"id", r.id},
            {"object", "refund"},
            {"amount", r.amount},
            {"currency", "usd"},
            {"charge", padded("ch_demo", r.order)},
            {"payment_intent", padded("pi_demo", r.order)},
            {"reason", "requested_by_customer"},
            {"status", "succeeded"},
            {"created", r.created}};
}

// Every refund, the data set's and those made here.
std::vector<Refund> all_refunds(State& s, const Changes& c) {
    std::vector<Refund> out;
    for (int64_t i = 0; i < s.data.count(Kind::order); ++i) {
        Order o = s.data.order(i);
        if (o.status == "refunded") out.push_back({padded("re_demo", i), i, o.total_cents, o.created_at + 3600});
    }
    out.insert(out.end(), c.refunds.begin(), c.refunds.end());
    return out;
}

struct Listed {
    std::string id;
    int64_t created = 0;
    json object;
};

// Stripe's list rules over `all`, which this sorts newest first.
http::Response list(const http::Request& req, const std::string& url, std::vector<Listed> all) {
    std::string limit_text = q(req, "limit");
    int64_t limit = 10;
    if (!limit_text.empty()) {
        bool digits = limit_text.size() <= 6 && limit_text.find_first_not_of("0123456789") == std::string::npos;
        limit = digits ? std::stoll(limit_text) : -1;
        if (limit < 1 || limit > 100)
            return invalid("This value must be greater than or equal to 1 and less than or equal to 100.", "limit");
    }
    std::string after = q(req, "starting_after"), before = q(req, "ending_before");
    if (!after.empty() && !before.empty())
        return invalid("You may only specify one of these parameters: starting_after, ending_before.", "ending_before",
                       "parameter_invalid_empty");
    int64_t bounds[4] = {-1, -1, -1, -1};
    const char* names[4] = {"created[gt]", "created[gte]", "created[lt]", "created[lte]"};
    for (int k = 0; k < 4; ++k) {
        std::string v = q(req, names[k]);
        if (v.empty()) continue;
        if (v.size() > 12 || v.find_first_not_of("0123456789") != std::string::npos)
            return invalid("Invalid integer: " + v.substr(0, 20), names[k]);
        bounds[k] = std::stoll(v);
    }
    std::sort(all.begin(), all.end(),
              [](const Listed& a, const Listed& b) { return a.created != b.created ? a.created > b.created : a.id > b.id; });
    std::vector<Listed> kept;
    for (Listed& l : all) {
        if ((bounds[0] >= 0 && l.created <= bounds[0]) || (bounds[1] >= 0 && l.created < bounds[1]) ||
            (bounds[2] >= 0 && l.created >= bounds[2]) || (bounds[3] >= 0 && l.created > bounds[3]))
            continue;
        kept.push_back(std::move(l));
    }
    size_t from = 0, to = kept.size();
    const std::string& cursor = after.empty() ? before : after;
    if (!cursor.empty()) {
        auto it = std::find_if(kept.begin(), kept.end(), [&](const Listed& l) { return l.id == cursor; });
        const char* param = after.empty() ? "ending_before" : "starting_after";
        if (it == kept.end())
            return failed(400, "invalid_request_error", "No such object: '" + cursor.substr(0, 64) + "'",
                          "resource_missing", param);
        size_t at = size_t(it - kept.begin());
        if (after.empty()) {
            to = at;
            from = to > size_t(limit) ? to - size_t(limit) : 0;
        } else {
            from = at + 1;
        }
    }
    to = std::min(to, from + size_t(limit));
    json data = json::array();
    for (size_t i = from; i < to; ++i) data.push_back(kept[i].object);
    bool more = after.empty() && !before.empty() ? from > 0 : to < kept.size();
    return reply({{"object", "list"}, {"url", url}, {"has_more", more}, {"data", data}});
}

// A form parameter of a POST body (Stripe's bodies are form-encoded).
std::string form(const http::Request& req, const std::string& name) {
    return connectors::wire::query_param("?" + req.body, name);
}

http::Response missing(const std::string& what, const std::string& id) {
    return failed(404, "invalid_request_error", "No such " + what + ": '" + id.substr(0, 64) + "'", "resource_missing",
                  "id");
}

}  // namespace

void add_stripe(http::Router& r, State& s) {
    {
        std::lock_guard<std::mutex> lock(s.mu);
        changes_of()[&s] = Changes{};
    }
    // `permission`: what a restricted key needs, in the catalog's scope
    // names; null: only the secret key may call it.
    auto route = [&](const char* method, const std::string& pattern, const char* permission,
                     std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, method, "/stripe" + pattern, [&s, permission, fn](const http::Request& req) {
            std::string kind = key_kind(s, req);
            if (kind.empty()) {
                bool none = req.header("Authorization").empty();
                return failed(401, "invalid_request_error",
                              none ? "You did not provide an API key. Provide it in the Authorization header, using "
                                     "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
                                   : "Invalid API Key provided.",
                              none ? "" : "api_key_invalid");
            }
            if (kind == "restricted" && !restricted_may(s, permission))
                return failed(403, "permission_error",
                              "The provided key does not have the required permissions for this endpoint." +
                                  std::string(permission ? " Having the '" + std::string(permission) +
                                                               "' permission would allow this request to continue."
                                                         : ""));
            if (!window_take(s, kPlatform, kRequestsPerSecond, 1000).allowed)
                return error(429, "Too many requests hit the API too quickly.", 1);
            return fn(s, req);
        });
    };

    route("GET", "/v1/account", nullptr, [](State&, const http::Request&) {
        return reply({{"id", "acct_1OnrampDemo0001"},
                      {"object", "account"},
                      {"business_profile", {{"name", "Onramp Demo Shop"}}},
                      {"country", "US"},
                      {"default_currency", "usd"},
                      {"charges_enabled", true},
                      {"payouts_enabled", true}});
    });
    route("GET", "/v1/payment_intents", "payment_intents_read", [](State& st, const http::Request& req) {
        std::vector<Listed> all;
        std::lock_guard<std::mutex> lock(st.mu);
        const Changes& c = changes_of()[&st];
        for (int64_t i = 0; i < st.data.count(Kind::order); ++i) {
            Order o = st.data.order(i);
            all.push_back({padded("pi_demo", i), o.created_at, payment_json(c, o, false)});
        }
        return list(req, "/v1/payment_intents", std::move(all));
    });
    route("GET", "/v1/payment_intents/{id}", "payment_intents_read", [](State& st, const http::Request& req) {
        int64_t i = index_of(req.param("id"), "pi_demo", st);
        if (i < 0) return missing("payment_intent", req.param("id"));
        bool expand = q(req, "expand[]") == "latest_charge";
        std::lock_guard<std::mutex> lock(st.mu);
        return reply(payment_json(changes_of()[&st], st.data.order(i), expand));
    });
    route("POST", "/v1/payment_intents/{id}/cancel", "payment_intents_write", [](State& st, const http::Request& req) {
        int64_t i = index_of(req.param("id"), "pi_demo", st);
        if (i < 0) return missing("payment_intent", req.param("id"));
        std::lock_guard<std::mutex> lock(st.mu);
        Changes& c = changes_of()[&st];
        Order o = st.data.order(i);
        std::string status = payment_status(c, o);
        if (status == "succeeded" || status == "canceled")
            return failed(400, "invalid_request_error",
                          "You cannot cancel this PaymentIntent because it has a status of " + status + ".",
                          "payment_intent_unexpected_state");
        c.canceled.insert(i);
        return reply(payment_json(c, o, false));
    });
    route("GET", "/v1/refunds", "charges_read", [](State& st, const http::Request& req) {
        std::vector<Listed> all;
        std::lock_guard<std::mutex> lock(st.mu);
        for (const Refund& f : all_refunds(st, changes_of()[&st])) all.push_back({f.id, f.created, refund_json(f)});
        return list(req, "/v1/refunds", std::move(all));
    });
    route("GET", "/v1/refunds/{id}", "charges_read", [](State& st, const http::Request& req) {
        std::string id = req.param("id");
        std::lock_guard<std::mutex> lock(st.mu);
        for (const Refund& f : all_refunds(st, changes_of()[&st]))
            if (f.id == id) return reply(refund_json(f));
        return missing("refund", id);
    });
    route("POST", "/v1/refunds", "charges_write", [](State& st, const http::Request& req) {
        std::string pi = form(req, "payment_intent");
        if (pi.empty())
            return failed(400, "invalid_request_error", "One of the following params should be provided for this "
                          "request: payment_intent or charge.", "parameter_missing", "payment_intent");
        int64_t i = index_of(pi, "pi_demo", st);
        if (i < 0) return missing("payment_intent", pi);
        std::lock_guard<std::mutex> lock(st.mu);
        Changes& c = changes_of()[&st];
        Order o = st.data.order(i);
        int64_t left = o.total_cents - refunded_amount(c, o);
        if (payment_status(c, o) != "succeeded" || left <= 0)
            return failed(400, "invalid_request_error", "Charge " + padded("ch_demo", i) + " has already been refunded.",
                          "charge_already_refunded");
        std::string amount_text = form(req, "amount");
        int64_t amount = left;
        if (!amount_text.empty()) {
            bool digits = amount_text.size() <= 12 && amount_text.find_first_not_of("0123456789") == std::string::npos;
            amount = digits ? std::stoll(amount_text) : -1;
            if (amount < 1 || amount > left)
                return invalid("Refund amount must be between 1 and " + std::to_string(left) + ".", "amount");
        }
        Refund f{padded("re_mock", int64_t(c.refunds.size())), i, amount, st.wall_now()};
        c.refunds.push_back(f);
        return reply(refund_json(f));
    });
}

}  // namespace onramp::mock
