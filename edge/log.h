// The server's log on stderr: one JSON object per line, each opening with
// "ts" (RFC 3339, UTC, milliseconds) and "level" (debug, info, warn,
// error), so a collector can sort and filter them. `serve --log-level`
// sets the least severe level written (info by default); lines below it
// are dropped before they are formatted. The access log (stdout) and the
// one-shot commands' usage errors are not these lines.
//
// The threshold is process-wide, like stderr itself: it is set once, at
// start, before any thread that logs exists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace onramp::logging {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// "debug", "info", "warn" (or "warning"), "error"; nullopt for anything else.
std::optional<Level> parse_level(std::string_view name);
const char* level_name(Level level);

void set_threshold(Level level);
bool enabled(Level level);

// Writes fields as one line. A "level" among them picks the level (info
// when absent or unknown) and is kept as the caller wrote it.
void log(nlohmann::json fields);
// A plain message: {"ts", "level", "msg"}.
void log(Level level, std::string_view message);
// The server's start and stop ("listening on URL", "stopped"): info lines
// written whatever the threshold, since supervisors and scripts wait for
// them and the port chosen for --listen HOST:0 is known only from them.
void announce(std::string_view message);
// A line already made (App::log): a JSON object is logged as its fields,
// any other text as a message at info.
void log_line(std::string_view line);

// The line log() writes at unix_ms, without the newline: the level name,
// then the fields. Exposed for tests.
std::string format(Level level, const nlohmann::json& fields, int64_t unix_ms);
// 2026-01-02T03:04:05.678Z
std::string rfc3339_utc(int64_t unix_ms);

}  // namespace onramp::logging
