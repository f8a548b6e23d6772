// The wizard's side of the edge API: request bodies from the step forms,
// and replies read back into them. Shapes are those of the onboarding
// endpoints (they answer {"success", "data": {...}}) and of the edge's
// connection and document endpoints. Nothing here throws or does I/O: a
// reply of an unexpected shape reads as empty values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "screens/wizard/steps.h"
#include "shared/onboarding/state.h"

std::string company_body(const CompanyForm& form, const std::string& admin_email);
std::string goals_body(const GoalsForm& form);
std::string invite_body(const TeamForm& form);
std::string test_body(const PlatformsForm& form);        // {"credentials": {...}}
std::string oauth_start_body(const PlatformsForm& form);  // an OAuth start: Shopify's shop, or the settings
std::string connection_body(const PlatformsForm& form);  // {platform, name, credentials, perform_initial_sync}

// GET /onboarding/status: false when the reply is not a 2xx status. The
// company answers saved before fill *company, so a return visit shows them.
bool read_status(const HttpReply& reply, onramp::onboarding::Progress* progress, CompanyForm* company);

std::vector<ConnectionRow> read_connections(const HttpReply& reply);
ConnectionRow read_connection(const HttpReply& reply);

// A test (POST /connectors/{id}/test) or a refused save (422
// connection_test_failed): what was verified, or the precise failure.
// Field messages of a 422 validation problem go to *field_errors.
TestResult read_test(const HttpReply& reply, std::map<std::string, std::string>* field_errors);

// GET .../connections/{id}/sync: the newest run's state and counts.
void read_sync(const HttpReply& reply, SyncView* view);
// PUT .../webhooks/secret: {} where Onramp generates the secret, else the pasted one.
std::string secret_body(const WebhooksView& view);
// A webhook endpoint (GET .../webhooks, or the secret's PUT); a refused
// secret's field message goes to view->secret_error.
void read_webhook(const HttpReply& reply, WebhooksView* view);

std::vector<DocumentRow> read_documents(const HttpReply& reply);
DocumentRow read_document(const HttpReply& reply);  // an upload or a status reply

std::vector<Invitee> read_invitees(const HttpReply& reply);
std::string read_invite_link(const HttpReply& reply);  // invite_url of an invite-user reply
void read_verify(const HttpReply& reply, VerifyView* view);

// GET /demo/credentials: platform -> field -> value.
std::map<std::string, std::map<std::string, std::string>> read_demo_credentials(const HttpReply& reply);

// POST /oauth/{platform}/start: the provider's address, "" on failure.
std::string read_oauth_start(const HttpReply& reply);
// The popup's completion message: true with the new connection, or false
// with the message to show and, when the sign-in reached several accounts,
// the ones to choose from.
bool read_oauth_result(const std::string& message, ConnectionRow* row, std::string* error, OAuthChoice* choice);

// The message to show for a failed reply (the problem's detail).
std::string reply_message(const HttpReply& reply);
inline bool reply_ok(const HttpReply& r) { return r.status >= 200 && r.status < 300; }
