#include "store/etcd_registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <thread>

#include "store/etcd_layout.hpp"
#include "store/registry_codec.hpp"

namespace sslbind::store {

using nlohmann::json;

EtcdRegistry::EtcdRegistry(const StoreLocation& location, std::filesystem::path root, EtcdSecurity security,
                           std::chrono::milliseconds deadline)
    : client_(location.endpoints, deadline,
              [&] {
                security.tls = location.tls;
                return security;
              }()),
      where_(location),
      security_(std::move(security)),
      root_(std::move(root)),
      copy_file_(root_.empty() ? std::filesystem::path() : root_ / "farm" / (location.farm + ".json")),
      prefix_(etcd::prefix_of(location.farm)) {
  location_ = location.tls ? "etcds://" : "etcd://";
  for (std::size_t i = 0; i < location.endpoints.size(); ++i) {
    location_ += (i == 0 ? "" : ",") + location.endpoints[i].str();
  }
  location_ += "/" + location.farm;
}

Result<EtcdRegistry::Read> EtcdRegistry::read() const {
  auto range = client_.range_prefix(prefix_);
  if (!range) return range.error();
  Read out;
  out.rest = empty_document();
  for (EtcdKeyValue& kv : range->kvs) {
    const etcd::KeyName name = etcd::name_of(prefix_, kv.key);
    switch (name.kind) {
      case etcd::KeyName::Kind::Counter: out.counter_revision = kv.mod_revision; continue;
      case etcd::KeyName::Kind::Tickets: continue;  // the front ends', kept as they are
      case etcd::KeyName::Kind::Config:
        if (auto s = etcd::decode_config(kv.key, kv.value, out.state, out.rest); !s) {
          return Error(ErrorCode::RegistryUnreadable, location_ + " " + s.error().detail);
        }
        break;
      case etcd::KeyName::Kind::Binding: {
        auto binding = etcd::decode_binding_key(name, kv.key, kv.value);
        if (!binding) return Error(ErrorCode::RegistryUnreadable, location_ + " " + binding.error().detail);
        if (auto s = out.state.bindings.add(std::move(*binding)); !s) {
          return Error(ErrorCode::RegistryUnreadable, location_ + " key " + kv.key + ": " + s.error().detail);
        }
        break;
      }
      case etcd::KeyName::Kind::Foreign:
        return Error(ErrorCode::RegistryUnreadable,
                     location_ + " holds the key " + kv.key + ", which no version of sslbind writes");
    }
    out.kvs[kv.key] = std::move(kv.value);
  }
  return out;
}

EtcdRegistry::~EtcdRegistry() { unfollow(); }

Result<ServingState> EtcdRegistry::load_for_serving() const {
  if (follower_) return follower_->current();
  // A client of its own: the follower's thread and the commands' calls never share one.
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  follower_ = std::make_unique<EtcdFollower>(
      EtcdClient(where_.endpoints, std::chrono::seconds(5), security_),
      EtcdClient(where_.endpoints, std::chrono::seconds(2), security_), prefix_,
      etcd::frontends_prefix_of(where_.farm) + host + ":" + std::to_string(::getpid()), location_, copy_file_, root_);
  auto first = follower_->start();
  if (!first) follower_.reset();
  return first;
}

bool EtcdRegistry::follow(Changed changed, Report report) {
  if (!follower_) return false;
  follower_->follow(std::move(changed), std::move(report));
  return true;
}

void EtcdRegistry::unfollow() {
  if (follower_) follower_->stop();
}

std::vector<std::string> EtcdRegistry::ticket_keys() const {
  return follower_ ? follower_->ticket_keys() : std::vector<std::string>{};
}

nlohmann::json EtcdRegistry::follow_status() const { return follower_ ? follower_->status() : nullptr; }

Result<nlohmann::json> EtcdRegistry::farm_members() const {
  auto members = client_.range_prefix(etcd::frontends_prefix_of(where_.farm));
  if (!members) return members.error();
  // The registry's last commit: the counter's mod_revision (0 before the first).
  auto counter = client_.call("/v3/kv/range", {{"key", EtcdClient::b64(etcd::counter_key(prefix_))}});
  if (!counter) return counter.error();
  std::int64_t committed = 0;
  for (const json& kv : counter->value("kvs", json::array())) {
    const json& mod = kv["mod_revision"];
    committed = mod.is_string() ? std::atoll(mod.get_ref<const std::string&>().c_str()) : 0;
  }
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  json list = json::array();
  for (const EtcdKeyValue& kv : members->kvs) {
    const json me = json::parse(kv.value, nullptr, false);
    if (!me.is_object()) continue;
    const std::int64_t applied = me.value("appliedRevision", std::int64_t{0});
    list.push_back({{"id", kv.key.substr(kv.key.rfind('/') + 1)},
                    {"host", me.value("host", "")},
                    {"pid", me.value("pid", 0)},
                    {"appliedRevision", applied},
                    {"lag", std::max<std::int64_t>(0, committed - applied)},
                    {"lastContactSecondsAgo", std::max<std::int64_t>(0, now - me.value("publishedAt", now))},
                    {"connected", me.value("connected", false)},
                    {"servingLocalCopy", me.value("servingLocalCopy", false)},
                    {"bindings", me.value("bindings", 0)}});
  }
  return json{{"location", location_}, {"revision", committed}, {"frontends", std::move(list)}};
}

Result<RegistryState> EtcdRegistry::load() const {
  auto r = read();
  if (!r) return r.error();
  return std::move(r->state);
}

namespace {

json put(const std::string& key, const std::string& value) {
  return {{"request_put", {{"key", EtcdClient::b64(key)}, {"value", EtcdClient::b64(value)}}}};
}

json unchanged_since(const std::string& key, std::int64_t mod_revision) {
  // mod_revision 0: the key is absent now, as it was when read.
  return {{"key", EtcdClient::b64(key)},
          {"target", "MOD"},
          {"result", "EQUAL"},
          {"mod_revision", std::to_string(mod_revision)}};
}

}  // namespace

void EtcdRegistry::back_off(int attempt) {
  // Another commit came between the read and this one: wait a little, longer each time and at random, so that
  // writers that keep meeting spread out rather than meet again.
  const int ceiling = std::min(200, 5 << std::min(attempt, 5));
  std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(1, ceiling)(random_)));
}

Status EtcdRegistry::gave_up() const {
  return Error(ErrorCode::RegistryWriteFailed, location_ + " changed under this command " + std::to_string(kAttempts) +
                                                   " times in a row; nothing was written: run it again");
}

Status EtcdRegistry::transact(const std::function<Status(RegistryState&)>& change) {
  const std::string counter = etcd::counter_key(prefix_);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto r = read();
    if (!r) return r.error();
    if (auto s = change(r->state); !s) return s;
    const std::map<std::string, std::string> next = etcd::encode(prefix_, r->state, r->rest);
    json ops = json::array();
    for (const auto& [key, value] : next) {
      const auto was = r->kvs.find(key);
      if (was == r->kvs.end() || was->second != value) ops.push_back(put(key, value));
    }
    for (const auto& [key, value] : r->kvs) {
      if (!next.contains(key)) ops.push_back({{"request_delete_range", {{"key", EtcdClient::b64(key)}}}});
    }
    if (ops.empty()) return Ok{};
    ops.push_back(put(counter, ""));
    // Every key this change read is as it was read: any commit since wrote the counter.
    std::int64_t revision = 0;
    auto committed = client_.txn(json::array({unchanged_since(counter, r->counter_revision)}), ops, revision);
    if (!committed) return committed.error();
    if (*committed) return Ok{};
    back_off(attempt);
  }
  return gave_up();
}

Status EtcdRegistry::transact_binding(const BindingKey& key, const std::function<Status(RegistryState&)>& change) {
  const std::string name = etcd::binding_key(prefix_, key);
  const std::string counter = etcd::counter_key(prefix_);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    // The one key, and only it: the change is netsh's rule on it (add: absent; update, delete: present).
    auto answer = client_.call("/v3/kv/range", {{"key", EtcdClient::b64(name)}});
    if (!answer) return answer.error();
    RegistryState state;
    std::optional<std::string> was;
    std::int64_t mod_revision = 0;
    for (const json& kv : answer->value("kvs", json::array())) {
      auto value = EtcdClient::unb64(kv.value("value", ""));
      if (!value) return value.error();
      const etcd::KeyName parsed = etcd::name_of(prefix_, name);
      auto binding = etcd::decode_binding_key(parsed, name, *value);
      if (!binding) return Error(ErrorCode::RegistryUnreadable, location_ + " " + binding.error().detail);
      (void)state.bindings.add(std::move(*binding));
      const json& mod = kv["mod_revision"];
      mod_revision = mod.is_string() ? std::atoll(mod.get_ref<const std::string&>().c_str()) : 0;
      was = std::move(*value);
    }
    if (auto s = change(state); !s) return s;
    // A change that reaches beyond its key (none does today) takes the whole registry's path.
    if (state.bindings.size() > 1 || state.ccs_provider || !state.farms.farms().empty() || !state.ip_listen.empty() ||
        state.tls_policy || (state.bindings.size() == 1 && !state.bindings.find(key))) {
      return transact(change);
    }
    json ops = json::array();
    if (const Binding* b = state.bindings.find(key)) {
      const std::string value = etcd::binding_value(*b);
      if (was == value) return Ok{};
      ops.push_back(put(name, value));
    } else if (was) {
      ops.push_back({{"request_delete_range", {{"key", EtcdClient::b64(name)}}}});
    } else {
      return Ok{};
    }
    ops.push_back(put(counter, ""));  // so that a whole-registry transaction in flight sees this commit
    std::int64_t revision = 0;
    auto committed = client_.txn(json::array({unchanged_since(name, mod_revision)}), ops, revision);
    if (!committed) return committed.error();
    if (*committed) return Ok{};
    back_off(attempt);
  }
  return gave_up();
}

}  // namespace sslbind::store
