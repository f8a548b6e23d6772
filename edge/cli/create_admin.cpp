// onramp-edge create-admin: makes an operator (cross-tenant superadmin)
// with a generated password and prints {"email": ..., "password": ...}.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "edge/app.h"
#include "edge/auth/passwords.h"
#include "edge/cli/commands.h"
#include "edge/cli/flags.h"
#include "edge/data_dir.h"
#include "edge/demo.h"
#include "edge/store/accounts.h"
#include "shared/json.h"
#include "shared/validation/fields.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"data", true, false, "DIR  data directory (ONRAMP_DATA; default ./data)"},
    {"email", true, false, "EMAIL  the operator's e-mail address"},
    {"demo", false, false, "create (or show) the demo operator instead"},
};

}  // namespace

int create_admin(const Args& args) {
    auto flags = parse_flags("create-admin", kFlags, args);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("create-admin", "Creates an operator account and prints its login as one JSON line.", kFlags);
        return 0;
    }
    std::string data = flags->get("data").value_or(std::getenv("ONRAMP_DATA") ? std::getenv("ONRAMP_DATA") : "./data");
    if (!flags->has("demo") && !flags->has("email")) {
        std::fprintf(stderr, "onramp-edge create-admin: --email is required (or --demo)\n");
        return 2;
    }
    auto dir = ensure_data_dir(data);
    if (!dir) {
        std::fprintf(stderr, "onramp-edge create-admin: %s\n", dir.problem().detail.c_str());
        return 1;
    }
    App app;
    app.now = system_now;
    app.store = std::make_unique<store::Store>(database_path(*dir));

    nlohmann::json out;
    if (flags->has("demo")) {
        DemoLogin login = seed_demo(app);
        out = {{"email", login.email}, {"password", login.password}, {"org_id", login.org_id}};
    } else {
        std::string email = trim(*flags->get("email"));
        if (!looks_like_email(email)) {
            std::fprintf(stderr, "onramp-edge create-admin: '%s' is not an e-mail address\n", email.c_str());
            return 2;
        }
        std::string password = auth::generate_password();
        auto db = app.store->lease();
        auto user = store::insert_user(*db, email, "", auth::hash_password(password, app.scrypt_log2_n), true, app.now());
        if (!user) {
            std::fprintf(stderr, "onramp-edge create-admin: %s already has an account\n", email.c_str());
            return 1;
        }
        out = {{"email", email}, {"password", password}};
    }
    std::printf("%s\n", dump_json(out).c_str());
    return 0;
}

}  // namespace onramp::cli
