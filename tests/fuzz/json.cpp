// libFuzzer target: a JSON request body, read the way the API reads one.
//
// The bytes go through the router's entry point for JSON bodies; when they
// make an object, every reader a handler applies without a database gets it:
// the onboarding forms (company basics, goals), the credential validator for
// each connector of the catalog (on the body and on its "credentials"
// member, as POST .../connections sends them), every field check on each
// string value, and the generic Fields reader on each member. Everything a
// reader returns is serialised as the API would answer it, since
// nlohmann::json refuses to serialise invalid UTF-8 (a 500 instead of a 422).
//
// Besides the sanitizers, the target checks what the readers promise:
//   - a refused body is a 400 (malformed) or a 422 (not an object);
//   - a refused form names at least one field;
//   - normalising is idempotent (shared/validation/validate.cpp): accepted
//     credentials, and an accepted field value, validate again unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "edge/http/router.h"
#include "shared/connectors/catalog.h"
#include "shared/onboarding/forms.h"
#include "shared/validation/fields.h"
#include "shared/validation/validate.h"

namespace {

using nlohmann::json;
using namespace onramp;

// The generic reader sees at most this many members, and every field check
// runs on at most this many string values: enough to reach every path (the
// fuzzer varies which), few enough to keep a run fast.
constexpr size_t kMaxMembers = 16;
constexpr size_t kMaxFieldValues = 4;

[[noreturn]] void broken(const char* what, std::string_view detail) {
    std::fprintf(stderr, "fuzz json: %s: %.*s\n", what, int(detail.size()), detail.data());
    std::abort();
}

// The one entry point every JSON route calls first (parse_json's limits,
// shared/json.h): every refusal is a Problem, never an exception.
Result<json> parse_body(std::string body) {
    http::Request req;
    req.body = std::move(body);
    return http::parse_json_object(req);
}

// The problem as the router answers it: serialising it is part of the check.
void answer(const Problem& p) {
    (void)http::problem_response(p, "fuzz").body.size();
}

void expect_fields_named(const Problem& p, const char* reader) {
    if (p.status != 422 || p.errors.empty()) broken(reader, "refused without naming a field (422 with errors)");
    answer(p);
}

void read_forms(const json& body) {
    auto basics = onboarding::read_company_basics(body);
    if (basics)
        (void)onboarding::basics_json(*basics).dump();
    else
        expect_fields_named(basics.problem(), "read_company_basics");

    auto goals = onboarding::read_goals(body);
    if (goals)
        (void)goals->dump();
    else
        expect_fields_named(goals.problem(), "read_goals");
}

// What POST .../connections answers: the normalised values, masked.
void answer_validation(const connectors::Connector& c, const validation::Validation& v) {
    if (!v.ok()) {
        answer(unprocessable(v.errors));
        return;
    }
    (void)json(validation::masked_credentials(c, v.values)).dump();
    (void)connectors::expand_api_base(c, v.values);
    for (const connectors::Field& f : c.fields) (void)validation::field_visible(c, f, v.values);
}

void read_credentials(const json& credentials) {
    for (const connectors::Connector& c : connectors::connectors()) {
        validation::Validation v = validation::validate_credentials(c, credentials);
        answer_validation(c, v);
        if (!v.ok()) continue;
        validation::Validation again = validation::validate_credentials(c, v.values);
        if (!again.ok() || again.values != v.values)
            broken("validate_credentials", std::string(c.id) + ": accepted values do not validate again unchanged");
    }
}

void check_each_field(const std::string& value) {
    for (const connectors::Connector& c : connectors::connectors())
        for (const connectors::Field& f : c.fields) {
            validation::FieldCheck r = validation::validate_field(f, value);
            if (!r.ok()) {
                (void)json(r.error).dump();
                continue;
            }
            (void)json(r.value).dump();
            validation::FieldCheck again = validation::validate_field(f, r.value);
            if (!again.ok() || again.value != r.value)
                broken("validate_field", std::string(c.id) + "." + std::string(f.name) +
                                             ": an accepted value does not validate again unchanged");
        }
}

// The generic reader handlers use for their own members.
void read_members(const json& body) {
    Fields f(body);
    size_t n = 0;
    for (const auto& [name, value] : body.items()) {
        if (n++ == kMaxMembers) break;
        (void)f.opt_text(name);
        (void)f.opt_bool(name);
        (void)f.opt_int(name, -1000, 1000);
        (void)f.opt_object(name);
        (void)f.opt_choice(name, {"manual", "hourly", "daily", "weekly"});
        if (value.is_string()) (void)looks_like_email(value.get<std::string>());
    }
    if (!f.ok()) answer(f.problem());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto body = parse_body(std::string(reinterpret_cast<const char*>(data), size));
    if (!body) {
        const Problem& p = body.problem();
        if (p.status != 400 && p.status != 422) broken("parse_json_object", "refused with neither 400 nor 422");
        answer(p);
        return 0;
    }
    if (!body->is_object()) broken("parse_json_object", "accepted a body that is not an object");

    read_forms(*body);
    read_credentials(*body);
    if (auto it = body->find("credentials"); it != body->end()) read_credentials(*it);
    read_members(*body);

    size_t n = 0;
    for (const auto& [name, value] : body->items()) {
        if (!value.is_string()) continue;
        if (n++ == kMaxFieldValues) break;
        check_each_field(value.get<std::string>());
    }
    return 0;
}
