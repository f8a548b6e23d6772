// The console's views, one file each: they draw and return what the
// operator asked for; console.cpp does it.
#pragma once

#include "screens/console/console.h"
#include "ui.h"

ConsoleIntent draw_clients(const ClientsState& state, const Ui& ui);                  // clients.cpp
ConsoleIntent draw_new_client(NewClientForm& form, const Ui& ui);                      // new_client.cpp
ConsoleIntent draw_client(const OrgRow& org, const ClientSummary& summary, ClientDetail& detail,
                          const Ui& ui);                                                // client.cpp
ConsoleIntent draw_connection(ConnectionState& state, const Ui& ui);                 // connection.cpp
ConsoleIntent draw_audit(AuditState& state, const std::vector<OrgRow>& clients, const Ui& ui);  // audit.cpp
ConsoleIntent draw_keys(KeysState& state, const Ui& ui);                              // keys.cpp
ConsoleIntent draw_vault(const Remote<VaultInfo>& vault, const Ui& ui);              // vault.cpp
