// Opening an invitation link (#/invite/<token>): who is invited to which
// organization, then a name and a password to join with. Joining signs the
// new member in.
#pragma once

#include <string>

#include "api.h"
#include "screens/wizard/steps.h"

struct InvitationForm {
    std::string token;
    std::string email, role, org_name, status;  // from the lookup
    bool account_exists = false;
    std::string name, password;
    bool reveal_password = false;
    std::string error;
    Reply lookup, accept;
    Session session;  // once accepted
};

// Starts over for `token` and looks the invitation up.
void invitation_open(InvitationForm& form, const std::string& token);

// Draws the invitation card. Returns true once the invitation is accepted;
// form.session then holds the new member's session.
bool invitation_frame(InvitationForm& form, const Ui& ui);
