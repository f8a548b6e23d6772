// Specification of credential validation (shared/validation/validate.h):
// good credentials of every platform pass and come out normalised; each
// check rejects what it must with the exact message a client reads;
// conditional fields, unknown fields and wrong JSON types are handled as the
// API promises.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "shared/connectors/catalog.h"
#include "shared/validation/validate.h"

using namespace onramp::connectors;
using namespace onramp::validation;
using json = nlohmann::json;
using Values = std::map<std::string, std::string>;

// Failures print the messages themselves, not "{?}".
namespace doctest {
template <>
struct StringMaker<Values> {
    static String convert(const Values& m) {
        std::string out = "{";
        for (const auto& [k, v] : m) out += "\n  " + k + ": " + v;
        return (out + (m.empty() ? "}" : "\n}")).c_str();
    }
};
}  // namespace doctest

namespace {

const std::string kHex32 = "0123456789abcdef0123456789abcdef";
const std::string kHex40 = "0123456789abcdef0123456789abcdef01234567";

Validation check(const char* id, const json& credentials) {
    return validate_credentials(*find_connector(id), credentials);
}

const Field& field(const char* id, const char* name) { return *find_connector(id)->find_field(name); }

std::string error_of(const char* id, const char* name, std::string_view value) {
    return validate_field(field(id, name), value).error;
}

std::string value_of(const char* id, const char* name, std::string_view value) {
    FieldCheck r = validate_field(field(id, name), value);
    CHECK_MESSAGE(r.ok(), id, ".", name, ": ", r.error);
    return r.value;
}

// One working set of credentials per platform, in the form a client types.
struct Sample {
    const char* id;
    json credentials;
    Values normalised;
};

std::vector<Sample> samples() {
    return {
        {"bigcommerce",
         {{"store_hash", "abc123"}, {"access_token", "0123456789abcdefghijklmnopqrstu"},
          {"client_id", "abcdefghijklmnopqrstuvwxyz01234"}},
         {{"store_hash", "abc123"}, {"access_token", "0123456789abcdefghijklmnopqrstu"},
          {"client_id", "abcdefghijklmnopqrstuvwxyz01234"}}},
        {"shopify",
         {{"shop_domain", "your-store.myshopify.com"}, {"access_token", "shpat_" + kHex32}},
         {{"shop_domain", "your-store.myshopify.com"}, {"access_token", "shpat_" + kHex32}}},
        {"woocommerce",
         {{"site_url", "https://shop.example.com"}, {"consumer_key", "ck_" + kHex40},
          {"consumer_secret", "cs_" + kHex40}},
         {{"site_url", "https://shop.example.com"}, {"consumer_key", "ck_" + kHex40},
          {"consumer_secret", "cs_" + kHex40}, {"api_version", "wc/v3"}}},
        {"amazon_sp_api",
         {{"region", "na"}, {"seller_id", "A2EXAMPLE1XYZ9"}, {"marketplace_ids", "ATVPDKIKX0DER,A2EUQ1WTGCTBG2"},
          {"lwa_client_id", "amzn1.application-oa2-client." + kHex32},
          {"lwa_client_secret", "amzn1.oa2-cs.v1." + kHex32},
          {"refresh_token", "Atzr|IwEBIExampleRefreshToken0123456789"}},
         {{"region", "na"}, {"seller_id", "A2EXAMPLE1XYZ9"}, {"marketplace_ids", "ATVPDKIKX0DER,A2EUQ1WTGCTBG2"},
          {"lwa_client_id", "amzn1.application-oa2-client." + kHex32},
          {"lwa_client_secret", "amzn1.oa2-cs.v1." + kHex32},
          {"refresh_token", "Atzr|IwEBIExampleRefreshToken0123456789"}}},
        // The body of POST /api/v1/onboarding/callrail/connect, with a key of real length.
        {"callrail",
         {{"api_key", kHex32}, {"account_id", "123456"}, {"primary_tracking_number", "+1-555-123-4567"}},
         {{"api_key", kHex32}, {"account_id", "123456"}, {"primary_tracking_number", "+15551234567"}}},
        {"twilio",
         {{"account_sid", "AC" + kHex32}, {"auth_token", kHex32}, {"primary_tracking_number", "+1-555-123-4567"}},
         {{"account_sid", "AC" + kHex32}, {"auth_token", kHex32}, {"primary_tracking_number", "+15551234567"}}},
        {"chatwoot",
         {{"base_url", "https://app.chatwoot.com"}, {"account_id", "1"}, {"api_access_token", "EgsDdxRZFUy4tPWDjwmyZaYk"}},
         {{"base_url", "https://app.chatwoot.com"}, {"account_id", "1"}, {"api_access_token", "EgsDdxRZFUy4tPWDjwmyZaYk"}}},
        {"custom_crm",
         {{"base_url", "https://api.crm.example.com/v1"}, {"test_path", "/me"}, {"auth_type", "api_key"},
          {"api_key", "k-0123456789"}},
         {{"base_url", "https://api.crm.example.com/v1"}, {"test_path", "/me"}, {"auth_type", "api_key"},
          {"api_key_header", "X-API-Key"}, {"api_key", "k-0123456789"}}},
    };
}

}  // namespace

// ---------------------------------------------------------------------------
// Whole credentials
// ---------------------------------------------------------------------------

TEST_CASE("Good credentials of every platform validate and come out normalised") {
    for (const Sample& s : samples()) {
        INFO("platform ", s.id);
        Validation v = check(s.id, s.credentials);
        CHECK(v.errors == Values{});
        CHECK(v.ok());
        CHECK(v.values == s.normalised);
    }
}

TEST_CASE("Normalised credentials validate again to themselves") {
    for (const Sample& s : samples()) {
        INFO("platform ", s.id);
        Validation again = validate_credentials(*find_connector(s.id), s.normalised);
        CHECK(again.errors == Values{});
        CHECK(again.values == s.normalised);
    }
}

TEST_CASE("Every sample covers every required field of its platform") {
    for (const Sample& s : samples()) {
        const Connector& c = *find_connector(s.id);
        for (const Field& f : c.fields) {
            Values without = s.normalised;
            if (!f.required || !f.default_value.empty() || !without.erase(std::string(f.name))) continue;
            if (!field_visible(c, f, s.normalised)) continue;
            INFO(s.id, " without ", std::string(f.name));
            Validation v = validate_credentials(c, without);
            CHECK(v.errors == Values{{std::string(f.name), std::string(f.label) + " is required."}});
            CHECK(v.values.empty());  // nothing half-valid is handed on
        }
    }
}

TEST_CASE("Whitespace pasted around values is trimmed") {
    Validation v = check("bigcommerce", {{"store_hash", " abc123\n"},
                                         {"access_token", "\t0123456789abcdefghijklmnopqrstu\r\n"}});
    CHECK(v.errors == Values{});
    CHECK(v.values.at("store_hash") == "abc123");
    CHECK(v.values.at("access_token") == "0123456789abcdefghijklmnopqrstu");

    // No-break and zero-width spaces come along when copying from web pages.
    CHECK(value_of("twilio", "auth_token", "\xC2\xA0" + kHex32 + "\xE2\x80\x8B") == kHex32);
    CHECK(value_of("twilio", "auth_token", "\xEF\xBB\xBF" + kHex32) == kHex32);
}

TEST_CASE("An unknown field is rejected by name") {
    Validation v = check("bigcommerce", {{"store_hash", "abc123"},
                                         {"access_token", "0123456789abcdefghijklmnopqrstu"},
                                         {"store_url", "x"}});
    CHECK(v.errors == Values{{"store_url", "BigCommerce has no field named \u201Cstore_url\u201D; its fields "
                                           "are store_hash, access_token and client_id."}});
    CHECK(v.values.empty());
}

TEST_CASE("A value of the wrong JSON type is rejected naming the field") {
    CHECK(check("bigcommerce", {{"store_hash", 123456}, {"access_token", "0123456789abcdefghijklmnopqrstu"}})
              .errors == Values{{"store_hash", "Store hash must be text in quotes, not a number."}});
    CHECK(check("shopify", {{"shop_domain", true}, {"access_token", "shpat_" + kHex32}}).errors ==
          Values{{"shop_domain", "Shop domain must be text in quotes, not true or false."}});
    CHECK(check("shopify", {{"shop_domain", {{"name", "x"}}}, {"access_token", "shpat_" + kHex32}}).errors ==
          Values{{"shop_domain", "Shop domain must be text in quotes, not an object."}});
    CHECK(check("shopify", {{"shop_domain", json::array({"x"})}, {"access_token", "shpat_" + kHex32}}).errors ==
          Values{{"shop_domain", "Shop domain must be text in quotes, not a list."}});
}

TEST_CASE("A number is accepted for a number input, a list for marketplace IDs") {
    Validation v = check("chatwoot", {{"account_id", 3}, {"api_access_token", "EgsDdxRZFUy4tPWDjwmyZaYk"}});
    CHECK(v.errors == Values{});
    CHECK(v.values.at("account_id") == "3");
    CHECK(v.values.at("base_url") == "https://app.chatwoot.com");  // the default: Chatwoot Cloud

    CHECK(check("chatwoot", {{"account_id", -3}, {"api_access_token", "EgsDdxRZFUy4tPWDjwmyZaYk"}}).errors ==
          Values{{"account_id", "Account ID should be a whole number, e.g. 1."}});
    CHECK(check("chatwoot", {{"account_id", 1.5}, {"api_access_token", "EgsDdxRZFUy4tPWDjwmyZaYk"}}).errors ==
          Values{{"account_id", "Account ID must be text in quotes, not a number."}});

    json amazon = samples()[3].credentials;
    amazon["marketplace_ids"] = json::array({"ATVPDKIKX0DER", "a1f83g8c2aro7p"});
    CHECK(check("amazon_sp_api", amazon).values.at("marketplace_ids") == "ATVPDKIKX0DER,A1F83G8C2ARO7P");
    amazon["marketplace_ids"] = json::array({"ATVPDKIKX0DER", 7});
    CHECK(check("amazon_sp_api", amazon).errors ==
          Values{{"marketplace_ids", "Marketplace IDs must be text, or a list of texts, in quotes."}});
}

TEST_CASE("null is the same as leaving a field out") {
    Validation v = check("twilio", {{"account_sid", "AC" + kHex32}, {"auth_token", kHex32},
                                    {"primary_tracking_number", nullptr}});
    CHECK(v.errors == Values{});
    CHECK_FALSE(v.values.count("primary_tracking_number"));
    CHECK(check("twilio", {{"account_sid", nullptr}, {"auth_token", kHex32}}).errors ==
          Values{{"account_sid", "Account SID is required."}});
}

TEST_CASE("Credentials that are not an object are rejected as a whole") {
    for (const json& body : {json::array(), json("abc"), json(nullptr), json(42)}) {
        INFO(body.dump());
        CHECK(check("bigcommerce", body).errors ==
              Values{{"credentials", "Send the credentials as a JSON object of field names and values, "
                                     "e.g. {\"store_hash\": \"\u2026\"}."}});
    }
}

TEST_CASE("The API clients' field names are accepted as aliases") {
    // The one-call BigCommerce onboarding body.
    Validation bc = check("bigcommerce", {{"bigcommerce_store_hash", "abc123"},
                                          {"bigcommerce_client_id", "your_client_id_here"},
                                          {"bigcommerce_access_token", "your_access_token_here"}});
    CHECK(bc.errors == Values{});
    CHECK(bc.values == Values{{"store_hash", "abc123"}, {"client_id", "your_client_id_here"},
                              {"access_token", "your_access_token_here"}});

    // A per-user Chatwoot integration's configuration, camelCase.
    Validation cw = check("chatwoot", {{"baseUrl", "https://app.chatwoot.com"}, {"accountId", "123"},
                                       {"apiKey", "EgsDdxRZFUy4tPWDjwmyZaYk"}});
    CHECK(cw.errors == Values{});
    CHECK(cw.values.at("api_access_token") == "EgsDdxRZFUy4tPWDjwmyZaYk");
    CHECK(cw.values.at("account_id") == "123");
}

TEST_CASE("The same field sent under two names is an error") {
    CHECK(check("bigcommerce", {{"store_hash", "abc123"}, {"storeHash", "abc123"},
                                {"access_token", "0123456789abcdefghijklmnopqrstu"}})
              .errors == Values{{"store_hash", "Store hash was sent twice, as \u201CstoreHash\u201D and "
                                               "\u201Cstore_hash\u201D; send it once."}});
}

TEST_CASE("A value pasted into its sibling's field is named as such") {
    Validation v = check("woocommerce", {{"site_url", "https://shop.example.com"},
                                         {"consumer_key", "cs_" + kHex40},
                                         {"consumer_secret", "ck_" + kHex40}});
    CHECK(v.errors ==
          Values{{"consumer_key", "This looks like your consumer secret (it starts with cs_); paste the "
                                  "consumer key here \u2014 it starts with ck_."},
                 {"consumer_secret", "This looks like your consumer key (it starts with ck_); paste the "
                                     "consumer secret here \u2014 it starts with cs_."}});
}

TEST_CASE("Amazon's region accepts AWS region names") {
    json amazon = samples()[3].credentials;
    amazon["region"] = "us-east-1";
    CHECK(check("amazon_sp_api", amazon).values.at("region") == "na");
    CHECK(value_of("amazon_sp_api", "region", "eu-west-1") == "eu");
    CHECK(value_of("amazon_sp_api", "region", "US-WEST-2") == "fe");
    CHECK(value_of("amazon_sp_api", "region", "EU") == "eu");
    CHECK(error_of("amazon_sp_api", "region", "asia") == "Selling region must be one of na, eu or fe.");
    CHECK(error_of("woocommerce", "api_version", "wc/v2") == "API version must be wc/v3.");
    CHECK(value_of("woocommerce", "api_version", "/wc/v3") == "wc/v3");
}

// ---------------------------------------------------------------------------
// Custom CRM: fields conditional on auth_type
// ---------------------------------------------------------------------------

TEST_CASE("Custom CRM requires the fields of the chosen auth type only") {
    json base = {{"base_url", "https://api.crm.example.com"}, {"test_path", "/me"}};

    json api_key = base;
    api_key["auth_type"] = "api_key";
    CHECK(check("custom_crm", api_key).errors == Values{{"api_key", "API key is required."}});

    json bearer = base;
    bearer["auth_type"] = "bearer";
    CHECK(check("custom_crm", bearer).errors == Values{{"bearer_token", "Bearer token is required."}});

    json basic = base;
    basic["auth_type"] = "basic";
    CHECK(check("custom_crm", basic).errors ==
          Values{{"username", "User name is required."}, {"password", "Password is required."}});

    json oauth = base;
    oauth["auth_type"] = "oauth2";
    CHECK(check("custom_crm", oauth).errors == Values{{"client_id", "Client ID is required."},
                                                      {"client_secret", "Client secret is required."},
                                                      {"token_url", "Token URL is required."}});
    oauth["client_id"] = "onramp";
    oauth["client_secret"] = "s3cr3t-0123456789";
    oauth["token_url"] = "https://auth.crm.example.com/oauth/token";
    Validation ok = check("custom_crm", oauth);
    CHECK(ok.errors == Values{});
    CHECK(ok.values == Values{{"base_url", "https://api.crm.example.com"}, {"test_path", "/me"},
                              {"auth_type", "oauth2"}, {"client_id", "onramp"},
                              {"client_secret", "s3cr3t-0123456789"},
                              {"token_url", "https://auth.crm.example.com/oauth/token"}});
}

TEST_CASE("Custom CRM drops the fields of other auth types, as a client form sends them all") {
    // The credentials are one JSON object holding every auth type's fields.
    Validation v = check("custom_crm", {{"base_url", "https://api.crm.example.com/v2/"},
                                        {"test_path", "contacts?limit=1"},
                                        {"auth_type", "API Key"},
                                        {"api_key", "your-api-key-here"},
                                        {"username", "your-username"},
                                        {"password", "your-password"}});
    CHECK(v.errors == Values{});
    CHECK(v.values == Values{{"base_url", "https://api.crm.example.com/v2"},
                             {"test_path", "/contacts?limit=1"},
                             {"auth_type", "api_key"},
                             {"api_key_header", "X-API-Key"},
                             {"api_key", "your-api-key-here"}});
}

TEST_CASE("Custom CRM auth type labels from a client form normalise to values") {
    CHECK(value_of("custom_crm", "auth_type", "API Key") == "api_key");
    CHECK(value_of("custom_crm", "auth_type", "Bearer Token") == "bearer");
    CHECK(value_of("custom_crm", "auth_type", "Basic Auth") == "basic");
    CHECK(value_of("custom_crm", "auth_type", "OAuth 2.0") == "oauth2");
    CHECK(error_of("custom_crm", "auth_type", "magic") ==
          "Authentication must be one of api_key, bearer, basic or oauth2.");
}

TEST_CASE("Without a valid auth type only the auth type is reported") {
    json body = {{"base_url", "https://api.crm.example.com"}, {"test_path", "/me"}, {"api_key", "whatever-key"}};
    CHECK(check("custom_crm", body).errors == Values{{"auth_type", "Authentication is required."}});
    body["auth_type"] = "magic";
    CHECK(check("custom_crm", body).errors ==
          Values{{"auth_type", "Authentication must be one of api_key, bearer, basic or oauth2."}});
}

TEST_CASE("field_visible follows the normalised auth type") {
    const Connector& crm = *find_connector("custom_crm");
    const Field& token_url = *crm.find_field("token_url");
    const Field& api_key = *crm.find_field("api_key");
    CHECK(field_visible(crm, token_url, {{"auth_type", "OAuth 2.0"}}));
    CHECK_FALSE(field_visible(crm, api_key, {{"auth_type", "OAuth 2.0"}}));
    CHECK_FALSE(field_visible(crm, api_key, {}));
    CHECK(field_visible(crm, *crm.find_field("base_url"), {}));
}

TEST_CASE("OAuth sign-in is offered when its condition holds: the custom CRM only in OAuth 2.0 mode") {
    const Connector& crm = *find_connector("custom_crm");
    CHECK(condition_holds(crm, crm.oauth_install_when, {{"auth_type", "OAuth 2.0"}}));
    CHECK_FALSE(condition_holds(crm, crm.oauth_install_when, {{"auth_type", "api_key"}}));
    CHECK_FALSE(condition_holds(crm, crm.oauth_install_when, {}));
    const Connector& shopify = *find_connector("shopify");
    CHECK(condition_holds(shopify, shopify.oauth_install_when, {}));
}

// ---------------------------------------------------------------------------
// One check at a time (validate_field, as the UI calls it)
// ---------------------------------------------------------------------------

TEST_CASE("Every field: required, line breaks, control characters, invalid UTF-8, length cap") {
    CHECK(error_of("bigcommerce", "store_hash", "") == "Store hash is required.");
    CHECK(error_of("bigcommerce", "store_hash", " \n ") == "Store hash is required.");
    CHECK(validate_field(field("bigcommerce", "client_id"), "").ok());
    CHECK(validate_field(field("bigcommerce", "client_id"), "").value == "");
    CHECK(error_of("bigcommerce", "store_hash", "abc\n123") ==
          "Store hash contains a line break \u2014 paste it again on one line.");
    CHECK(error_of("bigcommerce", "store_hash", std::string("abc\x01") + "123") ==
          "Store hash contains an invisible control character \u2014 type or paste it again.");
    CHECK(error_of("bigcommerce", "store_hash", "abc\xFF" "123") ==
          "Store hash contains bytes that are not valid text \u2014 type or paste it again.");
    CHECK(error_of("bigcommerce", "store_hash", "abc\xC0\xAF") ==  // overlong "/"
          "Store hash contains bytes that are not valid text \u2014 type or paste it again.");
    CHECK(error_of("custom_crm", "bearer_token", std::string(5000, 'a')) ==
          "Bearer token is too long (5000 characters; at most 4096).");
}

TEST_CASE("store_hash: lowercase letters and digits, also out of a pasted API path") {
    CHECK(value_of("bigcommerce", "store_hash", "abc123") == "abc123");
    CHECK(value_of("bigcommerce", "store_hash", "ABC123") == "abc123");
    CHECK(value_of("bigcommerce", "store_hash", "https://api.bigcommerce.com/stores/abc123/v3/") == "abc123");
    CHECK(value_of("bigcommerce", "store_hash", "stores/g5cd38") == "g5cd38");
    CHECK(value_of("bigcommerce", "store_hash", "https://store-abc123.mybigcommerce.com/manage") == "abc123");
    const std::string msg = "Store hash is the 5\u201312 letters and digits after /stores/ in your API path, "
                            "e.g. abc123 in https://api.bigcommerce.com/stores/abc123/v3/.";
    CHECK(error_of("bigcommerce", "store_hash", "abc") == msg);
    CHECK(error_of("bigcommerce", "store_hash", "abcdefghijklm") == msg);
    CHECK(error_of("bigcommerce", "store_hash", "abc-123") == msg);
    CHECK(error_of("bigcommerce", "store_hash", "https://api.bigcommerce.com/stores/") == msg);
}

TEST_CASE("shopify_domain: shop name, myshopify address or admin address") {
    for (const char* in : {"your-store", "Your-Store.myshopify.com", "https://your-store.myshopify.com/",
                           "https://your-store.myshopify.com/admin/products", "http://your-store.myshopify.com",
                           "admin.shopify.com/store/your-store", "https://admin.shopify.com/store/your-store/orders"}) {
        INFO(in);
        CHECK(value_of("shopify", "shop_domain", in) == "your-store.myshopify.com");
    }
    CHECK(error_of("shopify", "shop_domain", "www.your-store.com") ==
          "Shop domain must be your store's myshopify.com address, e.g. your-store.myshopify.com, not its "
          "public domain. Shopify admin shows it under Settings \u2192 Domains.");
    CHECK(error_of("shopify", "shop_domain", "your_store!") ==
          "Shop domain can only contain letters, digits and hyphens before .myshopify.com, "
          "e.g. your-store.myshopify.com.");
    CHECK(error_of("shopify", "shop_domain", "https://.myshopify.com") ==
          "Shop domain needs your shop's name, e.g. your-store.myshopify.com.");
}

TEST_CASE("hex: a prefix and an exact number of hex digits") {
    const std::string sid = "AC" + kHex32;
    CHECK(value_of("twilio", "account_sid", sid) == sid);
    CHECK(value_of("twilio", "account_sid", "ac" + kHex32) == sid);  // prefix typed in lowercase
    CHECK(value_of("twilio", "account_sid", "AC" + std::string(32, 'F')) == "AC" + std::string(32, 'F'));
    const std::string want = "Account SID should be AC followed by 32 characters 0\u20139 and a\u2013f";
    CHECK(error_of("twilio", "account_sid", "SK" + kHex32) == want + ".");
    CHECK(error_of("twilio", "account_sid", sid.substr(0, 33)) ==
          want + "; this one has 31 after AC \u2014 check it was copied whole.");
    CHECK(error_of("twilio", "account_sid", "AC" + kHex32.substr(0, 31) + "g") ==
          want + "; it contains other characters \u2014 check it was copied exactly.");
    CHECK(error_of("twilio", "auth_token", kHex32 + "0") ==
          "Auth token should be 32 characters 0\u20139 and a\u2013f; this one has 33 \u2014 check it was copied "
          "whole.");
    CHECK(error_of("woocommerce", "consumer_key", "ck_" + kHex32) ==
          "Consumer key should be ck_ followed by 40 characters 0\u20139 and a\u2013f; this one has 32 after ck_ "
          "\u2014 check it was copied whole.");
}

TEST_CASE("token: visible characters, an optional prefix, sane length") {
    CHECK(value_of("amazon_sp_api", "refresh_token", "Atzr|IwEBI-abc_def.ghi|jkl") == "Atzr|IwEBI-abc_def.ghi|jkl");
    CHECK(error_of("amazon_sp_api", "refresh_token", "Atza|IwEBIExampleAccessToken0123") ==
          "Refresh token should start with Atzr|.");
    CHECK(error_of("amazon_sp_api", "lwa_client_id", "amzn1.oa2-cs.v1.0123456789") ==
          "LWA client identifier should start with amzn1.application-oa2-client.");
    CHECK(error_of("bigcommerce", "access_token", "0123456789 abcdefghijklmnopqrstu") ==
          "Access token should be one unbroken string: it contains a space in the middle.");
    CHECK(error_of("bigcommerce", "access_token", "abcde") ==
          "Access token looks too short (5 characters) \u2014 check it was copied whole.");
    CHECK(error_of("bigcommerce", "access_token", std::string(201, 'a')) ==
          "Access token is too long (201 characters; at most 200) \u2014 check nothing else was copied with it.");
    CHECK(error_of("bigcommerce", "access_token", "0123456789abcdefghij\xC3\xA9") ==
          "Access token contains characters that can't be part of it (only letters, digits and punctuation) "
          "\u2014 check it was copied exactly.");
    CHECK(error_of("custom_crm", "bearer_token", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc") ==
          "Paste the bearer token alone, without \u201CBearer\u201D in front.");
    CHECK(error_of("custom_crm", "api_key", "bearer abcdefghij") ==
          "Paste the API key alone, without \u201CBearer\u201D in front.");
}

TEST_CASE("https_url: https only, a real host, no credentials, query or fragment") {
    CHECK(value_of("woocommerce", "site_url", "shop.example.com") == "https://shop.example.com");
    CHECK(value_of("woocommerce", "site_url", "HTTPS://Shop.Example.COM:443/") == "https://shop.example.com");
    CHECK(value_of("woocommerce", "site_url", "https://shop.example.com.:8443/store/") ==
          "https://shop.example.com:8443/store");
    CHECK(value_of("custom_crm", "base_url", "https://[2001:DB8::1]:8443/api") == "https://[2001:db8::1]:8443/api");
    // A pasted admin or API address is cut back to the site.
    CHECK(value_of("woocommerce", "site_url", "https://example.com/shop/wp-admin/admin.php?page=wc-settings#top") ==
          "https://example.com/shop");
    CHECK(value_of("woocommerce", "site_url", "https://shop.example.com/wp-json/wc/v3/") ==
          "https://shop.example.com");
    CHECK(value_of("chatwoot", "base_url", "https://app.chatwoot.com/app/accounts/3/dashboard") ==
          "https://app.chatwoot.com");
    CHECK(value_of("chatwoot", "base_url", "https://chat.example.com/application") ==
          "https://chat.example.com/application");  // "/app" only as a whole segment

    CHECK(error_of("woocommerce", "site_url", "http://shop.example.com") ==
          "Store address must start with https:// \u2014 Onramp sends credentials only over an encrypted "
          "connection.");
    CHECK(error_of("woocommerce", "site_url", "ftp://shop.example.com") ==
          "Store address must be a web address starting with https://.");
    CHECK(error_of("woocommerce", "site_url", "https://admin:hunter2@shop.example.com") ==
          "Store address must not contain a user name or password (the part before @); enter them in their "
          "own fields.");
    CHECK(error_of("custom_crm", "base_url", "https://good.example.com@evil.example.net/") ==
          "API base URL must not contain a user name or password (the part before @); enter them in their "
          "own fields.");
    CHECK(error_of("woocommerce", "site_url", "https://shop.example.com/#top") ==
          "Store address must not contain a # part; remove the # and what follows it.");
    CHECK(error_of("custom_crm", "base_url", "https://api.crm.example.com/v1?key=abc") ==
          "API base URL must not contain a ? part; remove the ? and what follows it.");
    CHECK(error_of("woocommerce", "site_url", "https://shop") ==
          "Store address needs a full host name with a dot, e.g. https://shop.com.");
    CHECK(error_of("woocommerce", "site_url", "https://my shop.com") ==
          "Store address contains a space; a web address has none.");
    CHECK(error_of("woocommerce", "site_url", "https://-shop.example.com") ==
          "Store address has an invalid host name \u201C-shop.example.com\u201D: use letters, digits, hyphens "
          "and dots, e.g. your-store.com.");
    CHECK(error_of("woocommerce", "site_url", "https://b\xC3\xBC" "cher.example") ==
          "Store address contains non-English letters in its host; use the xn-- form of the domain name your "
          "host gives you.");
    CHECK(error_of("woocommerce", "site_url", "https://shop.example.com:99999") ==
          "Store address has an invalid port after the host name.");
    CHECK(error_of("woocommerce", "site_url", "https://") ==
          "Store address has no host name, e.g. https://your-store.com.");
    CHECK(error_of("custom_crm", "base_url", "https://api.crm.example.com/a/../b") ==
          "API base URL must not contain . or .. segments.");
    CHECK(error_of("custom_crm", "base_url", "https://api.crm.example.com/a<b>") ==
          "API base URL contains \u201C<\u201D, which is not allowed in a web address.");
    CHECK(error_of("custom_crm", "base_url", "https://api.crm.example.com/%zz") ==
          "API base URL has a % that is not followed by two hex digits.");
}

TEST_CASE("url_path: a path under the base URL") {
    CHECK(value_of("custom_crm", "test_path", "me") == "/me");
    CHECK(value_of("custom_crm", "test_path", "/contacts?limit=1&fields=id") == "/contacts?limit=1&fields=id");
    CHECK(error_of("custom_crm", "test_path", "https://api.crm.example.com/me") ==
          "Test path is a path such as /me, not a full address; the address goes in the base URL.");
    CHECK(error_of("custom_crm", "test_path", "//evil.example.net/me") ==
          "Test path is a path such as /me, not a full address; the address goes in the base URL.");
    for (const char* climb : {"/a/../admin", "../admin", "/%2e%2e/admin", "/.%2E/admin", "/./me"}) {
        INFO(climb);
        CHECK(error_of("custom_crm", "test_path", climb) ==
              "Test path must not contain . or .. segments: the test has to stay under the base URL.");
    }
    CHECK(error_of("custom_crm", "test_path", "/me#x") ==
          "Test path must not contain a # part; remove the # and what follows it.");
    CHECK(error_of("custom_crm", "test_path", "/me now") ==
          "Test path contains a space or a backslash; a path has neither.");
    CHECK(error_of("custom_crm", "test_path", "/me\\..\\admin") ==
          "Test path contains a space or a backslash; a path has neither.");
}

TEST_CASE("header_name: a header token that cannot reroute the request") {
    CHECK(value_of("custom_crm", "api_key_header", "Api-Key") == "Api-Key");
    CHECK(value_of("custom_crm", "api_key_header", "X-API-Key:") == "X-API-Key");
    CHECK(value_of("custom_crm", "api_key_header", "") == "X-API-Key");  // the default
    CHECK(error_of("custom_crm", "api_key_header", "X API Key") ==
          "API key header can only contain letters, digits and - such as X-API-Key; it contains a space.");
    for (const char* reserved : {"Host", "content-length", "Transfer-Encoding"}) {
        INFO(reserved);
        CHECK(error_of("custom_crm", "api_key_header", reserved) ==
              "API key header cannot be " + std::string(reserved) +
                  ": Onramp sets that header itself. Use the header your CRM names for API keys.");
    }
}

TEST_CASE("phone: E.164 with the separators people type") {
    for (const char* in : {"+1-555-123-4567", "+1 (555) 123 4567", "+1.555.123.4567", "001 555 123 4567"}) {
        INFO(in);
        CHECK(value_of("twilio", "primary_tracking_number", in) == "+15551234567");
    }
    CHECK(value_of("callrail", "primary_tracking_number", "+44 20 7946 0958") == "+442079460958");
    CHECK(error_of("callrail", "primary_tracking_number", "555-123-4567") ==
          "Main tracking number needs the country code: start with + and the country code, e.g. "
          "+1 555 123 4567.");
    CHECK(error_of("callrail", "primary_tracking_number", "call us") ==
          "Main tracking number should be a phone number starting with + and the country code, e.g. "
          "+1 555 123 4567.");
    CHECK(error_of("callrail", "primary_tracking_number", "+1 555 123 4567 x12") ==
          "Main tracking number can only contain digits, spaces, dashes and brackets after the +, e.g. "
          "+1 555 123 4567 (no extension).");
    CHECK(error_of("callrail", "primary_tracking_number", "+123") ==
          "Main tracking number should have 7 to 15 digits after the +, country code included; this one "
          "has 3.");
    CHECK(error_of("callrail", "primary_tracking_number", "+0 555 123 4567") ==
          "Main tracking number should have 7 to 15 digits after the +, country code included; this one "
          "has 11.");
}

TEST_CASE("amazon ids: capital letters and digits, lists split and deduplicated") {
    CHECK(value_of("amazon_sp_api", "seller_id", "a2example1xyz9") == "A2EXAMPLE1XYZ9");
    CHECK(error_of("amazon_sp_api", "seller_id", "A2-EX") ==
          "Seller ID should be 8\u201320 capital letters and digits, e.g. A2EXAMPLE1XYZ9.");
    CHECK(value_of("amazon_sp_api", "marketplace_ids", " atvpdkikx0der, A2EUQ1WTGCTBG2 ATVPDKIKX0DER;\n") ==
          "ATVPDKIKX0DER,A2EUQ1WTGCTBG2");
    CHECK(error_of("amazon_sp_api", "marketplace_ids", "ATVPDKIKX0DER,US") ==
          "\u201CUS\u201D in Marketplace IDs is not valid: each ID is 10\u201314 capital letters and digits, "
          "e.g. ATVPDKIKX0DER. Separate several with commas.");
    CHECK(error_of("amazon_sp_api", "marketplace_ids", ", ,") ==
          "Marketplace IDs needs at least one ID, e.g. ATVPDKIKX0DER.");
}

TEST_CASE("digits and CallRail account ids, also out of a pasted address") {
    CHECK(value_of("chatwoot", "account_id", "42") == "42");
    CHECK(value_of("chatwoot", "account_id", "https://app.chatwoot.com/app/accounts/42/dashboard") == "42");
    CHECK(error_of("chatwoot", "account_id", "forty-two") == "Account ID should be a whole number, e.g. 1.");
    CHECK(error_of("chatwoot", "account_id", "https://app.chatwoot.com/app/settings") ==
          "Account ID should be a whole number, e.g. 1.");

    CHECK(value_of("callrail", "account_id", "713-863-719") == "713863719");
    CHECK(value_of("callrail", "account_id", "acc8154748ae6bd4e278a7cddd38a662f4f") ==
          "ACC8154748ae6bd4e278a7cddd38a662f4f");
    const std::string msg = "Account ID is the number under your account name in CallRail, e.g. 713-863-719, "
                            "or an ID starting with ACC.";
    CHECK(error_of("callrail", "account_id", "12ab") == msg);
    CHECK(error_of("callrail", "account_id", "ACC") == msg);
    CHECK(error_of("callrail", "account_id", "1234") == msg);
}

TEST_CASE("text: anything on one line up to its length") {
    CHECK(value_of("custom_crm", "password", "  p@ss w0rd!  ") == "p@ss w0rd!");
    CHECK(value_of("custom_crm", "scope", "contacts.read deals.read") == "contacts.read deals.read");
    CHECK(error_of("custom_crm", "username", std::string(257, 'u')) ==
          "User name is too long (257 characters; at most 256).");
    CHECK(validate_field(field("custom_crm", "username"), std::string(128, '\xC3') + "").error ==
          "User name contains bytes that are not valid text \u2014 type or paste it again.");
}

// ---------------------------------------------------------------------------
// Masking
// ---------------------------------------------------------------------------

TEST_CASE("masked_credentials hides secrets and keeps the rest") {
    const Connector& callrail = *find_connector("callrail");
    Values masked = masked_credentials(callrail, {{"api_key", kHex32}, {"account_id", "123456"}});
    CHECK(masked == Values{{"api_key", "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022cdef"},
                           {"account_id", "123456"}});

    const Connector& crm = *find_connector("custom_crm");
    CHECK(masked_credentials(crm, {{"password", "hunter2"}}) ==
          Values{{"password", "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"}});
    CHECK(masked_credentials(crm, {{"mystery", kHex32}}) ==
          Values{{"mystery", "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"}});
}
