// Credentials a platform renews during a call — a custom CRM's OAuth access
// token refreshed when it expired or was refused, and the refresh token
// that came with it — written back to the connection, so the next call,
// and the next process, use the new ones. (A CRM that rotates refresh
// tokens accepts the old one only once: keeping the new one is what keeps
// the connection alive.)
#pragma once

#include <string>

#include "edge/app.h"
#include "edge/connectors/connector.h"

namespace onramp::connections {

// Replaces the changed fields of the connection's credentials ("" removes
// one) in one transaction, and audits "credential.refreshed" without
// values. False when the connection is gone or the vault refused.
bool save_renewed(App& app, const std::string& connection_id, const connectors::Credentials& changed);

// Points app.contexts' renewals at save_renewed() and its clock at app.now.
void keep_renewed_credentials(App& app);

}  // namespace onramp::connections
