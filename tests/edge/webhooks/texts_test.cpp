// Specification of the edge's webhook texts in the web client's languages:
// every manual step a platform or scheme gives (with "{url}" for the hook's
// URL and "{public_url}" for the server's) and every fixed registration reason has a translation in the "edge"
// section of each table of web/i18n/ (web/i18n/i18n.h, tr_edge), with the
// same placeholders, and the section keeps no template the edge no longer
// writes. A platform folder added without translations fails here.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>

#include "edge/platforms/module.h"
#include "edge/webhooks/automatic.h"
#include "edge/webhooks/endpoint.h"
#include "edge/webhooks/registration.h"
#include "edge/webhooks/scheme.h"

namespace webhooks = onramp::webhooks;
using nlohmann::json;

namespace {

json edge_section(const std::string& code) {
    std::ifstream in(std::string(ONRAMP_SOURCE_DIR) + "/web/i18n/" + code + ".json");
    std::stringstream text;
    text << in.rdbuf();
    json table = json::parse(text.str(), nullptr, false);
    return table.is_object() && table.contains("edge") ? table["edge"] : json::object();
}

// Replaces every `value` in `text` by `placeholder`.
void swap_back(std::string& t, const std::string& value, const std::string& placeholder) {
    for (size_t at = value.empty() ? std::string::npos : t.find(value); at != std::string::npos;
         at = t.find(value, at + placeholder.size()))
        t.replace(at, value.size(), placeholder);
}

// The steps for a real hook URL, made into keys as the client makes them
// (web/screens/wizard/replies.cpp): the URL, then the public URL it starts
// with, then the platform a registering edge names ("Onramp creates the
// hooks on shopify"), each back to its placeholder.
void add_steps(std::set<std::string>& out, const std::function<json(const std::string&)>& steps_for,
               const std::string& in_url, const std::string& platform) {
    const std::string public_url = "https://onramp.example.test";
    const std::string url = public_url + "/webhooks/" + in_url + "/con_0123abcd";
    for (const json& step : steps_for(url)) {
        std::string t = step.get<std::string>();
        swap_back(t, url, "{url}");
        swap_back(t, public_url, "{public_url}");
        swap_back(t, platform, "{platform}");
        out.insert(t);
    }
}

// What the client looks up: the steps of each scheme as a platform without
// a registration API shows them, each platform's own steps, and the reasons.
std::set<std::string> templates() {
    std::set<std::string> out;
    for (const webhooks::Scheme* s : webhooks::schemes())
        if (s->manual_steps) add_steps(out, s->manual_steps, std::string(s->name), "");
    for (const onramp::platforms::Module* m : onramp::platforms::modules()) {
        std::string id(m->id);
        add_steps(
            out,
            [&](const std::string& url) { return webhooks::manual_steps(id, webhooks::default_scheme(id), url); },
            id, webhooks::supports_registration(id) ? id : "");
    }
    for (const std::string& r : webhooks::registration_reasons()) out.insert(r);
    return out;
}

std::multiset<std::string> placeholders(const std::string& text) {
    static const std::regex placeholder(R"(\{[a-z_]+\})");
    std::multiset<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator(); ++it)
        out.insert(it->str());
    return out;
}

}  // namespace

TEST_SUITE("webhooks.texts") {

TEST_CASE("every manual step and registration reason is translated in each table of the web client") {
    const std::set<std::string> wanted = templates();
    REQUIRE(wanted.size() > 20);
    CHECK(wanted.count("Stripe Dashboard > Developers > Webhooks > Add endpoint: {url}") == 1);
    for (const char* code : {"es", "de"}) {
        CAPTURE(code);
        const json edge = edge_section(code);
        for (const std::string& t : wanted) {
            CAPTURE(t);
            REQUIRE(edge.contains(t));
            const json& translation = edge[t];
            REQUIRE(translation.is_string());
            CHECK(!translation.get<std::string>().empty());
            CHECK(placeholders(translation.get<std::string>()) == placeholders(t));
            // The client drops the API calls in parentheses from a step
            // (web/screens/wizard/replies.cpp) by their English words.
            if (t.find(" (PUT .../webhooks/secret") != std::string::npos)
                CHECK(translation.get<std::string>().find(" (PUT .../webhooks/secret") != std::string::npos);
        }
        for (const auto& [key, value] : edge.items()) {
            CAPTURE(key);
            CHECK_MESSAGE(wanted.count(key) == 1, "the edge no longer writes this text");
        }
    }
}

}  // TEST_SUITE
