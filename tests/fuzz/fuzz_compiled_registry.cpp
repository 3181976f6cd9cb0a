// registry.idx, the compiled registry serve maps: for any registry the reader accepts, the compiled table answers
// every key as the in-memory table does; and a compiled file damaged anywhere behind a valid checksum (the input's
// tail overwrites its bytes) is refused or answers without a crash or a read out of bounds.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/memory_binding_table.hpp"
#include "core/text.hpp"
#include "store/compiled_registry.hpp"
#include "store/registry_codec.hpp"

using namespace sslbind;

namespace {

std::shared_ptr<const Binding> look_up(const BindingTable& table, const BindingKey& key) {
  switch (key.kind()) {
    case KeyKind::IpPort: return table.ip_port(key.ip_port().address, key.port());
    case KeyKind::HostnamePort:
    case KeyKind::ScopedCcs: return table.host_port(key.kind(), text::to_lower(key.host()), key.port());
    case KeyKind::Ccs: return table.ccs(key.port());
  }
  return nullptr;
}

bool same(const std::shared_ptr<const Binding>& a, const std::shared_ptr<const Binding>& b) {
  if (!a || !b) return !a && !b;
  return a->key == b->key && a->key.value() == b->key.value() && a->settings == b->settings &&
         a->extended == b->extended;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The input: a registry document, then optionally "\n--damage--\n" and bytes to write into the compiled file.
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find("\n--damage--\n");
  const std::string_view text = input.substr(0, cut);
  nlohmann::json rest;
  auto state = store::read_registry(text, rest);
  if (!state) return 0;
  const store::FileIdentity source{1, 2, 3, 4};
  auto bytes = store::compile_registry(state->bindings, "{}", source);
  if (!bytes) std::abort();
  auto compiled = store::CompiledRegistry::from_bytes(*bytes, source);
  if (!compiled) std::abort();
  const MemoryBindingTable memory(state->bindings);
  if ((*compiled)->size() != memory.size() || !((*compiled)->listen_plan() == memory.listen_plan())) std::abort();
  for (const auto& [key, binding] : state->bindings) {
    if (!same(look_up(**compiled, key), look_up(memory, key))) std::abort();
  }
  if (cut == std::string_view::npos) return 0;

  // Damage: the bytes after the marker overwrite the file from an offset they name, then the checksum is made
  // right again, so that every structural check and lookup sees the damage.
  std::string damaged = *bytes;
  const std::string_view patch = input.substr(cut + 12);
  if (patch.size() < 4) return 0;
  std::uint32_t at = 0;
  std::memcpy(&at, patch.data(), 4);
  at %= static_cast<std::uint32_t>(damaged.size());
  const std::size_t n = std::min(patch.size() - 4, damaged.size() - at);
  std::memcpy(damaged.data() + at, patch.data() + 4, n);
  store::reseal_compiled_registry(damaged);
  auto opened = store::CompiledRegistry::from_bytes(damaged, source);
  if (!opened) return 0;
  (void)(*opened)->listen_plan();
  (void)(*opened)->rest();
  for (const auto& [key, binding] : state->bindings) (void)look_up(**opened, key);
  return 0;
}
