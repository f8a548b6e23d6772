#include "edge/http/client.h"

#include <httplib.h>

namespace onramp::http {

std::string FetchResponse::header(std::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

bool parse_url(const std::string& url, ParsedUrl& out) {
    size_t sep = url.find("://");
    if (sep == std::string::npos) return false;
    out.scheme = url.substr(0, sep);
    for (char& c : out.scheme) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (out.scheme != "http" && out.scheme != "https") return false;
    size_t host_start = sep + 3;
    size_t path_start = url.find_first_of("/?#", host_start);
    std::string authority = url.substr(host_start, path_start == std::string::npos ? std::string::npos : path_start - host_start);
    // Security: user-info in a URL ("https://evil@host") is refused, so a
    // URL cannot smuggle credentials or disguise its real host.
    if (authority.empty() || authority.find('@') != std::string::npos) return false;
    out.port = out.scheme == "https" ? 443 : 80;
    if (authority.front() == '[') {
        size_t close = authority.find(']');
        if (close == std::string::npos) return false;
        out.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return false;
            out.port = std::atoi(authority.c_str() + close + 2);
        }
    } else {
        size_t colon = authority.rfind(':');
        out.host = authority.substr(0, colon);
        if (colon != std::string::npos) out.port = std::atoi(authority.c_str() + colon + 1);
    }
    if (out.host.empty() || out.port <= 0 || out.port > 65535) return false;
    out.path_and_query = path_start == std::string::npos ? "/" : url.substr(path_start);
    if (out.path_and_query[0] != '/') out.path_and_query = "/" + out.path_and_query;
    if (size_t hash = out.path_and_query.find('#'); hash != std::string::npos) out.path_and_query.resize(hash);
    return true;
}

namespace {

FetchFailure describe(httplib::Error e, const std::string& host) {
    switch (e) {
        case httplib::Error::Connection:
            return {FetchError::Connect, "could not connect to " + host};
        case httplib::Error::SSLConnection:
            return {FetchError::Tls, "TLS handshake with " + host + " failed"};
        case httplib::Error::SSLServerVerification:
            return {FetchError::Tls, "the certificate of " + host + " is not trusted"};
        case httplib::Error::Read:
            return {FetchError::Timeout, host + " did not answer in time"};
        case httplib::Error::Write:
            return {FetchError::Write, "sending the request to " + host + " failed"};
        case httplib::Error::Canceled:
            return {FetchError::Cancelled, "the answer from " + host + " was not read to its end"};
        default:
            return {FetchError::Other, "request to " + host + " failed: " + httplib::to_string(e)};
    }
}

void copy_head(const httplib::Response& in, FetchResponse& out) {
    out.status = in.status;
    for (const auto& [k, v] : in.headers) out.headers.emplace(k, v);
}

}  // namespace

FetchResult fetch(const FetchRequest& req) { return fetch(req, BodyRoute()); }

FetchResult fetch(const FetchRequest& req, const BodyRoute& route) {
    FetchResult out;
    ParsedUrl u;
    if (!parse_url(req.url, u)) {
        out.failure = {FetchError::BadUrl, "not an http(s) URL"};
        return out;
    }
    std::string origin = u.scheme + "://" + (u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host) +
                         ":" + std::to_string(u.port);
    httplib::Client cli(origin);
    if (u.scheme == "https") {
        cli.enable_server_certificate_verification(true);
        cli.set_ca_cert_path("/etc/ssl/certs/ca-certificates.crt");
    }
    cli.set_connection_timeout(req.connect_timeout_ms / 1000, (req.connect_timeout_ms % 1000) * 1000);
    cli.set_read_timeout(req.read_timeout_ms / 1000, (req.read_timeout_ms % 1000) * 1000);
    cli.set_write_timeout(req.read_timeout_ms / 1000, (req.read_timeout_ms % 1000) * 1000);
    cli.set_follow_location(false);  // redirects are followed by callers that re-check each hop
    if (!req.connect_address.empty()) cli.set_hostname_addr_map({{u.host, req.connect_address}});

    httplib::Request r;
    r.method = req.method;
    r.path = u.path_and_query;
    for (const auto& [k, v] : req.headers) r.headers.emplace(k, v);
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
        r.body = req.body;
        if (!req.content_type.empty()) r.headers.emplace("Content-Type", req.content_type);
    }
    // With a route, httplib hands over the head, then the body in pieces.
    bool headed = false;
    ChunkWriter writer;
    std::string collected;
    if (route) {
        r.response_handler = [&](const httplib::Response& head) {
            headed = true;
            copy_head(head, out.response);
            writer = route(out.response);
            return true;
        };
        r.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
            if (writer) return writer(std::string_view(data, n));
            collected.append(data, n);
            return true;
        };
    }
    auto res = cli.send(r);
    if (!res) {
        httplib::Error e = res.error();
        out.failure = describe(e, u.host);
        if (e == httplib::Error::Connection) {
            // httplib reports a failed name lookup as a connection error;
            // tell the two apart, since "no such host" is the likelier typo.
            struct addrinfo hints{}, *ai = nullptr;
            hints.ai_socktype = SOCK_STREAM;
            if (getaddrinfo(u.host.c_str(), nullptr, &hints, &ai) != 0)
                out.failure = {FetchError::Dns, "the host name " + u.host + " does not resolve"};
            else
                freeaddrinfo(ai);
        }
        return out;
    }
    if (!route) {
        copy_head(*res, out.response);
        out.response.body = std::move(res->body);
        return out;
    }
    if (!headed) {  // no body to come (HEAD, 204): httplib skipped the handler
        copy_head(*res, out.response);
        route(out.response);
    }
    out.response.body = std::move(collected);
    return out;
}

}  // namespace onramp::http
