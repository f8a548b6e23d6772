// The onboarding link's screen (link.h).
#include "screens/link.h"

#include "i18n/i18n.h"
#include "ui.h"

static LinkIntent draw_code(LinkForm& f, const Ui& ui) {
    ui_heading(ui, tr("Check your e-mail"));
    ui_record(ui, "link.title", "text", tr("Check your e-mail"));
    ui_muted_text(ui, f.message.c_str());
    ui_record(ui, "link.message", "text", f.message);
    ui_vspace(ui, 0.5f);
    FieldOptions code;
    code.hint = "123456";
    code.disabled = f.pending;
    code.keyboard = Keyboard::number;
    bool submit = ui_text_field(ui, "link_code", tr("6-digit code"), &f.code, code);
    ui_vspace(ui, 0.25f);
    ui_error_box(ui, "link.error", f.error);
    submit |= ui_primary_button(ui, "link.continue", tr("Continue"), f.pending, tr("Checking\xE2\x80\xA6"));
    if (submit && !f.pending) {
        if (f.code.size() == 6 && f.code.find_first_not_of("0123456789") == std::string::npos)
            return LinkIntent::submit_code;
        f.error = tr("Type the 6 digits from the e-mail.");
    }
    if (!f.pending && ui_link_button(ui, "link.new_code", tr("Send a new code"))) return LinkIntent::new_code;
    return LinkIntent::none;
}

static LinkIntent draw_closed(LinkForm& f, const Ui& ui) {
    ui_heading(ui, f.title.c_str());
    ui_record(ui, "link.title", "text", f.title);
    ui_muted_text(ui, f.message.c_str());
    ui_record(ui, "link.message", "text", f.message);
    if (f.can_retry) {
        ui_vspace(ui, 0.5f);
        if (ui_primary_button(ui, "link.retry", tr("Try again"), false, "")) return LinkIntent::retry;
    }
    return LinkIntent::none;
}

LinkIntent draw_link(LinkForm& f, const Ui& ui) {
    ui_begin_card(ui, "##link", 26.0f);
    ui_brand_header(ui, tr("Connect your business platforms in a few guided steps."));
    ui_vspace(ui, 0.5f);
    LinkIntent intent = LinkIntent::none;
    switch (f.view) {
    case LinkView::opening:
        ui_muted_text(ui, tr("Opening your onboarding link\xE2\x80\xA6"));
        ui_record(ui, "link.opening", "text", tr("Opening your onboarding link"));
        break;
    case LinkView::code: intent = draw_code(f, ui); break;
    case LinkView::closed: intent = draw_closed(f, ui); break;
    }
    ui_end_card();
    return intent;
}
