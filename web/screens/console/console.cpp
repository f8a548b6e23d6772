// The console's frame: the top bar and tabs, the current view, and the one
// place the console's requests start and their replies are taken in.
#include "screens/console/console.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "api.h"
#include "i18n/i18n.h"
#include "i18n/language.h"
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

static HttpRequest send(const Session& session, const char* method, const std::string& url, std::string body = "",
                        const std::string& org_id = "") {
    HttpRequest req = get(session, url, org_id);
    req.method = method;
    req.body = std::move(body);
    return req;
}

// Starts an action; its outcome replaces the last one's sentence.
static void start_action(ActionState& a, const char* what, const HttpRequest& req) {
    a.what = what;
    a.message.clear();
    remote_start(a.request, req);
}

// The action's outcome once it arrives: `done` on success, the problem's
// words on a refusal. True on the frame it arrived.
static bool poll_action(ActionState& a, const std::string& done) {
    if (!remote_poll(a.request, parse_done)) return false;
    a.ok = a.request.error.empty();
    a.message = a.ok ? done : a.request.error;
    a.request.error.clear();
    return true;
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
    remote_start(summary.links, get(session, org_path(org_id) + "/onboarding-links"));
}

// The open client: its summary, and what only its own page shows.
static void load_client(ConsoleState& s, const Session& session) {
    load_summary(s.clients.summaries[s.org.id], session, s.org.id);
    s.client.bearer = session.access_token;
    remote_start(s.client.documents, get(session, "/api/v1/onboarding/documents", s.org.id));
    remote_start(s.client.invitations, get(session, "/api/v1/onboarding/invited-users", s.org.id));
}

static void load_runs(ConnectionState& c, const Session& session) {
    remote_start(c.runs, get(session, connection_path(c) + "/sync?per_page=50"));
    c.runs_asked_at = ImGui::GetTime();
}

// One page of products; a new search or sort starts again at page 1.
static constexpr int kProductsPerPage = 50;

static void load_products(ConnectionState& c, const Session& session) {
    if (c.searched != c.search) c.page = 1;
    c.searched = c.search;
    // Products have their own route (with variants); the other synced
    // records share one, named by resource.
    const bool products = c.resource == "products";
    std::string url = org_path(c.org.id) + (products ? "/products?" : "/records?resource=" + url_encode(c.resource) + "&") +
                      "per_page=" + std::to_string(kProductsPerPage) +
                      "&page=" + std::to_string(c.page) + "&connection_id=" + url_encode(c.connection.id) +
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

// A day typed as YYYY-MM-DD as the edge's ISO 8601 time at its start (UTC);
// anything else is sent as typed, for the edge to refuse in its words.
static std::string day_start(const std::string& day) { return day.size() == 10 ? day + "T00:00:00Z" : day; }

static void load_audit(AuditState& a, const Session& session, const std::string& cursor) {
    if (cursor.empty()) a.rows.clear();
    const AuditFilter& f = a.filter;
    std::string url = "/api/v1/audit?limit=50";
    if (!cursor.empty()) url += "&cursor=" + url_encode(cursor);
    if (!f.actor.empty()) url += "&actor=" + url_encode(f.actor);
    if (!f.action.empty()) url += "&action=" + url_encode(f.action);
    if (!f.org_id.empty()) url += "&org_id=" + url_encode(f.org_id);
    if (!f.since.empty()) url += "&since=" + url_encode(day_start(f.since));
    // "until" a day includes that day: the bound is the next day's start.
    if (!f.until.empty()) {
        const int64_t t = unix_time(day_start(f.until));
        std::string bound = day_start(f.until);
        if (t >= 0) {
            std::time_t next = std::time_t(t + 86400);
            std::tm tm{};
            gmtime_r(&next, &tm);
            char buf[32];
            std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
            bound = buf;
        }
        url += "&until=" + url_encode(bound);
    }
    remote_start(a.page, get(session, url));
}

static void load_keys(KeysState& k, const Session& session) {
    remote_start(k.list, get(session, "/api/v1/auth/api-keys"));
}

static void load_view(ConsoleState& s, const Session& session) {
    switch (s.tab) {
    case ConsoleTab::clients:
        if (s.view == ClientsView::list) load_clients(s, session);
        else if (s.view == ClientsView::client) load_client(s, session);
        else load_tab(s.connection, session);
        break;
    case ConsoleTab::audit:
        // The client filter names clients: the list loads once.
        if (!s.clients.orgs.loaded && !s.clients.orgs.loading()) load_clients(s, session);
        load_audit(s.audit, session, "");
        break;
    case ConsoleTab::keys: load_keys(s.keys, session); break;
    case ConsoleTab::vault: remote_start(s.vault, get(session, "/api/v1/operator/vault")); break;
    }
}

// --- replies -------------------------------------------------------------------------

// The link's life in hours as typed in days; -1 (the edge's default) when
// empty. What is not a whole number of days goes as 0, for the edge to refuse
// in its words.
static int expiry_hours(const NewClientForm& f) {
    if (f.expiry_days.empty()) return -1;
    if (f.expiry_days.size() > 4 || f.expiry_days.find_first_not_of("0123456789") != std::string::npos) return 0;
    return std::atoi(f.expiry_days.c_str()) * 24;
}

// The new client's two requests: the organization, then its link. A server
// without e-mail refuses send_to (409 mail_disabled) before making
// anything: the link is asked for again without it, and the form says so.
// A link that asks for a code cannot do without the e-mail: its refusal
// stands, in the problem's words.
static void poll_new_client(ConsoleState& s, const Session& session) {
    NewClientForm& f = s.clients.form;
    if (remote_poll(f.org, parse_org)) {
        if (!f.org.error.empty()) {
            f.error = f.org.error;
            f.org.loaded = false;
            return;
        }
        remote_start(f.link, send(session, "POST", org_path(f.org.value.id) + "/onboarding-links", f.link_body));
        load_clients(s, session);
    }
    if (f.link.pending && f.link.pending->done && f.link.pending->status == 409 && !f.require_code &&
        f.link.pending->body.find("mail_disabled") != std::string::npos) {
        f.mail_note = tr("Not e-mailed: this server sends no e-mail (serve --smtp-url). Copy the link and send it yourself.");
        f.link_body = link_request_body(f.platforms, f.note, expiry_hours(f), "");
        remote_start(f.link, send(session, "POST", org_path(f.org.value.id) + "/onboarding-links", f.link_body));
        return;
    }
    if (remote_poll(f.link, parse_new_link)) {
        if (!f.link.error.empty()) {
            f.error = trf("The client was created, but its link was not: {error}", {{"error", f.link.error}});
        } else if (!f.link.value.emailed_to.empty()) {
            f.mail_note = trf("E-mailed to {email}.", {{"email", f.link.value.emailed_to}});
        }
    }
    remote_poll(f.catalog, parse_platforms);
}

static void poll_connection_action(ConsoleState& s, const Session& session) {
    ConnectionState& c = s.connection;
    if (!c.action.request.pending || !c.action.request.pending->done) return;
    const std::string method = c.action.what;
    const std::string done = method == "sync" ? tr("Sync started: its run appears in the history.")
                             : method == "test" ? tr("Tested: the platform accepted the stored credentials.")
                             : method == "credentials" ? tr("Replaced: the new credentials passed the platform's test.")
                             : method == "disconnect" ? tr("Disconnected: the credentials are deleted.")
                             : method == "secret" ? tr("Saved: deliveries are verified with the new secret.")
                             : method == "register" ? tr("Registered: the platform sends its changes to Onramp.")
                                                    : tr("Done.");
    poll_action(c.action, done);
    if (!c.action.ok) return;
    if (method == "disconnect") {
        c.disconnected = true;
        return;
    }
    if (method == "credentials") {
        c.replacing = false;
        c.credentials.clear();
    }
    if (method == "secret") c.webhook_secret.clear();
    // The health shown above the tabs comes with the connections list.
    remote_start(s.clients.summaries[s.org.id].connections, get(session, org_path(s.org.id) + "/connections"));
    load_tab(c, session);
}

static void poll(ConsoleState& s, const Session& session) {
    if (remote_poll(s.clients.orgs, parse_orgs)) {
        // Each client's step and health load next to the list, row by row.
        for (const OrgRow& org : s.clients.orgs.value) load_summary(s.clients.summaries[org.id], session, org.id);
        // A client opened by its address (console_go) before the list named it.
        for (const OrgRow& org : s.clients.orgs.value) {
            if (org.id == s.org.id) s.org = org;
            if (org.id == s.connection.org.id) s.connection.org = org;
        }
    }
    for (auto& [id, summary] : s.clients.summaries) {
        remote_poll(summary.onboarding, parse_onboarding);
        if (remote_poll(summary.connections, parse_connections) && id == s.connection.org.id) {
            // The open connection's health, as just reloaded.
            for (const ClientConnection& row : summary.connections.value)
                if (row.id == s.connection.connection.id) s.connection.connection = row;
        }
        remote_poll(summary.links, parse_links);
    }
    poll_new_client(s, session);
    ClientDetail& d = s.client;
    remote_poll(d.documents, parse_documents);
    remote_poll(d.invitations, parse_invitations);
    if (poll_action(d.action, tr("Revoked: the link no longer opens, and a session it opened has ended.")))
        load_client(s, session);
    if (remote_poll(d.new_link, parse_new_link)) load_client(s, session);
    ConnectionState& c = s.connection;
    poll_connection_action(s, session);
    remote_poll(c.runs, parse_sync_runs);
    remote_poll(c.products, parse_products);
    remote_poll(c.deliveries, parse_deliveries);
    if (c.replay.pending && c.replay.pending->done) {
        const bool ok = remote_poll(c.replay, parse_done) && c.replay.error.empty();
        c.replay_message = ok ? tr("Replayed: the delivery is queued for processing again.")
                              : trf("The replay failed: {error}", {{"error", c.replay.error}});
        c.replay.error.clear();
        load_deliveries(c, session);
    }
    if (remote_poll(s.audit.page, parse_audit))
        s.audit.rows.insert(s.audit.rows.end(), s.audit.page.value.rows.begin(), s.audit.page.value.rows.end());
    remote_poll(s.vault, parse_vault);
    remote_poll(s.keys.list, parse_api_keys);
    if (remote_poll(s.keys.created, parse_new_api_key)) {
        s.keys.copied = false;
        if (s.keys.created.error.empty()) s.keys.name.clear();
        load_keys(s.keys, session);
    }
    if (poll_action(s.keys.action, tr("Revoked: requests with that key are refused from now on.")))
        load_keys(s.keys, session);
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
        // The Clients tab, clicked while on it, goes back to the list.
        if (intent.arg == "clients" && s.tab == ConsoleTab::clients) {
            s.view = ClientsView::list;
            s.clients.form.open = false;
        }
        s.tab = intent.arg == "audit" ? ConsoleTab::audit
                : intent.arg == "keys"  ? ConsoleTab::keys
                : intent.arg == "vault" ? ConsoleTab::vault
                                        : ConsoleTab::clients;
        // A key's secret is shown until its view is left, then never again.
        s.keys.created = {};
        load_view(s, session);
        break;
    case ConsoleIntent::open_client:
        for (const OrgRow& org : s.clients.orgs.value)
            if (org.id == intent.arg) s.org = org;
        s.client = ClientDetail{};
        s.clients.form.open = false;
        s.view = ClientsView::client;
        load_view(s, session);
        break;
    case ConsoleIntent::open_connection: {
        const ClientConnection* row = find_connection(s, intent.arg);
        if (!row) break;
        c = ConnectionState{};
        c.org = s.org;
        c.connection = *row;
        c.resource = record_resources(row->platform).front();
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
    case ConsoleIntent::filter_audit: load_audit(s.audit, session, ""); break;
    case ConsoleIntent::new_client: {
        // What was typed outlives leaving the form (Back, "All clients", a
        // tab) for the session, so coming back finds it; only a form whose
        // client was made, or is being made, starts afresh.
        NewClientForm& f = s.clients.form;
        if (f.org.loaded || f.org.loading()) f = NewClientForm{};
        f.open = true;
        f.error.clear();
        if (!f.catalog.loaded && !f.catalog.loading()) remote_start(f.catalog, get(session, "/api/v1/connectors"));
        break;
    }
    case ConsoleIntent::close_new_client: s.clients.form.open = false; break;
    case ConsoleIntent::create_client: {
        NewClientForm& f = s.clients.form;
        f.error.clear();
        // Checked here too: a refused link would leave an organization without one.
        const int hours = expiry_hours(f);
        if (hours == 0 || hours > 30 * 24) {
            f.error = tr("Link expires after: a whole number of days from 1 to 30.");
            break;
        }
        f.mail_note.clear();
        f.copied = false;
        f.link = {};
        f.link_body = link_request_body(f.platforms, f.note, expiry_hours(f), f.email, f.require_code);
        remote_start(f.org, send(session, "POST", "/api/v1/orgs", name_body(f.name)));
        break;
    }
    case ConsoleIntent::revoke_link:
        start_action(s.client.action, "revoke",
                     send(session, "DELETE", org_path(s.org.id) + "/onboarding-links/" + url_encode(intent.arg)));
        break;
    case ConsoleIntent::new_link: {
        // The new link asks for what the last one asked for; it is e-mailed
        // (with a code, if ticked) to the address typed beside the button.
        const auto& links = s.clients.summaries[s.org.id].links.value;
        std::vector<std::string> platforms = links.empty() ? std::vector<std::string>{} : links.front().platforms;
        ClientDetail& d = s.client;
        d.copied = false;
        d.action.message.clear();
        remote_start(d.new_link, send(session, "POST", org_path(s.org.id) + "/onboarding-links",
                                      link_request_body(platforms, "", -1, d.link_email, d.link_require_code)));
        break;
    }
    case ConsoleIntent::products_resource:
        c.resource = intent.arg;
        c.page = 1;
        if (c.resource != "products" && c.sort.find("price") != std::string::npos) c.sort = "title";
        load_products(c, session);
        break;
    case ConsoleIntent::products_page:
        c.page = std::max<int64_t>(1, std::atoll(intent.arg.c_str()));
        load_products(c, session);
        break;
    case ConsoleIntent::sync_now: start_action(c.action, "sync", send(session, "POST", connection_path(c) + "/sync")); break;
    case ConsoleIntent::test_connection:
        start_action(c.action, "test", send(session, "POST", connection_path(c) + "/test"));
        break;
    case ConsoleIntent::replace_credentials: {
        nlohmann::json creds = nlohmann::json::object();
        for (const auto& [field, value] : c.credentials)
            if (!value.empty()) creds[field] = value;
        start_action(c.action, "credentials",
                     send(session, "PUT", connection_path(c) + "/credentials",
                          nlohmann::json{{"credentials", creds}}.dump()));
        break;
    }
    case ConsoleIntent::disconnect:
        c.confirm_disconnect = false;
        start_action(c.action, "disconnect", send(session, "DELETE", connection_path(c)));
        break;
    case ConsoleIntent::set_webhook_secret: {
        nlohmann::json body = nlohmann::json::object();
        if (!c.webhook_secret.empty()) body["secret"] = c.webhook_secret;
        start_action(c.action, "secret", send(session, "PUT", connection_path(c) + "/webhooks/secret", body.dump()));
        break;
    }
    case ConsoleIntent::register_webhooks:
        start_action(c.action, "register", send(session, "POST", connection_path(c) + "/webhooks/registration"));
        break;
    case ConsoleIntent::create_key:
        s.keys.copied = false;
        remote_start(s.keys.created, send(session, "POST", "/api/v1/auth/api-keys", name_body(s.keys.name)));
        break;
    case ConsoleIntent::revoke_key:
        start_action(s.keys.action, "revoke", send(session, "DELETE", "/api/v1/auth/api-keys/" + url_encode(intent.arg)));
        break;
    }
}

// --- routes ----------------------------------------------------------------------------

Route console_route(const ConsoleState& s) {
    Route r;
    switch (s.tab) {
    case ConsoleTab::audit: r.place = RoutePlace::audit; return r;
    case ConsoleTab::keys: r.place = RoutePlace::keys; return r;
    case ConsoleTab::vault: r.place = RoutePlace::vault; return r;
    case ConsoleTab::clients: break;
    }
    switch (s.view) {
    case ClientsView::list: r.place = s.clients.form.open ? RoutePlace::new_client : RoutePlace::clients; break;
    case ClientsView::client:
        r.place = RoutePlace::client;
        r.org_id = s.org.id;
        break;
    case ClientsView::connection:
        r.place = RoutePlace::connection;
        r.org_id = s.connection.org.id;
        r.connection_id = s.connection.connection.id;
        r.tab = s.connection.tab == ConnectionTab::products   ? RouteTab::products
                : s.connection.tab == ConnectionTab::webhooks ? RouteTab::webhooks
                                                              : RouteTab::sync;
        break;
    }
    return r;
}

// The client `org_id` as the open one: its row when the list has it, else
// its id alone until the list arrives (poll fills in the rest).
static void open_org(ConsoleState& s, const std::string& org_id) {
    if (s.org.id == org_id) return;
    s.org = OrgRow{};
    s.org.id = org_id;
    for (const OrgRow& org : s.clients.orgs.value)
        if (org.id == org_id) s.org = org;
    s.client = ClientDetail{};
}

void console_go(ConsoleState& s, const Session& session, const Route& r) {
    if (!is_console_route(r) || console_route(s) == r) return;
    switch (r.place) {
    case RoutePlace::audit: perform(s, session, {ConsoleIntent::open_tab, "audit"}); return;
    case RoutePlace::keys: perform(s, session, {ConsoleIntent::open_tab, "keys"}); return;
    case RoutePlace::vault: perform(s, session, {ConsoleIntent::open_tab, "vault"}); return;
    default: break;
    }
    s.tab = ConsoleTab::clients;
    s.keys.created = {};  // leaving the keys view, as its tab would
    switch (r.place) {
    case RoutePlace::new_client:
        s.view = ClientsView::list;
        perform(s, session, {ConsoleIntent::new_client, ""});
        return;
    case RoutePlace::client:
        open_org(s, r.org_id);
        s.clients.form.open = false;
        s.view = ClientsView::client;
        break;
    case RoutePlace::connection: {
        open_org(s, r.org_id);
        s.clients.form.open = false;
        ConnectionState& c = s.connection;
        if (c.org.id != r.org_id || c.connection.id != r.connection_id) {
            c = ConnectionState{};
            c.org = s.org;
            c.connection.id = r.connection_id;
            if (const ClientConnection* row = find_connection(s, r.connection_id)) c.connection = *row;
        }
        c.tab = r.tab == RouteTab::products ? ConnectionTab::products
                : r.tab == RouteTab::webhooks ? ConnectionTab::webhooks
                                              : ConnectionTab::sync;
        c.replay_message.clear();
        s.view = ClientsView::connection;
        break;
    }
    default:
        s.view = ClientsView::list;
        s.clients.form.open = false;
        break;
    }
    load_view(s, session);
}

// --- drawing ---------------------------------------------------------------------------

const char* console_view_name(const ConsoleState& s) {
    switch (s.tab) {
    case ConsoleTab::audit: return "audit";
    case ConsoleTab::keys: return "keys";
    case ConsoleTab::vault: return "vault";
    case ConsoleTab::clients: break;
    }
    switch (s.view) {
    case ClientsView::list: return s.clients.form.open ? "new_client" : "clients";
    case ClientsView::client: return "client";
    case ClientsView::connection: return "connection";
    }
    return "clients";
}

static constexpr ImGuiWindowFlags kPlainWindow = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoResize;

// The bar above the panel: the product's name, who is signed in, and the
// way out. It leaves the top right corner to the page's language and theme
// switches.
static bool draw_top_bar(const Session& session, const Ui& ui) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float theme_room = 9.5f * ui.em + language_switch_width();
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
        ImGui::TextUnformatted(tr("Operator console"));
        ImGui::PopStyleColor();
    }
    const char* label = tr("Sign out");
    const float w = ImGui::CalcTextSize(label).x + 2.0f * ImGui::GetStyle().FramePadding.x;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - w));
    const bool sign_out = ui_link_button(ui, "sign_out", label);
    if (!session.email.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", session.email.c_str());
    ImGui::End();
    return sign_out;
}

static ConsoleIntent draw_tabs(const ConsoleState& s, const Ui& ui) {
    ConsoleIntent intent;
    if (tab_button(ui, "console.tab.clients", tr("Clients"), s.tab == ConsoleTab::clients))
        intent = {ConsoleIntent::open_tab, "clients"};
    ImGui::SameLine(0, 0.25f * ui.em);
    if (tab_button(ui, "console.tab.audit", tr("Audit log"), s.tab == ConsoleTab::audit))
        intent = {ConsoleIntent::open_tab, "audit"};
    ImGui::SameLine(0, 0.25f * ui.em);
    if (tab_button(ui, "console.tab.keys", tr("API keys"), s.tab == ConsoleTab::keys))
        intent = {ConsoleIntent::open_tab, "keys"};
    ImGui::SameLine(0, 0.25f * ui.em);
    if (tab_button(ui, "console.tab.vault", tr("Vault"), s.tab == ConsoleTab::vault))
        intent = {ConsoleIntent::open_tab, "vault"};
    ImGui::Separator();
    ui_vspace(ui, 0.5f);
    return intent;
}

static ConsoleIntent draw_view(ConsoleState& s, const Ui& ui) {
    switch (s.tab) {
    case ConsoleTab::audit: return draw_audit(s.audit, s.clients.orgs.value, ui);
    case ConsoleTab::keys: return draw_keys(s.keys, ui);
    case ConsoleTab::vault: return draw_vault(s.vault, ui);
    case ConsoleTab::clients: break;
    }
    switch (s.view) {
    case ClientsView::list: return s.clients.form.open ? draw_new_client(s.clients.form, ui) : draw_clients(s.clients, ui);
    case ClientsView::client: return draw_client(s.org, s.clients.summaries[s.org.id], s.client, ui);
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
