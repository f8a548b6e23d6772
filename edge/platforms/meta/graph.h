// The Graph API calls the Meta module shares between its connector
// (connector.cpp) and its sign-in (oauth.cpp): the pinned version and one
// GET with Meta's error shape turned into a Failure. Wire facts and
// sources: docs/platforms/meta.md.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "edge/connectors/connector.h"

namespace onramp::platforms::meta {

// Every call names its version: an unversioned one would take the app's
// default, which moves when Meta retires a version
// (https://developers.facebook.com/docs/graph-api/guides/versioning).
inline constexpr std::string_view kGraphVersion = "v21.0";

// https://graph.facebook.com/{version} (override key "meta").
std::string graph_base(const connectors::CallContext& ctx);

// GET {graph_base}{path_and_query}, with `token` as a Bearer token when
// given. An answer with {"error": {"message", "type", "code",
// "fbtrace_id"}} becomes a Failure quoting Meta's message; code 190 (an
// invalid or expired token) is a rejected page_access_token.
connectors::Outcome<nlohmann::json> graph_get(connectors::CallContext& ctx, const std::string& step,
                                              const std::string& path_and_query, const std::string& token);

}  // namespace onramp::platforms::meta
