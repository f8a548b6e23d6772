#include "edge/onboarding/progress.h"

#include "edge/crypto/random.h"
#include "edge/documents/store.h"
#include "edge/events/events.h"
#include "shared/json.h"

namespace onramp::onboarding {

using nlohmann::json;
using store::Db;
using store::Stmt;

namespace {

int count(Db& db, const std::string& sql, const std::string& org_id) {
    Stmt st(db, sql);
    st.bind(1, org_id);
    return st.step() ? int(st.i64(0)) : 0;
}

// Makes sure the org has a row, so the updates below always find one.
void ensure_row(Db& db, const std::string& org_id, int64_t now) {
    db.write("INSERT OR IGNORE INTO onboarding (org_id, updated_at) VALUES (?, ?)", org_id, now);
}

bool has_value(const std::optional<std::string>& s) { return s && !s->empty(); }

}  // namespace

Record load(Db& db, const std::string& org_id) {
    Record r;
    r.org_id = org_id;
    Stmt st(db,
            "SELECT company_name, company_phone, company_email, company_domain, company_address, industry, timezone,"
            " team_size, admin_name, admin_email, call_provider, primary_tracking_number, goals_json,"
            " company_basics_at, call_tracking_at, goals_at, completed_at FROM onboarding WHERE org_id = ?");
    st.bind(1, org_id);
    if (!st.step()) return r;
    CompanyBasics& b = r.basics;
    b.company_name = st.opt_text(0).value_or("");
    b.company_phone = st.opt_text(1);
    b.company_email = st.opt_text(2);
    b.company_domain = st.opt_text(3);
    b.company_address = st.opt_text(4);
    b.industry = st.opt_text(5);
    b.timezone = st.opt_text(6);
    b.team_size = st.opt_i64(7);
    b.admin_name = st.opt_text(8);
    b.admin_email = st.opt_text(9);
    r.call_provider = st.opt_text(10);
    r.primary_tracking_number = st.opt_text(11);
    r.goals = json::parse(st.text(12), nullptr, false);
    if (!r.goals.is_object()) r.goals = json::object();
    r.company_basics_at = st.opt_i64(13);
    r.call_tracking_at = st.opt_i64(14);
    r.goals_at = st.opt_i64(15);
    r.completed_at = st.opt_i64(16);
    return r;
}

Progress progress_of(Db& db, const Record& r) {
    Progress p;
    p.company_basics = r.company_basics_at.has_value();
    p.call_tracking = r.call_tracking_at ||
                      count(db, "SELECT COUNT(*) FROM connections WHERE org_id = ? AND user_id IS NULL", r.org_id) > 0;
    p.documents = count(db, "SELECT COUNT(*) FROM documents WHERE org_id = ?", r.org_id) > 0;
    p.goals_preferences = r.goals_at.has_value();
    p.team_invites =
        count(db, "SELECT COUNT(*) FROM invitations WHERE org_id = ?", r.org_id) > 0 ||
        count(db, "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role IN ('csr', 'sales_rep')", r.org_id) > 0;
    p.completed = r.completed_at.has_value();
    return p;
}

Completion save_company_basics(Db& db, const std::string& org_id, const CompanyBasics& b, int64_t now) {
    Record before = load(db, org_id);
    Completion c = complete_phase(progress_of(db, before), Phase::company_basics);
    ensure_row(db, org_id, now);
    db.write("UPDATE onboarding SET company_name = ?, company_phone = ?, company_email = ?, company_domain = ?,"
             " company_address = ?, industry = ?, timezone = ?, team_size = ?, admin_name = ?, admin_email = ?,"
             " company_basics_at = COALESCE(company_basics_at, ?), updated_at = ? WHERE org_id = ?",
             b.company_name, b.company_phone, b.company_email, b.company_domain, b.company_address, b.industry,
             b.timezone, nullptr, b.admin_name, b.admin_email, now, now, org_id);
    if (b.team_size) db.write("UPDATE onboarding SET team_size = ? WHERE org_id = ?", *b.team_size, org_id);
    return c;
}

void save_call_tracking(Db& db, const std::string& org_id, const std::optional<std::string>& provider,
                        const std::optional<std::string>& primary_tracking_number, int64_t now) {
    ensure_row(db, org_id, now);
    db.write("UPDATE onboarding SET call_provider = COALESCE(?, call_provider),"
             " primary_tracking_number = COALESCE(?, primary_tracking_number),"
             " call_tracking_at = COALESCE(call_tracking_at, ?), updated_at = ? WHERE org_id = ?",
             provider, primary_tracking_number, now, now, org_id);
}

Completion save_goals(Db& db, const std::string& org_id, const json& goals, int64_t now) {
    Record before = load(db, org_id);
    Completion c = complete_phase(progress_of(db, before), Phase::goals_preferences);
    ensure_row(db, org_id, now);
    db.write("UPDATE onboarding SET goals_json = ?, goals_at = COALESCE(goals_at, ?), updated_at = ? WHERE org_id = ?",
             dump_json(goals), now, now, org_id);
    return c;
}

Completion after_fact(const Progress& before, Phase phase) { return complete_phase(before, phase); }

Checks checks_of(Db& db, const Record& r, int64_t now) {
    const CompanyBasics& b = r.basics;
    Checks c;
    c.company_basics = !b.company_name.empty() && has_value(b.company_phone) && has_value(b.industry) &&
                       has_value(b.timezone);
    // Onramp connects more than call tracking: any organization-wide
    // connection that passed its last test counts.
    c.call_tracking = count(db,
                            "SELECT COUNT(*) FROM connections WHERE org_id = ? AND user_id IS NULL"
                            " AND status = 'active'",
                            r.org_id) > 0;
    c.documents = documents::count_ingested(db, r.org_id) > 0;
    Stmt pending(db,
                 "SELECT COUNT(*) FROM invitations WHERE org_id = ? AND role IN ('csr', 'sales_rep')"
                 " AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?");
    pending.bind_all(r.org_id, now);
    pending.step();
    c.team_pending = int(pending.i64(0));
    c.team_members =
        c.team_pending > 0 ||
        count(db, "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role IN ('csr', 'sales_rep')", r.org_id) > 0;
    return c;
}

int64_t mark_completed(Db& db, const std::string& org_id, int64_t now) {
    ensure_row(db, org_id, now);
    if (db.write("UPDATE onboarding SET completed_at = ?, updated_at = ? WHERE org_id = ? AND completed_at IS NULL", now,
                 now, org_id) > 0)
        events::emit(db, now, "onboarding.completed", org_id, json::object());
    return *load(db, org_id).completed_at;
}

void record_event(Db& db, const std::string& org_id, const std::optional<std::string>& user_id,
                  const std::string& step, const std::string& action, const json& metadata, int64_t now) {
    db.write("INSERT INTO onboarding_events (id, org_id, user_id, step, action, metadata, timestamp)"
             " VALUES (?, ?, ?, ?, ?, ?, ?)",
             crypto::random_id("evt"), org_id, user_id, step, action, dump_json(metadata), now);
    // A phase done (its first save, a platform connected, verification passed).
    if (action == "completed" || action == "connected" || action == "passed")
        events::emit(db, now, "onboarding.step_completed", org_id, {{"step", step}, {"action", action}});
}

std::vector<Event> events_of(Db& db, const std::string& org_id) {
    Stmt st(db,
            "SELECT id, org_id, user_id, step, action, metadata, timestamp FROM onboarding_events"
            " WHERE org_id = ? ORDER BY timestamp, rowid");
    st.bind(1, org_id);
    std::vector<Event> out;
    while (st.step()) {
        Event e{st.text(0), st.text(1), st.opt_text(2), st.text(3), st.text(4), json::parse(st.text(5), nullptr, false),
                st.i64(6)};
        if (e.metadata.is_discarded()) e.metadata = json::object();
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace onramp::onboarding
