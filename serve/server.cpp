#include "serve/server.hpp"

#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <csignal>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "serve/admin_socket.hpp"
#include "serve/health_checker.hpp"
#include "serve/log.hpp"
#include "serve/metrics.hpp"
#include "serve/shared_state.hpp"
#include "serve/snapshot.hpp"
#include "serve/worker.hpp"
#include "store/file_identity.hpp"

namespace sslbind::serve {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kDebounce{50};
constexpr seconds kDrain{10};
constexpr seconds kEvictEvery{30};
// Half of them may serve one group (a CCS folder, the stores): a hung share leaves the others theirs.
constexpr unsigned kLoaderThreads = 4;

std::int64_t unix_now() {
  return std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// inotify sees changes made on this machine only; a network share is polled (HTTP.SYS's PollingInterval).
bool is_network_file_system(const fs::path& folder) {
  struct statfs fs_info {};
  if (::statfs(folder.c_str(), &fs_info) != 0) return true;
  constexpr long kNfs = 0x6969, kSmb = 0x517B, kCifs = static_cast<long>(0xFF534D42),
                 kSmb2 = static_cast<long>(0xFE534D42);
  const long type = static_cast<long>(fs_info.f_type);
  return type == kNfs || type == kSmb || type == kCifs || type == kSmb2;
}

// The most descriptors this process may hold: a front end holds two per proxied connection.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

class Control {
 public:
  Control(const ServeCommand& command, fs::path root, store::Registry& registry)
      : command_(command),
        root_(std::move(root)),
        registry_(registry),
        signals_(io_, SIGTERM, SIGINT, SIGHUP),
        inotify_(io_),
        debounce_(io_),
        ccs_debounce_(io_),
        poll_(io_),
        evict_(io_),
        drain_(io_),
        ccs_listing_deadline_(io_),
        admin_(io_, command.admin ? fs::path(*command.admin) : default_admin_socket(root_),
               [this](const std::string& line) { return answer_admin(line); }) {}

  int run() {
    std::signal(SIGPIPE, SIG_IGN);  // a peer that goes away is an error code on write, not a death
    raise_descriptor_limit();
    std::error_code ec;
    fs::create_directories(root_, ec);
    auto state = registry_.load_for_serving();
    if (!state) {
      log(Level::Error, "cannot start: " + state.error().detail);
      return 3;
    }
    const unsigned threads =
        command_.threads != 0 ? command_.threads : std::max(1u, std::thread::hardware_concurrency());
    shared_ = std::make_unique<SharedState>(command_, root_, kLoaderThreads);
    health_checker_ = std::make_unique<HealthChecker>(shared_->health);
    if (shared_->tls == nullptr) {
      log(Level::Error, "cannot start: OpenSSL cannot make a TLS context");
      return 1;
    }
    if (auto s = admin_.open(); !s) {
      log(Level::Error, "cannot start: " + s.error().detail);
      return s.error().code == ErrorCode::InvalidParameter ? 2 : 1;
    }
    if (command_.metrics) {
      metrics_.emplace(io_, *command_.metrics, [this] { return prometheus_text(status()); });
      if (auto s = metrics_->open(); !s) {
        log(Level::Error, "cannot start: " + s.error().detail);
        return 1;
      }
    }
    for (unsigned i = 0; i < threads; ++i) {
      workers_.push_back(std::make_unique<Worker>(*shared_, i, [this](const ListenAddress& l, const std::string& why) {
        asio::post(io_, [this, l, why] { report_listen_failure(l, why); });
      }));
      workers_.back()->start();
    }
    watch_root();  // before the first snapshot, which adds the CCS folder to the same watch
    publish(std::make_shared<const Snapshot>(++generation_, std::move(*state), root_, nullptr), "started");
    log(Level::Info, "ready: " + std::to_string(threads) + " I/O threads, admin socket " + admin_.path().string() +
                         (!command_.backends.empty() ? ", " + std::to_string(command_.backends.size()) + " backends" +
                                                           (command_.proxy_protocol ? " with PROXY protocol v2" : "")
                          : current_->state().farms.farms().empty() ? ", built-in page (no backend, no web farm)"
                                                                    : ", HTTP proxy to the web farms of the registry"));
    wait_signals();
    schedule_eviction();
    io_.run();
    shutdown();
    return 0;
  }

 private:
  // --- snapshots ---

  void publish(std::shared_ptr<const Snapshot> snapshot, const std::string& why) {
    const auto started = std::chrono::steady_clock::now();
    current_ = std::move(snapshot);
    for (auto& w : workers_) w->publish(current_);
    if (health_checker_) health_checker_->use(current_);
    std::string ports;
    std::set<std::uint16_t> seen;
    for (const auto& l : current_->listeners()) {
      if (seen.insert(l.port).second) ports += (ports.empty() ? "" : ",") + std::to_string(l.port);
    }
    log(Level::Info,
        why + ": generation " + std::to_string(current_->generation()) + ", " +
            std::to_string(current_->binding_count()) + " bindings from " + current_->source() + ", ports " +
            (ports.empty() ? "(none)" : ports) +
            (current_->ccs() ? ", CCS folder " + current_->ccs()->folder().string() + ccs_files(*current_->ccs())
             : current_->ccs_problem().empty() ? ""
                                               : ", CCS unavailable: " + current_->ccs_problem()) +
            ", " + std::to_string(current_->state().farms.farms().size()) + " web farms, " +
            std::to_string(current_->state().farms.routes().size()) + " routes" + " (" +
            std::to_string(
                std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count()) +
            " ms)");
    for (const std::string& problem : current_->farm_problems()) log(Level::Warning, problem + " (not used)");
    if (current_->ccs() && !current_->ccs()->index()) list_ccs(current_->ccs());
    watch_ccs();
    schedule_poll();
  }

  static std::string ccs_files(const store::CcsProvider& ccs) {
    const auto listing = ccs.index();
    return listing ? " with " + std::to_string(listing->pfx_files().size()) + " files" : " (being listed)";
  }

  // The first listing of a CCS folder, on a loader thread: handshakes go on meanwhile (see find_ccs_file).
  void list_ccs(const std::shared_ptr<store::CcsProvider>& ccs) {
    const auto started = std::chrono::steady_clock::now();
    // Past the deadline no handshake waits for this listing any more; it goes on in the background.
    ccs_listing_deadline_.expires_after(seconds(command_.ccs_listing_timeout));
    ccs_listing_deadline_.async_wait([this, ccs](const asio::error_code& ec) {
      if (ec || !ccs->mark_listing_overdue()) return;
      ++listing_deadlines_;
      log(Level::Warning, "CCS folder " + ccs->folder().string() + " not listed within " +
                              std::to_string(command_.ccs_listing_timeout) +
                              " s: names without a lower-case file fall through until the listing ends");
    });
    // For the tests of that deadline only: a listing made slow on purpose, as a hung share would make it.
    const char* delay = std::getenv("SSLBIND_TEST_CCS_LISTING_DELAY_MS");
    const auto slow = milliseconds(delay != nullptr ? std::atoi(delay) : 0);
    // Its own group and no deadline: a slow listing goes on in the background, never in the way of the loads.
    const bool queued = shared_->loaders.submit(
        {[this, ccs, started, slow]() -> LoaderPool::Delivery {
           if (slow.count() > 0) std::this_thread::sleep_for(slow);
           auto listed = std::make_shared<Result<store::CcsFolderIndex>>(store::CcsFolderIndex::list(ccs->folder()));
           return [this, ccs, listed, started] {
             const Status s = ccs->install(std::move(*listed));  // on the delivery thread: it wakes waiting handshakes
             const auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
             asio::post(io_, [ccs, s, took] {
               if (s)
                 log(Level::Info, "CCS folder " + ccs->folder().string() + " listed" + ccs_files(*ccs) + " (" +
                                      std::to_string(took.count()) + " ms)");
               else
                 log(Level::Warning, "CCS unavailable: " + s.error().detail);
             });
           };
         },
         "ccs listing",
         {}});
    if (queued) return;
    if (auto s = ccs->refresh(); !s) log(Level::Warning, "CCS unavailable: " + s.error().detail);  // loaders full
  }

  void reload(const std::string& why) {
    auto state = registry_.load_for_serving();
    if (!state) {
      ++reload_failures_;
      log(Level::Warning, "registry not applied, still serving generation " + std::to_string(current_->generation()) +
                              ": " + state.error().detail);
      return;
    }
    // A binding may now name a certificate that was missing before: failures are not remembered across changes.
    shared_->cache.forget_negative();
    publish(std::make_shared<const Snapshot>(++generation_, std::move(*state), root_, current_.get()), why);
  }

  void report_listen_failure(const ListenAddress& l, const std::string& why) {
    if (!reported_.insert(l.str() + why).second) return;
    log(Level::Warning,
        "cannot listen on " + l.str() + ": " + why +
            (l.address ? "; its bindings are kept, and reached only if this address becomes local" : ""));
  }

  // --- watching the registry and the CCS folder ---

  void watch_root() {
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
      log(Level::Warning, "inotify is unavailable: registry changes are applied on SIGHUP only");
      return;
    }
    inotify_.assign(fd);
    // The CLI commits by rename (IN_MOVED_TO); a file written in place closes (IN_CLOSE_WRITE).
    root_watch_ = ::inotify_add_watch(fd, root_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE);
    read_events();
  }

  void watch_ccs() {
    const auto& ccs = current_->ccs();
    const fs::path folder = ccs ? ccs->folder() : fs::path();
    if (folder == watched_ccs_folder_) return;
    if (ccs_watch_ >= 0) ::inotify_rm_watch(inotify_.native_handle(), ccs_watch_);
    ccs_watch_ = -1;
    watched_ccs_folder_ = folder;
    if (!ccs || !inotify_.is_open()) return;
    if (is_network_file_system(folder)) {
      log(Level::Info, "CCS folder " + folder.string() + " is a network share: polled every " +
                           std::to_string(poll_interval().count()) + " s");
      return;
    }
    ccs_watch_ = ::inotify_add_watch(inotify_.native_handle(), folder.c_str(),
                                     IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM | IN_CREATE);
  }

  void read_events() {
    inotify_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const asio::error_code& ec) {
      if (ec) return;
      alignas(inotify_event) char buffer[8192];
      bool registry = false;
      bool ccs = false;
      while (true) {
        const ssize_t n = ::read(inotify_.native_handle(), buffer, sizeof buffer);
        if (n <= 0) break;
        for (ssize_t at = 0; at < n;) {
          const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
          const std::string name = e->len > 0 ? e->name : "";
          if (e->wd == root_watch_ && name == "registry.json") registry = true;
          if (e->wd == ccs_watch_) ccs = true;
          if ((e->mask & IN_Q_OVERFLOW) != 0) registry = ccs = true;
          at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
        }
      }
      // A burst of changes (a batch, a copy of many .pfx files) becomes one reload.
      if (registry) {
        debounce_.expires_after(kDebounce);
        debounce_.async_wait([this](const asio::error_code& e) {
          if (!e) reload("registry changed");
        });
      }
      if (ccs) {
        ccs_debounce_.expires_after(kDebounce);
        ccs_debounce_.async_wait([this](const asio::error_code& e) {
          if (!e) refresh_ccs("CCS folder changed");
        });
      }
      read_events();
    });
  }

  seconds poll_interval() const {
    const auto& config = current_->state().ccs_provider;
    return seconds(config ? std::max<std::uint32_t>(1, config->polling_interval) : kDefaultCcsPollingInterval);
  }

  void schedule_poll() {
    if (!current_->ccs()) return;
    poll_.expires_after(poll_interval());
    poll_.async_wait([this](const asio::error_code& ec) {
      if (ec) return;
      refresh_ccs("");
      schedule_poll();
    });
  }

  // Lists the folder again (new and removed files) and forgets cached certificates whose file changed.
  void refresh_ccs(const std::string& why) {
    const auto& ccs = current_->ccs();
    if (!ccs) return;
    if (auto s = ccs->refresh(); !s) {
      log(Level::Warning, "CCS folder not re-listed, the last listing stays in use: " + s.error().detail);
      return;
    }
    // A file that changed (or could not be served, and may be fixed now) is read again on its next handshake.
    std::size_t changed = 0;
    for (const auto& [source, objects] : shared_->cache.entries(CertSource::Kind::Ccs)) {
      if (objects && store::identity_of(ccs->folder() / source.name) == objects->file_identity()) continue;
      shared_->cache.forget(source);
      ++changed;
    }
    if (!why.empty() || changed > 0) {
      log(Level::Info, (why.empty() ? std::string("CCS folder polled") : why) + ": " +
                           std::to_string(ccs->index()->pfx_files().size()) + " files, " + std::to_string(changed) +
                           " cached entries to read again");
    }
  }

  void schedule_eviction() {
    evict_.expires_after(kEvictEvery);
    evict_.async_wait([this](const asio::error_code& ec) {
      if (ec) return;
      if (const auto gone = shared_->cache.evict(std::chrono::steady_clock::now()); gone > 0) {
        log(Level::Info, "certificate cache: " + std::to_string(gone) + " idle entries evicted");
      }
      schedule_eviction();
    });
  }

  // --- signals and stopping ---

  void wait_signals() {
    signals_.async_wait([this](const asio::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        log(Level::Info, "SIGHUP: reading everything again, reopening the access log");
        if (shared_->access_log) shared_->access_log->reopen();
        reload("SIGHUP");
        refresh_ccs("SIGHUP");
        return wait_signals();
      }
      stop(signal == SIGTERM ? "SIGTERM" : "SIGINT");
    });
  }

  void stop(const std::string& why) {
    log(Level::Info, why + ": no new connections; draining " + std::to_string(shared_->stats.active.load()) +
                         " for up to " + std::to_string(kDrain.count()) + " s");
    for (auto& w : workers_) w->stop_accepting();
    admin_.close();
    if (metrics_) metrics_->close();
    drain_deadline_ = std::chrono::steady_clock::now() + kDrain;
    drain();
  }

  void drain() {
    if (shared_->stats.active.load() <= 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
      const auto left = shared_->stats.active.load();
      log(Level::Info, "stopped" + (left > 0 ? ", " + std::to_string(left) + " connections cut" : std::string()));
      io_.stop();
      return;
    }
    drain_.expires_after(milliseconds(100));
    drain_.async_wait([this](const asio::error_code& ec) {
      if (!ec) drain();
    });
  }

  void shutdown() {
    // Loops first, then loaders (their last results post to stopped loops), then connections, then shared state.
    for (auto& w : workers_) w->stop();
    shared_->loaders.stop();
    workers_.clear();
    shared_.reset();
  }

  // --- the admin socket ---

  std::string answer_admin(const std::string& line) {
    nlohmann::json reply;
    if (line == "status" || line.empty()) {
      reply = status();
    } else if (line == "reload") {
      reload("admin reload");
      refresh_ccs("admin reload");
      reply = {{"status", "ok"}, {"generation", current_->generation()}};
    } else {
      reply = {{"status", "error"}, {"error", "unknown request; the requests are status and reload"}};
    }
    return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  nlohmann::json status() const {
    const auto now = std::chrono::system_clock::now();
    nlohmann::json listeners = nlohmann::json::array();
    for (const auto& l : current_->listeners()) listeners.push_back(l.str());
    nlohmann::json backends = nlohmann::json::array();
    const auto steady =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    for (std::size_t i = 0; i < command_.backends.size(); ++i) {
      backends.push_back(
          {{"address", command_.backends[i].str()}, {"up", shared_->health.up(command_.backends[i].str(), steady)}});
    }
    // Per farm of the current snapshot, its servers' counters (a server in two farms counts once for both).
    const nlohmann::json workers = shared_->health.to_json(steady);
    nlohmann::json farms = nlohmann::json::array();
    for (const auto& [key, farm] : current_->state().farms.farms()) {
      nlohmann::json servers = nlohmann::json::array();
      std::uint64_t requests = 0;
      std::uint64_t failures = 0;
      for (const FarmServer& server : farm.servers) {
        const std::string name = server.str();
        const bool seen = workers.contains(name);
        const bool up = seen ? workers[name]["up"].get<bool>() : true;
        const std::uint64_t r = seen ? workers[name]["requests"].get<std::uint64_t>() : 0;
        const std::uint64_t f = seen ? workers[name]["failures"].get<std::uint64_t>() : 0;
        servers.push_back({{"server", name}, {"up", up}, {"requests", r}, {"failures", f}});
        requests += r;
        failures += f;
      }
      farms.push_back({{"name", farm.name}, {"requests", requests}, {"failures", failures}, {"servers", servers}});
    }
    nlohmann::json ccs = nullptr;
    if (const auto& provider = current_->ccs()) {
      const auto listing = provider->index();
      ccs = {{"folder", provider->folder().string()},
             {"listed", listing != nullptr},
             {"files", listing ? listing->pfx_files().size() : 0},
             {"pollingInterval", poll_interval().count()},
             {"watched", ccs_watch_ >= 0},
             {"listingOverdue", provider->listing_overdue()},
             {"listingDeadlines", listing_deadlines_}};
      if (auto problem = provider->listing_problem()) ccs["error"] = *problem;
    } else if (!current_->ccs_problem().empty()) {
      ccs = {{"error", current_->ccs_problem()}};
    }
    return {{"status", "ok"},
            {"pid", ::getpid()},
            {"root", root_.string()},
            {"generation", current_->generation()},
            {"snapshotAgeSeconds", std::chrono::duration_cast<seconds>(now - current_->built()).count()},
            {"reloadFailures", reload_failures_},
            {"adminDropped", admin_.dropped()},
            {"bindings", current_->binding_count()},
            {"threads", workers_.size()},
            {"listeners", listeners},
            {"connections", shared_->stats.to_json()},
            {"backends", backends},
            {"webWorkers", workers},
            {"webFarms", farms},
            {"ccs", ccs},
            {"cache", shared_->cache.status(unix_now())}};
  }

  ServeCommand command_;
  fs::path root_;
  store::Registry& registry_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::posix::stream_descriptor inotify_;
  asio::steady_timer debounce_, ccs_debounce_, poll_, evict_, drain_, ccs_listing_deadline_;
  AdminSocket admin_;
  std::optional<MetricsEndpoint> metrics_;
  std::unique_ptr<SharedState> shared_;
  std::unique_ptr<HealthChecker> health_checker_;  // after shared_: it is stopped first
  std::vector<std::unique_ptr<Worker>> workers_;
  std::shared_ptr<const Snapshot> current_;
  std::uint64_t generation_ = 0;
  std::uint64_t reload_failures_ = 0;
  std::uint64_t listing_deadlines_ = 0;  // first CCS listings that passed their deadline
  int root_watch_ = -1;
  int ccs_watch_ = -1;
  fs::path watched_ccs_folder_;
  std::set<std::string> reported_;
  std::chrono::steady_clock::time_point drain_deadline_;
};

}  // namespace

fs::path default_admin_socket(const fs::path& root) { return root / "admin.sock"; }

int run_server(const ServeCommand& command, const fs::path& root, store::Registry& registry) {
  Control control(command, root, registry);
  return control.run();
}

}  // namespace sslbind::serve
