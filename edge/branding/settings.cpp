// Branding rows (edge/branding/settings.h).
#include "edge/branding/settings.h"

#include "shared/json.h"

namespace onramp::branding {

Branding load(store::Db& db, const std::string& scope) {
    store::Stmt st(db, "SELECT name, logo, accent, welcome, embed_origins, language FROM branding WHERE scope = ?");
    st.bind_all(scope);
    Branding b;
    if (!st.step()) return b;
    b.name = st.text(0);
    b.logo = st.text(1);
    b.accent = st.text(2);
    b.welcome = st.text(3);
    // Written by save() only, so it parses; a damaged row reads as no origins.
    auto origins = parse_json(st.text(4));
    if (origins) b.embed_origins = from_json({{"embed_origins", *origins}}).embed_origins;
    b.language = st.text(5);
    return b;
}

void save(store::Db& db, const std::string& scope, const Branding& b, int64_t now) {
    db.write("INSERT INTO branding (scope, name, logo, accent, welcome, embed_origins, language, updated_at)"
             " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET name = excluded.name,"
             " logo = excluded.logo, accent = excluded.accent, welcome = excluded.welcome,"
             " embed_origins = excluded.embed_origins, language = excluded.language, updated_at = excluded.updated_at",
             scope, b.name, b.logo, b.accent, b.welcome, dump_json(nlohmann::json(b.embed_origins)), b.language, now);
}

Branding resolved(store::Db& db, const std::string& org_id) {
    Branding b = load(db, kDeployment);
    if (!org_id.empty()) b = layered(b, load(db, org_id));
    if (b.name.empty()) b.name = kVendorName;
    return b;
}

}  // namespace onramp::branding
