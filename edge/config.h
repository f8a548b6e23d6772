// Settings of a running edge, from flags with ONRAMP_* environment
// variables as defaults (flags win). See the README's manual section.
#pragma once

#include <cstddef>
#include <map>
#include <string>

namespace onramp {

struct Config {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string data_dir = "./data";
    std::string web_root;  // empty: the API only
    std::string public_url;  // how platforms reach us, for webhook URLs and URL-signed schemes
    bool demo = false;
    int threads = 8;
    size_t max_body = 1 << 20;
    // The most one proxied answer may carry; a larger one is refused from
    // its Content-Length, or cut when it gets there mid-stream.
    size_t proxy_max_answer = size_t(64) << 20;
    // Per-platform API base override: point a connector at a mock, staging
    // store or fixture server ("bigcommerce" -> "http://127.0.0.1:9000").
    std::map<std::string, std::string> base_urls;
    // Outgoing e-mail (edge/mail/): empty smtp_url sends none and queues
    // none. The password is a secret: never logged, never in a response.
    std::string smtp_url;  // smtp://host:port or smtps://host:port
    std::string smtp_user, smtp_password;
    std::string mail_from;  // "Name <address>" or a bare address
    // Outbound event webhooks (edge/events/): plain http:// endpoints, and
    // endpoints on loopback, private or link-local addresses, are refused
    // unless these are set (tests and demos on one machine).
    bool outbound_allow_http = false;
    bool outbound_allow_private = false;
    // How long one events stream (GET .../events) stays open before the
    // client is asked to reconnect; tests shorten it.
    int event_stream_ms = 25000;
    // How long the one-call onboarding (POST /api/onboarding/bigcommerce)
    // waits for its initial sync before answering "still running"; 0
    // answers at once.
    int onboarding_sync_wait_s = 20;
};

}  // namespace onramp
