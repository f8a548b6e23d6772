#include "edge/http/server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>

#include <chrono>
#include <ctime>

#include "edge/crypto/random.h"

namespace onramp::http {

struct Server::Impl {
    const Router& router;
    ServerOptions options;
    httplib::Server svr;
    int port = 0;
    int listening_fd = -1;

    Impl(const Router& r, ServerOptions o) : router(r), options(std::move(o)) {}
};

namespace {

// Accept a caller's X-Request-Id only if it is short and plain, so it is
// safe to echo into logs and headers (no header or log injection).
std::string request_id_from(const httplib::Request& req) {
    std::string id = req.get_header_value("X-Request-Id");
    bool ok = !id.empty() && id.size() <= 64;
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') ok = false;
    return ok ? id : crypto::random_id("req").substr(4);
}

Request to_request(const httplib::Request& in, const std::string& request_id) {
    Request r;
    r.method = in.method;
    r.path = in.path;
    r.target = in.target;
    for (const auto& [k, v] : in.headers) r.headers.emplace(k, v);
    for (const auto& [k, v] : in.params) r.query.emplace(k, v);
    r.body = in.body;
    r.remote_addr = in.remote_addr;
    r.request_id = request_id;
    for (const auto& [name, file] : in.files) {
        if (file.filename.empty())
            r.form.emplace(name, file.content);
        else
            r.files.emplace(name, UploadedFile{file.filename, file.content_type, file.content});
    }
    // httplib already parsed multipart; its copy of the body is not needed.
    if (!in.files.empty()) r.body.clear();
    return r;
}

// A Response's stream as httplib pulls it, one producer call per step.
// A step that returns false makes httplib close the connection mid-body:
// that is how a cut stream ends, without the final chunk or with fewer
// bytes than Content-Length promised.
struct Feed {
    StreamProducer produce;
    std::function<bool()> cut;
    int64_t length = -1;
    int64_t sent = 0;
    bool broken = false;  // the receiver is gone, or the producer wrote past `length`

    bool step(httplib::DataSink& sink) {
        ChunkWriter write = [this, &sink](std::string_view chunk) {
            sent += int64_t(chunk.size());
            if (length >= 0 && sent > length) broken = true;
            if (!broken && !sink.write(chunk.data(), chunk.size())) broken = true;
            return !broken;
        };
        bool more = produce(write);
        // httplib stops asking once `length` bytes are out; the producer
        // is still called to its end, so it can tell whether it was cut.
        while (more && !broken && sent == length) more = produce(write);
        if (broken) return false;
        if (more) return true;
        if (cut && cut()) return false;
        if (length >= 0) return sent == length;
        sink.done();
        return true;
    }
};

void write_response(const Response& out, httplib::Response& res) {
    res.status = out.status;
    for (const auto& [k, v] : out.headers) res.set_header(k, v);
    if (out.stream && out.stream_length != 0) {
        auto feed = std::make_shared<Feed>(Feed{out.stream, out.stream_cut, out.stream_length});
        std::string type = out.content_type.empty() ? "application/octet-stream" : out.content_type;
        if (out.stream_length > 0)
            res.set_content_provider(size_t(out.stream_length), type,
                                     [feed](size_t, size_t, httplib::DataSink& sink) { return feed->step(sink); });
        else
            res.set_chunked_content_provider(type, [feed](size_t, httplib::DataSink& sink) { return feed->step(sink); });
        return;
    }
    if (!out.content_type.empty() || !out.body.empty()) res.set_content(out.body, out.content_type);
}

std::string access_line(const httplib::Request& req, int status, const std::string& id, double ms) {
    nlohmann::json j = {{"ts", std::time(nullptr)}, {"request_id", id},          {"method", req.method},
                        {"path", req.path},         {"status", status},           {"ms", std::round(ms * 100) / 100},
                        {"remote", req.remote_addr}};
    return j.dump();
}

}  // namespace

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {
    Impl& s = *impl_;
    int threads = s.options.threads > 0 ? s.options.threads : 8;
    s.svr.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
    s.svr.set_read_timeout(30, 0);
    s.svr.set_write_timeout(30, 0);
    s.svr.set_keep_alive_max_count(1000);
    // A response goes out in two writes (head, body); with Nagle on, the
    // second waits for the client's delayed ACK, ~40 ms per request on a
    // keep-alive connection.
    s.svr.set_tcp_nodelay(true);
    s.svr.set_payload_max_length(size_t(64) << 20);  // hard ceiling; routes have their own limits
    s.svr.set_socket_options([this](int fd) {
        httplib::default_socket_options(fd);
        impl_->listening_fd = fd;
    });

    // Security: refuse an oversized body from its Content-Length, before
    // httplib reads it into memory.
    s.svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        Impl& s = *impl_;
        std::string len = req.get_header_value("Content-Length");
        if (len.empty()) return httplib::Server::HandlerResponse::Unhandled;
        size_t n = std::strtoull(len.c_str(), nullptr, 10);
        auto problem = s.router.check_length(req.method, req.path, n);
        if (!problem) return httplib::Server::HandlerResponse::Unhandled;
        std::string id = request_id_from(req);
        write_response(problem_response(*problem, id), res);
        res.set_header("X-Request-Id", id);
        res.set_header("Connection", "close");
        if (s.options.access_log) s.options.access_log(access_line(req, res.status, id, 0));
        return httplib::Server::HandlerResponse::Handled;
    });

    auto handle = [this](const httplib::Request& in, httplib::Response& res) {
        Impl& s = *impl_;
        auto t0 = std::chrono::steady_clock::now();
        std::string id = request_id_from(in);
        Request req = to_request(in, id);
        Response out = s.router.dispatch(req);
        write_response(out, res);
        // A compressor holds bytes back until it has a block's worth, which
        // defeats a stream; httplib compresses whatever the client accepts
        // and has no switch per response, so a stream is sent as it is. So
        // is a body already encoded (a precompressed static file): gzip of
        // gzip under two Content-Encoding headers, which a reverse proxy
        // that decodes one layer for a client passes on still compressed.
        // (The request is httplib's own, only handed over as const.)
        if (out.stream || res.has_header("Content-Encoding"))
            const_cast<httplib::Request&>(in).headers.erase("Accept-Encoding");
        res.set_header("X-Request-Id", id);
        double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (s.options.access_log) s.options.access_log(access_line(in, res.status, id, ms));
    };
    const char* any = R"(/.*)";
    s.svr.Get(any, handle);
    s.svr.Post(any, handle);
    s.svr.Put(any, handle);
    s.svr.Patch(any, handle);
    s.svr.Delete(any, handle);
    s.svr.Options(any, handle);

    // httplib answers some errors itself (a body over the hard ceiling, a
    // malformed request line): give those the problem+json shape too.
    s.svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        Problem p;
        p.status = res.status;
        p.error_code = res.status == 413 ? "payload_too_large" : "bad_request";
        p.title = res.status == 413 ? "Payload too large" : "Bad request";
        p.detail = p.title;
        write_response(problem_response(p, request_id_from(req)), res);
    });
}

Server::~Server() = default;

bool Server::bind() {
    Impl& s = *impl_;
    bool bound;
    if (s.options.port == 0) {
        s.port = s.svr.bind_to_any_port(s.options.host);
        bound = s.port > 0;
    } else {
        s.port = s.options.port;
        bound = s.svr.bind_to_port(s.options.host, s.options.port);
    }
    // Debian's httplib is a compiled library that listens with a backlog of
    // 5. When more clients connect at once, the kernel drops the last ACK of
    // their handshakes, and each waits for a SYN-ACK retransmit (1 s, then
    // 2, 4, 8...) before its first request is read. listen() again on the
    // bound socket only raises the backlog.
    if (bound && s.listening_fd >= 0) ::listen(s.listening_fd, SOMAXCONN);
    return bound;
}

int Server::port() const { return impl_->port; }
void Server::run() { impl_->svr.listen_after_bind(); }
void Server::stop() { impl_->svr.stop(); }
bool Server::is_running() const { return impl_->svr.is_running(); }

}  // namespace onramp::http
