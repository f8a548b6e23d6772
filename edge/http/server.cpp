// The HTTP server (see server.h). One event-loop thread runs Boost.Beast's
// parser over every connection; a request whose header and body are
// complete goes to the worker pool, and its response comes back to the loop
// to be written. This is the only file that includes Beast or Asio.
//
// One connection, as a sequence of steps (each a function of Session):
//
//   accept --admit--> read_header --on_header--> read_body ... --> dispatch
//        (503 over a cap)   (408, 400, 431,      (413, 408)       (worker)
//                            413, 415, 501)                          |
//   await_request <--finish_exchange <-- respond <-------------------+
//     (idle timeout)         |              \--> stream: produce_next (worker)
//                            v                    <--> on_produced (pause when
//                     close_gracefully                 a call wrote nothing)
//
// [SECTION] index: Helpers, Shared state, Session, Door: accepting connections,
// Server.
#include "edge/http/server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <ctime>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "edge/crypto/random.h"
#include "edge/http/header_text.h"
#include "edge/http/multipart.h"
#include "edge/http/request_target.h"

namespace onramp::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// ---------------------------------------------------------------------------
// [SECTION] Helpers
// ---------------------------------------------------------------------------

// Request lines and headers together; a JSON Web Token in Authorization
// and a few cookies fit many times over.
constexpr uint32_t kMaxHeaderBytes = 16 * 1024;
// How long a response (or one piece of a stream) may take to be written
// before the receiver is taken to be gone; a refusal gets less.
constexpr milliseconds kWriteTimeout{30000};
constexpr milliseconds kRefusalWriteTimeout{5000};
// A large body goes out in pieces, each with its own write deadline, so a
// slow but reading client (a phone fetching the web client) is served
// while one that reads nothing is let go of.
constexpr size_t kWritePiece = 256 * 1024;
// After a response that closes the connection while the client may still
// be sending (a refused body), its bytes are read and dropped for a
// moment, so that the close does not reset the connection before the
// client has read the answer (RFC 9112 §9.6). Bounded in time and bytes.
constexpr milliseconds kLingerTime{2000};
constexpr size_t kLingerBytes = 256 * 1024;
// The pause before a stream's producer is called again after a call that
// wrote nothing (message.h).
constexpr milliseconds kStreamPause{200};
// A listen backlog large enough that a burst of connections never waits
// for SYN retransmits; the kernel caps it at net.core.somaxconn.
constexpr int kBacklog = 4096;

std::string trimmed_lower(std::string_view s) { return ascii_lower(trim_ows(s)); }

// Accept a caller's X-Request-Id only if it is short and plain, so it is
// safe to echo into logs and headers (no header or log injection).
std::string request_id_from(std::string_view id) {
    bool ok = !id.empty() && id.size() <= 64;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') ok = false;
    return ok ? std::string(id) : crypto::random_id("req").substr(4);
}

// Security: a header a handler set is sent only when its name is a token
// and its value has no line break or NUL, so nothing a handler echoes can
// split the response (RFC 9110 §5.5).
bool safe_header(const std::string& name, const std::string& value) {
    if (name.empty()) return false;
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) &&
            std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
            return false;
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

// Statuses whose responses never have a body (RFC 9110 §6.4.1).
bool bodiless(int status) { return status / 100 == 1 || status == 204 || status == 304; }

// How a response's body is delimited on the wire.
enum class Framing { Length, Chunked, Close };

// The status line and header block of `r`, ending in the empty line.
// `length` is the Content-Length to send (Framing::Length), when the
// handler set none itself.
std::string head_of(const Response& r, const std::string& request_id, Framing framing, int64_t length, bool close,
                    bool http10_keep_alive) {
    std::string reason(bhttp::obsolete_reason(bhttp::int_to_status(unsigned(r.status))));
    std::string h = "HTTP/1.1 " + std::to_string(r.status) + " " + reason + "\r\n";
    bool own_length = false;
    for (const auto& [k, v] : r.headers) {
        if (!safe_header(k, v) || iequals_ascii(k, "Transfer-Encoding") || iequals_ascii(k, "Connection")) continue;
        if (iequals_ascii(k, "Content-Length")) {
            if (framing != Framing::Length) continue;
            own_length = true;
        }
        if (iequals_ascii(k, "Content-Type") && !r.content_type.empty()) continue;
        h += k + ": " + v + "\r\n";
    }
    if (!r.content_type.empty() && safe_header("Content-Type", r.content_type))
        h += "Content-Type: " + r.content_type + "\r\n";
    if (framing == Framing::Length && !own_length && !bodiless(r.status))
        h += "Content-Length: " + std::to_string(length) + "\r\n";
    if (framing == Framing::Chunked) h += "Transfer-Encoding: chunked\r\n";
    h += "X-Request-Id: " + request_id + "\r\n";
    if (close)
        h += "Connection: close\r\n";
    else if (http10_keep_alive)
        h += "Connection: keep-alive\r\n";
    return h + "\r\n";
}

// The Content-Length a handler set itself, or -1. (The mock platforms
// declare more than they send, to play a platform that drops mid-answer.)
int64_t declared_length(const Response& r) {
    for (const auto& [k, v] : r.headers)
        if (iequals_ascii(k, "Content-Length") && !v.empty() && v.size() < 19 &&
            v.find_first_not_of("0123456789") == std::string::npos)
            return std::stoll(v);
    return -1;
}

bool handler_closes(const Response& r) {
    for (const auto& [k, v] : r.headers)
        if (iequals_ascii(k, "Connection") && trimmed_lower(v) == "close") return true;
    return false;
}

struct Exchange {
    std::string id;
    std::string method;
    std::string path;  // decoded when the target parsed, else the raw path
    std::string remote;
    std::string scheme = "http";
    Target target;
    unsigned version = 11;
    bool keep_alive = false;
    bool head = false;
    Clock::time_point started = Clock::now();
};

// Printable ASCII other than the quote and the backslash: text that is its
// own JSON string.
bool plain_json_text(std::string_view s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
    return true;
}

// One line per request, on the event loop: the common line (every field
// plain text) is written out directly; any other goes through nlohmann,
// which escapes and replaces bytes that are not UTF-8 (a raw path refused
// for its bytes may hold such; JSON must not). Both give the same keys, in
// the same order.
std::string access_line(const Exchange& ex, int status) {
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - ex.started).count();
    double rounded = std::round(ms * 100) / 100;
    if (plain_json_text(ex.id) && plain_json_text(ex.method) && plain_json_text(ex.path) &&
        plain_json_text(ex.remote)) {
        char number[32];
        auto end = std::to_chars(number, number + sizeof number, rounded).ptr;
        std::string line;
        line.reserve(128 + ex.path.size());
        line += "{\"method\":\"" + ex.method + "\",\"ms\":";
        line.append(number, end);
        line += ",\"path\":\"" + ex.path + "\",\"remote\":\"" + ex.remote + "\",\"request_id\":\"" + ex.id +
                "\",\"status\":" + std::to_string(status) + ",\"ts\":" + std::to_string(std::time(nullptr)) + "}";
        return line;
    }
    nlohmann::json j = {{"ts", std::time(nullptr)}, {"request_id", ex.id}, {"method", ex.method},
                        {"path", ex.path},          {"status", status},    {"ms", rounded},
                        {"remote", ex.remote}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Problem problem_with(int status, std::string code, std::string title, std::string detail) {
    Problem p;
    p.status = status;
    p.error_code = std::move(code);
    p.title = std::move(title);
    p.detail = std::move(detail);
    return p;
}

// Runs `job` and swallows what it throws: a worker must never die, and the
// jobs report their own failures.
template <class F>
auto guarded(F job) {
    return [job = std::move(job)]() mutable {
        try {
            job();
        } catch (...) {
        }
    };
}

// Producer calls of every stream together take at most `cap` workers, so
// streams whose producers block (a proxied platform's next bytes) never
// starve requests of workers.
class StreamLane {
public:
    void init(net::thread_pool* pool, int cap) {
        pool_ = pool;
        cap_ = cap < 1 ? 1 : cap;
    }
    void submit(std::function<void()> job) {
        {
            std::lock_guard<std::mutex> lock(mu_);
            if (running_ >= cap_) {
                waiting_.push_back(std::move(job));
                return;
            }
            ++running_;
        }
        net::post(*pool_, [this, job = std::move(job)]() mutable { drain(std::move(job)); });
    }

private:
    void drain(std::function<void()> job) {
        for (;;) {
            guarded(std::move(job))();
            std::lock_guard<std::mutex> lock(mu_);
            if (waiting_.empty()) {
                --running_;
                return;
            }
            job = std::move(waiting_.front());
            waiting_.pop_front();
        }
    }

    net::thread_pool* pool_ = nullptr;
    std::mutex mu_;
    int cap_ = 1;
    int running_ = 0;
    std::deque<std::function<void()>> waiting_;
};

struct Session;

// ---------------------------------------------------------------------------
// [SECTION] Shared state
// ---------------------------------------------------------------------------

// What every connection shares: the router, the limits, the event loop,
// the workers and the connection counts.
struct Door {
    const Router& router;
    ServerOptions options;
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    net::steady_timer accept_retry{ioc};
    net::thread_pool pool;
    StreamLane lane;
    std::atomic<bool> stopping{false};
    std::atomic<bool> running{false};
    int port = 0;
    std::string refusal;  // the 503 for a connection over a cap, ready to send

    // Answers made on other threads (workers, the webhook inbox's
    // committer), waiting for the event loop; `posted` while a drain is on
    // its way. Each post to a sleeping loop wakes it, and a committer
    // finishing a batch answers a hundred requests at once: they go to the
    // loop as one job instead of a hundred.
    std::mutex answers_mu;
    std::vector<std::function<void()>> answers;
    bool posted = false;

    std::mutex mu;  // guards the connection counts and the session registry
    int open = 0;
    std::unordered_map<std::string, int> per_address;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

    Door(const Router& r, ServerOptions o)
        : router(r), options(std::move(o)), pool(size_t(options.threads > 0 ? options.threads : 8)) {
        lane.init(&pool, (options.threads > 0 ? options.threads : 8) / 2);
        Problem busy = problem_with(503, "too_many_connections", "Service unavailable",
                                    "Too many open connections; try again shortly.");
        busy.retry_after = 5;
        Response answer = problem_response(busy, "");
        refusal = head_of(answer, "-", Framing::Length, int64_t(answer.body.size()), true, false) + answer.body;
    }

    void log(const std::string& line) {
        if (options.access_log) options.access_log(line);
    }
    void deliver(std::function<void()> job);
    void accept();
    void admit(tcp::socket socket);
    void refuse_connection(tcp::socket& socket, const std::string& peer);
    void forget(Session* s, const std::string& peer);
};

// Keeps the event loop's run() from returning while a worker holds a job
// whose result still has to be written.
using Work = net::executor_work_guard<net::io_context::executor_type>;

// ---------------------------------------------------------------------------
// [SECTION] Session: one connection
// ---------------------------------------------------------------------------

// A response body being streamed: the producer and what its calls have
// sent. Producer calls run on workers one at a time; the session reads
// the fields between calls only.
struct StreamRun {
    StreamProducer produce;
    std::function<bool()> cut;
    int64_t length = -1;
    Framing framing = Framing::Chunked;
    int status = 200;
    int64_t sent = 0;
    bool ended = false;             // the producer returned false (or threw): it is not called again
    std::atomic<bool> gone{false};  // the receiver is gone: the writer answers false

    struct Step {
        std::string data;
        bool more = false;
        bool broken = false;  // threw, wrote past `length`, or was cut: close without the proper end
    };

    Step call() {
        Step s;
        ChunkWriter write = [&](std::string_view chunk) {
            if (gone.load()) return false;
            if (length >= 0 && sent + int64_t(chunk.size()) > length) {
                s.broken = true;
                return false;
            }
            sent += int64_t(chunk.size());
            s.data.append(chunk);
            return true;
        };
        try {
            s.more = produce(write) && !s.broken;
            if (!s.more && !s.broken && !gone.load()) s.broken = cut && cut();
        } catch (...) {
            s.more = false;
            s.broken = true;
        }
        ended = !s.more;
        return s;
    }
};

struct Session : std::enable_shared_from_this<Session> {
    Door& srv;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    std::string peer;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser;
    net::steady_timer pause;
    Exchange ex;
    bool busy = false;  // from a complete header until the response is out
    bool stop_requested = false;
    Clock::time_point body_started;
    uint64_t body_received = 0;
    // The bytes being written: a head and a body, or a chunk's frame.
    std::string out_head, out_body, out_tail;
    size_t out_written = 0;  // of out_body
    std::shared_ptr<StreamRun> run;
    bool close_after = false;
    std::unique_ptr<char[]> discard;
    size_t discarded = 0;

    Session(Door& s, tcp::socket socket, std::string address)
        : srv(s), stream(std::move(socket)), peer(std::move(address)), pause(stream.get_executor()) {}

    ~Session() {
        release_stream();
        srv.forget(this, peer);
    }

    void start() {
        net::dispatch(stream.get_executor(), [self = shared_from_this()] {
            if (self->srv.stopping) return self->close_now();
            self->read_header();
        });
    }

    // Told by Server::stop(), on this connection's strand.
    void on_stop() {
        stop_requested = true;
        if (!busy) return close_now();
        pause.cancel();
    }

    // --- reading the request -------------------------------------------------

    void await_request() {
        busy = false;
        parser.reset();
        if (stop_requested || srv.stopping) return close_now();
        if (buffer.size() > 0) return read_header();           // the next request is already here
        if (buffer.capacity() > 8192) buffer.shrink_to_fit();  // an idle connection keeps little
        stream.expires_after(srv.options.limits.idle_timeout);
        stream.async_read_some(buffer.prepare(1024), [self = shared_from_this()](beast::error_code ec, size_t n) {
            if (ec) return self->close_now();
            self->buffer.commit(n);
            self->read_header();
        });
    }

    void read_header() {
        parser.emplace();
        parser->header_limit(kMaxHeaderBytes);
        // Unlimited until the route is known: on_header applies its limit.
        parser->body_limit(boost::none);
        stream.expires_after(srv.options.limits.header_timeout);
        bhttp::async_read_header(stream, buffer, *parser,
                                 [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
    }

    // An exchange for a request whose header did not parse.
    void begin_unparsed() {
        busy = true;
        ex = Exchange{};
        ex.id = request_id_from("");
        ex.remote = peer;
    }

    void on_header(beast::error_code ec) {
        bool had_bytes = buffer.size() > 0;
        if (ec == beast::error::timeout) {
            if (!had_bytes) return close_now();
            begin_unparsed();
            return refuse(
                problem_with(408, "request_timeout", "Request timeout", "The request header did not arrive in time."),
                true);
        }
        if (ec == bhttp::error::header_limit) {
            begin_unparsed();
            return refuse(problem_with(431, "header_too_large", "Request header fields too large",
                                       "The request header is over " + std::to_string(kMaxHeaderBytes) + " bytes."),
                          true);
        }
        if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return close_now();
        if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
            begin_unparsed();
            return refuse(bad_request("The request line or a header is malformed (" + ec.message() + ")."), true);
        }
        if (ec) return close_now();
        begin_request();
    }

    void begin_request() {
        busy = true;
        auto& msg = parser->get();
        ex = Exchange{};
        ex.id = request_id_from(msg["X-Request-Id"]);
        ex.method = std::string(msg.method_string());
        ex.version = msg.version();
        ex.head = msg.method() == bhttp::verb::head;
        ex.keep_alive = parser->keep_alive();
        std::vector<std::string> forwarded_for;
        for (const auto& field : msg)
            if (iequals_ascii(field.name_string(), "X-Forwarded-For")) forwarded_for.emplace_back(field.value());
        ClientOrigin origin = srv.options.trusted_proxies.resolve(peer, forwarded_for, msg["X-Forwarded-Proto"]);
        ex.remote = origin.address;
        ex.scheme = origin.scheme;
        std::string_view raw = msg.target();
        ex.path = std::string(raw_path(raw));

        bool has_body = parser->chunked() || parser->content_length().value_or(0) > 0;
        auto target = parse_target(raw);
        if (!target) return refuse(target.problem(), has_body);
        ex.path = target->path;
        ex.target = std::move(*target);

        std::string coding = trimmed_lower(msg[bhttp::field::transfer_encoding]);
        if (!coding.empty() && coding != "chunked")
            return refuse(problem_with(501, "unsupported_transfer_coding", "Not implemented",
                                       "Only the chunked transfer coding is accepted."),
                          true);
        std::string encoding = trimmed_lower(msg[bhttp::field::content_encoding]);
        if (has_body && !encoding.empty() && encoding != "identity")
            return refuse(
                unsupported_media_type("Send the body without a Content-Encoding; '" + encoding + "' is not accepted."),
                true);
        size_t limit = srv.router.max_body_for(ex.method, ex.path);
        if (auto n = parser->content_length(); n && *n > limit)
            return refuse(*srv.router.check_length(ex.method, ex.path, size_t(*n)), true);
        std::string_view expect = msg[bhttp::field::expect];
        bool wants_continue = iequals_ascii(expect, "100-continue");
        if (!expect.empty() && !wants_continue)
            return refuse(problem_with(417, "expectation_failed", "Expectation failed",
                                       "Only 'Expect: 100-continue' is understood."),
                          has_body);
        if (!has_body) return dispatch();

        parser->body_limit(uint64_t(limit));
        body_started = Clock::now();
        body_received = 0;
        if (!wants_continue || ex.version < 11) return read_body();
        out_head = "HTTP/1.1 100 Continue\r\n\r\n";
        stream.expires_after(kWriteTimeout);
        net::async_write(stream, net::buffer(out_head), [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->close_now();
            self->read_body();
        });
    }

    void read_body() {
        // The body must arrive at body_min_rate on average after a grace:
        // each read's deadline moves on by what has arrived so far.
        size_t rate = srv.options.limits.body_min_rate ? srv.options.limits.body_min_rate : 1;
        auto allowed = srv.options.limits.header_timeout + milliseconds(body_received * 1000 / rate);
        stream.expires_at(body_started + allowed);
        bhttp::async_read_some(stream, buffer, *parser,
                               [self = shared_from_this()](beast::error_code ec, size_t n) { self->on_body(ec, n); });
    }

    void on_body(beast::error_code ec, size_t n) {
        body_received += n;
        if (ec == bhttp::error::body_limit) {
            size_t limit = srv.router.max_body_for(ex.method, ex.path);
            return refuse(payload_too_large("The body is over the limit here, " + std::to_string(limit) + " bytes."),
                          true);
        }
        if (ec == beast::error::timeout)
            return refuse(
                problem_with(408, "request_timeout", "Request timeout", "The request body arrived too slowly."), true);
        if (ec) return refuse(bad_request("The request body is malformed or ended early."), true);
        if (!parser->is_done()) return read_body();
        dispatch();
    }

    // --- handling ------------------------------------------------------------

    void dispatch() {
        stream.expires_never();
        auto msg = parser->release();
        parser.reset();
        net::post(
            srv.pool,
            guarded([self = shared_from_this(), msg = std::move(msg), work = Work(srv.ioc.get_executor())]() mutable {
                Response out = self->handle(std::move(msg));
                if (out.later) return self->await_answer(std::move(out.later), std::move(work));
                self->answer(std::move(out));
            }));
    }

    // From any thread: the response goes to the connection's strand to be
    // written, by way of the loop's batch of answers (Door::deliver).
    void answer(Response out) {
        srv.deliver([self = shared_from_this(), out = std::move(out)]() mutable {
            auto strand = self->stream.get_executor();
            net::dispatch(strand, [self, out = std::move(out)]() mutable { self->respond(std::move(out)); });
        });
    }

    // A deferred response (message.h): the worker returns at once and the
    // answer comes from whichever thread completes it; until then the
    // event loop is kept running for it (and no longer once it came, even
    // if the completion is kept).
    void await_answer(std::function<void(Completion)> later, Work work) {
        auto held = std::make_shared<Work>(std::move(work));
        try {
            later([self = shared_from_this(), held](Response out) {
                self->answer(std::move(out));
                held->reset();
            });
        } catch (...) {  // deferred() (router.h) never throws; this is out of memory and the like
            answer(problem_response(internal_error(), ex.id));
        }
    }

    // On a worker: the Request handlers see, and the router's response.
    Response handle(bhttp::request<bhttp::string_body> msg) {
        try {
            Request req;
            req.method = ex.method;
            req.path = ex.target.path;
            req.target = std::string(msg.target());
            req.query = ex.target.query;
            for (const auto& field : msg)
                req.headers.emplace(std::string(field.name_string()), std::string(field.value()));
            req.body = std::move(msg.body());
            req.remote_addr = ex.remote;
            req.scheme = ex.scheme;
            req.request_id = ex.id;
            std::string type = req.header("Content-Type");
            if (!req.body.empty() && media_type_of(type) == "multipart/form-data") {
                auto parts = parse_multipart(req.body, type);
                if (!parts) return problem_response(parts.problem(), ex.id);
                for (FormPart& p : *parts) {
                    if (p.filename && !p.filename->empty())
                        req.files.emplace(p.name, UploadedFile{*p.filename, p.content_type, std::move(p.content)});
                    else
                        req.form.emplace(p.name, std::move(p.content));
                }
                req.body.clear();
            }
            return srv.router.dispatch(req);
        } catch (...) {  // the router catches handlers' exceptions; this is out of memory and the like
            return problem_response(internal_error(), ex.id);
        }
    }

    // --- writing the response ------------------------------------------------

    void refuse(const Problem& p, bool body_pending) {
        if (body_pending) ex.keep_alive = false;
        respond(problem_response(p, ex.id), body_pending ? kRefusalWriteTimeout : kWriteTimeout);
    }

    void respond(Response out, milliseconds write_timeout = kWriteTimeout) {
        int status = out.status;
        bool close = !ex.keep_alive || stop_requested || srv.stopping || handler_closes(out);
        bool http10_keep_alive = ex.version < 11 && !close;
        if (out.stream && out.stream_length != 0) {
            if (ex.head) {
                Framing f = out.stream_length > 0 ? Framing::Length : Framing::Chunked;
                out_head = head_of(out, ex.id, f, out.stream_length, close, http10_keep_alive);
                release_producer(std::move(out));
                out_body.clear();
                return write_whole(status, close, write_timeout);
            }
            return start_stream(std::move(out), close, http10_keep_alive);
        }
        int64_t declared = declared_length(out);
        if (declared >= 0 && declared != int64_t(out.body.size())) close = true;
        out_head = head_of(out, ex.id, Framing::Length, int64_t(out.body.size()), close, http10_keep_alive && !close);
        out_body = ex.head || bodiless(out.status) ? std::string() : std::move(out.body);
        release_producer(std::move(out));
        write_whole(status, close, write_timeout);
    }

    void write_whole(int status, bool close, milliseconds write_timeout) {
        out_written = 0;
        write_piece(status, close, write_timeout);
    }

    void write_piece(int status, bool close, milliseconds write_timeout) {
        size_t n = std::min(kWritePiece, out_body.size() - out_written);
        std::array<net::const_buffer, 2> bufs{out_written == 0 ? net::buffer(out_head) : net::const_buffer(),
                                              net::buffer(out_body.data() + out_written, n)};
        stream.expires_after(write_timeout);
        net::async_write(stream, bufs,
                         [self = shared_from_this(), status, close, write_timeout, n](beast::error_code ec, size_t) {
                             self->out_written += n;
                             if (!ec && self->out_written < self->out_body.size())
                                 return self->write_piece(status, close, write_timeout);
                             self->out_body.clear();
                             self->out_body.shrink_to_fit();
                             self->finish_exchange(status, close || bool(ec), bool(ec));
                         });
    }

    void finish_exchange(int status, bool close, bool broken) {
        srv.log(access_line(ex, status));
        release_stream();
        if (broken) return close_now();
        if (close) return close_gracefully();
        await_request();
    }

    // --- streams -------------------------------------------------------------

    void start_stream(Response out, bool close, bool http10_keep_alive) {
        Framing framing = out.stream_length > 0 ? Framing::Length
                          : ex.version >= 11    ? Framing::Chunked
                                                : Framing::Close;  // HTTP/1.0 has no chunks: the close ends it
        if (framing == Framing::Close) close = true;
        close_after = close;
        out_head = head_of(out, ex.id, framing, out.stream_length, close, http10_keep_alive && !close);
        run = std::make_shared<StreamRun>();
        run->produce = std::move(out.stream);
        run->cut = std::move(out.stream_cut);
        run->length = out.stream_length;
        run->framing = framing;
        run->status = out.status;
        stream.expires_after(kWriteTimeout);
        net::async_write(stream, net::buffer(out_head), [self = shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->end_stream_cut();
            self->produce_next();
        });
    }

    void produce_next() {
        srv.lane.submit(
            [self = shared_from_this(), r = run, work = std::make_shared<Work>(srv.ioc.get_executor())]() mutable {
                StreamRun::Step step = r->call();
                auto strand = self->stream.get_executor();
                net::post(strand, [self = std::move(self), step = std::move(step)]() mutable {
                    self->on_produced(std::move(step));
                });
                r.reset();
            });
    }

    void on_produced(StreamRun::Step step) {
        if (!run) return;
        if (step.broken) return end_stream_cut();
        if (!step.data.empty()) {
            bool chunked = run->framing == Framing::Chunked;
            char size[20];
            std::snprintf(size, sizeof size, "%zx\r\n", step.data.size());
            out_head = chunked ? size : "";
            out_body = std::move(step.data);
            out_tail = chunked ? "\r\n" : "";
            stream.expires_after(kWriteTimeout);
            std::array<net::const_buffer, 3> bufs{net::buffer(out_head), net::buffer(out_body), net::buffer(out_tail)};
            net::async_write(stream, bufs, [self = shared_from_this(), more = step.more](beast::error_code ec, size_t) {
                if (ec) return self->end_stream_cut();
                if (more) return self->produce_next();
                self->end_stream();
            });
            return;
        }
        if (!step.more) return end_stream();
        // Nothing yet: call again after a pause, unless the server is stopping.
        if (stop_requested || srv.stopping) return end_stream_cut();
        pause.expires_after(kStreamPause);
        pause.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || self->stop_requested) return self->end_stream_cut();
            self->produce_next();
        });
    }

    void end_stream() {
        if (run->framing == Framing::Length && run->sent != run->length) return end_stream_cut();
        int status = run->status;
        if (run->framing != Framing::Chunked) return finish_exchange(status, close_after, false);
        out_head = "0\r\n\r\n";
        stream.expires_after(kWriteTimeout);
        net::async_write(stream, net::buffer(out_head),
                         [self = shared_from_this(), status](beast::error_code ec, size_t) {
                             self->finish_exchange(status, self->close_after || bool(ec), bool(ec));
                         });
    }

    // The stream ends without its proper end (no last chunk, fewer bytes
    // than Content-Length promised), so no receiver takes the part for the
    // whole.
    void end_stream_cut() {
        int status = run ? run->status : 500;
        if (run) run->gone = true;
        finish_exchange(status, true, true);
    }

    // --- teardown ------------------------------------------------------------

    // A producer may hold a thread that only ends at a platform's next
    // bytes (edge/connectors/proxy.cpp): it is always let go of on a worker,
    // never on the event loop. One that has not ended is called once more,
    // its writer answering false, so it learns the receiver is gone and
    // stops what feeds it (message.h).
    void release_stream() {
        if (!run) return;
        run->gone = true;
        std::shared_ptr<StreamRun> r = std::move(run);
        if (r->ended) {
            net::post(srv.pool, [r = std::move(r)]() mutable { r.reset(); });
            return;
        }
        srv.lane.submit([r]() mutable {
            r->call();
            r.reset();
        });
    }

    void release_producer(Response out) {
        if (!out.stream && !out.stream_cut) return;
        net::post(srv.pool, [s = std::move(out.stream), c = std::move(out.stream_cut)]() mutable {
            s = nullptr;
            c = nullptr;
        });
    }

    void close_now() {
        beast::error_code ignored;
        pause.cancel();
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.close();
    }

    // Stops sending, then drops what the client still sends for a moment
    // before closing (kLingerTime).
    void close_gracefully() {
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        discard = std::make_unique<char[]>(4096);
        discarded = 0;
        stream.expires_after(kLingerTime);
        linger();
    }

    void linger() {
        stream.async_read_some(net::buffer(discard.get(), 4096),
                               [self = shared_from_this()](beast::error_code ec, size_t n) {
                                   self->discarded += n;
                                   if (ec || self->discarded > kLingerBytes) return self->close_now();
                                   self->linger();
                               });
    }
};

// ---------------------------------------------------------------------------
// [SECTION] Door: accepting connections
// ---------------------------------------------------------------------------

void Door::accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (stopping || ec == net::error::operation_aborted) return;
        if (ec) {
            // Out of file descriptors, most likely: wait for some to close
            // instead of spinning on the error.
            accept_retry.expires_after(milliseconds(50));
            accept_retry.async_wait([this](beast::error_code e) {
                if (!e && !stopping) accept();
            });
            return;
        }
        admit(std::move(socket));
        accept();
    });
}

void Door::admit(tcp::socket socket) {
    beast::error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    if (ec) return;
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    std::string peer = address.to_string();
    bool proxy = options.trusted_proxies.contains(peer);
    {
        std::lock_guard<std::mutex> lock(mu);
        int& from_peer = per_address[peer];
        if (open >= options.limits.max_connections ||
            (!proxy && from_peer >= options.limits.max_connections_per_address)) {
            if (from_peer == 0) per_address.erase(peer);
            refuse_connection(socket, peer);
            return;
        }
        ++open;
        ++from_peer;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto session = std::make_shared<Session>(*this, std::move(socket), peer);
    {
        std::lock_guard<std::mutex> lock(mu);
        sessions[session.get()] = session;
    }
    session->start();
}

// Over a cap: one write that never blocks, and the close. Nothing is read
// and no session is made, so a flood of connections costs next to nothing.
void Door::refuse_connection(tcp::socket& socket, const std::string& peer) {
    ::send(socket.native_handle(), refusal.data(), refusal.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
    Exchange ex;
    ex.id = request_id_from("");
    ex.remote = peer;
    log(access_line(ex, 503));
}

void Door::deliver(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(answers_mu);
        answers.push_back(std::move(job));
        if (std::exchange(posted, true)) return;
    }
    net::post(ioc, [this] {
        std::vector<std::function<void()>> ready;
        {
            std::lock_guard<std::mutex> lock(answers_mu);
            ready.swap(answers);
            posted = false;
        }
        for (auto& job : ready) job();
    });
}

void Door::forget(Session* s, const std::string& peer) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(s);
    --open;
    auto it = per_address.find(peer);
    if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Server
// ---------------------------------------------------------------------------

struct Server::Impl : Door {
    using Door::Door;
};

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() = default;

bool Server::bind() {
    Impl& s = *impl_;
    beast::error_code ec;
    tcp::endpoint endpoint;
    auto address = net::ip::make_address(s.options.host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, net::ip::port_type(s.options.port));
    } else {
        tcp::resolver resolver(s.ioc);
        auto found = resolver.resolve(s.options.host, std::to_string(s.options.port), ec);
        if (ec || found.empty()) {
            errno = EADDRNOTAVAIL;
            return false;
        }
        endpoint = found.begin()->endpoint();
    }
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) s.acceptor.bind(endpoint, ec);
    if (!ec) s.acceptor.listen(kBacklog, ec);
    if (ec) {
        errno = ec.value();
        beast::error_code ignored;
        s.acceptor.close(ignored);
        return false;
    }
    s.port = s.acceptor.local_endpoint(ec).port();
    return true;
}

int Server::port() const { return impl_->port; }

void Server::run() {
    Impl& s = *impl_;
    s.running = true;
    if (!s.stopping && s.acceptor.is_open()) s.accept();
    s.ioc.run();
    s.pool.join();
    s.running = false;
}

void Server::stop() {
    Impl& s = *impl_;
    if (s.stopping.exchange(true)) return;
    net::post(s.ioc, [&s] {
        beast::error_code ignored;
        s.acceptor.close(ignored);
        s.accept_retry.cancel();
        std::vector<std::shared_ptr<Session>> live;
        {
            std::lock_guard<std::mutex> lock(s.mu);
            for (auto& [ptr, weak] : s.sessions)
                if (auto session = weak.lock()) live.push_back(std::move(session));
        }
        for (auto& session : live) {
            auto strand = session->stream.get_executor();
            net::post(strand, [session = std::move(session)] { session->on_stop(); });
        }
    });
}

bool Server::is_running() const { return impl_->running; }

}  // namespace onramp::http
