#include "app.h"

#include "i18n/i18n.h"
#include "imgui.h"
#include "platform/a11y.h"
#include "platform/gestures.h"
#include "route.h"
#include "shared/version.h"

const char* screen_name(Screen screen) {
    switch (screen) {
    case Screen::SignIn: return "sign_in";
    case Screen::Home: return "home";
    case Screen::Console: return "console";
    case Screen::Wizard: return "wizard";
    case Screen::Invitation: return "invitation";
    case Screen::Link: return "link";
    }
    return "unknown";
}

static void apply_style(App& app) {
    app.palette = brand_palette(theme_palette(app.theme), app.brand);
    theme_apply_style(app.palette, app.theme, app.ui.dpr);
    app.ui.palette = &app.palette;
    app.ui.dark = app.theme == ThemeMode::Dark;
    app.ui.brand = &app.brand;
    app.style_dirty = false;
}

// Access tokens live 15 minutes (edge/auth/sessions.h). The session is
// renewed every 10, so a client who takes its time is not turned away
// mid-step.
constexpr double kRenewEverySeconds = 600;

static void start_session(App& app, const Session& session) {
    app.session = session;
    app.session_since = ImGui::GetTime();
    app.follow_address = true;
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
    // Refresh tokens are single-use: never two renewals at once.
    if (app.renewal || app.link.renewal || app.session.refresh_token.empty()) return;
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
        if (sign_in_wants_code(app.sign_in, *app.login)) {
            app.login.reset();
            app.sign_in.pending = false;
            return;
        }
        auto result = parse_login_reply(*app.login, app.sign_in.email);
        app.login.reset();
        app.sign_in.pending = false;
        const bool resumed = app.resuming;
        app.resuming = false;
        if (result) {
            start_session(app, result.value());
            sign_in_finished(app.sign_in);
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
            app.sign_in.error = problem_text(result.problem());
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

// --- onboarding links ------------------------------------------------------
//
// A link (#/onboard/<token>) opens the wizard without an account. The tab
// keeps the token (sessionStorage, beside the session) and takes it out of
// the address bar. On every load it first renews the session it kept; only
// when it has none, or the renewal or the session is refused, does it
// exchange the token again, which opens a new session of the same client
// (edge/onboarding/links.h). So a reload, Back and Forward, a discarded tab
// or signing out and following the link again all resume at the client's
// step; another browser opens the link anew (with the e-mailed code when
// the link asks for one). When the link no longer opens (revoked, the
// onboarding complete, expired) the link's screen says which.

// How often a link session asks whether its link still stands, so that a
// revoked link's page says so within this long.
constexpr double kLinkCheckSeconds = 15;

static void link_exchange(App& app, const std::string& code) {
    HttpRequest req;
    req.method = "POST";
    req.url = "/api/v1/onboarding-links/exchange";
    req.body = link_exchange_body(app.link.token, code);
    app.link.form.pending = true;
    app.link.exchange = platform_fetch(req);
}

static std::shared_ptr<HttpReply> ask_link(const Session& session) {
    HttpRequest req;
    req.url = "/api/v1/onboarding/link";
    req.bearer = session.access_token;
    return platform_fetch(req);
}

// Renews the session the tab kept, or opens the link when it kept none.
static void link_renew(App& app, const std::string& refresh_token) {
    if (refresh_token.empty() || app.renewal) {
        link_exchange(app, "");
        return;
    }
    HttpRequest req;
    req.method = "POST";
    req.url = "/api/v1/auth/refresh";
    req.body = refresh_request_body(refresh_token);
    app.link.renewal = platform_fetch(req);
}

static void enter_link_session(App& app, const Session& session) {
    start_session(app, session);
    app.link.checked_at = ImGui::GetTime();
    app.link.form = LinkForm{};
    app.screen = Screen::Wizard;
    wizard_open(app.wizard, app.session);
}

// The link does not open: its screen says why. Unless the server was merely
// unreachable, the tab forgets the session; it keeps a known link's token,
// so that a reload says the same again.
static void link_closed(App& app, const onramp::Problem& p) {
    LinkForm& f = app.link.form;
    f = LinkForm{};
    f.view = LinkView::closed;
    f.can_retry = p.status == 0;
    if (p.error_code == "link_revoked") {
        f.title = tr("This link was revoked");
        f.message = tr("The team that sent it withdrew it, so it no longer opens. If you still need to onboard, "
                       "ask them for a new link.");
    } else if (p.error_code == "link_completed") {
        f.title = tr("Onboarding complete");
        f.message = tr("Your onboarding is complete, so this link no longer opens. Thank you!");
    } else if (p.error_code == "link_expired") {
        f.title = tr("This link has expired");
        f.message = tr("Ask the team that sent it for a new link.");
    } else {
        f.title = p.status == 0 ? tr("Can't open the link right now") : tr("This link can't be used");
        f.message = problem_text(p);
    }
    if (!f.can_retry) platform_remember_session("");
    if (p.status == 404) {
        platform_remember_link("");
        app.link.token.clear();
    }
    app.session = Session{};
    app.wizard = Wizard{};
    app.screen = Screen::Link;
}

static void poll_link(App& app) {
    LinkTab& l = app.link;
    if (l.renewal && l.renewal->done) {
        auto result = parse_login_reply(*l.renewal, "");
        l.renewal.reset();
        // Expired, revoked or renewed elsewhere: open the link again.
        if (!result) {
            link_exchange(app, "");
            return;
        }
        l.renewed = result.value();
        platform_remember_session(l.renewed.refresh_token);  // single-use: the new one replaces it
        l.about = ask_link(l.renewed);
        return;
    }
    if (l.about && l.about->done) {
        const bool resuming = !l.renewed.access_token.empty();
        Session session = resuming ? l.renewed : app.session;
        onramp::Status known = parse_link_about(*l.about, session);
        l.about.reset();
        l.renewed = Session{};
        if (known) {
            if (resuming) enter_link_session(app, session);
            l.checked_at = ImGui::GetTime();
        } else if (known.problem().status == 0 && !resuming) {
            l.checked_at = ImGui::GetTime();  // offline for now: ask again later
        } else if (resuming) {
            link_exchange(app, "");
        } else {
            link_renew(app, app.session.refresh_token);  // refused: renew, else open the link again
        }
        return;
    }
    if (l.exchange && l.exchange->done) {
        auto result = parse_link_reply(*l.exchange);
        l.exchange.reset();
        l.form.pending = false;
        if (result) {
            enter_link_session(app, result.value());
            return;
        }
        const onramp::Problem& p = result.problem();
        if (p.error_code == "code_required" || p.error_code == "code_invalid" || p.error_code == "code_expired") {
            if (p.error_code == "code_required") l.form.message = problem_text(p);
            l.form.error = p.error_code == "code_required" ? "" : problem_text(p);
            l.form.code.clear();
            l.form.view = LinkView::code;
            app.screen = Screen::Link;
            return;
        }
        link_closed(app, p);
    }
}

// While a link session runs the wizard, asks now and then whether the link
// still stands (a revoked link ends its sessions at once).
static void check_link(App& app) {
    LinkTab& l = app.link;
    if (app.screen != Screen::Wizard || !app.session.from_link) return;
    if (l.renewal || l.about || l.exchange) return;
    if (ImGui::GetTime() - l.checked_at < kLinkCheckSeconds) return;
    l.checked_at = ImGui::GetTime();
    l.about = ask_link(app.session);
}

static void perform_link(App& app, LinkIntent intent) {
    switch (intent) {
    case LinkIntent::none: break;
    case LinkIntent::submit_code: link_exchange(app, app.link.form.code); break;
    case LinkIntent::new_code: link_exchange(app, ""); break;
    case LinkIntent::retry:
        app.link.form = LinkForm{};
        link_renew(app, platform_remembered_session());
        break;
    }
}

// The first frame: an invitation link (#/invite/<token>) opens the
// invitation; an onboarding link, or a tab that opened one before, opens
// its session; otherwise a session the tab remembered resumes.
static void open_link(App& app) {
    const std::string invite = "#/invite/";
    const std::string hash = platform_location_hash();
    if (hash.rfind(invite, 0) == 0 && hash.size() > invite.size()) {
        app.screen = Screen::Invitation;
        invitation_open(app.invitation, hash.substr(invite.size()));
        return;
    }
    std::string token = platform_remembered_link();
    if (const std::string linked = onboarding_link_token(hash); !linked.empty()) {
        // Security: the token leaves the address bar and the history at once.
        platform_replace_hash("#/onboard");
        if (linked != token) {
            // Another link than the one this tab kept (or none): its session is not this link's.
            token = linked;
            platform_remember_session("");
            platform_remember_link(token);
        }
    }
    if (token.empty()) {
        resume_session(app);
        return;
    }
    app.link.token = token;
    app.link.form = LinkForm{};
    app.screen = Screen::Link;
    link_renew(app, platform_remembered_session());
}

// A link pasted into the address bar of a tab already open changes only the
// fragment, so the browser does not load the page again: the tab leaves
// what it was showing, and whatever was in flight, and opens that link as a
// load would. Any other new fragment (Back, Forward, a route typed in) is a
// route for the screen to follow (keep_address).
static void follow_new_link(App& app) {
    if (!platform_hash_changed()) return;
    if (onboarding_link_token(platform_location_hash()).empty()) {
        app.follow_address = true;
        return;
    }
    app.login.reset();
    app.resuming = false;
    app.renewal.reset();
    app.session = Session{};
    app.link = LinkTab{};
    app.console = ConsoleState{};
    app.wizard = Wizard{};
    app.sign_in = SignInForm{};
    open_link(app);
}

static void perform(App& app, Action action) {
    switch (action) {
    case Action::None: break;
    case Action::SignIn: {
        HttpRequest req = sign_in_request(app.sign_in);
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
        platform_remember_link("");
        app.link = LinkTab{};
        app.console = ConsoleState{};
        app.wizard = Wizard{};
        app.screen = Screen::SignIn;
        // The next person to sign in starts on their own first screen.
        platform_replace_hash("");
        app.address.clear();
        app.follow_address = true;
        break;
    }
    }
}

// --- the address -------------------------------------------------------------
//
// The address names the screen shown (web/route.h), so that Back and
// Forward move between screens, a reload stays and a screen can be linked
// to. Each move to another screen is a new history entry. When the address
// changes under the app (a load, Back, Forward, a route typed in), the next
// screen to settle opens the route it names and the entry is corrected to
// what it shows: a step not reached yet opens the furthest one reached, a
// route the session cannot open its own first screen. Until a screen with
// routes settles (signing in, a link opening, the wizard finding the
// client's step) the address is left alone: it is the route wanted through
// them.

// The route of the screen shown; nullopt while none with routes has settled.
static std::optional<Route> shown_route(const App& app) {
    if (app.screen == Screen::Console) return console_route(app.console);
    if (app.screen != Screen::Wizard || !wizard_resumed(app.wizard)) return std::nullopt;
    Route route;
    route.place = RoutePlace::wizard;
    route.step = app.wizard.step;
    return route;
}

static void keep_address(App& app) {
    std::optional<Route> shown = shown_route(app);
    if (!shown) return;
    // A step with nothing to do handed on to the next: no entry for it.
    bool replace = app.wizard.handed_on;
    app.wizard.handed_on = false;
    if (app.follow_address) {
        app.follow_address = false;
        app.address = platform_location_hash();
        const Route wanted = parse_route(app.address);
        if (app.screen == Screen::Console) console_go(app.console, app.session, wanted);
        else if (wanted.place == RoutePlace::wizard && wanted.step) wizard_go(app.wizard, app.session, *wanted.step);
        shown = shown_route(app);
        replace = true;
    }
    const std::string hash = format_route(*shown);
    if (hash == app.address) return;
    if (replace) platform_replace_hash(hash);
    else platform_push_hash(hash);
    app.address = hash;
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

    const char* label = app.theme == ThemeMode::Dark ? tr("Light theme") : tr("Dark theme");
    const float w = ImGui::CalcTextSize(label).x + 2.0f * ImGui::GetStyle().FramePadding.x;
    ImGui::SetCursorPos(ImVec2(vp->WorkSize.x - w - ui.em, ui.em));
    if (ui_link_button(ui, "theme", label)) {
        app.theme = app.theme == ThemeMode::Dark ? ThemeMode::Light : ThemeMode::Dark;
        app.style_dirty = true;
    }
    // The language switch, left of the theme's, on every screen.
    ImGui::SameLine();
    ImGui::SetCursorPos(ImVec2(vp->WorkSize.x - w - language_switch_width() - 1.5f * ui.em, ui.em));
    language_switch(app.language, ui);

    ImGui::PushFont(ui.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
    // The agency's page: the vendor's name only here, small.
    const bool branded = std::string(brand_name(app.brand)) != onramp::branding::kVendorName;
    const std::string footer = branded ? trf("Powered by Onramp {version}", {{"version", onramp::kVersion}})
                                       : std::string("Onramp ") + onramp::kVersion;
    const ImVec2 size = ImGui::CalcTextSize(footer.c_str());
    ImGui::SetCursorPos(ImVec2(0.5f * (vp->WorkSize.x - size.x), vp->WorkSize.y - size.y - ui.em));
    ImGui::TextUnformatted(footer.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::End();
}

// The brand follows the screen: the client's organization's while its
// onboarding runs, the deployment's everywhere else.
static void follow_brand(App& app) {
    const bool onboarding = app.screen == Screen::Wizard && !app.session.org_id.empty();
    const std::string scope = onboarding ? "org:" + app.session.org_id : "deployment";
    if (scope != app.brand_scope) {
        app.brand_scope = scope;
        if (onboarding) brand_fetch_onboarding(app.brand, app.session);
        else brand_fetch_deployment(app.brand);
    }
    if (brand_poll(app.brand)) app.style_dirty = true;
    // A client onboarding opens in its organization's language, unless it chose one.
    language_set_org_default(app.language, onboarding ? app.brand.shown.language : "");
}

// An agency's app that embeds the page hears where its client is.
static void tell_embedding_page(App& app, Action action) {
    if (app.screen != Screen::Wizard || app.wizard.resume_stage < 2) return;
    if (action == Action::SignOut) {
        brand_tell_closed(app.brand);
        return;
    }
    const auto step = app.wizard.step;
    brand_tell_step(app.brand, onramp::onboarding::wizard_step_name(step),
                    step == onramp::onboarding::WizardStep::done, app.session.org_id);
}

void app_frame(App& app) {
    ++app.frames;
    if (app.style_dirty) apply_style(app);
    app.widgets.items.clear();
    app.widgets.active.clear();
    app.widgets.nav.clear();
    app.widgets.forms.clear();
    app.ui.log = &app.widgets;

    // A reset link (#/reset/<token>) opens the sign-in card's reset step.
    if (app.frames == 1 && !sign_in_open_link(app.sign_in, platform_location_hash())) open_link(app);
    follow_new_link(app);
    poll_replies(app);
    poll_link(app);
    check_link(app);
    keep_session_fresh(app);
    follow_brand(app);
    language_poll(app.language);
    draw_page(app);

    Action action = Action::None;
    switch (app.screen) {
    case Screen::SignIn: action = draw_sign_in(app.sign_in, app.ui); break;
    case Screen::Home: action = draw_home(app.session, app.ui); break;
    case Screen::Console: action = console_frame(app.console, app.session, app.ui); break;
    case Screen::Wizard:
        if (wizard_frame(app.wizard, app.session, app.ui)) action = Action::SignOut;
        break;
    case Screen::Link: perform_link(app, draw_link(app.link.form, app.ui)); break;
    case Screen::Invitation:
        if (invitation_frame(app.invitation, app.ui)) {
            start_session(app, app.invitation.session);
            app.screen = app.session.org_id.empty() ? Screen::Home : Screen::Wizard;
            if (app.screen == Screen::Wizard) wizard_open(app.wizard, app.session);
        }
        break;
    }
    tell_embedding_page(app, action);
    perform(app, action);
    keep_address(app);
    brand_end_frame(app.brand);
    gestures_end_frame(app.widgets, app.ui.dpr);
    a11y_end_frame(app.widgets, app.ui.dpr);
}
