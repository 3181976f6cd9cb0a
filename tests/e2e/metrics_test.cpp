// serve metrics=: GET /metrics in Prometheus' text exposition format, read by a strict reader of the format, with
// the same counters `show frontend --json` shows after a known load.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/e2e/front_end.hpp"
#include "tests/support/http_backend.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tls_client.hpp"

using namespace sslbind::test;

namespace {

struct Exposition {
  std::map<std::string, double> samples;  // "name{labels}" -> value
  std::map<std::string, std::string> types;
  std::vector<std::string> errors;
};

// The text format, version 0.0.4, read strictly: HELP and TYPE once per family and before its samples, names and
// label names by the grammar, label values quoted with \\, \" and \n escapes, values that are numbers, no sample
// twice, counters named _total, histograms with cumulative buckets ending in +Inf equal to _count.
Exposition read_exposition(const std::string& text) {
  Exposition out;
  static const std::regex help(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$)");
  static const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$)");
  static const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^\\"\n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^\\"\n])*")*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN)$)");
  std::set<std::string> helped;
  std::istringstream lines(text);
  std::string line;
  if (text.empty() || text.back() != '\n') out.errors.push_back("the text does not end with a line feed");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      if (!helped.insert(m[1]).second) out.errors.push_back("HELP twice: " + line);
    } else if (std::regex_match(line, m, type)) {
      if (out.types.count(m[1]) != 0) out.errors.push_back("TYPE twice: " + line);
      if (m[2] == "counter" && !std::string(m[1]).ends_with("_total")) out.errors.push_back("counter without _total");
      out.types[m[1]] = m[2];
    } else if (std::regex_match(line, m, sample)) {
      std::string family = m[1];
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string base = family.substr(0, family.size() - std::string(suffix).size());
        if (family.ends_with(suffix) && out.types.count(base) != 0 && out.types[base] == "histogram") family = base;
      }
      if (out.types.count(family) == 0) out.errors.push_back("a sample before its TYPE: " + line);
      const std::string key = line.substr(0, line.rfind(' '));
      if (!out.samples.emplace(key, std::stod(line.substr(line.rfind(' ') + 1))).second) {
        out.errors.push_back("a sample twice: " + line);
      }
    } else {
      out.errors.push_back("not a line of the format: " + line);
    }
  }
  return out;
}

double sample(const Exposition& e, const std::string& key) {
  const auto it = e.samples.find(key);
  if (it == e.samples.end()) FAIL("no sample " << key);
  return it == e.samples.end() ? -1 : it->second;
}

}  // namespace

TEST_SUITE("serve: metrics") {
  TEST_CASE("GET /metrics: the format read strictly, the counters of show frontend after a known load") {
    HttpBackend backend;
    FrontEnd fe;
    const std::uint16_t port = free_port();
    const std::uint16_t metrics_port = free_port();
    fe.bind("hostnameport=proxy.test:" + std::to_string(port), fe.import("proxy.test"));
    REQUIRE(fe.sslbind({"add", "webfarm", "name=www", "server=" + backend.address()}).exit_code == 0);
    REQUIRE(fe.sslbind({"add", "route", "host=*", "webfarm=www"}).exit_code == 0);
    auto server = fe.serve(port, {"metrics=" + std::to_string(metrics_port)});
    REQUIRE(server.ok());
    // The load: 3 proxied requests, 1 refused request, 1 handshake that matches no binding.
    for (int i = 0; i < 3; ++i) {
      CHECK(tls_connect("127.0.0.1", port,
                        {"proxy.test", nullptr, 0, "GET /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"})
                .answer.starts_with("HTTP/1.1 200 OK"));
    }
    CHECK(tls_connect("127.0.0.1", port, {"proxy.test", nullptr, 0, "GET /a HTTP/1.1\r\n\r\n"})
              .answer.starts_with("HTTP/1.1 400"));
    CHECK_FALSE(tls_connect("127.0.0.1", port, {"nobody.test", nullptr, 0, ""}).handshake);
    REQUIRE(eventually([&] { return fe.status()["connections"]["active"] == 0; }, 3000));

    const std::string url = "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics";
    const auto scraped = run_process({"/usr/bin/curl", "-sS", "-D", "-", url});
    REQUIRE(scraped.exit_code == 0);
    const nlohmann::json status = fe.status();
    const std::string head = scraped.out.substr(0, scraped.out.find("\r\n\r\n"));
    CHECK(head.starts_with("HTTP/1.1 200 OK"));
    CHECK(head.find("Content-Type: text/plain; version=0.0.4; charset=utf-8") != std::string::npos);
    const Exposition e = read_exposition(scraped.out.substr(scraped.out.find("\r\n\r\n") + 4));
    for (const std::string& error : e.errors) FAIL_CHECK(error);

    const nlohmann::json& c = status["connections"];
    CHECK(sample(e, "sslbind_connections_accepted_total") == c["accepted"].get<double>());
    CHECK(sample(e, "sslbind_proxied_requests_total") == 3);
    CHECK(c["proxied"] == 3);
    for (const auto& item : c["failures"].items()) {
      const std::string reason = item.key();  // not a structured binding: clang 14 lets no CAPTURE refer to one
      CAPTURE(reason);
      CHECK(sample(e, "sslbind_connection_failures_total{reason=\"" + reason + "\"}") == item.value().get<double>());
    }
    CHECK(sample(e, "sslbind_connection_failures_total{reason=\"badRequest\"}") == 1);
    CHECK(sample(e, "sslbind_connection_failures_total{reason=\"noMatch\"}") == 1);
    for (const auto& item : c["handshakesByStep"].items()) {
      const std::string step = item.key();
      CAPTURE(step);
      CHECK(sample(e, "sslbind_handshakes_total{step=\"" + step + "\"}") == item.value().get<double>());
    }
    const std::string server_label = "server=\"" + backend.address() + "\"";
    CHECK(sample(e, "sslbind_web_worker_requests_total{" + server_label + "}") == 3);
    CHECK(sample(e, "sslbind_web_worker_up{" + server_label + "}") == 1);
    CHECK(sample(e, "sslbind_web_worker_responses_total{" + server_label + ",class=\"2xx\"}") == 3);
    CHECK(sample(e, "sslbind_web_worker_response_seconds_count{" + server_label + "}") == 3);
    CHECK(sample(e, "sslbind_web_worker_response_seconds_bucket{" + server_label + ",le=\"+Inf\"}") == 3);
    CHECK(sample(e, "sslbind_web_worker_response_seconds_bucket{" + server_label + ",le=\"10\"}") == 3);
    CHECK(sample(e, "sslbind_web_farm_requests_total{farm=\"www\"}") == 3);
    CHECK(sample(e, "sslbind_cache_loads_total") == status["cache"]["loads"].get<double>());
    CHECK(sample(e, "sslbind_cache_hits_total") == status["cache"]["hits"].get<double>());
    CHECK(sample(e, "sslbind_snapshot_generation") == status["generation"].get<double>());
    CHECK(sample(e, "sslbind_bindings") == 1);
    CHECK(e.types.at("sslbind_web_worker_response_seconds") == "histogram");

    // Only GET and HEAD of /metrics; a request that is not HTTP/1.1 is refused.
    CHECK(run_process({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                       "http://127.0.0.1:" + std::to_string(metrics_port) + "/other"})
              .out == "404");
    CHECK(run_process({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", url}).out ==
          "405");
    const int raw = tcp_connect("127.0.0.1", metrics_port);
    REQUIRE(raw >= 0);
    const std::string junk = "GET /metrics HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n";
    CHECK(::send(raw, junk.data(), junk.size(), 0) == static_cast<ssize_t>(junk.size()));
    char reply[64] = {};
    CHECK(::recv(raw, reply, sizeof reply - 1, MSG_WAITALL) > 0);
    CHECK(std::string(reply).starts_with("HTTP/1.1 400"));
    ::close(raw);
    CHECK(server.stop() == 0);
  }
}
