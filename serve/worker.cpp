#include "serve/worker.hpp"

#include <asio/ip/v6_only.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "serve/connection.hpp"

namespace sslbind::serve {
namespace {

asio::ip::tcp::endpoint endpoint_of(const ListenAddress& l) {
  if (!l.address) return {asio::ip::tcp::v6(), l.port};
  if (l.address->family() == IpAddress::Family::V4) {
    asio::ip::address_v4::bytes_type b{};
    std::copy_n(l.address->bytes().begin(), 4, b.begin());
    return {asio::ip::address_v4(b), l.port};
  }
  return {asio::ip::address_v6(l.address->bytes()), l.port};
}

}  // namespace

Worker::Worker(SharedState& shared, unsigned id, ListenReport report)
    : shared_(shared), id_(id), report_(std::move(report)), upstream_(io_, shared.timeouts.connect), io_(1) {}

Worker::~Worker() {
  stop();
  upstream_.drop_idle();
}

void Worker::start() {
  keep_running_.emplace(io_.get_executor());
  thread_ = std::thread([this] { io_.run(); });
}

void Worker::stop() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Worker::publish(std::shared_ptr<const Snapshot> snapshot) {
  asio::post(io_, [this, snapshot = std::move(snapshot)] {
    snapshot_ = snapshot;
    if (accepting_) sync_listeners(snapshot_->listeners());
  });
}

void Worker::stop_accepting() {
  asio::post(io_, [this] {
    accepting_ = false;
    acceptors_.clear();
    // As nginx and HAProxy do on a graceful stop: a keep-alive connection waiting for its next request is closed
    // now; one in the middle of a request finishes it (its response says Connection: close).
    for (const auto& weak : connections_) {
      if (auto c = weak.lock()) c->close_if_idle();
    }
  });
}

void Worker::release_when_still_idle(std::weak_ptr<Connection> connection) {
  went_idle_.push_back(std::move(connection));
  if (idle_sweep_) return;
  idle_sweep_.emplace(io_, kIdleSweep);
  idle_sweep_->async_wait([this](const asio::error_code& ec) {
    idle_sweep_.reset();
    if (ec) return;
    const auto swept = std::move(went_idle_);
    went_idle_.clear();
    for (const auto& weak : swept) {
      if (auto c = weak.lock()) c->release_if_idle();
    }
  });
}

void Worker::sync_listeners(const std::set<ListenAddress>& wanted) {
  std::erase_if(acceptors_, [&](const auto& a) { return !wanted.contains(a.first); });
  for (const ListenAddress& l : wanted) {
    if (acceptors_.contains(l)) continue;
    auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(io_);
    asio::ip::tcp::endpoint ep = endpoint_of(l);
    asio::error_code ec;
    acceptor->open(ep.protocol(), ec);
    if (ec && !l.address) {  // no IPv6 on this host: the IPv4 wildcard serves IPv4 clients
      ep = {asio::ip::tcp::v4(), l.port};
      acceptor->open(ep.protocol(), ec);
    }
    // [::] alone takes IPv4 clients too; a listed :: is IPv6 only, beside a listed 0.0.0.0 as HTTP.SYS has them.
    if (!ec && ep.protocol() == asio::ip::tcp::v6()) acceptor->set_option(asio::ip::v6_only(l.address.has_value()), ec);
    if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) {
      // One socket per thread and address: the kernel spreads connections over the threads, no accept lock.
      const int one = 1;
      if (::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
        ec = asio::error_code(errno, asio::system_category());
      }
    }
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      if (id_ == 0) report_(l, ec.message());
      continue;
    }
    acceptors_.emplace(l, std::move(acceptor));
    accept(l);
  }
}

void Worker::accept(const ListenAddress& address) {
  const auto it = acceptors_.find(address);
  if (it == acceptors_.end()) return;  // closed meanwhile
  it->second->async_accept([this, address](const asio::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;  // the acceptor closed
    if (ec) {
      if (ec == asio::error::no_descriptors || ec.value() == ENFILE) {
        shared_.stats.fail(Failure::DescriptorsExhausted);
        shared_.descriptors_exhausted.event();
      }
      // Out of descriptors, say: try again shortly rather than spin, with one timer for every listener.
      retry_accept_.insert(address);
      if (!retry_timer_) {
        retry_timer_.emplace(io_, std::chrono::milliseconds(100));
        retry_timer_->async_wait([this](const asio::error_code&) {
          retry_timer_.reset();
          const std::set<ListenAddress> again = std::move(retry_accept_);
          retry_accept_.clear();
          for (const ListenAddress& a : again) accept(a);
        });
      }
      return;
    }
    shared_.stats.accepted.fetch_add(1, std::memory_order_relaxed);
    if (shared_.stats.active.load(std::memory_order_relaxed) >=
        static_cast<std::int64_t>(shared_.options.max_connections)) {
      shared_.stats.fail(Failure::ConnectionLimit);
      shared_.connection_limit.event();
      asio::error_code ignored;
      socket.close(ignored);
    } else {
      // One allocation with its control block. A weak_ptr (this list, a loader's resume) keeps it (480 bytes: the
      // session and the TLS object are apart) until the list is next pruned.
      auto connection = std::make_shared<Connection>(*this, std::move(socket));
      // Kept weakly, so that stopping can close the ones idle between requests; the expired go as new ones come.
      if (connections_.size() >= 2 * connections_kept_) {
        std::erase_if(connections_, [](const auto& c) { return c.expired(); });
        connections_kept_ = std::max<std::size_t>(connections_.size(), 64);
      }
      connections_.push_back(connection);
      connection->start();
    }
    accept(address);
  });
}

}  // namespace sslbind::serve
