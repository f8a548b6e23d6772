// An onboarding link as the agency sees it over the wire: the answer of
// GET /api/v1/orgs/{org_id}/onboarding-links (each item) and of
// GET/POST .../onboarding-links/{link_id}. The edge fills it in
// (edge/api/onboarding_links.cpp); the console reads it. Times are
// ISO 8601 UTC strings, absent ones null.
//
// state, from the first that applies:
//   revoked      the agency withdrew it; its sessions ended at once
//   completed    the organization's onboarding is complete
//   expired      it can no longer be opened (sessions already open run on)
//   in_progress  opened, and the client has saved something since
//   opened       opened at least once, nothing saved yet
//   created      never opened
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace onramp::api {

// One opening of the link (one token exchange): when, on what device (its
// User-Agent, shortened) and from which client address.
struct LinkOpening {
    std::string at, device, address;
};

struct OnboardingLinkView {
    std::string id, org_id, note, state;
    std::vector<std::string> platforms;  // offered to the client; empty: every platform
    bool require_code = false;           // a new device needs a code e-mailed to `email`
    std::optional<std::string> email;    // the client's contact address, when the link was e-mailed
    std::optional<std::string> created_by;
    std::string created_at, expires_at;
    std::optional<std::string> revoked_at, first_opened_at, last_opened_at, last_activity_at, session_ends_at;
    int64_t opened_count = 0;
    std::vector<LinkOpening> openings;  // the most recent first
};

// Link states, as named above.
std::string link_state_name(bool revoked, bool completed, bool expired, bool saved_something, bool opened);

void to_json(nlohmann::json& j, const LinkOpening& o);
void from_json(const nlohmann::json& j, LinkOpening& o);
void to_json(nlohmann::json& j, const OnboardingLinkView& v);
// Missing or mistyped members keep their defaults: the console shows what it
// can of an answer from an older or newer edge.
void from_json(const nlohmann::json& j, OnboardingLinkView& v);

}  // namespace onramp::api
