// Organizations, users and memberships: the rows every other table hangs
// off. Functions take an open connection so callers can group them in one
// transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/auth/principal.h"
#include "edge/store/db.h"

namespace onramp::store {

struct Org {
    std::string id, name, subscription_tier;
    int64_t created_at = 0, updated_at = 0;
};

struct User {
    std::string id, email, full_name;
    std::optional<std::string> password_hash;
    bool is_operator = false;
    int64_t created_at = 0;
};

struct Member {
    std::string user_id, email, full_name, role;
    int64_t joined_at = 0;
};

Org insert_org(Db& db, const std::string& name, const std::string& tier, int64_t now);
std::optional<Org> find_org(Db& db, const std::string& id);
std::vector<Org> list_orgs(Db& db);
std::vector<Org> list_orgs_of(Db& db, const std::string& user_id);
void update_org(Db& db, const Org& org);

// Returns nullopt when the e-mail is taken (case-insensitively).
std::optional<User> insert_user(Db& db, const std::string& email, const std::string& full_name,
                                const std::optional<std::string>& password_hash, bool is_operator, int64_t now);
std::optional<User> find_user(Db& db, const std::string& id);
std::optional<User> find_user_by_email(Db& db, const std::string& email);
void set_password_hash(Db& db, const std::string& user_id, const std::string& hash);

std::vector<auth::Membership> memberships_of(Db& db, const std::string& user_id);
std::vector<Member> members_of(Db& db, const std::string& org_id);
std::optional<Member> find_member(Db& db, const std::string& org_id, const std::string& user_id);
// False when the user is already a member.
bool add_member(Db& db, const std::string& org_id, const std::string& user_id, const std::string& role, int64_t now);
bool set_member_role(Db& db, const std::string& org_id, const std::string& user_id, const std::string& role);
bool remove_member(Db& db, const std::string& org_id, const std::string& user_id);
int count_managers(Db& db, const std::string& org_id);

auth::Principal principal_for(Db& db, const User& user);

}  // namespace onramp::store
