// Pending OAuth authorizations: the `state` value of each authorization
// URL handed out (RFC 6749 §10.12, CSRF protection), what it was issued
// for, and for whom.
//
// A state is single-use and lives ten minutes. It is bound to the sign-in
// that asked for it (the session's token family, or the API key), so a
// state leaked from one browser cannot complete a connection once that
// session has signed out, and it names the platform and the shop it was
// issued for, so it cannot be replayed against another. A custom CRM's
// state also keeps the PKCE code verifier, which never leaves the edge
// except to the CRM's token URL.
//
// Kept in memory rather than in the database on purpose: an authorization
// lasts minutes, a restart only means clicking "Connect" again, and no
// state can then outlive the process that issued it. Only the SHA-256 of
// each state is kept.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace onramp::oauth {

constexpr int64_t kStateSeconds = 10 * 60;

struct Pending {
    std::string platform;         // "shopify", "custom_crm"
    std::string org_id, user_id;
    std::string session;          // "family:<id>" or "key:<id>": the sign-in that started it
    std::string shop;             // the account it was issued for (Shopify: the shop domain)
    std::string name, sync_frequency = "daily";
    bool perform_initial_sync = false;
    std::string opener_origin;    // where the completion page posts its result
    // The custom CRM: its validated settings (client secret included, in
    // memory only) and the PKCE code verifier (RFC 7636) whose challenge
    // went into the authorization URL.
    std::map<std::string, std::string> credentials;
    std::string code_verifier;
    int64_t created_at = 0;
};

class PendingStates {
public:
    // Records `p` and returns its new random state value.
    std::string issue(const Pending& p);
    // Takes the state out (single use: a second take finds nothing),
    // or nullopt when unknown, used or older than kStateSeconds.
    std::optional<Pending> take(const std::string& state, int64_t now);
    size_t size();

private:
    void drop_expired(int64_t now);
    std::mutex mu_;
    std::map<std::string, Pending> by_hash_;
};

}  // namespace onramp::oauth
