// Routes to and from page addresses: see route.h for the scheme.
#include "route.h"

#include <vector>

namespace ob = onramp::onboarding;

namespace {

constexpr std::string_view kOnboard = "#/onboard";
constexpr std::string_view kConsole = "#/console";

// The segments after `prefix`: "#/console/clients/x" and "#/console" give
// {"clients", "x"}; nullopt when `hash` does not start with the prefix as a
// whole segment ("#/onboarding" is not "#/onboard"), or has an empty one.
std::optional<std::vector<std::string_view>> segments_after(std::string_view hash, std::string_view prefix) {
    if (hash.substr(0, prefix.size()) != prefix) return std::nullopt;
    std::string_view rest = hash.substr(prefix.size());
    std::vector<std::string_view> parts;
    if (rest.empty()) return parts;
    if (rest.front() != '/') return std::nullopt;
    rest.remove_prefix(1);
    while (true) {
        const size_t slash = rest.find('/');
        const std::string_view part = rest.substr(0, slash);
        if (part.empty()) return std::nullopt;
        parts.push_back(part);
        if (slash == std::string_view::npos) return parts;
        rest.remove_prefix(slash + 1);
    }
}

std::optional<ob::WizardStep> step_named(std::string_view name) {
    for (int i = 0; i < ob::kWizardStepCount; ++i) {
        const auto step = static_cast<ob::WizardStep>(i);
        if (name == ob::wizard_step_name(step)) return step;
    }
    return std::nullopt;
}

// Ids are the edge's (org_…, con_…): RFC 3986 unreserved characters only,
// so they stand in an address as they are.
bool is_id(std::string_view s) {
    for (char c : s) {
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (!unreserved) return false;
    }
    return !s.empty() && s != "." && s != "..";
}

std::optional<RouteTab> tab_named(std::string_view name) {
    if (name == "sync") return RouteTab::sync;
    if (name == "products") return RouteTab::products;
    if (name == "webhooks") return RouteTab::webhooks;
    return std::nullopt;
}

const char* tab_name(RouteTab tab) {
    switch (tab) {
    case RouteTab::sync: return "sync";
    case RouteTab::products: return "products";
    case RouteTab::webhooks: return "webhooks";
    }
    return "sync";
}

Route wizard_route(const std::vector<std::string_view>& parts) {
    Route r;
    if (parts.size() > 1) return r;
    if (parts.size() == 1) {
        r.step = step_named(parts[0]);
        if (!r.step) return r;
    }
    r.place = RoutePlace::wizard;
    return r;
}

Route console_route_of(const std::vector<std::string_view>& parts) {
    Route r;
    if (parts.size() == 1) {
        if (parts[0] == "audit") r.place = RoutePlace::audit;
        else if (parts[0] == "keys") r.place = RoutePlace::keys;
        else if (parts[0] == "vault") r.place = RoutePlace::vault;
    }
    if (parts.empty() || parts[0] != "clients") return r;
    if (parts.size() == 1 && parts[0] == "clients") {
        r.place = RoutePlace::clients;
    } else if (parts.size() == 2 && parts[1] == "new") {
        r.place = RoutePlace::new_client;
    } else if (parts.size() == 2 && is_id(parts[1])) {
        r.place = RoutePlace::client;
        r.org_id = parts[1];
    } else if ((parts.size() == 4 || parts.size() == 5) && is_id(parts[1]) && parts[2] == "connections" &&
               is_id(parts[3])) {
        const auto tab = parts.size() == 5 ? tab_named(parts[4]) : RouteTab::sync;
        if (!tab) return r;
        r.place = RoutePlace::connection;
        r.org_id = parts[1];
        r.connection_id = parts[3];
        r.tab = *tab;
    }
    return r;
}

}  // namespace

Route parse_route(std::string_view hash) {
    if (const auto parts = segments_after(hash, kOnboard)) return wizard_route(*parts);
    if (const auto parts = segments_after(hash, kConsole)) {
        if (parts->empty()) {
            Route r;
            r.place = RoutePlace::clients;
            return r;
        }
        return console_route_of(*parts);
    }
    return Route{};
}

std::string format_route(const Route& r) {
    const std::string clients = std::string(kConsole) + "/clients";
    switch (r.place) {
    case RoutePlace::none: return "";
    case RoutePlace::wizard:
        return r.step ? std::string(kOnboard) + "/" + ob::wizard_step_name(*r.step) : std::string(kOnboard);
    case RoutePlace::clients: return clients;
    case RoutePlace::new_client: return clients + "/new";
    case RoutePlace::client: return clients + "/" + r.org_id;
    case RoutePlace::connection:
        return clients + "/" + r.org_id + "/connections/" + r.connection_id + "/" + tab_name(r.tab);
    case RoutePlace::audit: return std::string(kConsole) + "/audit";
    case RoutePlace::keys: return std::string(kConsole) + "/keys";
    case RoutePlace::vault: return std::string(kConsole) + "/vault";
    }
    return "";
}

bool is_console_route(const Route& r) { return r.place != RoutePlace::none && r.place != RoutePlace::wizard; }

std::string onboarding_link_token(std::string_view hash) {
    const std::string_view prefix = "#/onboard/";
    if (hash.substr(0, prefix.size()) != prefix) return "";
    const std::string_view token = hash.substr(prefix.size());
    if (token.empty() || step_named(token)) return "";
    return std::string(token);
}
