// Specification of GET /api/v1/orgs/{org_id}/products and .../records:
// the synced rows, paginated with a total, searchable by title and SKU
// (variants' SKUs included), sortable, filterable by connection, and
// visible only to the org's members.
#include <doctest/doctest.h>

#include <set>

#include "edge/sync/sync_fixture.h"

using nlohmann::json;
using onramp::demo::Kind;
using onramp::testing::Reply;
using onramp::testing::SyncApp;

namespace {

struct Synced {
    SyncApp s;
    std::string bc, shop;
    Synced() {
        bc = s.connect("bigcommerce");
        shop = s.connect("shopify");
        s.engine.drain();
    }
    std::string path(const std::string& query = "") const {
        return "/api/v1/orgs/" + s.org + "/products" + (query.empty() ? "" : "?" + query);
    }
    json get(const std::string& query, const std::string& token = "") {
        Reply r = s.t.get(path(query), token.empty() ? s.member_token : token);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.json();
    }
};

}  // namespace

TEST_SUITE("records.api") {

TEST_CASE("products are listed with their variants, 50 a page by default, with the total") {
    Synced x;
    json body = x.get("");
    int64_t n = x.s.dataset(Kind::product);
    CHECK(body["total"] == 2 * n);  // two connections, the same mock catalogue
    CHECK(body["page"] == 1);
    CHECK(body["per_page"] == 50);
    REQUIRE(body["items"].size() == 50);
    for (const json& p : body["items"]) {
        CHECK(p["variants"].size() == 3);
        CHECK(p["title"].is_string());
        CHECK((p["platform"] == "bigcommerce" || p["platform"] == "shopify"));
        CHECK(p["variants"][0]["sku"].is_string());
    }
}

TEST_CASE("pages neither overlap nor skip, and the last one holds the remainder") {
    Synced x;
    std::string only = "connection_id=" + x.bc + "&per_page=200&sort=sku";
    std::set<std::string> seen;
    size_t rows = 0;
    for (int page = 1; page <= 3; ++page) {
        json body = x.get(only + "&page=" + std::to_string(page));
        for (const json& p : body["items"]) {
            seen.insert(p["id"].get<std::string>());
            ++rows;
        }
    }
    CHECK(rows == size_t(x.s.dataset(Kind::product)));
    CHECK(seen.size() == rows);
    CHECK(x.get(only + "&page=4")["items"].empty());
}

TEST_CASE("filtering by connection keeps that connection's products") {
    Synced x;
    json body = x.get("connection_id=" + x.shop + "&per_page=200");
    CHECK(body["total"] == x.s.dataset(Kind::product));
    for (const json& p : body["items"]) CHECK(p["connection_id"] == x.shop);
}

TEST_CASE("q searches titles and SKUs, variants' SKUs included") {
    Synced x;
    onramp::mock::Product p = x.s.m.mock.state().data.product(5);
    json by_title = x.get("connection_id=" + x.bc + "&q=" + p.title);
    REQUIRE(by_title["total"].get<int>() >= 1);
    for (const json& item : by_title["items"]) CHECK(item["title"].get<std::string>().find(p.title) != std::string::npos);

    json by_variant = x.get("connection_id=" + x.bc + "&q=" + p.variants[2].sku);
    REQUIRE(by_variant["total"] == 1);
    CHECK(by_variant["items"][0]["title"] == p.title);

    CHECK(x.get("q=no-such-thing-anywhere")["total"] == 0);
    // LIKE wildcards in q are plain characters.
    CHECK(x.get("q=%25")["total"] == 0);
}

TEST_CASE("sorting by title, price and updated_at, ascending or descending") {
    Synced x;
    std::string only = "connection_id=" + x.bc + "&per_page=200";
    json asc = x.get(only + "&sort=price")["items"];
    for (size_t i = 1; i < asc.size(); ++i)
        CHECK(std::stod(asc[i - 1]["price"].get<std::string>()) <= std::stod(asc[i]["price"].get<std::string>()));
    json desc = x.get(only + "&sort=-title")["items"];
    for (size_t i = 1; i < desc.size(); ++i) {
        std::string a = desc[i - 1]["title"], b = desc[i]["title"];
        for (char& ch : a) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        for (char& ch : b) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        CHECK(a >= b);
    }
    json upd = x.get(only + "&sort=-updated_at")["items"];
    for (size_t i = 1; i < upd.size(); ++i) CHECK(upd[i - 1]["updated_at"] >= upd[i]["updated_at"]);
}

TEST_CASE("records lists orders (and the other resources) the same way") {
    Synced x;
    Reply r = x.s.t.get("/api/v1/orgs/" + x.s.org + "/records?resource=orders&connection_id=" + x.bc, x.s.token);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.json()["total"] == x.s.dataset(Kind::order));
    CHECK(r.json()["items"][0]["platform"] == "bigcommerce");
    CHECK(r.json()["items"][0]["total"].is_string());
    CHECK(x.s.t.get("/api/v1/orgs/" + x.s.org + "/records?resource=calls", x.s.token).json()["total"] == 0);
}

TEST_CASE("records and products: no auth 401, another tenant 404, bad parameters 422, nothing changes") {
    Synced x;
    std::string before = x.s.t.snapshot();
    CHECK(x.s.t.get(x.path()).status == 401);
    CHECK(x.s.t.get(x.path(), x.s.other_token).status == 404);
    // The other tenant's own org, naming this org's connection: 404.
    CHECK(x.s.t.get("/api/v1/orgs/" + x.s.other_org + "/products?connection_id=" + x.bc, x.s.other_token).status ==
          404);
    CHECK(x.s.t.get("/api/v1/orgs/" + x.s.other_org + "/products", x.s.other_token).json()["total"] == 0);
    for (const char* q : {"per_page=0", "per_page=201", "page=0", "page=abc", "sort=password", "sort=price;DROP"}) {
        CAPTURE(q);
        Reply r = x.s.t.get(x.path(q), x.s.token);
        CHECK(r.status == 422);
        CHECK(r.content_type == "application/problem+json");
    }
    CHECK(x.s.t.get("/api/v1/orgs/" + x.s.org + "/records?resource=secrets", x.s.token).status == 422);
    CHECK(x.s.t.get("/api/v1/orgs/" + x.s.org + "/records?resource=orders&sort=price", x.s.token).status == 422);
    CHECK(x.s.t.call("GET", x.path(), "{\"x\":1}", x.s.token).status == 415);
    CHECK(x.s.t.snapshot() == before);
}

}  // TEST_SUITE
