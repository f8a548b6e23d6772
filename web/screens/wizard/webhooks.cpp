// Step 4, webhooks: where the platform sends changes, with copy buttons and
// the platform's own steps (or the edge registers the hooks itself). The
// signing secret is created by Onramp, or, where the platform fixes it
// (Stripe's whsec_), pasted from the platform into a masked field.
#include "i18n/i18n.h"
#include "screens/wizard/steps.h"
#include "screens/wizard/widgets.h"

Intent draw_webhooks(WebhooksView& v, const Ui& ui) {
    wz_help(ui, tr("Webhooks let your platform tell Onramp about changes the moment they happen, "
                   "instead of waiting for the next sync."));
    ui_vspace(ui, 0.25f);
    Intent intent = Intent::none;
    const bool busy = in_flight(v.fetch) || in_flight(v.make_secret) || in_flight(v.registration);
    if (in_flight(v.fetch)) wz_loading(ui, "webhooks.loading", tr("Loading the webhook settings\xE2\x80\xA6"));
    if (v.registered)
        wz_notice(ui, "webhooks.registered", Tone::success, tr("Registered automatically"),
                  tr("Onramp set up the webhooks at the platform for you. Nothing to do here."));
    wz_copy_field(ui, "webhook.url", tr("Webhook URL"), v.url, &v.copied_url);
    if (v.secret_shown_once) {
        wz_copy_field(ui, "webhook.secret", tr("Signing secret"), v.secret, &v.copied_secret);
        wz_help(ui, tr("Copy it now: Onramp shows a secret only once."));
    } else if (v.secret_configured) {
        ui_heading(ui, tr("Signing secret"));
        wz_value(ui, "webhook.secret", v.secret + tr(" (set)"));
    } else if (!v.can_register && !v.can_generate_secret) {
        const onramp::connectors::Connector* c = onramp::connectors::find_connector(v.connection.platform);
        const std::string label =
            trf("Signing secret from {platform}", {{"platform", c ? std::string(c->name) : v.connection.platform}});
        FieldOptions o;
        o.password = true;
        o.revealed = &v.reveal_pasted;
        o.disabled = busy;
        const bool enter = ui_text_field(ui, "webhook.pasted", label.c_str(), &v.pasted, o);
        wz_field_error(ui, "webhook.pasted.error", v.secret_error);
        if (wz_button(ui, "save_secret", tr("Save secret"), busy) || (enter && !busy)) intent = Intent::make_secret;
    } else if (!v.can_register && wz_button(ui, "make_secret", tr("Create a signing secret"), busy)) {
        intent = Intent::make_secret;
    }
    if (v.can_register && !v.registered && !v.waiting_reason.empty())
        wz_notice(ui, "webhooks.waiting", v.refused ? Tone::danger : Tone::info,
                  v.refused ? tr("The platform refused the webhooks") : tr("Not registered yet"), v.waiting_reason);
    if (v.can_register && !v.registered) {
        if (in_flight(v.registration))
            wz_loading(ui, "registering", tr("Registering the webhooks\xE2\x80\xA6"));
        else if (wz_button(ui, "register", tr("Set up automatically"), busy))
            intent = Intent::register_hooks;
    }
    ui_error_box(ui, "webhooks.error", v.error);
    if (!v.steps.empty() && !v.registered) {
        ui_vspace(ui, 0.25f);
        ui_heading(ui, tr("At the platform"));
        for (size_t i = 0; i < v.steps.size(); ++i) {
            wz_help(ui, (std::to_string(i + 1) + ". " + v.steps[i]).c_str());
            ui_record(ui, "webhooks.step." + std::to_string(i), "text", v.steps[i]);
        }
    }
    const int nav = wz_nav(ui, "continue", tr("Continue"), false, "", tr("Back"));
    if (nav == 1) intent = Intent::next;
    if (nav == 2) intent = Intent::back;
    return intent;
}
