// E-mailing an invitation when this edge sends e-mail: the one step both
// ways of inviting (the team step of onboarding and a manager adding a
// member) share after the invitation row is written; and the code that
// proves an invited address (edge/onboarding/invitations.h, Claim).
#pragma once

#include <string>

#include "edge/app.h"
#include "edge/onboarding/invitations.h"

namespace onramp::mail {

// Queues the invitation's e-mail on the caller's connection, inside its
// transaction (call wake(app) after the commit). Returns whether a message
// was queued: false when the edge sends no e-mail, and the caller shows the
// link to copy instead. The token goes only into the sealed message body.
bool queue_invitation(App& app, store::Db& db, const onboarding::Invitation& invitation, const std::string& token);

// Queues the e-mail holding the code that proves the invited address for
// an account without a password, as queue_invitation does. False when the
// edge sends no e-mail.
bool queue_invitation_proof(App& app, store::Db& db, const onboarding::Invitation& invitation,
                            const std::string& code, int64_t expires_at);

}  // namespace onramp::mail
