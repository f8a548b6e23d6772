// The mail sender (sender.h).
#include "edge/mail/sender.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "edge/crypto/aead.h"
#include "edge/mail/message.h"
#include "edge/mail/smtp.h"
#include "edge/thread_name.h"
#include "shared/json.h"

namespace onramp::mail {

namespace {

struct Due {
    int64_t id = 0;
    std::string to, subject, message_id, sealed;
    std::string kind;
    std::optional<std::string> org_id;
    int attempts = 0;
    int64_t created_at = 0;
};

std::vector<Due> read_due(store::Db& db, int64_t now, int limit) {
    store::Stmt st(db,
                   "SELECT id, recipient, subject, message_id, sealed_body, kind, org_id, attempts, created_at"
                   " FROM mail_messages WHERE state = 'queued' AND next_attempt_at <= ?"
                   " ORDER BY next_attempt_at, id LIMIT ?");
    st.bind(1, now).bind(2, limit);
    std::vector<Due> out;
    while (st.step()) {
        Due d;
        d.id = st.i64(0);
        d.to = st.text(1);
        d.subject = st.text(2);
        d.message_id = st.text(3);
        d.sealed = st.text(4);
        d.kind = st.text(5);
        d.org_id = st.opt_text(6);
        d.attempts = int(st.i64(7));
        d.created_at = st.i64(8);
        out.push_back(std::move(d));
    }
    return out;
}

// Sent or failed: either way the bodies, and the link in them, go.
void settle(App& app, const Due& d, const char* state, const std::string& error, int64_t now) {
    auto db = app.store->lease();
    store::Stmt st(*db,
                   "UPDATE mail_messages SET state = ?, attempts = attempts + 1, last_error = ?, sealed_body = NULL,"
                   " next_attempt_at = NULL, sent_at = ? WHERE id = ?");
    st.bind(1, state).bind(2, error.empty() ? std::optional<std::string>() : std::optional<std::string>(error));
    if (std::string(state) == "sent")
        st.bind(3, now);
    else
        st.bind(3, nullptr);
    st.bind(4, d.id);
    st.run();
}

void retry_later(App& app, const Due& d, const std::string& error, int64_t at) {
    auto db = app.store->lease();
    db->write("UPDATE mail_messages SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
              error, at, d.id);
}

void log_outcome(App& app, const Due& d, const std::string& state) {
    // Recipient and subject are not secret, but the id is enough to find
    // the row; the body (and its link) is never logged.
    nlohmann::json line = {{"level", state == "failed" ? "warn" : "info"},
                           {"component", "mail"},
                           {"mail_id", d.id},
                           {"kind", d.kind},
                           {"state", state}};
    app.log(dump_json(line));
}

void send_one(App& app, const SenderOptions& o, const Due& d, int64_t now) {
    auto opened = app.vault->open(d.message_id, d.sealed);
    if (!opened) {
        settle(app, d, "failed", "the sealed message could not be opened: " + opened.problem().detail, now);
        log_outcome(app, d, "failed");
        return;
    }
    nlohmann::json bodies = nlohmann::json::parse(*opened, nullptr, false);
    crypto::wipe(*opened);
    Message m;
    m.to = d.to;
    m.subject = d.subject;
    if (bodies.is_object()) {
        m.text = bodies.value("text", "");
        m.html = bodies.value("html", "");
    }
    std::string wire = render(m, app.config.mail_from, d.message_id, now);
    SendOutcome sent = send_smtp(app.config, d.to, wire, o.send_timeout_s);
    crypto::wipe(wire);
    crypto::wipe(m.text);
    crypto::wipe(m.html);
    if (sent.ok) {
        settle(app, d, "sent", "", now);
        log_outcome(app, d, "sent");
        return;
    }
    int64_t next = now + backoff_seconds(o, d.attempts + 1);
    if (sent.permanent || next - d.created_at > o.give_up_after_s) {
        settle(app, d, "failed", sent.error, now);
        log_outcome(app, d, "failed");
        return;
    }
    retry_later(app, d, sent.error, next);
    log_outcome(app, d, "retrying");
}

}  // namespace

int64_t backoff_seconds(const SenderOptions& o, int attempts) {
    int64_t backoff = o.base_backoff_s;
    for (int i = 1; i < attempts && backoff < o.max_backoff_s; ++i) backoff *= 2;
    return std::min(backoff, o.max_backoff_s);
}

Sender::Sender(App& app, SenderOptions options) : app_(app), options_(options) {}

Sender::~Sender() { stop(); }

void Sender::start() {
    stopping_ = false;
    thread_ = std::thread([this] {
        name_thread("mail-send");
        loop();
    });
}

void Sender::stop() {
    stopping_ = true;
    wake();
    if (thread_.joinable()) thread_.join();
}

void Sender::wake() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        woken_ = true;
    }
    wake_.notify_one();
}

int Sender::pass() {
    int64_t now = app_.now();
    std::vector<Due> due;
    {
        auto db = app_.store->lease();
        due = read_due(*db, now, options_.batch);
    }
    int tried = 0;
    for (const Due& d : due) {
        if (stopping_) break;
        send_one(app_, options_, d, now);
        ++tried;
    }
    return tried;
}

int Sender::drain() {
    int total = 0;
    for (;;) {
        int n = pass();
        if (n == 0) return total;
        total += n;
    }
}

void Sender::loop() {
    while (!stopping_) {
        int n = 0;
        try {
            n = pass();
        } catch (const std::exception& e) {
            nlohmann::json line = {{"level", "error"}, {"component", "mail"}, {"error", e.what()}};
            app_.log(dump_json(line));
        }
        if (n > 0) continue;
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [&] { return woken_ || stopping_.load(); });
        woken_ = false;
    }
}

}  // namespace onramp::mail
