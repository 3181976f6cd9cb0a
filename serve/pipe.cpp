#include "serve/pipe.hpp"

#include "serve/connection.hpp"
#include "serve/shared_state.hpp"
#include "serve/worker.hpp"

namespace sslbind::serve {

void Pipe::start() {
  client_to_upstream();
  upstream_to_client();
}

void Pipe::client_to_upstream() {
  if (c_.closed() || up_done_) return;
  Worker::Buffer& scratch = c_.worker().scratch();
  std::size_t n = 0;
  switch (c_.stream().read(scratch.data(), scratch.size(), n)) {
    case TlsStream::Status::Done:
      c_.arm_timer(c_.shared().timeouts.idle, Failure::IdleTimeout);
      upstream_.write(std::make_shared<const std::string>(scratch.data(), n), c_.guard([this](bool ok) {
        if (!ok) return c_.close();
        client_to_upstream();
      }));
      return;
    case TlsStream::Status::Again: return c_.wait([this] { client_to_upstream(); });
    default:
      // The client is done sending: pass the half-close on and keep the answer coming.
      up_done_ = true;
      upstream_.shutdown_send();
  }
}

void Pipe::upstream_to_client() {
  upstream_.read_some(down_.data(), down_.size(), c_.guard([this](bool ok, std::size_t n) {
    // The upstream finished (or failed): everything it sent has been written.
    if (!ok) return c_.close();
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
  upstream_to_client();
}

}  // namespace sslbind::serve
