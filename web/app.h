// The client application: every piece of UI state, and the one place that
// decides which screen is shown and carries out what screens ask for.
#pragma once

#include <memory>

#include "api.h"
#include "brand.h"
#include "platform/platform.h"
#include "screens/console/console.h"
#include "screens/home.h"
#include "screens/sign_in.h"
#include "screens/wizard/invitation.h"
#include "screens/wizard/wizard.h"
#include "theme.h"
#include "ui.h"

enum class Screen { SignIn, Home, Console, Wizard, Invitation };

// Stable names, used by the test hook: "sign_in", "home", "console", "wizard", "invitation".
const char* screen_name(Screen screen);

struct App {
    Screen screen = Screen::SignIn;
    SignInForm sign_in;
    Session session;
    std::shared_ptr<HttpReply> login;  // the login request in flight, if any
    bool resuming = false;             // ... renewing the session a reload remembered
    std::shared_ptr<HttpReply> renewal;  // the session's periodic renewal in flight
    std::string renewing;              // ... of this refresh token
    double session_since = 0;          // ImGui::GetTime() when the tokens were last issued
    ConsoleState console;              // the operator console (operators only)
    Wizard wizard;                     // the client onboarding wizard
    std::shared_ptr<HttpReply> link;   // an onboarding link's token exchange in flight
    InvitationForm invitation;         // opened from an invitation link

    Brand brand;              // the agency's name, logo and accent on the page
    std::string brand_scope;  // whose brand was asked for: "deployment" or "org:<id>"
    Palette palette;          // the theme's, with the brand's accent

    ThemeMode theme = ThemeMode::Light;
    bool style_dirty = true;  // theme or scale changed: re-apply before drawing
    Ui ui;                    // fonts and scale are set by main (they need the GL backend)
    WidgetLog widgets;        // what the last frame drew, for the test hook
    long frames = 0;          // frames drawn so far
};

// Draws one frame. Call between ImGui::NewFrame() and ImGui::Render().
void app_frame(App& app);
