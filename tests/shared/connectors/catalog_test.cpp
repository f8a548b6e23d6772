// Specification of the connector catalog (shared/connectors/catalog.h): the
// platforms it lists and what each needs, and the invariants every entry must
// keep, so a platform added later cannot forget its help text, docs link,
// masked secrets or well-formed conditions. Also the JSON served at
// GET /api/v1/connectors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "shared/connectors/catalog.h"
#include "shared/connectors/catalog_json.h"
#include "shared/validation/validate.h"

using namespace onramp::connectors;
using onramp::validation::validate_field;

namespace {

std::string str(std::string_view s) { return std::string(s); }

bool is_snake_case(std::string_view s) {
    if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

std::vector<std::string> words(std::string_view list) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < list.size()) {
        size_t sp = list.find(' ', i);
        if (sp == std::string_view::npos) sp = list.size();
        if (sp > i) out.emplace_back(list.substr(i, sp - i));
        i = sp + 1;
    }
    return out;
}

// Code points of a UTF-8 string (the catalog's own text is well-formed).
std::vector<unsigned> code_points(std::string_view s) {
    std::vector<unsigned> out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = s[i];
        int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : 3;
        unsigned cp = extra == 0 ? c : extra == 1 ? c & 0x1F : extra == 2 ? c & 0x0F : c & 0x07;
        for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += extra + 1;
    }
    return out;
}

// The glyphs the web client's font atlas holds (web/theme.cpp kGlyphRanges):
// Latin-1, general punctuation U+2010–2027 and arrows U+2190–2193.
bool ui_font_has(unsigned cp) {
    return (cp >= 0x20 && cp <= 0xFF) || (cp >= 0x2010 && cp <= 0x2027) ||
           (cp >= 0x2190 && cp <= 0x2193);
}

}  // namespace

// A platform added later is one more entry (docs/platforms/README.md), so
// the catalog is checked for the platforms it must hold and for the shape
// of the whole, not against a closed list.
TEST_CASE("The catalog holds each platform once, in its category, in catalog order") {
    std::vector<std::string> ids;
    for (const Connector& c : connectors()) ids.push_back(str(c.id));
    const std::vector<std::string> first = {"bigcommerce", "shopify", "woocommerce", "amazon_sp_api",
                                            "callrail",    "twilio",  "chatwoot",    "custom_crm"};
    REQUIRE(ids.size() >= first.size());
    CHECK(std::vector<std::string>(ids.begin(), ids.begin() + first.size()) == first);
    CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());

    auto ids_in = [](Category cat) {
        std::vector<std::string> out;
        for (const Connector* c : connectors_in(cat)) out.push_back(str(c->id));
        return out;
    };
    // Each category lists exactly the entries that name it, in catalog order.
    for (Category cat : kAllCategories) {
        std::vector<std::string> expected;
        for (const Connector& c : connectors())
            if (c.category == cat) expected.push_back(str(c.id));
        CHECK(ids_in(cat) == expected);
    }
    auto starts = [&](Category cat, const std::vector<std::string>& want) {
        std::vector<std::string> got = ids_in(cat);
        return got.size() >= want.size() && std::equal(want.begin(), want.end(), got.begin());
    };
    CHECK(starts(Category::commerce, {"bigcommerce", "shopify", "woocommerce", "amazon_sp_api"}));
    CHECK(starts(Category::call_tracking, {"callrail", "twilio"}));
    CHECK(starts(Category::crm, {"chatwoot", "custom_crm"}));
    CHECK(starts(Category::messaging, {"telegram", "viber"}));
    CHECK(starts(Category::payments, {"stripe"}));
}

TEST_CASE("find_connector finds by exact id only") {
    REQUIRE(find_connector("shopify") != nullptr);
    CHECK(find_connector("shopify")->name == "Shopify");
    CHECK(find_connector("Shopify") == nullptr);
    CHECK(find_connector("") == nullptr);
    CHECK(find_connector("shopify ") == nullptr);
}

TEST_CASE("Categories have stable names and labels") {
    CHECK(to_string(Category::call_tracking) == "call_tracking");
    CHECK(label(Category::crm) == "CRM");
    CHECK(parse_category("commerce") == Category::commerce);
    CHECK(parse_category("call_tracking") == Category::call_tracking);
    CHECK(to_string(Category::messaging) == "messaging");
    CHECK(label(Category::messaging) == "Messaging");
    CHECK(parse_category("messaging") == Category::messaging);
    CHECK(parse_category("payments") == Category::payments);
    CHECK_FALSE(parse_category("Commerce").has_value());
    CHECK_FALSE(parse_category("").has_value());
}

TEST_CASE("Every connector has an id, name, description, docs link and capabilities") {
    std::set<std::string> ids;
    for (const Connector& c : connectors()) {
        INFO("connector ", str(c.id));
        CHECK(is_snake_case(c.id));
        CHECK(ids.insert(str(c.id)).second);
        CHECK_FALSE(c.name.empty());
        CHECK(c.description.size() >= 20);
        CHECK(c.docs_url.starts_with("https://"));
        CHECK(c.can(capability::test));
        CHECK(c.rate_limit.requests > 0);
        CHECK(c.rate_limit.window_seconds > 0);
        CHECK_FALSE(c.fields.empty());
        bool base_is_url = c.api_base.starts_with("https://") || c.api_base.starts_with("{");
        CHECK(base_is_url);
        bool oauth_consistent = c.oauth_install_when.always() || c.can(capability::oauth_install);
        CHECK(oauth_consistent);
    }
}

TEST_CASE("Every field is named, labelled, explained and unique within its connector") {
    for (const Connector& c : connectors()) {
        std::set<std::string> keys;  // names and aliases share one namespace
        for (const Field& f : c.fields) {
            INFO("field ", str(c.id), ".", str(f.name));
            CHECK(is_snake_case(f.name));
            CHECK(keys.insert(str(f.name)).second);
            CHECK_FALSE(f.label.empty());
            CHECK(f.help.size() >= 30);
            CHECK_FALSE(f.placeholder.empty());
            for (const std::string& alias : words(f.aliases)) CHECK(keys.insert(alias).second);
        }
    }
}

TEST_CASE("Every sensitive field is a password input, and every secret is sensitive") {
    for (const Connector& c : connectors()) {
        for (const Field& f : c.fields) {
            INFO("field ", str(c.id), ".", str(f.name));
            if (f.sensitive) CHECK(f.input == InputType::password);
            if (f.input == InputType::password) CHECK(f.sensitive);
            bool secret_name = (f.name.find("token") != std::string_view::npos && !f.name.ends_with("_url")) ||
                               f.name.find("secret") != std::string_view::npos ||
                               f.name == "password" || f.name == "api_key";
            if (secret_name) CHECK(f.sensitive);
        }
    }
}

TEST_CASE("Every check has the parameters it needs") {
    for (const Connector& c : connectors()) {
        for (const Field& f : c.fields) {
            INFO("field ", str(c.id), ".", str(f.name));
            CHECK(f.min_length >= 0);
            CHECK(f.max_length <= kMaxValueLength);
            if (f.max_length > 0) CHECK(f.min_length <= f.max_length);
            switch (f.check) {
            case Check::one_of:
                CHECK(f.input == InputType::select);
                CHECK_FALSE(f.options.empty());
                break;
            case Check::hex:
                CHECK(f.min_length > 0);
                CHECK(f.min_length == f.max_length);
                break;
            case Check::store_hash:
            case Check::amazon_id:
            case Check::amazon_id_list:
                CHECK(f.min_length > 0);
                CHECK(f.max_length >= f.min_length);
                break;
            case Check::https_url: CHECK(f.input == InputType::url); break;
            case Check::phone: CHECK(f.input == InputType::phone); break;
            default: break;
            }
            if (f.input == InputType::select) CHECK(f.check == Check::one_of);
            if (!f.cut_path_at.empty()) CHECK(f.check == Check::https_url);
        }
    }
}

TEST_CASE("Conditions name an unconditional select of the same connector and one of its options") {
    for (const Connector& c : connectors()) {
        std::vector<Condition> conditions{c.oauth_install_when};
        for (const Field& f : c.fields) conditions.push_back(f.visible_when);
        for (const Condition& cond : conditions) {
            if (cond.always()) continue;
            INFO("connector ", str(c.id), " condition ", str(cond.field), "=", str(cond.value));
            const Field* control = c.find_field(cond.field);
            REQUIRE(control != nullptr);
            CHECK(control->check == Check::one_of);
            CHECK(control->visible_when.always());
            CHECK(control->required);
            bool known = false;
            for (const Option& o : control->options) known = known || o.value == cond.value;
            CHECK(known);
        }
    }
}

TEST_CASE("Defaults pass their own check unchanged, so a stored default re-validates") {
    for (const Connector& c : connectors()) {
        for (const Field& f : c.fields) {
            if (f.default_value.empty()) continue;
            INFO("field ", str(c.id), ".", str(f.name));
            auto r = validate_field(f, f.default_value);
            CHECK(r.error == "");
            CHECK(r.value == f.default_value);
        }
    }
}

TEST_CASE("Catalog text uses only glyphs the web client's font has") {
    auto check_text = [](std::string_view where, std::string_view text) {
        std::string missing;
        for (unsigned cp : code_points(text)) {
            char hex[16];
            std::snprintf(hex, sizeof hex, " U+%04X", cp);
            if (!ui_font_has(cp)) missing += hex;
        }
        CHECK_MESSAGE(missing.empty(), str(where), " uses", missing);
    };
    for (const Connector& c : connectors()) {
        check_text(c.id, c.name);
        check_text(c.id, c.description);
        for (const Scope& s : c.scopes) {
            check_text(s.name, s.label);
            check_text(s.name, s.purpose);
        }
        for (const Field& f : c.fields) {
            check_text(f.name, f.label);
            check_text(f.name, f.help);
            check_text(f.name, f.placeholder);
            for (const Option& o : f.options) check_text(o.value, o.label);
        }
    }
}

TEST_CASE("BigCommerce needs a store hash, an access token and the read scopes") {
    const Connector& bc = *find_connector("bigcommerce");
    CHECK(bc.category == Category::commerce);
    REQUIRE(bc.find_field("store_hash"));
    CHECK(bc.find_field("store_hash")->required);
    CHECK(bc.find_field("store_hash")->check == Check::store_hash);
    CHECK(bc.find_field("access_token")->sensitive);
    CHECK_FALSE(bc.find_field("client_id")->required);  // BigCommerce no longer requires it for API calls
    CHECK(bc.rate_limit.requests == 150);
    CHECK(bc.rate_limit.window_seconds == 30);
    CHECK(bc.can(capability::webhooks));
    CHECK_FALSE(bc.can(capability::oauth_install));

    std::set<std::string> scopes;
    for (const Scope& s : bc.scopes) scopes.insert(str(s.name));
    CHECK(scopes == std::set<std::string>{"store_v2_information_read_only", "store_v2_products_read_only",
                                          "store_inventory_read_only", "store_v2_orders_read_only"});
    CHECK(bc.scopes[0].satisfied_by == "store_v2_products");
}

TEST_CASE("only the products scopes are required; an optional scope says what will not sync") {
    std::vector<std::string> required;
    for (const char* id : {"bigcommerce", "shopify"})
        for (const Scope& s : find_connector(id)->scopes)
            if (s.required) required.push_back(str(s.name));
    CHECK(required == std::vector<std::string>{"store_v2_products_read_only", "read_products"});
    for (const Connector& c : connectors()) {
        for (const Scope& s : c.scopes) {
            CAPTURE(s.name);
            CHECK(s.required == s.feature.empty());
            if (s.required) CHECK(s.needed_for == 0);
            CHECK((c.capabilities & s.needed_for) == s.needed_for);  // it enables what the connector does
        }
    }
    const Scope& orders = find_connector("shopify")->scopes[2];
    CHECK(orders.name == "read_orders");
    CHECK(orders.feature == "orders will not sync");
    CHECK(orders.needed_for == capability::sync_orders);
}

TEST_CASE("Shopify connects by token or by OAuth install and needs read scopes") {
    const Connector& s = *find_connector("shopify");
    CHECK(s.can(capability::oauth_install));
    CHECK(s.oauth_install_when.always());
    std::vector<std::string> scopes;
    for (const Scope& sc : s.scopes) scopes.push_back(str(sc.name));
    CHECK(scopes == std::vector<std::string>{"read_products", "read_inventory", "read_orders"});
    CHECK(s.scopes[0].satisfied_by == "write_products");
}

TEST_CASE("WooCommerce keys are ck_/cs_ hex and the API version defaults to wc/v3") {
    const Connector& w = *find_connector("woocommerce");
    CHECK(w.find_field("consumer_key")->prefix == "ck_");
    CHECK(w.find_field("consumer_key")->min_length == 40);
    CHECK(w.find_field("consumer_secret")->prefix == "cs_");
    CHECK(w.find_field("api_version")->default_value == "wc/v3");
    CHECK_FALSE(w.find_field("api_version")->required);
}

TEST_CASE("Amazon needs LWA credentials and a region; AWS keys are optional") {
    const Connector& a = *find_connector("amazon_sp_api");
    std::vector<std::string> regions;
    for (const Option& o : a.find_field("region")->options) regions.push_back(str(o.value));
    CHECK(regions == std::vector<std::string>{"na", "eu", "fe"});
    CHECK(a.find_field("refresh_token")->prefix == "Atzr|");
    CHECK(a.find_field("lwa_client_id")->prefix == "amzn1.application-oa2-client.");
    CHECK_FALSE(a.find_field("aws_access_key_id")->required);
    CHECK_FALSE(a.find_field("aws_secret_access_key")->required);
    CHECK(a.find_field("aws_access_key_id")->help.find("no longer requires") != std::string_view::npos);
    CHECK_FALSE(a.can(capability::webhooks));  // notifications go to SQS/EventBridge only
}

TEST_CASE("Call tracking platforms take an optional tracking number") {
    for (const char* id : {"callrail", "twilio"}) {
        const Connector& c = *find_connector(id);
        INFO(id);
        CHECK(c.category == Category::call_tracking);
        CHECK(c.can(capability::sync_calls));
        REQUIRE(c.find_field("primary_tracking_number"));
        CHECK_FALSE(c.find_field("primary_tracking_number")->required);
    }
    CHECK(find_connector("twilio")->find_field("account_sid")->prefix == "AC");
}

TEST_CASE("The custom CRM's fields depend on its auth type") {
    const Connector& crm = *find_connector("custom_crm");
    std::vector<std::string> types;
    for (const Option& o : crm.find_field("auth_type")->options) types.push_back(str(o.value));
    CHECK(types == std::vector<std::string>{"api_key", "bearer", "basic", "oauth2"});

    auto when = [&](const char* name) { return str(crm.find_field(name)->visible_when.value); };
    CHECK(when("api_key_header") == "api_key");
    CHECK(when("api_key") == "api_key");
    CHECK(when("bearer_token") == "bearer");
    CHECK(when("username") == "basic");
    CHECK(when("password") == "basic");
    CHECK(when("client_id") == "oauth2");
    CHECK(when("client_secret") == "oauth2");
    CHECK(when("token_url") == "oauth2");
    CHECK(when("scope") == "oauth2");
    CHECK(crm.find_field("api_key_header")->default_value == "X-API-Key");
    CHECK(crm.find_field("api_key")->required_when().value == "api_key");
    CHECK(crm.find_field("scope")->required_when().always());  // optional even when shown
    CHECK(crm.oauth_install_when.field == "auth_type");
    CHECK(crm.oauth_install_when.value == "oauth2");
}

TEST_CASE("expand_api_base fills credentials into the template") {
    const Connector& bc = *find_connector("bigcommerce");
    CHECK(expand_api_base(bc, {{"store_hash", "abc123"}}) == "https://api.bigcommerce.com/stores/abc123");
    CHECK(expand_api_base(bc, {}) == "https://api.bigcommerce.com/stores/{store_hash}");
    const Connector& woo = *find_connector("woocommerce");
    CHECK(expand_api_base(woo, {{"site_url", "https://shop.example.com"}, {"api_version", "wc/v3"}}) ==
          "https://shop.example.com/wp-json/wc/v3");
    CHECK(expand_api_base(*find_connector("amazon_sp_api"), {{"region", "eu"}}) ==
          "https://sellingpartnerapi-eu.amazon.com");
}

TEST_CASE("catalog_json has categories and every connector with every key") {
    nlohmann::json j = catalog_json();
    REQUIRE(j["categories"].is_array());
    CHECK(j["categories"][1] == nlohmann::json{{"id", "call_tracking"}, {"label", "Call tracking"}});
    REQUIRE(j["connectors"].size() == connectors().size());
    for (const auto& c : j["connectors"]) {
        for (const char* key : {"id", "name", "category", "description", "docs_url", "api_base",
                                "capabilities", "oauth_install_when", "rate_limit", "scopes", "fields"})
            CHECK_MESSAGE(c.contains(key), c["id"], " lacks ", key);
        for (const auto& f : c["fields"])
            for (const char* key : {"name", "label", "input", "required", "sensitive", "validation", "options",
                                    "default", "placeholder", "help", "visible_when", "required_when",
                                    "aliases"})
                CHECK_MESSAGE(f.contains(key), c["id"], ".", f["name"], " lacks ", key);
    }
    // It serialises and parses back: valid UTF-8 throughout.
    CHECK(nlohmann::json::parse(j.dump()) == j);
}

TEST_CASE("A connector serialises to the documented shape") {
    nlohmann::json bc = *find_connector("bigcommerce");
    CHECK(bc["id"] == "bigcommerce");
    CHECK(bc["category"] == "commerce");
    CHECK(bc["capabilities"] == nlohmann::json{"test", "sync_products", "sync_orders", "webhooks"});
    CHECK(bc["oauth_install_when"].is_null());
    CHECK(bc["rate_limit"] == nlohmann::json{{"requests", 150}, {"window_seconds", 30}});
    CHECK(bc["scopes"][0] == nlohmann::json{{"name", "store_v2_products_read_only"},
                                            {"label", "Products: read-only"},
                                            {"purpose", "to import your products and variants"},
                                            {"satisfied_by", {"store_v2_products"}},
                                            {"required", true},
                                            {"feature", nullptr}});
    CHECK(bc["scopes"][3]["required"] == false);
    CHECK(bc["scopes"][3]["feature"] == "orders will not sync");

    const nlohmann::json& hash = bc["fields"][0];
    CHECK(hash["name"] == "store_hash");
    CHECK(hash["input"] == "text");
    CHECK(hash["required"] == true);
    CHECK(hash["sensitive"] == false);
    CHECK(hash["validation"] == nlohmann::json{{"rule", "store_hash"}, {"prefix", ""},
                                               {"min_length", 5}, {"max_length", 12}});
    CHECK(hash["options"] == nlohmann::json::array());
    CHECK(hash["default"].is_null());
    CHECK(hash["visible_when"].is_null());
    CHECK(hash["required_when"].is_null());
    CHECK(hash["aliases"] == nlohmann::json{"bigcommerce_store_hash", "storeHash"});
    CHECK(bc["fields"][1]["input"] == "password");
    CHECK(bc["fields"][1]["sensitive"] == true);

    nlohmann::json crm = *find_connector("custom_crm");
    CHECK(crm["oauth_install_when"] == nlohmann::json{{"field", "auth_type"}, {"value", "oauth2"}});
    CHECK(crm["capabilities"] == nlohmann::json{"test", "sync_contacts", "oauth_install"});
    const nlohmann::json& auth = crm["fields"][2];
    CHECK(auth["name"] == "auth_type");
    CHECK(auth["input"] == "select");
    CHECK(auth["options"][3] == nlohmann::json{{"value", "oauth2"}, {"label", "OAuth 2.0"}});
    const nlohmann::json& header = crm["fields"][3];
    CHECK(header["name"] == "api_key_header");
    CHECK(header["default"] == "X-API-Key");
    CHECK(header["required"] == false);
    CHECK(header["visible_when"] == nlohmann::json{{"field", "auth_type"}, {"value", "api_key"}});
    CHECK(header["required_when"].is_null());
    const nlohmann::json& key = crm["fields"][4];
    CHECK(key["name"] == "api_key");
    CHECK(key["required_when"] == nlohmann::json{{"field", "auth_type"}, {"value", "api_key"}});

    nlohmann::json twilio = *find_connector("twilio");
    CHECK(twilio["fields"][0]["validation"] ==
          nlohmann::json{{"rule", "hex"}, {"prefix", "AC"}, {"min_length", 32}, {"max_length", 32}});
    CHECK(twilio["fields"][2]["validation"]["max_length"] == kMaxValueLength);
}

TEST_CASE("only connectors installed by signing in mark what the sign-in needs and brings back") {
    int marked = 0;
    for (const Connector& c : connectors())
        for (const Field& f : c.fields) {
            if (!f.needed_by_sign_in && !f.filled_by_sign_in) continue;
            if (c.id == "shopify" || c.id == "custom_crm") ++marked;
            CHECK_MESSAGE(c.can(capability::oauth_install), (str(c.id) + "." + str(f.name)));
            CHECK_MESSAGE(!(f.needed_by_sign_in && f.filled_by_sign_in), (str(c.id) + "." + str(f.name)));
        }
    // Shopify's token; the custom CRM's authorization URL and three tokens.
    // (Other platforms' sign-in fields are their own tests' business.)
    CHECK(marked == 5);
}
