// What the client onboarding wizard calls, for the visitor's company: the
// phases of the phased onboarding (company basics, platforms, documents, goals, team,
// verify) with the edge's shapes (edge/api/onboarding.cpp, connectors.cpp,
// connections.cpp, documents.cpp, invitations.cpp).
//
// The credentials go through the shared validator, so a mistyped field gets
// the edge's own message; the state machine is shared/onboarding/state.h.
// Only BigCommerce can be "connected", and only with the mock platforms'
// demo account: the static demo reaches no platform (fake_edge.h).
#include <cctype>
#include <cstring>

#include "demo/accounts.h"
#include "shared/connectors/catalog.h"
#include "shared/documents/accepted.h"
#include "shared/onboarding/forms.h"
#include "shared/onboarding/state_json.h"
#include "shared/validation/fields.h"
#include "shared/validation/validate.h"
#include "static_demo/answers.h"

namespace fake {

namespace {

namespace ob = onramp::onboarding;
namespace cx = onramp::connectors;
namespace mock_account = onramp::demo;

constexpr double kIngestMs = 1200;            // a document is "read" this long after its upload
constexpr int64_t kMaxFileBytes = 10 << 20;   // the edge's limit

// --- where the visitor's company stands ----------------------------------------

bool ingested(const FakeEdge& e, const FakeDocument& d) { return e.now_ms >= d.uploaded_ms + kIngestMs; }

ob::Progress progress_of(const FakeClient& c) {
    ob::Progress p;
    p.company_basics = c.basics_saved;
    p.call_tracking = !c.connections.empty();
    p.documents = !c.documents.empty();
    p.goals_preferences = c.goals_saved;
    p.team_invites = !c.invitations.empty();
    p.completed = c.completed_at != 0;
    return p;
}

ob::Checks checks_of(const FakeEdge& e) {
    const FakeClient& c = e.client;
    ob::Checks k;
    auto has = [&](const char* key) { return c.basics.contains(key) && c.basics[key].is_string(); };
    k.company_basics = has("company_name") && has("company_phone") && has("industry") && has("timezone");
    k.call_tracking = !c.connections.empty();
    for (const FakeDocument& d : c.documents) k.documents = k.documents || ingested(e, d);
    // The invited join at once in this demo (fake_edge.h), as csr or sales rep.
    for (const FakeInvitation& i : c.invitations) k.team_members = k.team_members || i.role != "manager";
    return k;
}

// A phase saved: the edge's answer members for it.
json completion_json(const ob::Progress& before, ob::Phase phase) {
    const ob::Completion done = ob::complete_phase(before, phase);
    return {{"onboarding_step", ob::wire_name(done.next)}, {"step_already_completed", done.already_completed}};
}

// --- handlers ------------------------------------------------------------------

HttpReply status(FakeEdge& e) {
    const FakeClient& c = e.client;
    const ob::Progress p = progress_of(c);
    json company = ob::basics_json({});  // every member, null until saved
    company.update(c.basics);
    return envelope(e, c.id,
                    {{"company_id", c.id},
                     {"onboarding_step", ob::wire_name(ob::current_phase(p))},
                     {"onboarding_completed", p.completed},
                     {"onboarding_completed_at", p.completed ? json(iso8601(c.completed_at)) : json(nullptr)},
                     {"progress", ob::progress_json(p)},
                     {"company", company},
                     {"call_provider", nullptr},
                     {"goals", c.goals}});
}

HttpReply company_basics(FakeEdge& e, const Target& t) {
    json body;
    HttpReply bad;
    if (!parse_object(t, &body, &bad)) return bad;
    auto basics = ob::read_company_basics(body);
    if (!basics) return problem_reply(basics.problem());
    const json saved = ob::basics_json(*basics);
    FakeClient& c = e.client;
    const json done = completion_json(progress_of(c), ob::Phase::company_basics);
    c.basics = saved;
    c.basics_saved = true;
    c.name = saved["company_name"].get<std::string>();  // the organization is the company
    add_audit(e, c.id, "onboarding.company_basics_saved", "org", c.id);
    json data = {{"success", true}, {"company_id", c.id}};
    data.update(done);
    return envelope(e, c.id, data);
}

// What testing credentials finds, in connections::test_json's shape: the
// demo account verified, anything else refused as the mock BigCommerce and
// the real connector refuse it.
json test_outcome(const cx::Connector& connector, const std::map<std::string, std::string>& values) {
    const std::string platform(connector.id);
    json verified = {{"account_name", ""}, {"domain", ""}, {"account_id", ""}, {"granted_scopes", json::array()},
                     {"required_scopes", json::array()}, {"missing_scopes", json::array()},
                     {"details", json::object()}};
    json out = {{"success", false}, {"platform", platform}, {"verified", verified}};
    auto fail = [&](const char* step, const char* cause, const std::string& message, const std::string& said,
                    int status) {
        out.update({{"step", step}, {"cause", cause}, {"message", message}, {"platform_message", said},
                    {"platform_status", status ? json(status) : json(nullptr)}, {"missing_scopes", json::array()},
                    {"retry_after", nullptr}});
        return out;
    };
    if (platform != "bigcommerce")
        return fail("connect", "connection_failed",
                    "This static demo runs without a server, so it cannot reach " + std::string(connector.name) +
                        ". Connect BigCommerce with the demo credentials here, or run `onramp-edge serve --demo` "
                        "to try every platform.",
                    "", 0);
    json scopes = json::array();
    for (const cx::Scope& s : connector.scopes) scopes.push_back(std::string(s.name));
    out["verified"]["required_scopes"] = scopes;
    if (values.at("store_hash") != mock_account::kBigCommerceStoreHash)
        return fail("fetch_store", "store_not_found",
                    "BigCommerce has no store with the store hash " + values.at("store_hash") +
                        ". Copy it from the API path shown with your API account (\xE2\x80\xA6/stores/<hash>/v3/).",
                    "Store not found.", 404);
    if (values.at("access_token") != mock_account::kBigCommerceToken)
        return fail("fetch_store", "credential_rejected",
                    "BigCommerce did not accept the access token. Check that it was copied completely and that "
                    "its API account still exists (Settings \xE2\x86\x92 Store-level API accounts).",
                    "No valid credential was supplied.", 401);
    // The mock's store (edge/platforms/bigcommerce/mock.cpp store_json).
    out["success"] = true;
    out["verified"].update({{"account_name", "Onramp Demo Store"},
                            {"domain", "onramp-demo.mybigcommerce.com"},
                            {"account_id", values.at("store_hash")},
                            {"granted_scopes", scopes},
                            {"details", {{"store_hash", values.at("store_hash")}, {"plan", "Standard"},
                                         {"currency", "USD"}, {"secure_url", "https://onramp-demo.mybigcommerce.com"}}}});
    return out;
}

// The connector and the validated credentials of a body's "credentials",
// or the edge's 404/422.
bool checked_credentials(const std::string& platform, const json& body, const cx::Connector** connector,
                         std::map<std::string, std::string>* values, HttpReply* problem) {
    *connector = cx::find_connector(platform);
    if (!*connector) {
        *problem = problem_reply(onramp::not_found("No connector named '" + platform.substr(0, 64) +
                                                   "'. GET /api/v1/connectors lists them."));
        return false;
    }
    auto raw = body.find("credentials");
    if (raw == body.end() || !raw->is_object()) {
        *problem = problem_reply(
            onramp::unprocessable({{"credentials", "Send the credentials as an object of field names and values."}}));
        return false;
    }
    onramp::validation::Validation v = onramp::validation::validate_credentials(**connector, *raw);
    if (!v.ok()) {
        *problem = problem_reply(onramp::validation::invalid_fields(v.messages, "Some credentials are missing or invalid."));
        return false;
    }
    *values = std::move(v.values);
    return true;
}

HttpReply test_connection(FakeEdge& e, const Target& t) {
    json body;
    HttpReply bad;
    if (!parse_object(t, &body, &bad)) return bad;
    const cx::Connector* connector = nullptr;
    std::map<std::string, std::string> values;
    if (!checked_credentials(t.segments[3], body, &connector, &values, &bad)) return bad;
    const json outcome = test_outcome(*connector, values);
    add_audit(e, "", "credential.tested", "connector", std::string(connector->id));
    return reply(200, outcome);
}

HttpReply create_connection(FakeEdge& e, const Target& t) {
    json body;
    HttpReply bad;
    if (!parse_object(t, &body, &bad)) return bad;
    if (!body.contains("platform") || !body["platform"].is_string())
        return problem_reply(onramp::unprocessable({{"platform", "is required"}}));
    const cx::Connector* connector = nullptr;
    std::map<std::string, std::string> values;
    if (!checked_credentials(body["platform"].get<std::string>(), body, &connector, &values, &bad)) return bad;
    const json outcome = test_outcome(*connector, values);
    if (!outcome["success"].get<bool>()) {
        onramp::Problem p = onramp::unprocessable({}, outcome["message"].get<std::string>());
        p.error_code = "connection_test_failed";
        p.title = "The platform did not accept these credentials";
        p.extensions_json = outcome.dump();
        return problem_reply(p);
    }
    FakeConnection c;
    c.id = new_id(e, "conn");
    c.platform = std::string(connector->id);
    c.name = body.contains("name") && body["name"].is_string() ? body["name"].get<std::string>()
                                                                : std::string(connector->name);
    c.created_at = e.now;
    c.verified = outcome["verified"];
    c.credentials = json::object();
    for (const auto& [k, v] : onramp::validation::masked_credentials(*connector, values)) c.credentials[k] = v;
    c.run = {new_id(e, "run"), e.now_ms, e.now, e.catalogue.count(onramp::demo::Kind::product),
             e.catalogue.count(onramp::demo::Kind::order)};
    e.client.connections.push_back(c);
    add_audit(e, e.client.id, "connection.created", "connection", c.id);
    json out = visitor_connection_json(e, c);
    out["test"] = outcome;
    out["sync_run_id"] = c.run.id;
    out["webhooks"] = {{"state", "registered"}};
    return reply(201, out);
}

// The page's upload bridge sends what the picked file is, never its
// content (fetch_static_demo.cpp): {filename, size, category}.
HttpReply upload_document(FakeEdge& e, const Target& t) {
    json body;
    HttpReply bad;
    if (!parse_object(t, &body, &bad)) return bad;
    auto text = [&](const char* key) {
        auto it = body.find(key);
        return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    const std::string filename = text("filename"), category = text("category");
    const int64_t size = body.contains("size") && body["size"].is_number_integer() ? body["size"].get<int64_t>() : 0;
    if (size > kMaxFileBytes)
        return problem_reply(onramp::payload_too_large("The file is " + std::to_string(size) +
                                                       " bytes; the limit is 10 MiB (" + std::to_string(kMaxFileBytes) +
                                                       " bytes)."));
    std::map<std::string, std::string> errors;
    if (size == 0) errors["file"] = "is empty";
    if (category != "sop" && category != "training" && category != "reference" && category != "policy")
        errors["category"] = "must be one of sop, training, reference, policy";
    if (!errors.empty()) return problem_reply(onramp::unprocessable(errors, "The upload is missing fields or has invalid ones."));
    const size_t dot = filename.rfind('.');
    std::string ext = dot == std::string::npos ? "" : filename.substr(dot + 1);
    for (char& ch : ext) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    if (!onramp::documents::kind_of_extension(ext)) {
        onramp::Problem p = onramp::unsupported_media_type(
            "The file name must end in .pdf, .docx, .txt or .md" +
            (ext.empty() ? std::string(" (it has no extension)") : " (not ." + ext + ")") +
            "; only " + onramp::documents::kAcceptedKinds + " are accepted.");
        p.error_code = "unsupported_document_type";
        return problem_reply(p);
    }
    FakeDocument d{new_id(e, "doc"), filename, category, size, e.now, e.now_ms};
    e.client.documents.push_back(d);
    add_audit(e, e.client.id, "document.uploaded", "document", d.id);
    return envelope(e, e.client.id,
                    {{"success", true},
                     {"document_id", d.id},
                     {"filename", d.filename},
                     {"s3_url", "/api/v1/onboarding/documents/" + d.id + "/file"},
                     {"ingestion_job_id", "job_" + d.id},
                     {"ingestion_status", "processing"},
                     {"estimated_processing_time", 2},
                     {"duplicate", false}},
                    201);
}

json document_status_json(const FakeEdge& e, const FakeDocument& d) {
    const bool done = ingested(e, d);
    return {{"document_id", d.id},
            {"ingestion_status", done ? "done" : "processing"},
            {"ingestion_job_id", "job_" + d.id},
            {"progress", done ? 100 : 50},
            {"error_message", nullptr},
            {"filename", d.filename},
            {"text_chars", done ? json(d.size) : json(nullptr)}};
}

HttpReply document_status(FakeEdge& e, const std::string& id) {
    for (const FakeDocument& d : e.client.documents)
        if (d.id == id) return envelope(e, e.client.id, document_status_json(e, d));
    return problem_reply(onramp::not_found("No such document."));
}

HttpReply documents(FakeEdge& e) {
    json items = json::array();
    for (const FakeDocument& d : e.client.documents) {
        json j = document_status_json(e, d);
        j.update({{"category", d.category}, {"size", d.size}, {"created_at", iso8601(d.created_at)}});
        items.push_back(j);
    }
    return envelope(e, e.client.id, {{"documents", items}, {"total", items.size()}});
}

HttpReply goals(FakeEdge& e, const Target& t) {
    json body;
    HttpReply bad;
    if (!parse_object(t, &body, &bad)) return bad;
    auto saved = ob::read_goals(body);
    if (!saved) return problem_reply(saved.problem());
    FakeClient& c = e.client;
    const json done = completion_json(progress_of(c), ob::Phase::goals_preferences);
    c.goals = *saved;
    c.goals_saved = true;
    add_audit(e, c.id, "onboarding.goals_saved", "org", c.id);
    json data = {{"success", true}};
    data.update(done);
    return envelope(e, c.id, data);
}

json invitation_json(const FakeEdge& e, const FakeInvitation& i) {
    return {{"invite_id", i.id},
            {"email", i.email},
            {"role", i.role},
            {"territory", i.territory},
            {"department", i.department},
            {"status", "accepted"},  // joined at once (fake_edge.h)
            {"invited_at", iso8601(i.invited_at)},
            {"expires_at", iso8601(i.invited_at + 7 * kDay)},
            {"accepted_at", iso8601(i.invited_at)}};
}

HttpReply invite(FakeEdge& e, const Target& t) {
    json body;
    HttpReply bad;
    if (!parse_object(t, &body, &bad)) return bad;
    onramp::Fields f(body);
    std::string email = f.text("email", 254);
    std::string role = f.choice("role", {"manager", "csr", "sales_rep"});
    if (!email.empty() && !onramp::looks_like_email(email)) f.fail("email", "is not an e-mail address");
    FakeInvitation i;
    for (const char* name : {"territory", "department"}) {
        auto v = f.opt_text(name, 200);
        (std::strcmp(name, "territory") == 0 ? i.territory : i.department) = v ? json(*v) : json(nullptr);
    }
    if (!f.ok()) return problem_reply(f.problem());
    FakeClient& c = e.client;
    const json done = completion_json(progress_of(c), ob::Phase::team_invites);
    i.id = new_id(e, "inv");
    i.email = email;
    i.role = role;
    i.invited_at = e.now;
    c.invitations.push_back(i);
    add_audit(e, c.id, "invitation.sent", "invitation", i.id);
    json data = {{"success", true},
                 {"invite_id", i.id},
                 {"email", i.email},
                 {"role", i.role},
                 {"status", "sent"},
                 {"invite_url", e.origin + "/#/invite/demo-" + i.id},
                 {"expires_at", iso8601(i.invited_at + 7 * kDay)},
                 {"renewed", false}};
    data.update(done);
    return envelope(e, c.id, data);
}

HttpReply invited_users(FakeEdge& e) {
    json items = json::array();
    for (const FakeInvitation& i : e.client.invitations) items.push_back(invitation_json(e, i));
    return envelope(e, e.client.id, {{"invited_users", items}, {"total", items.size()}});
}

HttpReply verify(FakeEdge& e) {
    FakeClient& c = e.client;
    const ob::Checks checks = checks_of(e);
    const ob::Verification v = ob::verify(checks);
    if (v.passed && !c.completed_at) {
        c.completed_at = e.now;
        add_audit(e, c.id, "onboarding.completed", "org", c.id);
    }
    return envelope(e, c.id,
                    {{"success", v.passed},
                     {"onboarding_completed", c.completed_at != 0},
                     {"onboarding_completed_at", c.completed_at ? json(iso8601(c.completed_at)) : json(nullptr)},
                     {"checks", ob::checks_json(checks)},
                     {"errors", v.errors}});
}

bool onboarding_answer(FakeEdge& e, const Target& t, HttpReply* out) {
    const bool get = t.method == "GET", post = t.method == "POST";
    if (get && route(t, {"api", "v1", "onboarding", "status"})) *out = status(e);
    else if (post && route(t, {"api", "v1", "onboarding", "company-basics"})) *out = company_basics(e, t);
    else if (post && route(t, {"api", "v1", "onboarding", "documents", "upload"})) *out = upload_document(e, t);
    else if (get && route(t, {"api", "v1", "onboarding", "documents"})) *out = documents(e);
    else if (get && route(t, {"api", "v1", "onboarding", "documents", "status", "*"}))
        *out = document_status(e, t.segments[5]);
    else if (post && route(t, {"api", "v1", "onboarding", "goals"})) *out = goals(e, t);
    else if (post && route(t, {"api", "v1", "onboarding", "invite-user"})) *out = invite(e, t);
    else if (get && route(t, {"api", "v1", "onboarding", "invited-users"})) *out = invited_users(e);
    else if (post && route(t, {"api", "v1", "onboarding", "verify"})) *out = verify(e);
    else return false;
    return true;
}

}  // namespace

bool wizard_answer(FakeEdge& e, const Target& t, HttpReply* out) {
    if (t.method == "POST" && route(t, {"api", "v1", "connectors", "*", "test"})) {
        *out = test_connection(e, t);
        return true;
    }
    const bool visitor_org = (t.segments.size() > 3 && t.segments[2] == "orgs" && t.segments[3] == e.client.id);
    if (t.method == "POST" && visitor_org && route(t, {"api", "v1", "orgs", "*", "connections"})) {
        *out = create_connection(e, t);
        return true;
    }
    if (t.segments.size() < 3 || t.segments[2] != "onboarding") return false;
    // The onboarding of Demo Company is there to look at (console_answers.cpp), not to redo.
    if (!t.org_header.empty() && t.org_header != e.client.id) {
        if (route(t, {"api", "v1", "onboarding", "status"})) return false;
        *out = problem_reply(onramp::forbidden("In this demo, Demo Company's onboarding is there to look at: "
                                               "onboard your own company from #/onboard."));
        return true;
    }
    return onboarding_answer(e, t, out);
}

}  // namespace fake
