// The router (edge/http/router.h): route matching, the checks every request
// passes, Idempotency-Key replay, and the one place a Problem becomes
// problem+json.
#include "edge/http/router.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <exception>
#include <mutex>
#include <set>

#include "edge/crypto/digest.h"
#include "edge/crypto/encoding.h"
#include "shared/json.h"

namespace onramp::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    parts.reserve(8);
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        parts.push_back(path.substr(i, j - i));
        i = j;
    }
    return parts;
}

std::vector<PatternSegment> compile_pattern(std::string_view pattern) {
    std::vector<PatternSegment> out;
    for (std::string_view p : split_path(pattern)) {
        bool is_param = p.size() > 2 && p.front() == '{' && p.back() == '}';
        if (is_param && p[1] == '*')
            out.push_back({PatternSegment::Rest, std::string(p.substr(2, p.size() - 3))});
        else if (is_param)
            out.push_back({PatternSegment::Param, std::string(p.substr(1, p.size() - 2))});
        else
            out.push_back({PatternSegment::Literal, std::string(p)});
    }
    return out;
}

// Matches "/a/{x}/b" against "/a/42/b"; "{*rest}" as the last segment
// matches the remainder (which may contain slashes, never empty).
bool segments_match(const std::vector<PatternSegment>& pattern, const std::vector<std::string_view>& parts) {
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i].kind == PatternSegment::Rest) return i < parts.size();
        if (i >= parts.size()) return false;
        if (pattern[i].kind == PatternSegment::Literal && pattern[i].text != parts[i]) return false;
    }
    return pattern.size() == parts.size();
}

// The parameters of a path segments_match() accepted.
std::map<std::string, std::string> bind_params(const std::vector<PatternSegment>& pattern,
                                               const std::vector<std::string_view>& parts, std::string_view path) {
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i].kind == PatternSegment::Param) out[pattern[i].text] = std::string(parts[i]);
        if (pattern[i].kind == PatternSegment::Rest) out[pattern[i].text] = std::string(path.substr(parts[i].data() - path.data()));
    }
    return out;
}

bool has_body(const Request& req) { return !req.body.empty() || !req.files.empty() || !req.form.empty(); }

std::string media_type(const std::string& content_type) {
    std::string t = content_type.substr(0, content_type.find(';'));
    while (!t.empty() && t.back() == ' ') t.pop_back();
    for (char& c : t) c = char(std::tolower(static_cast<unsigned char>(c)));
    return t;
}

// What makes two requests "the same" for Idempotency-Key: the method, path
// and body; for multipart uploads (whose body is parsed into form and
// files) every field and file, each length-prefixed so that no two
// different uploads share an encoding.
std::string request_fingerprint(const Request& req) {
    std::string out = req.method + " " + req.path + "\n" + req.body;
    auto add = [&out](const std::string& s) { out += std::to_string(s.size()) + ":" + s; };
    for (const auto& [name, value] : req.form) {
        add(name);
        add(value);
    }
    for (const auto& [name, file] : req.files) {
        add(name);
        add(file.filename);
        add(file.content_type);
        add(file.content);
    }
    return out;
}

// A streamed answer is stored for its Idempotency-Key once it has gone
// out whole; one cut short, or too large to keep, is not, and a retry is
// judged afresh.
constexpr size_t kMaxStoredStream = 1 << 20;

void save_when_whole(Response& r, std::function<void(std::string body)> save) {
    struct Copy {
        std::string body;
        bool kept = true;
    };
    auto copy = std::make_shared<Copy>();
    r.stream = [produce = r.stream, copy](const ChunkWriter& write) {
        return produce([&](std::string_view chunk) {
            copy->kept = copy->kept && copy->body.size() + chunk.size() <= kMaxStoredStream;
            if (copy->kept) copy->body.append(chunk);
            return write(chunk);
        });
    };
    r.stream_cut = [cut = r.stream_cut, copy, save = std::move(save)] {
        if (cut && cut()) return true;
        if (copy->kept) save(std::move(copy->body));
        return false;
    };
}

}  // namespace

// A set rather than a lock per key: a key is claimed by its first request
// and a second one meanwhile is refused at once (the IETF draft "The
// Idempotency-Key HTTP Header Field" answers a retry of a request still
// being processed with 409), so no request thread ever waits on another.
struct InFlightKeys {
    std::mutex mu;
    std::set<std::string> keys;
};

namespace {

// Held while the first request with a key runs; for a streamed answer,
// until the stream is done with (it travels in the stream's functions).
struct KeyClaim {
    std::shared_ptr<InFlightKeys> in_flight;
    std::string id;
    KeyClaim(std::shared_ptr<InFlightKeys> keys, std::string claimed)
        : in_flight(std::move(keys)), id(std::move(claimed)) {}
    KeyClaim(const KeyClaim&) = delete;
    KeyClaim& operator=(const KeyClaim&) = delete;
    ~KeyClaim() {
        std::lock_guard<std::mutex> lock(in_flight->mu);
        in_flight->keys.erase(id);
    }
};

// Null when another request holds the key.
std::shared_ptr<KeyClaim> claim_key(const std::shared_ptr<InFlightKeys>& in_flight, const std::string& owner,
                                    const std::string& key) {
    std::string id = owner + '\0' + key;
    {
        std::lock_guard<std::mutex> lock(in_flight->mu);
        if (!in_flight->keys.insert(id).second) return nullptr;
    }
    return std::make_shared<KeyClaim>(in_flight, std::move(id));
}

Response replay(const StoredResponse& stored) {
    Response r;
    r.status = stored.status;
    r.content_type = stored.content_type;
    r.body = stored.body;
    r.set_header("Idempotent-Replayed", "true");
    return r;
}

}  // namespace

Router::Router(RouterHooks hooks) : hooks_(std::move(hooks)), in_flight_(std::make_shared<InFlightKeys>()) {}

Response problem_response(const Problem& p, const std::string& request_id) {
    nlohmann::json j = {
        {"type", "https://onramp.dev/problems/" + p.error_code},
        {"title", p.title},
        {"status", p.status},
        {"detail", p.detail},
        {"error_code", p.error_code},
    };
    if (!request_id.empty()) j["instance"] = "urn:onramp:request:" + request_id;
    if (!p.errors.empty()) j["errors"] = p.errors;
    if (!p.extensions_json.empty()) {
        auto ext = parse_json(p.extensions_json);
        // The standard members win: an extension cannot rename the problem.
        if (ext && ext->is_object())
            for (auto& [k, v] : ext->items())
                if (!j.contains(k)) j[k] = v;
    }
    Response r = Response::json(j, p.status);
    r.content_type = "application/problem+json";
    if (p.retry_after > 0) r.set_header("Retry-After", std::to_string(p.retry_after));
    if (p.status == 401) r.set_header("WWW-Authenticate", "Bearer");
    return r;
}

Result<nlohmann::json> parse_json_object(const Request& req) {
    if (req.body.empty()) return bad_request("The request body is empty; send a JSON object.", "malformed_json");
    auto j = parse_json(req.body);
    if (!j) return j.problem();
    if (!j->is_object()) return unprocessable({{"body", "must be a JSON object"}}, "The body must be a JSON object.");
    return j;
}

void Router::add(Route route) {
    patterns_.push_back(compile_pattern(route.pattern));
    routes_.push_back(std::move(route));
}

const Route* Router::match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>* params, std::string* allow) const {
    std::vector<std::string_view> parts = split_path(path);
    std::set<std::string> methods;
    for (size_t i = 0; i < routes_.size(); ++i) {
        if (!segments_match(patterns_[i], parts)) continue;
        const Route& r = routes_[i];
        if (r.method == method || (method == "HEAD" && r.method == "GET")) {
            if (params) *params = bind_params(patterns_[i], parts, path);
            return &r;
        }
        if (allow) methods.insert(r.method);
    }
    if (allow) {
        allow->clear();
        for (const std::string& m : methods) *allow += (allow->empty() ? "" : ", ") + m;
    }
    return nullptr;
}

size_t Router::max_body_for(const std::string& method, const std::string& path) const {
    const Route* r = match(method, path, nullptr, nullptr);
    return r && r->max_body ? r->max_body : hooks_.default_max_body;
}

std::optional<Problem> Router::check_length(const std::string& method, const std::string& path,
                                            size_t content_length) const {
    size_t limit = max_body_for(method, path);
    if (content_length <= limit) return std::nullopt;
    return payload_too_large("The body is " + std::to_string(content_length) + " bytes; the limit here is " +
                             std::to_string(limit) + " bytes.");
}

Response deferred(std::function<void(Finish finish)> start, std::string request_id) {
    Response r;
    r.later = [start = std::move(start), id = std::move(request_id)](Completion done) {
        auto once = std::make_shared<std::atomic<bool>>(false);
        auto answer = [done = std::move(done), once, id](Response out) {
            if (!once->exchange(true)) done(std::move(out));
        };
        try {
            start([answer, id](Result<Response> out) {
                answer(out ? std::move(out.value()) : problem_response(out.problem(), id));
            });
        } catch (...) {
            answer(problem_response(internal_error(), id));
        }
    };
    return r;
}

Response Router::dispatch(Request& req) const {
    try {
        std::string allow;
        const Route* route = match(req.method, req.path, &req.params, &allow);
        if (!route) {
            if (!allow.empty()) {
                Response r = problem_response(
                    method_not_allowed(req.method + " is not allowed here; use " + allow + "."), req.request_id);
                r.set_header("Allow", allow);
                return r;
            }
            if (hooks_.fallback && (req.method == "GET" || req.method == "HEAD")) {
                if (auto r = hooks_.fallback(req)) return *r;
            }
            return problem_response(not_found("No such endpoint: " + req.path), req.request_id);
        }
        Result<Response> out = run(*route, req);
        return out ? out.value() : problem_response(out.problem(), req.request_id);
    } catch (const std::exception& e) {
        if (hooks_.on_error) hooks_.on_error(req, e.what());
        return problem_response(internal_error(), req.request_id);
    }
}

Result<Response> Router::run(const Route& route, Request& req) const {
    size_t limit = route.max_body ? route.max_body : hooks_.default_max_body;
    if (req.body.size() > limit) return *check_length(req.method, req.path, req.body.size());

    // Content type is checked before authentication: it costs nothing and
    // tells the client what is wrong without revealing anything.
    if (has_body(req)) {
        std::string type = media_type(req.header("Content-Type"));
        if (route.body == Body::None && !req.body.empty())
            return unsupported_media_type("This endpoint takes no request body.");
        if (route.body == Body::Json && type != "application/json")
            return unsupported_media_type("Send the body as application/json.");
        if (route.body == Body::Multipart && type != "multipart/form-data")
            return unsupported_media_type("Send the body as multipart/form-data.");
    }

    std::optional<auth::Principal> who;
    if (hooks_.authenticate) {
        auto a = hooks_.authenticate(req);
        if (!a) {
            if (route.access != Access::Public) return a.problem();
        } else {
            who = std::move(a.value());
        }
    }
    if (route.access != Access::Public && !who) return unauthorized();
    if (route.access == Access::Operator && !who->is_operator)
        return forbidden("Only operators can do this.");

    const auth::Principal* principal = who ? &*who : nullptr;
    Call call{req, principal};

    std::string idem_key = req.header("Idempotency-Key");
    bool idempotent = req.method == "POST" && !idem_key.empty() && hooks_.idem_find && hooks_.idem_save;
    if (!idempotent) return route.handler(call);

    if (idem_key.size() > 255) return bad_request("Idempotency-Key is longer than 255 characters.");
    // Keys are per caller: another caller's key must neither replay nor collide.
    std::string owner = principal ? principal->user_id : "anon:" + req.remote_addr;
    std::string body_hash = crypto::hex_encode(crypto::sha256(request_fingerprint(req)));
    // What a stored answer decides: its replay, a Problem, or (none stored) nothing.
    auto decided = [&]() -> std::optional<Result<Response>> {
        auto stored = hooks_.idem_find(owner, idem_key);
        if (!stored) return Result<Response>(stored.problem());
        if (!*stored) return std::nullopt;
        if ((*stored)->body_hash != body_hash)
            return Result<Response>(unprocessable({{"Idempotency-Key", "was already used with a different request"}},
                                                  "This Idempotency-Key was used for a different request."));
        return Result<Response>(replay(**stored));
    };
    if (auto answer = decided()) return *answer;
    std::shared_ptr<KeyClaim> claim = claim_key(in_flight_, owner, idem_key);
    if (!claim) {
        Problem p = conflict("A request with this Idempotency-Key is still being answered; retry once it is done.",
                             "idempotency_in_progress");
        p.retry_after = 1;
        return p;
    }
    // The first request may have finished between the lookup and the claim.
    if (auto answer = decided()) return *answer;
    Result<Response> out = route.handler(call);
    Response r = out ? out.value() : problem_response(out.problem(), req.request_id);
    if (r.later) {
        r.later = [later = std::move(r.later), save = hooks_.idem_save, owner, idem_key, req, body_hash,
                   claim](Completion done) mutable {
            later([done = std::move(done), save = std::move(save), owner = std::move(owner),
                   idem_key = std::move(idem_key), req = std::move(req), body_hash = std::move(body_hash),
                   claim = std::move(claim)](Response answer) mutable {
                if (answer.status < 300 && !answer.stream && !answer.later)
                    save(owner, idem_key, req, StoredResponse{body_hash, answer.status, answer.content_type, answer.body});
                claim.reset();
                done(std::move(answer));
            });
        };
        return r;
    }
    // Only successes are stored: a rejected request changed nothing, and a
    // retry of it should be judged afresh (a server error may have passed).
    if (r.status >= 300) return r;
    StoredResponse stored{body_hash, r.status, r.content_type, r.body};
    if (!r.stream) {
        hooks_.idem_save(owner, idem_key, req, stored);
        return r;
    }
    save_when_whole(r, [save = hooks_.idem_save, owner, idem_key, req, stored, claim](std::string body) mutable {
        stored.body = std::move(body);
        save(owner, idem_key, req, stored);
    });
    return r;
}

}  // namespace onramp::http
