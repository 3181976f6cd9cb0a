#include "tests/support/etcd_server.hpp"

#include <openssl/evp.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>

#include "tests/support/process.hpp"
#include "tests/support/serve_process.hpp"
#include "tests/support/tls_client.hpp"

namespace sslbind::test {

EtcdServer::EtcdServer(std::vector<std::string> flags, bool https) : client(free_port()), peer(free_port()) {
  const std::string c = (https ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(client),
                    p = "http://127.0.0.1:" + std::to_string(peer);
  argv = {"/usr/bin/etcd",
          "--data-dir",
          (dir.path() / "data").string(),
          "--listen-client-urls",
          c,
          "--advertise-client-urls",
          c,
          "--listen-peer-urls",
          p,
          "--initial-advertise-peer-urls",
          p,
          "--initial-cluster",
          "default=" + p};
  argv.insert(argv.end(), flags.begin(), flags.end());
  restart();
  if (pid <= 0) throw std::runtime_error("cannot start /usr/bin/etcd");
  const auto log = dir.path() / "etcd-1.log";
  if (!eventually([&] { return read_file(log).find("ready to serve client requests") != std::string::npos; }, 10000))
    throw std::runtime_error("etcd did not become ready within 10 s: " + read_file(log));
}

EtcdServer::~EtcdServer() { stop(); }

std::string EtcdServer::store(const std::string& farm, const char* scheme) const {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(client) + "/" + farm;
}

void EtcdServer::stop() {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  pid = -1;
}

void EtcdServer::kill() {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  pid = -1;
}

void EtcdServer::restart() {
  pid = spawn_process(argv, (dir.path() / ("etcd-" + std::to_string(++starts_) + ".log")).string());
}

namespace {

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unbase64(const std::string& text) {
  std::string out(3 * (text.size() / 4) + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw std::runtime_error("etcd sent a value that is not base64: " + text);
  // EVP_DecodeBlock counts the padding as zero bytes.
  const std::string_view tail = std::string_view(text).substr(text.size() < 2 ? 0 : text.size() - 2);
  const auto padding = static_cast<std::size_t>(std::count(tail.begin(), tail.end(), '='));
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace

std::map<std::string, std::string> etcd_farm_keys(std::uint16_t client_port, const std::string& farm) {
  const std::string prefix = "/sslbind/v1/" + farm + "/";
  std::string end = prefix;
  end.back() = static_cast<char>(end.back() + 1);
  const nlohmann::json request = {{"key", base64(prefix)}, {"range_end", base64(end)}};
  const auto r = run_process({"/usr/bin/curl", "-sS", "--max-time", "10", "-X", "POST", "--data-binary", request.dump(),
                              "http://127.0.0.1:" + std::to_string(client_port) + "/v3/kv/range"});
  if (r.exit_code != 0) throw std::runtime_error("curl could not read etcd: " + r.err);
  std::map<std::string, std::string> keys;
  for (const auto& kv : nlohmann::json::parse(r.out).value("kvs", nlohmann::json::array())) {
    std::string key = unbase64(kv.at("key")).substr(prefix.size());
    if (key != "revision" && key != "tickets") keys[std::move(key)] = unbase64(kv.value("value", ""));
  }
  return keys;
}

std::string etcd_farm_contents(std::uint16_t client_port, const std::string& farm) {
  std::string out;
  for (const auto& [key, value] : etcd_farm_keys(client_port, farm)) out += key + "\t" + value + "\n";
  return out;
}

}  // namespace sslbind::test
