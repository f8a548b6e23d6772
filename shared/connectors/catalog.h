// The connector catalog: what Onramp knows about each platform it connects
// to, as data. One `Connector` entry per platform in catalog.cpp; the edge
// serves it (GET /api/v1/connectors, see catalog_json.h), the WASM client
// draws its forms from it, and shared/validation/validate.h checks the
// credentials a client types against it — the same code on both sides.
//
// Adding a platform is one entry in the table in catalog.cpp; the tests in
// tests/shared/connectors/catalog_test.cpp then check that it has help text,
// a docs link, unique names, masked secrets and well-formed conditions.
//
// Everything here is constexpr data (string_view + span over static arrays):
// the catalog is constant-initialised, costs nothing at start-up in the
// browser, and cannot be modified at run time.
//
// Index
//   enums      Category, InputType, Check, Capability
//   structs    Condition, Option, Scope, RateLimit, Field, Connector
//   lookups    connectors(), find_connector(), connectors_in(), expand_api_base()
//   names      to_string(...) / parse_*() for the JSON and URL spellings
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace onramp::connectors {

enum class Category { commerce, call_tracking, crm, messaging, payments };

// How the UI draws a field. `password` is masked with a reveal toggle; every
// sensitive field uses it (a test enforces this).
enum class InputType { text, password, url, select, number, phone, email, textarea };

// The validation rule of a field: a small closed set of hand-written checks
// (std::regex is large in WASM and its error messages are useless to a
// client). Every check runs on the value trimmed of surrounding whitespace
// and may normalise it; `prefix`, `min_length`, `max_length` are its
// parameters (lengths count what follows the prefix):
//
//   check             accepts → normalised form                         parameters
//   text              any single-line text                              max_length
//   https_url         https://host[:port][/path]; no user:pass@, no     cut_path_at
//                     ?query, no #fragment. "shop.com" → "https://shop.com";
//                     trailing "/" and ":443" dropped; host lowercased
//   url_path          /path[?query] under a base URL; no ".." segment,
//                     no scheme, no #fragment. "api/me" → "/api/me"
//   header_name       an HTTP field name (RFC 9110 token) that is not a
//                     framing or routing header (Host, Content-Length, ...)
//   shopify_domain    "shop", "shop.myshopify.com", "https://shop.myshopify.com/",
//                     "admin.shopify.com/store/shop" → "shop.myshopify.com"
//   store_hash        lowercase letters and digits; also out of a pasted  min/max_length
//                     API path (…/stores/abc123/v3) or store-abc123.mybigcommerce.com
//   hex               prefix + exactly min_length hex digits;            prefix, min_length
//                     a prefix typed in lowercase is corrected ("ac…" → "AC…")
//   token             prefix + visible ASCII without spaces              prefix, min/max_length
//   amazon_id         capital letters and digits; uppercased             min/max_length
//   amazon_id_list    amazon_ids separated by commas or spaces (or a     min/max_length
//                     JSON array) → "A1,A2", uppercased, duplicates dropped
//   phone             "+1-555-123-4567", "+1 (555) 123 4567", "001 555…" → "+15551234567"
//   digits            a number; out of a pasted address, the number after prefix
//                     the prefix ("…/accounts/42/…" with prefix "/accounts/")
//   callrail_account  "713-863-719" → "713863719", or "ACC" + letters and digits
//   one_of            an option's value or alias, in any case → the value
enum class Check {
    text,
    https_url,
    url_path,
    header_name,
    shopify_domain,
    store_hash,
    hex,
    token,
    amazon_id,
    amazon_id_list,
    phone,
    digits,
    callrail_account,
    one_of,
};

// What Onramp can do with a platform: bits in their own namespace so the
// table reads `test | sync_products | webhooks` without names like `test`
// leaking into onramp::connectors.
namespace capability {
enum Capability : unsigned {
    test = 1u << 0,            // POST /api/v1/connectors/{id}/test
    sync_products = 1u << 1,
    sync_orders = 1u << 2,
    sync_calls = 1u << 3,
    sync_contacts = 1u << 4,
    webhooks = 1u << 5,        // the platform pushes changes to Onramp
    oauth_install = 1u << 6,   // connect by signing in at the platform (OAuth)
};
}  // namespace capability
using capability::Capability;
inline constexpr Capability kAllCapabilities[] = {
    capability::test,          capability::sync_products, capability::sync_orders,
    capability::sync_calls,    capability::sync_contacts, capability::webhooks,
    capability::oauth_install,
};

// "Only when field `field` has value `value`". An empty `field` means always.
struct Condition {
    std::string_view field = {};
    std::string_view value = {};
    constexpr bool always() const { return field.empty(); }
};

// One choice of a select. `aliases` are other spellings accepted on input
// (space separated, compared case-insensitively), e.g. the AWS region names
// (us-east-1) that existing client forms use for Amazon's selling regions.
struct Option {
    std::string_view value = {};
    std::string_view label = {};
    std::string_view aliases = {};
};

// A permission Onramp asks the client to grant at the platform.
// `satisfied_by` lists (space separated) broader scopes that include it,
// e.g. BigCommerce's "modify" scope includes its "read-only" one, Shopify's
// write_x includes read_x — so a test-connection can compare granted
// against asked for.
//
// A required scope is one the connection cannot work without: a test
// missing it fails (scope_missing). An optional one only enables a part of
// the import: without it the test passes and says what will not sync
// (`feature`), and the sync skips the resources of `needed_for` instead of
// failing the run.
struct Scope {
    std::string_view name = {};     // the platform's own identifier
    std::string_view label = {};    // what the client sees in the platform's admin
    std::string_view purpose = {};  // why Onramp needs it, for the client
    std::string_view satisfied_by = {};
    bool required = true;
    std::string_view feature = {};  // optional: what is lost without it, "orders will not sync"
    unsigned needed_for = 0;        // optional: the sync_* Capability bits it enables
};

// The pace to keep when the platform's responses carry no rate-limit
// headers: at most `requests` per `window_seconds`.
struct RateLimit {
    int requests = 0;
    int window_seconds = 0;
};

struct Field {
    std::string_view name = {};           // snake_case key in the credentials object
    std::string_view label = {};          // short, for the form and for messages
    InputType input = InputType::text;
    bool required = false;                // required whenever the field is visible
    bool sensitive = false;               // secret: vault-stored, masked, never echoed
    Check check = Check::text;
    std::string_view prefix = {};         // parameter of hex, token, digits (see Check)
    int min_length = 0;                   // parameters of the check (see Check)
    int max_length = 0;                   // 0: the check's default (kMaxValueLength)
    std::span<const Option> options = {};  // for Check::one_of
    std::string_view default_value = {};  // used when the client leaves it empty
    std::string_view placeholder = {};
    std::string_view help = {};           // where to find it, for a non-technical client
    Condition visible_when = {};          // hidden (and dropped) unless this holds
    std::string_view aliases = {};        // other accepted input keys (space separated),
                                          // e.g. camelCase names such as baseUrl
    std::string_view cut_path_at = {};    // https_url: path markers (space separated)
                                          // where a pasted admin/API address is cut
    // OAuth install (capability::oauth_install): what the sign-in needs and
    // what it brings back. A form offering the sign-in asks for the first
    // and skips the second.
    bool needed_by_sign_in = false;
    bool filled_by_sign_in = false;

    // Required exactly when visible; an empty condition when unconditional.
    constexpr Condition required_when() const {
        return required ? visible_when : Condition{};
    }
};

struct Connector {
    std::string_view id = {};            // stable; used in URLs and stored rows
    std::string_view name = {};          // display name
    Category category = Category::commerce;
    std::string_view description = {};   // one sentence for the platform picker
    std::string_view docs_url = {};      // the platform's own page on getting credentials
    std::string_view api_base = {};      // template; {field} is replaced by that credential
    unsigned capabilities = 0;           // Capability bits
    Condition oauth_install_when = {};   // oauth_install only when this holds
    RateLimit rate_limit = {};
    std::span<const Scope> scopes = {};
    std::span<const Field> fields = {};

    constexpr bool can(Capability c) const { return (capabilities & c) != 0; }
    const Field* find_field(std::string_view name) const;  // null when absent
};

// Longest value any field accepts, in bytes; a check's max_length can only
// lower it. Long enough for JWT-style tokens and Amazon refresh tokens.
inline constexpr int kMaxValueLength = 4096;

// --- lookups ---------------------------------------------------------------

// Every connector, in the order the UI lists them (commerce, call tracking,
// CRM, messaging, payments).
std::span<const Connector> connectors();

// The connector with this exact id, or null.
const Connector* find_connector(std::string_view id);

// The connectors of one category, in catalog order.
std::vector<const Connector*> connectors_in(Category category);

// The connector's api_base with each {name} replaced by values[name] (after
// validation, so values are normalised). A placeholder without a value is
// left as is, which makes a missing credential visible instead of silently
// producing a wrong host.
std::string expand_api_base(const Connector& connector,
                            const std::map<std::string, std::string>& values);

// --- names -----------------------------------------------------------------

std::string_view to_string(Category c);     // "commerce", "call_tracking", "crm", "messaging", "payments"
std::string_view label(Category c);         // "Commerce", "Call tracking", "CRM", "Messaging", "Payments"
std::string_view to_string(InputType t);    // "text", "password", ...
std::string_view to_string(Check c);        // "https_url", "hex", ...
std::string_view to_string(Capability c);   // "test", "sync_products", ...
std::optional<Category> parse_category(std::string_view s);

inline constexpr Category kAllCategories[] = {
    Category::commerce, Category::call_tracking, Category::crm, Category::messaging, Category::payments,
};

}  // namespace onramp::connectors
