// onramp-edge reset-password: prints a one-time link that sets a new
// password for an account, for an edge that sends no e-mail (or a person
// whose mail does not arrive). The operator hands the link over; it works
// once, for 30 minutes, like an e-mailed one (edge/auth/password_change.h).
// With --disable-totp it also turns two-factor sign-in off, for someone
// who lost both the device and the recovery codes.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "edge/app.h"
#include "edge/audit.h"
#include "edge/auth/account_tokens.h"
#include "edge/auth/password_change.h"
#include "edge/auth/two_factor.h"
#include "edge/cli/commands.h"
#include "edge/cli/flags.h"
#include "edge/data_dir.h"
#include "edge/store/accounts.h"
#include "shared/json.h"
#include "shared/validation/fields.h"

namespace onramp::cli {

namespace {

const std::vector<FlagSpec> kFlags = {
    {"data", true, false, "DIR  data directory (ONRAMP_DATA; default ./data)"},
    {"email", true, false, "EMAIL  the account's e-mail address"},
    {"disable-totp", false, false, "also turn off two-factor sign-in (a lost device and recovery codes)"},
    {"public-url", true, false,
     "URL  the server's public URL, the link's start (ONRAMP_PUBLIC_URL; default http://127.0.0.1:8080)"},
};

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

}  // namespace

int reset_password(const Args& args) {
    auto flags = parse_flags("reset-password", kFlags, args);
    if (!flags) return 2;
    if (flags->help) {
        print_usage("reset-password",
                    "Prints a one-time link (30 minutes) that sets a new password for the account, as one JSON line.",
                    kFlags);
        return 0;
    }
    if (!flags->has("email")) {
        std::fprintf(stderr, "onramp-edge reset-password: --email is required\n");
        return 2;
    }
    std::string data = flags->get("data").value_or(env_or("ONRAMP_DATA", "./data"));
    std::string public_url =
        flags->get("public-url").value_or(env_or("ONRAMP_PUBLIC_URL", "http://127.0.0.1:8080"));
    while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
    std::string email = trim(*flags->get("email"));
    // An existing data directory only: a mistyped --data must not make a new one.
    if (!std::filesystem::exists(database_path(data))) {
        std::fprintf(stderr, "onramp-edge reset-password: no Onramp database in %s\n", data.c_str());
        return 1;
    }
    store::Store store(database_path(data));
    auto db = store.lease();
    auto user = store::find_user_by_email(*db, email);
    if (!user) {
        std::fprintf(stderr, "onramp-edge reset-password: no account has the address %s\n", email.c_str());
        return 1;
    }
    int64_t now = system_now();
    store::Tx tx(*db);
    std::string token = auth::issue_password_reset(*db, user->id, now);
    audit(*db, now, nullptr, nullptr, {"password_reset.issued", "", "user", user->id, {{"by", "command line"}}});
    bool disable_totp = flags->has("disable-totp") && auth::totp_enrolled(*db, user->id);
    if (disable_totp) {
        auth::disable_totp(*db, user->id);
        audit(*db, now, nullptr, nullptr, {"totp.disabled", "", "user", user->id, {{"by", "command line"}}});
    }
    tx.commit();
    nlohmann::json out = {{"email", user->email},
                          {"reset_url", auth::reset_url(public_url, token)},
                          {"expires_in", auth::kPasswordResetSeconds},
                          {"totp_disabled", disable_totp}};
    std::printf("%s\n", dump_json(out).c_str());
    return 0;
}

}  // namespace onramp::cli
