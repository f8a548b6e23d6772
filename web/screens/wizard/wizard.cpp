#include "screens/wizard/wizard.h"

#include <emscripten.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api.h"
#include "brand.h"
#include "i18n/i18n.h"
#include "imgui.h"
#include "screens/wizard/replies.h"
#include "screens/wizard/widgets.h"
#include "shared/validation/validate.h"
#include "ui.h"

namespace ob = onramp::onboarding;
using ob::WizardStep;

namespace {

constexpr double kSyncPollSeconds = 0.5;
constexpr double kDocumentPollSeconds = 0.75;
constexpr int kNumberedSteps = 8;  // done is not numbered

// Every request of the wizard: same origin, the session's token, and the
// organization named, which operators must do.
Reply send(const Session& s, const char* method, const std::string& url, std::string body = {}) {
    HttpRequest req;
    req.method = method;
    req.url = url;
    req.body = std::move(body);
    req.bearer = s.access_token;
    req.org_id = s.org_id;
    return platform_fetch(req);
}

std::string connections_url(const Session& s) { return "/api/v1/orgs/" + s.org_id + "/connections"; }

std::string webhooks_url(const Session& s, const WebhooksView& v) {
    return connections_url(s) + "/" + v.connection.id + "/webhooks";
}

std::string page_origin() { return emscripten_run_script_string("window.location.origin"); }

// --- entering a step: what it loads ----------------------------------------

void enter(Wizard& w, const Session& s, WizardStep step) {
    w.step = step;
    w.furthest = std::max(w.furthest, step);
    switch (step) {
    case WizardStep::platforms:
        w.platforms.list = send(s, "GET", connections_url(s));
        if (!w.platforms.demo) w.platforms.demo = send(s, "GET", "/api/v1/demo/credentials");
        break;
    case WizardStep::sync:
        if (w.sync.connection.id.empty() && !w.platforms.connected.empty())
            w.sync.connection = w.platforms.connected.back();
        w.sync.next_poll = 0;
        w.sync.streamed = false;
        break;
    case WizardStep::webhooks: {
        WebhooksView& v = w.webhooks;
        v.connection = w.sync.connection;
        v.url = page_origin() + "/webhooks/" + v.connection.platform + "/" + v.connection.id;
        v.fetch = send(s, "GET", webhooks_url(s, v));
        w.webhooks_seen = true;
        break;
    }
    case WizardStep::documents:
        w.documents.bearer = s.access_token;
        w.documents.org_id = s.org_id;
        w.documents.list = send(s, "GET", "/api/v1/onboarding/documents");
        break;
    case WizardStep::team: w.team.list = send(s, "GET", "/api/v1/onboarding/invited-users"); break;
    case WizardStep::verify:
        w.verify.error.clear();
        w.verify.run = send(s, "POST", "/api/v1/onboarding/verify", "{}");
        break;
    default: break;
    }
}

WizardStep offset(WizardStep step, int by) {
    const int i = std::clamp(static_cast<int>(step) + by, 0, ob::kWizardStepCount - 1);
    return static_cast<WizardStep>(i);
}

// --- resuming ----------------------------------------------------------------

void resume(Wizard& w, const Session& s) {
    if (w.resume_stage == 0 && arrived(w.status) && arrived(w.connections)) {
        const HttpReply& st = *w.status;
        if (st.status == 0 || st.status >= 500) {
            w.error = reply_message(st);
            w.resume_stage = 2;
            return;
        }
        read_status(st, &w.progress, &w.company);  // no status endpoint yet: a fresh start
        w.platforms.connected = read_connections(*w.connections);
        if (w.platforms.connected.empty()) {
            w.resume_stage = 2;
        } else {
            w.sync.connection = w.platforms.connected.back();
            w.resume_sync = send(s, "GET", connections_url(s) + "/" + w.sync.connection.id + "/sync");
            w.resume_stage = 1;
            return;
        }
    } else if (w.resume_stage == 1 && arrived(w.resume_sync)) {
        read_sync(*w.resume_sync, &w.sync);
        w.resume_stage = 2;
    } else {
        return;
    }
    ob::ResumeFacts facts;
    facts.has_connection = !w.platforms.connected.empty();
    facts.sync_finished = sync_finished(w.sync);
    // Any later phase done means the client went past the webhook screen.
    facts.webhooks_acknowledged = w.webhooks_seen || w.progress.documents ||
                                  w.progress.goals_preferences || w.progress.team_invites;
    enter(w, s, ob::wizard_step(w.progress, facts));
}

// --- replies -----------------------------------------------------------------

void poll_platforms(Wizard& w, const Session& s) {
    PlatformsForm& f = w.platforms;
    if (arrived(f.list)) {
        f.connected = read_connections(*f.list);
        f.list.reset();
    }
    if (arrived(f.demo) && f.demo_credentials.empty()) {
        f.demo_credentials = read_demo_credentials(*f.demo);
        f.demo_mode = !f.demo_credentials.empty();
    }
    if (arrived(f.test)) {
        std::map<std::string, std::string> errors;
        f.result = read_test(*f.test, &errors);
        f.has_result = true;
        f.test.reset();
    }
    if (arrived(f.oauth)) {
        const std::string url = read_oauth_start(*f.oauth);
        if (url.empty()) {
            f.error = reply_message(*f.oauth);
            gesture_close_popup();
        } else {
            gesture_navigate_popup(url);
        }
        f.oauth.reset();
    }
    if (const std::string message = gesture_take_oauth_message(); !message.empty()) {
        ConnectionRow row;
        std::string error;
        if (read_oauth_result(message, &row, &error, &f.choice)) {
            f.choice = OAuthChoice{};
            if (row.platform.empty() && f.chosen) row.platform = std::string(f.chosen->id);
            f.connected.push_back(row);
            w.sync = SyncView{};
            w.sync.connection = row;
            f.chosen = nullptr;
            enter(w, s, WizardStep::sync);
        } else {
            f.has_result = true;
            f.result = TestResult{};
            f.result.message = error;
        }
    }
    if (arrived(f.save)) {
        const HttpReply r = *f.save;
        f.save.reset();
        if (r.status == 201) {
            ConnectionRow row = read_connection(r);
            f.connected.push_back(row);
            w.sync = SyncView{};
            w.sync.connection = row;
            f.chosen = nullptr;
            f.has_result = false;
            enter(w, s, WizardStep::sync);
        } else {
            std::map<std::string, std::string> errors;
            f.result = read_test(r, &errors);
            f.has_result = true;
            for (const auto& [name, message] : errors) f.touched.insert(name);
        }
    }
}

// Live through server-sent events; by polling GET .../sync when the stream
// cannot be opened.
void poll_sync(Wizard& w, const Session& s) {
    SyncView& v = w.sync;
    if (v.stream && v.stream->received != v.seen) {
        v.seen = v.stream->received;
        read_sync(HttpReply{true, 200, v.stream->latest}, &v);
    }
    if (v.stream && (v.stream->failed || v.stream->done)) v.stream.reset();
    if (arrived(v.poll)) {
        read_sync(*v.poll, &v);
        v.poll.reset();
        v.next_poll = ImGui::GetTime() + kSyncPollSeconds;
    }
    if (w.step != WizardStep::sync || sync_finished(v) || v.connection.id.empty()) {
        if (v.stream) platform_close_events(*v.stream);
        v.stream.reset();
        return;
    }
    const std::string url = connections_url(s) + "/" + v.connection.id + "/sync";
    if (!v.streamed) {
        v.streamed = true;
        v.stream = platform_open_events(url + "/events?access_token=" + s.access_token);
    }
    if (v.stream || v.poll || ImGui::GetTime() < v.next_poll) return;
    v.poll = send(s, "GET", url);
}

void upsert(std::vector<DocumentRow>& docs, const DocumentRow& d) {
    for (DocumentRow& row : docs)
        if (row.id == d.id) {
            row.status = d.status;
            row.error = d.error;
            if (!d.filename.empty()) row.filename = d.filename;
            return;
        }
    docs.push_back(d);
}

void poll_documents(Wizard& w, const Session& s) {
    DocumentsForm& f = w.documents;
    if (arrived(f.list)) {
        for (const DocumentRow& d : read_documents(*f.list)) upsert(f.documents, d);
        f.list.reset();
    }
    std::shared_ptr<Upload> u = gesture_upload("choose_file");
    if (u && u != f.upload && u != f.handled) f.upload = u;
    if (f.upload && f.upload->done && f.upload != f.handled) {
        f.handled = f.upload;
        const HttpReply r{true, f.upload->status, f.upload->body};
        if (reply_ok(r)) {
            f.error.clear();
            DocumentRow d = read_document(r);
            if (d.filename.empty()) d.filename = f.upload->filename;
            upsert(f.documents, d);
        } else {
            f.error = f.upload->filename + ": " + reply_message(r);
        }
    }
    if (arrived(f.status)) {
        if (reply_ok(*f.status)) upsert(f.documents, read_document(*f.status));
        f.status.reset();
        f.next_poll = ImGui::GetTime() + kDocumentPollSeconds;
    }
    if (w.step != WizardStep::documents || f.status || ImGui::GetTime() < f.next_poll) return;
    for (const DocumentRow& d : f.documents)
        if (d.status != "done" && d.status != "failed" && !d.id.empty()) {
            f.status = send(s, "GET", "/api/v1/onboarding/documents/status/" + d.id);
            return;
        }
}

void poll_steps(Wizard& w, const Session& s) {
    if (arrived(w.company.save)) {
        const HttpReply& r = *w.company.save;
        if (reply_ok(r)) {
            w.company.error.clear();
            w.progress.company_basics = true;
            enter(w, s, WizardStep::platforms);
        } else {
            w.company.error = reply_message(r);
        }
        w.company.save.reset();
    }
    WebhooksView& hooks = w.webhooks;
    if (arrived(hooks.fetch)) {
        if (hooks.fetch->status != 404) read_webhook(*hooks.fetch, &hooks);
        hooks.fetch.reset();
        // Where Onramp registers the hooks at the platform itself (or the
        // agency finishes it), the client has nothing to do: no step.
        if (w.step == WizardStep::webhooks && hooks.can_register) {
            enter(w, s, WizardStep::documents);
            w.handed_on = true;
            return;
        }
    }
    if (arrived(hooks.make_secret)) {
        // A pasted secret is the platform's, which the client has: read back
        // masked, never shown again (the answer holds it in full).
        if (reply_ok(*hooks.make_secret) && !hooks.can_generate_secret) {
            hooks.pasted.clear();
            hooks.secret_error.clear();
            hooks.fetch = send(s, "GET", webhooks_url(s, hooks));
        } else {
            read_webhook(*hooks.make_secret, &hooks);
            hooks.secret_shown_once = reply_ok(*hooks.make_secret);
        }
        hooks.make_secret.reset();
    }
    if (arrived(hooks.registration)) {
        if (reply_ok(*hooks.registration)) hooks.fetch = send(s, "GET", webhooks_url(s, hooks));
        else hooks.error = reply_message(*hooks.registration);
        hooks.registration.reset();
    }
    if (arrived(w.goals.save)) {
        const HttpReply& r = *w.goals.save;
        if (reply_ok(r)) {
            w.goals.error.clear();
            w.progress.goals_preferences = true;
            enter(w, s, WizardStep::team);
        } else {
            w.goals.error = reply_message(r);
        }
        w.goals.save.reset();
    }
    if (arrived(w.team.invite)) {
        const HttpReply& r = *w.team.invite;
        if (reply_ok(r)) {
            w.team.notice = trf("Invitation ready for {email}.", {{"email", w.team.email}});
            w.team.link = read_invite_link(r);
            w.team.copied_link = false;
            w.team.email.clear();
            w.team.territory.clear();
            w.team.list = send(s, "GET", "/api/v1/onboarding/invited-users");
        } else {
            w.team.error = reply_message(r);
        }
        w.team.invite.reset();
    }
    if (arrived(w.team.list)) {
        w.team.invited = read_invitees(*w.team.list);
        w.team.list.reset();
    }
    if (arrived(w.verify.run)) {
        read_verify(*w.verify.run, &w.verify);
        w.verify.run.reset();
    }
}

// --- intents -----------------------------------------------------------------

void test_or_save(Wizard& w, const Session& s, bool save) {
    PlatformsForm& f = w.platforms;
    const onramp::validation::Validation v =
        onramp::validation::validate_credentials(*f.chosen, platform_values(f));
    f.has_result = false;
    if (!v.ok()) {
        for (const auto& [name, message] : v.errors) f.touched.insert(name);
        f.error = tr("Check the fields marked above.");
        return;
    }
    f.error.clear();
    if (save) f.save = send(s, "POST", connections_url(s), connection_body(f));
    else f.test = send(s, "POST", "/api/v1/connectors/" + std::string(f.chosen->id) + "/test", test_body(f));
}

// Returns true on sign-out.
bool perform(Wizard& w, const Session& s, Intent intent) {
    switch (intent) {
    case Intent::none: break;
    case Intent::back:
        // Back from the sync or webhooks goes to the platform list, not
        // into a sync that already ran.
        enter(w, s, w.step == WizardStep::documents ? WizardStep::platforms : offset(w.step, -1));
        break;
    case Intent::next: enter(w, s, offset(w.step, 1)); break;
    case Intent::submit:
        switch (w.step) {
        case WizardStep::company:
            if (check_company(w.company))
                w.company.save = send(s, "POST", "/api/v1/onboarding/company-basics",
                                      company_body(w.company, s.email));
            break;
        case WizardStep::platforms: test_or_save(w, s, true); break;
        case WizardStep::goals:
            if (check_goals(w.goals))
                w.goals.save = send(s, "POST", "/api/v1/onboarding/goals", goals_body(w.goals));
            break;
        case WizardStep::verify:
            if (w.verify.completed) {
                w.progress.completed = true;
                enter(w, s, WizardStep::done);
            } else {
                enter(w, s, WizardStep::verify);
            }
            break;
        default: break;
        }
        break;
    case Intent::choose_platform: {
        PlatformsForm& f = w.platforms;
        f.values.clear();
        f.revealed.clear();
        f.touched.clear();
        f.name.clear();
        f.has_result = false;
        f.error.clear();
        break;
    }
    case Intent::leave_platform:
        w.platforms.chosen = nullptr;
        w.platforms.choice = OAuthChoice{};
        break;
    case Intent::use_demo: {
        PlatformsForm& f = w.platforms;
        f.values = f.demo_credentials[std::string(f.chosen->id)];
        f.touched.clear();
        f.has_result = false;
        break;
    }
    case Intent::test: test_or_save(w, s, false); break;
    case Intent::oauth: {
        PlatformsForm& f = w.platforms;
        f.error.clear();
        f.has_result = false;
        f.oauth = send(s, "POST", "/api/v1/orgs/" + s.org_id + "/oauth/" + std::string(f.chosen->id) + "/start",
                       oauth_start_body(f));
        break;
    }
    case Intent::invite:
        w.team.error.clear();
        w.team.notice.clear();
        w.team.link.clear();
        if (w.team.email.find('@') == std::string::npos) {
            w.team.error = tr("Enter the email address to send the invitation to.");
            break;
        }
        w.team.invite = send(s, "POST", "/api/v1/onboarding/invite-user", invite_body(w.team));
        break;
    case Intent::make_secret:
        w.webhooks.error.clear();
        w.webhooks.secret_error.clear();
        w.webhooks.make_secret = send(s, "PUT", webhooks_url(s, w.webhooks) + "/secret", secret_body(w.webhooks));
        break;
    case Intent::register_hooks:
        w.webhooks.error.clear();
        w.webhooks.registration = send(s, "POST", webhooks_url(s, w.webhooks) + "/registration");
        break;
    case Intent::jump: {
        static const WizardStep kFix[4] = {WizardStep::company, WizardStep::platforms,
                                           WizardStep::documents, WizardStep::team};
        if (w.verify.jump_to >= 0 && w.verify.jump_to < 4) enter(w, s, kFix[w.verify.jump_to]);
        break;
    }
    case Intent::sign_out: return true;
    }
    return false;
}

// --- drawing -----------------------------------------------------------------

// "Step 3 of 8", the title, and a row of segments, one per step.
// The agency's brand above every step; on the first, its welcome note and
// the note it wrote on the client's link (docs/branding.md).
void draw_brand(const Wizard& w, const Ui& ui) {
    if (!ui.brand) return;
    ui_brand_header(ui, nullptr);
    if (w.step != WizardStep::company) return;
    for (const std::string* note : {&ui.brand->shown.welcome, &ui.brand->note}) {
        if (note->empty()) continue;
        ImGui::TextWrapped("%s", note->c_str());
        ui_record(ui, note == &ui.brand->note ? "brand.note" : "brand.welcome", "text", *note);
    }
    ui_vspace(ui, 0.5f);
}

void draw_header(const Wizard& w, const Ui& ui) {
    const int index = static_cast<int>(w.step);
    if (w.step != WizardStep::done) {
        ImGui::PushFont(ui.fonts.small);
        ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
        ImGui::TextUnformatted(
            trf("Step {number} of {count}", {{"number", std::to_string(index + 1)}, {"count", std::to_string(kNumberedSteps)}})
                .c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
    }
    ImGui::PushFont(ui.fonts.title);
    ImGui::TextUnformatted(tr_text(ob::wizard_step_title(w.step)));
    ImGui::PopFont();
    if (ui.log) {
        ui.log->items.push_back({"step.title", "text", ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
                                 tr_text(ob::wizard_step_title(w.step))});
        ui.log->items.back().role = Role::heading;
        ui.log->items.back().live = true;
    }
    const float width = ImGui::GetContentRegionAvail().x;
    const float gap = 0.25f * ui.em;
    const float seg = (width - gap * (kNumberedSteps - 1)) / kNumberedSteps;
    const float h = 0.25f * ui.em;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int i = 0; i < kNumberedSteps; ++i) {
        const ImVec2 a(p.x + i * (seg + gap), p.y);
        const ImVec4 col = i <= index ? ui.palette->accent : ui.palette->border;
        dl->AddRectFilled(a, ImVec2(a.x + seg, a.y + h), ImGui::ColorConvertFloat4ToU32(col), h);
    }
    ImGui::Dummy(ImVec2(width, h));
    ui_vspace(ui, 0.25f);
}

Intent draw_step(Wizard& w, const Ui& ui) {
    switch (w.step) {
    case WizardStep::company: return draw_company(w.company, ui);
    case WizardStep::platforms: return draw_platforms(w.platforms, ui);
    case WizardStep::sync: return draw_sync(w.sync, ui);
    case WizardStep::webhooks: return draw_webhooks(w.webhooks, ui);
    case WizardStep::documents: return draw_documents(w.documents, ui);
    case WizardStep::goals: return draw_goals(w.goals, ui);
    case WizardStep::team: return draw_team(w.team, ui);
    case WizardStep::verify: return draw_verify(w.verify, ui);
    case WizardStep::done: return draw_done(w.platforms.connected, ui);
    }
    return Intent::none;
}

}  // namespace

void wizard_open(Wizard& w, const Session& s) {
    w = Wizard{};
    w.company.admin_name = s.full_name;
    w.company.timezone = "America/New_York";
    w.platforms.offered = s.platforms;
    w.status = send(s, "GET", "/api/v1/onboarding/status");
    w.connections = send(s, "GET", connections_url(s));
}

bool wizard_resumed(const Wizard& w) { return w.resume_stage == 2 && w.error.empty(); }

void wizard_go(Wizard& w, const Session& s, WizardStep step) {
    step = std::min(step, w.furthest);
    if (step != w.step) enter(w, s, step);
}

bool wizard_frame(Wizard& w, const Session& s, const Ui& ui) {
    if (w.resume_stage < 2) resume(w, s);
    poll_platforms(w, s);
    poll_sync(w, s);
    poll_documents(w, s);
    poll_steps(w, s);

    ui_begin_card(ui, "##wizard", 34.0f);
    if (w.drawn_step != static_cast<int>(w.step)) ImGui::SetScrollY(0.0f);
    Intent intent = Intent::none;
    const std::string welcome = trf("Welcome to {name}.", {{"name", ui.brand ? brand_name(*ui.brand) : "Onramp"}});
    if (w.resume_stage < 2) {
        ui_brand_header(ui, welcome.c_str());
        wz_loading(ui, "resume.loading", tr("Finding where you left off\xE2\x80\xA6"));
    } else if (!w.error.empty()) {
        ui_brand_header(ui, welcome.c_str());
        ui_error_box(ui, "resume.error", w.error);
        if (ui_primary_button(ui, "retry", tr("Try again"), false, "")) wizard_open(w, s);
    } else {
        w.drawn_step = static_cast<int>(w.step);
        draw_brand(w, ui);
        draw_header(w, ui);
        intent = draw_step(w, ui);
        // Escape steps back, unless it is closing a field or a drop-down.
        const ImGuiIO& io = ImGui::GetIO();
        if (intent == Intent::none && !io.WantTextInput && !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopup) &&
            ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
            if (w.step == WizardStep::platforms && w.platforms.chosen) intent = Intent::leave_platform;
            else if (w.step != WizardStep::company && w.step != WizardStep::done) intent = Intent::back;
        }
    }
    // The last screen has its own Sign out: one is enough.
    if (w.step != WizardStep::done) {
        ImGui::PushFont(ui.fonts.small);
        ui_vspace(ui, 0.25f);
        const std::string sign_out = s.email.empty() ? tr("Sign out") : trf("Sign out {email}", {{"email", s.email}});
        if (ui_link_button(ui, "wizard.sign_out", sign_out.c_str())) intent = Intent::sign_out;
        ImGui::PopFont();
    }
    ui_end_card();
    return perform(w, s, intent);
}
