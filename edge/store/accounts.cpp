#include "edge/store/accounts.h"

#include "edge/crypto/random.h"

namespace onramp::store {

namespace {

Org read_org(Stmt& st) { return {st.text(0), st.text(1), st.text(2), st.i64(3), st.i64(4)}; }

constexpr const char* kOrgCols = "id, name, subscription_tier, created_at, updated_at";
constexpr const char* kUserCols = "id, email, full_name, password_hash, is_operator, created_at";

User read_user(Stmt& st) {
    return {st.text(0), st.text(1), st.text(2), st.opt_text(3), st.i64(4) != 0, st.i64(5)};
}

std::optional<User> one_user(Db& db, const std::string& where, const std::string& value) {
    Stmt st(db, std::string("SELECT ") + kUserCols + " FROM users WHERE " + where);
    st.bind(1, value);
    if (!st.step()) return std::nullopt;
    return read_user(st);
}

}  // namespace

Org insert_org(Db& db, const std::string& name, const std::string& tier, int64_t now) {
    Org org{crypto::random_id("org"), name, tier, now, now};
    db.write("INSERT INTO orgs (id, name, subscription_tier, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", org.id,
             org.name, org.subscription_tier, now, now);
    return org;
}

std::optional<Org> find_org(Db& db, const std::string& id) {
    Stmt st(db, std::string("SELECT ") + kOrgCols + " FROM orgs WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_org(st);
}

std::vector<Org> list_orgs(Db& db) {
    Stmt st(db, std::string("SELECT ") + kOrgCols + " FROM orgs ORDER BY created_at, id");
    std::vector<Org> out;
    while (st.step()) out.push_back(read_org(st));
    return out;
}

std::vector<Org> list_orgs_of(Db& db, const std::string& user_id) {
    Stmt st(db,
            "SELECT o.id, o.name, o.subscription_tier, o.created_at, o.updated_at FROM orgs o"
            " JOIN memberships m ON m.org_id = o.id WHERE m.user_id = ? ORDER BY o.created_at, o.id");
    st.bind(1, user_id);
    std::vector<Org> out;
    while (st.step()) out.push_back(read_org(st));
    return out;
}

void update_org(Db& db, const Org& org) {
    db.write("UPDATE orgs SET name = ?, subscription_tier = ?, updated_at = ? WHERE id = ?", org.name,
             org.subscription_tier, org.updated_at, org.id);
}

std::optional<User> insert_user(Db& db, const std::string& email, const std::string& full_name,
                                const std::optional<std::string>& password_hash, bool is_operator, int64_t now) {
    User u{crypto::random_id("usr"), email, full_name, password_hash, is_operator, now};
    int n = db.write(
        "INSERT INTO users (id, email, full_name, password_hash, is_operator, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        u.id, email, full_name, password_hash, is_operator, now);
    if (n < 0) return std::nullopt;
    return u;
}

std::optional<User> find_user(Db& db, const std::string& id) { return one_user(db, "id = ?", id); }
std::optional<User> find_user_by_email(Db& db, const std::string& email) { return one_user(db, "email = ?", email); }

void set_password_hash(Db& db, const std::string& user_id, const std::string& hash) {
    db.write("UPDATE users SET password_hash = ? WHERE id = ?", hash, user_id);
}

std::vector<auth::Membership> memberships_of(Db& db, const std::string& user_id) {
    Stmt st(db, "SELECT org_id, role FROM memberships WHERE user_id = ? ORDER BY created_at");
    st.bind(1, user_id);
    std::vector<auth::Membership> out;
    while (st.step()) out.push_back({st.text(0), st.text(1)});
    return out;
}

std::vector<Member> members_of(Db& db, const std::string& org_id) {
    Stmt st(db,
            "SELECT u.id, u.email, u.full_name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id"
            " WHERE m.org_id = ? ORDER BY m.created_at, u.email");
    st.bind(1, org_id);
    std::vector<Member> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.i64(4)});
    return out;
}

std::optional<Member> find_member(Db& db, const std::string& org_id, const std::string& user_id) {
    Stmt st(db,
            "SELECT u.id, u.email, u.full_name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id"
            " WHERE m.org_id = ? AND m.user_id = ?");
    st.bind_all(org_id, user_id);
    if (!st.step()) return std::nullopt;
    return Member{st.text(0), st.text(1), st.text(2), st.text(3), st.i64(4)};
}

bool add_member(Db& db, const std::string& org_id, const std::string& user_id, const std::string& role, int64_t now) {
    return db.write("INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)", org_id,
                    user_id, role, now) > 0;
}

bool set_member_role(Db& db, const std::string& org_id, const std::string& user_id, const std::string& role) {
    return db.write("UPDATE memberships SET role = ? WHERE org_id = ? AND user_id = ?", role, org_id, user_id) > 0;
}

bool remove_member(Db& db, const std::string& org_id, const std::string& user_id) {
    return db.write("DELETE FROM memberships WHERE org_id = ? AND user_id = ?", org_id, user_id) > 0;
}

int count_managers(Db& db, const std::string& org_id) {
    Stmt st(db, "SELECT COUNT(*) FROM memberships WHERE org_id = ? AND role = 'manager'");
    st.bind(1, org_id);
    st.step();
    return int(st.i64(0));
}

auth::Principal principal_for(Db& db, const User& user) {
    auth::Principal p;
    p.user_id = user.id;
    p.email = user.email;
    p.is_operator = user.is_operator;
    p.memberships = memberships_of(db, user.id);
    return p;
}

}  // namespace onramp::store
