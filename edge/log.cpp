// JSON log lines with a timestamp and a level, filtered by a threshold
// (edge/log.h).
#include "edge/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace onramp::logging {

namespace {

std::atomic<int> threshold{int(Level::info)};

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The level a caller's fields name, info when they name none we know.
Level level_of(const nlohmann::json& fields) {
    auto it = fields.find("level");
    if (it == fields.end() || !it->is_string()) return Level::info;
    return parse_level(it->get_ref<const std::string&>()).value_or(Level::info);
}

void write_line(const std::string& line) {
    // One fwrite per line: stdio locks the stream for the call, so lines
    // from different threads never interleave.
    std::string out = line + "\n";
    std::fwrite(out.data(), 1, out.size(), stderr);
}

}  // namespace

std::optional<Level> parse_level(std::string_view name) {
    if (name == "debug") return Level::debug;
    if (name == "info") return Level::info;
    if (name == "warn" || name == "warning") return Level::warn;
    if (name == "error") return Level::error;
    return std::nullopt;
}

const char* level_name(Level level) {
    switch (level) {
        case Level::debug: return "debug";
        case Level::info: return "info";
        case Level::warn: return "warn";
        case Level::error: return "error";
    }
    return "info";
}

void set_threshold(Level level) { threshold.store(int(level)); }

bool enabled(Level level) { return int(level) >= threshold.load(std::memory_order_relaxed); }

std::string rfc3339_utc(int64_t unix_ms) {
    std::time_t secs = std::time_t(unix_ms / 1000);
    std::tm tm;
    gmtime_r(&secs, &tm);
    char buf[40];
    size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", int(unix_ms % 1000));
    return buf;
}

std::string format(Level level, const nlohmann::json& fields, int64_t unix_ms) {
    // "ts" and "level" first, for people reading the file; a caller's own
    // "level" stays as written and is not repeated.
    nlohmann::json rest = fields.is_object() ? fields : nlohmann::json::object();
    rest.erase("ts");
    nlohmann::json level_value = level_name(level);
    if (auto it = rest.find("level"); it != rest.end()) {
        level_value = *it;
        rest.erase(it);
    }
    const auto replace = nlohmann::json::error_handler_t::replace;
    std::string line = "{\"ts\":\"" + rfc3339_utc(unix_ms) + "\",\"level\":" + level_value.dump(-1, ' ', false, replace);
    std::string body = rest.dump(-1, ' ', false, replace);
    if (body.size() > 2) line += "," + body.substr(1);
    else line += "}";
    return line;
}

void log(nlohmann::json fields) {
    Level level = level_of(fields);
    if (!enabled(level)) return;
    write_line(format(level, fields, now_ms()));
}

void log(Level level, std::string_view message) {
    if (!enabled(level)) return;
    write_line(format(level, {{"msg", std::string(message)}}, now_ms()));
}

void announce(std::string_view message) { write_line(format(Level::info, {{"msg", std::string(message)}}, now_ms())); }

void log_line(std::string_view line) {
    nlohmann::json fields = nlohmann::json::parse(line, nullptr, false);
    if (fields.is_object()) return log(std::move(fields));
    log(Level::info, line);
}

}  // namespace onramp::logging
