// The time zone names a company may give (shared/onboarding/forms.cpp): the
// IANA tz database's canonical zones, so a name that merely looks like one
// ("Mars/Olympus") is refused. A compiled-in list because shared/ also
// builds for the browser, which has no zoneinfo files to read.
#pragma once

#include <span>
#include <string_view>

namespace onramp::onboarding {

// Every Zone entry of tzdata 2025b (its tzdata.zi, built with backzone and
// zone.tab, without the placeholder "Factory"), and "UTC", which that file
// lists as a link to Etc/UTC but people type; sorted byte-wise.
std::span<const std::string_view> time_zone_names();

// True when `name` is exactly one of time_zone_names() (case-sensitive, as
// the database's names are).
bool is_time_zone(std::string_view name);

}  // namespace onramp::onboarding
