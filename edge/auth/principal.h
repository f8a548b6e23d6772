// Who is calling: the result of authenticating a request. Handlers decide
// what the caller may do from this alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace onramp::auth {

struct Membership {
    std::string org_id;
    std::string role;  // manager | csr | sales_rep | member
};

struct Principal {
    std::string user_id;
    std::string email;
    bool is_operator = false;  // cross-tenant superadmin
    std::vector<Membership> memberships;
    std::string api_key_id;  // set when authenticated by an API key
    // A session opened by an onboarding link that names platforms acts on
    // those platforms' connections only (edge/onboarding/links.h); empty:
    // any platform.
    std::vector<std::string> platforms;

    const Membership* membership(std::string_view org_id) const {
        for (const Membership& m : memberships)
            if (m.org_id == org_id) return &m;
        return nullptr;
    }
    // Reading an org's data: operators, or any member of it.
    bool can_read(std::string_view org_id) const { return is_operator || membership(org_id); }
    // Changing an org's settings, members and credentials: operators and managers.
    bool can_manage(std::string_view org_id) const {
        const Membership* m = membership(org_id);
        return is_operator || (m && m->role == "manager");
    }
    // Whether the caller may connect, see or change connections of `platform`.
    bool may_use_platform(std::string_view platform) const {
        if (platforms.empty()) return true;
        for (const std::string& p : platforms)
            if (p == platform) return true;
        return false;
    }
};

}  // namespace onramp::auth
