#include "edge/api/onboarding_org.h"

#include "edge/store/accounts.h"

namespace onramp::api {

namespace {

std::string named_org(const http::Request& req) {
    if (std::string h = req.header("X-Org-Id"); !h.empty()) return h;
    if (std::string q = req.query_value("org_id"); !q.empty()) return q;
    auto f = req.form.find("org_id");
    return f == req.form.end() ? "" : f->second;
}

}  // namespace

nlohmann::json envelope(nlohmann::json data, const http::Call& c, const std::string& org_id) {
    return {{"success", true},
            {"data", std::move(data)},
            {"meta", {{"org_id", org_id}, {"request_id", c.req.request_id}}}};
}

Result<std::string> onboarding_org(App& app, const http::Call& c) {
    const auth::Principal& who = *c.who;
    std::string named = named_org(c.req);
    if (!named.empty()) {
        if (!who.can_read(named)) return not_found("No such organization.");
        if (!who.can_manage(named)) return forbidden("Only this organization's managers can run its onboarding.");
        if (who.is_operator && !who.membership(named)) {
            auto db = app.store->lease();
            if (!store::find_org(*db, named)) return not_found("No such organization.");
        }
        return named;
    }
    std::vector<std::string> managed;
    for (const auth::Membership& m : who.memberships)
        if (m.role == "manager") managed.push_back(m.org_id);
    if (managed.size() == 1) return managed.front();
    if (managed.size() > 1)
        return unprocessable({{"X-Org-Id", "is required: you manage several organizations"}},
                             "Name the organization with the X-Org-Id header.");
    if (who.is_operator)
        return unprocessable({{"X-Org-Id", "is required for operators"}},
                             "Name the organization with the X-Org-Id header or an org_id field.");
    return forbidden("Only managers can run onboarding.");
}

}  // namespace onramp::api
