// The demo accounts: the one account per platform the mock platform server
// accepts (edge/mock) and the static demo shows (web/static_demo). All pass
// the shared validator (shared/validation/validate.h). Standard library only.
#pragma once

namespace onramp::demo {

inline constexpr const char* kBigCommerceStoreHash = "onrampdemo";
inline constexpr const char* kBigCommerceToken = "demo_bc_token_5f2a9c3e8d7b6a4f1e0c";
inline constexpr const char* kShopifyDomain = "onramp-demo.myshopify.com";
inline constexpr const char* kShopifyToken = "shpat_demo_4b7e1f0a9c2d8e3f6a5b";
inline constexpr const char* kShopifyAppKey = "demo_shopify_app_key_0123456789";
inline constexpr const char* kShopifyAppSecret = "demo_shopify_app_secret_0123456789";
inline constexpr const char* kWooSite = "https://demo-store.onramp.test";
inline constexpr const char* kWooKey = "ck_0123456789abcdef0123456789abcdef01234567";
inline constexpr const char* kWooSecret = "cs_89abcdef0123456789abcdef0123456789abcdef";
inline constexpr const char* kAmazonSellerId = "A2DEMOSELLER01";
inline constexpr const char* kAmazonMarketplace = "ATVPDKIKX0DER";
inline constexpr const char* kAmazonClientId = "amzn1.application-oa2-client.demo0123456789";
inline constexpr const char* kAmazonClientSecret = "demo-lwa-secret-0123456789abcdef";
inline constexpr const char* kAmazonRefreshToken = "Atzr|demo-refresh-token-0123456789abcdef";
inline constexpr const char* kAmazonAccessToken = "Atza|demo-access-token-0123456789abcdef";
inline constexpr const char* kCallRailKey = "demo_callrail_key_0123456789ab";
inline constexpr const char* kCallRailAccount = "ACC8f3e2d1c0b";
inline constexpr const char* kTwilioSid = "AC0123456789abcdef0123456789abcdef";
inline constexpr const char* kTwilioToken = "fedcba9876543210fedcba9876543210";
inline constexpr const char* kChatwootUrl = "https://chat.onramp-demo.test";
inline constexpr const char* kChatwootAccount = "1";
inline constexpr const char* kChatwootToken = "demo_chatwoot_token_0123456789";
inline constexpr const char* kCrmUrl = "https://crm.onramp-demo.test/api";
inline constexpr const char* kCrmApiKey = "demo-crm-key-0123456789";
inline constexpr const char* kCrmBearer = "demo-crm-bearer-0123456789";
inline constexpr const char* kCrmUser = "demo@onramp-demo.test";
inline constexpr const char* kCrmPassword = "demo-crm-password";
inline constexpr const char* kCrmClientId = "demo-crm-client";
inline constexpr const char* kCrmClientSecret = "demo-crm-secret-0123456789";
inline constexpr const char* kCrmAccessToken = "demo-crm-access-0123456789";

}  // namespace onramp::demo
