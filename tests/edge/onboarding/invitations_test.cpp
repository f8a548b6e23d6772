// Invitations below the API (edge/onboarding/invitations.h): statuses,
// renewal, single use, and accounts that exist already.
#include <doctest/doctest.h>

#include "edge/auth/passwords.h"
#include "edge/onboarding/invitations.h"
#include "edge/support/test_app.h"

using namespace onramp;
using onramp::testing::TestApp;

namespace {

struct Fixture {
    TestApp t;
    std::string org;
    Fixture() { org = t.make_org("Acme"); }

    onboarding::Issued invite(const std::string& email, const std::string& role = "csr") {
        auto db = t.app.store->lease();
        auto issued = onboarding::invite(*db, {org, email, role, std::nullopt, std::nullopt, std::nullopt}, t.clock);
        REQUIRE_MESSAGE(issued.ok(), (issued ? "" : issued.problem().detail));
        return *issued;
    }

    Result<onboarding::Accepted> accept(const std::string& token, const std::string& password = "good-password") {
        auto db = t.app.store->lease();
        return onboarding::accept(*db, token, "Pat", password, t.app.scrypt_log2_n, t.clock);
    }
};

}  // namespace

TEST_SUITE("onboarding.invitations") {

TEST_CASE("status: pending, then accepted, revoked or expired") {
    onboarding::Invitation i;
    i.expires_at = 100;
    CHECK(i.status(99) == "pending");
    CHECK(i.status(100) == "expired");
    i.revoked_at = 50;
    CHECK(i.status(60) == "revoked");
    i.accepted_at = 40;
    CHECK(i.status(200) == "accepted");
}

TEST_CASE("re-inviting renews the pending invitation in place with a new token") {
    Fixture f;
    auto first = f.invite("pat@acme.test");
    f.t.clock += 100;
    auto second = f.invite("PAT@acme.test", "sales_rep");
    CHECK(second.renewed);
    CHECK(second.invitation.id == first.invitation.id);
    CHECK(second.token != first.token);
    CHECK(second.invitation.expires_at == f.t.clock + onboarding::kInvitationSeconds);
    auto db = f.t.app.store->lease();
    CHECK(onboarding::list(*db, f.org).size() == 1);
    CHECK_FALSE(onboarding::find_by_token(*db, first.token));
    CHECK(onboarding::find_by_token(*db, second.token)->role == "sales_rep");
}

TEST_CASE("after acceptance, inviting the address again is 409 already_member") {
    Fixture f;
    REQUIRE(f.accept(f.invite("pat@acme.test").token));
    auto db = f.t.app.store->lease();
    auto again = onboarding::invite(*db, {f.org, "pat@acme.test", "csr", {}, {}, {}}, f.t.clock);
    REQUIRE_FALSE(again);
    CHECK(again.problem().status == 409);
}

TEST_CASE("a token is consumed exactly once") {
    Fixture f;
    auto issued = f.invite("pat@acme.test");
    auto first = f.accept(issued.token);
    REQUIRE(first);
    CHECK(first->created_user);
    auto second = f.accept(issued.token);
    REQUIRE_FALSE(second);
    CHECK(second.problem().status == 410);
    CHECK(second.problem().error_code == "invitation_used");
    auto db = f.t.app.store->lease();
    CHECK(store::members_of(*db, f.org).size() == 1);
}

TEST_CASE("an account made without a password is completed by accepting") {
    Fixture f;
    std::string id;
    {
        auto db = f.t.app.store->lease();
        id = store::insert_user(*db, "pat@acme.test", "", std::nullopt, false, f.t.clock)->id;
    }
    auto accepted = f.accept(f.invite("pat@acme.test").token, "chosen-password");
    REQUIRE(accepted);
    CHECK_FALSE(accepted->created_user);
    CHECK(accepted->user.id == id);
    CHECK(accepted->user.full_name == "Pat");
    REQUIRE(accepted->user.password_hash);
    CHECK(auth::verify_password("chosen-password", *accepted->user.password_hash));
}

TEST_CASE("only a pending invitation can be revoked, and a revoked one not accepted") {
    Fixture f;
    auto issued = f.invite("pat@acme.test");
    auto db = f.t.app.store->lease();
    CHECK_FALSE(onboarding::revoke(*db, "org_other", issued.invitation.id, f.t.clock));
    CHECK(onboarding::revoke(*db, f.org, issued.invitation.id, f.t.clock));
    CHECK_FALSE(onboarding::revoke(*db, f.org, issued.invitation.id, f.t.clock));
    auto r = onboarding::accept(*db, issued.token, "Pat", "good-password", 10, f.t.clock);
    REQUIRE_FALSE(r);
    CHECK(r.problem().error_code == "invitation_revoked");
}

TEST_CASE("the accept link is the web client's invite page") {
    CHECK(onboarding::accept_url("https://hub.example", "tok") == "https://hub.example/#/invite/tok");
}

}  // TEST_SUITE
