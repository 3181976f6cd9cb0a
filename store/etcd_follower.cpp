#include "store/etcd_follower.hpp"

#include <openssl/rand.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>

#include "store/atomic_file.hpp"
#include "store/etcd_layout.hpp"
#include "store/file_identity.hpp"
#include "store/registry_codec.hpp"
#include "store/sealed_secret.hpp"

namespace sslbind::store {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxCopy = 1024 * 1024 * 1024;
constexpr int kSliceMs = 500;              // how often a waiting read looks at stopping_
constexpr std::int64_t kIdleSeconds = 30;  // a watch silent this long is opened again (and etcd's revision checked)
// While changes flow, the local copy is saved at most once a second, and never more than a fifth of the time: at 100k
// bindings a save (the JSON copy and its compiled form) takes about half a second of a core, which three front ends on
// two cores would otherwise spend instead of applying the changes.
constexpr auto kCopyEvery = std::chrono::seconds(1);
constexpr int kCopyShare = 5;

std::int64_t unix_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::int64_t number(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) return 0;
  if (it->is_string()) return std::atoll(it->get_ref<const std::string&>().c_str());
  return it->is_number() ? it->get<std::int64_t>() : 0;
}

std::string text_of(const json& j, const char* name) {
  const auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Takes the complete chunks of a chunked body off the front of `in` and appends their bytes to `out`; false once
// the last chunk came or the framing is broken.
bool take_chunks(std::string& in, std::string& out) {
  while (true) {
    const std::size_t line_end = in.find("\r\n");
    if (line_end == std::string::npos) return in.size() < 64;
    std::size_t size = 0;
    const auto [end, ec] = std::from_chars(in.data(), in.data() + line_end, size, 16);
    if (ec != std::errc() || end != in.data() + line_end) return false;
    if (size == 0) return false;
    if (in.size() < line_end + 2 + size + 2) return true;
    out.append(in, line_end + 2, size);
    in.erase(0, line_end + 2 + size + 2);
  }
}

}  // namespace

EtcdFollower::EtcdFollower(EtcdClient client, EtcdClient presence, std::string prefix, std::string presence_key,
                           std::string location, std::filesystem::path copy_file, std::filesystem::path root)
    : client_(std::move(client)),
      presence_client_(std::move(presence)),
      prefix_(std::move(prefix)),
      presence_key_(std::move(presence_key)),
      location_(std::move(location)),
      copy_file_(std::move(copy_file)),
      compiled_file_(copy_file_.empty() ? std::filesystem::path()
                                        : std::filesystem::path(copy_file_).replace_extension(".idx")),
      root_(std::move(root)) {}

EtcdFollower::~EtcdFollower() { stop(); }

void EtcdFollower::stop() {
  stopping_ = true;
  { std::lock_guard lock(wait_mutex_); }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (presence_thread_.joinable()) presence_thread_.join();
}

void EtcdFollower::told(bool warning, const std::string& line) {
  if (report_) report_(warning, line);
}

void EtcdFollower::rest_a_while(std::chrono::milliseconds how_long) {
  std::unique_lock lock(wait_mutex_);
  wake_.wait_for(lock, how_long, [this] { return stopping_.load(); });
}

EtcdValues& EtcdFollower::values_to_change() {
  if (kvs_.use_count() > 1) kvs_ = std::make_shared<EtcdValues>(*kvs_);
  return *kvs_;
}

void EtcdFollower::decode_config(std::vector<std::string>& problems) {
  const std::string key = etcd::config_key(prefix_);
  Config config{RegistryState{}, empty_document()};
  if (const auto it = kvs_->find(key); it != kvs_->end()) {
    if (auto s = etcd::decode_config(key, *it->second, config.state, config.rest); !s) {
      return problems.push_back(s.error().detail);  // the last good settings stay
    }
  }
  config_ = std::move(config);
}

void EtcdFollower::decode_copy_bindings() {
  std::shared_ptr<const EtcdValues> values;
  {
    std::lock_guard lock(mutex_);
    values = kvs_;
  }
  CopyBindings decoded;
  std::vector<std::string> problems;
  for (const auto& [key, value] : *values) {
    const etcd::KeyName name = etcd::name_of(prefix_, key);
    if (name.kind == etcd::KeyName::Kind::Foreign) problems.push_back("key " + key + " is not one sslbind writes");
    if (name.kind != etcd::KeyName::Kind::Binding) continue;
    auto binding = etcd::decode_binding_key(name, key, *value);
    if (!binding) {
      problems.push_back(binding.error().detail);
      continue;
    }
    const BindingKey bkey = binding->key;
    if (auto s = decoded.set.add(std::move(*binding)); s) decoded.keys.emplace(key, bkey);
  }
  decoded.current = true;
  copy_bindings_ = std::move(decoded);
  for (const std::string& p : problems) told(true, location_ + ": " + p + " (skipped)");
}

void EtcdFollower::apply(const std::string& key, std::shared_ptr<const std::string> value,
                         std::vector<std::string>& problems) {
  const etcd::KeyName name = etcd::name_of(prefix_, key);
  EtcdValues& values = values_to_change();
  const bool had = values.erase(key) > 0;
  if (value != nullptr) values.emplace(key, value);
  switch (name.kind) {
    case etcd::KeyName::Kind::Binding: {
      binding_count_ = binding_count_ - (had ? 1 : 0) + (value != nullptr ? 1 : 0);
      if (!copy_bindings_.current) return;  // decoded whole before the copy is saved
      if (const auto it = copy_bindings_.keys.find(key); it != copy_bindings_.keys.end()) {
        (void)copy_bindings_.set.remove(it->second);
        copy_bindings_.keys.erase(it);
      }
      if (value == nullptr) return;
      auto binding = etcd::decode_binding_key(name, key, *value);
      if (!binding) return problems.push_back(binding.error().detail);
      const BindingKey bkey = binding->key;
      if (auto s = copy_bindings_.set.add(std::move(*binding)); s) copy_bindings_.keys.emplace(key, bkey);
      return;
    }
    case etcd::KeyName::Kind::Config: return decode_config(problems);
    case etcd::KeyName::Kind::Counter:
    case etcd::KeyName::Kind::Tickets: return;
    case etcd::KeyName::Kind::Foreign: return problems.push_back("key " + key + " is not one sslbind writes");
  }
}

Status EtcdFollower::list(std::string& why) {
  auto range = client_.range_prefix(prefix_);
  if (!range) return range.error();
  auto kvs = std::make_shared<EtcdValues>();
  kvs->reserve(range->kvs.size());
  const EtcdKeyValue* tickets = nullptr;
  std::size_t bindings = 0;
  for (EtcdKeyValue& kv : range->kvs) {
    const etcd::KeyName::Kind kind = etcd::name_of(prefix_, kv.key).kind;
    if (kind == etcd::KeyName::Kind::Tickets) {
      tickets = &kv;
      continue;
    }
    if (kind == etcd::KeyName::Kind::Binding) ++bindings;
    kvs->emplace(std::move(kv.key), std::make_shared<const std::string>(std::move(kv.value)));
  }
  // Only this thread writes kvs_, so it reads it unlocked. After a compaction or a reconnection most keys are as
  // they were: the keys that differ are applied one by one, as the watch would have; when most differ (the first
  // list, a restored backup), the listing replaces everything, and the copy's bindings are decoded afresh later.
  std::vector<std::pair<std::string, std::shared_ptr<const std::string>>> differences;  // null: deleted
  if (!kvs_->empty()) {
    for (const auto& [key, value] : *kvs) {
      const auto it = kvs_->find(key);
      if (it == kvs_->end() || *it->second != *value) differences.emplace_back(key, value);
    }
    for (const auto& [key, value] : *kvs_) {
      if (!kvs->contains(key)) differences.emplace_back(key, nullptr);
    }
  }
  const bool incremental = !kvs_->empty() && differences.size() <= kvs->size() / 2;
  std::vector<std::string> problems;
  {
    std::lock_guard lock(mutex_);
    if (incremental) {
      for (const auto& [key, value] : differences) apply(key, value, problems);
      last_list_ = {kvs->size(), differences.size(), true};
    } else {
      last_list_ = {kvs->size(), kvs->size(), false};
      kvs_ = std::move(kvs);
      binding_count_ = bindings;
      copy_bindings_.current = false;
      decode_config(problems);
    }
    if (tickets != nullptr) take_tickets(tickets->value, tickets->mod_revision);
    if (!cluster_id_.empty() && range->cluster_id != cluster_id_) {
      why = "etcd's cluster is not the one followed (id " + cluster_id_ + ", now " + range->cluster_id +
            "): listed again at revision " + std::to_string(range->revision);
      ++resyncs_;
    } else if (range->revision < revision_) {
      why = "etcd's revision went back from " + std::to_string(revision_) + " to " + std::to_string(range->revision) +
            " (restored from an older backup?): listed again";
      ++resyncs_;
    }
    compiled_.reset();
    compiled_rest_ = RegistryState{};
    revision_ = range->revision;
    cluster_id_ = range->cluster_id;
    synced_ = true;
    from_copy_ = false;
    connected_ = true;
    last_contact_ = unix_now();
    last_problem_ = problems.empty() ? std::string() : problems.front();
  }
  for (const std::string& p : problems) told(true, location_ + ": " + p + " (skipped)");
  copy_behind_ = true;  // saved by the follower's thread when the watch falls quiet, off the start's path
  return Ok{};
}

void EtcdFollower::save_copy_soon() {
  copy_behind_ = true;
  const auto since = std::chrono::steady_clock::now() - copy_saved_at_;
  if (since >= kCopyEvery && since >= kCopyShare * copy_took_) save_copy();
}

void EtcdFollower::save_copy_if_behind() {
  if (copy_behind_) save_copy();
}

void EtcdFollower::save_copy() {
  copy_behind_ = false;
  copy_saved_at_ = std::chrono::steady_clock::now();
  write_copy();
  copy_took_ = std::chrono::steady_clock::now() - copy_saved_at_;
}

void EtcdFollower::write_copy() {
  if (copy_file_.empty()) return;
  if (!copy_bindings_.current) decode_copy_bindings();
  json copy;
  std::shared_ptr<const EtcdValues> values;
  RegistryState others;
  json document;
  {
    std::lock_guard lock(mutex_);
    copy = {{"location", location_}, {"revision", revision_}, {"clusterId", cluster_id_}, {"savedAt", unix_now()}};
    values = kvs_;
    others = config_.state;
    document = config_.rest.is_object() ? config_.rest : empty_document();
  }
  json& kvs = copy["kvs"] = json::object();
  for (const auto& [key, value] : *values) kvs[key] = *value;
  const BindingSet& bindings = copy_bindings_.set;
  // What the compiled copy is of, so that a restart knows it without reading the copy itself.
  document["farmCopy"] = {{"location", location_}, {"revision", copy["revision"]}, {"clusterId", copy["clusterId"]}};
  const std::string rest = write_registry(others, document);
  std::error_code ec;
  std::filesystem::create_directories(copy_file_.parent_path(), ec);
  // As the registry file's commit: the compiled copy is stamped with the identity the new copy has before it takes
  // its name, so a restart never maps one that belongs to another copy.
  const Status saved = replace_file(copy_file_, copy.dump(), 0600, [&](const FileIdentity& identity) -> Status {
    const auto compiled = compile_registry(bindings, rest, identity);
    if (!compiled) {
      ::unlink(compiled_file_.c_str());  // too large to compile: a restart reads the copy whole
      return Ok{};
    }
    return replace_rebuildable_file(compiled_file_, *compiled, 0600);
  });
  if (!saved) return told(true, "local copy not saved: " + saved.error().detail);
  std::lock_guard lock(mutex_);
  copy_revision_ = copy["revision"].get<std::int64_t>();
}

bool EtcdFollower::open_compiled_copy() {
  if (compiled_file_.empty()) return false;
  const auto identity = identity_of(copy_file_);
  if (!identity) return false;
  auto compiled = CompiledRegistry::open(compiled_file_, *identity);
  if (!compiled) return false;
  json document;
  auto rest = read_registry((*compiled)->rest(), document);
  if (!rest) return false;
  const json about = document.value("farmCopy", json::object());
  if (text_of(about, "location") != location_) return false;  // a copy of another etcd's farm of that name
  std::lock_guard lock(mutex_);
  compiled_ = std::move(*compiled);
  compiled_rest_ = std::move(*rest);
  revision_ = number(about, "revision");
  cluster_id_ = text_of(about, "clusterId");
  from_copy_ = true;
  synced_ = false;
  return true;
}

Result<bool> EtcdFollower::read_copy() {
  if (copy_file_.empty()) return false;
  auto file = read_whole_file(copy_file_, kMaxCopy, FollowLinks::No);
  if (!file) return file.error();
  if (!file->exists) return false;
  const json copy = json::parse(file->text, nullptr, false);
  if (!copy.is_object() || !copy.contains("kvs") || !copy["kvs"].is_object()) {
    return Error(ErrorCode::RegistryUnreadable, "the local copy " + copy_file_.string() + " is not one sslbind wrote");
  }
  auto kvs = std::make_shared<EtcdValues>();
  std::size_t bindings = 0;
  for (const auto& [key, value] : copy["kvs"].items()) {
    if (!value.is_string()) continue;
    if (etcd::name_of(prefix_, key).kind == etcd::KeyName::Kind::Binding) ++bindings;
    kvs->emplace(key, std::make_shared<const std::string>(value.get<std::string>()));
  }
  std::vector<std::string> problems;
  {
    std::lock_guard lock(mutex_);
    kvs_ = std::move(kvs);
    binding_count_ = bindings;
    copy_bindings_.current = false;
    decode_config(problems);
    revision_ = number(copy, "revision");
    cluster_id_ = text_of(copy, "clusterId");
    from_copy_ = true;
    synced_ = false;
  }
  for (const std::string& p : problems) told(true, location_ + ": " + p + " (skipped)");
  return true;
}

Result<ServingState> EtcdFollower::start() {
  // A restart with a compiled local copy serves it at once; the follower's thread lists the farm and replaces it.
  // One small read first, so that what a list would refuse (a wrong password, a certificate) still stops the start.
  if (open_compiled_copy()) {
    auto probe =
        client_.call("/v3/kv/range", {{"key", EtcdClient::b64(etcd::counter_key(prefix_))}, {"count_only", true}});
    if (!probe && probe.error().code != ErrorCode::RegistryUnavailable) return probe.error();
    std::lock_guard lock(mutex_);
    if (!probe) last_problem_ = probe.error().detail;
    return current_locked();
  }
  std::string why;
  const Status listed = list(why);
  if (listed) return current();
  if (listed.error().code != ErrorCode::RegistryUnavailable) return listed.error();
  auto copy = read_copy();
  if (!copy) return copy.error();
  if (!*copy) {
    return Error(ErrorCode::RegistryUnavailable, listed.error().detail + ", and this front end has no local copy (" +
                                                     copy_file_.string() + ") to serve meanwhile");
  }
  {
    std::lock_guard lock(mutex_);
    last_problem_ = listed.error().detail;
  }
  return current();
}

void EtcdFollower::follow(Changed changed, Report report) {
  changed_ = std::move(changed);
  report_ = std::move(report);
  if (from_copy_ && !last_problem_.empty()) {
    told(true, last_problem_ + "; serving the local copy of revision " + std::to_string(revision_) + " (" +
                   copy_file_.string() + ") until it answers");
  } else if (from_copy_) {
    told(false, "serving the local copy of revision " + std::to_string(revision_) + " (" + compiled_file_.string() +
                    ") while the farm is listed");
  }
  thread_ = std::thread([this] { run(); });
  presence_thread_ = std::thread([this] { publish_presence(); });
}

void EtcdFollower::publish_presence() {
  constexpr int kTtl = 15;
  std::string lease;
  std::int64_t published = -1;
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  while (!stopping_) {
    json me;
    std::int64_t revision = 0;
    {
      std::lock_guard lock(mutex_);
      revision = revision_;
      me = {{"host", host},
            {"pid", static_cast<std::int64_t>(::getpid())},
            {"appliedRevision", revision_},
            {"servingLocalCopy", from_copy_},
            {"connected", connected_},
            {"bindings", compiled_ ? compiled_->size() : binding_count_},
            {"publishedAt", unix_now()}};
    }
    // The lease is kept alive while it lives; one that expired (etcd was away longer than its TTL) is granted anew.
    bool alive = false;
    if (!lease.empty()) {
      auto kept = presence_client_.call("/v3/lease/keepalive", {{"ID", lease}});
      alive = kept && number(kept->value("result", json::object()), "TTL") > 0;
    }
    if (!alive) {
      auto granted = presence_client_.call("/v3/lease/grant", {{"TTL", kTtl}});
      lease = granted ? text_of(*granted, "ID") : std::string();
    }
    if (!lease.empty()) {
      auto put = presence_client_.call(
          "/v3/kv/put",
          {{"key", EtcdClient::b64(presence_key_)}, {"value", EtcdClient::b64(me.dump())}, {"lease", lease}});
      if (put) published = revision;
    }
    rotate_tickets();
    std::unique_lock lock(wait_mutex_);
    // Every 2 s, and at once when a new revision is applied, so that show farm tells how far each front end is.
    wake_.wait_for(lock, std::chrono::seconds(2), [&] {
      if (stopping_) return true;
      std::lock_guard state(mutex_);
      return revision_ != published;
    });
  }
  // Gone from show farm at once, rather than when the lease runs out.
  if (!lease.empty()) (void)presence_client_.call("/v3/lease/revoke", {{"ID", lease}});
}

void EtcdFollower::run() {
  // Started from the compiled copy: the copy's keys are read here, off the serving path, so that the first list
  // applies only what changed since, as after any other re-list.
  bool compiled = false;
  {
    std::lock_guard lock(mutex_);
    compiled = compiled_ != nullptr;
  }
  if (compiled) {
    if (auto read = read_copy(); !read) told(true, read.error().detail + "; the farm is listed whole");
  }
  while (!stopping_) {
    if (!synced_) {
      std::string why;
      if (const Status s = list(why); !s) {
        bool was_connected = false;
        {
          std::lock_guard lock(mutex_);
          was_connected = connected_;
          connected_ = false;
          last_problem_ = s.error().detail;
        }
        if (was_connected) told(true, s.error().detail + "; still serving revision " + std::to_string(revision_));
        rest_a_while(std::chrono::seconds(1));
        continue;
      }
      changed_(why.empty() ? "etcd revision " + std::to_string(revision_) + " listed" : why);
    }
    watch();
    save_copy_if_behind();
    if (!stopping_) rest_a_while(std::chrono::milliseconds(200));
  }
}

void EtcdFollower::watch() {
  std::string end = prefix_;
  end.back() = static_cast<char>(end.back() + 1);
  const json create{{"create_request",
                     {{"key", EtcdClient::b64(prefix_)},
                      {"range_end", EtcdClient::b64(end)},
                      {"start_revision", std::to_string(revision_ + 1)}}}};
  std::string pending;
  auto opened = client_.open_stream("/v3/watch", create, pending);
  if (!opened) {
    bool was_connected = false;
    {
      std::lock_guard lock(mutex_);
      was_connected = connected_;
      connected_ = false;
      last_problem_ = opened.error().detail;
    }
    if (was_connected) {
      told(true, location_ + " does not answer (" + opened.error().detail + "); still serving revision " +
                     std::to_string(revision_));
    }
    rest_a_while(std::chrono::seconds(1));
    return;
  }
  const std::unique_ptr<EtcdConnection> stream = std::move(*opened);
  bool was_connected = false;
  {
    std::lock_guard lock(mutex_);
    was_connected = connected_;
  }
  std::string body;
  std::int64_t quiet_since = unix_now();
  char buffer[65536];
  while (!stopping_) {
    if (!take_chunks(pending, body)) break;
    std::size_t line_end = 0;
    bool resync = false;
    while (!resync && (line_end = body.find('\n')) != std::string::npos) {
      const json message = json::parse(body.substr(0, line_end), nullptr, false);
      body.erase(0, line_end + 1);
      quiet_since = unix_now();
      if (!message.is_object() || !message.contains("result")) continue;
      const json& result = message["result"];
      const json header = result.value("header", json::object());
      const std::int64_t at = number(header, "revision");
      if (number(result, "compact_revision") > 0 || result.value("canceled", false) ||
          text_of(header, "cluster_id") != cluster_id_ || at < revision_) {
        resync = true;  // list() says which, and counts it
        break;
      }
      std::vector<std::string> problems;
      const json events = result.value("events", json::array());
      {
        std::lock_guard lock(mutex_);
        connected_ = true;
        last_contact_ = unix_now();
        for (const json& event : events) {
          const json kv = event.value("kv", json::object());
          auto key = EtcdClient::unb64(text_of(kv, "key"));
          if (!key) continue;
          if (etcd::name_of(prefix_, *key).kind == etcd::KeyName::Kind::Tickets) {
            auto sealed = EtcdClient::unb64(text_of(kv, "value"));
            if (sealed && text_of(event, "type") != "DELETE") take_tickets(*sealed, number(kv, "mod_revision"));
            continue;
          }
          if (text_of(event, "type") == "DELETE") {  // a deletion carries no value
            apply(*key, nullptr, problems);
            continue;
          }
          auto value = EtcdClient::unb64(text_of(kv, "value"));
          if (value) apply(*key, std::make_shared<const std::string>(std::move(*value)), problems);
        }
        if (!events.empty()) {
          revision_ = at;
          ++revisions_applied_;
        }
      }
      if (!was_connected) {
        told(false, location_ + " answers again; following from revision " + std::to_string(revision_));
        was_connected = true;
      }
      for (const std::string& p : problems) told(true, location_ + ": " + p + " (skipped)");
      if (!events.empty()) {
        changed_("etcd revision " + std::to_string(at));
        wake_.notify_all();
        save_copy_soon();  // after: the front ends serve the change without waiting for the copy and its compiling
      }
    }
    if (resync) {
      std::lock_guard lock(mutex_);
      synced_ = false;
      break;
    }
    if (unix_now() - quiet_since > kIdleSeconds) break;
    if (!stream->buffered()) {
      pollfd p{stream->fd(), POLLIN, 0};
      const int r = ::poll(&p, 1, kSliceMs);
      if (r < 0 && errno != EINTR) break;
      if (r == 0) save_copy_if_behind();  // the changes paused
      if (r <= 0) continue;
    }
    const long n = stream->receive(buffer, sizeof buffer, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    if (n <= 0) break;  // etcd closed or went away
    pending.append(buffer, static_cast<std::size_t>(n));
  }
}

void EtcdFollower::take_tickets(const std::string& sealed, std::int64_t mod_revision) {
  tickets_revision_ = mod_revision;
  if (root_.empty()) return;
  auto opened = SecretSealer(root_).unseal(sealed);
  if (!opened) {
    tickets_problem_ = "the farm's session-ticket keys cannot be opened: " + opened.error().detail;
    return;
  }
  std::vector<std::string> keys;
  std::int64_t newest = 0;
  std::size_t at = 0;
  while (at < opened->size()) {
    const std::size_t end = std::min(opened->find('\n', at), opened->size());
    const std::string line = opened->substr(at, end - at);
    at = end + 1;
    const std::size_t space = line.find(' ');
    if (space == std::string::npos || line.size() - space - 1 != 2 * 80) continue;
    std::string bytes;
    for (std::size_t i = space + 1; i + 1 < line.size(); i += 2) {
      bytes += static_cast<char>(std::stoi(line.substr(i, 2), nullptr, 16));
    }
    if (keys.empty()) newest = std::atoll(line.c_str());
    keys.push_back(std::move(bytes));
  }
  tickets_ = std::move(keys);
  tickets_created_ = newest;
  tickets_problem_.clear();
}

// A new key when there is none or the newest is older than the rotation period, committed only if no other front end
// changed the keys since they were read: one of them makes it, the others take it from the watch.
void EtcdFollower::rotate_tickets() {
  if (root_.empty()) return;
  std::vector<std::string> keys;
  std::int64_t revision = 0;
  {
    std::lock_guard lock(mutex_);
    if (!synced_ || !tickets_problem_.empty()) return;  // never replace keys this front end cannot open
    if (!tickets_.empty() && unix_now() - tickets_created_ < kTicketRotation) return;
    keys = tickets_;
    revision = tickets_revision_;
  }
  std::string fresh(80, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(fresh.data()), 80) != 1) return;
  keys.insert(keys.begin(), fresh);
  if (keys.size() > 3) keys.resize(3);
  std::string text;
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    text += std::to_string(i == 0 ? unix_now() : 0) + " ";
    for (const char c : keys[i]) {
      const auto byte = static_cast<unsigned char>(c);
      text += kHex[byte >> 4];
      text += kHex[byte & 15];
    }
    text += "\n";
  }
  auto sealed = SecretSealer(root_).seal(text);
  if (!sealed) return;
  const std::string key = etcd::tickets_key(prefix_);
  std::int64_t after = 0;
  (void)presence_client_.txn(
      json::array({{{"key", EtcdClient::b64(key)},
                    {"target", "MOD"},
                    {"result", "EQUAL"},
                    {"mod_revision", std::to_string(revision)}}}),
      json::array({{{"request_put", {{"key", EtcdClient::b64(key)}, {"value", EtcdClient::b64(*sealed)}}}}}), after);
}

std::vector<std::string> EtcdFollower::ticket_keys() const {
  std::lock_guard lock(mutex_);
  return tickets_;
}

ServingState EtcdFollower::current() const {
  std::lock_guard lock(mutex_);
  return current_locked();
}

ServingState EtcdFollower::current_locked() const {
  if (compiled_) {
    return ServingState{compiled_rest_, compiled_,
                        location_ + " (compiled local copy of revision " + std::to_string(revision_) + ")"};
  }
  return ServingState{
      config_.state, std::make_shared<EtcdBindingTable>(prefix_, kvs_),
      location_ + (from_copy_ ? " (local copy of revision " : " (revision ") + std::to_string(revision_) + ")"};
}

nlohmann::json EtcdFollower::status() const {
  std::lock_guard lock(mutex_);
  json out{{"location", location_},        {"revision", revision_},
           {"clusterId", cluster_id_},     {"connected", connected_},
           {"lastContact", last_contact_}, {"servingLocalCopy", from_copy_},
           {"resyncs", resyncs_},          {"revisionsApplied", revisions_applied_}};
  if (!last_problem_.empty()) out["problem"] = last_problem_;
  out["servingCompiledCopy"] = compiled_ != nullptr;
  out["localCopyRevision"] = copy_revision_;
  out["lastList"] = {
      {"keys", last_list_.keys}, {"applied", last_list_.applied}, {"onlyDifferences", last_list_.only_differences}};
  out["ticketKeys"] = tickets_.size();
  if (!tickets_problem_.empty()) out["ticketProblem"] = tickets_problem_;
  return out;
}

}  // namespace sslbind::store
