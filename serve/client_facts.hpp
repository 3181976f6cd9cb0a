#pragma once
// What a connection tells the exchanges it feeds about its client (exchange.hpp's ClientFacts), the same for an
// HTTP/1.1 connection and each stream of an HTTP/2 one.
#include "serve/exchange.hpp"

namespace sslbind::serve {

class Connection;

ClientFacts client_facts(Connection& connection);

}  // namespace sslbind::serve
