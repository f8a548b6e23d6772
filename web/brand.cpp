// The page's brand and the embedding page's messages (brand.h).
#include "brand.h"

#include <cmath>

#include "api.h"
#include "shared/json.h"

namespace branding = onramp::branding;
using nlohmann::json;

void brand_fetch_deployment(Brand& brand) {
    HttpRequest req;
    req.url = "/api/v1/branding";
    brand.reply = platform_fetch(req);
}

void brand_fetch_onboarding(Brand& brand, const Session& s) {
    HttpRequest req;
    req.url = "/api/v1/onboarding/branding";
    req.bearer = s.access_token;
    req.org_id = s.org_id;
    brand.reply = platform_fetch(req);
}

std::string brand_words(const Brand* brand, std::string text) {
    if (!brand || brand->shown.name.empty()) return text;
    const std::string vendor = branding::kVendorName;
    for (size_t at = text.find(vendor); at != std::string::npos; at = text.find(vendor, at + brand->shown.name.size()))
        text.replace(at, vendor.size(), brand->shown.name);
    return text;
}

bool brand_poll(Brand& brand) {
    if (!brand.reply || !brand.reply->done) return false;
    auto reply = std::move(brand.reply);
    // No brand (an old edge, a refusal): the page keeps what it shows.
    if (reply->status != 200) return false;
    auto body = onramp::parse_json(reply->body);
    if (!body || !body->is_object()) return false;
    // The sign-in page's answer has no embed origins: before a session the
    // page tells an embedding parent nothing.
    brand.shown = branding::from_json(*body);
    brand.note = body->contains("note") && (*body)["note"].is_string() ? (*body)["note"].get<std::string>() : "";
    return true;
}

static float channel(unsigned v) { return float(v) / 255.0f; }

Palette brand_palette(const Palette& base, const Brand& brand) {
    Palette p = base;
    if (!branding::valid_accent(brand.shown.accent)) return p;
    const unsigned rgb = unsigned(std::stoul(brand.shown.accent.substr(1), nullptr, 16));
    p.accent = ImVec4(channel((rgb >> 16) & 0xFF), channel((rgb >> 8) & 0xFF), channel(rgb & 0xFF), 1.0f);
    // Text on the accent: white on a dark accent, near-black on a light one
    // (relative luminance, WCAG 2.1's formula on linearised channels).
    auto lin = [](float c) { return c <= 0.03928f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f); };
    const float lum = 0.2126f * lin(p.accent.x) + 0.7152f * lin(p.accent.y) + 0.0722f * lin(p.accent.z);
    p.accent_text = lum > 0.4f ? ImVec4(0.09f, 0.10f, 0.14f, 1.0f) : ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    return p;
}

const char* brand_name(const Brand& brand) {
    return brand.shown.name.empty() ? branding::kVendorName : brand.shown.name.c_str();
}

void brand_place_logo(Brand& brand, float x, float y, float size, float dpr) {
    brand.logo_drawn = true;
    const float cx = x / dpr, cy = y / dpr, cs = size / dpr;
    if (brand.logo_placed && cx == brand.logo_x && cy == brand.logo_y && cs == brand.logo_size) return;
    brand.logo_x = cx, brand.logo_y = cy, brand.logo_size = cs, brand.logo_placed = true;
    platform_show_logo(brand.shown.logo, brand_name(brand), cx, cy, cs);
}

void brand_end_frame(Brand& brand) {
    if (!brand.logo_drawn && brand.logo_placed) {
        platform_show_logo("", "", 0, 0, 0);
        brand.logo_placed = false;
    }
    brand.logo_drawn = false;
}

static void tell(const Brand& brand, const char* type, const json& detail) {
    platform_tell_parent(type, onramp::dump_json(detail), onramp::dump_json(json(brand.shown.embed_origins)));
}

void brand_tell_step(Brand& brand, const char* step_name, bool completed, const std::string& org_id) {
    if (brand.posted_step == step_name) return;
    brand.posted_step = step_name;
    tell(brand, "onramp:step", {{"step", step_name}});
    if (completed) tell(brand, "onramp:completed", {{"org_id", org_id}});
}

void brand_tell_closed(Brand& brand) {
    tell(brand, "onramp:closed", json::object());
    brand.posted_step.clear();
}
