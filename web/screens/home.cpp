#include "screens/home.h"

#include "api.h"
#include "i18n/i18n.h"
#include "ui.h"

Action draw_home(const Session& session, const Ui& ui) {
    ui_begin_card(ui, "##home", 26.0f);
    ui_brand_header(ui, tr("You are signed in."));
    ui_vspace(ui, 0.5f);
    ui_heading(ui, session.full_name.empty() ? session.email.c_str() : session.full_name.c_str());
    if (!session.full_name.empty()) ui_muted_text(ui, session.email.c_str());
    if (session.is_operator) ui_muted_text(ui, tr("Operator account"));
    ui_vspace(ui, 0.5f);
    const bool sign_out = ui_primary_button(ui, "sign_out", tr("Sign out"), false, "");
    ui_end_card();
    return sign_out ? Action::SignOut : Action::None;
}
