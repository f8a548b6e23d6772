// A webhook signature scheme: how one kind of delivery is verified, how its
// sender signs it (the mock platforms, tests and the fuzzer), which content
// types it arrives in, and how its topics turn into sync actions.
//
// Schemes are found by the name that appears in the delivery URL
// (/webhooks/{scheme}/{connection_id}). A platform brings its own scheme in
// its folder (edge/platforms/<id>/webhook.cpp, named like the platform); the
// schemes that are not platforms — Clerk (Svix) and Standard Webhooks —
// live here in edge/webhooks/. schemes() lists both; nothing
// else names a scheme (docs/platforms/README.md).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "edge/webhooks/topics.h"
#include "edge/webhooks/verify.h"
#include "shared/result.h"

namespace onramp::webhooks {

struct Scheme {
    std::string_view name;  // in the delivery URL: "shopify", "stripe", ...
    Verdict (*verify)(const Delivery& delivery, const Secrets& secrets, int64_t now_unix) = nullptr;
    // Signs `delivery` as its sender does, with secrets.keys.front(): sets the
    // signature headers (and where the scheme signs it, the URL).
    void (*sign)(Delivery& delivery, const Secrets& secrets, int64_t now_unix) = nullptr;
    // Secrets in the scheme's shape, for tests and the fuzzer; `variant`
    // picks the scheme's other configuration where it has one.
    Secrets (*example_secrets)(bool variant) = nullptr;
    // Its senders may post application/x-www-form-urlencoded (JSON always).
    bool accepts_form = false;
    // The signature covers the URL the sender requested (Delivery::url).
    bool signs_url = false;
    // Onramp may choose the secret (the sender takes the one we give it);
    // elsewhere the platform shows the secret and the operator pastes it.
    bool secret_generated = false;
    // Generated secrets are "whsec_" + base64 (the sender base64-decodes).
    bool whsec_secret = false;
    // The connection credential that signs deliveries when no webhook secret
    // was set (Twilio signs with the account's auth token); "" for none.
    std::string_view credential_secret;
    // A non-secret connection credential the sender signs along with the
    // body (TikTok Shop signs its app key); load_secrets() copies its value
    // into Secrets::signed_credential. "" for none.
    std::string_view signed_credential;
    // The event name when verify() found none in a header; null: none.
    std::string (*topic_from_body)(const std::string& body, const std::string& content_type) = nullptr;
    // What a verified delivery of `topic` asks the sync worker to do, for the
    // platform this scheme belongs to; null: nothing is synced from it.
    Action (*classify)(const std::string& topic, const nlohmann::json& body) = nullptr;
    // The operator's steps to set deliveries up by hand, with the URL filled in.
    nlohmann::json (*manual_steps)(const std::string& url) = nullptr;
    // A sender that checks the URL with a GET before it delivers (a
    // subscription handshake): the text/plain body to answer it with, given
    // the GET's query and the connection's secrets, or the refusal (nothing
    // is stored either way). Null: GETs to the URL are not answered (404).
    Result<std::string> (*handshake)(const std::multimap<std::string, std::string>& query,
                                     const Secrets& secrets) = nullptr;
    // The connection credential holding the token the handshake expects
    // (Secrets::handshake_token); "" for none.
    std::string_view handshake_credential;
};

// Every scheme: the ones above, then the platforms' (generated from the
// folders under edge/platforms/).
std::span<const Scheme* const> schemes();
const Scheme* find_scheme(std::string_view name);
// "Then paste the secret ...": the sentence every pasted-secret scheme's
// manual steps end with.
std::string paste_secret_note();

// Verifies one delivery under `scheme`.
Verdict verify(const Scheme& scheme, const Delivery& delivery, const Secrets& secrets, int64_t now_unix);

// The platforms' schemes, in folder order (generated: platform_schemes.cpp).
std::span<const Scheme* const> platform_schemes();

}  // namespace onramp::webhooks
