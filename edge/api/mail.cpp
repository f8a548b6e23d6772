// GET /api/v1/operator/mail: what the edge sent and what it could not send
// (operators only), newest first; ?state=queued|sent|failed filters.
//
//   {items: [{id, to, subject, kind, org_id, state, attempts, last_error,
//    created_at, next_attempt_at, sent_at}], total, enabled}
//
// Security: never the bodies — they carry links that let their reader in
// (edge/mail/queue.h).
#include <nlohmann/json.hpp>

#include "edge/api/routes.h"
#include "edge/api/views.h"
#include "edge/mail/queue.h"

namespace onramp::api {

using http::Call;
using http::Response;
using nlohmann::json;

namespace {

constexpr int kListed = 200;

json queued_json(const mail::Queued& q) {
    return {{"id", q.id},
            {"to", q.to},
            {"subject", q.subject},
            {"kind", q.kind},
            {"org_id", q.org_id ? json(*q.org_id) : json(nullptr)},
            {"state", q.state},
            {"attempts", q.attempts},
            {"last_error", q.last_error ? json(*q.last_error) : json(nullptr)},
            {"created_at", iso8601(q.created_at)},
            {"next_attempt_at", iso8601_or_null(q.next_attempt_at)},
            {"sent_at", iso8601_or_null(q.sent_at)}};
}

Result<Response> list_mail(App& app, const Call& c) {
    std::string state = c.req.query_value("state");
    if (!state.empty() && state != "queued" && state != "sent" && state != "failed")
        return unprocessable({{"state", "must be queued, sent or failed"}});
    auto db = app.store->lease();
    json items = json::array();
    for (const mail::Queued& q : mail::list(*db, state, kListed)) items.push_back(queued_json(q));
    return Response::json({{"items", items}, {"total", items.size()}, {"enabled", mail::enabled(app)}});
}

}  // namespace

void add_mail_routes(http::Router& r, App& app) {
    r.add({"GET", "/api/v1/operator/mail", http::Access::Operator, http::Body::None, with_app(app, list_mail)});
}

}  // namespace onramp::api
