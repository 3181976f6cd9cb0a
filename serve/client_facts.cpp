#include "serve/client_facts.hpp"

#include "serve/arr_ssl.hpp"
#include "serve/connection.hpp"

namespace sslbind::serve {

std::shared_ptr<ClientFacts> client_facts(Connection& connection) {
  const Handshake& h = connection.handshake();
  return std::make_shared<ClientFacts>(
      connection.client(), h.sni, h.binding_name(), h.certificate ? h.certificate->thumbprint() : std::string(),
      [&connection] { return arr_ssl_value(connection.stream().ssl()); }, connection.client_certificate());
}

}  // namespace sslbind::serve
