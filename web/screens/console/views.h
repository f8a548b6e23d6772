// The console's views, one file each: they draw and return what the
// operator asked for; console.cpp does it.
#pragma once

#include "screens/console/console.h"
#include "ui.h"

ConsoleIntent draw_clients(const ClientsState& state, const Ui& ui);                  // clients.cpp
ConsoleIntent draw_client(const OrgRow& org, const ClientSummary& summary, const Ui& ui);  // client.cpp
ConsoleIntent draw_connection(ConnectionState& state, const Ui& ui);                 // connection.cpp
ConsoleIntent draw_audit(const AuditState& state, const Ui& ui);                     // audit.cpp
ConsoleIntent draw_vault(const Remote<VaultInfo>& vault, const Ui& ui);              // vault.cpp
