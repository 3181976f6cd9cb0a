#pragma once
// What a connection tells the exchanges it feeds about its client (exchange.hpp's ClientFacts): made once, shared
// by an HTTP/1.1 connection's exchange and by every stream of an HTTP/2 one.
#include "serve/exchange.hpp"

namespace sslbind::serve {

class Connection;

std::shared_ptr<ClientFacts> client_facts(Connection& connection);

}  // namespace sslbind::serve
