// The brand the page shows (shared/branding/branding.h, docs/branding.md):
// the deployment's on the sign-in page, the client's organization's once a
// session runs its onboarding, with the note the agency wrote on the link.
// Also what the page tells an agency's app that embeds it.
#pragma once

#include <memory>
#include <string>

#include "platform/platform.h"
#include "shared/branding/branding.h"
#include "theme.h"

struct Session;

struct Brand {
    onramp::branding::Branding shown;  // name always set once loaded
    std::string note;                  // the onboarding link's note, if any
    std::shared_ptr<HttpReply> reply;  // the brand being fetched
    std::string posted_step;           // the last wizard step told to the parent
    // Where the logo sits this frame (CSS pixels), so the page's <img> is
    // moved only when it changes.
    float logo_x = -1, logo_y = -1, logo_size = 0;
    bool logo_placed = false, logo_drawn = false;
};

// `text` with the vendor's name replaced by the brand's: the client's help
// texts speak of whoever runs the onboarding.
std::string brand_words(const Brand* brand, std::string text);

// Asks for the deployment's brand (the sign-in page's).
void brand_fetch_deployment(Brand& brand);
// Asks for the brand of the organization whose onboarding `s` runs.
void brand_fetch_onboarding(Brand& brand, const Session& s);
// Takes a reply that arrived. Returns true when the brand changed (the
// style must then be re-applied for the accent).
bool brand_poll(Brand& brand);

// `base` with the brand's accent, when it sets one.
Palette brand_palette(const Palette& base, const Brand& brand);
const char* brand_name(const Brand& brand);

// The logo of this frame: call where ImGui reserved its square
// (ui_brand_header), in device pixels. brand_end_frame() hides it when no
// screen drew it.
void brand_place_logo(Brand& brand, float x, float y, float size, float dpr);
void brand_end_frame(Brand& brand);

// Tells an embedding page about the wizard: onramp:step on each new step,
// onramp:completed on the last; onramp:closed when the client leaves.
void brand_tell_step(Brand& brand, const char* step_name, bool completed, const std::string& org_id);
void brand_tell_closed(Brand& brand);
