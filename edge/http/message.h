// The plain request and response structs every handler sees. They carry no
// server or client library types, so handlers are functions from one struct
// to another and tests can call them without a socket.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace onramp::http {

// Header names compare case-insensitively (RFC 9110 §5.1). They are ASCII
// tokens: folding A-Z by hand spares std::tolower's call and locale lookup
// per character, on every header of every request. Defined here, so that
// code using only the header map (the webhook verifiers, their fuzzer)
// needs nothing else of the HTTP layer.
struct CaseInsensitiveLess {
    bool operator()(std::string_view a, std::string_view b) const {
        auto fold = [](char c) { return static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); };
        size_t n = a.size() < b.size() ? a.size() : b.size();
        for (size_t i = 0; i < n; ++i) {
            unsigned char x = fold(a[i]), y = fold(b[i]);
            if (x != y) return x < y;
        }
        return a.size() < b.size();
    }
    using is_transparent = void;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct UploadedFile {
    std::string filename;
    std::string content_type;
    std::string content;
};

struct Request {
    std::string method;
    std::string path;  // decoded path, no query
    std::string target;  // path and query as received, for URL-signed webhooks
    Headers headers;
    std::multimap<std::string, std::string> query;
    std::map<std::string, std::string> params;  // from the route pattern
    std::string body;
    // The client's address: the connection's peer, or, from a trusted
    // reverse proxy, the client it names in X-Forwarded-For.
    std::string remote_addr;
    std::string scheme = "http";  // "https" when a trusted proxy says so (X-Forwarded-Proto)
    std::string request_id;
    // multipart/form-data: text fields land in `form`, files in `files`.
    std::multimap<std::string, std::string> form;
    std::multimap<std::string, UploadedFile> files;

    std::string header(std::string_view name) const;  // "" when absent
    bool has_header(std::string_view name) const;
    std::string query_value(std::string_view name) const;  // first value or ""
    std::string param(std::string_view name) const;
};

// A streamed response body (server-sent events, proxied answers): called
// repeatedly with a writer until it returns false, also when the length
// is known and every byte has been written. The writer returns false once
// the receiver is gone (or past a declared length); the producer should
// then return false. A receiver that goes away between calls is noticed
// when the server writes: the producer is then called once more, with a
// writer that answers false, so it can stop whatever feeds it.
//
// A call that writes nothing and returns true means "nothing yet": the
// server calls again after a short pause (about 200 ms) without holding a
// thread meanwhile. So a producer waiting for news (server-sent events)
// polls once per call and returns, instead of sleeping in a loop. Each
// call runs on a worker thread and may block briefly (a database read, a
// proxied platform's next bytes); calls of all streams together are
// limited to half the workers, so streams never starve requests.
using ChunkWriter = std::function<bool(std::string_view chunk)>;
using StreamProducer = std::function<bool(const ChunkWriter& write)>;

struct Response;
// Takes a deferred response's answer (see Response::later). Called once,
// from any thread.
using Completion = std::function<void(Response answer)>;

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    StreamProducer stream;  // when set, body is ignored
    // With a stream: its length when known before the first byte (sent as
    // Content-Length instead of chunked), else -1.
    int64_t stream_length = -1;
    // With a stream: asked once, after the producer's last call. True when
    // the body was cut short (a proxied answer over its cap, a platform
    // that dropped mid-answer); the connection is then closed without the
    // body's proper end, so no receiver can take the part for the whole.
    std::function<bool()> stream_cut;
    // When set, the answer is not ready when the handler returns (a webhook
    // delivery is answered after the inbox's next commit): the server calls
    // `later` once, on the worker, with a Completion that takes the answer
    // later from any thread; the rest of this response is ignored. The
    // connection waits, no worker does, so requests that wait for the
    // same event are not capped by the number of workers. Handlers build
    // one with deferred() (router.h), which turns a Problem into
    // problem+json like any other.
    std::function<void(Completion done)> later;

    static Response json(const nlohmann::json& value, int status = 200);
    static Response empty(int status = 204);
    void set_header(std::string name, std::string value);
};

}  // namespace onramp::http
