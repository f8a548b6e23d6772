// The schemes that are not a platform — Clerk (Svix) and Standard
// Webhooks — and the list of every scheme (scheme.h): these first, then the
// platforms' own from their folders.
#include <vector>

#include "edge/webhooks/internal.h"
#include "edge/webhooks/scheme.h"
#include "edge/webhooks/sign.h"

namespace onramp::webhooks {

namespace {

using nlohmann::json;

using detail::set_header;

Secrets one_secret(std::string secret) {
    Secrets s;
    s.keys.push_back(std::move(secret));
    return s;
}

std::string type_member(const std::string& body, const std::string&) { return detail::json_member(body, "type"); }

// Svix (Clerk) and Standard Webhooks differ only in the headers' prefix.
void sign_svix_style(Delivery& d, const Secrets& s, int64_t now, std::string_view prefix) {
    std::string p(prefix);
    std::string id = detail::header_or(d, p + "-id", "msg_example");
    set_header(d, p + "-id", id);
    set_header(d, p + "-timestamp", std::to_string(now));
    set_header(d, p + "-signature", sign_standard_webhooks(s.keys.front(), id, now, d.body).value_or("v1,"));
}

const Scheme kClerk{
    .name = "clerk",
    .verify = [](const Delivery& d, const Secrets& s, int64_t now) { return detail::verify_svix(d, s, now, true); },
    .sign = [](Delivery& d, const Secrets& s, int64_t now) { sign_svix_style(d, s, now, "svix"); },
    .example_secrets = [](bool) { return one_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); },
    .whsec_secret = true,
    .topic_from_body = type_member,
    .manual_steps = [](const std::string& url) {
        return json::array({"Clerk Dashboard > Webhooks > Add Endpoint: " + url,
                            "Copy the Signing Secret (whsec_...). " + paste_secret_note()});
    },
};

const Scheme kStandard{
    .name = "standard",
    .verify = [](const Delivery& d, const Secrets& s, int64_t now) { return detail::verify_svix(d, s, now, false); },
    .sign = [](Delivery& d, const Secrets& s, int64_t now) { sign_svix_style(d, s, now, "webhook"); },
    .example_secrets = [](bool) { return one_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); },
    .secret_generated = true,
    .whsec_secret = true,
    .topic_from_body = type_member,
    .manual_steps = [](const std::string& url) {
        return json::array({"Send Standard Webhooks deliveries (webhook-id, webhook-timestamp, webhook-signature) to " +
                                url + ".",
                            "Generate the secret here (PUT .../webhooks/secret with no body fields but {}) and give it "
                            "to the sender."});
    },
};

std::vector<const Scheme*> all_schemes() {
    std::vector<const Scheme*> out = {&kClerk, &kStandard};
    for (const Scheme* s : platform_schemes()) out.push_back(s);
    return out;
}

}  // namespace

std::span<const Scheme* const> schemes() {
    static const std::vector<const Scheme*> all = all_schemes();
    return all;
}

const Scheme* find_scheme(std::string_view name) {
    for (const Scheme* s : schemes())
        if (s->name == name) return s;
    return nullptr;
}

std::string paste_secret_note() {
    return "Then paste the secret into Onramp (PUT .../webhooks/secret) so deliveries verify.";
}

Verdict verify(const Scheme& scheme, const Delivery& delivery, const Secrets& secrets, int64_t now_unix) {
    return scheme.verify(delivery, secrets, now_unix);
}

}  // namespace onramp::webhooks
