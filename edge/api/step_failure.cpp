#include "edge/api/step_failure.h"

#include "edge/connections/service.h"
#include "shared/json.h"

namespace onramp::api {

using nlohmann::json;

Problem step_failure(Problem p, const std::string& step, const std::string& error, const json& extra) {
    std::string details = p.detail;
    if (!p.errors.empty()) {
        details.clear();
        for (const auto& [field, message] : p.errors) details += (details.empty() ? "" : "; ") + field + ": " + message;
    }
    json ext = p.extensions_json.empty() ? json::object() : json::parse(p.extensions_json, nullptr, false);
    if (!ext.is_object()) ext = json::object();
    ext.update(extra);
    ext["success"] = false;
    ext["error"] = error.empty() ? (p.title.empty() ? p.detail : p.title) : error;
    ext["details"] = details;
    ext["step"] = step;
    p.extensions_json = dump_json(ext);
    return p;
}

Problem test_refused(const std::string& platform, const connectors::TestOutcome& t, const std::string& step,
                     const std::string& error) {
    Problem p = unprocessable({}, t.failure->message);
    p.error_code = "connection_test_failed";
    p.title = "The platform did not accept these credentials";
    if (t.failure->retry_after_s > 0) p.retry_after = t.failure->retry_after_s;
    std::string details = t.failure->platform_message.empty() ? t.failure->message : t.failure->platform_message;
    Problem out = step_failure(p, step, error, {{"connection_test", connections::test_json(platform, t)}});
    // `details` carries the platform's own error message, word for word.
    json ext = json::parse(out.extensions_json);
    ext["details"] = details;
    out.extensions_json = dump_json(ext);
    return out;
}

}  // namespace onramp::api
