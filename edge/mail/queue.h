// The durable outgoing-mail queue (table mail_messages) and the API the
// rest of the edge uses to send e-mail.
//
//   queued --sent------------------------------------> sent   (bodies blanked)
//   queued --refused, retry later--------------------> queued (attempts+1, next_attempt_at = now + backoff)
//   queued --refused for good, or older than the give-up window--> failed (bodies blanked)
//
// Enqueueing is one INSERT (it never waits on the SMTP server); the sender
// (edge/mail/sender.h) does the rest. Security: the bodies carry links
// whose tokens let their reader in, so they are sealed with the vault
// (Vault::seal, bound to the row's Message-ID) and blanked once the
// message is sent or failed; recipient, subject and state stay for the
// operator's view (GET /api/v1/operator/mail).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "edge/app.h"
#include "edge/mail/message.h"
#include "edge/mail/templates.h"
#include "shared/result.h"

namespace onramp::mail {

// Whether this edge sends e-mail (serve --smtp-url). Without it nothing is
// queued and links are shown to copy instead.
bool enabled(const App& app);

// Queues a message on the caller's connection, so it commits (or not)
// with the caller's transaction; call wake(app) after the commit. 422 for
// a recipient that is not one plain address; 409 "mail_disabled" when
// enabled() is false. Returns the row id.
Result<int64_t> enqueue(App& app, store::Db& db, const Message& m);
// The same on a connection of its own, then wakes the sender.
Result<int64_t> enqueue(App& app, const Message& m);
// Tells the sender (when one runs) that a message is waiting.
void wake(App& app);

// The brand the messages of `org_id` speak in ("" : the deployment's).
Brand brand_of(store::Db& db, const std::string& org_id);

// Queues an alert about a connection to every manager of its organization
// (addresses, names and the console URL, the public URL, are filled in
// here). Call it outside any transaction. Returns how many were queued: 0
// when mail is off, the connection is gone or the org has no manager.
int alert_managers(App& app, AlertKind kind, const std::string& connection_id, const std::string& detail);

struct Queued {
    int64_t id = 0;
    std::string to, subject, kind, state;
    std::optional<std::string> org_id, last_error;
    int attempts = 0;
    int64_t created_at = 0;
    std::optional<int64_t> next_attempt_at, sent_at;
};

// Newest first; state filters when not empty.
std::vector<Queued> list(store::Db& db, const std::string& state, int limit);

}  // namespace onramp::mail
