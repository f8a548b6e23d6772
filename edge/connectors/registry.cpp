// Platform id → the Platform that speaks its wire protocol (from the
// platform modules' table, edge/platforms/module.h), the names of the
// connector enums, and the interface's defaults.
#include <cstdlib>

#include "edge/connectors/platforms.h"
#include "edge/platforms/module.h"

namespace onramp::connectors {

const Connector& catalog_entry(std::string_view id) {
    const Connector* c = find_connector(id);
    if (!c) std::abort();  // every platform file names an id from the catalog
    return *c;
}

const Platform* find_platform(std::string_view id) {
    const platforms::Module* m = platforms::find_module(id);
    return m && m->connector ? &m->connector() : nullptr;
}

std::optional<Failure> Platform::revoke(const Credentials&, CallContext&) const {
    Failure f;
    f.step = "revoke";
    f.message = std::string(entry().name) + " has no way for an app to give up its credentials; remove the key in " +
                std::string(entry().name) + " itself.";
    return f;
}

std::string_view to_string(Cause c) {
    switch (c) {
    case Cause::credential_rejected: return "credential_rejected";
    case Cause::scope_missing: return "scope_missing";
    case Cause::store_not_found: return "store_not_found";
    case Cause::dns_failure: return "dns_failure";
    case Cause::tls_failure: return "tls_failure";
    case Cause::timeout: return "timeout";
    case Cause::rate_limited: return "rate_limited";
    case Cause::platform_error: return "platform_error";
    case Cause::connection_failed: return "connection_failed";
    case Cause::address_refused: return "address_refused";
    }
    return "platform_error";
}

std::string_view to_string(Resource r) {
    switch (r) {
    case Resource::products: return "products";
    case Resource::orders: return "orders";
    case Resource::calls: return "calls";
    case Resource::contacts: return "contacts";
    case Resource::payments: return "payments";
    case Resource::refunds: return "refunds";
    }
    return "";
}

Capability sync_capability(Resource r) {
    switch (r) {
    case Resource::products: return capability::sync_products;
    case Resource::orders: return capability::sync_orders;
    case Resource::calls: return capability::sync_calls;
    case Resource::contacts: return capability::sync_contacts;
    }
    return capability::sync_products;
}

const Scope* optional_scope_for(const Connector& entry, Resource r) {
    for (const Scope& s : entry.scopes)
        if (!s.required && (s.needed_for & sync_capability(r)) != 0) return &s;
    return nullptr;
}

std::optional<Resource> parse_resource(std::string_view s) {
    for (Resource r : {Resource::products, Resource::orders, Resource::calls, Resource::contacts, Resource::payments,
                       Resource::refunds})
        if (to_string(r) == s) return r;
    return std::nullopt;
}

}  // namespace onramp::connectors
