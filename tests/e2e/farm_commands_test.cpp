// add|update|delete|show webfarm and add|delete|show route on the real binary.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/sslbind_runner.hpp"

using namespace sslbind::test;
using nlohmann::json;

TEST_CASE("webfarm and route: add, show, update, delete, in text and JSON") {
  Sslbind sslbind;
  auto r = sslbind({"add", "webfarm", "name=Www", "server=127.0.0.1:8080,[::1]:8081", "healthcheck=/health"});
  CHECK(r.out == "Web farm successfully added\n");
  CHECK(sslbind({"add", "route", "host=WWW.contoso.com", "webfarm=www"}).out == "Route successfully added\n");
  CHECK(sslbind({"add", "route", "host=*", "webfarm=WWW"}).exit_code == 0);
  CHECK(sslbind({"show", "webfarm"}).out ==
        "\nWeb farms:\n----------\n\n"
        "    Web Farm                     : Www\n"
        "    Servers                      : 127.0.0.1:8080, [::1]:8081\n"
        "    Load Balance                 : roundrobin\n"
        "    Health Check                 : /health\n"
        "    Health Check Interval        : 5 s\n"
        "    Health Check Status          : 200-399\n"
        "    X-ARR-SSL                    : Enabled\n"
        "    Failures To Go Down          : 5 in 30 s\n\n");
  CHECK(sslbind({"show", "route", "host=www.CONTOSO.com"}).out ==
        "\nRoutes:\n-------\n\n    Host                         : www.contoso.com\n"
        "    Web Farm                     : Www\n\n");
  r = sslbind({"--json", "update", "webfarm", "name=www", "loadbalance=leastrequests", "arrssl=disable",
               "healthcheck=none", "failures=3", "failurewindow=60"});
  CHECK(json::parse(r.out)["webfarm"] == json({{"name", "Www"},
                                               {"servers", {"127.0.0.1:8080", "[::1]:8081"}},
                                               {"healthcheck", nullptr},
                                               {"healthinterval", 5},
                                               {"healthstatus", "200-399"},
                                               {"loadbalance", "leastrequests"},
                                               {"arrssl", false},
                                               {"failures", 3},
                                               {"failurewindow", 60}}));
  const json routes = json::parse(sslbind({"--json", "show", "route"}).out)["routes"];
  CHECK(routes ==
        json::array({{{"host", "*"}, {"webfarm", "Www"}}, {{"host", "www.contoso.com"}, {"webfarm", "Www"}}}));
  CHECK(sslbind.registry().find("\"Routes\":{\"*\":{\"WebFarm\":{\"data\":\"Www\",\"type\":\"REG_SZ\"}}") !=
        std::string::npos);

  // Refusals leave the registry as it was.
  const std::string before = sslbind.registry();
  r = sslbind({"delete", "webfarm", "name=www"});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err ==
        "The parameter is incorrect.\nwebfarm Www still receives the requests of route *, www.contoso.com; "
        "delete those routes first\n");
  r = sslbind({"add", "webfarm", "name=WWW", "server=10.0.0.1:80"});
  CHECK(r.exit_code == 1);
  CHECK(r.out + r.err ==
        "Web Farm add failed, Error: 183\nCannot create a file when that file already exists.\nwebfarm WWW "
        "already exists; use update webfarm to change it\n");
  r = sslbind({"add", "route", "host=shop.contoso.com", "webfarm=none"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.ends_with("webfarm none does not exist; add it with add webfarm\n"));
  r = sslbind({"add", "webfarm", "name=x", "server=10.0.0.1"});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err == "The parameter is incorrect.\nserver '10.0.0.1' needs a port: HOST:PORT, e.g. 10.0.0.5:80\n");
  r = sslbind({"update", "webfarm", "name=www", "failures=0"});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err == "The parameter is incorrect.\nfailures=0 is not a number of failed requests from 1 to 1000\n");
  r = sslbind({"update", "webfarm", "name=www", "failurewindow=3601"});
  CHECK(r.exit_code == 2);
  CHECK(r.out + r.err == "The parameter is incorrect.\nfailurewindow=3601 is not a number of seconds from 1 to 3600\n");
  r = sslbind({"add", "webfarm", "name=x"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("One or more essential parameters were not entered.") == 0);
  CHECK(sslbind({"add", "route", "host=a.*.com", "webfarm=www"}).exit_code == 2);
  CHECK(sslbind({"update", "route", "host=*"}).exit_code == 2);
  CHECK(sslbind({"delete", "route", "host=nowhere.com"}).exit_code == 1);
  CHECK(sslbind.registry() == before);

  CHECK(sslbind({"delete", "route", "host=*"}).out == "Route successfully deleted\n");
  CHECK(sslbind({"delete", "route", "host=www.contoso.com"}).exit_code == 0);
  CHECK(sslbind({"delete", "webfarm", "name=www"}).out == "Web farm successfully deleted\n");
  CHECK(json::parse(sslbind({"--json", "show", "webfarm"}).out)["webfarms"].empty());
}
