// Google Benchmark: HTTP.SYS's selection order on in-memory indexes, for registries of 1k to 100k bindings.
// Each registry holds, per 4 bindings, 2 SNI sites, 1 specific IP binding and 1 scoped CCS site, plus ccs=443,
// 0.0.0.0:443 and [::]:443. BM_ResolveByScan is the same question answered by walking every binding, for scale.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/selection.hpp"

namespace {

using namespace sslbind;

std::string site(std::int64_t i) { return "site" + std::to_string(i) + ".contoso.com"; }
std::string address(std::int64_t i) {
  return "10." + std::to_string((i >> 16) & 0xFF) + "." + std::to_string((i >> 8) & 0xFF) + "." +
         std::to_string(i & 0xFF);
}

SslSettings with_hash() {
  SslSettings s;
  s.certhash = *Thumbprint::parse(std::string(40, 'a'));
  s.certstorename = "MY";
  return s;
}

struct Registry {
  BindingSet set;
  std::vector<std::string> hosts;    // SNI-bound host names
  std::vector<IpAddress> addresses;  // addresses with an exact binding
  std::unordered_set<std::string> ccs_files;

  explicit Registry(std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) {
      switch (i % 4) {
        case 0:
        case 1:
          (void)set.add({BindingKey::sni(*HostPort::parse(site(i) + ":443", "hostnameport")), with_hash()});
          hosts.push_back(site(i));
          break;
        case 2:
          (void)set.add({BindingKey::ip(*IpPort::parse(address(i) + ":443")), with_hash()});
          addresses.push_back(*IpAddress::parse(address(i), "ipport"));
          break;
        default:
          (void)set.add({BindingKey::scoped_ccs(*HostPort::parse(site(i) + ":443", "scopedccs")), {}});
          ccs_files.insert(site(i) + ".pfx");
      }
    }
    (void)set.add({BindingKey::ccs(443), {}});
    (void)set.add({BindingKey::ip(*IpPort::parse("0.0.0.0:443")), with_hash()});
    (void)set.add({BindingKey::ip(*IpPort::parse("[::]:443")), with_hash()});
  }

  // A CCS folder as the provider indexes it: one hash lookup per name tried.
  CcsLookup lookup() const {
    return [this](std::string_view host) {
      CcsOutcome out;
      std::string file = std::string(host) + ".pfx";
      if (ccs_files.contains(file)) {
        out.file = file;
        out.usable = true;
      }
      out.tried.push_back(std::move(file));
      return out;
    };
  }
};

// Registries are built once per size and shared by the benchmarks.
const Registry& registry(std::int64_t n) {
  static std::map<std::int64_t, std::unique_ptr<Registry>> cache;
  auto& r = cache[n];
  if (!r) r = std::make_unique<Registry>(n);
  return *r;
}

const IpAddress kClient = *IpAddress::parse("192.168.1.1", "ipport");

void BM_BuildIndex(benchmark::State& state) {
  const Registry& r = registry(state.range(0));
  for (auto _ : state) {
    SelectionIndex index(r.set);
    benchmark::DoNotOptimize(index);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(r.set.size()));
}

template <class Hello>
void resolve_loop(benchmark::State& state, Hello make_hello) {
  const Registry& r = registry(state.range(0));
  const SelectionIndex index(r.set);
  const CcsLookup lookup = r.lookup();
  std::mt19937 rng(42);
  for (auto _ : state) {
    const ClientHello hello = make_hello(r, rng);
    auto s = index.select(hello, lookup);
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ResolveSni(benchmark::State& state) {
  resolve_loop(state, [](const Registry& r, std::mt19937& rng) {
    return ClientHello{kClient, 443, r.hosts[rng() % r.hosts.size()]};
  });
}

void BM_ResolveExactIp(benchmark::State& state) {
  resolve_loop(state, [](const Registry& r, std::mt19937& rng) {
    return ClientHello{r.addresses[rng() % r.addresses.size()], 443, std::nullopt};
  });
}

// An unbound name: SNI misses, the CCS folder is tried (exact and wildcard file), 0.0.0.0:443 serves.
void BM_ResolveFallback(benchmark::State& state) {
  resolve_loop(state, [](const Registry&, std::mt19937& rng) {
    return ClientHello{kClient, 443, "unbound" + std::to_string(rng() % 1000) + ".fabrikam.com"};
  });
}

// The same SNI question answered without an index: walk every binding.
void BM_ResolveByScan(benchmark::State& state) {
  const Registry& r = registry(state.range(0));
  std::mt19937 rng(42);
  for (auto _ : state) {
    const std::string& host = r.hosts[rng() % r.hosts.size()];
    const Binding* found = nullptr;
    for (const auto& [key, b] : r.set) {
      if (key.kind() == KeyKind::HostnamePort && key.port() == 443 && key.host() == host) {
        found = &b;
        break;
      }
    }
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

BENCHMARK(BM_BuildIndex)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ResolveSni)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_ResolveExactIp)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_ResolveFallback)->Arg(1000)->Arg(10000)->Arg(100000);
BENCHMARK(BM_ResolveByScan)->Arg(1000)->Arg(10000)->Arg(100000);

BENCHMARK_MAIN();
