// The sign-in card (sign_in.h): one function per step, and the replies of
// the reset requests read back into the form.
#include "screens/sign_in.h"

#include <nlohmann/json.hpp>

#include "api.h"
#include "i18n/i18n.h"
#include "ui.h"

using nlohmann::json;

namespace {

constexpr size_t kMinPassword = 8;  // the edge's policy (edge/auth/passwords.h)

std::string dump(const json& body) { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

std::shared_ptr<HttpReply> post(const std::string& url, const json& body) {
    HttpRequest req;
    req.method = "POST";
    req.url = url;
    req.body = dump(body);
    return platform_fetch(req);
}

bool busy(const SignInForm& f) { return f.pending || (f.request && !f.request->done); }

// Checks what can be checked without the server. Returns the message to
// show, or an empty string when the form may be sent.
std::string validate(const SignInForm& form) {
    if (form.email.empty() || form.email.find('@') == std::string::npos)
        return tr("Enter the email address you use for Onramp.");
    if (form.password.empty()) return tr("Enter your password.");
    return {};
}

void back_to_password(SignInForm& f) {
    f.step = SignInStep::password;
    f.error.clear();
    f.code.clear();
    f.mfa_token.clear();
    f.recovery = false;
}

bool email_field(SignInForm& f, const Ui& ui) {
    FieldOptions email;
    email.hint = "you@company.com";
    email.disabled = busy(f);
    email.keyboard = Keyboard::email;
    return ui_text_field(ui, "email", tr("Email"), &f.email, email);
}

Action draw_password(SignInForm& f, const Ui& ui) {
    ui_begin_form(ui, "sign_in.form", "sign_in");
    bool submit = email_field(f, ui);
    FieldOptions password;
    password.password = true;
    password.revealed = &f.reveal_password;
    password.disabled = f.pending;
    password.keyboard = Keyboard::current_password;
    submit |= ui_text_field(ui, "password", tr("Password"), &f.password, password);

    ui_vspace(ui, 0.25f);
    if (!f.notice.empty()) ui_muted_text(ui, f.notice.c_str());
    ui_error_box(ui, "sign_in.error", f.error);
    submit |= ui_primary_button(ui, "sign_in", tr("Sign in"), f.pending, tr("Signing in\xE2\x80\xA6"));
    ui_end_form(ui);
    if (!f.pending && ui_link_button(ui, "forgot_password", tr("Forgot password?"))) {
        f.step = SignInStep::forgot;
        f.error.clear();
        f.notice.clear();
        return Action::None;
    }
    if (!submit || f.pending) return Action::None;
    f.notice.clear();
    f.error = validate(f);
    return f.error.empty() ? Action::SignIn : Action::None;
}

Action draw_code(SignInForm& f, const Ui& ui) {
    ui_muted_text(ui, f.recovery ? tr("Enter one of your recovery codes.")
                                 : tr("Enter the 6-digit code from your authenticator app."));
    FieldOptions code;
    code.disabled = f.pending;
    code.keyboard = f.recovery ? Keyboard::secret : Keyboard::number;
    if (!f.recovery) code.autocomplete = "one-time-code";
    bool submit = ui_text_field(ui, "code", f.recovery ? tr("Recovery code") : tr("Code"), &f.code, code);
    ui_vspace(ui, 0.25f);
    ui_error_box(ui, "sign_in.error", f.error);
    submit |= ui_primary_button(ui, "verify_code", tr("Verify"), f.pending, tr("Checking\xE2\x80\xA6"));
    if (!f.pending && ui_link_button(ui, "use_recovery", f.recovery ? tr("Use the app's code") : tr("Use a recovery code"))) {
        f.recovery = !f.recovery;
        f.code.clear();
        f.error.clear();
    }
    if (!f.pending && ui_link_button(ui, "back_to_sign_in", tr("Back to sign-in"))) back_to_password(f);
    if (!submit || f.pending) return Action::None;
    f.error = f.code.empty() ? tr("Enter the code.") : "";
    return f.error.empty() ? Action::SignIn : Action::None;
}

void draw_forgot(SignInForm& f, const Ui& ui) {
    if (f.request && f.request->done) {
        if (f.request->status == 202) {
            f.step = SignInStep::password;
            f.notice = trf("If an account exists for {email}, we sent it a link to choose a new password. "
                           "It works once, for 30 minutes.",
                           {{"email", f.email}});
        } else {
            f.error = problem_text(reply_problem(*f.request));
        }
        f.request.reset();
        return;
    }
    ui_muted_text(ui, tr("Enter your address: we e-mail a link to choose a new password."));
    bool submit = email_field(f, ui);
    ui_vspace(ui, 0.25f);
    ui_error_box(ui, "sign_in.error", f.error);
    submit |= ui_primary_button(ui, "send_reset", tr("Send the link"), busy(f), tr("Sending\xE2\x80\xA6"));
    if (!busy(f) && ui_link_button(ui, "back_to_sign_in", tr("Back to sign-in"))) back_to_password(f);
    if (!submit || busy(f)) return;
    f.error = f.email.find('@') == std::string::npos ? tr("Enter the email address you use for Onramp.") : "";
    if (f.error.empty()) f.request = post("/api/v1/auth/password-reset", {{"email", f.email}});
}

void draw_reset(SignInForm& f, const Ui& ui) {
    if (f.request && f.request->done) {
        if (f.request->status == 200) {
            const json j = json::parse(f.request->body, nullptr, false);
            if (j.is_object() && j.contains("email") && j["email"].is_string()) f.email = j["email"].get<std::string>();
            f.step = SignInStep::password;
            f.password.clear();
            f.notice = tr("Your password was changed. Sign in with it.");
            f.reset_token.clear();
            f.new_password.clear();
            f.new_password_again.clear();
        } else {
            f.error = problem_text(reply_problem(*f.request));
        }
        f.request.reset();
        return;
    }
    ui_muted_text(ui, tr("Choose a new password for your Onramp account."));
    FieldOptions password;
    password.password = true;
    password.revealed = &f.reveal_password;
    password.disabled = busy(f);
    password.keyboard = Keyboard::new_password;
    bool submit = ui_text_field(ui, "new_password", tr("New password"), &f.new_password, password);
    submit |= ui_text_field(ui, "new_password_again", tr("The same again"), &f.new_password_again, password);
    ui_vspace(ui, 0.25f);
    ui_error_box(ui, "sign_in.error", f.error);
    submit |= ui_primary_button(ui, "set_password", tr("Set the password"), busy(f), tr("Saving\xE2\x80\xA6"));
    if (!busy(f) && ui_link_button(ui, "back_to_sign_in", tr("Back to sign-in"))) {
        back_to_password(f);
        f.reset_token.clear();
    }
    if (!submit || busy(f)) return;
    if (f.new_password.size() < kMinPassword) f.error = tr("Use at least 8 characters for the password.");
    else if (f.new_password != f.new_password_again) f.error = tr("The two passwords differ.");
    else f.error.clear();
    if (f.error.empty())
        f.request = post("/api/v1/auth/password-reset/confirm", {{"token", f.reset_token}, {"password", f.new_password}});
}

}  // namespace

Action draw_sign_in(SignInForm& form, const Ui& ui) {
    ui_begin_card(ui, "##sign_in", 26.0f);
    ui_brand_header(ui, tr("Connect your business platforms in a few guided steps."));
    ui_vspace(ui, 0.5f);
    Action action = Action::None;
    switch (form.step) {
    case SignInStep::password: action = draw_password(form, ui); break;
    case SignInStep::code: action = draw_code(form, ui); break;
    case SignInStep::forgot: draw_forgot(form, ui); break;
    case SignInStep::reset: draw_reset(form, ui); break;
    }
    ui_end_card();
    return action;
}

HttpRequest sign_in_request(const SignInForm& form) {
    HttpRequest req;
    req.method = "POST";
    if (form.step == SignInStep::code) {
        req.url = "/api/v1/auth/login/totp";
        req.body = dump({{"mfa_token", form.mfa_token}, {form.recovery ? "recovery_code" : "code", form.code}});
    } else {
        req.url = "/api/v1/auth/login";
        req.body = login_request_body(form.email, form.password);
    }
    return req;
}

bool sign_in_wants_code(SignInForm& form, const HttpReply& reply) {
    if (reply.status != 200) return false;
    const json j = json::parse(reply.body, nullptr, false);
    const bool asks = j.is_object() && j.contains("mfa_required") && j["mfa_required"].is_boolean() &&
                      j["mfa_required"].get<bool>() && j.contains("mfa_token") && j["mfa_token"].is_string();
    if (!asks) return false;
    form.mfa_token = j["mfa_token"].get<std::string>();
    form.step = SignInStep::code;
    form.code.clear();
    form.recovery = false;
    form.error.clear();
    return true;
}

void sign_in_finished(SignInForm& form) {
    form.password.clear();
    back_to_password(form);
}

bool sign_in_open_link(SignInForm& form, const std::string& hash) {
    const std::string prefix = "#/reset/";
    if (hash.rfind(prefix, 0) != 0 || hash.size() == prefix.size()) return false;
    form.step = SignInStep::reset;
    form.reset_token = hash.substr(prefix.size());
    return true;
}
