// POST /api/onboarding/bigcommerce: the one-call onboarding of a
// BigCommerce client, for operators. In order, each a `step` of the error
// body:
//
//   validation             the body's fields                        422
//   connection_test        the store's credentials (nothing stored)  422
//   organization_creation  the org, and with it
//   user_creation          the invitation for user_email (optional)
//   initial_sync           queued when perform_initial_sync (default true)
//
// Success is 201 with the body clients of this endpoint expect: success,
// organization, user, connection_test, initial_sync, next_steps; plus
// connection and webhook. Errors are problem+json whose extension members
// are {success: false, error, details, step}.
//
// Choices (README, "One-call BigCommerce onboarding"): the caller must be
// an operator (an open endpoint would let anyone create organizations);
// the user is invited, not created — the account exists once they accept
// the link and choose a password, so `user.id` is null until then and
// `user.invitation` carries the link; the sync runs on the engine's
// workers, and the answer waits for it up to Config::onboarding_sync_wait_s
// (sleeping on the engine's notification, not polling), then reports its
// counts, or that it is still running and where to follow it;
// `enable_ai_labeling` is accepted and ignored (Onramp has no labeling).
#include <nlohmann/json.hpp>

#include <chrono>

#include "edge/api/routes.h"
#include "edge/api/step_failure.h"
#include "edge/api/views.h"
#include "edge/onboarding/invitations.h"
#include "edge/onboarding/new_client.h"
#include "edge/sync/engine.h"
#include "shared/validation/fields.h"

namespace onramp::api {

using http::Access;
using http::Body;
using http::Call;
using http::Response;
using nlohmann::json;

namespace {

// The initial sync's run once it finished or the wait is over. Without an
// engine (a process that runs no workers) there is nothing to wait for.
std::optional<sync::Run> initial_run(App& app, const std::string& run_id) {
    if (app.sync && app.config.onboarding_sync_wait_s > 0)
        return app.sync->wait_finished(run_id, std::chrono::seconds(app.config.onboarding_sync_wait_s));
    auto db = app.store->lease();
    return sync::find_run(*db, run_id);
}

std::string sync_summary(const sync::Run& run) {
    std::string counts = "Created: " + std::to_string(run.created) + ", Updated: " + std::to_string(run.updated) +
                         ", Failed: " + std::to_string(run.failed);
    if (run.state == "succeeded") return "Imported. " + counts;
    if (run.state == "failed") return "The import failed; see errors. " + counts + " before it stopped";
    return "Still " + run.state + ": the import goes on in the background; follow it at status_url. " + counts +
           " so far";
}

json initial_sync_json(App& app, const store::Connection& conn, const std::optional<std::string>& run_id) {
    if (!run_id) return nullptr;
    std::optional<sync::Run> run = initial_run(app, *run_id);
    if (!run) return nullptr;
    bool finished = run->state == "succeeded" || run->state == "failed";
    return {{"success", run->state != "failed"},
            {"queued", run->state == "queued"},
            {"finished", finished},
            {"run_id", run->id},
            {"state", run->state},
            {"results", {{"created", run->created}, {"updated", run->updated}, {"failed", run->failed},
                         {"errors", run->errors}}},
            {"summary", sync_summary(*run)},
            {"items_synced", run->created + run->updated},
            {"status_url", "/api/v1/orgs/" + conn.org_id + "/connections/" + conn.id + "/sync"}};
}

json webhook_json(const App& app, const store::Connection& conn) {
    return {{"url", app.config.public_url + "/api/webhooks/bigcommerce"},
            {"org_id", conn.org_id},
            {"connection_url", app.config.public_url + "/webhooks/bigcommerce/" + conn.id},
            {"secret_endpoint", "/api/v1/orgs/" + conn.org_id + "/connections/" + conn.id + "/webhooks/secret"}};
}

json next_steps(const App& app, const store::Connection& conn, const std::optional<onboarding::Issued>& invited) {
    json steps = json::array();
    steps.push_back("Set up webhook in BigCommerce: destination " + app.config.public_url +
                    "/api/webhooks/bigcommerce with \"org_id\": \"" + conn.org_id +
                    "\" in the payload (or " + app.config.public_url + "/webhooks/bigcommerce/" + conn.id +
                    ", which needs no org_id)");
    steps.push_back("Configure the webhook secret: PUT /api/v1/orgs/" + conn.org_id + "/connections/" + conn.id +
                    "/webhooks/secret, then give BigCommerce the same secret");
    if (invited)
        steps.push_back("Send " + invited->invitation.email + " the invitation link (valid until " +
                        iso8601(invited->invitation.expires_at) +
                        "); once they choose a password they can sign in and access the dashboard");
    else
        steps.push_back("Invite the client's users: POST /api/v1/orgs/" + conn.org_id + "/members");
    return steps;
}

Result<Response> onboard(App& app, const Call& c) {
    auto body = http::parse_json_object(c.req);
    if (!body) return step_failure(body.problem(), "validation");
    Fields f(*body);
    onboarding::NewClient nc;
    nc.org_name = f.text("organization_name", 200);
    nc.tier = f.opt_choice("subscription_tier", {"starter", "growth", "enterprise"}).value_or("growth");
    auto email = f.opt_text("user_email", 254);
    auto full_name = f.opt_text("user_full_name", 200);
    if (email && !looks_like_email(*email)) f.fail("user_email", "is not an e-mail address");
    std::string store_hash = f.text("bigcommerce_store_hash", 200);
    std::string token = f.text("bigcommerce_access_token", 4096);
    auto client_id = f.opt_text("bigcommerce_client_id", 4096);
    f.opt_bool("enable_ai_labeling");
    nc.connection.perform_initial_sync = f.opt_bool("perform_initial_sync").value_or(true);
    nc.connection.sync_frequency = f.opt_choice("sync_frequency", {"manual", "hourly", "daily", "weekly"}).value_or("daily");
    nc.connection.name = f.opt_text("connection_name", 200).value_or("");
    if (!f.ok()) return step_failure(f.problem(), "validation", "Invalid onboarding request");
    nc.connection.platform = "bigcommerce";
    nc.connection.credentials = {{"store_hash", store_hash}, {"access_token", token}};
    if (client_id) nc.connection.credentials["client_id"] = *client_id;

    std::optional<onboarding::Issued> invited;
    if (email) {
        nc.in_org_tx = [&](store::Db& db, const store::Org& org, const std::optional<store::User>&) -> Status {
            onboarding::NewInvitation n;
            n.org_id = org.id;
            n.email = *email;
            n.role = "manager";
            n.invited_by = c.who->user_id;
            auto issued = onboarding::invite(db, n, app.now());
            if (!issued) return issued.problem();
            invited = *issued;
            return ok_status();
        };
    }
    auto made = onboarding::create_client(app, nc, c.who, &c.req);
    if (!made) {
        // The validator names the credential fields; this endpoint's body names them with a prefix.
        Problem p = made.problem();
        std::map<std::string, std::string> renamed;
        for (const auto& [k, v] : p.errors) renamed[k == "credentials" ? k : "bigcommerce_" + k] = v;
        p.errors = renamed;
        if (p.error_code == "already_member") return step_failure(p, "user_creation", "User invitation failed");
        return step_failure(p, p.status == 422 ? "validation" : "organization_creation", "Onboarding failed");
    }
    if (!made->created) return test_refused("bigcommerce", made->test, "connection_test", "BigCommerce connection test failed");

    const onboarding::ClientCreated& cc = *made->created;
    const store::Connection& conn = *cc.saved.connection;
    json user = nullptr;
    if (invited)
        user = {{"id", nullptr},
                {"email", invited->invitation.email},
                {"full_name", full_name.value_or("")},
                {"status", "invited"},
                {"invitation",
                 {{"id", invited->invitation.id},
                  {"accept_url", onboarding::accept_url(app.config.public_url, invited->token)},
                  {"expires_at", iso8601(invited->invitation.expires_at)}}}};
    json out = {{"success", true},
                {"organization", org_json(cc.org)},
                {"user", user},
                {"connection_test",
                 {{"success", true},
                  {"store_name", cc.saved.test.verified.account_name},
                  {"store_domain", cc.saved.test.verified.domain},
                  {"limited", cc.saved.test.verified.limited}}},
                {"initial_sync", initial_sync_json(app, conn, cc.saved.sync_run_id)},
                {"connection", connections::connection_json(conn)},
                {"webhook", webhook_json(app, conn)},
                {"next_steps", next_steps(app, conn, invited)}};
    Response r = Response::json(out, 201);
    r.set_header("Location", "/api/v1/orgs/" + cc.org.id);
    return r;
}

}  // namespace

void add_onboarding_bigcommerce_routes(http::Router& r, App& app) {
    r.add({"POST", "/api/onboarding/bigcommerce", Access::Operator, Body::Json, with_app(app, onboard)});
}

}  // namespace onramp::api
