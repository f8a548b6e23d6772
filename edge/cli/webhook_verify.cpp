// `onramp-edge webhook-verify`: parse the flags into a webhooks::Delivery and
// webhooks::Secrets, call webhooks::verify() — the server's own verifier —
// and print its verdict. Exit codes: 0 valid, 1 invalid, 2 usage error.
#include "edge/cli/commands.h"

#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "edge/webhooks/scheme.h"

namespace onramp::cli {

namespace {

// The usage text; {schemes} becomes the list of webhook schemes.
constexpr std::string_view kUsage =
    R"(usage: onramp-edge webhook-verify --platform P --secret S [options]

Checks one captured webhook delivery exactly as the server would, and prints
"valid" (exit 0) or "invalid: <why>" (exit 1). Usage errors exit 2.

  --platform P         the webhook scheme, as in the delivery URL:
                       {schemes}
  --secret S           the connection's webhook secret; repeat to try the
                       previous one too (rotation). For bigcommerce: the value
                       of the X-Onramp-Webhook-Secret header set at registration
  --secret-file F      read the secret from F (one trailing newline dropped);
                       unlike --secret it stays out of `ps` output
  --client-secret S    bigcommerce: the app's client secret, to check the
                       Standard Webhooks signature when one is present
  --url U              the public URL the platform requested, query included
                       (required for schemes that sign it, e.g. twilio)
  --header 'Name: v'   a request header as received; repeatable
  --body-file F        the raw body; stdin when absent
  --method M           request method (default POST)
  --now UNIX_SECONDS   the time to check timestamps against (default: now)
  --tolerance SECONDS  replay window for timestamped schemes (default 300)
  --callrail-header NAME        (default Signature)
  --callrail-algorithm sha1|sha256   (default sha1)
  --callrail-encoding base64|hex     (default base64)
  --help               this text

Example:
  onramp-edge webhook-verify --platform shopify --secret "$SECRET" \
    --header 'X-Shopify-Hmac-Sha256: B23t...7g=' --header 'X-Shopify-Topic: orders/create' \
    --header 'X-Shopify-Shop-Domain: s.myshopify.com' --header 'X-Shopify-API-Version: 2024-04' \
    --header 'X-Shopify-Webhook-Id: 1' --body-file body.json
)";

// Every scheme's name, joined by `sep`.
std::string scheme_names(const std::string& sep) {
    std::string names;
    for (const webhooks::Scheme* s : webhooks::schemes()) names += (names.empty() ? "" : sep) + std::string(s->name);
    return names;
}

std::string usage() {
    std::string text(kUsage);
    const std::string slot = "{schemes}";
    return text.replace(text.find(slot), slot.size(), scheme_names(" | "));
}

// A usage error: the message, then where to find help; exit code 2.
int usage_error(std::ostream& err, const std::string& message) {
    err << "webhook-verify: " << message << "\n"
        << "run 'onramp-edge webhook-verify --help' for usage\n";
    return 2;
}

std::optional<int64_t> parse_seconds(const std::string& s) {
    if (s.empty() || s.size() > 18) return std::nullopt;
    int64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return std::nullopt;
    std::string data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (f.bad()) return std::nullopt;
    return data;
}

std::string trim(std::string s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

}  // namespace

int webhook_verify(const Args& args, std::istream& in, std::ostream& out, std::ostream& err,
                   int64_t now_unix) {
    std::string platform_text;
    std::optional<std::string> body_file;
    std::optional<int64_t> now;
    webhooks::Delivery delivery;
    webhooks::Secrets secrets;

    for (size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i];
        if (flag == "--help" || flag == "-h") {
            out << usage();
            return 0;
        }
        if (flag.rfind("--", 0) != 0)
            return usage_error(err, "unexpected argument \"" + flag + "\"");
        std::optional<std::string> value;
        if (size_t eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        }
        auto take = [&]() -> std::optional<std::string> {
            if (value) return value;
            if (i + 1 < args.size()) return args[++i];
            return std::nullopt;
        };
        static constexpr const char* kFlags[] = {"--platform",
                                                 "--secret",
                                                 "--secret-file",
                                                 "--client-secret",
                                                 "--url",
                                                 "--header",
                                                 "--body-file",
                                                 "--method",
                                                 "--now",
                                                 "--tolerance",
                                                 "--callrail-header",
                                                 "--callrail-algorithm",
                                                 "--callrail-encoding"};
        bool known = false;
        for (const char* f : kFlags) known |= flag == f;
        if (!known) return usage_error(err, "unknown flag \"" + flag + "\"");
        auto v = take();
        if (!v) return usage_error(err, flag + " needs a value");

        if (flag == "--platform") {
            platform_text = *v;
        } else if (flag == "--secret") {
            secrets.keys.push_back(*v);
        } else if (flag == "--secret-file") {
            auto s = read_file(*v);
            if (!s) return usage_error(err, "cannot read secret file \"" + *v + "\"");
            if (!s->empty() && s->back() == '\n') s->pop_back();
            if (!s->empty() && s->back() == '\r') s->pop_back();
            secrets.keys.push_back(*s);
        } else if (flag == "--client-secret") {
            secrets.bigcommerce_client_secrets.push_back(*v);
        } else if (flag == "--url") {
            delivery.url = *v;
        } else if (flag == "--header") {
            size_t colon = v->find(':');
            std::string name = colon == std::string::npos ? "" : trim(v->substr(0, colon));
            if (name.empty() || name.find_first_of(" \t") != std::string::npos)
                return usage_error(err, "--header wants 'Name: value', got \"" + *v + "\"");
            delivery.headers.emplace(name, trim(v->substr(colon + 1)));
        } else if (flag == "--body-file") {
            body_file = *v;
        } else if (flag == "--method") {
            delivery.method = *v;
        } else if (flag == "--now") {
            now = parse_seconds(*v);
            if (!now) return usage_error(err, "--now wants Unix seconds, got \"" + *v + "\"");
        } else if (flag == "--tolerance") {
            auto t = parse_seconds(*v);
            if (!t) return usage_error(err, "--tolerance wants seconds, got \"" + *v + "\"");
            secrets.tolerance_seconds = *t;
        } else if (flag == "--callrail-header") {
            secrets.callrail.header = *v;
        } else if (flag == "--callrail-algorithm") {
            if (*v == "sha1")
                secrets.callrail.algorithm = webhooks::MacAlgorithm::sha1;
            else if (*v == "sha256")
                secrets.callrail.algorithm = webhooks::MacAlgorithm::sha256;
            else
                return usage_error(err, "--callrail-algorithm wants sha1 or sha256");
        } else if (flag == "--callrail-encoding") {
            if (*v == "base64")
                secrets.callrail.encoding = webhooks::SignatureEncoding::base64;
            else if (*v == "hex")
                secrets.callrail.encoding = webhooks::SignatureEncoding::hex;
            else
                return usage_error(err, "--callrail-encoding wants base64 or hex");
        }
    }

    if (platform_text.empty()) return usage_error(err, "--platform is required");
    const webhooks::Scheme* platform = webhooks::find_scheme(platform_text);
    if (!platform)
        return usage_error(err, "unknown webhook scheme \"" + platform_text + "\" (one of: " + scheme_names(", ") + ")");
    if (secrets.keys.empty()) return usage_error(err, "--secret (or --secret-file) is required");
    if (platform->signs_url && delivery.url.empty())
        return usage_error(err, "--url is required for " + platform_text + ": it signs the URL it requested");

    if (body_file) {
        auto body = read_file(*body_file);
        if (!body) return usage_error(err, "cannot read body file \"" + *body_file + "\"");
        delivery.body = std::move(*body);
    } else {
        std::ostringstream body;
        body << in.rdbuf();
        delivery.body = body.str();
    }

    auto verdict = webhooks::verify(*platform, delivery, secrets, now ? *now : now_unix);
    if (verdict.valid) {
        out << "valid\n";
        return 0;
    }
    out << "invalid: " << verdict.reason << "\n";
    return 1;
}

int webhook_verify(const Args& args) {
    return webhook_verify(args, std::cin, std::cout, std::cerr, int64_t(std::time(nullptr)));
}

}  // namespace onramp::cli
