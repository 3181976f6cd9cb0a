#include "store/etcd_registry.hpp"

#include <algorithm>
#include <thread>

#include "store/binding_codec.hpp"
#include "store/registry_codec.hpp"

namespace sslbind::store {
namespace {

using nlohmann::json;

constexpr std::string_view kBindings = "bindings/";
constexpr std::string_view kConfig = "config";
constexpr std::string_view kCounter = "revision";

}  // namespace

EtcdRegistry::EtcdRegistry(const StoreLocation& location, std::chrono::milliseconds deadline)
    : client_(location.endpoints, deadline), prefix_("/sslbind/v1/" + location.farm + "/") {
  location_ = "etcd://";
  for (std::size_t i = 0; i < location.endpoints.size(); ++i) {
    location_ += (i == 0 ? "" : ",") + location.endpoints[i].str();
  }
  location_ += "/" + location.farm;
}

std::map<std::string, std::string> EtcdRegistry::encode(const RegistryState& state, const json& rest) const {
  std::map<std::string, std::string> out;
  for (const auto& [key, binding] : state.bindings) {
    BindingRecord record = encode_binding(binding);
    out[prefix_ + std::string(kBindings) + record.family + "/" + record.subkey] = std::move(record.values);
  }
  const RegistryState others{BindingSet{}, state.ccs_provider, state.farms, state.ip_listen, state.tls_policy};
  json document = rest.is_object() ? rest : empty_document();
  out[prefix_ + std::string(kConfig)] = write_registry(others, document);
  return out;
}

Result<EtcdRegistry::Read> EtcdRegistry::read() const {
  auto range = client_.range_prefix(prefix_);
  if (!range) return range.error();
  Read out;
  bool configured = false;
  for (EtcdKeyValue& kv : range->kvs) {
    const std::string_view name = std::string_view(kv.key).substr(prefix_.size());
    if (name == kCounter) {
      out.counter = std::atoll(kv.value.c_str());
      out.counter_revision = kv.mod_revision;
      continue;
    }
    if (name == kConfig) {
      auto others = read_registry(kv.value, out.rest);
      if (!others) {
        return Error(ErrorCode::RegistryUnreadable, location_ + " key " + kv.key + ": " + others.error().detail);
      }
      out.state.ccs_provider = std::move(others->ccs_provider);
      out.state.farms = std::move(others->farms);
      out.state.ip_listen = std::move(others->ip_listen);
      out.state.tls_policy = std::move(others->tls_policy);
      configured = true;
    } else if (name.starts_with(kBindings) && name.find('/', kBindings.size()) != std::string_view::npos) {
      const std::string_view path = name.substr(kBindings.size());
      const std::size_t slash = path.find('/');
      auto binding =
          decode_binding({std::string(path.substr(0, slash)), std::string(path.substr(slash + 1)), kv.value});
      if (!binding) return Error(ErrorCode::RegistryUnreadable, location_ + ": " + binding.error().detail);
      if (auto s = out.state.bindings.add(std::move(*binding)); !s) {
        return Error(ErrorCode::RegistryUnreadable, location_ + " key " + kv.key + ": " + s.error().detail);
      }
    } else {
      return Error(ErrorCode::RegistryUnreadable,
                   location_ + " holds the key " + kv.key + ", which no version of sslbind writes");
    }
    out.kvs[kv.key] = std::move(kv.value);
  }
  if (!configured) out.rest = empty_document();
  return out;
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
    const std::map<std::string, std::string> next = encode(r->state, r->rest);
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
    const std::string counter = prefix_ + std::string(kCounter);
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
