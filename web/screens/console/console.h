// The operator console: every client with its onboarding step and the
// health of its connections; per connection its sync history, synced
// products and webhook deliveries; the audit log; the vault's key status.
//
// The console is one App screen with views of its own. Each view's draw
// function only draws and returns a ConsoleIntent; console_frame() carries
// intents out (requests, navigation), like app.cpp does for the screens.
//
//   tab clients:  list --open_client--> client --open_connection--> connection
//                 (back goes one level up)
//   tab audit, tab vault: one view each
#pragma once

#include <map>
#include <string>
#include <vector>

#include "screens/action.h"
#include "screens/console/data.h"
#include "screens/console/remote.h"

struct Session;
struct Ui;

enum class ConsoleTab { clients, audit, vault };
enum class ClientsView { list, client, connection };
enum class ConnectionTab { sync, products, webhooks };

struct ClientSummary {
    Remote<OnboardingInfo> onboarding;
    Remote<std::vector<ClientConnection>> connections;
};

struct ClientsState {
    Remote<std::vector<OrgRow>> orgs;
    std::map<std::string, ClientSummary> summaries;  // by org id
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
    Remote<std::vector<DeliveryRow>> deliveries;
    Remote<bool> replay;            // a replay request in flight
    std::string replay_message;     // the outcome of the last replay
};

struct AuditState {
    Remote<AuditPage> page;        // the last page asked for
    std::vector<AuditRow> rows;    // every page so far, newest first
};

struct ConsoleState {
    bool started = false;  // the first frame loads the clients
    ConsoleTab tab = ConsoleTab::clients;
    ClientsView view = ClientsView::list;
    ClientsState clients;
    OrgRow org;                             // the client being looked at
    ConnectionState connection;
    AuditState audit;
    Remote<VaultInfo> vault;
};

struct ConsoleIntent {
    enum Kind {
        none,
        open_tab,         // arg: "clients", "audit", "vault"
        open_client,      // arg: org id
        open_connection,  // arg: connection id (of the open client)
        back,
        reload,           // the current view's data, again
        open_connection_tab,  // arg: "sync", "products", "webhooks"
        search_products,
        sort_products,    // arg: the sort as sent
        replay_delivery,  // arg: delivery id
        more_audit,
    };
    Kind kind = none;
    std::string arg;
};

// Draws the console for the signed-in operator and carries out what was
// asked. Returns Action::SignOut when the operator signs out.
Action console_frame(ConsoleState& state, const Session& session, const Ui& ui);

// The stable name of the console's current view, for the test hook:
// "clients", "client", "connection", "audit", "vault".
const char* console_view_name(const ConsoleState& state);
