#include "serve/server.hpp"

#include <sys/resource.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <csignal>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "serve/admin_socket.hpp"
#include "serve/ccs_listing.hpp"
#include "serve/change_watcher.hpp"
#include "serve/log.hpp"
#include "serve/metrics.hpp"
#include "serve/status_document.hpp"
#include "serve/ticket_keys.hpp"
#include "serve/worker_group.hpp"

namespace sslbind::serve {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr seconds kDrain{10};
constexpr seconds kEvictEvery{30};
// Half of them may serve one group (a CCS folder, the stores): a hung share leaves the others theirs.
constexpr unsigned kLoaderThreads = 4;

// The most descriptors this process may hold: a front end holds two per proxied connection.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// What the front end is doing, for the "ready" line.
std::string serving_what(const ServeCommand& command, const Snapshot& snapshot) {
  if (!command.backends.empty()) {
    return std::to_string(command.backends.size()) + " backends" +
           (command.proxy_protocol ? " with PROXY protocol v2" : "");
  }
  return snapshot.state().farms.farms().empty() ? "built-in page (no backend, no web farm)"
                                                : "HTTP proxy to the web farms of the registry";
}

// The control thread: start and stop, the snapshots, the signals, the admin socket and the metrics endpoint. What
// it drives lives elsewhere: the I/O threads (WorkerGroup), the watches (ChangeWatcher), the CCS listing
// (CcsListing), the status document (status_document.hpp).
class Control {
 public:
  Control(const ServeCommand& command, fs::path root, store::Registry& registry)
      : command_(command),
        root_(std::move(root)),
        registry_(registry),
        signals_(io_, SIGTERM, SIGINT, SIGHUP),
        evict_(io_),
        drain_(io_),
        watcher_(io_, [this](const std::string& why) { refresh_ccs(why); }),
        ccs_listing_(io_, seconds(command.ccs_listing_timeout)),
        admin_(io_, command.admin ? fs::path(*command.admin) : default_admin_socket(root_),
               [this](const std::string& line) { return answer_admin(line); }) {}

  Status run() {
    std::signal(SIGPIPE, SIG_IGN);  // a peer that goes away is an error code on write, not a death
    raise_descriptor_limit();
    std::error_code ec;
    fs::create_directories(root_, ec);
    auto state = registry_.load_for_serving();
    if (!state) return cannot_start(Error(ErrorCode::RegistryUnreadable, state.error().detail));
    group_ = std::make_unique<WorkerGroup>(command_, root_, kLoaderThreads);
    auto first = std::make_shared<const Snapshot>(++generation_, std::move(*state), root_, nullptr);
    if (first->tls() == nullptr) {
      return cannot_start(
          Error(ErrorCode::SourceUnavailable, "OpenSSL cannot make a TLS context: " + first->tls_problem()));
    }
    if (auto s = admin_.open(); !s) return cannot_start(s.error());
    if (command_.metrics) {
      metrics_.emplace(io_, *command_.metrics, [this] { return prometheus_text(status()); });
      if (auto s = metrics_->open(); !s) return cannot_start(s.error());
    }
    const unsigned threads =
        command_.threads != 0 ? command_.threads : std::max(1u, std::thread::hardware_concurrency());
    group_->start(threads, [this](const ListenAddress& l, const std::string& why) {
      asio::post(io_, [this, l, why] { report_listen_failure(l, why); });
    });
    publish(std::move(first), "started");
    // The store tells of its changes (the file's inotify watch, etcd's watch); each is applied on this loop.
    registry_.follow([this](const std::string& why) { asio::post(io_, [this, why] { reload(why); }); },
                     [](bool warning, const std::string& line) { log(warning ? Level::Warning : Level::Info, line); });
    log(Level::Info, "ready: " + std::to_string(threads) + " I/O threads, admin socket " + admin_.path().string() +
                         ", " + serving_what(command_, *group_->current()));
    wait_signals();
    schedule_eviction();
    io_.run();
    registry_.unfollow();  // before the loop it posts to goes
    group_->shutdown();
    return Ok{};
  }

 private:
  Status cannot_start(const Error& error) {
    log(Level::Error, "cannot start: " + error.detail);
    return error;
  }

  void publish(std::shared_ptr<const Snapshot> snapshot, const std::string& why) {
    const auto started = std::chrono::steady_clock::now();
    // A farm's ticket keys (none on the file: the process's own) come with its registry.
    TicketKeyRing::process().set(registry_.ticket_keys());
    group_->publish(std::move(snapshot));
    const Snapshot& current = *group_->current();
    std::string ports;
    std::set<std::uint16_t> seen;
    for (const auto& l : current.listeners()) {
      if (seen.insert(l.port).second) ports += (ports.empty() ? "" : ",") + std::to_string(l.port);
    }
    log(Level::Info,
        why + ": generation " + std::to_string(current.generation()) + ", " + std::to_string(current.binding_count()) +
            " bindings from " + current.source() + ", ports " + (ports.empty() ? "(none)" : ports) +
            (current.ccs() ? ", CCS folder " + current.ccs()->folder().string() + ccs_files(*current.ccs())
             : current.ccs_problem().empty() ? ""
                                             : ", CCS unavailable: " + current.ccs_problem()) +
            ", " + std::to_string(current.state().farms.farms().size()) + " web farms, " +
            std::to_string(current.state().farms.routes().size()) + " routes" + " (" +
            std::to_string(
                std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count()) +
            " ms)");
    for (const std::string& problem : current.farm_problems()) log(Level::Warning, problem + " (not used)");
    if (!current.tls_problem().empty()) log(Level::Error, current.tls_problem());
    if (current.ccs() && !current.ccs()->index()) ccs_listing_.list_first(current.ccs(), group_->shared());
    watcher_.follow(current);
  }

  void reload(const std::string& why) {
    auto state = registry_.load_for_serving();
    if (!state) {
      ++reload_failures_;
      log(Level::Warning, "registry not applied, still serving generation " +
                              std::to_string(group_->current()->generation()) + ": " + state.error().detail);
      return;
    }
    // A binding may now name a certificate that was missing before: failures are not remembered across changes.
    group_->shared().cache.forget_negative();
    publish(std::make_shared<const Snapshot>(++generation_, std::move(*state), root_, group_->current().get()), why);
  }

  void refresh_ccs(const std::string& why) { ccs_listing_.refresh(group_->current()->ccs(), group_->shared(), why); }

  void report_listen_failure(const ListenAddress& l, const std::string& why) {
    if (!reported_.insert(l.str() + why).second) return;
    log(Level::Warning,
        "cannot listen on " + l.str() + ": " + why +
            (l.address ? "; its bindings are kept, and reached only if this address becomes local" : ""));
  }

  void schedule_eviction() {
    evict_.expires_after(kEvictEvery);
    evict_.async_wait([this](const asio::error_code& ec) {
      if (ec) return;
      if (const auto gone = group_->shared().cache.evict(std::chrono::steady_clock::now()); gone > 0) {
        log(Level::Info, "certificate cache: " + std::to_string(gone) + " idle entries evicted");
      }
      // OCSP responses due for a refresh are asked for on the loaders; the timer's 30 s is well within their 5 min.
      group_->shared().ocsp.refresh(static_cast<std::int64_t>(std::time(nullptr)));
      group_->shared().crls.evict(static_cast<std::int64_t>(std::time(nullptr)));
      schedule_eviction();
    });
  }

  void wait_signals() {
    signals_.async_wait([this](const asio::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        log(Level::Info, "SIGHUP: reading everything again, reopening the access log");
        if (group_->shared().access_log) group_->shared().access_log->reopen();
        reload("SIGHUP");
        refresh_ccs("SIGHUP");
        return wait_signals();
      }
      stop(signal == SIGTERM ? "SIGTERM" : "SIGINT");
    });
  }

  void stop(const std::string& why) {
    log(Level::Info, why + ": no new connections; draining " + std::to_string(active()) + " for up to " +
                         std::to_string(kDrain.count()) + " s");
    group_->stop_accepting();
    admin_.close();
    if (metrics_) metrics_->close();
    drain_deadline_ = std::chrono::steady_clock::now() + kDrain;
    drain();
  }

  std::int64_t active() const { return group_->shared().stats.active.load(); }

  void drain() {
    if (active() <= 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
      const auto left = active();
      log(Level::Info, "stopped" + (left > 0 ? ", " + std::to_string(left) + " connections cut" : std::string()));
      io_.stop();
      return;
    }
    drain_.expires_after(milliseconds(100));
    drain_.async_wait([this](const asio::error_code& ec) {
      if (!ec) drain();
    });
  }

  std::string answer_admin(const std::string& line) {
    nlohmann::json reply;
    if (line == "status" || line.empty()) {
      reply = status();
    } else if (line == "reload") {
      reload("admin reload");
      refresh_ccs("admin reload");
      reply = {{"status", "ok"}, {"generation", group_->current()->generation()}};
    } else {
      reply = {{"status", "error"}, {"error", "unknown request; the requests are status and reload"}};
    }
    return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  nlohmann::json status() const {
    return status_document({*group_->current(), group_->shared(), root_, group_->threads(), reload_failures_,
                            admin_.dropped(), watcher_.ccs_watched(), watcher_.poll_interval(),
                            ccs_listing_.deadlines_passed(), registry_.follow_status()});
  }

  ServeCommand command_;
  fs::path root_;
  store::Registry& registry_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer evict_, drain_;
  ChangeWatcher watcher_;
  CcsListing ccs_listing_;
  AdminSocket admin_;
  std::optional<MetricsEndpoint> metrics_;
  std::unique_ptr<WorkerGroup> group_;
  std::uint64_t generation_ = 0;
  std::uint64_t reload_failures_ = 0;
  std::set<std::string> reported_;
  std::chrono::steady_clock::time_point drain_deadline_;
};

}  // namespace

fs::path default_admin_socket(const fs::path& root) { return root / "admin.sock"; }

Status run_server(const ServeCommand& command, const fs::path& root, store::Registry& registry) {
  Control control(command, root, registry);
  return control.run();
}

}  // namespace sslbind::serve
