#pragma once
// The front end's own answers (a refused request, a failed exchange): small, and naming no internal address. One
// text for HTTP/1.1 and HTTP/2, which frame it differently.
#include <string>
#include <string_view>

namespace sslbind::serve {

std::string_view reason_of(int status);
// The HTML page for `status`.
std::string error_body(int status);
// The whole HTTP/1.1 answer: its head (with Connection: close) and the page.
std::string error_response(int status);

}  // namespace sslbind::serve
