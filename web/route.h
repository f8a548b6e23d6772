// Routes: the screen a page address names in its #fragment, so that each
// wizard step and each console screen has an address of its own, Back and
// Forward move between them, a reload stays where it was and a screen can be
// linked to. web/app.cpp keeps the address and the screen in step; this file
// only turns one into the other. No I/O here.
//
//   #/onboard                                  the wizard, at the client's step
//   #/onboard/<step>                           a wizard step: company, platforms, sync, webhooks,
//                                              documents, goals, team, verify, done
//   #/console/clients                          the clients (#/console alike)
//   #/console/clients/new                      the new client form
//   #/console/clients/<org>                    a client
//   #/console/clients/<org>/connections/<id>/<tab>   a connection: sync, products or webhooks
//   #/console/audit, #/console/keys, #/console/vault
//
// Routes carry ids, never tokens or secrets: an onboarding link
// (#/onboard/<token>) is not a route, and the app takes its token out of the
// address at once (onboarding_link_token).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/onboarding/state.h"

enum class RoutePlace {
    none,  // no screen named: the one the session opens
    wizard,
    clients,
    new_client,
    client,
    connection,
    audit,
    keys,
    vault,
};

enum class RouteTab { sync, products, webhooks };  // a connection's tabs

struct Route {
    RoutePlace place = RoutePlace::none;
    std::optional<onramp::onboarding::WizardStep> step;  // wizard: none is the client's step
    std::string org_id;         // client, connection
    std::string connection_id;  // connection
    RouteTab tab = RouteTab::sync;

    bool operator==(const Route&) const = default;
};

// The route `hash` ("#/console/audit") names; place none for anything else,
// an id with characters ids never have included.
Route parse_route(std::string_view hash);

// The address of `route`, which parse_route reads back as the same route;
// "" for place none.
std::string format_route(const Route& route);

// Whether the route is one of the operator console's screens.
bool is_console_route(const Route& route);

// The token of an onboarding link's address (#/onboard/<token>); "" when
// `hash` is none, a wizard step's route included.
std::string onboarding_link_token(std::string_view hash);
