// Meta (https://developers.facebook.com/docs/graph-api/webhooks/getting-started):
// one callback URL both checks and receives.
//
//   GET   ?hub.mode=subscribe&hub.challenge=<number>&hub.verify_token=<token>
//         when the URL is set in the App Dashboard: the answer is the
//         challenge, as it came, with 200; anything else fails the check.
//         The verify token is the one typed into the dashboard, kept as the
//         connection's verify_token credential (Scheme::handshake_credential);
//         a wrong or missing one is 403 and nothing is stored.
//   POST  an event notification: {"object": "page"|"instagram", "entry": [{
//         "id", "time", "messaging": [...]} or {"id", "time", "changes":
//         [{"field", "value"}]}]}, several entries per POST possible
//         (https://developers.facebook.com/docs/messenger-platform/webhooks,
//         https://developers.facebook.com/docs/graph-api/webhooks/reference/page),
//         signed in X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the
//         raw body keyed with the app secret. Meta signs the body as sent
//         (non-ASCII escaped as \uXXXX), so the bytes are checked as received.
//
// The key is the Onramp app's secret, which the sign-in sets as the
// connection's webhook secret (oauth.cpp), as Shopify's app secret is. Nothing
// dates the signature, so replays are caught only by the inbox's
// de-duplication: a notification is named by its first event's id (the
// message's mid, the comment's id), which a retry repeats.
//
// Security: the signature and the verify token are compared in constant
// time; a missing, repeated, malformed or different header is refused, and
// without a key nothing is accepted.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/platforms/meta/webhook.h"
#include "edge/webhooks/internal.h"
#include "shared/json.h"

namespace onramp::webhooks {

namespace {

using nlohmann::json;

const json* member(const json& j, const char* name) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
}

std::string text(const json* j) {
    if (!j) return "";
    if (j->is_string()) return j->get<std::string>();
    if (j->is_number_integer()) return std::to_string(j->get<int64_t>());
    return "";
}

// The first entry of a notification, when it is one.
const json* first_entry(const json& doc) {
    const json* entries = member(doc, "entry");
    if (!entries || !entries->is_array() || entries->empty()) return nullptr;
    return &entries->front();
}

// The first event's own id: a message's mid, else a comment's id.
std::string first_event_id(const json& doc) {
    const json* entry = first_entry(doc);
    if (!entry) return "";
    if (const json* messaging = member(*entry, "messaging"); messaging && messaging->is_array() && !messaging->empty()) {
        const json& event = messaging->front();
        for (const char* kind : {"message", "reaction", "postback"})
            if (const json* m = member(event, kind)) {
                std::string mid = text(member(*m, "mid"));
                if (!mid.empty()) return mid;
            }
        return "";
    }
    if (const json* changes = member(*entry, "changes"); changes && changes->is_array() && !changes->empty()) {
        const json* value = member(changes->front(), "value");
        if (!value) return "";
        std::string id = text(member(*value, "comment_id"));
        return id.empty() ? text(member(*value, "id")) : id;
    }
    return "";
}

}  // namespace

std::string sign_meta(std::string_view app_secret, std::string_view body) {
    return "sha256=" + crypto::hex_encode(crypto::hmac_sha256(app_secret, body));
}

std::string meta_topic(std::string_view body) {
    // Read through the bounded entry point, as every body from outside is
    // (shared/json.h).
    auto doc = parse_json(body);
    if (!doc || !doc->is_object()) return "";
    std::string object = text(member(*doc, "object"));
    const json* entry = first_entry(*doc);
    if (object.empty() || !entry) return "";
    if (member(*entry, "messaging")) return object + ".messages";
    const json* changes = member(*entry, "changes");
    if (!changes || !changes->is_array() || changes->empty()) return "";
    std::string field = text(member(changes->front(), "field"));
    return field.empty() ? "" : object + "." + field;
}

}  // namespace onramp::webhooks

namespace onramp::webhooks::detail {

namespace {

// "sha256=" and 64 hex digits; the case of the digits is folded because
// either spells the same MAC.
std::optional<std::string> signature_of(std::string_view header) {
    constexpr std::string_view prefix = "sha256=";
    if (header.substr(0, prefix.size()) != prefix || header.size() != prefix.size() + 64) return std::nullopt;
    std::string out(prefix);
    for (char c : header.substr(prefix.size())) {
        if (c >= 'A' && c <= 'F') c = char(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
        out += c;
    }
    return out;
}

}  // namespace

Verdict verify_meta(const Delivery& d, const Secrets& secrets, int64_t) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto header = single_header(d.headers, kMetaSignatureHeader, &error);
    if (!header) return error;
    auto received = signature_of(*header);
    if (!received)
        return fail(Failure::bad_encoding,
                    std::string(kMetaSignatureHeader) + " is not sha256= and 64 hex digits: " + quoted(*header));

    bool matched = false;
    for (auto key : keys) matched = crypto::constant_time_equal(*received, sign_meta(key, d.body)) || matched;
    if (!matched)
        return fail(Failure::mismatch,
                    std::string(kMetaSignatureHeader) + " does not match this body under the app secret");
    auto doc = parse_json(d.body);
    return accept(doc ? first_event_id(*doc) : "", meta_topic(d.body));
}

// The GET handshake: the challenge back when the mode is "subscribe" and
// the verify token is the connection's.
Result<std::string> meta_handshake(const std::multimap<std::string, std::string>& query, const Secrets& secrets) {
    auto value = [&](const char* name) {
        auto it = query.find(name);
        return it == query.end() ? std::string() : it->second;
    };
    std::string mode = value("hub.mode"), token = value("hub.verify_token"), challenge = value("hub.challenge");
    if (mode != "subscribe" || challenge.empty() || challenge.size() > 256)
        return bad_request("This URL answers Meta's subscription check: hub.mode=subscribe with a "
                           "hub.challenge and hub.verify_token.",
                           "webhook_handshake_invalid");
    if (secrets.handshake_token.empty() || !crypto::constant_time_equal(token, secrets.handshake_token)) {
        Problem p = forbidden("hub.verify_token is not this connection's verify token.");
        p.error_code = "webhook_handshake_refused";
        return p;
    }
    return challenge;
}

}  // namespace onramp::webhooks::detail

namespace onramp::platforms::meta {

using namespace webhooks;

const Scheme& scheme() {
    static const Scheme s{
        .name = "meta",
        .verify = detail::verify_meta,
        .sign = [](Delivery& d, const Secrets& s, int64_t) {
            detail::set_header(d, kMetaSignatureHeader, sign_meta(s.keys.front(), d.body));
        },
        .example_secrets = [](bool variant) {
            // App secrets are 32 hex digits in the App Dashboard.
            return Secrets{.keys = {variant ? "0f1e2d3c4b5a69788796a5b4c3d2e1f0" : "4d6574614f6e72616d70417070536563"}};
        },
        // The key is the app secret, which Meta issues; Onramp cannot choose it.
        .secret_generated = false,
        .topic_from_body = [](const std::string& body, const std::string&) { return meta_topic(body); },
        .classify = [](const std::string& topic, const nlohmann::json&) {
            return ignored(topic.empty() ? "notification has no entry Onramp reads"
                                         : "Meta " + topic + " notifications are kept in the inbox; nothing is synced");
        },
        .manual_steps = [](const std::string& url) {
            // The app's one URL is the connection's without its id.
            std::string app_url = url.substr(0, url.rfind('/'));
            return nlohmann::json::array(
                {"In the Meta App Dashboard (developers.facebook.com/apps), open your app → Webhooks, choose "
                 "Page (and Instagram), and set the Callback URL to " + app_url + " (one URL for every Page; " +
                 url + " serves this Page alone) and the Verify Token to META_WEBHOOK_VERIFY_TOKEN (the "
                 "connection's verify token for its own URL). Meta checks the URL at once; Onramp answers that check.",
                 "Subscribe to the fields messages and feed (Instagram: messages and comments) "
                 "(https://developers.facebook.com/docs/graph-api/webhooks/getting-started).",
                 "The Page installs the app (POST https://graph.facebook.com/<version>/<page-id>/subscribed_apps"
                 "?subscribed_fields=messages,feed with the Page access token, "
                 "https://developers.facebook.com/docs/pages-api/webhooks-for-pages).",
                 "Meta signs with the app secret: " + paste_secret_note()});
        },
        .handshake = detail::meta_handshake,
        .handshake_credential = "verify_token",
    };
    return s;
}

std::vector<platforms::AccountPart> split_by_page(const std::string& body) {
    auto doc = parse_json(body);
    const nlohmann::json* entries = doc && doc->is_object() ? member(*doc, "entry") : nullptr;
    if (!entries || !entries->is_array()) return {};
    std::vector<std::pair<std::string, nlohmann::json>> groups;  // in the order the accounts first appear
    for (const nlohmann::json& entry : *entries) {
        std::string id = text(member(entry, "id"));
        if (id.empty()) continue;
        auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == id; });
        if (group == groups.end()) group = groups.insert(groups.end(), {id, nlohmann::json::array()});
        group->second.push_back(entry);
    }
    std::vector<platforms::AccountPart> parts;
    for (auto& [id, group] : groups) {
        bool whole = groups.size() == 1 && group.size() == entries->size();
        nlohmann::json part = {{"object", (*doc)["object"]}, {"entry", std::move(group)}};
        parts.push_back({id, whole ? body : part.dump(), first_event_id(part)});
    }
    return parts;
}

}  // namespace onramp::platforms::meta
