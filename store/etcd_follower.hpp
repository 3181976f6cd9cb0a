#pragma once
// A front end's view of a farm's registry on etcd (docs/registry.md, "serve on etcd"): listed once at one revision,
// then watched from the next. Each revision the watch delivers is applied whole, decoding only the keys it changed,
// and the front end is told; a compaction, a cluster that is not the one listed, or a revision that went back (an
// etcd restored from an older backup) makes it list again and say why, never go on silently. While etcd is away the
// last applied state goes on being served, and every applied revision is written to a local copy, so that a front
// end started during an outage serves that copy. Runs on a thread of its own; the front end reads current().
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "store/compiled_registry.hpp"
#include "store/etcd_binding_table.hpp"
#include "store/etcd_client.hpp"
#include "store/registry.hpp"

namespace sslbind::store {

class EtcdFollower {
 public:
  using Changed = std::function<void(const std::string& why)>;
  // A line for the front end's log: `warning` says the state is degraded (etcd away, a resync).
  using Report = std::function<void(bool warning, const std::string& line)>;

  // `presence`: a client of its own for publishing what this front end applied under `presence_key`, with a lease
  // that ends when it stops (or, if it dies, 15 s later).
  // `root`: where the farm key is (to open and seal the ticket keys); empty: no ticket keys.
  EtcdFollower(EtcdClient client, EtcdClient presence, std::string prefix, std::string presence_key,
               std::string location, std::filesystem::path copy_file, std::filesystem::path root);
  ~EtcdFollower();  // stops and joins the thread
  EtcdFollower(const EtcdFollower&) = delete;
  EtcdFollower& operator=(const EtcdFollower&) = delete;

  // The first state: listed from etcd, else the local copy (reported); an error when there is neither.
  Result<ServingState> start();
  // Follows from the state start() gave; `changed` and `report` are called on the follower's thread.
  void follow(Changed changed, Report report);
  void stop();
  ServingState current() const;
  // The farm's session-ticket keys, newest first (80 bytes each); empty until there are some this front end can open.
  std::vector<std::string> ticket_keys() const;
  static constexpr std::int64_t kTicketRotation = 12 * 3600;  // a new key every 12 hours; three are kept
  nlohmann::json status() const;

 private:
  // The farm's settings (the config key), always decoded: every snapshot takes them. Its bindings are empty.
  struct Config {
    RegistryState state;
    nlohmann::json rest;
  };
  // The bindings decoded, for the local copy only, which is compiled from them. Decoded whole when the copy is first
  // saved after a list that replaced everything, then kept current key by key. The follower's thread alone uses them.
  struct CopyBindings {
    BindingSet set;
    std::map<std::string, BindingKey> keys;  // by etcd key
    bool current = false;
  };
  // The values, copied first when a snapshot still holds them (mutex_ held): tables share them otherwise.
  EtcdValues& values_to_change();
  // Takes a new value of a key (null: deleted) into the values, the settings and the copy's bindings. mutex_ held.
  void apply(const std::string& key, std::shared_ptr<const std::string> value, std::vector<std::string>& problems);
  // The settings from the config key of kvs_; mutex_ held.
  void decode_config(std::vector<std::string>& problems);
  void decode_copy_bindings();    // the follower's thread; not under mutex_
  Status list(std::string& why);  // re-lists and replaces everything
  void watch();                   // until the stream ends, or a resync is needed
  void run();
  void save_copy();
  void write_copy();  // the copy and its compiled form, now
  // Each revision marks the copy behind; it is saved at most once a second (and a fifth of the time), and whenever
  // the watch falls quiet or stops, so that a stream of changes at 100k bindings is not slowed by rewriting and
  // compiling the copy each time.
  void save_copy_soon();
  void save_copy_if_behind();
  Result<bool> read_copy();
  bool open_compiled_copy();            // true: serving it until the first list
  ServingState current_locked() const;  // mutex_ held
  void rest_a_while(std::chrono::milliseconds how_long);
  void told(bool warning, const std::string& line);
  void publish_presence();                                                  // the presence thread
  void take_tickets(const std::string& sealed, std::int64_t mod_revision);  // mutex_ held
  void rotate_tickets();

  EtcdClient client_;
  EtcdClient presence_client_;
  const std::string prefix_;
  const std::string presence_key_;
  const std::string location_;
  const std::filesystem::path copy_file_;
  const std::filesystem::path compiled_file_;  // the copy compiled (<farm>.idx), stamped with the copy's identity
  const std::filesystem::path root_;
  Changed changed_;
  Report report_;

  mutable std::mutex mutex_;                                          // guards what current() and status() read
  std::shared_ptr<EtcdValues> kvs_ = std::make_shared<EtcdValues>();  // never null; the tickets key is not in it
  std::size_t binding_count_ = 0;                                     // binding keys in kvs_
  Config config_;
  CopyBindings copy_bindings_;
  // A restart's first state: the compiled local copy, mapped, so that a front end serves in milliseconds whatever
  // the farm's size; served until the first list succeeds.
  std::shared_ptr<const CompiledRegistry> compiled_;
  RegistryState compiled_rest_;
  std::int64_t revision_ = 0;
  std::string cluster_id_;
  bool synced_ = false;
  bool from_copy_ = false;
  bool connected_ = false;
  std::int64_t last_contact_ = 0;  // unix seconds
  std::uint64_t resyncs_ = 0, revisions_applied_ = 0;
  struct ListFacts {
    std::size_t keys = 0, applied = 0;  // listed; decoded and applied
    bool only_differences = false;      // the keys that differed from the state held, rather than all of them
  } last_list_;
  std::string last_problem_;
  std::chrono::steady_clock::time_point copy_saved_at_{};  // the follower's thread alone reads and writes these three
  std::chrono::steady_clock::duration copy_took_{};        // the last save's
  bool copy_behind_ = false;
  std::int64_t copy_revision_ = 0;     // the revision the local copy on disk holds; 0: none saved by this process
  std::vector<std::string> tickets_;   // newest first
  std::int64_t tickets_created_ = 0;   // the newest one's
  std::int64_t tickets_revision_ = 0;  // the key's mod_revision; 0: none yet
  std::string tickets_problem_;

  std::atomic<bool> stopping_{false};
  std::mutex wait_mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  std::thread presence_thread_;
};

}  // namespace sslbind::store
