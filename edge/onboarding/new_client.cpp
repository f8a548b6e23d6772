#include "edge/onboarding/new_client.h"

#include "edge/audit.h"
#include "edge/auth/passwords.h"

namespace onramp::onboarding {

namespace {

Problem email_taken(const std::string& email) {
    return conflict(email + " already has an account. Use another address, or add that person to the "
                            "organization after it is created.",
                    "email_taken");
}

// Undoes the org and the user made for a client whose connection could
// not be stored after all. Memberships, connections and vault rows go with
// the org (ON DELETE CASCADE).
void remove_client(App& app, const ClientCreated& c, const auth::Principal* who, const http::Request* req) {
    auto db = app.store->lease();
    store::Tx tx(*db);
    if (c.user) db->write("DELETE FROM users WHERE id = ?", c.user->id);
    db->write("DELETE FROM orgs WHERE id = ?", c.org.id);
    audit(*db, app.now(), who, req,
          {"org.deleted", c.org.id, "org", c.org.id, {{"reason", "the connection could not be stored"}}});
    tx.commit();
}

}  // namespace

Result<ClientOutcome> create_client(App& app, const NewClient& nc, const auth::Principal* who,
                                    const http::Request* req) {
    if (!connections::valid_frequency(nc.connection.sync_frequency))
        return unprocessable({{"sync_frequency", "Choose manual, hourly, daily or weekly."}});
    if (nc.user_email) {
        auto db = app.store->lease();
        if (store::find_user_by_email(*db, *nc.user_email)) return email_taken(*nc.user_email);
    }
    ClientOutcome out;
    auto tested = connections::test_only(app, nc.connection.platform, nc.connection.credentials);
    if (!tested) return tested.problem();
    if (!tested->ok()) {
        out.failed_step = "connection_test";
        out.test = *tested;
        auto db = app.store->lease();
        audit(*db, app.now(), who, req,
              {"connection.test_failed", "", "connector", nc.connection.platform,
               {{"platform", nc.connection.platform},
                {"success", false},
                {"step", tested->failure->step},
                {"cause", std::string(connectors::to_string(tested->failure->cause))}}});
        return out;
    }

    // Hashed before the transaction: scrypt takes a tenth of a second and
    // the write lock should not be held that long.
    std::optional<std::string> hash;
    if (nc.password) hash = auth::hash_password(*nc.password, app.scrypt_log2_n);
    ClientCreated made;
    {
        auto db = app.store->lease();
        store::Tx tx(*db);
        made.org = store::insert_org(*db, nc.org_name, nc.tier, app.now());
        audit(*db, app.now(), who, req, {"org.created", made.org.id, "org", made.org.id, {{"name", nc.org_name}}});
        if (nc.user_email) {
            made.user = store::insert_user(*db, *nc.user_email, nc.user_full_name, hash, false, app.now());
            if (!made.user) return email_taken(*nc.user_email);  // taken a moment ago; rolled back
            store::add_member(*db, made.org.id, made.user->id, "manager", app.now());
            audit(*db, app.now(), who, req, {"member.added", made.org.id, "user", made.user->id, {{"role", "manager"}}});
        }
        if (nc.in_org_tx) {
            Status s = nc.in_org_tx(*db, made.org, made.user);
            if (!s) return s.problem();
        }
        tx.commit();
    }

    connections::Draft draft = nc.connection;
    draft.org_id = made.org.id;
    auto saved = connections::create(app, draft, who, req);
    if (!saved || !saved->connection) {
        remove_client(app, made, who, req);
        if (!saved) return saved.problem();
        out.failed_step = "connection_test";
        out.test = saved->test;
        return out;
    }
    made.saved = *saved;
    out.test = saved->test;
    out.created = std::move(made);
    return out;
}

}  // namespace onramp::onboarding
