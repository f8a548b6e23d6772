#include "screens/wizard/invitation.h"

#include <nlohmann/json.hpp>

#include "screens/wizard/replies.h"
#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"
#include "ui.h"

using nlohmann::json;

static Reply post(const std::string& url, const json& body) {
    HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return platform_fetch(req);
}

void invitation_open(InvitationForm& f, const std::string& token) {
    f = InvitationForm{};
    f.token = token;
    f.lookup = post("/api/v1/invitations/lookup", {{"token", token}});
}

static void read_lookup(InvitationForm& f) {
    const HttpReply& r = *f.lookup;
    if (!reply_ok(r)) {
        f.error = reply_message(r);
        return;
    }
    const json j = json::parse(r.body, nullptr, false);
    if (!j.is_object()) return;
    f.email = j.value("email", "");
    f.role = j.value("role", "");
    f.status = j.value("status", "");
    f.account_exists = j.value("account_exists", false);
    if (j.contains("org") && j["org"].is_object()) f.org_name = j["org"].value("name", "");
}

bool invitation_frame(InvitationForm& f, const Ui& ui) {
    if (arrived(f.lookup)) {
        read_lookup(f);
        f.lookup.reset();
    }
    bool accepted = false;
    if (arrived(f.accept)) {
        auto result = parse_login_reply(*f.accept, f.email);
        if (result) {
            f.session = result.value();
            accepted = true;
        } else {
            f.error = reply_message(*f.accept);
        }
        f.accept.reset();
    }

    ui_begin_card(ui, "##invitation", 26.0f);
    ui_brand_header(ui, tr("You're invited to join your team on Onramp."));
    ui_vspace(ui, 0.5f);
    bool submit = false;
    if (in_flight(f.lookup)) {
        wz_loading(ui, "invitation.loading", tr("Opening your invitation\xE2\x80\xA6"));
    } else if (!f.email.empty() && f.status == "pending") {
        wz_value(ui, "invitation.org", f.org_name, true);
        wz_help(ui, (f.email + " \xC2\xB7 " + role_label(f.role)).c_str());
        ui_vspace(ui, 0.25f);
        FieldOptions name;
        name.hint = "Jane Doe";
        name.disabled = in_flight(f.accept);
        submit |= ui_text_field(ui, "invite_name", tr("Your name"), &f.name, name);
        FieldOptions password;
        password.password = true;
        password.revealed = &f.reveal_password;
        password.disabled = in_flight(f.accept);
        password.keyboard = f.account_exists ? Keyboard::current_password : Keyboard::new_password;
        submit |= ui_text_field(ui, "invite_password",
                                f.account_exists ? tr("Your Onramp password") : tr("Choose a password"),
                                &f.password, password);
        ui_error_box(ui, "invitation.error", f.error);
        submit |= ui_primary_button(ui, "join", tr("Join the team"), in_flight(f.accept), tr("Joining\xE2\x80\xA6"));
    } else {
        const std::string why = !f.error.empty()              ? f.error
                                : f.status.empty()            ? tr("This invitation link is not valid.")
                                : f.status == "accepted"      ? tr("This invitation was already accepted.")
                                : f.status == "revoked"       ? tr("This invitation was withdrawn.")
                                : f.status == "expired"       ? tr("This invitation has expired.")
                                                              : tr("This invitation can no longer be used.");
        ui_error_box(ui, "invitation.error", why + " " + tr("Ask whoever invited you for a new link."));
    }
    ui_end_card();

    if (submit && !in_flight(f.accept)) {
        f.error.clear();
        if (f.password.size() < 8) f.error = tr("Use at least 8 characters for the password.");
        else f.accept = post("/api/v1/invitations/accept",
                             {{"token", f.token}, {"name", f.name}, {"password", f.password}});
    }
    return accepted;
}
