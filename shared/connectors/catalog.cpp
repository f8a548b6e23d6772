// The connector catalog table: one entry per platform, with its credential
// fields, scopes, capabilities and rate-limit default. Types and the meaning
// of each column are in catalog.h; the checks behind `.check` are in
// shared/validation/validate.cpp.
//
// Facts below come from the platforms' own documentation (summarised in
// docs/platforms/); where a value is a judgement rather than a documented fact
// (a rate-limit default, a minimum token length) the comment says so.
//
// Index
//   [SECTION] Options and scopes
//   [SECTION] Fields, one array per platform
//   [SECTION] The table
//   [SECTION] Lookups and names
#include "shared/connectors/catalog.h"

#include "shared/text.h"

namespace onramp::connectors {

namespace {

using namespace capability;

// ---------------------------------------------------------------------------
// [SECTION] Options and scopes
// ---------------------------------------------------------------------------

// Amazon's three selling regions; the aliases are the AWS regions Amazon
// pairs with them (SP-API "Endpoints" page), which existing client forms
// ask for instead ("Region: us-east-1").
constexpr Option kAmazonRegions[] = {
    {"na", translatable("North America (US, Canada, Mexico, Brazil)"), "us-east-1 north_america"},
    {"eu", translatable("Europe, Middle East and India"), "eu-west-1 europe"},
    {"fe", translatable("Far East (Japan, Australia, Singapore)"), "us-west-2 far_east"},
};

// TikTok Shop runs two Partner Centers, and a seller signs in at the one
// its shop belongs to (partner.tiktokshop.com, "Authorization overview").
constexpr Option kTikTokShopRegions[] = {
    {"row", translatable("Outside the United States"), "global rest_of_world"},
    {"us", translatable("United States"), "united_states usa"},
};

// Onramp speaks WooCommerce REST API v3 only (wp-json/wc/v3); the field
// exists because existing client forms send it, so a client sending "wc/v3"
// is not rejected as an unknown field.
constexpr Option kWooApiVersions[] = {
    {"wc/v3", translatable("wc/v3 (WooCommerce 3.5 and later)"), "v3 /wc/v3 wc/v3/"},
};

// Existing custom CRM forms offer "API Key, Bearer Token, Basic Auth,
// OAuth 2.0"; those labels normalise to the aliases below.
constexpr Option kCrmAuthTypes[] = {
    {"api_key", translatable("API key in a header"), "apikey api_key_header"},
    {"bearer", translatable("Bearer token"), "bearer_token token"},
    {"basic", translatable("User name and password (basic auth)"), "basic_auth"},
    {"oauth2", translatable("OAuth 2.0"), "oauth oauth_2 oauth_2.0 oauth2.0"},
};

// BigCommerce OAuth scope identifiers and their control-panel names, from
// BigCommerce's API reference ("OAuth scopes" tables). Apps that edit
// products ask for products and inventory "modify"; Onramp only reads, and
// a modify scope includes the read-only one. Only products are required:
// the catalog is what an import is for, and a token that may read it
// proves the store hash and the token.
constexpr Scope kBigCommerceScopes[] = {
    {"store_v2_products_read_only", "Products: read-only",
     translatable("to import your products and variants"), "store_v2_products"},
    {"store_v2_information_read_only", "Information & settings: read-only",
     translatable("to show your store's name, address and currency"), "store_v2_information", false,
     translatable("your store's name, address and currency will not be shown")},
    {"store_inventory_read_only", "Store inventory: read-only",
     translatable("to read stock levels by location"), "store_inventory", false,
     translatable("stock by location will not be readable through the credential proxy")},
    {"store_v2_orders_read_only", "Orders: read-only",
     translatable("to import your orders"), "store_v2_orders", false, translatable("orders will not sync"), sync_orders},
};

// Shopify access scopes; "any scope that writes a resource also grants read
// access to it" (shopify.dev, API access scopes). Only products are
// required, as for BigCommerce.
constexpr Scope kShopifyScopes[] = {
    {"read_products", "Products: read", translatable("to import your products and variants"), "write_products"},
    {"read_inventory", "Inventory: read", translatable("to read stock levels by location"), "write_inventory", false,
     translatable("stock by location will not be readable through the credential proxy")},
    {"read_orders", "Orders: read", translatable("to import your orders"), "write_orders", false, translatable("orders will not sync"),
     sync_orders},
};

// A WooCommerce key has one permission: read, write or read_write.
constexpr Scope kWooScopes[] = {
    {"read", "Permissions: Read", translatable("to import your products and orders"), "read_write"},
};

// ---------------------------------------------------------------------------
// [SECTION] Fields, one array per platform
// ---------------------------------------------------------------------------
//
// Minimum token lengths are deliberately low: they catch a half-copied value,
// not a forged one — the platform is the judge of that.

constexpr Field kBigCommerceFields[] = {
    {.name = "store_hash", .label = translatable("Store hash"), .input = InputType::text, .required = true,
     .check = Check::store_hash, .min_length = 5, .max_length = 12,
     .placeholder = "abc123",
     .help = translatable("In your BigCommerce control panel go to Settings → Store-level API accounts "
                          "(older stores: Advanced Settings → API Accounts) → Create API account → V2/V3 API token. "
                          "The store hash is the part after /stores/ in the API path shown there, e.g. abc123 in "
                          "https://api.bigcommerce.com/stores/abc123/v3/. You can paste the whole API path."),
     .aliases = "bigcommerce_store_hash storeHash"},
    {.name = "access_token", .label = translatable("Access token"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 20, .max_length = 200,
     .placeholder = translatable("Paste the access token"),
     .help = translatable("Shown once, with the client ID, when you save the new API account (BigCommerce also "
                          "downloads both in a .txt file). The account needs the OAuth scope Products (read-only or "
                          "modify). Add Orders to import orders too, and Information & settings to show the store's "
                          "name; Store inventory is optional. If the token is lost, create a new API account."),
     .aliases = "bigcommerce_access_token accessToken"},
    {.name = "client_id", .label = translatable("Client ID"), .input = InputType::text,
     .check = Check::token, .min_length = 10, .max_length = 200,
     .placeholder = translatable("Optional"),
     .help = translatable("Optional. Shown with the access token when you create the API account. BigCommerce no "
                          "longer requires it for API calls, so you can leave it empty."),
     .aliases = "bigcommerce_client_id clientId"},
};

constexpr Field kShopifyFields[] = {
    {.name = "shop_domain", .label = translatable("Shop domain"), .input = InputType::text, .required = true,
     .check = Check::shopify_domain, .max_length = 200,
     .placeholder = "your-store.myshopify.com",
     .help = translatable("Your store's permanent myshopify.com address, e.g. your-store.myshopify.com. Shopify "
                          "admin shows it under Settings → Domains. Your shop name alone, or the admin address "
                          "admin.shopify.com/store/your-store, works too."),
     .aliases = "shop shopDomain"},
    {.name = "access_token", .label = translatable("Admin API access token"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::token, .min_length = 20, .max_length = 200,
     .placeholder = "shpat_…",
     .help = translatable("In Shopify admin go to Settings → Apps and sales channels → Develop apps, open your app, "
                          "then API credentials → Admin API access token (it starts with shpat_ and is shown once). "
                          "The app needs the Admin API scope read_products; add read_orders to import orders too "
                          "(read_inventory is optional). "
                          "Shopify no longer lets stores create new apps there; without one, choose "
                          "Connect with Shopify instead."),
     .aliases = "accessToken", .filled_by_sign_in = true},
};

constexpr Field kWooCommerceFields[] = {
    {.name = "site_url", .label = translatable("Store address"), .input = InputType::url, .required = true,
     .check = Check::https_url, .max_length = 2048,
     .placeholder = "https://your-store.com",
     .help = translatable("The address of your WordPress site, e.g. https://your-store.com (if WordPress lives in a "
                          "folder, include it: https://example.com/shop). It must start with https://. In WordPress, "
                          "Settings → Permalinks must be anything but Plain, or WooCommerce's API can't be reached."),
     .aliases = "siteUrl store_url",
     .cut_path_at = "/wp-admin /wp-json /wp-login.php"},
    {.name = "consumer_key", .label = translatable("Consumer key"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::hex, .prefix = "ck_", .min_length = 40, .max_length = 40,
     .placeholder = "ck_…",
     .help = translatable("In WordPress go to WooCommerce → Settings → Advanced → REST API → Add key. Pick a user "
                          "who can manage WooCommerce (an administrator or shop manager), set Permissions to Read, "
                          "and click Generate API key. Copy the consumer key (ck_ and 40 characters); WooCommerce "
                          "shows it only once."),
     .aliases = "consumerKey"},
    {.name = "consumer_secret", .label = translatable("Consumer secret"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::hex, .prefix = "cs_", .min_length = 40,
     .max_length = 40, .placeholder = "cs_…",
     .help = translatable("Shown next to the consumer key when you generate it (cs_ and 40 characters), only once. "
                          "If it is lost, revoke the key and generate a new one."),
     .aliases = "consumerSecret"},
    {.name = "api_version", .label = translatable("API version"), .input = InputType::select,
     .check = Check::one_of, .options = kWooApiVersions, .default_value = "wc/v3",
     .placeholder = "wc/v3",
     .help = translatable("Leave as wc/v3: Onramp uses version 3 of the WooCommerce REST API."),
     .aliases = "apiVersion"},
};

constexpr Field kAmazonFields[] = {
    {.name = "region", .label = translatable("Selling region"), .input = InputType::select, .required = true,
     .check = Check::one_of, .options = kAmazonRegions,
     .placeholder = translatable("Choose a region"),
     .help = translatable("Where your Seller Central account sells: North America for amazon.com, .ca, .com.mx and "
                          ".com.br; Europe for the European, Middle East and India marketplaces; Far East for Japan, "
                          "Australia and Singapore.")},
    {.name = "seller_id", .label = translatable("Seller ID"), .input = InputType::text, .required = true,
     .check = Check::amazon_id, .min_length = 8, .max_length = 20,
     .placeholder = "A2EXAMPLE1XYZ9",
     .help = translatable("In Seller Central go to Settings → Account Info → Merchant Token: that value is your "
                          "Seller ID (capital letters and digits, starting with A)."),
     .aliases = "sellerId merchant_token"},
    {.name = "marketplace_ids", .label = translatable("Marketplace IDs"), .input = InputType::text, .required = true,
     .check = Check::amazon_id_list, .min_length = 10, .max_length = 14,
     .placeholder = "ATVPDKIKX0DER",
     .help = translatable("The marketplaces to import, separated by commas, e.g. ATVPDKIKX0DER (United States), "
                          "A2EUQ1WTGCTBG2 (Canada), A1F83G8C2ARO7P (United Kingdom), A1PA6795UKMFR9 (Germany). "
                          "Amazon lists every one on its \"Marketplace IDs\" page."),
     .aliases = "marketplaceIds marketplace_id"},
    {.name = "lwa_client_id", .label = translatable("LWA client identifier"), .input = InputType::text,
     .required = true, .check = Check::token, .prefix = "amzn1.application-oa2-client.",
     .min_length = 8, .max_length = 200,
     .placeholder = "amzn1.application-oa2-client.…",
     .help = translatable("In Seller Central open Apps and Services → Develop Apps (on some accounts Partner Network "
                          "→ Develop Apps), find your app and click View under LWA credentials. The client "
                          "identifier starts with amzn1.application-oa2-client."),
     .aliases = "lwaClientId lwa_app_id"},
    {.name = "lwa_client_secret", .label = translatable("LWA client secret"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::token, .min_length = 16, .max_length = 200,
     .placeholder = translatable("Paste the client secret"),
     .help = translatable("Shown next to the client identifier when you click View under LWA credentials."),
     .aliases = "lwaClientSecret"},
    {.name = "refresh_token", .label = translatable("Refresh token"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::token, .prefix = "Atzr|",
     .min_length = 20, .max_length = 2048,
     .placeholder = "Atzr|…",
     .help = translatable("On the same Develop Apps page choose Authorize app for your app, then Authorize app for "
                          "your account: Amazon shows a refresh token starting with Atzr| once. Copy all of it — "
                          "it is a long value."),
     .aliases = "refreshToken"},
    {.name = "aws_access_key_id", .label = translatable("AWS access key ID"), .input = InputType::text,
     .check = Check::token, .min_length = 16, .max_length = 128,
     .placeholder = translatable("Not needed"),
     .help = translatable("Not needed: Amazon no longer requires AWS request signing (SigV4) for the Selling Partner "
                          "API. Leave it empty; it is accepted only so credentials from older set-ups still load."),
     .aliases = "awsAccessKeyId access_key_id"},
    {.name = "aws_secret_access_key", .label = translatable("AWS secret access key"), .input = InputType::password,
     .sensitive = true, .check = Check::token, .min_length = 16, .max_length = 256,
     .placeholder = translatable("Not needed"),
     .help = translatable("Not needed: Amazon no longer requires AWS request signing (SigV4) for the Selling Partner "
                          "API. Leave it empty."),
     .aliases = "awsSecretAccessKey secret_access_key"},
};

constexpr Field kCallRailFields[] = {
    {.name = "api_key", .label = translatable("API key"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 16, .max_length = 200,
     .placeholder = translatable("Paste the API v3 key"),
     .help = translatable("In CallRail open Settings → Data Access → API Keys (on older accounts: your name → "
                          "My Profile → API Keys) and click Create New API v3 Key. CallRail shows it only once. "
                          "Keys belong to your user, so create it as an admin who can see all calls."),
     .aliases = "apiKey"},
    {.name = "account_id", .label = translatable("Account ID"), .input = InputType::text, .required = true,
     .check = Check::callrail_account, .max_length = 64,
     .placeholder = "713-863-719",
     .help = translatable("The account number shown under your account name in CallRail, e.g. 713-863-719 "
                          "(dashes are fine), or the account ID starting with ACC."),
     .aliases = "accountId"},
    {.name = "primary_tracking_number", .label = translatable("Main tracking number"), .input = InputType::phone,
     .check = Check::phone,
     .placeholder = "+1 555 123 4567",
     .help = translatable("Optional. Your main CallRail tracking number with its country code, e.g. "
                          "+1 555 123 4567, as listed on CallRail's Tracking Numbers page."),
     .aliases = "primaryTrackingNumber"},
};

constexpr Field kTwilioFields[] = {
    {.name = "account_sid", .label = translatable("Account SID"), .input = InputType::text, .required = true,
     .check = Check::hex, .prefix = "AC", .min_length = 32, .max_length = 32,
     .placeholder = "AC…",
     .help = translatable("On the Twilio Console home page, in the Account Info box: the Account SID, "
                          "34 characters starting with AC."),
     .aliases = "accountSid"},
    {.name = "auth_token", .label = translatable("Auth token"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::hex, .min_length = 32, .max_length = 32,
     .placeholder = translatable("Paste the auth token"),
     .help = translatable("In the same Account Info box: the Auth Token (click Show, or the copy button). It is "
                          "32 characters. If you rotate it in Twilio later, update it here too."),
     .aliases = "authToken"},
    {.name = "primary_tracking_number", .label = translatable("Main phone number"), .input = InputType::phone,
     .check = Check::phone,
     .placeholder = "+1 555 123 4567",
     .help = translatable("Optional. The Twilio number your calls come in on, with its country code, e.g. "
                          "+1 555 123 4567 (Twilio Console → Phone Numbers → Active numbers)."),
     .aliases = "primaryTrackingNumber"},
};

constexpr Field kChatwootFields[] = {
    {.name = "base_url", .label = translatable("Chatwoot address"), .input = InputType::url, .required = true,
     .check = Check::https_url, .max_length = 2048, .default_value = "https://app.chatwoot.com",
     .placeholder = "https://app.chatwoot.com",
     .help = translatable("Chatwoot Cloud: https://app.chatwoot.com. Self-hosted: the address you open Chatwoot at, "
                          "e.g. https://chat.your-company.com. Pasting the address of any Chatwoot page works too."),
     .aliases = "baseUrl",
     .cut_path_at = "/app /api"},
    {.name = "account_id", .label = translatable("Account ID"), .input = InputType::number, .required = true,
     .check = Check::digits, .prefix = "/accounts/", .max_length = 12,
     .placeholder = "1",
     .help = translatable("The number after /accounts/ in the address bar when you are signed in to Chatwoot, "
                          "e.g. 3 in …/app/accounts/3/dashboard. Pasting that address works too."),
     .aliases = "accountId"},
    {.name = "api_access_token", .label = translatable("Access token"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::token, .min_length = 16, .max_length = 200,
     .placeholder = translatable("Paste the access token"),
     .help = translatable("In Chatwoot click your avatar → Profile Settings and copy the Access Token near the "
                          "bottom of the page. It acts as you, so use an account that can see the contacts to "
                          "import."),
     .aliases = "apiKey api_key apiAccessToken"},
};

constexpr Field kTelegramFields[] = {
    {.name = "bot_token", .label = translatable("Bot token"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 20, .max_length = 128,
     .placeholder = "123456789:AA…",
     .help = translatable("In Telegram, open @BotFather, send /mybots, pick your bot and choose API Token. It is "
                          "the bot's number, a colon and a long code, e.g. 123456789:AAF…. Anyone holding it "
                          "controls the bot, so paste it only here."),
     .aliases = "botToken token"},
};

constexpr Field kViberFields[] = {
    {.name = "auth_token", .label = translatable("Auth token"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 20, .max_length = 128,
     .placeholder = "445da6az1s345z78-…",
     .help = translatable("In the Viber Admin Panel (partners.viber.com), open your bot's Info page and copy its "
                          "token. Viber also signs the bot's callbacks with it, so Onramp needs no other secret. "
                          "Anyone holding it controls the bot, so paste it only here."),
     .aliases = "authToken token"},
};

constexpr Field kMetaFields[] = {
    {.name = "page_id", .label = translatable("Facebook Page ID"), .input = InputType::text, .required = true,
     .check = Check::digits, .min_length = 5, .max_length = 32,
     .placeholder = "104567890123456",
     .help = translatable("The number Facebook gives your Page: on the Page, open About → Page transparency. "
                          "Signing in with Facebook fills it in."),
     .aliases = "pageId", .filled_by_sign_in = true},
    {.name = "page_access_token", .label = translatable("Page access token"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::token, .min_length = 20, .max_length = 1024,
     .placeholder = "EAAB…",
     .help = translatable("Issued when you sign in with Facebook: a long-lived token for your Page, so you never "
                          "copy it by hand. Anyone holding it can read and answer the Page's messages."),
     .aliases = "pageAccessToken accessToken", .filled_by_sign_in = true},
    {.name = "verify_token", .label = translatable("Webhook verify token"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::token, .min_length = 8, .max_length = 200,
     .placeholder = translatable("the phrase set in the App Dashboard"),
     .help = translatable("The Verify Token typed into the Meta App Dashboard's Webhooks settings; Facebook echoes "
                          "it when it checks Onramp's webhook URL. Signing in fills it in from this server's app."),
     .aliases = "verifyToken", .filled_by_sign_in = true},
};

// A TikTok Shop app (Partner Center → App & Service) signs every call with
// its secret; the seller's authorization brings the tokens and the shop.
constexpr Field kTikTokShopFields[] = {
    {.name = "app_key", .label = translatable("App key"), .input = InputType::text, .required = true,
     .check = Check::token, .min_length = 8, .max_length = 64,
     .placeholder = "6a1b2c3d4e5f6",
     .help = translatable("In TikTok Shop Partner Center open App & Service, choose your app and copy the App key "
                          "shown under its credentials."),
     .aliases = "appKey", .needed_by_sign_in = true},
    {.name = "app_secret", .label = translatable("App secret"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 16, .max_length = 128,
     .placeholder = translatable("Paste the app secret"),
     .help = translatable("Shown next to the app key in Partner Center. Onramp signs every request to TikTok Shop "
                          "with it and checks TikTok Shop's webhooks with it."),
     .aliases = "appSecret", .needed_by_sign_in = true},
    {.name = "service_id", .label = translatable("Service ID"), .input = InputType::text,
     .check = Check::digits, .max_length = 32,
     .placeholder = "7312345678901234567",
     .help = translatable("Shown with the app key in Partner Center. Needed only to connect by signing in at TikTok Shop."),
     .aliases = "serviceId", .needed_by_sign_in = true},
    {.name = "region", .label = translatable("Seller region"), .input = InputType::select,
     .check = Check::one_of, .options = kTikTokShopRegions, .default_value = "row",
     .placeholder = translatable("Outside the United States"),
     .help = translatable("Where the shop sells: United States shops sign in at TikTok Shop's US site, every other "
                          "shop at the global one."),
     .needed_by_sign_in = true},
    {.name = "access_token", .label = translatable("Access token"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 16, .max_length = 512,
     .placeholder = translatable("Filled in when you sign in"),
     .help = translatable("Issued when the seller authorizes your app. Choose Connect with TikTok Shop and Onramp "
                          "fills it in; Onramp renews it with the refresh token before it expires."),
     .aliases = "accessToken", .filled_by_sign_in = true},
    {.name = "refresh_token", .label = translatable("Refresh token"), .input = InputType::password,
     .sensitive = true, .check = Check::token, .min_length = 16, .max_length = 512,
     .placeholder = translatable("Filled in when you sign in"),
     .help = translatable("Issued with the access token; Onramp uses it to renew the access token by itself."),
     .aliases = "refreshToken", .filled_by_sign_in = true},
    {.name = "expires_at", .label = translatable("Access token expiry"), .input = InputType::number,
     .check = Check::digits, .max_length = 12,
     .placeholder = "1767225600",
     .help = translatable("When the access token expires, in seconds since 1970 (UTC), as TikTok Shop gives it. "
                          "Onramp sets it when you sign in."),
     .aliases = "expiresAt access_token_expire_in", .filled_by_sign_in = true},
    {.name = "shop_cipher", .label = translatable("Shop cipher"), .input = InputType::text,
     .check = Check::token, .min_length = 8, .max_length = 200,
     .placeholder = translatable("Filled in when you sign in"),
     .help = translatable("Which of the seller's authorized shops to import. Onramp fills it in when you sign in; "
                          "left empty, the first authorized shop is used."),
     .aliases = "shopCipher cipher", .filled_by_sign_in = true},
};

// Stripe takes a secret key or a restricted key; which of the four prefixes
// it carries is checked by the connector (edge/platforms/stripe/connector.cpp),
// which can then say what was pasted instead (a publishable pk_ key).
constexpr Scope kStripeScopes[] = {
    {"payment_intents_read", "Payment Intents: Read", translatable("to import your payments"), "payment_intents_write"},
    {"charges_read", "Charges and Refunds: Read", translatable("to import your refunds"), "charges_write"},
};

constexpr Field kStripeFields[] = {
    {.name = "secret_key", .label = translatable("Secret or restricted key"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 20, .max_length = 255,
     .placeholder = translatable("rk_live_… or sk_live_…"),
     .help = translatable("In the Stripe Dashboard, open Developers → API keys. Best: create a restricted key "
                          "(rk_live_…) with Read on Payment Intents and on Charges and Refunds, and nothing else. "
                          "A secret key (sk_live_…) works too but can do anything on the account. Keys starting "
                          "with _test_ connect your test mode. Not the publishable key (pk_…)."),
     .aliases = "api_key apiKey secretKey restricted_key"},
};

// The custom CRM's fields depend on auth_type; conditional fields name it in
// visible_when and are dropped from the credentials when hidden.
constexpr Condition kWhenApiKey = {"auth_type", "api_key"};
constexpr Condition kWhenBearer = {"auth_type", "bearer"};
constexpr Condition kWhenBasic = {"auth_type", "basic"};
constexpr Condition kWhenOAuth2 = {"auth_type", "oauth2"};

constexpr Field kCustomCrmFields[] = {
    {.name = "base_url", .label = translatable("API base URL"), .input = InputType::url, .required = true,
     .check = Check::https_url, .max_length = 2048,
     .placeholder = "https://api.your-crm.com/v1",
     .help = translatable("The address every API path of your CRM starts with, e.g. https://api.your-crm.com/v1. "
                          "Your CRM's API documentation calls it the base URL."),
     .aliases = "baseUrl api_base_url"},
    {.name = "test_path", .label = translatable("Test path"), .input = InputType::text, .required = true,
     .check = Check::url_path, .max_length = 1024,
     .placeholder = "/me",
     .help = translatable("A path Onramp can GET with your credentials to check they work, added to the base URL: "
                          "one that answers 200 only for valid credentials, e.g. /me or /contacts?limit=1."),
     .aliases = "testPath"},
    {.name = "auth_type", .label = translatable("Authentication"), .input = InputType::select, .required = true,
     .check = Check::one_of, .options = kCrmAuthTypes,
     .placeholder = translatable("Choose how your CRM authenticates"),
     .help = translatable("How your CRM checks API calls; its API documentation says which: an API key in a "
                          "header, a bearer token, a user name and password (basic auth) or OAuth 2.0."),
     .aliases = "authType"},
    {.name = "api_key_header", .label = translatable("API key header"), .input = InputType::text,
     .check = Check::header_name, .max_length = 64, .default_value = "X-API-Key",
     .placeholder = "X-API-Key",
     .help = translatable("The header your CRM expects the key in: X-API-Key unless its documentation names "
                          "another, e.g. Api-Key."),
     .visible_when = kWhenApiKey, .aliases = "apiKeyHeader"},
    {.name = "api_key", .label = translatable("API key"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 8, .max_length = 1024,
     .placeholder = translatable("Paste the API key"),
     .help = translatable("Created in your CRM's settings, usually under API, Developers or Integrations."),
     .visible_when = kWhenApiKey, .aliases = "apiKey"},
    {.name = "bearer_token", .label = translatable("Bearer token"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::token, .min_length = 8, .max_length = kMaxValueLength,
     .placeholder = translatable("Paste the token"),
     .help = translatable("A personal access token or API token from your CRM's settings. Onramp sends it as "
                          "Authorization: Bearer <token>; paste the token alone."),
     .visible_when = kWhenBearer, .aliases = "bearerToken token"},
    {.name = "username", .label = translatable("User name"), .input = InputType::text, .required = true,
     .check = Check::text, .max_length = 256,
     .placeholder = "api-user@your-company.com",
     .help = translatable("The user name (or e-mail address) your CRM accepts for API calls."),
     .visible_when = kWhenBasic, .aliases = "user"},
    {.name = "password", .label = translatable("Password"), .input = InputType::password, .required = true,
     .sensitive = true, .check = Check::text, .max_length = 1024,
     .placeholder = translatable("Paste the password"),
     .help = translatable("The password of that user, or the API password your CRM issues for it."),
     .visible_when = kWhenBasic},
    {.name = "client_id", .label = translatable("Client ID"), .input = InputType::text, .required = true,
     .check = Check::token, .min_length = 1, .max_length = 512,
     .placeholder = translatable("Paste the client ID"),
     .help = translatable("From the OAuth app (API client) you register in your CRM's developer settings."),
     .visible_when = kWhenOAuth2, .aliases = "clientId"},
    {.name = "client_secret", .label = translatable("Client secret"), .input = InputType::password,
     .required = true, .sensitive = true, .check = Check::token, .min_length = 8, .max_length = 1024,
     .placeholder = translatable("Paste the client secret"),
     .help = translatable("Shown with the client ID when you register the OAuth app."),
     .visible_when = kWhenOAuth2, .aliases = "clientSecret"},
    {.name = "token_url", .label = translatable("Token URL"), .input = InputType::url, .required = true,
     .check = Check::https_url, .max_length = 2048,
     .placeholder = "https://auth.your-crm.com/oauth/token",
     .help = translatable("The token endpoint from your CRM's OAuth documentation, e.g. "
                          "https://auth.your-crm.com/oauth/token."),
     .visible_when = kWhenOAuth2, .aliases = "tokenUrl"},
    {.name = "authorize_url", .label = translatable("Authorization URL"), .input = InputType::url,
     .check = Check::https_url, .max_length = 2048,
     .placeholder = translatable("Optional"),
     .help = translatable("Only if you approve access by signing in to your CRM: its authorization endpoint, e.g. "
                          "https://auth.your-crm.com/oauth/authorize. Leave it empty to connect with the client ID "
                          "and secret alone."),
     .visible_when = kWhenOAuth2, .aliases = "authorizeUrl authorization_url",
     .needed_by_sign_in = true},
    {.name = "revocation_url", .label = translatable("Revocation URL"), .input = InputType::url,
     .check = Check::https_url, .max_length = 2048,
     .placeholder = translatable("Optional"),
     .help = translatable("If your CRM's OAuth documentation lists a token revocation endpoint (RFC 7009), e.g. "
                          "https://auth.your-crm.com/oauth/revoke: Onramp then gives its tokens up there when you "
                          "disconnect. Leave it empty if there is none."),
     .visible_when = kWhenOAuth2, .aliases = "revocationUrl revoke_url"},
    {.name = "scope", .label = translatable("Scopes"), .input = InputType::text,
     .check = Check::text, .max_length = 1024,
     .placeholder = translatable("Optional, e.g. contacts.read"),
     .help = translatable("The scopes to request, separated by spaces, as your CRM's OAuth documentation lists "
                          "them. Leave empty for its default."),
     .visible_when = kWhenOAuth2, .aliases = "scopes"},
    // Issued by the CRM when the client signs in from Onramp (authorization
    // code grant, edge/api/oauth.cpp); with them Onramp calls the CRM with
    // this token instead of exchanging the client credentials.
    {.name = "access_token", .label = translatable("Access token"), .input = InputType::password,
     .sensitive = true, .check = Check::token, .min_length = 8, .max_length = kMaxValueLength,
     .placeholder = translatable("Filled in when you sign in"),
     .help = translatable("Filled in when you sign in to your CRM from Onramp (this needs the authorization URL). "
                          "You can also paste an access token your CRM issued to the OAuth app. Leave it empty to "
                          "connect with the client ID and secret alone."),
     .visible_when = kWhenOAuth2, .aliases = "accessToken",
     .filled_by_sign_in = true},
    {.name = "refresh_token", .label = translatable("Refresh token"), .input = InputType::password,
     .sensitive = true, .check = Check::token, .min_length = 8, .max_length = kMaxValueLength,
     .placeholder = translatable("Filled in when you sign in"),
     .help = translatable("Issued with the access token when your CRM lets Onramp renew it; Onramp then renews an "
                          "expired access token by itself."),
     .visible_when = kWhenOAuth2, .aliases = "refreshToken",
     .filled_by_sign_in = true},
    {.name = "expires_at", .label = translatable("Access token expiry"), .input = InputType::number,
     .check = Check::digits, .max_length = 12,
     .placeholder = "1767225600",
     .help = translatable("When the access token expires, in seconds since 1970 (UTC). Onramp sets it from your "
                          "CRM's answer when you sign in; leave it empty for a token that does not expire."),
     .visible_when = kWhenOAuth2, .aliases = "expiresAt",
     .filled_by_sign_in = true},
};

// ---------------------------------------------------------------------------
// [SECTION] The table
// ---------------------------------------------------------------------------
//
// Rate-limit defaults apply only while a platform's headers say nothing:
//   bigcommerce  150 / 30 s   Standard plan quota (shared by all apps on the store)
//   shopify      2 / 1 s      REST leak rate of a Standard store; a fixed window of
//                             2/s never overfills its 40-call bucket
//   woocommerce  5 / 1 s      no limit in core; a judgement for shared hosting
//   amazon       1 / 1 s      per-operation rates live in the connector; this only
//                             bounds operations it does not know
//   callrail     1000 / 3600  the commonly quoted hourly limit (unconfirmed)
//   twilio       5 / 1 s      concurrency-limited, no quota header; a judgement
//   chatwoot     3000 / 60 s  Rack::Attack default per IP in Chatwoot's source
//   custom_crm   60 / 60 s    unknown server; a judgement
//   telegram     30 / 1 s     the Bot FAQ's bulk guidance; the API sends no quota headers
//   tiktok_shop  10 / 1 s     TikTok Shop publishes no number we could confirm; a judgement
//   stripe       25 / 1 s     the basic limiter's sandbox rate (live mode allows 100); no headers

constexpr Connector kConnectors[] = {
    {.id = "bigcommerce", .name = "BigCommerce", .category = Category::commerce,
     .description = translatable("Import products, variants, stock and orders from a BigCommerce store."),
     .docs_url = "https://developer.bigcommerce.com/docs/start/authentication/api-accounts",
     .api_base = "https://api.bigcommerce.com/stores/{store_hash}",
     .capabilities = test | sync_products | sync_orders | webhooks,
     .rate_limit = {150, 30}, .scopes = kBigCommerceScopes, .fields = kBigCommerceFields},
    {.id = "shopify", .name = "Shopify", .category = Category::commerce,
     .description = translatable("Import products, variants, stock and orders from a Shopify store."),
     .docs_url = "https://help.shopify.com/en/manual/apps/app-types/custom-apps",
     .api_base = "https://{shop_domain}/admin/api",
     .capabilities = test | sync_products | sync_orders | webhooks | oauth_install,
     .rate_limit = {2, 1}, .scopes = kShopifyScopes, .fields = kShopifyFields},
    {.id = "woocommerce", .name = "WooCommerce", .category = Category::commerce,
     .description = translatable("Import products and orders from a WordPress store running WooCommerce."),
     .docs_url = "https://woocommerce.com/document/woocommerce-rest-api/",
     .api_base = "{site_url}/wp-json/{api_version}",
     .capabilities = test | sync_products | sync_orders | webhooks,
     .rate_limit = {5, 1}, .scopes = kWooScopes, .fields = kWooCommerceFields},
    {.id = "amazon_sp_api", .name = "Amazon Seller Central", .category = Category::commerce,
     .description = translatable("Import listings and orders from Amazon through the Selling Partner API."),
     .docs_url = "https://developer-docs.amazon.com/sp-api/docs/self-authorization",
     .api_base = "https://sellingpartnerapi-{region}.amazon.com",
     .capabilities = test | sync_products | sync_orders,
     .rate_limit = {1, 1}, .fields = kAmazonFields},
    {.id = "callrail", .name = "CallRail", .category = Category::call_tracking,
     .description = translatable("Import calls and where they came from, from CallRail call tracking."),
     .docs_url = "https://support.callrail.com/hc/en-us/articles/5711821845389-CallRail-s-API",
     .api_base = "https://api.callrail.com/v3",
     .capabilities = test | sync_calls | webhooks,
     .rate_limit = {1000, 3600}, .fields = kCallRailFields},
    {.id = "twilio", .name = "Twilio", .category = Category::call_tracking,
     .description = translatable("Import the calls made to and from your Twilio phone numbers."),
     .docs_url = "https://support.twilio.com/hc/en-us/articles/223136027-Auth-Tokens-and-How-to-Change-Them",
     .api_base = "https://api.twilio.com/2010-04-01/Accounts/{account_sid}",
     .capabilities = test | sync_calls | webhooks,
     .rate_limit = {5, 1}, .fields = kTwilioFields},
    {.id = "chatwoot", .name = "Chatwoot", .category = Category::crm,
     .description = translatable("Import contacts from Chatwoot, cloud or self-hosted, and follow its events."),
     .docs_url = "https://developers.chatwoot.com/api-reference/introduction",
     .api_base = "{base_url}/api/v1",
     .capabilities = test | sync_contacts | webhooks,
     .rate_limit = {3000, 60}, .fields = kChatwootFields},
    {.id = "custom_crm", .name = "Custom CRM", .category = Category::crm,
     .description = translatable("Connect any CRM with a REST API: its address, how it authenticates, and a path "
                                 "to test."),
     .docs_url = "https://developer.mozilla.org/en-US/docs/Web/HTTP/Authentication",
     .api_base = "{base_url}",
     .capabilities = test | sync_contacts | oauth_install,
     .oauth_install_when = kWhenOAuth2,
     .rate_limit = {60, 60}, .fields = kCustomCrmFields},
    {.id = "telegram", .name = "Telegram bot", .category = Category::messaging,
     .description = translatable("Receive the updates a Telegram bot gets: messages, edits, channel posts and button "
                                 "presses."),
     .docs_url = "https://core.telegram.org/bots/tutorial#obtain-your-bot-token",
     .api_base = "https://api.telegram.org",
     .capabilities = test | webhooks,
     .rate_limit = {30, 1}, .fields = kTelegramFields},
    {.id = "viber", .name = "Viber bot", .category = Category::messaging,
     .description = translatable("Receive the callbacks a Viber bot gets: messages, subscriptions and delivery "
                                 "receipts."),
     .docs_url = "https://developers.viber.com/docs/api/rest-bot-api/#authentication-token",
     .api_base = "https://chatapi.viber.com/pa",
     .capabilities = test | webhooks,
     .rate_limit = {100, 60}, .fields = kViberFields},
    {.id = "meta", .name = "Facebook Page & Instagram", .category = Category::messaging,
     .description = translatable("Receive a Facebook Page's and its Instagram account's messages and comments, "
                                 "connected by signing in with Facebook."),
     .docs_url = "https://developers.facebook.com/docs/pages/access-tokens/",
     .api_base = "https://graph.facebook.com",
     .capabilities = test | webhooks | oauth_install,
     .rate_limit = {200, 3600}, .fields = kMetaFields},
    {.id = "tiktok_shop", .name = "TikTok Shop", .category = Category::commerce,
     .description = translatable("Import products, SKUs, stock and orders from a TikTok Shop seller account."),
     .docs_url = "https://partner.tiktokshop.com/docv2/page/669a2e4b8dd3e802fe0a57fc",
     .api_base = "https://open-api.tiktokglobalshop.com",
     .capabilities = test | sync_products | sync_orders | webhooks | oauth_install,
     .rate_limit = {10, 1}, .fields = kTikTokShopFields},
    {.id = "stripe", .name = "Stripe", .category = Category::payments,
     .description = translatable("Import payments and refunds from a Stripe account, and follow its events."),
     .docs_url = "https://stripe.com/docs/keys#create-restricted-api-secret-key",
     .api_base = "https://api.stripe.com",
     .capabilities = test | webhooks,
     .rate_limit = {25, 1}, .scopes = kStripeScopes, .fields = kStripeFields},
};

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Lookups and names
// ---------------------------------------------------------------------------

const Field* Connector::find_field(std::string_view field_name) const {
    for (const Field& f : fields)
        if (f.name == field_name) return &f;
    return nullptr;
}

std::span<const Connector> connectors() { return kConnectors; }

const Connector* find_connector(std::string_view id) {
    for (const Connector& c : kConnectors)
        if (c.id == id) return &c;
    return nullptr;
}

std::vector<const Connector*> connectors_in(Category category) {
    std::vector<const Connector*> out;
    for (const Connector& c : kConnectors)
        if (c.category == category) out.push_back(&c);
    return out;
}

std::string expand_api_base(const Connector& connector,
                            const std::map<std::string, std::string>& values) {
    std::string out;
    std::string_view t = connector.api_base;
    while (!t.empty()) {
        size_t open = t.find('{');
        size_t close = open == std::string_view::npos ? open : t.find('}', open);
        if (close == std::string_view::npos) {
            out += t;
            break;
        }
        out += t.substr(0, open);
        std::string key(t.substr(open + 1, close - open - 1));
        auto it = values.find(key);
        if (it != values.end() && !it->second.empty())
            out += it->second;
        else
            out += t.substr(open, close - open + 1);
        t.remove_prefix(close + 1);
    }
    return out;
}

std::string_view to_string(Category c) {
    switch (c) {
    case Category::commerce: return "commerce";
    case Category::call_tracking: return "call_tracking";
    case Category::crm: return "crm";
    case Category::messaging: return "messaging";
    case Category::payments: return "payments";
    }
    return "";
}

std::string_view label(Category c) {
    switch (c) {
    case Category::commerce: return translatable("Commerce");
    case Category::call_tracking: return translatable("Call tracking");
    case Category::crm: return translatable("CRM");
    case Category::messaging: return translatable("Messaging");
    case Category::payments: return translatable("Payments");
    }
    return "";
}

std::optional<Category> parse_category(std::string_view s) {
    for (Category c : kAllCategories)
        if (to_string(c) == s) return c;
    return std::nullopt;
}

std::string_view to_string(InputType t) {
    switch (t) {
    case InputType::text: return "text";
    case InputType::password: return "password";
    case InputType::url: return "url";
    case InputType::select: return "select";
    case InputType::number: return "number";
    case InputType::phone: return "phone";
    case InputType::email: return "email";
    case InputType::textarea: return "textarea";
    }
    return "";
}

std::string_view to_string(Check c) {
    switch (c) {
    case Check::text: return "text";
    case Check::https_url: return "https_url";
    case Check::url_path: return "url_path";
    case Check::header_name: return "header_name";
    case Check::shopify_domain: return "shopify_domain";
    case Check::store_hash: return "store_hash";
    case Check::hex: return "hex";
    case Check::token: return "token";
    case Check::amazon_id: return "amazon_id";
    case Check::amazon_id_list: return "amazon_id_list";
    case Check::phone: return "phone";
    case Check::digits: return "digits";
    case Check::callrail_account: return "callrail_account";
    case Check::one_of: return "one_of";
    }
    return "";
}

std::string_view to_string(Capability c) {
    switch (c) {
    case capability::test: return "test";
    case capability::sync_products: return "sync_products";
    case capability::sync_orders: return "sync_orders";
    case capability::sync_calls: return "sync_calls";
    case capability::sync_contacts: return "sync_contacts";
    case capability::webhooks: return "webhooks";
    case capability::oauth_install: return "oauth_install";
    }
    return "";
}

}  // namespace onramp::connectors
