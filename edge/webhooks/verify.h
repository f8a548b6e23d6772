// Webhook signature verification: decides whether a delivery that arrived at
// POST /webhooks/{platform}/{connection_id} was really sent by the platform.
//
// Pure functions, no I/O: the caller passes what arrived (raw body bytes,
// headers, the public URL), the connection's secrets and the current time,
// and gets a Verdict. The HTTP handler and `onramp-edge webhook-verify` call
// the same verify(), so the CLI reproduces exactly what the server decided.
//
// One file per scheme (a platform's in edge/platforms/<id>/webhook.cpp,
// Standard Webhooks' here; scheme.h lists them); each follows
// the sender's official SDK validator, edge cases included, and cites it.
// docs/platforms/<id>.md has each platform's wire facts and their sources.
//
// Rules shared by every scheme:
// - An empty secret list (or only empty strings) is invalid: verification is
//   never skipped because a connection was left unconfigured.
// - During rotation Secrets::keys holds the new secret first and the previous
//   one after it; a delivery is valid if any of them verifies.
// - MACs are compared in constant time (crypto::constant_time_equal).
// - Header names are looked up case-insensitively; a signature-bearing
//   header sent twice is rejected rather than guessing which copy counts.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edge/http/message.h"

namespace onramp::webhooks {

// The request's own header map: names compare case-insensitively.
using Headers = http::Headers;

// What arrived, exactly as received.
struct Delivery {
    std::string method = "POST";
    // The public URL the platform requested, query included. Twilio signs it;
    // the edge builds it from --public-url plus the raw request target
    // (undecoded path and query), because a reverse proxy hides the real one.
    std::string url;
    Headers headers;
    std::string body;          // raw bytes, never re-serialised
    std::string content_type;  // empty: taken from the Content-Type header
};

enum class MacAlgorithm { sha1, sha256 };
enum class SignatureEncoding { base64, hex };

// CallRail's scheme is not confirmed by any vendor text we could read
// (docs/platforms/callrail.md), so each connection can say what its
// deliveries carry.
struct CallRailOptions {
    std::string header = "Signature";
    MacAlgorithm algorithm = MacAlgorithm::sha1;
    SignatureEncoding encoding = SignatureEncoding::base64;
};

inline constexpr int64_t kDefaultToleranceSeconds = 300;

struct Secrets {
    // The per-connection webhook secret(s), current first. Meaning by platform:
    // Each scheme says what its secret is (docs/platforms/<id>.md): an app
    // client secret, a webhook secret, Stripe's whole "whsec_..." string, an
    // auth token, "whsec_" + base64 key for Standard Webhooks.
    std::vector<std::string> keys;
    // BigCommerce only: the app's client secret(s), used as raw bytes to check
    // the Standard Webhooks signature when a delivery carries one.
    std::vector<std::string> bigcommerce_client_secrets;
    CallRailOptions callrail;
    int64_t tolerance_seconds = kDefaultToleranceSeconds;
    // The token a sender that checks the URL with a GET first (Scheme::
    // handshake) echoes back: the connection's Scheme::handshake_credential.
    std::string handshake_token;
    // Not a secret: the connection's value of Scheme::signed_credential
    // (TikTok Shop: the app key, which its signature covers with the body).
    std::string signed_credential;
};

enum class Failure {
    none,
    no_secret,   // nothing configured: never skip verification
    bad_secret,  // configured secret unusable (e.g. whsec_ not base64)
    missing_header,
    malformed,     // header/URL/body present but not in the scheme's shape
    bad_encoding,  // signature is not valid base64/hex of the right size
    mismatch,      // well-formed, but no key produces this signature
    timestamp,     // authentic but outside the replay window
    ping,          // WooCommerce creation ping: answer 200, store nothing
    unknown_scheme,
};
std::string_view failure_name(Failure failure);  // "mismatch", ... for counters

struct Verdict {
    bool valid = false;
    Failure failure = Failure::none;
    std::string reason;       // human, e.g. "missing header X-Shopify-Hmac-Sha256"
    std::string delivery_id;  // the platform's id for de-duplication, if any
    std::string topic;        // event name (header or payload), if any
    // WooCommerce sends an unsigned `webhook_id=N` form POST when a webhook is
    // created or activated and keeps the hook pending unless it gets exactly
    // 200. It is not a delivery: valid stays false, failure is Failure::ping,
    // and the server must answer 200 and store nothing. Anyone can forge one;
    // that is harmless because nothing is stored or processed.
    bool ping = false;
};

// Verifies one delivery under the scheme named `scheme` (scheme.h).
// `now_unix` is the caller's clock in seconds; an unknown name gives
// Failure::unknown_scheme.
Verdict verify(std::string_view scheme, const Delivery& delivery, const Secrets& secrets,
               int64_t now_unix);

}  // namespace onramp::webhooks
