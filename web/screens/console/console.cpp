// The console's frame: the top bar and tabs, the current view, and the one
// place the console's requests start and their replies are taken in.
#include "screens/console/console.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "api.h"
#include "imgui.h"
#include "screens/console/views.h"
#include "screens/console/widgets.h"

// --- requests ----------------------------------------------------------------------

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
static std::string url_encode(const std::string& s) {
    std::string out;
    for (unsigned char ch : s) {
        if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out += char(ch);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", ch);
            out += buf;
        }
    }
    return out;
}

static HttpRequest get(const Session& session, const std::string& url, const std::string& org_id = "") {
    HttpRequest req;
    req.url = url;
    req.bearer = session.access_token;
    req.org_id = org_id;
    return req;
}

static std::string org_path(const std::string& org_id) { return "/api/v1/orgs/" + url_encode(org_id); }

static std::string connection_path(const ConnectionState& c) {
    return org_path(c.org.id) + "/connections/" + url_encode(c.connection.id);
}

static void load_clients(ConsoleState& s, const Session& session) {
    remote_start(s.clients.orgs, get(session, "/api/v1/orgs"));
}

static void load_summary(ClientSummary& summary, const Session& session, const std::string& org_id) {
    remote_start(summary.onboarding, get(session, "/api/v1/onboarding/status", org_id));
    remote_start(summary.connections, get(session, org_path(org_id) + "/connections"));
}

static void load_runs(ConnectionState& c, const Session& session) {
    remote_start(c.runs, get(session, connection_path(c) + "/sync?per_page=50"));
    c.runs_asked_at = ImGui::GetTime();
}

static void load_products(ConnectionState& c, const Session& session) {
    c.searched = c.search;
    std::string url = org_path(c.org.id) + "/products?per_page=100&connection_id=" + url_encode(c.connection.id) +
                      "&sort=" + url_encode(c.sort);
    if (!c.searched.empty()) url += "&q=" + url_encode(c.searched);
    remote_start(c.products, get(session, url));
}

static void load_deliveries(ConnectionState& c, const Session& session) {
    remote_start(c.deliveries, get(session, connection_path(c) + "/webhooks?limit=100"));
}

static void load_tab(ConnectionState& c, const Session& session) {
    switch (c.tab) {
    case ConnectionTab::sync: load_runs(c, session); break;
    case ConnectionTab::products: load_products(c, session); break;
    case ConnectionTab::webhooks: load_deliveries(c, session); break;
    }
}

static void load_audit(AuditState& a, const Session& session, const std::string& cursor) {
    if (cursor.empty()) a.rows.clear();
    std::string url = "/api/v1/audit?limit=50";
    if (!cursor.empty()) url += "&cursor=" + url_encode(cursor);
    remote_start(a.page, get(session, url));
}

static void load_view(ConsoleState& s, const Session& session) {
    switch (s.tab) {
    case ConsoleTab::clients:
        if (s.view == ClientsView::list) load_clients(s, session);
        else if (s.view == ClientsView::client) load_summary(s.clients.summaries[s.org.id], session, s.org.id);
        else load_tab(s.connection, session);
        break;
    case ConsoleTab::audit: load_audit(s.audit, session, ""); break;
    case ConsoleTab::vault: remote_start(s.vault, get(session, "/api/v1/operator/vault")); break;
    }
}

// --- replies -------------------------------------------------------------------------

static onramp::Result<bool> parse_replay(const HttpReply& reply) {
    if (reply.status < 200 || reply.status > 299) return reply_problem(reply);
    return true;
}

static void poll(ConsoleState& s, const Session& session) {
    if (remote_poll(s.clients.orgs, parse_orgs)) {
        // Each client's step and health load next to the list, row by row.
        for (const OrgRow& org : s.clients.orgs.value) load_summary(s.clients.summaries[org.id], session, org.id);
    }
    for (auto& [id, summary] : s.clients.summaries) {
        remote_poll(summary.onboarding, parse_onboarding);
        remote_poll(summary.connections, parse_connections);
    }
    ConnectionState& c = s.connection;
    remote_poll(c.runs, parse_sync_runs);
    remote_poll(c.products, parse_products);
    remote_poll(c.deliveries, parse_deliveries);
    if (c.replay.pending && c.replay.pending->done) {
        const bool ok = remote_poll(c.replay, parse_replay) && c.replay.error.empty();
        c.replay_message = ok ? "Replayed: the delivery is queued for processing again."
                              : "The replay failed: " + c.replay.error;
        c.replay.error.clear();
        load_deliveries(c, session);
    }
    if (remote_poll(s.audit.page, parse_audit))
        s.audit.rows.insert(s.audit.rows.end(), s.audit.page.value.rows.begin(), s.audit.page.value.rows.end());
    remote_poll(s.vault, parse_vault);
}

// While a run is going, its history is asked for again every two seconds.
static void refresh_running_sync(ConsoleState& s, const Session& session) {
    ConnectionState& c = s.connection;
    if (s.tab != ConsoleTab::clients || s.view != ClientsView::connection || c.tab != ConnectionTab::sync) return;
    if (c.runs.loading() || ImGui::GetTime() - c.runs_asked_at < 2.0) return;
    const bool active = std::any_of(c.runs.value.begin(), c.runs.value.end(), [](const SyncRunRow& r) {
        return r.state == "queued" || r.state == "running";
    });
    if (active) load_runs(c, session);
}

// A search is sent once typing pauses, so each keystroke is not a request.
static void send_paused_search(ConnectionState& c, const Session& session) {
    if (c.search == c.searched || c.search_typed_at < 0) return;
    if (ImGui::GetTime() - c.search_typed_at < 0.35) return;
    load_products(c, session);
}

// --- intents -------------------------------------------------------------------------

static const ClientConnection* find_connection(const ConsoleState& s, const std::string& id) {
    auto it = s.clients.summaries.find(s.org.id);
    if (it == s.clients.summaries.end()) return nullptr;
    for (const ClientConnection& c : it->second.connections.value)
        if (c.id == id) return &c;
    return nullptr;
}

static void perform(ConsoleState& s, const Session& session, const ConsoleIntent& intent) {
    ConnectionState& c = s.connection;
    switch (intent.kind) {
    case ConsoleIntent::none: break;
    case ConsoleIntent::open_tab:
        s.tab = intent.arg == "audit" ? ConsoleTab::audit
                : intent.arg == "vault" ? ConsoleTab::vault
                                        : ConsoleTab::clients;
        load_view(s, session);
        break;
    case ConsoleIntent::open_client:
        for (const OrgRow& org : s.clients.orgs.value)
            if (org.id == intent.arg) s.org = org;
        s.view = ClientsView::client;
        load_view(s, session);
        break;
    case ConsoleIntent::open_connection: {
        const ClientConnection* row = find_connection(s, intent.arg);
        if (!row) break;
        c = ConnectionState{};
        c.org = s.org;
        c.connection = *row;
        s.view = ClientsView::connection;
        load_view(s, session);
        break;
    }
    case ConsoleIntent::back:
        s.view = s.view == ClientsView::connection ? ClientsView::client : ClientsView::list;
        load_view(s, session);
        break;
    case ConsoleIntent::reload: load_view(s, session); break;
    case ConsoleIntent::open_connection_tab:
        c.tab = intent.arg == "products" ? ConnectionTab::products
                : intent.arg == "webhooks" ? ConnectionTab::webhooks
                                           : ConnectionTab::sync;
        c.replay_message.clear();
        load_tab(c, session);
        break;
    case ConsoleIntent::search_products: load_products(c, session); break;
    case ConsoleIntent::sort_products:
        c.sort = intent.arg;
        load_products(c, session);
        break;
    case ConsoleIntent::replay_delivery: {
        HttpRequest req = get(session, connection_path(c) + "/webhooks/deliveries/" + url_encode(intent.arg) + "/replay");
        req.method = "POST";
        c.replay_message.clear();
        remote_start(c.replay, req);
        break;
    }
    case ConsoleIntent::more_audit: load_audit(s.audit, session, s.audit.page.value.next_cursor); break;
    }
}

// --- drawing ---------------------------------------------------------------------------

const char* console_view_name(const ConsoleState& s) {
    switch (s.tab) {
    case ConsoleTab::audit: return "audit";
    case ConsoleTab::vault: return "vault";
    case ConsoleTab::clients: break;
    }
    switch (s.view) {
    case ClientsView::list: return "clients";
    case ClientsView::client: return "client";
    case ClientsView::connection: return "connection";
    }
    return "clients";
}

static constexpr ImGuiWindowFlags kPlainWindow = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize;

// The bar above the panel: the product's name, who is signed in, and the
// way out. It leaves the top right corner to the page's theme switch.
static bool draw_top_bar(const Session& session, const Ui& ui) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float theme_room = 9.0f * ui.em;
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(ImVec2(std::max(vp->WorkSize.x - theme_room, ui.em), 3.75f * ui.em));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.em, ui.em));
    // Its content overflows by a few pixels at some sizes: a bar must not
    // scroll under a wheel or a finger.
    ImGui::Begin("##console_bar", nullptr,
                 kPlainWindow | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PushFont(ui.fonts.strong);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Onramp");
    ImGui::PopFont();
    // On a phone the bar has room for the name and the way out only.
    if (ImGui::GetContentRegionAvail().x > 20.0f * ui.em) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, ui.palette->text_muted);
        ImGui::TextUnformatted("Operator console");
        ImGui::PopStyleColor();
    }
    const char* label = "Sign out";
    const float w = ImGui::CalcTextSize(label).x + 2.0f * ImGui::GetStyle().FramePadding.x;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - w));
    const bool sign_out = ui_link_button(ui, "sign_out", label);
    if (!session.email.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", session.email.c_str());
    ImGui::End();
    return sign_out;
}

static ConsoleIntent draw_tabs(const ConsoleState& s, const Ui& ui) {
    ConsoleIntent intent;
    if (tab_button(ui, "console.tab.clients", "Clients", s.tab == ConsoleTab::clients))
        intent = {ConsoleIntent::open_tab, "clients"};
    ImGui::SameLine(0, 0.25f * ui.em);
    if (tab_button(ui, "console.tab.audit", "Audit log", s.tab == ConsoleTab::audit))
        intent = {ConsoleIntent::open_tab, "audit"};
    ImGui::SameLine(0, 0.25f * ui.em);
    if (tab_button(ui, "console.tab.vault", "Vault", s.tab == ConsoleTab::vault))
        intent = {ConsoleIntent::open_tab, "vault"};
    ImGui::Separator();
    ui_vspace(ui, 0.5f);
    return intent;
}

static ConsoleIntent draw_view(ConsoleState& s, const Ui& ui) {
    switch (s.tab) {
    case ConsoleTab::audit: return draw_audit(s.audit, ui);
    case ConsoleTab::vault: return draw_vault(s.vault, ui);
    case ConsoleTab::clients: break;
    }
    switch (s.view) {
    case ClientsView::list: return draw_clients(s.clients, ui);
    case ClientsView::client: return draw_client(s.org, s.clients.summaries[s.org.id], ui);
    case ClientsView::connection: return draw_connection(s.connection, ui);
    }
    return {};
}

static ImVec4 tint(const ImVec4& base, const ImVec4& ink, float t) {
    return ImVec4(base.x + (ink.x - base.x) * t, base.y + (ink.y - base.y) * t, base.z + (ink.z - base.z) * t, 1.0f);
}

// Tables in the theme's colours (the style has none for them), with room
// around each cell.
static void push_table_style(const Ui& ui) {
    const Palette& p = *ui.palette;
    ImGui::PushStyleColor(ImGuiCol_TableHeaderBg, tint(p.surface, p.text, 0.04f));
    ImGui::PushStyleColor(ImGuiCol_TableBorderStrong, p.border);
    ImGui::PushStyleColor(ImGuiCol_TableBorderLight, p.border);
    ImGui::PushStyleColor(ImGuiCol_TableRowBg, ImVec4(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_TableRowBgAlt, tint(p.surface, p.text, 0.02f));
    ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(0.5f * ui.em, 0.375f * ui.em));
}

static void pop_table_style() {
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(5);
}

Action console_frame(ConsoleState& s, const Session& session, const Ui& ui) {
    if (!s.started) {
        s.started = true;
        load_clients(s, session);
    }
    poll(s, session);
    refresh_running_sync(s, session);
    send_paused_search(s.connection, session);

    if (draw_top_bar(session, ui)) return Action::SignOut;

    // The panel: full width less a margin, between the top bar and the
    // page's footer; it scrolls when its content is taller.
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const bool phone = vp->WorkSize.x < 40.0f * ui.em;
    const float margin = phone ? 0.5f * ui.em : ui.em;
    const float top = 3.75f * ui.em, bottom = 2.75f * ui.em;
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + margin, vp->WorkPos.y + top));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x - 2.0f * margin, std::max(vp->WorkSize.y - top - bottom, 4.0f * ui.em)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, phone ? ImVec2(ui.em, ui.em) : ImVec2(2.0f * ui.em, 1.5f * ui.em));
    ImGui::Begin("##console", nullptr, kPlainWindow & ~ImGuiWindowFlags_NoScrollbar);
    ImGui::PopStyleVar();
    if (ui.log)
        ui.log->items.push_back({"console.view", "view", ImGui::GetWindowPos(),
                                 ImVec2(ImGui::GetWindowPos().x + ImGui::GetWindowSize().x,
                                        ImGui::GetWindowPos().y + ImGui::GetWindowSize().y),
                                 console_view_name(s)});
    push_table_style(ui);
    ConsoleIntent intent = draw_tabs(s, ui);
    ConsoleIntent inner = draw_view(s, ui);
    pop_table_style();
    ImGui::End();
    perform(s, session, inner.kind != ConsoleIntent::none ? inner : intent);
    return Action::None;
}
