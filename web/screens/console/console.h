// The operator console, where the agency runs its business through the
// edge's API: every client with where it stands (and who is stuck), a new
// client with its onboarding link, everything a client entered, its links,
// its connections (sync, test, credentials, webhooks, products, deliveries);
// the audit log with filters; API keys; the vault's key status.
//
// The console is one App screen with views of its own. Each view's draw
// function only draws and returns a ConsoleIntent; console_frame() carries
// intents out (requests, navigation), like app.cpp does for the screens.
// Every action is one API call with the edge's own checks; a refusal is
// shown in the problem's words (ActionState::message).
//
//   tab clients:  list --open_client--> client --open_connection--> connection
//                 (back goes one level up); list --new_client--> the form
//   tab audit, tab keys, tab vault: one view each
#pragma once

#include <map>
#include <string>
#include <vector>

#include "route.h"
#include "screens/action.h"
#include "screens/console/data.h"
#include "screens/console/remote.h"

struct Session;
struct Ui;

enum class ConsoleTab { clients, audit, keys, vault };
enum class ClientsView { list, client, connection };
enum class ConnectionTab { sync, products, webhooks };  // products: every synced record, by resource

struct ClientSummary {
    Remote<OnboardingInfo> onboarding;
    Remote<std::vector<ClientConnection>> connections;
    Remote<std::vector<LinkInfo>> links;
};

// New client: an organization and its first onboarding link, e-mailed to
// the contact when the server sends e-mail.
struct NewClientForm {
    bool open = false;
    std::string name, email, note;
    std::string expiry_days = "7";            // as typed
    std::vector<std::string> platforms;       // chosen platform ids
    bool require_code = false;                // a code e-mailed to `email` opens the link on a new device
    Remote<std::vector<PlatformChoice>> catalog;
    Remote<OrgRow> org;                       // the organization, once made
    Remote<NewLink> link;                     // its link, once made
    std::string link_body;                    // the link request, resent without send_to if mail is off
    std::string error;                        // a refusal, in the problem's words
    std::string mail_note;                    // whether the link was e-mailed
    bool copied = false;
};

struct ClientsState {
    Remote<std::vector<OrgRow>> orgs;
    std::map<std::string, ClientSummary> summaries;  // by org id
    NewClientForm form;
};

// The open client's entered data and link actions (its summary holds the
// onboarding answers, connections and links).
struct ClientDetail {
    std::string bearer;        // the session's, for the page's downloads of documents
    Remote<std::vector<DocumentInfo>> documents;
    Remote<std::vector<InvitationInfo>> invitations;
    ActionState action;        // a revoke
    Remote<NewLink> new_link;  // "New link"
    std::string link_email;    // as typed: "New link" e-mails the link there
    bool link_require_code = false;  // ...and asks for a code sent there on a new device
    bool copied = false;
};

struct ConnectionState {
    OrgRow org;
    ClientConnection connection;
    ConnectionTab tab = ConnectionTab::sync;
    Remote<std::vector<SyncRunRow>> runs;
    double runs_asked_at = 0.0;     // ImGui time of the last request: a running sync is polled
    Remote<ProductPage> products;
    std::string search;             // as typed
    std::string searched;           // as last sent
    double search_typed_at = -1.0;  // ImGui time of the last edit; sent after a pause
    std::string sort = "title";     // as sent: a column, "-" first for descending
    std::string resource = "products";  // or "orders", "calls", "contacts" (the records route)
    int64_t page = 1;               // of products, from 1
    Remote<std::vector<DeliveryRow>> deliveries;
    Remote<bool> replay;            // a replay request in flight
    std::string replay_message;     // the outcome of the last replay
    ActionState action;             // sync now, test, credentials, disconnect, webhook setup
    bool confirm_disconnect = false;
    bool replacing = false;         // the credentials form is open
    std::map<std::string, std::string> credentials;  // new values by field name
    std::string webhook_secret;     // as typed
    bool disconnected = false;      // the connection is gone: only "back" is left
};

// The audit log's filters, as typed.
struct AuditFilter {
    std::string actor;   // part of an e-mail address
    std::string action;  // an action or its prefix ("login")
    std::string org_id;  // "" for every client
    std::string since, until;  // YYYY-MM-DD
};

struct AuditState {
    Remote<AuditPage> page;        // the last page asked for
    std::vector<AuditRow> rows;    // every page so far, newest first
    AuditFilter filter;
};

struct KeysState {
    Remote<std::vector<ApiKeyRow>> list;
    std::string name;               // of the key to create
    Remote<NewApiKey> created;      // the last key made: its secret is shown until the view is left
    bool copied = false;
    ActionState action;             // a revoke
};

struct ConsoleState {
    bool started = false;  // the first frame loads the clients
    ConsoleTab tab = ConsoleTab::clients;
    ClientsView view = ClientsView::list;
    ClientsState clients;
    OrgRow org;                             // the client being looked at
    ClientDetail client;
    ConnectionState connection;
    AuditState audit;
    KeysState keys;
    Remote<VaultInfo> vault;
};

struct ConsoleIntent {
    enum Kind {
        none,
        open_tab,         // arg: "clients", "audit", "keys", "vault"
        open_client,      // arg: org id
        open_connection,  // arg: connection id (of the open client)
        back,
        reload,           // the current view's data, again
        open_connection_tab,  // arg: "sync", "products", "webhooks"
        search_products,
        sort_products,    // arg: the sort as sent
        replay_delivery,  // arg: delivery id
        more_audit,
        filter_audit,     // the filter as typed
        new_client,       // opens the form
        close_new_client,
        create_client,    // sends the form
        revoke_link,      // arg: link id (of the open client)
        new_link,         // for the open client, the platforms of its last link; ClientDetail::link_email
        products_page,    // arg: the page number
        products_resource,  // arg: "products", "orders", "calls", "contacts"
        sync_now,
        test_connection,
        replace_credentials,  // sends ConnectionState::credentials
        disconnect,
        set_webhook_secret,   // sends ConnectionState::webhook_secret ("" generates one)
        register_webhooks,
        create_key,       // KeysState::name
        revoke_key,       // arg: key id
    };
    Kind kind = none;
    std::string arg;
};

// Draws the console for the signed-in operator and carries out what was
// asked. Returns Action::SignOut when the operator signs out.
Action console_frame(ConsoleState& state, const Session& session, const Ui& ui);

// The screen the console shows, as a route (web/route.h): its address.
Route console_route(const ConsoleState& state);

// Opens the console screen `route` names, as a click on its tab or row
// would; a client or a connection by id, before (or without) the list that
// names it. Nothing changes when it is the screen shown, or not a console
// route.
void console_go(ConsoleState& state, const Session& session, const Route& route);

// The stable name of the console's current view, for the test hook:
// "clients", "client", "connection", "audit", "vault".
const char* console_view_name(const ConsoleState& state);
