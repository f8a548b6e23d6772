// The metrics registry's Prometheus text rendering, and request counting
// from access lines by route pattern.
#include <doctest/doctest.h>

#include <stdexcept>

#include "edge/http/router.h"
#include "edge/metrics/registry.h"
#include "edge/metrics/requests.h"

using namespace onramp::metrics;

TEST_SUITE("metrics.registry") {

TEST_CASE("a family renders HELP, TYPE and one line per series in label order") {
    Registry r;
    Family& requests = r.add("app_requests_total", "Requests.", Kind::counter, {"method", "status"});
    Family& depth = r.add("app_queue_depth", "Waiting work.", Kind::gauge);
    requests.at({"POST", "500"}).add();
    requests.at({"GET", "200"}).add(2);
    requests.at({"GET", "200"}).add();
    depth.at({}).set(7);
    depth.at({}).set(4);
    CHECK(r.render() ==
          "# HELP app_requests_total Requests.\n"
          "# TYPE app_requests_total counter\n"
          "app_requests_total{method=\"GET\",status=\"200\"} 3\n"
          "app_requests_total{method=\"POST\",status=\"500\"} 1\n"
          "# HELP app_queue_depth Waiting work.\n"
          "# TYPE app_queue_depth gauge\n"
          "app_queue_depth 4\n");
}

TEST_CASE("label values escape backslash, double quote and line feed; HELP escapes backslash and line feed") {
    Registry r;
    r.add("x_total", "A \\ help\nline", Kind::counter, {"path"}).at({"a\"b\\c\nd"}).add();
    std::string text = r.render();
    CHECK(text.find("# HELP x_total A \\\\ help\\nline\n") != std::string::npos);
    CHECK(text.find("x_total{path=\"a\\\"b\\\\c\\nd\"} 1\n") != std::string::npos);
    CHECK(escape_label_value("plain") == "plain");
}

TEST_CASE("asking for a series with the wrong number of label values is an error") {
    Registry r;
    Family& f = r.add("y_total", "Y.", Kind::counter, {"a", "b"});
    CHECK_THROWS_AS(f.at({"only one"}), std::invalid_argument);
}

TEST_CASE("an access line gives its method, path and status; a line without them gives nothing") {
    auto f = parse_access_line(
        R"({"method":"POST","ms":0.4,"path":"/webhooks/shopify/conn_1","remote":"127.0.0.1","request_id":"r","status":202,"ts":1})");
    REQUIRE(f);
    CHECK(f->method == "POST");
    CHECK(f->path == "/webhooks/shopify/conn_1");
    CHECK(f->status == 202);
    CHECK_FALSE(parse_access_line(R"({"method":"GET","path":"/x"})"));
    CHECK_FALSE(parse_access_line("not json at all"));
    // A quote inside the path is escaped, so a key inside a value is no key.
    auto tricky = parse_access_line(R"({"method":"GET","path":"/a\"status\":999","status":404})");
    REQUIRE(tricky);
    CHECK(tricky->status == 404);
}

TEST_CASE("requests are counted by the matched route pattern, never by raw path") {
    onramp::http::Router router;
    router.add({"GET", "/api/v1/orgs/{org_id}", onramp::http::Access::Public, onramp::http::Body::None, {}});
    Registry r;
    Family& requests = r.add("req_total", "R.", Kind::counter, {"method", "route", "status"});
    RequestCounter counter(router, requests);
    auto line = [](const char* method, const char* path, int status) {
        return std::string(R"({"method":")") + method + R"(","path":")" + path + R"(","status":)" +
               std::to_string(status) + "}";
    };
    counter.count(line("GET", "/api/v1/orgs/org_a", 200));
    counter.count(line("GET", "/api/v1/orgs/org_b", 200));
    counter.count(line("GET", "/api/v1/orgs/org_a", 200));
    counter.count(line("HEAD", "/api/v1/orgs/org_a", 200));
    counter.count(line("GET", "/index.html", 200));
    counter.count(line("BREW", "/api/v1/orgs/org_a", 405));
    counter.count(line("GET", "/api/v1/orgs/org_c", 404));

    CHECK(requests.at({"GET", "/api/v1/orgs/{org_id}", "200"}).get() == 3);
    CHECK(requests.at({"HEAD", "/api/v1/orgs/{org_id}", "200"}).get() == 1);
    CHECK(requests.at({"GET", "/api/v1/orgs/{org_id}", "404"}).get() == 1);
    CHECK(requests.at({"GET", "unmatched", "200"}).get() == 1);
    CHECK(requests.at({"other", "unmatched", "405"}).get() == 1);
    std::string text = r.render();
    CHECK(text.find("org_a") == std::string::npos);
    CHECK(text.find("BREW") == std::string::npos);
}

}  // TEST_SUITE
