#include "edge/demo.h"

#include "edge/auth/passwords.h"
#include "edge/store/accounts.h"

namespace onramp {

DemoLogin seed_demo(App& app) {
    DemoLogin login{"demo@onramp.local", "onramp-demo", ""};
    auto db = app.store->lease();
    store::Tx tx(*db);
    auto user = store::find_user_by_email(*db, login.email);
    if (!user)
        user = store::insert_user(*db, login.email, "Demo Operator",
                                  auth::hash_password(login.password, app.scrypt_log2_n), true, app.now());
    auto orgs = store::list_orgs_of(*db, user->id);
    if (orgs.empty()) {
        store::Org org = store::insert_org(*db, "Demo Company", "growth", app.now());
        store::add_member(*db, org.id, user->id, "manager", app.now());
        login.org_id = org.id;
    } else {
        login.org_id = orgs.front().id;
    }
    tx.commit();
    return login;
}

}  // namespace onramp
