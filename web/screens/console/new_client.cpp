// New client: the organization's name, the contact's e-mail (and whether
// the link asks for a code sent there), a note, the platforms to ask for
// and how long the link lasts. Creating makes the organization (POST
// /api/v1/orgs) and its onboarding link (POST .../onboarding-links,
// e-mailed to the contact when the server sends e-mail); the link is then
// shown with Copy.
#include <algorithm>

#include "i18n/i18n.h"
#include "imgui.h"
#include "platform/gestures.h"
#include "screens/console/views.h"
#include "screens/console/widgets.h"
#include "screens/wizard/widgets.h"

// The platform checkboxes, in the catalog's order.
static void draw_platform_choices(NewClientForm& f, const Ui& ui) {
    ui_heading(ui, tr("Platforms to ask for"));
    const auto& catalog = f.catalog;
    if (catalog.loading() && !catalog.loaded) {
        ui_muted_text(ui, tr("Loading the platforms\xE2\x80\xA6"));
        return;
    }
    if (!catalog.error.empty()) {
        ui_error_box(ui, "new_client.platforms.error", catalog.error);
        return;
    }
    wz_help(ui, tr("None chosen: the client may connect any platform."));
    for (const PlatformChoice& p : catalog.value) {
        auto it = std::find(f.platforms.begin(), f.platforms.end(), p.id);
        bool on = it != f.platforms.end();
        if (wz_checkbox(ui, ("new_client.platform." + p.id).c_str(), p.name.c_str(), &on)) {
            if (on) f.platforms.push_back(p.id);
            else f.platforms.erase(it);
        }
    }
}

// After creating: the link with Copy, and whether it was e-mailed.
static ConsoleIntent draw_created(NewClientForm& f, const Ui& ui) {
    ConsoleIntent intent;
    page_title(ui, f.org.value.name.c_str(), tr("Created, with its onboarding link."));
    if (begin_form(ui, "##created", 34.0f)) {
        wz_copy_field(ui, "new_client.link", tr("Onboarding link"), f.link.value.url, &f.copied);
        wz_help(ui, tr("Shown this once: Onramp keeps only a fingerprint of it. A new link can be made on the "
                       "client's page at any time."));
        outcome_line(ui, "new_client.mail", f.mail_note, true);
        ui_vspace(ui, 0.5f);
        if (plain_button(ui, "new_client.open", tr("Open the client"))) intent = {ConsoleIntent::open_client, f.org.value.id};
        ImGui::SameLine();
        if (plain_button(ui, "new_client.done", tr("Back to clients"))) intent = {ConsoleIntent::close_new_client, ""};
        end_form();
    }
    return intent;
}

ConsoleIntent draw_new_client(NewClientForm& f, const Ui& ui) {
    if (f.link.loaded && f.error.empty()) return draw_created(f, ui);
    ConsoleIntent intent;
    if (ui_link_button(ui, "back", tr("\xE2\x86\x90 All clients"))) intent = {ConsoleIntent::close_new_client, ""};
    page_title(ui, tr("New client"), tr("An organization and the link that onboards it."));
    if (!begin_form(ui, "##new_client", 34.0f)) return intent;
    const bool busy = f.org.loading() || f.link.loading();
    FieldOptions plain;
    plain.disabled = busy;
    ui_text_field(ui, "new_client.name", tr("Organization name"), &f.name, plain);
    FieldOptions email = plain;
    email.keyboard = Keyboard::email;
    email.hint = "client@example.com";
    ui_text_field(ui, "new_client.email", tr("Contact e-mail (the link is sent there)"), &f.email, email);
    code_checkbox(ui, "new_client.require_code", f.email, busy, &f.require_code);
    FieldOptions note = plain;
    note.hint = tr("For your team: who asked, what was agreed");
    ui_text_field(ui, "new_client.note", tr("Note"), &f.note, note);
    FieldOptions days = plain;
    days.keyboard = Keyboard::number;
    ui_text_field(ui, "new_client.expiry", tr("Link expires after (days, 1 to 30)"), &f.expiry_days, days);
    draw_platform_choices(f, ui);
    ui_vspace(ui, 0.5f);
    ui_error_box(ui, "new_client.error", f.error);
    // An organization made before its link failed is not made twice.
    const bool made = f.org.loaded;
    if (made) {
        if (plain_button(ui, "new_client.open", tr("Open the client"))) intent = {ConsoleIntent::open_client, f.org.value.id};
    } else if (ui_primary_button(ui, "new_client.create", tr("Create client and link"), busy, tr("Creating\xE2\x80\xA6"))) {
        intent = {ConsoleIntent::create_client, ""};
    }
    end_form();
    return intent;
}
