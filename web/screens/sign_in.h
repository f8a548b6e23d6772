#pragma once

#include <string>

#include "screens/action.h"

struct Ui;

struct SignInForm {
    std::string email;
    std::string password;
    bool reveal_password = false;
    bool pending = false;   // a login request is in flight
    std::string error;      // shown above the button until the next attempt
};

// Draws the sign-in card. Returns Action::SignIn when the form is submitted
// with both fields filled in; otherwise sets form.error or returns None.
Action draw_sign_in(SignInForm& form, const Ui& ui);
