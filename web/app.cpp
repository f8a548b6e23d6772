#include "app.h"

#include "imgui.h"
#include "platform/a11y.h"
#include "platform/gestures.h"
#include "shared/version.h"

const char* screen_name(Screen screen) {
    switch (screen) {
    case Screen::SignIn: return "sign_in";
    case Screen::Home: return "home";
    case Screen::Console: return "console";
    case Screen::Wizard: return "wizard";
    case Screen::Invitation: return "invitation";
    }
    return "unknown";
}

static void apply_style(App& app) {
    theme_apply_style(app.theme, app.ui.dpr);
    app.ui.palette = &theme_palette(app.theme);
    app.style_dirty = false;
}

// Access tokens live 15 minutes (edge/auth/sessions.h). The session is
// renewed every 10, so a client who takes its time is not turned away
// mid-step.
constexpr double kRenewEverySeconds = 600;

static void start_session(App& app, const Session& session) {
    app.session = session;
    app.session_since = ImGui::GetTime();
    platform_remember_session(session.refresh_token);
}

static void keep_session_fresh(App& app) {
    if (app.renewal && app.renewal->done) {
        auto result = parse_login_reply(*app.renewal, app.session.email);
        app.renewal.reset();
        // Signed out meanwhile, or refused: the session stays as it is, and
        // its next request says why.
        if (result && app.session.refresh_token == app.renewing) {
            app.session.access_token = result->access_token;
            app.session.refresh_token = result->refresh_token;
            platform_remember_session(app.session.refresh_token);
        }
        return;
    }
    if (app.renewal || app.session.refresh_token.empty()) return;
    if (ImGui::GetTime() - app.session_since < kRenewEverySeconds) return;
    app.session_since = ImGui::GetTime();
    app.renewing = app.session.refresh_token;
    HttpRequest req;
    req.method = "POST";
    req.url = "/api/v1/auth/refresh";
    req.body = refresh_request_body(app.renewing);
    app.renewal = platform_fetch(req);
}

// Finishes requests whose replies arrived since the last frame.
static void poll_replies(App& app) {
    if (app.login && app.login->done) {
        auto result = parse_login_reply(*app.login, app.sign_in.email);
        app.login.reset();
        app.sign_in.pending = false;
        const bool resumed = app.resuming;
        app.resuming = false;
        if (result) {
            start_session(app, result.value());
            app.sign_in.password.clear();
            app.screen = app.session.is_operator ? Screen::Console : Screen::Home;
            // Clients, and anyone who followed a link to the wizard, onboard.
            const bool wizard_link = platform_location_hash().rfind("#/onboard", 0) == 0;
            if (!app.session.org_id.empty() && (wizard_link || !app.session.is_operator)) {
                app.screen = Screen::Wizard;
                wizard_open(app.wizard, app.session);
            }
        } else if (resumed) {
            platform_remember_session("");  // expired or used elsewhere: sign in again, no error
        } else {
            app.sign_in.error = result.problem().detail;
        }
    }
}

// A reload: the session the tab remembered is renewed, and its reply is
// handled like a sign-in's. Refresh tokens are single-use, so the renewed
// one replaces it.
static void resume_session(App& app) {
    const std::string token = platform_remembered_session();
    if (token.empty()) return;
    HttpRequest req;
    req.method = "POST";
    req.url = "/api/v1/auth/refresh";
    req.body = refresh_request_body(token);
    app.sign_in.pending = true;
    app.resuming = true;
    app.login = platform_fetch(req);
}

// An onboarding link (#/onboard/<token>) opens the wizard without an
// account: the token is exchanged for a session of the client's org. An
// invitation link (#/invite/<token>) opens the invitation.
static void open_link(App& app) {
    const std::string prefix = "#/onboard/";
    const std::string invite = "#/invite/";
    const std::string hash = platform_location_hash();
    if (hash.rfind(invite, 0) == 0 && hash.size() > invite.size()) {
        app.screen = Screen::Invitation;
        invitation_open(app.invitation, hash.substr(invite.size()));
        return;
    }
    if (hash.rfind(prefix, 0) != 0 || hash.size() == prefix.size()) {
        resume_session(app);
        return;
    }
    HttpRequest req;
    req.method = "POST";
    req.url = "/api/v1/onboarding-links/exchange";
    req.body = link_exchange_body(hash.substr(prefix.size()));
    app.sign_in.pending = true;
    app.link = platform_fetch(req);
}

static void poll_link(App& app) {
    if (!app.link || !app.link->done) return;
    auto result = parse_link_reply(*app.link);
    app.link.reset();
    app.sign_in.pending = false;
    if (!result) {
        app.sign_in.error = "This onboarding link can't be used: " + result.problem().detail +
                            " Ask for a new link, or sign in.";
        return;
    }
    start_session(app, result.value());
    app.screen = Screen::Wizard;
    wizard_open(app.wizard, app.session);
}

static void perform(App& app, Action action) {
    switch (action) {
    case Action::None: break;
    case Action::SignIn: {
        HttpRequest req;
        req.method = "POST";
        req.url = "/api/v1/auth/login";
        req.body = login_request_body(app.sign_in.email, app.sign_in.password);
        app.sign_in.pending = true;
        app.sign_in.error.clear();
        app.login = platform_fetch(req);
        break;
    }
    case Action::SignOut: {
        // The token is forgotten here whatever the server answers; the
        // request only revokes it server-side.
        HttpRequest req;
        req.method = "POST";
        req.url = "/api/v1/auth/logout";
        req.bearer = app.session.access_token;
        platform_fetch(req);
        app.session = Session{};
        platform_remember_session("");
        app.console = ConsoleState{};
        app.wizard = Wizard{};
        app.screen = Screen::SignIn;
        break;
    }
    }
}

// The page around the cards: the theme switch and the version line.
static void draw_page(App& app) {
    const Ui& ui = app.ui;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground |
                                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::Begin("##page", nullptr, flags);

    const char* label = app.theme == ThemeMode::Dark ? "Light theme" : "Dark theme";
    const float w = ImGui::CalcTextSize(label).x + 2.0f * ImGui::GetStyle().FramePadding.x;
    ImGui::SetCursorPos(ImVec2(vp->WorkSize.x - w - ui.em, ui.em));
    if (ui_link_button(ui, "theme", label)) {
        app.theme = app.theme == ThemeMode::Dark ? ThemeMode::Light : ThemeMode::Dark;
        app.style_dirty = true;
    }

    ImGui::PushFont(ui.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
    const std::string footer = std::string("Onramp ") + onramp::kVersion;
    const ImVec2 size = ImGui::CalcTextSize(footer.c_str());
    ImGui::SetCursorPos(ImVec2(0.5f * (vp->WorkSize.x - size.x), vp->WorkSize.y - size.y - ui.em));
    ImGui::TextUnformatted(footer.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::End();
}

void app_frame(App& app) {
    ++app.frames;
    if (app.style_dirty) apply_style(app);
    app.widgets.items.clear();
    app.widgets.active.clear();
    app.widgets.nav.clear();
    app.widgets.forms.clear();
    app.ui.log = &app.widgets;

    if (app.frames == 1) open_link(app);
    poll_replies(app);
    poll_link(app);
    keep_session_fresh(app);
    draw_page(app);

    Action action = Action::None;
    switch (app.screen) {
    case Screen::SignIn: action = draw_sign_in(app.sign_in, app.ui); break;
    case Screen::Home: action = draw_home(app.session, app.ui); break;
    case Screen::Console: action = console_frame(app.console, app.session, app.ui); break;
    case Screen::Wizard:
        if (wizard_frame(app.wizard, app.session, app.ui)) action = Action::SignOut;
        break;
    case Screen::Invitation:
        if (invitation_frame(app.invitation, app.ui)) {
            start_session(app, app.invitation.session);
            app.screen = app.session.org_id.empty() ? Screen::Home : Screen::Wizard;
            if (app.screen == Screen::Wizard) wizard_open(app.wizard, app.session);
        }
        break;
    }
    perform(app, action);
    gestures_end_frame(app.widgets, app.ui.dpr);
    a11y_end_frame(app.widgets, app.ui.dpr);
}
