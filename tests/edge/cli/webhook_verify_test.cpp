// `onramp-edge webhook-verify`, called as a function with its streams and
// clock supplied: exit codes 0 valid / 1 invalid / 2 usage, and what it prints.
#include "edge/cli/commands.h"

#include <doctest/doctest.h>

#include "edge/webhooks/scheme.h"
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "edge/support/stripe_vector.h"
#include "edge/webhooks/webhook_test_support.h"

using onramp::cli::Args;

namespace {

struct Run {
    int code;
    std::string out, err;
};

Run run(const Args& args, const std::string& stdin_text = "", int64_t now = 0) {
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    int code = onramp::cli::webhook_verify(args, in, out, err, now);
    return {code, out.str(), err.str()};
}

// A file under the temp directory, removed when the test ends.
struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& name, const std::string& content)
        : path(std::filesystem::temp_directory_path() /
               ("onramp-webhook-verify-" + std::to_string(::getpid()) + "-" + name)) {
        std::ofstream(path, std::ios::binary) << content;
    }
    ~TempFile() { std::filesystem::remove(path); }
};

constexpr const char* kShopifyBody = R"({"foo": "bar"})";

Args shopify_args(const std::string& hmac) {
    return {"--platform", "shopify",
            "--secret",   "test_secret_key",
            "--header",   "X-Shopify-Hmac-Sha256: " + hmac,
            "--header",   "X-Shopify-Topic: products/create",
            "--header",   "x-shopify-shop-domain:shop1.myshopify.io",
            "--header",   "X-Shopify-API-Version: 2024-04",
            "--header",   "X-Shopify-Webhook-Id: b1234"};
}

constexpr const char* kShopifyHmac = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=";

}  // namespace

TEST_CASE("webhook-verify CLI: --help prints usage and exits 0") {
    auto r = run({"--help"});
    CHECK(r.code == 0);
    CHECK(r.out.find("usage: onramp-edge webhook-verify") != std::string::npos);
    CHECK(r.out.find("--body-file") != std::string::npos);
}

TEST_CASE("webhook-verify CLI: valid delivery from stdin prints valid, exit 0") {
    auto r = run(shopify_args(kShopifyHmac), kShopifyBody);
    CHECK_MESSAGE(r.code == 0, (r.out + r.err));
    CHECK(r.out == "valid\n");
}

TEST_CASE("webhook-verify CLI: tampered body prints why, exit 1") {
    auto r = run(shopify_args(kShopifyHmac), R"({"foo": "baz"})");
    CHECK(r.code == 1);
    CHECK(r.out.rfind("invalid: signature mismatch", 0) == 0);
}

TEST_CASE("webhook-verify CLI: missing header and bad encoding are reported, exit 1") {
    Args args = {"--platform", "shopify", "--secret", "test_secret_key"};
    auto missing = run(args, kShopifyBody);
    CHECK(missing.code == 1);
    CHECK(missing.out == "invalid: missing header X-Shopify-Hmac-Sha256\n");
    auto bad = run(shopify_args("%%%"), kShopifyBody);
    CHECK(bad.code == 1);
    CHECK(bad.out.find("bad base64") != std::string::npos);
}

TEST_CASE("webhook-verify CLI: rotation — any repeated --secret verifies") {
    Args args = shopify_args(kShopifyHmac);
    args[3] = "new-secret";
    args.push_back("--secret");
    args.push_back("test_secret_key");
    CHECK(run(args, kShopifyBody).code == 0);
}

TEST_CASE("webhook-verify CLI: --body-file, --secret-file and --flag=value") {
    TempFile body("body.json", kShopifyBody);
    TempFile secret("secret.txt", "test_secret_key\n");
    Args args = shopify_args(kShopifyHmac);
    args[0] = "--platform=shopify";
    args.erase(args.begin() + 1);
    args.erase(args.begin() + 1, args.begin() + 3);  // drop --secret S
    args.push_back("--secret-file");
    args.push_back(secret.path.string());
    args.push_back("--body-file=" + body.path.string());
    auto r = run(args, "stdin is ignored when --body-file is given");
    CHECK_MESSAGE(r.code == 0, (r.out + r.err));
}

TEST_CASE("webhook-verify CLI: --now decides the replay window (Stripe dotnet vector)") {
    namespace vec = webhook_test::stripe_vector;
    std::string fixture = vec::kBody;
    Args args = {"--platform", "stripe", "--secret", vec::kSecret,
                 "--header", std::string("Stripe-Signature: ") + vec::kHeader,
                 "--now", std::to_string(vec::kTime + 100)};
    CHECK(run(args, fixture).code == 0);
    args.back() = std::to_string(vec::kTime + 1000);
    auto late = run(args, fixture);
    CHECK(late.code == 1);
    CHECK(late.out.find("timestamp outside tolerance") != std::string::npos);
    // Without --now the supplied clock is used.
    args.resize(args.size() - 2);
    CHECK(run(args, fixture, vec::kTime).code == 0);
    CHECK(run(args, fixture, vec::kTime + 1000).code == 1);
}

TEST_CASE("webhook-verify CLI: Twilio form POST with --url") {
    Args args = {"--platform", "twilio",
                 "--secret",   "12345",
                 "--url",      "https://mycompany.com/myapp.php?foo=1&bar=2",
                 "--header",   "Content-Type: application/x-www-form-urlencoded",
                 "--header",   "X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8="};
    std::string body =
        "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%"
        "2B18005551212";
    auto r = run(args, body);
    CHECK_MESSAGE(r.code == 0, (r.out + r.err));
}

// twilio-node's own signature test: a quote in the URL's query is signed
// as %27, so --url given as the person typed it still verifies; a
// signature over another URL does not.
TEST_CASE("webhook-verify CLI: a Twilio --url with a quote verifies a signature made over %27") {
    std::string signature = webhook_test::hmac_sha1_b64("s3cr3t", "https://example.com/path?test=param%27WithQuote");
    Args args = {"--platform", "twilio", "--secret", "s3cr3t", "--url", "https://example.com/path?test=param'WithQuote",
                 "--header", "X-Twilio-Signature: " + signature};
    auto r = run(args, "");
    CHECK_MESSAGE(r.code == 0, (r.out + r.err));
    args.back() = "X-Twilio-Signature: " + webhook_test::hmac_sha1_b64("s3cr3t", "https://example.com/path?test=other");
    CHECK(run(args, "").code == 1);
}

TEST_CASE("webhook-verify CLI: WooCommerce ping is reported as not a delivery, exit 1") {
    auto r = run({"--platform", "woocommerce", "--secret", "s", "--header",
                  "Content-Type: application/x-www-form-urlencoded"},
                 "webhook_id=42");
    CHECK(r.code == 1);
    CHECK(r.out.find("creation ping") != std::string::npos);
}

TEST_CASE("webhook-verify CLI: an empty secret is invalid, not skipped") {
    auto r = run({"--platform", "shopify", "--secret", ""}, kShopifyBody);
    CHECK(r.code == 1);
    CHECK(r.out.find("no webhook secret configured") != std::string::npos);
}

TEST_CASE("webhook-verify CLI: usage errors exit 2 with a clear message") {
    struct Case {
        Args args;
        const char* message;
    } cases[] = {
        {{}, "--platform is required"},
        {{"--secret", "s"}, "--platform is required"},
        {{"--platform", "shopify"}, "--secret (or --secret-file) is required"},
        {{"--platform", "amazon", "--secret", "s"}, "unknown webhook scheme \"amazon\""},
        {{"--platform", "shopify", "--secret", "s", "--verbose"}, "unknown flag \"--verbose\""},
        {{"--platform", "shopify", "--secret"}, "--secret needs a value"},
        {{"--platform", "shopify", "--secret", "s", "extra"}, "unexpected argument \"extra\""},
        {{"--platform", "twilio", "--secret", "s"}, "--url is required for twilio"},
        {{"--platform", "shopify", "--secret", "s", "--header", "no colon"}, "--header wants"},
        {{"--platform", "shopify", "--secret", "s", "--now", "soon"}, "--now wants Unix seconds"},
        {{"--platform", "shopify", "--secret", "s", "--body-file", "/nonexistent/x"},
         "cannot read body file"},
        {{"--platform", "callrail", "--secret", "s", "--callrail-algorithm", "md5"},
         "--callrail-algorithm wants sha1 or sha256"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.message);
        auto r = run(c.args);
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(c.message) != std::string::npos);
        CHECK(r.err.find("--help") != std::string::npos);
    }
    std::string listed = run({"--platform", "amazon", "--secret", "s"}).err;
    for (const auto* scheme : onramp::webhooks::schemes()) CHECK(listed.find(scheme->name) != std::string::npos);
}

TEST_CASE("webhook-verify CLI: CallRail options reach the verifier") {
    Args args = {"--platform",
                 "callrail",
                 "--secret",
                 "tok",
                 "--callrail-header",
                 "X-Sig",
                 "--callrail-algorithm",
                 "sha256",
                 "--callrail-encoding",
                 "hex",
                 "--header",
                 "X-Sig: " + webhook_test::hmac_sha256_hex("tok", "{}")};
    auto r = run(args, "{}");
    CHECK_MESSAGE(r.code == 0, (r.out + r.err));
    args.back() = "X-Sig: 5f0a6f6e4f6e1d2a";
    auto short_mac = run(args, "{}");
    CHECK(short_mac.code == 1);
    CHECK(short_mac.out.find("X-Sig decodes to 8 bytes") != std::string::npos);
}
