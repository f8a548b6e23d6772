// Invitations below the API (edge/onboarding/invitations.h): statuses,
// renewal, single use, and who may accept for an account that exists.
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

    // Accepting as someone who is not signed in: only an address without an account.
    Result<onboarding::Accepted> accept(const std::string& token, const std::string& password = "good-password") {
        return accept_as(token, new_person(password));
    }
    Result<onboarding::Accepted> accept_as(const std::string& token, const onboarding::Claim& claim) {
        auto db = t.app.store->lease();
        return onboarding::accept(*db, token, claim, t.app.scrypt_log2_n, t.clock);
    }
    static onboarding::Claim new_person(const std::string& password = "good-password") {
        onboarding::Claim c;
        c.full_name = "Pat";
        c.password = password;
        return c;
    }
    std::string passwordless_account(const std::string& email) {
        auto db = t.app.store->lease();
        return store::insert_user(*db, email, "", std::nullopt, false, t.clock)->id;
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

TEST_CASE("who may accept: the token alone only for an address without an account") {
    store::User with_password{"usr_1", "pat@acme.test", "Pat", std::string("scrypt$..."), false, 0};
    store::User passwordless{"usr_2", "pat@acme.test", "", std::nullopt, false, 0};
    onboarding::Claim anonymous = Fixture::new_person();
    onboarding::Claim as_pat = anonymous, as_other = anonymous, proven = anonymous;
    as_pat.user_id = "usr_1";
    as_other.user_id = "usr_9";
    proven.address_proven = true;

    CHECK(*onboarding::accept_path(std::nullopt, anonymous) == onboarding::AcceptAs::new_account);
    CHECK(*onboarding::accept_path(std::nullopt, as_other) == onboarding::AcceptAs::new_account);
    CHECK(*onboarding::accept_path(with_password, as_pat) == onboarding::AcceptAs::signed_in);
    CHECK(onboarding::accept_path(with_password, anonymous).problem().error_code == "sign_in_required");
    CHECK(onboarding::accept_path(with_password, proven).problem().error_code == "sign_in_required");
    CHECK(onboarding::accept_path(with_password, as_other).problem().error_code == "invitation_for_another_account");
    CHECK(onboarding::accept_path(passwordless, anonymous).problem().error_code == "password_reset_required");
    CHECK(onboarding::accept_path(passwordless, as_other).problem().status == 403);
    CHECK(*onboarding::accept_path(passwordless, proven) == onboarding::AcceptAs::proven_address);
}

TEST_CASE("an account without a password is not completed by the token alone, and nothing changes") {
    Fixture f;
    std::string id = f.passwordless_account("pat@acme.test");
    auto issued = f.invite("pat@acme.test");
    std::string before = f.t.snapshot();
    auto refused = f.accept(issued.token, "chosen-password");
    REQUIRE_FALSE(refused);
    CHECK(refused.problem().status == 403);
    CHECK(refused.problem().error_code == "password_reset_required");
    CHECK(refused.problem().detail.find("password reset") != std::string::npos);
    CHECK(f.t.snapshot() == before);
    auto db = f.t.app.store->lease();
    CHECK_FALSE(store::find_user(*db, id)->password_hash);
}

TEST_CASE("an account without a password is completed once the address is proven") {
    Fixture f;
    std::string id = f.passwordless_account("pat@acme.test");
    onboarding::Claim proven = Fixture::new_person("chosen-password");
    proven.address_proven = true;
    auto accepted = f.accept_as(f.invite("pat@acme.test").token, proven);
    REQUIRE(accepted);
    CHECK_FALSE(accepted->created_user);
    CHECK(accepted->user.id == id);
    CHECK(accepted->user.full_name == "Pat");
    REQUIRE(accepted->user.password_hash);
    CHECK(auth::verify_password("chosen-password", *accepted->user.password_hash));
}

TEST_CASE("the signed-in account joins unchanged: no name or password needed, none taken") {
    Fixture f;
    std::string id = f.t.make_user("pat@acme.test", "own-password");
    onboarding::Claim signed_in;
    signed_in.user_id = id;
    signed_in.password = "something-else";
    auto accepted = f.accept_as(f.invite("pat@acme.test", "sales_rep").token, signed_in);
    REQUIRE_MESSAGE(accepted, (accepted ? "" : accepted.problem().detail));
    CHECK_FALSE(accepted->created_user);
    CHECK(accepted->user.id == id);
    CHECK(auth::verify_password("own-password", *accepted->user.password_hash));
    auto db = f.t.app.store->lease();
    CHECK(store::find_member(*db, f.org, id)->role == "sales_rep");
}

TEST_CASE("an account with a password is not joined by the token and a new password, and nothing changes") {
    Fixture f;
    auto issued = f.invite("pat@acme.test");
    f.t.make_user("pat@acme.test", "own-password");
    std::string before = f.t.snapshot();
    auto refused = f.accept(issued.token, "attackers-password");
    REQUIRE_FALSE(refused);
    CHECK(refused.problem().error_code == "sign_in_required");
    CHECK(f.t.snapshot() == before);
}

TEST_CASE("invitations carry every membership role, member too") {
    Fixture f;
    CHECK(f.invite("pat@acme.test", "member").invitation.role == "member");
    auto db = f.t.app.store->lease();
    auto bad = onboarding::invite(*db, {f.org, "sam@acme.test", "owner", {}, {}, {}}, f.t.clock);
    REQUIRE_FALSE(bad);
    CHECK(bad.problem().status == 422);
}

TEST_CASE("only a pending invitation can be revoked, and a revoked one not accepted") {
    Fixture f;
    auto issued = f.invite("pat@acme.test");
    auto db = f.t.app.store->lease();
    CHECK_FALSE(onboarding::revoke(*db, "org_other", issued.invitation.id, f.t.clock));
    CHECK(onboarding::revoke(*db, f.org, issued.invitation.id, f.t.clock));
    CHECK_FALSE(onboarding::revoke(*db, f.org, issued.invitation.id, f.t.clock));
    auto r = onboarding::accept(*db, issued.token, Fixture::new_person(), 10, f.t.clock);
    REQUIRE_FALSE(r);
    CHECK(r.problem().error_code == "invitation_revoked");
}

TEST_CASE("the accept link is the web client's invite page") {
    CHECK(onboarding::accept_url("https://hub.example", "tok") == "https://hub.example/#/invite/tok");
}

}  // TEST_SUITE
