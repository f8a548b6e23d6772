// Where branding is kept: one row per organization that set its own and one
// for the deployment (shared/branding/branding.h says what a brand holds).
// Handlers read the layered result; the page's frame-ancestors come from it.
#pragma once

#include <string>

#include "edge/store/db.h"
#include "shared/branding/branding.h"

namespace onramp::branding {

constexpr const char* kDeployment = "*";

// What `scope` (an org id or kDeployment) set itself; empty fields when none.
Branding load(store::Db& db, const std::string& scope);
void save(store::Db& db, const std::string& scope, const Branding& b, int64_t now);
// The deployment's brand under the organization's; org_id "" gives the
// deployment's alone. The vendor's name fills an empty name.
Branding resolved(store::Db& db, const std::string& org_id);

}  // namespace onramp::branding
