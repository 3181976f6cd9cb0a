#include <doctest/doctest.h>

#include "core/farm_command.hpp"
#include "core/webfarm.hpp"

using namespace sslbind;

namespace {

WebFarm farm(const std::string& name, const std::string& servers = "10.0.0.1:80") {
  WebFarm f;
  f.name = name;
  f.servers = *parse_servers(servers);
  return f;
}

}  // namespace

TEST_SUITE("core::webfarm") {
  TEST_CASE("servers: IPv4, bracketed IPv6 and host names, each with a port") {
    auto s = parse_servers("10.0.0.5:80,[FD00::5]:8080,Web1.Contoso.local:8000");
    REQUIRE(s);
    REQUIRE(s->size() == 3);
    CHECK((*s)[0].str() == "10.0.0.5:80");
    CHECK((*s)[1].str() == "[fd00::5]:8080");
    CHECK((*s)[2].str() == "web1.contoso.local:8000");
    for (const std::string bad :
         {"", "10.0.0.5", "10.0.0.5:0", "10.0.0.5:65536", "300.0.0.1:80", "1.2.3:80", "[10.0.0.1]:80", "[fd00::5:80",
          "fd00::5:80", "web_1:80", "a:b", "10.0.0.5:80,", "10.0.0.5:80,10.0.0.5:80"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_servers(bad));
    }
    std::string many;
    for (int i = 1; i <= 65; ++i) many += (i > 1 ? "," : "") + ("10.0.0." + std::to_string(i) + ":80");
    CHECK(parse_servers(many).error().detail == "server= names more than 64 servers; a farm holds at most 64");
  }

  TEST_CASE("names, health checks and balancing") {
    CHECK(validate_farm_name("www_2.contoso-farm"));
    CHECK_FALSE(validate_farm_name(""));
    CHECK_FALSE(validate_farm_name("has space"));
    CHECK_FALSE(validate_farm_name(std::string(65, 'a')));
    CHECK(validate_health_check("/health?full=1"));
    CHECK_FALSE(validate_health_check("health"));
    CHECK_FALSE(validate_health_check("/a b"));
    CHECK_FALSE(validate_health_check("/" + std::string(1024, 'a')));
    CHECK(*parse_load_balance("LeastRequests") == LoadBalance::LeastRequests);
    CHECK(HealthStatus::parse("200")->str() == "200");
    CHECK(HealthStatus::parse("200-399")->accepts(302));
    CHECK_FALSE(HealthStatus::parse("200-299")->accepts(301));
    for (const std::string bad : {"", "99", "600", "300-200", "2xx", "200-", "-200", "200-399-1"}) {
      CAPTURE(bad);
      CHECK_FALSE(HealthStatus::parse(bad));
    }
    CHECK(*parse_health_interval("3600") == 3600U);
    CHECK_FALSE(parse_health_interval("0"));
    CHECK_FALSE(parse_health_interval("3601"));
    CHECK(parse_load_balance("random").error().detail ==
          "loadbalance=random is not an algorithm sslbind knows; use roundrobin or leastrequests");
  }

  TEST_CASE("route hosts: a name, one wildcard label, or *") {
    CHECK(*parse_route_host("WWW.Contoso.com") == "www.contoso.com");
    CHECK(*parse_route_host("*.Contoso.com") == "*.contoso.com");
    CHECK(*parse_route_host("*") == "*");
    for (const std::string bad : {"", "*.", "a.*.com", "**.com", "*contoso.com", "www..com", "-a.com"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_route_host(bad));
    }
  }

  TEST_CASE("a request goes to its exact host, then the wildcard of its parent, then *") {
    FarmSet farms;
    REQUIRE(farms.add_farm(farm("exact")));
    REQUIRE(farms.add_farm(farm("wild")));
    REQUIRE(farms.add_farm(farm("any")));
    REQUIRE(farms.add_route("www.contoso.com", "EXACT"));
    REQUIRE(farms.add_route("*.contoso.com", "wild"));
    CHECK(farms.route("WWW.contoso.com.")->name == "exact");
    CHECK(farms.route("shop.contoso.com")->name == "wild");
    CHECK(farms.route("a.shop.contoso.com") == nullptr);  // one label only
    CHECK(farms.route("contoso.com") == nullptr);
    CHECK(farms.route("") == nullptr);
    REQUIRE(farms.add_route("*", "any"));
    CHECK(farms.route("a.shop.contoso.com")->name == "any");
    CHECK(farms.route("")->name == "any");  // HTTP/1.0 without Host
  }

  TEST_CASE("farm and route rules: 183, 2, and a farm in use stays") {
    FarmSet farms;
    REQUIRE(farms.add_farm(farm("www")));
    CHECK(farms.add_farm(farm("WWW")).error().code == ErrorCode::AlreadyExists);
    CHECK(farms.update_farm(farm("none")).error().code == ErrorCode::NotFound);
    CHECK(farms.add_route("a.com", "none").error().code == ErrorCode::NotFound);
    REQUIRE(farms.add_route("a.com", "www"));
    CHECK(farms.add_route("a.com", "www").error().code == ErrorCode::AlreadyExists);
    CHECK(farms.remove_farm("www").error().detail ==
          "webfarm www still receives the requests of route a.com; delete those routes first");
    CHECK(farms.update_farm(farm("Www", "10.0.0.2:80")));
    CHECK(farms.find_farm("www")->name == "www");  // the spelling it was added with
    CHECK(farms.find_farm("www")->servers.front().str() == "10.0.0.2:80");
    REQUIRE(farms.remove_route("A.com"));
    CHECK(farms.remove_route("a.com").error().code == ErrorCode::NotFound);
    CHECK(farms.remove_farm("www"));
  }

  TEST_CASE("webfarm and route commands: what each verb needs") {
    auto add = parse_webfarm_arguments(
        Verb::Add, std::vector<std::string>{"name=www", "server=10.0.0.1:80", "healthcheck=/h", "arrssl=disable"});
    REQUIRE(add);
    const WebFarm made = add->apply(WebFarm{});
    CHECK(made.name == "www");
    CHECK(made.health_check == "/h");
    CHECK_FALSE(made.arr_ssl);
    auto clear = parse_webfarm_arguments(Verb::Update, std::vector<std::string>{"name=www", "healthcheck=none"});
    REQUIRE(clear);
    CHECK_FALSE(clear->apply(made).health_check);
    CHECK(clear->apply(made).servers == made.servers);
    CHECK(parse_webfarm_arguments(Verb::Add, std::vector<std::string>{"name=www"}).error().code ==
          ErrorCode::MissingParameters);
    CHECK(parse_webfarm_arguments(Verb::Update, std::vector<std::string>{"name=www"}).error().code ==
          ErrorCode::MissingParameters);
    CHECK(
        parse_webfarm_arguments(Verb::Delete, std::vector<std::string>{"name=www", "server=1.2.3.4:80"}).error().code ==
        ErrorCode::InvalidParameter);
    CHECK(parse_webfarm_arguments(Verb::Show, std::vector<std::string>{}));
    CHECK(parse_route_arguments(Verb::Add, std::vector<std::string>{"host=*"}).error().code ==
          ErrorCode::MissingParameters);
    CHECK(parse_route_arguments(Verb::Update, std::vector<std::string>{"host=*"}).error().code ==
          ErrorCode::InvalidParameter);
    CHECK(*parse_route_arguments(Verb::Delete, std::vector<std::string>{"host=WWW.A.com"})->host == "www.a.com");
  }
}
