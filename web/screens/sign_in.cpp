#include "screens/sign_in.h"

#include "ui.h"

// Checks what can be checked without the server. Returns the message to
// show, or an empty string when the form may be sent.
static std::string validate(const SignInForm& form) {
    if (form.email.empty() || form.email.find('@') == std::string::npos)
        return "Enter the email address you use for Onramp.";
    if (form.password.empty()) return "Enter your password.";
    return {};
}

Action draw_sign_in(SignInForm& form, const Ui& ui) {
    ui_begin_card(ui, "##sign_in", 26.0f);
    ui_brand_header(ui, "Connect your business platforms in a few guided steps.");
    ui_vspace(ui, 0.5f);

    ui_begin_form(ui, "sign_in.form", "sign_in");
    FieldOptions email;
    email.hint = "you@company.com";
    email.disabled = form.pending;
    email.keyboard = Keyboard::email;
    bool submit = ui_text_field(ui, "email", "Email", &form.email, email);

    FieldOptions password;
    password.password = true;
    password.revealed = &form.reveal_password;
    password.disabled = form.pending;
    password.keyboard = Keyboard::current_password;
    submit |= ui_text_field(ui, "password", "Password", &form.password, password);

    ui_vspace(ui, 0.25f);
    ui_error_box(ui, "sign_in.error", form.error);
    submit |= ui_primary_button(ui, "sign_in", "Sign in", form.pending,
                                "Signing in\xE2\x80\xA6");
    ui_end_form(ui);
    ui_end_card();

    if (!submit || form.pending) return Action::None;
    form.error = validate(form);
    return form.error.empty() ? Action::SignIn : Action::None;
}
