// Strict modes: a planted symbolic link or a loose mode on the root, the registry, a store folder, a key file or
// the sealing key is refused before anything is read or written through it.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/e2e/sslbind_runner.hpp"
#include "tests/support/certificate_factory.hpp"

using namespace sslbind::test;
namespace fs = std::filesystem;

namespace {

const std::string kBind = "ipport=0.0.0.0:8443";

// Moves `path` to `elsewhere` and leaves a symbolic link to it in its place, as an attacker who could write the
// folder would.
void plant_link(const fs::path& path, const fs::path& elsewhere) {
  fs::rename(path, elsewhere);
  fs::create_symlink(elsewhere, path);
}

// Every file under `dir`, with its content: to see that a refused command changed nothing.
std::string snapshot(const fs::path& dir) {
  std::string out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename() != "registry.lock")
      out += e.path().string() + "\n" + read_file(e.path());
  }
  return out;
}

void check_refused(const ProcessResult& r, const fs::path& path, const std::string& why) {
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(path.string() + " " + why) != std::string::npos);
}

}  // namespace

TEST_CASE("a root that is a symbolic link is refused, for reading and for writing") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  TempDir elsewhere;
  const fs::path link = elsewhere.path() / "root";
  fs::create_symlink(sslbind.root.path(), link);
  const std::string before = snapshot(sslbind.root.path());
  check_refused(run_process({SSLBIND_BINARY, "--root", link.string(), "show", "sslcert"}), link, "is a symbolic link");
  check_refused(run_process({SSLBIND_BINARY, "--root", link.string(), "add", "sslcert", kBind, "certhash=" + hash0(),
                             "appid=" + kAppId}),
                link, "is a symbolic link");
  CHECK(snapshot(sslbind.root.path()) == before);
}

TEST_CASE("a registry file that is a symbolic link is refused and its target left alone") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  TempDir elsewhere;
  const fs::path registry = sslbind.root.path() / "registry.json";
  plant_link(registry, elsewhere.path() / "registry.json");
  const std::string target = read_file(elsewhere.path() / "registry.json");
  check_refused(sslbind({"show", "sslcert"}), registry, "is a symbolic link");
  check_refused(sslbind({"add", "sslcert", kBind, "certhash=" + hash0(), "appid=" + kAppId}), registry,
                "is a symbolic link");
  CHECK(read_file(elsewhere.path() / "registry.json") == target);
  CHECK(fs::is_symlink(registry));
}

TEST_CASE("a store folder or a key file that is a symbolic link is refused") {
  TempDir elsewhere;
  {
    Sslbind sslbind;
    const fs::path store = sslbind.root.path() / "stores" / "MY";
    plant_link(store, elsewhere.path() / "MY");
    const std::string before = snapshot(elsewhere.path());
    check_refused(sslbind({"add", "sslcert", kBind, "certhash=" + hash0(), "appid=" + kAppId}), store,
                  "is a symbolic link");
    check_refused(sslbind({"show", "cert"}), store, "is a symbolic link");
    check_refused(sslbind({"add", "cert", "file=" + test_certificate(0).pem}), store, "is a symbolic link");
    CHECK(snapshot(elsewhere.path()) == before);
    CHECK(sslbind({"show", "sslcert", "--json"}).out.find("\"bindings\": []") != std::string::npos);
  }
  {
    Sslbind sslbind;
    const fs::path key = sslbind.root.path() / "stores" / "MY" / (hash0() + ".key");
    plant_link(key, elsewhere.path() / "stolen.key");
    const std::string before = read_file(elsewhere.path() / "stolen.key");
    check_refused(sslbind({"add", "sslcert", kBind, "certhash=" + hash0(), "appid=" + kAppId}), key,
                  "is a symbolic link");
    // add cert would write the key through the link: refused before anything is written.
    check_refused(sslbind({"add", "cert", "file=" + test_certificate(0).pem}), key, "is a symbolic link");
    CHECK(read_file(elsewhere.path() / "stolen.key") == before);
  }
}

TEST_CASE("a sealing key that is a symbolic link is refused") {
  Sslbind sslbind;
  TempDir ccs;
  REQUIRE(sslbind({"add", "ccs", "location=" + ccs.str(), "privatekeypassword=first"}).exit_code == 0);
  const fs::path key = sslbind.root.path() / "keys" / "registry-secret.key";
  REQUIRE(fs::exists(key));
  TempDir elsewhere;
  plant_link(key, elsewhere.path() / "registry-secret.key");
  const std::string sealing_key = read_file(elsewhere.path() / "registry-secret.key");
  const std::string registry = sslbind.registry();
  check_refused(sslbind({"update", "ccs", "privatekeypassword=second"}), key, "is a symbolic link");
  CHECK(read_file(elsewhere.path() / "registry-secret.key") == sealing_key);
  CHECK(sslbind.registry() == registry);
}

TEST_CASE("a root writable by its group, or files owned by another user, are refused with the fix") {
  Sslbind sslbind;
  REQUIRE(sslbind({"add", "sslcert", "ipport=0.0.0.0:443", "certhash=" + hash0(), "appid=" + kAppId}).exit_code == 0);
  const fs::path root = sslbind.root.path();
  const std::string before = snapshot(root);
  REQUIRE(::chmod(root.c_str(), 0775) == 0);
  auto r = sslbind({"add", "sslcert", kBind, "certhash=" + hash0(), "appid=" + kAppId});
  check_refused(r, root, "is writable by its group or by others (mode 0775): chmod go-w " + root.string());
  check_refused(sslbind({"show", "sslcert"}), root, "is writable by its group or by others");
  REQUIRE(::chmod(root.c_str(), 0700) == 0);
  CHECK(snapshot(root) == before);
  if (::geteuid() == 0) {  // only root can give a file away
    const fs::path registry = root / "registry.json";
    REQUIRE(::chown(registry.c_str(), 65534, 65534) == 0);
    check_refused(sslbind({"show", "sslcert"}), registry,
                  "is owned by uid 65534, not by uid 0 that runs sslbind: chown 0");
    REQUIRE(::chown(registry.c_str(), 0, 0) == 0);
  }
  CHECK(sslbind({"show", "sslcert"}).exit_code == 0);
}

TEST_CASE("a CCS file that is a symbolic link out of the folder is not served, one inside it is") {
  Sslbind sslbind;
  TempDir ccs;
  TempDir outside;
  const std::string secret = write_pfx(outside.path() / "secret.pfx", host_certificate("www.contoso.com"), "s3cret");
  const std::string shop = write_pfx(ccs.path() / "real.pfx", host_certificate("shop.contoso.com"), "s3cret");
  fs::create_symlink(outside.path() / "secret.pfx", ccs.path() / "www.contoso.com.pfx");
  fs::create_symlink(ccs.path() / "real.pfx", ccs.path() / "shop.contoso.com.pfx");
  REQUIRE(sslbind({"add", "ccs", "location=" + ccs.str(), "privatekeypassword=s3cret"}).exit_code == 0);
  REQUIRE(sslbind({"add", "sslcert", "ccs=443", "appid=" + kAppId}).exit_code == 0);
  auto r = sslbind({"resolve", "ipport=127.0.0.1:443", "hostname=www.contoso.com"});
  CHECK(r.out.find("is a symbolic link to " + (outside.path() / "secret.pfx").string() + ", outside the CCS folder") !=
        std::string::npos);
  CHECK(r.out.find(secret) == std::string::npos);
  r = sslbind({"resolve", "ipport=127.0.0.1:443", "hostname=shop.contoso.com"});
  CHECK(r.out.find(shop) != std::string::npos);
}
