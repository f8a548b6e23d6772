// The sign-in card and its side steps: the code of two-factor sign-in
// when the server asks for one, "Forgot password?" (asks for a reset
// link by e-mail), and choosing a new password from a reset link
// (#/reset/<token>). The password and code steps go out through the app
// (Action::SignIn, sign_in_request); the reset requests are the card's own.
#pragma once

#include <memory>
#include <string>

#include "platform/platform.h"
#include "screens/action.h"

struct Ui;

enum class SignInStep {
    password,  // e-mail and password
    code,      // the authenticator's code (or a recovery code) after a right password
    forgot,    // the address to e-mail a reset link to
    reset,     // a new password, twice, from a reset link
};

struct SignInForm {
    std::string email;
    std::string password;
    bool reveal_password = false;
    bool pending = false;   // a login request is in flight
    std::string error;      // shown above the button until the next attempt
    std::string notice;     // a confirmation ("we sent a link"), shown on the password step

    SignInStep step = SignInStep::password;
    std::string mfa_token;  // from the password step's reply, for the code step
    std::string code;
    bool recovery = false;  // the code is a recovery code
    std::string reset_token;
    std::string new_password, new_password_again;
    std::shared_ptr<HttpReply> request;  // a reset request in flight
};

// Draws the card for the current step. Returns Action::SignIn when the
// password or code step is submitted filled in; otherwise sets form.error
// or returns None.
Action draw_sign_in(SignInForm& form, const Ui& ui);

// The request Action::SignIn sends: the password, or the code with the
// token the password step got.
HttpRequest sign_in_request(const SignInForm& form);

// When the login reply asks for a second factor, moves to the code step
// and returns true (the reply is used up); false for any other reply.
bool sign_in_wants_code(SignInForm& form, const HttpReply& reply);

// A signed-in reply arrived: forgets the password, the code and the step.
void sign_in_finished(SignInForm& form);

// A reset link (#/reset/<token>) opens the reset step; returns whether
// `hash` was one.
bool sign_in_open_link(SignInForm& form, const std::string& hash);
