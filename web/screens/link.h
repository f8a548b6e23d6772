// The onboarding link's own screen, shown while the tab opens a link
// (#/onboard/<token>) and when it cannot: the one-time code a link may ask
// for on a new device, or why the link no longer opens (revoked, onboarding
// complete, expired, unknown). web/app.cpp decides which and sends the
// requests; this file only draws.
#pragma once

#include <string>

struct Ui;

enum class LinkView {
    opening,  // renewing the tab's session or exchanging the token
    code,     // the link asks for the code it e-mailed
    closed,   // the link does not open: `title` and `message` say why
};

struct LinkForm {
    LinkView view = LinkView::opening;
    std::string code;        // typed by the client
    std::string title;       // closed: the heading
    std::string message;     // code: where the code went; closed: what to do now
    std::string error;       // code: the last code was wrong or dead
    bool pending = false;    // an exchange is in flight
    bool can_retry = false;  // closed because the server could not be reached
};

enum class LinkIntent {
    none,
    submit_code,  // exchange the token with form.code
    new_code,     // exchange without a code: the server e-mails a new one
    retry,        // open the link again from the start
};

// Draws the card for form.view.
LinkIntent draw_link(LinkForm& form, const Ui& ui);
