#include "store/etcd_registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <thread>

#include "store/etcd_layout.hpp"
#include "store/registry_codec.hpp"

namespace sslbind::store {

using nlohmann::json;

EtcdRegistry::EtcdRegistry(const StoreLocation& location, std::filesystem::path copy_file,
                           std::chrono::milliseconds deadline)
    : client_(location.endpoints, deadline),
      where_(location),
      copy_file_(std::move(copy_file)),
      prefix_(etcd::prefix_of(location.farm)) {
  location_ = "etcd://";
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
      case etcd::KeyName::Kind::Counter:
        out.counter = std::atoll(kv.value.c_str());
        out.counter_revision = kv.mod_revision;
        continue;
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
      EtcdClient(where_.endpoints, std::chrono::seconds(5)), EtcdClient(where_.endpoints, std::chrono::seconds(2)),
      prefix_, etcd::frontends_prefix_of(where_.farm) + host + ":" + std::to_string(::getpid()), location_, copy_file_);
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

nlohmann::json EtcdRegistry::follow_status() const { return follower_ ? follower_->status() : nullptr; }

Result<nlohmann::json> EtcdRegistry::farm_members() const {
  auto members = client_.range_prefix(etcd::frontends_prefix_of(where_.farm));
  if (!members) return members.error();
  // The registry's last commit: the counter's mod_revision (0 before the first).
  auto counter = client_.call("/v3/kv/range", {{"key", EtcdClient::b64(prefix_ + "revision")}});
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

Status EtcdRegistry::transact(const std::function<Status(RegistryState&)>& change) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto r = read();
    if (!r) return r.error();
    if (auto s = change(r->state); !s) return s;
    const std::map<std::string, std::string> next = etcd::encode(prefix_, r->state, r->rest);
    json ops = json::array();
    for (const auto& [key, value] : next) {
      const auto was = r->kvs.find(key);
      if (was == r->kvs.end() || was->second != value) {
        ops.push_back({{"request_put", {{"key", EtcdClient::b64(key)}, {"value", EtcdClient::b64(value)}}}});
      }
    }
    for (const auto& [key, value] : r->kvs) {
      if (!next.contains(key)) ops.push_back({{"request_delete_range", {{"key", EtcdClient::b64(key)}}}});
    }
    if (ops.empty()) return Ok{};
    const std::string counter = prefix_ + "revision";
    ops.push_back({{"request_put",
                    {{"key", EtcdClient::b64(counter)}, {"value", EtcdClient::b64(std::to_string(r->counter + 1))}}}});
    // Every key this change read is as it was read: any commit since raised the counter.
    const json compare = json::array({{{"key", EtcdClient::b64(counter)},
                                       {"target", "MOD"},
                                       {"result", "EQUAL"},
                                       {"mod_revision", std::to_string(r->counter_revision)}}});
    std::int64_t revision = 0;
    auto committed = client_.txn(compare, ops, revision);
    if (!committed) return committed.error();
    if (*committed) return Ok{};
    // Another commit came between the read and this one: wait a little, longer each time and at random, so that
    // writers that keep meeting spread out rather than meet again.
    const int ceiling = std::min(200, 5 << std::min(attempt, 5));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(1, ceiling)(random_)));
  }
  return Error(ErrorCode::RegistryWriteFailed, location_ + " changed under this command " + std::to_string(kAttempts) +
                                                   " times in a row; nothing was written: run it again");
}

}  // namespace sslbind::store
