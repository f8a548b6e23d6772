// The client application: every piece of UI state, and the one place that
// decides which screen is shown and carries out what screens ask for.
#pragma once

#include <memory>

#include "api.h"
#include "brand.h"
#include "i18n/language.h"
#include "platform/platform.h"
#include "screens/console/console.h"
#include "screens/home.h"
#include "screens/link.h"
#include "screens/sign_in.h"
#include "screens/wizard/invitation.h"
#include "screens/wizard/wizard.h"
#include "theme.h"
#include "ui.h"

enum class Screen { SignIn, Home, Console, Wizard, Invitation, Link };

// Stable names, used by the test hook: "sign_in", "home", "console", "wizard", "invitation", "link".
const char* screen_name(Screen screen);

// An onboarding link this tab opened (web/app.cpp, open_link): its token,
// kept so the tab can open it again, and the requests that renew or open
// its session. At most one of renewal, about and exchange is in flight.
struct LinkTab {
    std::string token;                    // "" when the tab opened no link
    std::shared_ptr<HttpReply> renewal;   // refresh of the session the tab kept
    Session renewed;                      // ... its new tokens, until `about` names the org
    std::shared_ptr<HttpReply> about;     // GET /api/v1/onboarding/link: the link still stands?
    std::shared_ptr<HttpReply> exchange;  // the token's exchange (opening the link)
    double checked_at = 0;                // when the link last answered (ImGui::GetTime())
    LinkForm form;                        // the link's own screen
};

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
    LinkTab link;                      // the onboarding link this tab opened, if any
    InvitationForm invitation;         // opened from an invitation link
    std::string address;               // the route the address bar shows, as last written or followed
    bool follow_address = true;        // the next screen to settle opens the route the address names

    Brand brand;              // the agency's name, logo and accent on the page
    std::string brand_scope;  // whose brand was asked for: "deployment" or "org:<id>"
    Palette palette;          // the theme's, with the brand's accent

    LanguageState language;   // the page's language and its table (i18n/language.h)
    ThemeMode theme = ThemeMode::Light;
    bool style_dirty = true;  // theme or scale changed: re-apply before drawing
    Ui ui;                    // fonts and scale are set by main (they need the GL backend)
    WidgetLog widgets;        // what the last frame drew, for the test hook
    long frames = 0;          // frames drawn so far
};

// Draws one frame. Call between ImGui::NewFrame() and ImGui::Render().
void app_frame(App& app);
