#include "edge/mail/invitation_mail.h"

#include "edge/mail/queue.h"
#include "edge/store/accounts.h"

namespace onramp::mail {

bool queue_invitation(App& app, store::Db& db, const onboarding::Invitation& invitation, const std::string& token) {
    if (!enabled(app)) return false;
    auto org = store::find_org(db, invitation.org_id);
    std::string inviter = "Your team";
    if (invitation.invited_by)
        if (auto user = store::find_user(db, *invitation.invited_by))
            inviter = user->full_name.empty() ? user->email : user->full_name;
    Invitation in{invitation.email, invitation.org_id, org ? org->name : "your team", inviter,
                  onboarding::accept_url(app.config.public_url, token), invitation.expires_at,
                  brand_of(db, invitation.org_id)};
    return bool(enqueue(app, db, mail::invitation(in)));
}

bool queue_invitation_proof(App& app, store::Db& db, const onboarding::Invitation& invitation,
                            const std::string& code, int64_t expires_at) {
    if (!enabled(app)) return false;
    auto org = store::find_org(db, invitation.org_id);
    InvitationProof in{invitation.email, invitation.org_id, org ? org->name : "your team", code, expires_at,
                       brand_of(db, invitation.org_id)};
    return bool(enqueue(app, db, mail::invitation_proof(in)));
}

}  // namespace onramp::mail
