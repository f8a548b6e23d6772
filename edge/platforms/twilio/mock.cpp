// The mock Twilio REST API 2010-04-01 under /twilio (standing in for
// https://api.twilio.com), one account: demo::kTwilioSid.
//
//   GET /2010-04-01/Accounts/{sid}.json                 the account
//   GET /2010-04-01/Accounts/{sid}/Calls.json           ?PageSize(≤1000)&Page&PageToken
//                                                       &StartTime>=&StartTime<= (UTC days)
//                                                       &Status (PageSize 1..1000, PageToken
//                                                       one this mock gave, StartTime a
//                                                       YYYY-MM-DD date or an ISO 8601
//                                                       date-time, Status one of the call
//                                                       statuses: else 400 code 20001/20007)
//   GET /2010-04-01/Accounts/{sid}/Calls/{CallSid}.json
//   GET /2010-04-01/Accounts/{sid}/Recordings/{RecordingSid}[.wav]
//                                                       the call's recording: 8 kHz 16-bit mono
//                                                       WAV as long as the call, streamed
//                                                       chunked, one second of audio per chunk
//                                                       a few ms apart (media rendered as sent)
//
// Auth: HTTP Basic AccountSid:AuthToken. Errors {"code", "message",
// "more_info", "status"} with Twilio's codes (20003 authenticate, 20404 not
// found, 20429 too many requests). Pages as the 2010 API: first_page_uri,
// next_page_uri (null on the last page), previous_page_uri, page,
// page_size, start, end, uri; PageToken "PA" + the last index seen.
// Ids: call index i → "CA" + 32 hex digits derived from i; its recording
// (completed calls only) "RE" + the same digits.
#include <chrono>
#include <cmath>
#include <thread>

#include "edge/connectors/wire.h"
#include "edge/crypto/encoding.h"
#include "edge/mock/internal.h"

namespace onramp::mock {

namespace {

constexpr const char* kPlatform = "twilio";

http::Response twilio_error(int status, int code, const std::string& message) {
    return reply({{"code", code},
                  {"message", message},
                  {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
                  {"status", status}},
                 status);
}

http::Response error(int status, const std::string& message, double retry_after_s) {
    if (status == 429) {
        http::Response r = twilio_error(429, 20429, "Too Many Requests");
        r.set_header("Retry-After", std::to_string(int(std::ceil(retry_after_s))));
        return r;
    }
    return twilio_error(status, 20500, "Internal Server Error");
}

http::Response gated(State& s, const http::Request& req, const std::function<http::Response()>& work) {
    std::string h = req.header("Authorization");
    std::optional<std::string> pair = h.rfind("Basic ", 0) == 0 ? crypto::base64_decode(h.substr(6)) : std::nullopt;
    std::string expected = std::string(demo::kTwilioSid) + ":" + demo::kTwilioToken;
    if (!pair || *pair != expected || revoked(s, kPlatform)) return twilio_error(401, 20003, "Authenticate");
    if (req.param("sid") != demo::kTwilioSid)
        return twilio_error(404, 20404, "The requested resource " + req.path.substr(std::string("/twilio").size()) +
                                            " was not found");
    return work();
}

std::string call_sid(int64_t i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "CA%016llx%016llx", static_cast<unsigned long long>(i),
                  static_cast<unsigned long long>(uint64_t(i) * 0xbf58476d1ce4e5b9ULL));
    return buf;
}

// A recording's audio: 8000 samples of 16 bits a second, as Twilio
// records calls; a sawtooth whose pitch depends on the call, so every
// recording's bytes differ.
constexpr int kSampleRate = 8000;
constexpr int kBytesPerSecond = kSampleRate * 2;
constexpr int kMediaPauseMs = 2;

void put_le(std::string& out, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += char((v >> (8 * i)) & 0xff);
}

std::string wav_header(int seconds) {
    uint32_t data = uint32_t(seconds) * kBytesPerSecond;
    std::string h = "RIFF";
    put_le(h, 36 + data, 4);
    h += "WAVEfmt ";
    put_le(h, 16, 4);  // fmt chunk size
    put_le(h, 1, 2);   // PCM
    put_le(h, 1, 2);   // mono
    put_le(h, kSampleRate, 4);
    put_le(h, kBytesPerSecond, 4);
    put_le(h, 2, 2);   // block align
    put_le(h, 16, 2);  // bits per sample
    h += "data";
    put_le(h, data, 4);
    return h;
}

std::string audio_second(int64_t call, int second) {
    std::string out;
    out.reserve(kBytesPerSecond);
    uint64_t pitch = 200 + uint64_t(call % 400);
    for (int n = 0; n < kSampleRate; ++n) {
        uint64_t t = uint64_t(second) * kSampleRate + uint64_t(n);
        put_le(out, uint32_t((t * pitch * 65536 / kSampleRate) % 65536), 2);
    }
    return out;
}

http::Response recording(State& st, const std::string& file) {
    std::string sid = file.size() == 38 && file.compare(34, 4, ".wav") == 0 ? file.substr(0, 34) : file;
    int64_t n = st.data.count(Kind::call);
    auto not_found = [] { return twilio_error(404, 20404, "The requested resource was not found"); };
    if (sid.size() != 34 || sid.compare(0, 2, "RE") != 0 ||
        sid.substr(2).find_first_not_of("0123456789abcdef") != std::string::npos)
        return not_found();
    int64_t i = int64_t(std::stoull(sid.substr(2, 16), nullptr, 16));
    if (i >= n || call_sid(i).substr(2) != sid.substr(2)) return not_found();
    Call c = st.data.call(i);
    if (c.duration <= 0) return not_found();
    struct Progress {
        int64_t call;
        int seconds;
        int next = -1;  // -1: the header is still to go
    };
    auto p = std::make_shared<Progress>(Progress{i, c.duration});
    http::Response r;
    r.content_type = "audio/x-wav";
    r.stream = [p](const http::ChunkWriter& write) {
        if (p->next < 0) {
            p->next = 0;
            return write(wav_header(p->seconds));
        }
        if (p->next >= p->seconds) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(kMediaPauseMs));
        return write(audio_second(p->call, p->next++));
    };
    return r;
}

json call_json(const Call& c) {
    std::string sid = call_sid(c.index);
    return {{"sid", sid},
            {"date_created", rfc2822(c.started_at)},
            {"date_updated", rfc2822(c.updated_at)},
            {"parent_call_sid", nullptr},
            {"account_sid", demo::kTwilioSid},
            {"to", c.to},
            {"to_formatted", c.to},
            {"from", c.from},
            {"from_formatted", c.from},
            {"phone_number_sid", "PN0123456789abcdef0123456789abcdef"},
            {"status", c.status},
            {"start_time", rfc2822(c.started_at)},
            {"end_time", rfc2822(c.started_at + c.duration)},
            {"duration", std::to_string(c.duration)},
            {"price", c.duration ? json("-0.0085") : json(nullptr)},
            {"price_unit", "USD"},
            {"direction", c.inbound ? "inbound" : "outbound-api"},
            {"answered_by", nullptr},
            {"api_version", "2010-04-01"},
            {"forwarded_from", nullptr},
            {"caller_name", c.customer_name},
            {"uri", "/2010-04-01/Accounts/" + std::string(demo::kTwilioSid) + "/Calls/" + sid + ".json"},
            {"subresource_uris",
             {{"recordings", "/2010-04-01/Accounts/" + std::string(demo::kTwilioSid) + "/Calls/" + sid + "/Recordings.json"}}}};
}

// "StartTime>" / "StartTime<" come as query names with the value after
// "=". Read a Call's list filters
// (https://www.twilio.com/docs/voice/api/call-resource#read-multiple-call-resources):
// a YYYY-MM-DD date or an ISO 8601 date-time, of which the day counts.
// -2 absent, -1 unreadable.
int64_t day_param(const http::Request& req, const std::string& name) {
    std::string v = q(req, name);
    if (v.empty()) return -2;
    if (v.size() < 10 || (v.size() > 10 && !iso8601_date_time(v))) return -1;
    return connectors::wire::unix_seconds(v.substr(0, 10) + "T00:00:00Z");
}

bool call_status(const std::string& v) {
    for (const char* s : {"queued", "ringing", "in-progress", "canceled", "completed", "failed", "busy", "no-answer"})
        if (v == s) return true;
    return false;
}

http::Response list_calls(State& s, const http::Request& req) {
    int64_t size = q_int(req, "PageSize", 50, 1000);
    if (size < 0) return twilio_error(400, 20007, "PageSize must be between 1 and 1000");
    int64_t page = q_int(req, "Page", 1, 1000000) ;
    if (q(req, "Page").empty()) page = 0;
    std::string page_token = q(req, "PageToken");
    int64_t from_day = day_param(req, "StartTime>"), to_day = day_param(req, "StartTime<");
    if (from_day == -1 || to_day == -1) return twilio_error(400, 20001, "Invalid StartTime: use YYYY-MM-DD");
    std::string status = q(req, "Status");
    if (!status.empty() && !call_status(status)) return twilio_error(400, 20001, "Invalid Status: " + status);
    int64_t start_after = -1;  // resume after this index
    if (!page_token.empty()) {
        if (page_token.size() < 3 || page_token.compare(0, 2, "PA") != 0 ||
            page_token.find_first_not_of("0123456789", 2) != std::string::npos)
            return twilio_error(400, 20001, "Invalid PageToken");
        start_after = std::stoll(page_token.substr(2));
    }
    const Dataset& d = s.data;
    int64_t n = d.count(Kind::call);
    json calls = json::array();
    int64_t last = -1;
    bool more = false;
    for (int64_t i = start_after + 1; i < n; ++i) {
        Call c = d.call(i);
        if ((from_day >= 0 && c.started_at < from_day) || (to_day >= 0 && c.started_at >= to_day + 86400)) continue;
        if (!status.empty() && c.status != status) continue;
        if (int64_t(calls.size()) == size) {
            more = true;
            break;
        }
        calls.push_back(call_json(c));
        last = i;
    }
    std::string base = "/2010-04-01/Accounts/" + std::string(demo::kTwilioSid) + "/Calls.json";
    std::string filters;
    if (from_day >= 0) filters += "&StartTime%3E=" + q(req, "StartTime>").substr(0, 10);
    if (to_day >= 0) filters += "&StartTime%3C=" + q(req, "StartTime<").substr(0, 10);
    if (!status.empty()) filters += "&Status=" + status;
    std::string this_uri = base + "?PageSize=" + std::to_string(size) + filters + "&Page=" + std::to_string(page) +
                           (page_token.empty() ? "" : "&PageToken=" + page_token);
    json next = more ? json(base + "?PageSize=" + std::to_string(size) + filters + "&Page=" + std::to_string(page + 1) +
                            "&PageToken=PA" + std::to_string(last))
                     : json(nullptr);
    return reply({{"calls", calls},
                  {"first_page_uri", base + "?PageSize=" + std::to_string(size) + filters + "&Page=0"},
                  {"next_page_uri", next},
                  {"previous_page_uri", page > 0 ? json(base + "?PageSize=" + std::to_string(size) + filters + "&Page=" +
                                                        std::to_string(page - 1))
                                                 : json(nullptr)},
                  {"page", page},
                  {"page_size", size},
                  {"start", page * size},
                  {"end", page * size + int64_t(calls.size()) - (calls.empty() ? 0 : 1)},
                  {"uri", this_uri}});
}

}  // namespace

void add_twilio(http::Router& r, State& s) {
    const std::string acct = "/twilio/2010-04-01/Accounts/{sid}";
    auto route = [&](const std::string& pattern, std::function<http::Response(State&, const http::Request&)> fn) {
        add_route(r, s, kPlatform, error, "GET", pattern, [&s, fn](const http::Request& req) {
            return gated(s, req, [&] { return fn(s, req); });
        });
    };
    // The account resource is "{sid}.json": one path segment.
    add_route(r, s, kPlatform, error, "GET", "/twilio/2010-04-01/Accounts/{file}", [&s](const http::Request& req) {
        std::string file = req.param("file");
        std::string sid = file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0 ? file.substr(0, file.size() - 5) : "";
        http::Request with_sid = req;
        with_sid.params["sid"] = sid;
        return gated(s, with_sid, [&] {
            return reply({{"sid", demo::kTwilioSid},
                          {"friendly_name", "Onramp Demo Calls"},
                          {"status", "active"},
                          {"type", "Full"},
                          {"owner_account_sid", demo::kTwilioSid},
                          {"date_created", rfc2822(kEpoch)},
                          {"date_updated", rfc2822(kEpoch)},
                          {"uri", "/2010-04-01/Accounts/" + std::string(demo::kTwilioSid) + ".json"},
                          {"subresource_uris",
                           {{"calls", "/2010-04-01/Accounts/" + std::string(demo::kTwilioSid) + "/Calls.json"}}}});
        });
    });
    route(acct + "/Calls.json", [](State& st, const http::Request& req) {
        if (scope_missing(st, kPlatform, "calls"))
            return twilio_error(403, 20403, "This API key does not have permission to read calls");
        return list_calls(st, req);
    });
    route(acct + "/Calls/{file}", [](State& st, const http::Request& req) {
        std::string file = req.param("file");
        int64_t n = st.data.count(Kind::call);
        if (file.size() != 39 || file.compare(34, 5, ".json") != 0 || file.compare(0, 2, "CA") != 0 ||
            file.substr(2, 32).find_first_not_of("0123456789abcdef") != std::string::npos)
            return twilio_error(404, 20404, "The requested resource was not found");
        int64_t i = int64_t(std::stoull(file.substr(2, 16), nullptr, 16));
        if (i >= n || call_sid(i) != file.substr(0, 34)) return twilio_error(404, 20404, "The requested resource was not found");
        return reply(call_json(st.data.call(i)));
    });
    route(acct + "/Recordings/{file}", [](State& st, const http::Request& req) {
        if (scope_missing(st, kPlatform, "calls"))
            return twilio_error(403, 20403, "This API key does not have permission to read recordings");
        return recording(st, req.param("file"));
    });
}

}  // namespace onramp::mock
