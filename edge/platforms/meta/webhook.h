// Meta's webhook scheme (Facebook Pages and Instagram messaging): the GET
// subscription handshake and X-Hub-Signature-256, an HMAC-SHA256 of the
// body keyed with the app secret. The rest of the platform is in this
// folder (module.cpp); its wire facts and sources are in
// docs/platforms/meta.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edge/platforms/module.h"
#include "edge/webhooks/scheme.h"

namespace onramp::webhooks {

// The header Meta signs every event notification with
// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#event-notifications).
inline constexpr std::string_view kMetaSignatureHeader = "X-Hub-Signature-256";

// The header's value Meta sends for `body` under `app_secret`:
// "sha256=" + lowercase hex HMAC-SHA256.
std::string sign_meta(std::string_view app_secret, std::string_view body);

// A notification's topic: "<object>.messages" when its first entry carries
// messaging[] events, "<object>.<field>" for changes[] ("page.feed",
// "instagram.comments"); "" when the body is not such a notification.
std::string meta_topic(std::string_view body);

}  // namespace onramp::webhooks

namespace onramp::platforms::meta {

// The "meta" webhook scheme (edge/webhooks/scheme.h).
const webhooks::Scheme& scheme();

// A notification to the app's one callback URL cut per Page (or Instagram
// account): each entry's `id` names it. A body for one account alone is
// kept as received; otherwise each part is {"object", "entry": [its
// entries]}. Entries without an id are dropped.
std::vector<platforms::AccountPart> split_by_page(const std::string& body);

}  // namespace onramp::platforms::meta
