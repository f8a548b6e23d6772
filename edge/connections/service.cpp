#include "edge/connections/service.h"

#include "edge/api/views.h"
#include "edge/audit.h"
#include "edge/connections/contexts.h"
#include "edge/connections/credentials.h"
#include "edge/crypto/random.h"
#include "edge/events/events.h"
#include "edge/mail/queue.h"
#include "edge/sync/engine.h"
#include "edge/webhooks/automatic.h"
#include "shared/validation/validate.h"

namespace onramp::connections {

using nlohmann::json;

namespace {

struct Checked {
    const connectors::Connector* entry = nullptr;
    const connectors::Platform* platform = nullptr;
    connectors::Credentials values;
};

Result<Checked> check(const std::string& platform_id, const json& credentials) {
    Checked c;
    c.entry = connectors::find_connector(platform_id);
    c.platform = connectors::find_platform(platform_id);
    if (!c.entry || !c.platform)
        return not_found("No connector named '" + platform_id.substr(0, 64) + "'. GET /api/v1/connectors lists them.");
    if (!credentials.is_object())
        return unprocessable({{"credentials", "Send the credentials as an object of field names and values."}});
    validation::Validation v = validation::validate_credentials(*c.entry, credentials);
    if (!v.ok()) return validation::invalid_fields(v.messages, "Some credentials are missing or invalid.");
    c.values = std::move(v.values);
    return c;
}

// Security: a URL a client typed that resolves into a private network is a
// wrong request (422), not a platform's answer.
std::optional<Problem> refused_address(const connectors::TestOutcome& t) {
    if (t.ok() || t.failure->cause != connectors::Cause::address_refused) return std::nullopt;
    std::string field = t.failure->field.empty() ? "credentials" : t.failure->field;
    return unprocessable({{field, t.failure->message}}, t.failure->message);
}

json test_detail(const std::string& platform, const connectors::TestOutcome& t) {
    json d = {{"platform", platform}, {"success", t.ok()}};
    if (!t.ok()) {
        d["step"] = t.failure->step;
        d["cause"] = std::string(connectors::to_string(t.failure->cause));
    }
    return d;
}

void record_test(store::Connection& row, const connectors::TestOutcome& t, int64_t now) {
    row.last_test_at = now;
    row.last_test_ok = t.ok();
    if (t.ok()) {
        row.verified = verified_json(t.verified);
        row.status = "active";
        row.last_error.reset();
    } else {
        row.status = "error";
        row.last_error = t.failure->message;
    }
    row.updated_at = now;
}

// Disconnecting gives the credentials up where the platform allows it, so
// a copy left anywhere (a log on the client's side, a leaked backup) stops
// working. Best effort: a refusal is audited and the deletion goes on.
// Credentials the platform has no way to give up are not audited.
void revoke_at_platform(App& app, const store::Connection& row, const auth::Principal* who,
                        const http::Request* req) {
    const connectors::Platform* platform = connectors::find_platform(row.platform);
    if (!platform) return;
    connectors::Credentials creds;
    {
        auto db = app.store->lease();
        auto loaded = load_credentials(*app.vault, *db, row, platform->entry());
        if (!loaded) {
            // Without the secrets, the settings tell whether there was anything to give up.
            if (platform->can_revoke(settings_of(row)))
                audit(*db, app.now(), who, req,
                      {"credential.revoke_failed", row.org_id, "connection", row.id,
                       {{"platform", row.platform}, {"reason", loaded.problem().detail}}});
            return;
        }
        creds = std::move(*loaded);
    }
    if (!platform->can_revoke(creds)) return;
    connectors::CallContext ctx = app.contexts->for_connection(row.id, platform->entry());
    std::optional<connectors::Failure> refused = platform->revoke(creds, ctx);
    json detail = {{"platform", row.platform}};
    if (refused) {
        detail["step"] = refused->step;
        detail["cause"] = std::string(connectors::to_string(refused->cause));
        detail["reason"] = refused->message;
    }
    auto db = app.store->lease();
    audit(*db, app.now(), who, req,
          {refused ? "credential.revoke_failed" : "credential.revoked", row.org_id, "connection", row.id, detail});
}

}  // namespace

bool valid_frequency(const std::string& f) {
    return f == "manual" || f == "hourly" || f == "daily" || f == "weekly";
}

Result<connectors::TestOutcome> test_only(App& app, const std::string& platform, const json& credentials) {
    auto checked = check(platform, credentials);
    if (!checked) return checked.problem();
    connectors::CallContext ctx = app.contexts->one_off();
    connectors::TestOutcome t = checked->platform->test(checked->values, ctx);
    if (auto p = refused_address(t)) return *p;
    return t;
}

Result<Saved> create(App& app, const Draft& d, const auth::Principal* who, const http::Request* req) {
    if (!valid_frequency(d.sync_frequency))
        return unprocessable({{"sync_frequency", "Choose manual, hourly, daily or weekly."}});
    auto checked = check(d.platform, d.credentials);
    if (!checked) return checked.problem();
    std::string name = d.name.empty() ? std::string(checked->entry->name) : d.name;
    if (name.size() > 200) return unprocessable({{"name", "Use at most 200 characters."}});

    Saved out;
    connectors::CallContext ctx = app.contexts->one_off();
    out.test = checked->platform->test(checked->values, ctx);
    if (auto p = refused_address(out.test)) return *p;
    auto db = app.store->lease();
    if (!out.test.ok()) {
        audit(*db, app.now(), who, req,
              {"connection.test_failed", d.org_id, "connector", d.platform, test_detail(d.platform, out.test)});
        return out;
    }

    store::Connection row;
    row.id = crypto::random_id("con");
    row.org_id = d.org_id;
    row.user_id = d.user_id;
    row.platform = d.platform;
    row.name = name;
    row.sync_frequency = d.sync_frequency;
    row.created_by = who ? std::optional<std::string>(who->user_id) : std::nullopt;
    row.created_at = app.now();
    record_test(row, out.test, app.now());
    {
        store::Tx tx(*db);
        store::insert_connection(*db, row);
        Status s = store_credentials(*app.vault, *db, row, *checked->entry, checked->values);
        if (!s) return s.problem();
        store::update_connection(*db, row);
        audit(*db, app.now(), who, req,
              {"connection.created", d.org_id, "connection", row.id, test_detail(d.platform, out.test)});
        events::emit(*db, app.now(), "connection.created", d.org_id,
                     {{"connection_id", row.id}, {"platform", row.platform}, {"name", row.name}});
        tx.commit();
    }
    out.connection = row;
    if (d.perform_initial_sync) {
        auto run = sync::enqueue_run(app, row, "initial");
        if (run) {
            out.sync_run_id = run->id;
            if (app.sync) app.sync->wake();
        }
    }
    out.webhooks = webhooks::to_json(webhooks::register_automatically(app, row, who, req));
    return out;
}

Result<Saved> rotate(App& app, const store::Connection& current, const json& credentials,
                     const auth::Principal* who, const http::Request* req) {
    auto checked = check(current.platform, credentials);
    if (!checked) return checked.problem();
    Saved out;
    connectors::CallContext ctx = app.contexts->one_off();
    out.test = checked->platform->test(checked->values, ctx);
    if (auto p = refused_address(out.test)) return *p;
    auto db = app.store->lease();
    if (!out.test.ok()) {
        // The old credentials stay: a typo must not break a working connection.
        audit(*db, app.now(), who, req,
              {"credential.rotation_failed", current.org_id, "connection", current.id,
               test_detail(current.platform, out.test)});
        return out;
    }
    store::Connection row = current;
    record_test(row, out.test, app.now());
    store::Tx tx(*db);
    Status s = replace_credentials(*app.vault, *db, row, *checked->entry, checked->values);
    if (!s) return s.problem();
    store::update_connection(*db, row);
    audit(*db, app.now(), who, req,
          {"credential.rotated", current.org_id, "connection", current.id, test_detail(current.platform, out.test)});
    tx.commit();
    // A new token cache: the old access token belongs to the old credentials.
    app.contexts->forget(current.id);
    out.connection = row;
    // New credentials may reach a store that lacks the hooks; where they
    // exist they are updated in place, never doubled.
    out.webhooks = webhooks::to_json(webhooks::register_automatically(app, row, who, req));
    return out;
}

Result<connectors::TestOutcome> retest(App& app, const store::Connection& current, const auth::Principal* who,
                                       const http::Request* req) {
    const connectors::Platform* platform = connectors::find_platform(current.platform);
    if (!platform) return not_found("This connection's platform is no longer available.");
    connectors::Credentials creds;
    {
        auto db = app.store->lease();
        auto loaded = load_credentials(*app.vault, *db, current, platform->entry());
        if (!loaded) return loaded.problem();
        creds = std::move(*loaded);
    }
    connectors::CallContext ctx = app.contexts->for_connection(current.id, platform->entry());
    connectors::TestOutcome t = platform->test(creds, ctx);
    auto db = app.store->lease();
    store::Tx tx(*db);
    auto row = store::find_connection(*db, current.org_id, current.id);
    if (!row) return not_found("The connection was removed.");
    record_test(*row, t, app.now());
    store::update_connection(*db, *row);
    audit(*db, app.now(), who, req,
          {"connection.tested", current.org_id, "connection", current.id, test_detail(current.platform, t)});
    // A stored connection that stops working; refused new credentials are
    // bad input (422) and leave no event.
    if (!t.ok())
        events::emit(*db, app.now(), "connection.failed", current.org_id,
                     {{"connection_id", current.id}, {"test", test_detail(current.platform, t)}});
    tx.commit();
    // Managers hear of credentials that worked and now are refused, once:
    // a connection already failing its tests does not alert again.
    if (!t.ok() && t.failure->cause == connectors::Cause::credential_rejected && current.last_test_ok.value_or(true))
        mail::alert_managers(app, mail::AlertKind::credentials_rejected, current.id, t.failure->message);
    return t;
}

bool remove(App& app, const std::string& org_id, const std::string& id, const auth::Principal* who,
            const http::Request* req) {
    std::optional<store::Connection> found;
    {
        auto db = app.store->lease();
        found = store::find_connection(*db, org_id, id);
    }
    if (!found) return false;
    // While the credentials are still in the vault; the hooks go first,
    // since Shopify's revocation ends the token that deletes them.
    webhooks::unregister_before_delete(app, *found, who, req);
    revoke_at_platform(app, *found, who, req);

    auto db = app.store->lease();
    store::Tx tx(*db);
    auto row = store::find_connection(*db, org_id, id);
    if (!row) return false;
    // Synced records, variants and runs go with the row (ON DELETE CASCADE);
    // the vault is keyed by org and connection, not a foreign key.
    int secrets = app.vault->remove(*db, org_id, id);
    store::delete_connection(*db, org_id, id);
    audit(*db, app.now(), who, req,
          {"connection.deleted", org_id, "connection", id, {{"platform", row->platform}, {"secrets_removed", secrets}}});
    tx.commit();
    app.contexts->forget(id);
    return true;
}

json verified_json(const connectors::Verified& v) {
    return {{"account_name", v.account_name},       {"domain", v.domain},
            {"account_id", v.account_id},           {"granted_scopes", v.granted_scopes},
            {"required_scopes", v.required_scopes}, {"missing_scopes", v.missing_scopes},
            {"limited", v.limited},                 {"details", v.details}};
}

json failure_json(const connectors::Failure& f) {
    return {{"step", f.step},
            {"cause", std::string(connectors::to_string(f.cause))},
            {"message", f.message},
            {"platform_message", f.platform_message},
            {"platform_status", f.http_status ? json(f.http_status) : json(nullptr)},
            {"missing_scopes", f.missing_scopes},
            {"retry_after", f.retry_after_s ? json(f.retry_after_s) : json(nullptr)}};
}

json test_json(const std::string& platform, const connectors::TestOutcome& t) {
    json out = {{"success", t.ok()}, {"platform", platform}, {"verified", verified_json(t.verified)}};
    if (!t.ok()) out.update(failure_json(*t.failure));
    return out;
}

json connection_json(const store::Connection& c) {
    json credentials = c.config;
    credentials.update(c.masked);
    return {{"id", c.id},
            {"org_id", c.org_id},
            {"user_id", c.user_id ? json(*c.user_id) : json(nullptr)},
            {"platform", c.platform},
            {"name", c.name},
            {"status", c.status},
            {"sync_frequency", c.sync_frequency},
            {"credentials", credentials},
            {"verified", c.verified},
            {"created_at", api::iso8601(c.created_at)},
            {"updated_at", api::iso8601(c.updated_at)},
            {"health",
             {{"last_test_at", api::iso8601_or_null(c.last_test_at)},
              {"last_test_ok", c.last_test_ok ? json(*c.last_test_ok) : json(nullptr)},
              {"last_sync_at", api::iso8601_or_null(c.last_sync_at)},
              {"last_error", c.last_error ? json(*c.last_error) : json(nullptr)}}}};
}

}  // namespace onramp::connections
