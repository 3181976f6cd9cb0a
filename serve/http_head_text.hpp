#pragma once
// The grammar of a whole head (RFC 9112, sections 2.3 to 5): its start-line and its field lines, split into an
// HttpHead. The reader (http_parser.cpp) has already refused bare CRs and LFs and control bytes as they came; the
// proxy's rules on the head (http_rules.hpp) come after. Pure functions.
#include <string_view>

#include "serve/http_parser.hpp"
#include "serve/http_rules.hpp"

namespace sslbind::serve {

// A request head: method SP request-target SP HTTP-version, then fields. 400, 414 (a target over `max_target`
// bytes), 505 (not HTTP/1.x).
HttpRefusal split_request_head(std::string_view text, std::size_t max_target, HttpHead& head);
// A response head: HTTP-version SP status-code SP reason, then fields. 502 for anything it refuses.
HttpRefusal split_response_head(std::string_view text, HttpHead& head);

}  // namespace sslbind::serve
