// The state of each step of the onboarding wizard, and its draw function.
//
// A step only draws and returns an Intent; web/screens/wizard/wizard.cpp
// sends the requests and moves between steps. Requests in flight are
// shared_ptr<HttpReply> fields, drawn as spinners: no frame ever waits.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "platform/events.h"
#include "platform/gestures.h"
#include "platform/platform.h"
#include "shared/connectors/catalog.h"

struct Ui;

using Reply = std::shared_ptr<HttpReply>;
inline bool in_flight(const Reply& r) { return r && !r->done; }
inline bool arrived(const Reply& r) { return r && r->done; }

// What a step asks the wizard to do.
enum class Intent {
    none,
    back,            // the previous step (Escape too)
    next,            // the next step, nothing to send
    submit,          // send this step's form
    choose_platform, // platforms: open the form of PlatformsForm::chosen
    leave_platform,  // platforms: back to the catalog
    use_demo,        // platforms: fill in the demo credentials
    oauth,           // platforms: sign in at the platform, in the popup the click opened
    test,            // platforms: test the credentials without saving
    invite,          // team: send one invitation
    make_secret,     // webhooks: create a signing secret, or save the pasted one
    register_hooks,  // webhooks: let the edge register the hooks at the platform
    jump,            // verify: go to the step in WizardNav::jump_to
    sign_out,
};

// --- company basics ------------------------------------------------------

struct CompanyForm {
    std::string company_name, company_phone, company_email, company_domain, company_address;
    int industry = -1;  // index into kIndustries
    std::string timezone, team_size, admin_name, admin_email;
    std::map<std::string, std::string> errors;  // field id -> message
    std::string error;                          // the server's answer
    Reply save;
};

Intent draw_company(CompanyForm& form, const Ui& ui);
// Client-side checks: name, phone, industry and timezone required, email and
// team size well-formed when given; fills form.errors.
bool check_company(CompanyForm& form);
extern const char* const kIndustries[];
extern const int kIndustryCount;

// --- connect platforms ----------------------------------------------------

// What a test of credentials found, ready to draw.
struct TestResult {
    bool ok = false;
    std::vector<std::string> verified;  // "Store: Demo Store", "Scopes: all granted"
    std::string message;                // the failure, for the client
    std::string detail;                 // the platform's own words and status
};

struct ConnectionRow {
    std::string id, platform, name, status;
};

// The sign-in reached several accounts (a Facebook person's Pages): the
// start body's field naming one, the candidates (value, label), and the one
// picked for the next start.
struct OAuthChoice {
    std::string field;
    std::vector<std::pair<std::string, std::string>> options;
    std::string picked;
};

struct PlatformsForm {
    const onramp::connectors::Connector* chosen = nullptr;  // null: the catalog
    std::map<std::string, std::string> values;              // field name -> typed text
    std::set<std::string> revealed;                         // sensitive fields shown
    std::set<std::string> touched;                          // fields edited since opening
    std::string name;                                       // the connection's name
    bool has_result = false;
    TestResult result;                                      // of the last test or save
    std::string error;
    Reply test, save, list, demo, oauth;
    OAuthChoice choice;
    bool demo_mode = false;  // the server offers demo credentials
    std::map<std::string, std::map<std::string, std::string>> demo_credentials;
    std::vector<ConnectionRow> connected;
    // The platforms an onboarding link offers (Session::platforms); empty:
    // the whole catalog.
    std::vector<std::string> offered;
};

Intent draw_platforms(PlatformsForm& form, const Ui& ui);
// The form's values for the visible fields, ready for the validator.
std::map<std::string, std::string> platform_values(const PlatformsForm& form);

// --- initial sync ---------------------------------------------------------

struct SyncView {
    ConnectionRow connection;
    std::string state;        // queued, running, succeeded, failed; "" before the first answer
    long created = 0, updated = 0, failed = 0, pages = 0;
    long total = -1;          // -1: the platform did not say
    int percent = -1;         // the edge's estimate; -1: unknown
    std::string error;
    bool unavailable = false; // this server has no sync status endpoint
    std::shared_ptr<EventStream> stream;  // live progress (server-sent events)
    long seen = 0;            // stream events read so far
    bool streamed = false;    // a stream was tried: after it fails, poll
    Reply poll;
    double next_poll = 0;     // ImGui time of the next poll
};

Intent draw_sync(SyncView& view, const Ui& ui);
bool sync_finished(const SyncView& view);

// --- webhooks -------------------------------------------------------------

struct WebhooksView {
    ConnectionRow connection;
    std::string url;
    std::string secret;            // masked, except right after it was created
    bool secret_shown_once = false;
    bool secret_configured = false;
    bool can_generate_secret = true;  // false: the platform fixes it, and the client pastes it
    std::string pasted;               // ... into this field
    bool reveal_pasted = false;
    std::string secret_error;         // the edge's word on the pasted secret
    bool can_register = false;     // the edge can register the hooks at the platform itself
    bool registered = false;       // ... and did
    std::string waiting_reason;    // why it did not (yet): a prerequisite missing, or the platform refused
    bool refused = false;          // ... the platform refused
    std::vector<std::string> steps;  // what to do at the platform, from the edge
    bool copied_url = false, copied_secret = false;
    std::string error;
    Reply fetch, make_secret, registration;
};

Intent draw_webhooks(WebhooksView& view, const Ui& ui);

// --- documents ------------------------------------------------------------

struct DocumentRow {
    std::string id, filename, status, error;
};

struct DocumentsForm {
    int category = 0;  // index into kDocumentCategories
    std::string bearer, org_id;         // sent with the upload, which the page performs
    std::shared_ptr<Upload> upload;     // the upload in progress or last finished
    std::shared_ptr<Upload> handled;    // the last upload whose reply was read
    std::vector<DocumentRow> documents;
    std::string error;
    Reply list, status;
    double next_poll = 0;
};

Intent draw_documents(DocumentsForm& form, const Ui& ui);
extern const char* const kDocumentCategories[];
bool documents_ready(const DocumentsForm& form);  // at least one ingested

// --- goals and preferences -------------------------------------------------

constexpr int kGoalCount = 5;
extern const char* const kGoals[kGoalCount];

struct GoalsForm {
    bool goals[kGoalCount] = {true, true, false, false, false};
    std::string conversion_rate = "25", response_hours = "2", satisfaction = "4.5";
    bool email = true, sms = false, in_app = true;
    std::string quiet_start = "20:00", quiet_end = "08:00";
    std::map<std::string, std::string> errors;
    std::string error;
    Reply save;
};

Intent draw_goals(GoalsForm& form, const Ui& ui);
bool check_goals(GoalsForm& form);

// --- team -----------------------------------------------------------------

struct Invitee {
    std::string email, role, status;
};

struct TeamForm {
    std::string email, territory, department;
    int role = 2;  // index into kRoles: sales_rep
    std::vector<Invitee> invited;
    std::string error, notice;
    std::string link;                 // the last invitation's link: the server shows it once
    bool copied_link = false;
    Reply invite, list;
};

Intent draw_team(TeamForm& form, const Ui& ui);
extern const char* const kRoles[3];
const char* role_label(const std::string& role);  // "sales_rep" -> "Sales rep"

// --- verify and done ------------------------------------------------------

struct VerifyView {
    bool has_result = false;
    bool completed = false;
    bool checks[4] = {};              // company_basics, call_tracking, documents, team_members
    std::vector<std::string> errors;
    std::vector<std::string> notes;   // passed, but not finished: pending invitations
    std::string error;
    int jump_to = -1;                 // index of the check whose step to open
    Reply run;
};

Intent draw_verify(VerifyView& view, const Ui& ui);

// The last screen: what was connected, what happens next, one Sign out.
Intent draw_done(const std::vector<ConnectionRow>& connected, const Ui& ui);
