#include "edge/webhooks/receiver.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <optional>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/http/router.h"
#include "edge/platforms/module.h"
#include "edge/webhooks/endpoint.h"
#include "edge/webhooks/topics.h"
#include "edge/webhooks/verify.h"
#include "shared/json.h"

namespace onramp::webhooks {

namespace {

std::string media_type(const http::Request& req) {
    std::string raw = req.header("Content-Type");
    std::string out;
    for (char c : raw) {
        if (c == ';') break;
        if (c == ' ' || c == '\t') continue;
        out += char(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// What each scheme's senders put in Content-Type: JSON, and forms where
// Scheme::accepts_form (Twilio's callbacks, WooCommerce's creation ping).
bool accepted_type(const Scheme& scheme, const std::string& type) {
    if (type == "application/json") return true;
    return type == "application/x-www-form-urlencoded" && scheme.accepts_form;
}

Problem rejected(std::string detail) {
    Problem p = unauthorized(std::move(detail));
    p.error_code = "webhook_rejected";
    p.title = "Webhook delivery rejected";
    return p;
}

Problem unknown_target(std::string detail) {
    Problem p = not_found(std::move(detail));
    p.error_code = "webhook_endpoint_not_found";
    return p;
}

Delivery delivery_of(const App& app, const http::Request& req) {
    Delivery d;
    d.method = req.method;
    std::string base = app.config.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    d.url = base + req.target;
    d.headers = req.headers;
    d.body = req.body;
    return d;
}

// A handshake's answer: the text the sender checks for.
http::Response plain_answer(std::string text) {
    http::Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(text);
    r.set_header("Cache-Control", "no-store");
    return r;
}

// Written out by hand: it is built on the inbox's committer, the one thread
// every delivery passes, for each delivery of each batch.
http::Response acknowledged(const Stored& s) {
    http::Response r;
    r.body = s.duplicate ? R"({"received":true,"duplicate":true,"id":)" : R"({"received":true,"duplicate":false,"id":)";
    r.body += std::to_string(s.seq);
    r.body += '}';
    return r;
}

// A delivery that passed every check, ready to be stored; or the answer it
// gets without being stored (a ping).
struct Checked {
    std::optional<http::Response> answer;
    NewDelivery delivery;
};

Result<Checked> check(App& app, Inbox& inbox, Targets& targets, const std::string& platform,
                      const std::string& connection_id, const http::Request& req) {
    const Scheme* scheme = find_scheme(platform);
    if (!scheme) {
        inbox.count("", "rejected");
        return unknown_target("No webhook scheme \"" + platform + "\".");
    }
    int64_t now = app.now();
    std::shared_ptr<const Target> target;
    {
        auto db = app.store->lease();
        target = targets.find(*app.vault, *db, connection_id, now);
    }
    // Security: a connection that exists but takes another scheme answers
    // exactly like a missing one, so ids cannot be probed per scheme.
    if (!target || target->scheme != scheme) {
        inbox.count(target ? target->connection.id : "", "rejected");
        return unknown_target("No webhook endpoint here.");
    }
    const store::Connection* conn = &target->connection;

    std::string type = media_type(req);
    if (!accepted_type(*scheme, type)) {
        inbox.count(conn->id, "rejected");
        return unsupported_media_type(std::string(scheme->name) + " deliveries are application/json" +
                                      (scheme->accepts_form ? " or application/x-www-form-urlencoded." : "."));
    }

    Verdict v = verify(*scheme, delivery_of(app, req), target->secrets, now);
    if (v.ping) return Checked{http::Response::json({{"received", true}, {"ping", true}}), {}};
    if (!v.valid) {
        inbox.count(conn->id, "rejected");
        return rejected(v.reason);
    }

    NewDelivery d;
    d.org_id = conn->org_id;
    d.connection_id = conn->id;
    d.platform = conn->platform;
    d.topic = v.topic.empty() ? topic_from_body(std::string(scheme->name), req.body, type) : v.topic;
    d.delivery_id = v.delivery_id;
    d.body_sha256 = crypto::hex_encode(crypto::sha256(req.body));
    d.content_type = type;
    d.body = req.body;
    d.received_at = now;
    return Checked{std::nullopt, std::move(d)};
}

}  // namespace

Result<http::Response> receive(App& app, Inbox& inbox, Targets& targets, const std::string& platform,
                               const std::string& connection_id, const http::Request& req) {
    auto checked = check(app, inbox, targets, platform, connection_id, req);
    if (!checked) return checked.problem();
    if (checked->answer) return std::move(*checked->answer);
    // Answered once the commit holding the row is durable; no thread waits.
    return http::deferred(
        [&inbox, d = std::move(checked->delivery)](http::Finish finish) mutable {
            inbox.add_then(std::move(d), [finish = std::move(finish)](Result<Stored> stored) {
                finish(stored ? Result<http::Response>(acknowledged(*stored)) : Result<http::Response>(stored.problem()));
            });
        },
        req.request_id);
}

Result<http::Response> answer_handshake(App& app, Inbox& inbox, Targets& targets, const std::string& platform,
                                        const std::string& connection_id, const http::Request& req) {
    const Scheme* scheme = find_scheme(platform);
    std::shared_ptr<const Target> target;
    if (scheme && scheme->handshake) {
        auto db = app.store->lease();
        target = targets.find(*app.vault, *db, connection_id, app.now());
    }
    // Security: answered exactly like a POST to a missing endpoint, so ids
    // cannot be probed with GETs either.
    if (!target || target->scheme != scheme) {
        inbox.count(target ? target->connection.id : "", "rejected");
        return unknown_target("No webhook endpoint here.");
    }
    auto answer = scheme->handshake(req.query, target->secrets);
    if (!answer) {
        inbox.count(target->connection.id, "rejected");
        return answer.problem();
    }
    return plain_answer(std::move(*answer));
}

Result<http::Response> receive_bigcommerce_by_org(App& app, Inbox& inbox, Targets& targets, const http::Request& req) {
    // Only routing reads the body before verification; nothing it says is
    // trusted until the chosen connection's secret verified it.
    auto doc = parse_json(req.body);
    std::string org_id, producer;
    if (doc && doc->is_object()) {
        if (auto it = doc->find("org_id"); it != doc->end() && it->is_string()) org_id = it->get<std::string>();
        if (auto it = doc->find("producer"); it != doc->end() && it->is_string()) producer = it->get<std::string>();
    }
    std::vector<store::Connection> candidates;
    if (!org_id.empty()) {
        auto db = app.store->lease();
        for (auto& c : store::list_connections(*db, org_id))
            if (c.platform == "bigcommerce") candidates.push_back(std::move(c));
    }
    const store::Connection* chosen = candidates.size() == 1 ? &candidates.front() : nullptr;
    for (const auto& c : candidates) {
        auto hash = c.config.find("store_hash");
        if (hash != c.config.end() && hash->is_string() && producer == "stores/" + hash->get<std::string>()) chosen = &c;
    }
    if (!chosen) {
        inbox.count("", "rejected");
        return unknown_target("No BigCommerce connection for this delivery's org_id and producer.");
    }
    return receive(app, inbox, targets, "bigcommerce", chosen->id, req);
}

namespace {

// The platform's app-wide URL and its scheme, when it has one and this
// server has the app's secrets.
struct AppDoor {
    const platforms::AppWebhooks* hooks = nullptr;
    const Scheme* scheme = nullptr;
    Secrets secrets;
};

std::optional<AppDoor> app_door(App& app, const std::string& platform) {
    const platforms::Module* m = platforms::find_module(platform);
    const Scheme* scheme = find_scheme(platform);
    if (!m || !m->app_webhooks || !scheme) return std::nullopt;
    auto secrets = m->app_webhooks->secrets(app);
    if (!secrets) return std::nullopt;
    return AppDoor{m->app_webhooks, scheme, std::move(*secrets)};
}

// The deliveries of one app-wide POST, answered once the last is durable.
struct Routed {
    std::mutex mu;
    size_t left = 0;
    int64_t stored = 0, duplicates = 0, unrouted = 0;
    std::optional<Problem> failed;
    http::Finish finish;
};

}  // namespace

Result<http::Response> receive_for_app(App& app, Inbox& inbox, Targets& targets, const std::string& platform,
                                       const http::Request& req) {
    auto door = app_door(app, platform);
    if (!door) {
        inbox.count("", "rejected");
        return unknown_target("No webhook endpoint here.");
    }
    std::string type = media_type(req);
    if (!accepted_type(*door->scheme, type)) {
        inbox.count("", "rejected");
        return unsupported_media_type(std::string(door->scheme->name) + " deliveries are application/json.");
    }
    int64_t now = app.now();
    Verdict v = verify(*door->scheme, delivery_of(app, req), door->secrets, now);
    if (!v.valid) {
        inbox.count("", "rejected");
        return rejected(v.reason);
    }

    // Security: a part reaches only the connections whose own account field
    // names its account, and that take this scheme; the body's other
    // accounts are cut out of it first.
    std::vector<NewDelivery> routed;
    int64_t unrouted = 0;
    for (platforms::AccountPart& part : door->hooks->split(req.body)) {
        std::vector<store::Connection> owners;
        {
            auto db = app.store->lease();
            owners = store::connections_with_account(*db, platform, std::string(door->hooks->account_field),
                                                     part.account);
        }
        size_t taken = 0;
        for (const store::Connection& owner : owners) {
            std::shared_ptr<const Target> target;
            {
                auto db = app.store->lease();
                target = targets.find(*app.vault, *db, owner.id, now);
            }
            if (!target || target->scheme != door->scheme) continue;
            NewDelivery d;
            d.org_id = owner.org_id;
            d.connection_id = owner.id;
            d.platform = owner.platform;
            d.topic = topic_from_body(std::string(door->scheme->name), part.body, type);
            d.delivery_id = part.delivery_id;
            d.body_sha256 = crypto::hex_encode(crypto::sha256(part.body));
            d.content_type = type;
            d.body = part.body;
            d.received_at = now;
            routed.push_back(std::move(d));
            ++taken;
        }
        if (taken == 0) ++unrouted;
    }
    if (unrouted > 0) inbox.count("", "unrouted", unrouted);
    if (routed.empty()) return http::Response::json({{"received", true}, {"routed", 0}, {"unrouted", unrouted}});

    return http::deferred(
        [&inbox, routed = std::move(routed), unrouted](http::Finish finish) mutable {
            auto batch = std::make_shared<Routed>();
            batch->left = routed.size();
            batch->unrouted = unrouted;
            batch->finish = std::move(finish);
            for (NewDelivery& d : routed)
                inbox.add_then(std::move(d), [batch](Result<Stored> stored) {
                    std::lock_guard<std::mutex> lock(batch->mu);
                    if (!stored) batch->failed = stored.problem();
                    else if (stored->duplicate) ++batch->duplicates;
                    else ++batch->stored;
                    if (--batch->left > 0) return;
                    if (batch->failed) return batch->finish(*batch->failed);
                    batch->finish(http::Response::json({{"received", true},
                                                        {"routed", batch->stored + batch->duplicates},
                                                        {"duplicates", batch->duplicates},
                                                        {"unrouted", batch->unrouted}}));
                });
        },
        req.request_id);
}

Result<http::Response> answer_app_handshake(App& app, Inbox& inbox, const std::string& platform,
                                            const http::Request& req) {
    auto door = app_door(app, platform);
    if (!door || !door->scheme->handshake) {
        inbox.count("", "rejected");
        return unknown_target("No webhook endpoint here.");
    }
    auto answer = door->scheme->handshake(req.query, door->secrets);
    if (!answer) {
        inbox.count("", "rejected");
        return answer.problem();
    }
    return plain_answer(std::move(*answer));
}

}  // namespace onramp::webhooks
