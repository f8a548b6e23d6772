// BigCommerce: two official pages disagree on whether callbacks are signed
// (PLATFORMS.md §1), so both mechanisms are checked:
//
// 1. Always: the custom header Onramp sets at registration
//    ("headers": {"X-Onramp-Webhook-Secret": "<random>"}), which BigCommerce
//    echoes on every callback. Its value must equal one of Secrets::keys.
// 2. When the delivery carries webhook-signature (https-webhook-overview.mdx):
//    the Standard Webhooks signature, key = raw UTF-8 bytes of the app's
//    client secret (BigCommerce's sample base64-encodes it only because the
//    standardwebhooks library base64-decodes). It must verify against
//    Secrets::bigcommerce_client_secrets when those are configured; without
//    them the header secret alone decides.
//
// Security: the header secret is a bearer credential, so it is compared as
// SHA-256 digests in constant time — neither a differing byte's position nor
// the configured secret's length leaks through timing. It cannot stop replay
// of a captured delivery (TLS does that); the inbox de-duplicates on the
// payload's "hash".
#include "edge/crypto/digest.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

Verdict verify_bigcommerce(const Delivery& d, const Secrets& secrets, int64_t now) {
    auto keys = usable_keys(secrets.keys);
    if (keys.empty()) return no_secret();

    Verdict error;
    auto presented = single_header(d.headers, kBigCommerceSecretHeader, &error);
    if (!presented) {
        if (error.failure == Failure::missing_header)
            error.reason +=
                " (set in the hook's \"headers\" at registration; re-register the hook)";
        return error;
    }
    std::string presented_digest = crypto::sha256(*presented);
    bool matched = false;
    for (auto key : keys)
        if (crypto::constant_time_equal(crypto::sha256(key), presented_digest)) matched = true;
    if (!matched)
        return fail(Failure::mismatch, std::string(kBigCommerceSecretHeader) +
                                           " does not match the secret set at registration");

    bool signed_delivery = has_header(d.headers, "webhook-signature") ||
                           has_header(d.headers, "webhook-id") ||
                           has_header(d.headers, "webhook-timestamp");
    std::string delivery_id;
    if (signed_delivery) {
        std::vector<std::string> client_secrets;
        for (auto s : usable_keys(secrets.bigcommerce_client_secrets))
            client_secrets.emplace_back(s);
        if (!client_secrets.empty()) {
            Verdict v =
                verify_standard_webhooks(d, client_secrets, false, secrets.tolerance_seconds, now);
            if (!v.valid) return v;
            delivery_id = v.delivery_id;
        }
    }
    if (delivery_id.empty()) delivery_id = json_member(d.body, "hash");
    return accept(std::move(delivery_id), json_member(d.body, "scope"));
}

}  // namespace onramp::webhooks::detail
