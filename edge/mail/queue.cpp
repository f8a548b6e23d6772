// The outgoing-mail queue (queue.h).
#include "edge/mail/queue.h"

#include <nlohmann/json.hpp>

#include "edge/branding/settings.h"
#include "edge/crypto/aead.h"
#include "edge/mail/sender.h"
#include "edge/store/accounts.h"
#include "edge/store/connections.h"
#include "shared/json.h"

namespace onramp::mail {

bool enabled(const App& app) { return !app.config.smtp_url.empty(); }

Result<int64_t> enqueue(App& app, store::Db& db, const Message& m) {
    if (!enabled(app)) {
        Problem p = conflict("This server sends no e-mail: it was started without --smtp-url.", "mail_disabled");
        return p;
    }
    if (!valid_address(m.to)) return unprocessable({{"to", "must be one e-mail address"}}, "Not an e-mail address.");
    std::string message_id = new_message_id(app.config.mail_from);
    std::string bodies = dump_json({{"text", m.text}, {"html", m.html}});
    std::string sealed = app.vault->seal(message_id, bodies);
    crypto::wipe(bodies);
    int64_t now = app.now();
    store::Stmt st(db,
                   "INSERT INTO mail_messages (org_id, recipient, subject, kind, message_id, sealed_body, state,"
                   " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)");
    st.bind(1, m.org_id).bind(2, m.to).bind(3, m.subject).bind(4, m.kind).bind(5, message_id);
    st.bind_blob(6, sealed).bind(7, now).bind(8, now);
    st.run();
    return db.last_insert_rowid();
}

Result<int64_t> enqueue(App& app, const Message& m) {
    Result<int64_t> id = [&] {
        auto db = app.store->lease();
        return enqueue(app, *db, m);
    }();
    if (id) wake(app);
    return id;
}

void wake(App& app) {
    if (app.mail) app.mail->wake();
}

Brand brand_of(store::Db& db, const std::string& org_id) {
    branding::Branding b = branding::resolved(db, org_id);
    return {b.name, b.accent};
}

int alert_managers(App& app, AlertKind kind, const std::string& connection_id, const std::string& detail) {
    if (!enabled(app)) return 0;
    Alert alert;
    alert.kind = kind;
    alert.detail = detail;
    std::vector<store::Member> managers;
    {
        auto db = app.store->lease();
        auto conn = store::find_connection_any_org(*db, connection_id);
        if (!conn) return 0;
        auto org = store::find_org(*db, conn->org_id);
        if (!org) return 0;
        alert.org_id = org->id;
        alert.org_name = org->name;
        alert.connection_name = conn->name;
        alert.platform = conn->platform;
        alert.brand = brand_of(*db, org->id);
        for (store::Member& m : store::members_of(*db, org->id))
            if (m.role == "manager") managers.push_back(std::move(m));
    }
    alert.console_url = app.config.public_url;
    int queued = 0;
    {
        auto db = app.store->lease();
        store::Tx tx(*db);
        for (const store::Member& m : managers) {
            alert.to = m.email;
            if (enqueue(app, *db, mail::alert(alert))) ++queued;
        }
        tx.commit();
    }
    if (queued) wake(app);
    return queued;
}

std::vector<Queued> list(store::Db& db, const std::string& state, int limit) {
    store::Stmt st(db,
                   "SELECT id, recipient, subject, kind, state, org_id, last_error, attempts, created_at,"
                   " next_attempt_at, sent_at FROM mail_messages WHERE ?1 = '' OR state = ?1"
                   " ORDER BY id DESC LIMIT ?2");
    st.bind(1, state).bind(2, limit);
    std::vector<Queued> out;
    while (st.step()) {
        Queued q;
        q.id = st.i64(0);
        q.to = st.text(1);
        q.subject = st.text(2);
        q.kind = st.text(3);
        q.state = st.text(4);
        q.org_id = st.opt_text(5);
        q.last_error = st.opt_text(6);
        q.attempts = int(st.i64(7));
        q.created_at = st.i64(8);
        if (!st.is_null(9)) q.next_attempt_at = st.i64(9);
        if (!st.is_null(10)) q.sent_at = st.i64(10);
        out.push_back(std::move(q));
    }
    return out;
}

}  // namespace onramp::mail
