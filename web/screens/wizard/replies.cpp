#include "screens/wizard/replies.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "api.h"
#include "i18n/i18n.h"
#include "shared/validation/messages.h"

using nlohmann::json;

namespace {

json parse(const HttpReply& r) { return json::parse(r.body, nullptr, false); }

// The onboarding endpoints' envelope: {"success": true, "data": {...}}; other replies as is.
json data_of(const HttpReply& r) {
    json j = parse(r);
    if (j.is_object() && j.contains("data") && j["data"].is_object()) return j["data"];
    return j;
}

const json& at(const json& j, const char* key) {
    static const json null;
    if (!j.is_object()) return null;
    auto it = j.find(key);
    return it == j.end() ? null : *it;
}

std::string text(const json& j, const char* key) {
    const json& v = at(j, key);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    return {};
}

bool flag(const json& j, const char* key) {
    const json& v = at(j, key);
    return v.is_boolean() && v.get<bool>();
}

long number(const json& j, const char* key, long fallback) {
    const json& v = at(j, key);
    return v.is_number() ? static_cast<long>(v.get<double>()) : fallback;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string join(const json& list) {
    std::string out;
    if (!list.is_array()) return out;
    for (const json& s : list)
        if (s.is_string()) out += (out.empty() ? "" : ", ") + s.get<std::string>();
    return out;
}

}  // namespace

std::string company_body(const CompanyForm& f, const std::string& admin_email) {
    json body = {
        {"company_name", f.company_name},
        {"company_phone", f.company_phone},
        {"industry", f.industry >= 0 ? kIndustries[f.industry] : ""},
        {"timezone", f.timezone},
    };
    if (!admin_email.empty()) body["admin_email"] = admin_email;
    if (!f.company_email.empty()) body["company_email"] = f.company_email;
    if (!f.company_domain.empty()) body["company_domain"] = f.company_domain;
    if (!f.company_address.empty()) body["company_address"] = f.company_address;
    if (!f.team_size.empty()) body["team_size"] = std::atoi(f.team_size.c_str());
    if (!f.admin_name.empty()) body["admin_name"] = f.admin_name;
    return dump(body);
}

std::string goals_body(const GoalsForm& f) {
    json goals = json::array();
    for (int i = 0; i < kGoalCount; ++i)
        if (f.goals[i]) goals.push_back(kGoals[i]);
    json body = {
        {"primary_goals", goals},
        {"target_metrics",
         {{"conversion_rate", std::atof(f.conversion_rate.c_str()) / 100.0},
          {"response_time_hours", std::atof(f.response_hours.c_str())},
          {"customer_satisfaction_score", std::atof(f.satisfaction.c_str())}}},
        {"notification_preferences", {{"email", f.email}, {"sms", f.sms}, {"in_app", f.in_app}}},
        {"quiet_hours_start", f.quiet_start},
        {"quiet_hours_end", f.quiet_end},
    };
    return dump(body);
}

std::string invite_body(const TeamForm& f) {
    json body = {{"email", f.email}, {"role", kRoles[f.role]}};
    if (!f.territory.empty()) body["territory"] = f.territory;
    if (!f.department.empty()) body["department"] = f.department;
    return dump(body);
}

static json credentials_of(const PlatformsForm& f) {
    json c = json::object();
    for (const auto& [k, v] : platform_values(f)) c[k] = v;
    return c;
}

std::string test_body(const PlatformsForm& f) { return dump({{"credentials", credentials_of(f)}}); }

std::string oauth_start_body(const PlatformsForm& f) {
    json body = {{"perform_initial_sync", true}};
    if (!f.name.empty()) body["name"] = f.name;
    json settings = json::object();
    const auto typed = platform_values(f);
    for (const onramp::connectors::Field& field : f.chosen->fields) {
        auto it = typed.find(std::string(field.name));
        if (it != typed.end() && !field.filled_by_sign_in) settings[it->first] = it->second;
    }
    // Shopify's start takes the shop alone; others their OAuth settings.
    if (std::string(f.chosen->id) == "shopify") body["shop_domain"] = settings.value("shop_domain", "");
    else body["credentials"] = settings;
    if (!f.choice.picked.empty()) body[f.choice.field] = f.choice.picked;
    return dump(body);
}

std::string connection_body(const PlatformsForm& f) {
    std::string name = f.name.empty() ? std::string(f.chosen->name) : f.name;
    return dump({{"platform", std::string(f.chosen->id)},
                 {"name", name},
                 {"credentials", credentials_of(f)},
                 {"perform_initial_sync", true}});
}

bool read_status(const HttpReply& r, onramp::onboarding::Progress* p, CompanyForm* company) {
    if (!reply_ok(r)) return false;
    const json d = data_of(r);
    const json& progress = at(d, "progress");
    p->company_basics = flag(progress, "company_basics");
    p->call_tracking = flag(progress, "call_tracking");
    p->documents = flag(progress, "documents");
    p->goals_preferences = flag(progress, "goals_preferences");
    p->team_invites = flag(progress, "team_invites");
    p->completed = flag(d, "onboarding_completed");
    const json& saved = at(d, "company");
    auto keep = [&](const char* key, std::string* field) {
        if (!text(saved, key).empty()) *field = text(saved, key);
    };
    keep("company_name", &company->company_name);
    keep("company_phone", &company->company_phone);
    keep("company_email", &company->company_email);
    keep("company_domain", &company->company_domain);
    keep("company_address", &company->company_address);
    keep("timezone", &company->timezone);
    keep("team_size", &company->team_size);
    keep("admin_name", &company->admin_name);
    for (int i = 0; i < kIndustryCount; ++i)
        if (text(saved, "industry") == kIndustries[i]) company->industry = i;
    return true;
}

static ConnectionRow connection_row(const json& c) {
    return {text(c, "id"), text(c, "platform"), text(c, "name"), text(c, "status")};
}

std::vector<ConnectionRow> read_connections(const HttpReply& r) {
    std::vector<ConnectionRow> out;
    const json j = parse(r);
    const json& items = at(j, "items");
    if (!reply_ok(r) || !items.is_array()) return out;
    for (const json& c : items) out.push_back(connection_row(c));
    return out;
}

ConnectionRow read_connection(const HttpReply& r) { return connection_row(parse(r)); }

TestResult read_test(const HttpReply& r, std::map<std::string, std::string>* field_errors) {
    const json j = parse(r);
    TestResult t;
    // A 422 validation problem names fields; a refused save carries the
    // test's members (step, cause, message) next to the problem's own.
    const json& errors = at(j, "errors");
    if (!reply_ok(r) && text(j, "step").empty()) {
        t.message = reply_message(r);
        if (errors.is_object())
            for (auto it = errors.begin(); it != errors.end(); ++it)
                if (it->is_string()) (*field_errors)[it.key()] = it->get<std::string>();
        return t;
    }
    t.ok = reply_ok(r) && flag(j, "success");
    const json& v = at(j, "verified");
    if (!text(v, "account_name").empty()) t.verified.push_back(trf("Account: {name}", {{"name", text(v, "account_name")}}));
    if (!text(v, "domain").empty()) t.verified.push_back(trf("Address: {address}", {{"address", text(v, "domain")}}));
    if (!text(v, "account_id").empty()) t.verified.push_back(trf("Account ID: {id}", {{"id", text(v, "account_id")}}));
    const std::string granted = join(at(v, "granted_scopes"));
    const std::string missing = join(at(j, "missing_scopes"));
    if (!granted.empty()) t.verified.push_back(trf("Permissions granted: {scopes}", {{"scopes", granted}}));
    // Optional permissions not granted: the connection works, the import
    // leaves out what each enables, and granting it adds that back.
    const json& limited = at(v, "limited");
    if (limited.is_array())
        for (const json& l : limited)
            t.verified.push_back(trf("Without {label}, {feature} (grant {scope} to add it)",
                                     {{"label", text(l, "label")}, {"feature", tr_catalog(text(l, "feature"))},
                                      {"scope", text(l, "scope")}}));
    if (t.ok) return t;
    t.message = text(j, "message");
    if (t.message.empty()) t.message = reply_message(r);
    const std::string step = text(j, "step");
    if (!step.empty()) t.detail = trf("Failed while: {step}", {{"step", step}});
    if (!missing.empty()) t.detail += (t.detail.empty() ? "" : "\n") + trf("Missing permissions: {scopes}", {{"scopes", missing}});
    const std::string said = text(j, "platform_message");
    const long status = number(j, "platform_status", 0);
    if (!said.empty() || status)
        t.detail += (t.detail.empty() ? "" : "\n") + std::string(tr("The platform said: ")) +
                    (status ? "HTTP " + std::to_string(status) + " " : "") + said;
    return t;
}

void read_sync(const HttpReply& r, SyncView* v) {
    if (r.status == 404 || r.status == 405) {
        v->unavailable = true;
        return;
    }
    if (!reply_ok(r)) {
        v->error = reply_message(r);
        return;
    }
    json j = data_of(r);
    // The run itself, or an object holding the newest run.
    for (const char* key : {"current", "run"})
        if (at(j, key).is_object()) {
            j = at(j, key);
            break;
        }
    v->state = text(j, "state");
    if (v->state.empty()) v->state = text(j, "status");
    v->created = number(j, "created", 0);
    v->updated = number(j, "updated", 0);
    v->failed = number(j, "failed", 0);
    v->pages = number(j, "pages", 0);
    v->total = number(j, "total", -1);
    v->percent = static_cast<int>(number(j, "percent", -1));
    const json& errors = at(j, "errors");
    if (errors.is_array() && !errors.empty()) {
        const json& e = errors.back();
        v->error = e.is_string() ? e.get<std::string>() : text(e, "message");
    }
}

// A platform step in the client's words: the edge's steps also serve
// operators and name API calls in parentheses ("(PUT .../webhooks/secret)"),
// which are not the client's to make; the wizard's own buttons do them.
static std::string plain_step(std::string step) {
    for (size_t open = step.find(" (PUT"); open != std::string::npos; open = step.find(" (PUT")) {
        const size_t close = step.find(')', open);
        step.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
    }
    return step;
}

std::string secret_body(const WebhooksView& v) {
    return v.can_generate_secret ? "{}" : dump(json{{"secret", v.pasted}});
}

void read_webhook(const HttpReply& r, WebhooksView* v) {
    const json j = parse(r);
    if (!reply_ok(r)) {
        v->error = reply_message(r);
        // The pasted secret's own message: in the client's language where
        // the edge sent its code (error_codes), else the edge's English.
        const auto coded = onramp::validation::read_error_codes(j);
        const auto it = coded.find("secret");
        v->secret_error = it != coded.end() ? validation_text(it->second) : text(at(j, "errors"), "secret");
        return;
    }
    if (!text(j, "url").empty()) v->url = text(j, "url");
    v->secret = text(j, "secret");
    v->secret_configured = flag(j, "secret_configured");
    // An edge that does not say generates it, as edges always did.
    v->can_generate_secret = !at(j, "can_generate_secret").is_boolean() || flag(j, "can_generate_secret");
    v->secret_error.clear();
    v->can_register = flag(j, "can_register");
    const json& registered = at(j, "registered");
    v->registered = registered.is_array() && !registered.empty();
    const json& automatic = at(j, "registration");
    const std::string state = text(automatic, "state");
    v->refused = state == "failed";
    // The edge's texts in the client's language, by their templates
    // (tr_edge): the public URL is the hook URL's beginning.
    const std::string& platform = v->connection.platform;
    const std::string public_url = v->url.substr(0, v->url.rfind("/webhooks/"));
    const std::string reason = text(automatic, "reason");
    v->waiting_reason = state == "pending" || state == "failed"
                            ? tr_edge(reason, {{"public_url", public_url}, {"platform", platform}})
                            : "";
    v->steps.clear();
    const json& steps = at(j, "steps");
    // Only the steps of a platform the edge registers with name the platform
    // ("Onramp creates the hooks on shopify ..."); elsewhere its id may be
    // part of an address in a step (api.telegram.org).
    const std::string named = v->can_register ? platform : "";
    if (steps.is_array())
        for (const json& s : steps)
            if (s.is_string())
                v->steps.push_back(plain_step(
                    tr_edge(s.get<std::string>(), {{"url", v->url}, {"public_url", public_url}, {"platform", named}})));
    v->error.clear();
}

static DocumentRow document_row(const json& d) {
    return {text(d, "document_id"), text(d, "filename"), text(d, "ingestion_status"),
            text(d, "error_message")};
}

std::vector<DocumentRow> read_documents(const HttpReply& r) {
    std::vector<DocumentRow> out;
    const json d = data_of(r);
    const json& items = at(d, "documents");
    if (!reply_ok(r) || !items.is_array()) return out;
    for (const json& d : items) out.push_back(document_row(d));
    return out;
}

DocumentRow read_document(const HttpReply& r) { return document_row(data_of(r)); }

std::vector<Invitee> read_invitees(const HttpReply& r) {
    std::vector<Invitee> out;
    const json d = data_of(r);
    const json& items = at(d, "invited_users");
    if (!reply_ok(r) || !items.is_array()) return out;
    for (const json& i : items) out.push_back({text(i, "email"), text(i, "role"), text(i, "status")});
    return out;
}

std::string read_invite_link(const HttpReply& r) { return text(data_of(r), "invite_url"); }

void read_verify(const HttpReply& r, VerifyView* v) {
    if (!reply_ok(r)) {
        v->error = reply_message(r);
        return;
    }
    const json d = data_of(r);
    const json& checks = at(d, "checks");
    const char* names[4] = {"company_basics", "call_tracking", "documents", "team_members"};
    for (int i = 0; i < 4; ++i) v->checks[i] = flag(checks, names[i]);
    v->completed = flag(d, "onboarding_completed");
    v->errors.clear();
    const json& errors = at(d, "errors");
    if (errors.is_array())
        for (const json& e : errors)
            if (e.is_string()) v->errors.push_back(e.get<std::string>());
    v->notes.clear();
    const json& notes = at(d, "notes");
    if (notes.is_array())
        for (const json& n : notes)
            if (n.is_string()) v->notes.push_back(n.get<std::string>());
    v->has_result = true;
    v->error.clear();
}

std::map<std::string, std::map<std::string, std::string>> read_demo_credentials(const HttpReply& r) {
    std::map<std::string, std::map<std::string, std::string>> out;
    const json j = parse(r);
    if (!reply_ok(r) || !j.is_object()) return out;
    for (auto p = j.begin(); p != j.end(); ++p) {
        if (!p->is_object()) continue;
        for (auto f = p->begin(); f != p->end(); ++f)
            if (f->is_string()) out[p.key()][f.key()] = f->get<std::string>();
    }
    return out;
}

std::string read_oauth_start(const HttpReply& r) {
    return reply_ok(r) ? text(parse(r), "authorization_url") : std::string();
}

bool read_oauth_result(const std::string& message, ConnectionRow* row, std::string* error, OAuthChoice* choice) {
    const json j = json::parse(message, nullptr, false);
    if (flag(j, "success") && !text(j, "connection_id").empty()) {
        *row = {text(j, "connection_id"), text(j, "platform"), "", "active"};
        return true;
    }
    *choice = OAuthChoice{};
    const json& choose = at(j, "choose");
    const json& options = at(choose, "options");
    if (!text(choose, "field").empty() && options.is_array()) {
        choice->field = text(choose, "field");
        for (const json& o : options) choice->options.emplace_back(text(o, "value"), text(o, "label"));
    }
    *error = text(j, "message");
    if (error->empty()) *error = tr("The sign-in did not finish.");
    return false;
}

std::string reply_message(const HttpReply& r) {
    // A FastAPI-style error: {"detail": {"message": ...}} or {"detail": "..."};
    // otherwise the problem+json detail.
    const json j = parse(r);
    const json& detail = at(j, "detail");
    if (detail.is_object() && !text(detail, "message").empty()) return text(detail, "message");
    return problem_text(reply_problem(r));
}
