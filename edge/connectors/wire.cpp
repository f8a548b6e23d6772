// The connectors' shared HTTP machinery: one request with its guard, pace
// and retries; failures in client words; JSON, URL and time helpers.
//
// Index
//   [SECTION] Sending
//   [SECTION] Failures
//   [SECTION] JSON
//   [SECTION] URLs
//   [SECTION] Time
#include "edge/connectors/wire.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>
#include <strings.h>
#include <thread>

#include "edge/connectors/target.h"
#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "shared/json.h"

namespace onramp::connectors::wire {

namespace {

// RFC 9110 §15.4 asks clients to detect redirect loops; five hops is what
// browsers would call excessive for an API.
constexpr int kMaxRedirects = 5;
// Platform error text is kept short: it is shown to a client and logged.
constexpr size_t kMaxPlatformMessage = 300;

void pause(CallContext& ctx, int64_t ms) {
    if (ms <= 0) return;
    if (ctx.sleep)
        ctx.sleep(ms);
    else
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

double jitter(CallContext& ctx) {
    if (ctx.jitter) return ctx.jitter();
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0, 1)(rng);
}

// Exponential backoff with "equal jitter": half the step is fixed, half
// random, so clients that failed together do not retry together.
int64_t backoff_ms(CallContext& ctx, int attempt) {
    double step = ctx.retry.base_delay_ms * std::pow(2.0, attempt - 1);
    step = std::min(step, double(ctx.retry.max_delay_ms));
    return int64_t(step / 2 + jitter(ctx) * step / 2);
}

std::string host_of(const std::string& url) {
    http::ParsedUrl u;
    return http::parse_url(url, u) ? u.host : std::string();
}

std::string origin_of(const http::ParsedUrl& u) { return u.scheme + "://" + u.host + ":" + std::to_string(u.port); }

// An absolute URL for a Location header, relative to `base`.
std::string resolve_location(const std::string& base, const std::string& location) {
    if (location.find("://") != std::string::npos) return location;
    http::ParsedUrl u;
    if (!http::parse_url(base, u)) return "";
    std::string authority = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
    std::string origin = u.scheme + "://" + authority + ":" + std::to_string(u.port);
    if (location.rfind("//", 0) == 0) return u.scheme + ":" + location;
    if (!location.empty() && location[0] == '/') return origin + location;
    std::string path = u.path_and_query.substr(0, u.path_and_query.find('?'));
    return origin + path.substr(0, path.rfind('/') + 1) + location;
}

Failure transport_failure(const Platform& p, const Request& req, const http::FetchFailure& f, bool dropped) {
    std::string host = host_of(req.url);
    Failure out;
    out.step = req.step;
    out.field = req.typed_host ? req.host_field : "";
    switch (f.kind) {
    case http::FetchError::Dns: out.cause = Cause::dns_failure; break;
    case http::FetchError::Tls: out.cause = Cause::tls_failure; break;
    case http::FetchError::Timeout: out.cause = dropped ? Cause::connection_failed : Cause::timeout; break;
    default: out.cause = Cause::connection_failed; break;
    }
    out.message = default_message(out.cause, p.entry().name, host);
    if (dropped)
        out.message = std::string(p.entry().name) + " closed the connection before answering. Try again in a minute.";
    out.platform_message = f.message;  // httplib's words about the host; no request data
    if (out.cause != Cause::dns_failure && out.cause != Cause::tls_failure) out.field.clear();
    return out;
}

Failure too_long_a_wait(const Platform& p, const Request& req, int64_t wait_ms) {
    Failure f;
    f.step = req.step;
    f.cause = Cause::rate_limited;
    f.retry_after_s = int((wait_ms + 999) / 1000);
    f.message = std::string(p.entry().name) + " asked Onramp to slow down. Try again in " +
                std::to_string(f.retry_after_s) + " seconds.";
    return f;
}

// Retry-After of a response that is not counted in the budget (a token
// exchange), in ms; 0 when absent.
int64_t unbudgeted_wait(const http::FetchResponse& res) {
    int64_t ms = parse_retry_after_ms(res.header("Retry-After"), int64_t(std::time(nullptr)));
    return std::max<int64_t>(0, ms);
}

// Headers that may follow a redirect to another origin; every other header
// of a platform request may carry a credential.
bool harmless_header(const std::string& name) {
    static const char* kKept[] = {"Accept", "Content-Type", "User-Agent"};
    for (const char* k : kKept)
        if (strcasecmp(name.c_str(), k) == 0) return true;
    return false;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Sending
// ---------------------------------------------------------------------------

namespace {

// What send() does with an answer, decided from its status and headers
// alone, so that a streamed body can go straight on when it is the answer.
struct Next {
    enum class Kind { answer, redirect, retry } kind = Kind::answer;
    std::string url;       // redirect: where to
    int64_t delay_ms = 0;  // retry: our own pause (the budget paces the rest)
    int64_t told_ms = 0;   // retry: the longest wait anything asked for, for on_retry
};

Next next_step(CallContext& ctx, const Request& req, const std::string& url, const http::FetchResponse& head,
               int attempt, int hops) {
    int status = head.status;
    bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    std::string location = head.header("Location");
    if (redirect && !location.empty() && hops < kMaxRedirects) {
        std::string next = resolve_location(url, location);
        http::ParsedUrl from, to;
        if (!http::parse_url(url, from) || !http::parse_url(next, to)) return {};
        // Security: never follow https to plain http, which would send
        // the credentials unencrypted.
        if (from.scheme == "https" && to.scheme == "http") return {};
        return {Next::Kind::redirect, next};
    }
    bool transient = status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    if (transient && req.retryable && attempt < ctx.retry.max_attempts) {
        // The budget has already absorbed Retry-After and the platform's
        // reset headers; back off ourselves only when nothing spoke.
        int64_t told = req.budgeted ? ctx.budget->peek(req.operation) : unbudgeted_wait(head);
        if (told > ctx.retry.max_delay_ms) return {};
        int64_t delay = told > 0 && req.budgeted ? 0 : std::max(told, backoff_ms(ctx, attempt));
        return {Next::Kind::retry, "", delay, std::max(told, delay)};
    }
    return {};
}

}  // namespace

Outcome<http::FetchResponse> send(const Platform& p, CallContext& ctx, const Request& req) {
    return send(p, ctx, req, http::BodyRoute());
}

Outcome<http::FetchResponse> send(const Platform& p, CallContext& ctx, const Request& req,
                                  const http::BodyRoute& route) {
    if (!ctx.budget) ctx.budget = std::make_shared<RateBudget>(p.entry().rate_limit);
    http::FetchRequest f;
    f.method = req.method;
    f.url = req.url;
    f.headers = req.headers;
    f.body = req.body;
    f.content_type = req.content_type;
    f.connect_timeout_ms = ctx.connect_timeout_ms;
    f.read_timeout_ms = ctx.read_timeout_ms;
    bool guarded = req.typed_host;
    int attempt = 1, hops = 0;
    http::ParsedUrl start;
    http::parse_url(req.url, start);

    for (;;) {
        f.connect_address.clear();
        if (guarded && !ctx.allow_private_addresses) {
            TargetCheck t = check_target(f.url, false);
            if (t.outcome != TargetCheck::Outcome::ok) {
                Failure fl;
                fl.step = req.step;
                fl.cause = t.outcome == TargetCheck::Outcome::refused ? Cause::address_refused : Cause::dns_failure;
                fl.message = t.message;
                fl.field = req.host_field;
                return fl;
            }
            f.connect_address = t.address;
        }

        int64_t wait = req.budgeted ? ctx.budget->reserve(req.operation) : 0;
        if (wait > ctx.retry.max_delay_ms) {
            if (req.budgeted) ctx.budget->unanswered(req.operation);  // never sent
            return too_long_a_wait(p, req, wait);
        }
        pause(ctx, wait);

        Next next;
        bool routed = false;    // the body went to `route`
        bool answered = false;  // a head came back (the budget has seen it)
        http::BodyRoute decide = [&](const http::FetchResponse& head) -> http::ChunkWriter {
            answered = true;
            if (req.budgeted) ctx.budget->observe(head.headers, head.status, req.operation);
            next = next_step(ctx, req, f.url, head, attempt, hops);
            if (next.kind != Next::Kind::answer || !route) return {};
            routed = true;
            return route(head);
        };
        int64_t t0 = monotonic_ms();
        http::FetchResult r = http::fetch(f, decide);
        int64_t took = monotonic_ms() - t0;
        if (!r.ok()) {
            if (req.budgeted && !answered) ctx.budget->unanswered(req.operation);
            // httplib reports a connection closed mid-answer like a read
            // timeout; one that ends well before the timeout was dropped,
            // and is worth another try.
            bool dropped = r.failure.kind == http::FetchError::Timeout && took < ctx.read_timeout_ms * 8 / 10;
            Failure fl = transport_failure(p, req, r.failure, dropped);
            bool again = req.retryable && !routed && attempt < ctx.retry.max_attempts &&
                         (fl.cause == Cause::connection_failed);
            if (!again) return fl;
            int64_t delay = backoff_ms(ctx, attempt);
            if (ctx.on_retry) ctx.on_retry(req.step, 0, delay);
            pause(ctx, delay);
            ++attempt;
            continue;
        }

        if (next.kind == Next::Kind::redirect) {
            http::ParsedUrl to;
            http::parse_url(next.url, to);
            if (origin_of(to) != origin_of(start)) {
                // Security: credentials go to the origin they were made for
                // and nowhere else (as browsers and curl do), and every new
                // host is checked by the SSRF guard again.
                http::Headers kept;
                for (const auto& [k, v] : f.headers)
                    if (harmless_header(k)) kept.emplace(k, v);
                f.headers = std::move(kept);
                guarded = true;
            }
            int status = r.response.status;
            if (status == 303 || ((status == 301 || status == 302) && f.method == "POST")) {
                f.method = "GET";
                f.body.clear();
                f.content_type.clear();
            }
            f.url = next.url;
            ++hops;
            continue;
        }
        if (next.kind == Next::Kind::retry) {
            if (ctx.on_retry) ctx.on_retry(req.step, r.response.status, next.told_ms);
            pause(ctx, next.delay_ms);
            ++attempt;
            continue;
        }
        return r.response;
    }
}

Outcome<http::FetchResponse> call(const Platform& p, CallContext& ctx, const Request& req) {
    auto res = send(p, ctx, req);
    if (!res) return res.failure();
    if (res->status < 200 || res->status > 299) return status_failure(p, ctx, req.step, *res, error_text(res->body));
    return res;
}

Outcome<json> call_json(const Platform& p, CallContext& ctx, const Request& req) {
    auto res = call(p, ctx, req);
    if (!res) return res.failure();
    if (res->status == 204 || res->body.empty()) return json(nullptr);
    auto j = parse_json(res->body);
    if (!j) return unreadable(p, req.step, "the answer is not JSON");
    return *j;
}

std::string path_id(const std::string& id) {
    if (id.empty() || id == "." || id == "..") return "";
    return url_encode(id);
}

std::string base_url(const CallContext& ctx, std::string_view key, const std::string& production,
                     const Credentials& creds) {
    auto it = ctx.base_urls.find(std::string(key));
    std::string tmpl = it != ctx.base_urls.end() ? it->second : production;
    std::string out;
    for (size_t i = 0; i < tmpl.size();) {
        size_t close = tmpl[i] == '{' ? tmpl.find('}', i) : std::string::npos;
        if (close == std::string::npos) {
            out += tmpl[i++];
            continue;
        }
        auto v = creds.find(tmpl.substr(i + 1, close - i - 1));
        out += v != creds.end() ? v->second : tmpl.substr(i, close - i + 1);
        i = close + 1;
    }
    while (!out.empty() && out.back() == '/') out.pop_back();
    return out;
}

bool has_override(const CallContext& ctx, std::string_view key) { return ctx.base_urls.count(std::string(key)) > 0; }

// ---------------------------------------------------------------------------
// [SECTION] Failures
// ---------------------------------------------------------------------------

std::string default_message(Cause cause, std::string_view platform_name, const std::string& host) {
    std::string p(platform_name);
    std::string h = host.empty() ? p : host;
    switch (cause) {
    case Cause::credential_rejected:
        return p + " did not accept these credentials. Check that they were copied completely and have not been "
                   "revoked or replaced.";
    case Cause::scope_missing:
        return "The credentials work, but " + p + " does not give them every permission Onramp needs.";
    case Cause::store_not_found:
        return p + " could not find that store or account. Check the address or ID you entered.";
    case Cause::dns_failure: return "The address " + h + " does not exist. Check it for typos.";
    case Cause::tls_failure:
        return h + " did not prove its identity with a trusted security certificate, so Onramp did not send the "
                   "credentials.";
    case Cause::timeout: return p + " did not answer in time. It may be busy; try again in a few minutes.";
    case Cause::rate_limited: return p + " asked Onramp to slow down. Try again in a minute.";
    case Cause::platform_error:
        return p + " had a problem answering. Try again in a few minutes; if it keeps happening, check " + p +
               "'s status page.";
    case Cause::connection_failed: return "Onramp could not connect to " + h + ". Try again in a minute.";
    case Cause::address_refused:
        return "That address points to a private or local network, which Onramp does not connect to.";
    }
    return p + " could not be reached.";
}

Failure status_failure(const Platform& p, const CallContext& ctx, const std::string& step,
                       const http::FetchResponse& res, const std::string& platform_message) {
    Failure f;
    f.step = step;
    f.http_status = res.status;
    f.platform_message = platform_message.substr(0, kMaxPlatformMessage);
    switch (res.status) {
    case 401: f.cause = Cause::credential_rejected; break;
    case 403: f.cause = Cause::scope_missing; break;
    case 404: f.cause = Cause::store_not_found; break;
    case 429: f.cause = Cause::rate_limited; break;
    default: f.cause = Cause::platform_error; break;
    }
    f.message = default_message(f.cause, p.entry().name, "");
    if (f.cause == Cause::rate_limited) {
        int64_t wait = ctx.budget ? ctx.budget->peek() : 0;
        f.retry_after_s = std::max(1, int((wait + 999) / 1000));
        f.message = std::string(p.entry().name) + " asked Onramp to slow down. Try again in " +
                    std::to_string(f.retry_after_s) + " seconds.";
    }
    if (res.status >= 300 && res.status < 400)
        f.message = std::string(p.entry().name) + " sent Onramp somewhere else instead of answering. Check the "
                                                  "address.";
    return f;
}

Failure unreadable(const Platform& p, const std::string& step, const std::string& what) {
    Failure f;
    f.step = step;
    f.cause = Cause::platform_error;
    f.http_status = 200;
    f.message = std::string(p.entry().name) + " answered, but not in the form Onramp expects. Check the address.";
    f.platform_message = what.substr(0, kMaxPlatformMessage);
    return f;
}

Failure unsupported_resource(const Platform& p, Resource r) {
    Failure f;
    f.step = "list_" + std::string(to_string(r));
    f.message = std::string(p.entry().name) + " has no " + std::string(to_string(r)) + " for Onramp to import.";
    return f;
}

Failure not_an_id(const Platform& p, const std::string& id, std::string_view form) {
    Failure f;
    f.step = "fetch_one";
    f.cause = Cause::store_not_found;
    f.http_status = 404;
    f.message = std::string(p.entry().name) + " ids are " + std::string(form) + "; \"" + id.substr(0, 40) +
                "\" is not one.";
    return f;
}

std::string scope_labels(const Connector& entry, const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) {
        std::string label = n;
        for (const Scope& s : entry.scopes)
            if (s.name == n) label = std::string(s.label);
        out += (out.empty() ? "" : ", ") + label;
    }
    return out;
}

std::vector<std::string> missing_scopes(const Connector& entry, const std::vector<std::string>& granted) {
    auto has = [&](std::string_view name) { return std::find(granted.begin(), granted.end(), name) != granted.end(); };
    std::vector<std::string> missing;
    for (const Scope& s : entry.scopes) {
        bool ok = has(s.name);
        std::string_view broader = s.satisfied_by;
        while (!ok && !broader.empty()) {
            size_t sp = broader.find(' ');
            ok = has(broader.substr(0, sp));
            broader = sp == std::string_view::npos ? std::string_view() : broader.substr(sp + 1);
        }
        if (!ok) missing.emplace_back(s.name);
    }
    return missing;
}

void sort_scopes(const Connector& entry, const std::vector<std::string>& missing, Verified& v) {
    v.required_scopes.clear();
    v.missing_scopes.clear();
    v.limited = json::array();
    for (const Scope& s : entry.scopes) {
        if (s.required) v.required_scopes.emplace_back(s.name);
        if (std::find(missing.begin(), missing.end(), s.name) == missing.end()) continue;
        if (s.required)
            v.missing_scopes.emplace_back(s.name);
        else
            v.limited.push_back(
                {{"scope", std::string(s.name)}, {"label", std::string(s.label)}, {"feature", std::string(s.feature)}});
    }
}

namespace {

// Early renewal: a token that expires within this margin is renewed before
// use rather than failing mid-sync.
constexpr int64_t kTokenMarginMs = 60000;

std::string token_key(std::initializer_list<std::string_view> parts) {
    std::string joined;
    for (std::string_view p : parts) {
        joined += std::to_string(p.size()) + ":";
        joined += p;
    }
    return crypto::hex_encode(crypto::sha256(joined));
}

}  // namespace

std::string cached_token(CallContext& ctx, std::initializer_list<std::string_view> parts) {
    if (!ctx.tokens) ctx.tokens = std::make_shared<TokenCache>();
    std::lock_guard<std::mutex> lock(ctx.tokens->mu);
    if (ctx.tokens->key != token_key(parts)) return "";
    if (ctx.tokens->expires_at_ms - kTokenMarginMs <= monotonic_ms()) return "";
    return ctx.tokens->access_token;
}

void cache_token(CallContext& ctx, std::initializer_list<std::string_view> parts, const std::string& token,
                 int64_t expires_in_s) {
    if (!ctx.tokens) ctx.tokens = std::make_shared<TokenCache>();
    std::lock_guard<std::mutex> lock(ctx.tokens->mu);
    ctx.tokens->key = token_key(parts);
    ctx.tokens->access_token = token;
    ctx.tokens->expires_at_ms = monotonic_ms() + std::max<int64_t>(0, expires_in_s) * 1000;
}

// ---------------------------------------------------------------------------
// [SECTION] JSON
// ---------------------------------------------------------------------------

std::optional<json> parse_json(const std::string& body) {
    // The parser every outside text goes through (depth and number limits);
    // an answer's size is the fetch's business, so its strings may fill it.
    JsonLimits limits;
    limits.max_string_bytes = body.size();
    auto j = onramp::parse_json(body, limits);
    if (!j) return std::nullopt;
    return std::move(*j);
}

json member(const json& j, std::string_view key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() ? json(nullptr) : *it;
}

std::string text(const json& j, std::string_view key) {
    json v = member(j, key);
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_float()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.10g", v.get<double>());
        return buf;
    }
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return "";
}

json money(const json& j, std::string_view key) {
    json v = member(j, key);
    if (v.is_string()) return v.get<std::string>().empty() ? json(nullptr) : v;
    if (v.is_number()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
        return std::string(buf);
    }
    return nullptr;
}

namespace {

std::string shorten(std::string s) {
    for (char& c : s)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    if (s.size() > kMaxPlatformMessage) s = s.substr(0, kMaxPlatformMessage - 3) + "...";
    return s;
}

std::string first_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
        for (const json& e : v) {
            std::string t = first_text(e);
            if (!t.empty()) return t;
        }
    }
    if (v.is_object()) {
        for (const char* k : {"message", "error_description", "title", "detail", "error"}) {
            auto it = v.find(k);
            if (it != v.end()) {
                std::string t = first_text(*it);
                if (!t.empty()) return t;
            }
        }
        for (const auto& [k, e] : v.items()) {
            std::string t = first_text(e);
            if (!t.empty()) return k + ": " + t;
        }
    }
    return "";
}

}  // namespace

std::string error_text(const json& j) {
    if (j.is_object()) {
        for (const char* k : {"error_description", "message", "errors", "error", "title", "detail"}) {
            auto it = j.find(k);
            if (it == j.end()) continue;
            std::string t = first_text(*it);
            if (!t.empty()) return shorten(t);
        }
        return "";
    }
    return shorten(first_text(j));
}

std::string error_text(const std::string& body) {
    auto j = parse_json(body);
    if (j) return error_text(*j);
    // A non-JSON error page: its first line says more than nothing, but
    // never echo a whole HTML document.
    std::string line = body.substr(0, body.find('\n'));
    if (line.find('<') != std::string::npos) return "";
    return shorten(line);
}

// ---------------------------------------------------------------------------
// [SECTION] URLs
// ---------------------------------------------------------------------------

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string query(std::initializer_list<std::pair<std::string_view, std::string>> params) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (v.empty()) continue;
        out += out.empty() ? "?" : "&";
        out += url_encode(k) + "=" + url_encode(v);
    }
    return out;
}

namespace {

std::string url_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += char(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

std::string query_param(const std::string& url, std::string_view name) {
    size_t q = url.find('?');
    if (q == std::string::npos) return "";
    std::string_view rest = std::string_view(url).substr(q + 1);
    while (!rest.empty()) {
        size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        size_t eq = pair.find('=');
        if (url_decode(pair.substr(0, eq)) == name)
            return eq == std::string_view::npos ? "" : url_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return "";
}

std::string next_link(const std::string& link_header) {
    // Link: <url>; rel="previous", <url>; rel="next"   (RFC 8288 §3)
    size_t pos = 0;
    while ((pos = link_header.find('<', pos)) != std::string::npos) {
        size_t close = link_header.find('>', pos);
        if (close == std::string::npos) return "";
        std::string url = link_header.substr(pos + 1, close - pos - 1);
        size_t next_link_start = link_header.find('<', close);
        std::string params = link_header.substr(close + 1, next_link_start == std::string::npos
                                                               ? std::string::npos
                                                               : next_link_start - close - 1);
        for (char& c : params) c = char(std::tolower(static_cast<unsigned char>(c)));
        if (params.find("rel=\"next\"") != std::string::npos || params.find("rel=next") != std::string::npos)
            return url;
        pos = close;
    }
    return "";
}

std::string basic_auth(const std::string& user, const std::string& password) {
    return "Basic " + crypto::base64_encode(user + ":" + password);
}

// ---------------------------------------------------------------------------
// [SECTION] Time
// ---------------------------------------------------------------------------

std::string iso_from_unix(int64_t seconds) {
    std::time_t t = std::time_t(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

int month_number(const char* name) {
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (strncasecmp(name, kMonths[i], 3) == 0) return i;
    return -1;
}

// "+0530", "+05:30", "-05", "Z", "GMT", "UTC", "" → seconds east of UTC.
bool zone_offset(std::string z, int& seconds) {
    while (!z.empty() && z.front() == ' ') z.erase(0, 1);
    if (z.empty() || z == "Z" || z == "z" || z == "GMT" || z == "UTC" || z == "UT") {
        seconds = 0;
        return true;
    }
    if (z[0] != '+' && z[0] != '-') return false;
    std::string digits;
    for (char c : z.substr(1))
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
        else if (c != ':') return false;
    if (digits.size() != 2 && digits.size() != 4) return false;
    int h = std::stoi(digits.substr(0, 2)), m = digits.size() == 4 ? std::stoi(digits.substr(2)) : 0;
    seconds = (h * 3600 + m * 60) * (z[0] == '-' ? -1 : 1);
    return true;
}

}  // namespace

std::string utc_iso(const std::string& raw) {
    std::string s = raw;
    while (!s.empty() && s.back() == ' ') s.pop_back();
    if (s.empty()) return "";
    if (std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        return s.size() <= 12 ? iso_from_unix(std::stoll(s)) : "";

    std::tm tm{};
    int offset = 0;
    int y, mo, d, h, mi, sec, n = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) == 6) {
        std::string zone = s.substr(size_t(n));
        if (!zone.empty() && zone[0] == '.') {  // fractional seconds are dropped
            size_t end = zone.find_first_not_of("0123456789", 1);
            zone = end == std::string::npos ? "" : zone.substr(end);
        }
        if (!zone_offset(zone, offset)) return "";
    } else {
        // RFC 2822: [Day, ]DD Mon YYYY HH:MM:SS zone
        std::string rest = s;
        if (size_t comma = rest.find(','); comma != std::string::npos) rest = rest.substr(comma + 1);
        char mon[4] = {};
        char zone[16] = {};
        if (std::sscanf(rest.c_str(), " %2d %3s %4d %2d:%2d:%2d %15s", &d, mon, &y, &h, &mi, &sec, zone) < 6)
            return "";
        mo = month_number(mon) + 1;
        if (mo == 0 || !zone_offset(zone, offset)) return "";
    }
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return iso_from_unix(int64_t(timegm(&tm)) - offset);
}

std::string utc_iso(const json& j, std::string_view key) {
    json v = member(j, key);
    if (v.is_number_integer()) return iso_from_unix(v.get<int64_t>());
    if (v.is_string()) return utc_iso(v.get<std::string>());
    return "";
}

int64_t unix_seconds(const std::string& iso) {
    std::string norm = utc_iso(iso);
    if (norm.empty()) return -1;
    std::tm tm{};
    if (!strptime(norm.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return -1;
    return int64_t(timegm(&tm));
}

}  // namespace onramp::connectors::wire

namespace onramp::connectors {

// Platform's defaults (connector.h): a platform that imports nothing
// answers every resource as one it does not have.
Outcome<Page> Platform::fetch_page(const Credentials&, CallContext&, Resource resource, const std::string&,
                                   const Window&) const {
    return wire::unsupported_resource(*this, resource);
}

Outcome<Item> Platform::fetch_one(const Credentials&, CallContext&, Resource resource, const std::string&) const {
    return wire::unsupported_resource(*this, resource);
}

}  // namespace onramp::connectors
