// Standard Webhooks / Svix / Clerk:
//   {svix|webhook}-id, -timestamp (Unix seconds), -signature: "v1,<b64> v1,<b64> ..."
//   each v1 = base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")),
//   key = base64-decode(secret without its "whsec_" prefix).
//
// Follows svix/svix-webhooks rust/src/webhooks.rs and python/svix/webhooks.py:
// the svix-* names are used when all three are present, else the webhook-*
// names; the timestamp must be an integer within 300 s of now in either
// direction; entries are space-separated "version,signature" and only v1 is
// considered; valid if any v1 matches.
//
// Security: the id and timestamp are inside the MAC. The window stops replay
// of a captured delivery (the inbox de-duplicates on the id within it), and
// bounding the future too stops a sender with a skewed or hostile clock from
// minting deliveries that stay replayable for long. The whsec_ secret is
// base64-decoded here but used as-is by Stripe: mixing the two up (key
// confusion) must fail closed, which it does since the MACs then differ.
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "edge/webhooks/internal.h"

namespace onramp::webhooks::detail {

namespace {

struct Names {
    std::string_view id, timestamp, signature;
};
constexpr Names kSvix = {"svix-id", "svix-timestamp", "svix-signature"};
constexpr Names kStandard = {"webhook-id", "webhook-timestamp", "webhook-signature"};

int count_present(const Headers& h, const Names& n) {
    return int(has_header(h, n.id)) + int(has_header(h, n.timestamp)) +
           int(has_header(h, n.signature));
}

}  // namespace

Verdict verify_standard_webhooks(const Delivery& d, const std::vector<std::string>& keys,
                                 bool svix_first, int64_t tolerance, int64_t now) {
    const Names& preferred = svix_first ? kSvix : kStandard;
    const Names& other = svix_first ? kStandard : kSvix;
    const Names* names = nullptr;
    if (count_present(d.headers, preferred) == 3)
        names = &preferred;
    else if (count_present(d.headers, other) == 3)
        names = &other;
    else
        names = count_present(d.headers, other) > count_present(d.headers, preferred) ? &other
                                                                                      : &preferred;

    Verdict error;
    auto id = single_header(d.headers, names->id, &error);
    if (!id) return error;
    auto ts_text = single_header(d.headers, names->timestamp, &error);
    if (!ts_text) return error;
    auto sig_header = single_header(d.headers, names->signature, &error);
    if (!sig_header) return error;

    auto ts = parse_unix_seconds(*ts_text);
    if (!ts)
        return fail(Failure::malformed,
                    std::string(names->timestamp) + " is not an integer Unix timestamp: " + quoted(*ts_text));

    std::vector<std::string> v1;
    bool bad_base64 = false;
    std::string_view rest = *sig_header;
    while (!rest.empty()) {
        size_t space = rest.find(' ');
        std::string_view entry = rest.substr(0, space);
        size_t comma = entry.find(',');
        if (comma != std::string_view::npos && entry.substr(0, comma) == "v1") {
            if (auto mac = crypto::base64_decode(entry.substr(comma + 1)); mac && mac->size() == 32)
                v1.push_back(*mac);
            else
                bad_base64 = true;
        }
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
    }
    if (v1.empty() && !bad_base64)
        return fail(Failure::malformed, std::string(names->signature) + " has no v1 signature");

    std::string to_sign = std::string(*id) + "." + std::to_string(*ts) + "." + d.body;
    bool matched = false;
    for (const auto& key : keys) {
        std::string expected = crypto::hmac_sha256(key, to_sign);
        for (const auto& mac : v1)
            if (crypto::constant_time_equal(expected, mac)) matched = true;
        if (matched) break;
    }
    if (!matched) {
        if (v1.empty())
            return fail(Failure::bad_encoding, "bad base64 in " + std::string(names->signature) +
                                                   ": no v1 entry decodes to 32 bytes");
        return fail(Failure::mismatch, "signature mismatch: no v1 in " +
                                           std::string(names->signature) +
                                           " matches this id, timestamp and body");
    }
    if (*ts < now - tolerance || *ts > now + tolerance)
        return fail(Failure::timestamp,
                    "timestamp outside tolerance: " + std::string(names->timestamp) + " " +
                        describe_skew(*ts, now, tolerance));
    return accept(std::string(*id));
}

Verdict verify_svix(const Delivery& d, const Secrets& secrets, int64_t now, bool svix_first) {
    auto configured = usable_keys(secrets.keys);
    if (configured.empty()) return no_secret();
    std::vector<std::string> keys;
    for (auto secret : configured) {
        if (secret.substr(0, 6) == "whsec_") secret.remove_prefix(6);
        if (auto key = crypto::base64_decode(secret); key && !key->empty()) keys.push_back(*key);
    }
    if (keys.empty())
        return fail(Failure::bad_secret,
                    "webhook secret is not \"whsec_\" followed by base64: copy it again from the "
                    "platform's dashboard");
    Verdict v = verify_standard_webhooks(d, keys, svix_first, secrets.tolerance_seconds, now);
    if (v.valid) v.topic = json_member(d.body, "type");
    return v;
}

}  // namespace onramp::webhooks::detail
