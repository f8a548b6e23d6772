// An agency's brand on the client's page and in its e-mails: the name shown
// instead of the vendor's, a logo, an accent colour, a welcome note, and the
// web origins allowed to embed the onboarding page in an iframe. Both the
// edge (which stores and serves it) and the web client (which draws it) use
// this one shape; see docs/branding.md.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "shared/validation/fields.h"

namespace onramp::branding {

struct Branding {
    std::string name;     // "" : not set here
    std::string logo;     // a data: URL of a PNG, JPEG, WebP or SVG image; "" : none
    std::string accent;   // "#RRGGBB"; "" : the theme's own
    std::string welcome;  // a short note on the client's first screen
    std::vector<std::string> embed_origins;  // "https://app.agency.example"
    std::string language;  // the client page's default language, one of kLanguages; "" : the browser's
};

// The vendor's own brand, used where neither the organization nor the
// deployment set one.
constexpr const char* kVendorName = "Onramp";
constexpr size_t kMaxLogoBytes = 96 * 1024;  // of the data: URL, base64 included
constexpr size_t kMaxEmbedOrigins = 10;
// The languages the client page is translated into (web/i18n/): the codes an
// organization may choose as its clients' default.
constexpr const char* kLanguages[] = {"en", "es", "de"};

// Reads a PUT body: every field optional, absent or null clears it. Bad
// values are reported through `f` (one message per field).
Branding read(Fields& f, const nlohmann::json& body);

// Layers `over` on `base`: each field set in `over` wins. Embed origins add
// up: the deployment's (set by operators, e.g. the SaaS team's own app)
// frame every organization's page, an organization's only its own.
Branding layered(const Branding& base, const Branding& over);

nlohmann::json to_json(const Branding& b);
Branding from_json(const nlohmann::json& j);  // lenient: what a client reads

// "#RRGGBB" with hex digits.
bool valid_accent(const std::string& s);
// An origin as browsers send it: scheme "https" (or "http" for localhost
// and 127.0.0.1, so an agency can try it locally), a host, an optional
// port, and nothing else (no path, no wildcard).
bool valid_origin(const std::string& s);
// data:image/{png,jpeg,webp,svg+xml};base64,... within kMaxLogoBytes.
bool valid_logo(const std::string& s);
// One of kLanguages.
bool valid_language(const std::string& s);

}  // namespace onramp::branding
