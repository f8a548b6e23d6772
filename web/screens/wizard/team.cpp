// Step 7, invite your team: one invitation at a time, and who is invited.
#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"

const char* const kRoles[3] = {"manager", "csr", "sales_rep"};
static const char* const kRoleLabels[3] = {tr_noop("Manager"), tr_noop("Customer service"), tr_noop("Sales rep")};

const char* role_label(const std::string& role) {
    for (int i = 0; i < 3; ++i)
        if (role == kRoles[i]) return tr_text(kRoleLabels[i]);
    return role.c_str();
}

Intent draw_team(TeamForm& f, const Ui& ui) {
    wz_help(ui, tr("Invite the people who answer calls and sell. Onramp sends no email: each invitation "
                   "gives you a link to pass on."));
    ui_vspace(ui, 0.25f);
    const bool busy = in_flight(f.invite);
    FieldOptions email;
    email.hint = "rep@yourcompany.com";
    email.disabled = busy;
    email.keyboard = Keyboard::email;
    bool enter = ui_text_field(ui, "invite_email", tr("Email"), &f.email, email);
    wz_combo(ui, "invite_role", tr("Role"), &f.role, kRoleLabels, 3);
    FieldOptions optional;
    optional.disabled = busy;
    optional.hint = tr("North Region");
    enter |= ui_text_field(ui, "invite_territory", tr("Territory (optional)"), &f.territory, optional);
    ui_error_box(ui, "team.error", f.error);
    if (!f.notice.empty()) wz_notice(ui, "team.notice", Tone::success, f.notice);
    if (!f.link.empty()) {
        wz_copy_field(ui, "invite.link", tr("Invitation link"), f.link, &f.copied_link);
        wz_help(ui, tr("Send it to them yourself. It works once, within 7 days, and is not shown again."));
    }
    Intent intent = Intent::none;
    if (busy) wz_loading(ui, "inviting", tr("Sending the invitation\xE2\x80\xA6"));
    else if (wz_button(ui, "invite", tr("Send invitation")) || enter) intent = Intent::invite;

    ui_vspace(ui, 0.25f);
    ui_heading(ui, tr("Invited"));
    if (in_flight(f.list) && f.invited.empty()) wz_loading(ui, "team.loading", tr("Loading\xE2\x80\xA6"));
    else if (f.invited.empty()) ui_muted_text(ui, tr("Nobody yet."));
    for (size_t i = 0; i < f.invited.size(); ++i) {
        const Invitee& p = f.invited[i];
        // An invitation's state ("pending", "accepted") is one of the
        // console's state words (screens/console/data.cpp), which mark it.
        wz_value(ui, ("invited." + std::to_string(i)).c_str(),
                 p.email + " \xC2\xB7 " + role_label(p.role) + " \xC2\xB7 " + tr_text(p.status.c_str()));
    }
    const int nav = wz_nav(ui, "continue", f.invited.empty() ? tr("Skip for now") : tr("Continue"), false, "",
                           tr("Back"));
    if (nav == 1) intent = Intent::next;
    if (nav == 2) intent = Intent::back;
    return intent;
}
