#include "serve/pipe.hpp"

#include <asio/write.hpp>

#include "serve/connection.hpp"
#include "serve/shared_state.hpp"

namespace sslbind::serve {

void Pipe::start() {
  client_to_backend();
  backend_to_client();
}

void Pipe::client_to_backend() {
  if (c_.closed() || up_done_) return;
  std::size_t n = 0;
  switch (c_.stream().read(up_.data(), up_.size(), n)) {
    case TlsStream::Status::Done:
      c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
      asio::async_write(backend_, asio::buffer(up_.data(), n),
                        c_.guard([this](const asio::error_code& ec, std::size_t) {
                          if (ec) return c_.close();
                          client_to_backend();
                        }));
      return;
    case TlsStream::Status::Again: return c_.wait([this] { client_to_backend(); });
    default: {
      // The client is done sending: pass the half-close on and keep the answer coming.
      up_done_ = true;
      asio::error_code ignored;
      backend_.shutdown(asio::socket_base::shutdown_send, ignored);
    }
  }
}

void Pipe::backend_to_client() {
  backend_.async_read_some(asio::buffer(down_), c_.guard([this](const asio::error_code& ec, std::size_t n) {
    // The backend finished (or failed): everything it sent has been written.
    if (ec) return c_.close();
    down_size_ = n;
    down_written_ = 0;
    c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
    write_to_client();
  }));
}

void Pipe::write_to_client() {
  while (down_written_ < down_size_) {
    if (c_.closed()) return;
    std::size_t n = 0;
    switch (c_.stream().write(down_.data() + down_written_, down_size_ - down_written_, n)) {
      case TlsStream::Status::Done: down_written_ += n; continue;
      case TlsStream::Status::Again: return c_.wait([this] { write_to_client(); });
      default: return c_.close();
    }
  }
  backend_to_client();
}

}  // namespace sslbind::serve
