#include "serve/stats.hpp"

#include <nlohmann/json.hpp>

#include "core/selection.hpp"

namespace sslbind::serve {

std::string_view failure_name(Failure f) {
  switch (f) {
    case Failure::NoMatch: return "noMatch";
    case Failure::Rejected: return "rejected";
    case Failure::CertificateMissing: return "certificateMissing";
    case Failure::CertificateUnavailable: return "certificateUnavailable";
    case Failure::BadClientHello: return "badClientHello";
    case Failure::HandshakeTimeout: return "handshakeTimeout";
    case Failure::IdleTimeout: return "idleTimeout";
    case Failure::ConnectionLimit: return "connectionLimit";
    case Failure::BackendUnavailable: return "backendUnavailable";
    case Failure::BadRequest: return "badRequest";
    case Failure::NoRoute: return "noRoute";
    case Failure::BackendTimeout: return "backendTimeout";
    case Failure::BackendProtocol: return "backendProtocol";
    case Failure::DescriptorsExhausted: return "descriptorsExhausted";
    case Failure::ClientCertificateUntrusted: return "clientCertificateUntrusted";
    case Failure::ClientCertificateRevoked: return "clientCertificateRevoked";
    case Failure::kCount: break;
  }
  return "";
}

nlohmann::json Http2Stats::to_json() const {
  return {{"connections", connections.load()},    {"streams", streams.load()}, {"clientResets", client_resets.load()},
          {"serverResets", server_resets.load()}, {"goaways", goaways.load()}, {"floodCloses", flood_closes.load()}};
}

nlohmann::json Stats::to_json() const {
  nlohmann::json steps = nlohmann::json::object();
  for (std::size_t i = 0; i < handshakes.size(); ++i) {
    steps[std::string(step_name(static_cast<SelectionStep>(i)))] = handshakes[i].load();
  }
  nlohmann::json failed = nlohmann::json::object();
  for (std::size_t i = 0; i < failures.size(); ++i)
    failed[std::string(failure_name(static_cast<Failure>(i)))] = failures[i].load();
  return {{"accepted", accepted.load()},   {"active", active.load()},   {"resumed", resumed.load()},
          {"handshakesByStep", steps},     {"failures", failed},        {"builtInAnswers", requests.load()},
          {"forwarded", forwarded.load()}, {"proxied", proxied.load()}, {"http2", http2.to_json()}};
}

}  // namespace sslbind::serve
