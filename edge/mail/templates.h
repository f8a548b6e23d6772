// The e-mails the edge sends, as pure functions from what each says to a
// Message (no I/O, no clock): invitations, onboarding links and their
// one-time codes, password resets, invitation proofs, and alerts to an
// organization's managers. Queue one with mail::enqueue (edge/mail/queue.h).
//
// Security: a link, or a one-time code (a link's or an invitation proof's),
// is the one secret a message may carry (it is what the recipient needs);
// nothing else that authenticates goes in. Names and
// error texts are HTML-escaped in the HTML part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "edge/mail/message.h"
#include "shared/branding/branding.h"

namespace onramp::mail {

// Whose name a message speaks in: the agency's brand (the organization's
// layered on the deployment's, edge/branding/settings.h), the vendor's when
// none is set. Its accent colours the message's link; the vendor is named
// only in a small footer when the brand is another's.
struct Brand {
    std::string name = branding::kVendorName;
    std::string accent;  // "#RRGGBB" or ""
};

struct Invitation {
    std::string to, org_id, org_name;
    std::string inviter;  // who invites: a name or an e-mail address
    std::string link;     // where the invitation is accepted
    int64_t expires_at = 0;
    Brand brand;
};
Message invitation(const Invitation& in);

struct OnboardingLink {
    std::string to, org_id, org_name;
    std::string link;  // onboarding::link_url
    int64_t expires_at = 0;
    Brand brand;
};
Message onboarding_link(const OnboardingLink& in);

// The one-time code a link that requires one asks for on a new device
// (edge/onboarding/links.h). The code is the secret this message carries.
struct LinkCode {
    std::string to, org_id, org_name;
    std::string code;    // six digits
    std::string device;  // where the link was opened: onboarding::short_device
    int64_t expires_at = 0;
    Brand brand;
};
Message link_code(const LinkCode& in);

struct PasswordReset {
    std::string to;
    std::string link;  // where a new password is set
    int64_t expires_at = 0;
    Brand brand;
};
Message password_reset(const PasswordReset& in);

// The code that proves the reader of an invited address is the one
// accepting, for an account that has no password yet.
struct InvitationProof {
    std::string to, org_id, org_name;
    std::string code;
    int64_t expires_at = 0;
    Brand brand;
};
Message invitation_proof(const InvitationProof& in);

enum class AlertKind {
    credentials_rejected,   // a connection test: the platform refused the stored credentials
    sync_failed_twice,      // a connection's sync failed twice in a row
    webhook_dead_lettered,  // a webhook delivery gave up after its retries
};

struct Alert {
    AlertKind kind = AlertKind::credentials_rejected;
    std::string to, org_id, org_name;
    std::string connection_name, platform;
    std::string detail;       // the failure as the API shows it; never a secret
    std::string console_url;  // the web client (public URL); no token
    Brand brand;
};
Message alert(const Alert& in);

}  // namespace onramp::mail
