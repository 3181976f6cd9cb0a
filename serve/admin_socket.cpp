#include "serve/admin_socket.hpp"

#include <sys/stat.h>

#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>

#include "core/text.hpp"

namespace sslbind::serve {
namespace {

constexpr std::size_t kMaxRequest = 1024;

}  // namespace

AdminSocket::AdminSocket(asio::io_context& io, std::filesystem::path path,
                         std::function<std::string(const std::string&)> answer)
    : io_(io), path_(std::move(path)), answer_(std::move(answer)), acceptor_(io) {}

AdminSocket::~AdminSocket() {
  close();
  if (!bound_) return;
  // Only the socket this front end bound: an operator or another front end may have put something else there.
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && S_ISSOCK(st.st_mode) && st.st_dev == device_ && st.st_ino == inode_) {
    ::unlink(path_.c_str());
  }
}

Status AdminSocket::open() {
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return Error(ErrorCode::InvalidParameter, "admin=" + text::quote(path_.string()) +
                                                    " is not a socket: serve removes only a socket left by a front "
                                                    "end that stopped; name a path that is free or holds one");
    }
    asio::local::stream_protocol::socket probe(io_);
    asio::error_code e;
    probe.connect(path_.string(), e);
    if (!e) return Error(ErrorCode::SourceUnavailable, "another front end answers on " + path_.string());
    ::unlink(path_.c_str());  // left by a front end that died
  }
  const mode_t old = ::umask(077);  // the socket is created 0600: status is for the administrator only
  asio::error_code e;
  acceptor_.open(asio::local::stream_protocol(), e);
  if (!e) acceptor_.bind(asio::local::stream_protocol::endpoint(path_.string()), e);
  if (!e) acceptor_.listen(asio::socket_base::max_listen_connections, e);
  ::umask(old);
  if (e) {
    return Error(ErrorCode::SourceUnavailable,
                 "the admin socket " + path_.string() + " cannot be opened: " + e.message());
  }
  bound_ = ::lstat(path_.c_str(), &st) == 0;
  device_ = st.st_dev;
  inode_ = st.st_ino;
  ::chmod(path_.c_str(), 0600);
  accept();
  return Ok{};
}

void AdminSocket::close() {
  asio::error_code ignored;
  acceptor_.close(ignored);
}

void AdminSocket::accept() {
  acceptor_.async_accept([this](const asio::error_code& ec, asio::local::stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      if (open_ >= kMaxConnections) {
        ++dropped_;  // closed as it goes out of scope
      } else {
        serve(std::make_shared<asio::local::stream_protocol::socket>(std::move(socket)));
      }
    }
    accept();
  });
}

void AdminSocket::serve(std::shared_ptr<asio::local::stream_protocol::socket> socket) {
  ++open_;
  // The connection ends when its reply is written, or at the deadline; whichever comes first closes the socket.
  auto deadline = std::make_shared<asio::steady_timer>(io_, kReadDeadline);
  auto done = std::make_shared<bool>(false);
  auto finish = [this, socket, deadline, done] {
    if (*done) return;
    *done = true;
    --open_;
    deadline->cancel();
    asio::error_code ignored;
    socket->close(ignored);
  };
  deadline->async_wait([this, finish, done](const asio::error_code& ec) {
    if (ec || *done) return;
    ++dropped_;
    finish();
  });
  auto request = std::make_shared<asio::streambuf>(kMaxRequest);
  asio::async_read_until(
      *socket, *request, '\n', [this, socket, request, finish](const asio::error_code& ec, std::size_t) {
        if (ec) return finish();
        std::string line((std::istreambuf_iterator<char>(request.get())), std::istreambuf_iterator<char>());
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        auto text = std::make_shared<std::string>(answer_(line) + "\n");
        asio::async_write(*socket, asio::buffer(*text),
                          [text, finish](const asio::error_code&, std::size_t) { finish(); });
      });
}

}  // namespace sslbind::serve
