#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "serve/metrics.hpp"

using namespace sslbind::serve;

TEST_SUITE("serve::metrics") {
  TEST_CASE("the status document in the text format: families, labels escaped, histograms cumulative") {
    const nlohmann::json status = {
        {"generation", 7},
        {"snapshotAgeSeconds", 3},
        {"reloadFailures", 0},
        {"adminDropped", 1},
        {"bindings", 2},
        {"threads", 2},
        {"connections",
         {{"accepted", 10},
          {"active", 1},
          {"resumed", 0},
          {"handshakesByStep", {{"ipport", 4}}},
          {"failures", {{"badRequest", 2}}},
          {"builtInAnswers", 0},
          {"forwarded", 0},
          {"proxied", 5}}},
        {"backends", nlohmann::json::array()},
        {"webWorkers",
         {{"we\"ird\\host:80",
           {{"up", false},
            {"requests", 5},
            {"inFlight", 0},
            {"failures", 1},
            {"responses", {{"2xx", 5}}},
            {"responseSeconds", {{"buckets", {{0.005, 2}, {10, 5}}}, {"sum", 0.25}, {"count", 5}}}}}}},
        {"webFarms", {{{"name", "www"}, {"requests", 5}, {"failures", 1}}}},
        {"ccs", nullptr},
        {"cache",
         {{"entries", 1},
          {"bytes", 7000},
          {"loading", 0},
          {"hits", 3},
          {"misses", 1},
          {"loads", 1},
          {"loadFailures", 0},
          {"evictions", 0},
          {"refused", 0},
          {"maxEntries", 100},
          {"maxBytes", 1000}}}};
    const std::string text = prometheus_text(status);
    CHECK(text.find("# TYPE sslbind_connections_accepted_total counter\nsslbind_connections_accepted_total 10\n") !=
          std::string::npos);
    CHECK(text.find("sslbind_connection_failures_total{reason=\"badRequest\"} 2\n") != std::string::npos);
    CHECK(text.find("sslbind_web_worker_up{server=\"we\\\"ird\\\\host:80\"} 0\n") != std::string::npos);
    CHECK(text.find("sslbind_web_worker_response_seconds_bucket{server=\"we\\\"ird\\\\host:80\",le=\"0.005\"} 2\n") !=
          std::string::npos);
    CHECK(text.find("le=\"10\"} 5\n") != std::string::npos);
    CHECK(text.find("le=\"+Inf\"} 5\n") != std::string::npos);
    CHECK(text.find("sslbind_web_worker_response_seconds_sum{server=\"we\\\"ird\\\\host:80\"} 0.25\n") !=
          std::string::npos);
    CHECK(text.find("sslbind_ccs_") == std::string::npos);  // no CCS provider: no CCS gauges
    CHECK(text.ends_with("\n"));
  }
}
