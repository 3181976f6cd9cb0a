#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/orphaned_temp_files.hpp"
#include "store/registry_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;

namespace {

Binding ccs(std::uint16_t port) { return Binding{BindingKey::ccs(port), {}}; }

}  // namespace

TEST_CASE("a missing registry is empty, the first write creates a private folder and file") {
  test::TempDir dir;
  store::RegistryFile reg(dir.path() / "nested" / "root");
  CHECK(reg.load()->bindings.empty());
  REQUIRE(reg.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
  struct stat st {};
  REQUIRE(::stat(reg.path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((dir.path() / "nested" / "root").c_str(), &st) == 0);
  CHECK((st.st_mode & 0077) == 0);
  CHECK(reg.load()->bindings.size() == 1);
}

TEST_CASE("a failed change writes nothing") {
  test::TempDir dir;
  store::RegistryFile reg(dir.path());
  REQUIRE(reg.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
  const std::string before = test::read_file(reg.path());
  auto r = reg.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); });
  CHECK(r.error().code == ErrorCode::AlreadyExists);
  CHECK(test::read_file(reg.path()) == before);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
  }
}

TEST_CASE("a damaged registry is reported and never overwritten") {
  test::TempDir dir;
  store::RegistryFile reg(dir.path());
  test::write_file(reg.path(), "{\"schemaVersion\": 1, \"HKEY_LOCAL");
  auto loaded = reg.load();
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == ErrorCode::RegistryUnreadable);
  CHECK(loaded.error().detail.find("not valid JSON at byte") != std::string::npos);
  CHECK(loaded.error().detail.find("it was left as it is") != std::string::npos);
  bool ran = false;
  auto r = reg.transact([&](RegistryState& s) {
    ran = true;
    return s.bindings.add(ccs(443));
  });
  CHECK_FALSE(r);
  CHECK_FALSE(ran);
  CHECK(test::read_file(reg.path()) == "{\"schemaVersion\": 1, \"HKEY_LOCAL");
}

TEST_CASE("an unreadable registry is reported, and never replaced") {
  // A folder where the file should be cannot be read by anyone, root included (CI runs as root).
  test::TempDir dir;
  store::RegistryFile reg(dir.path());
  std::filesystem::create_directory(reg.path());
  auto loaded = reg.load();
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().code == ErrorCode::RegistryUnreadable);
  CHECK_FALSE(reg.transact([](RegistryState& s) { return s.bindings.add(ccs(443)); }));
  CHECK(std::filesystem::is_directory(reg.path()));
}

TEST_CASE("a registry without read permission is reported (unprivileged users only)") {
  test::TempDir dir;
  store::RegistryFile reg(dir.path());
  test::write_file(reg.path(), "{}");
  ::chmod(reg.path().c_str(), 0);
  // Root reads through any mode: there the file is read, and "{}" is refused for its missing schemaVersion.
  CHECK(reg.load().error().code == ErrorCode::RegistryUnreadable);
}

TEST_CASE("the names of temporary files: what mkstemp makes after .tmp. and nothing else") {
  using sslbind::store::is_temp_file_name;
  CHECK(is_temp_file_name("registry.json.tmp.Ab3dE9"));
  CHECK(is_temp_file_name("0123456789abcdef0123456789abcdef01234567.pem.tmp.zz01QQ"));
  CHECK(is_temp_file_name("x.tmp.000000"));
  CHECK_FALSE(is_temp_file_name("registry.json"));
  CHECK_FALSE(is_temp_file_name(".tmp.Ab3dE9"));              // no name before the mark
  CHECK_FALSE(is_temp_file_name("registry.json.tmp.Ab3dE"));  // five characters
  CHECK_FALSE(is_temp_file_name("registry.json.tmp.Ab3dE90"));
  CHECK_FALSE(is_temp_file_name("notes.tmp.txt"));
  CHECK_FALSE(is_temp_file_name("registry.json.tmp.Ab-dE9"));
  CHECK_FALSE(is_temp_file_name("registry.json.TMP.Ab3dE9"));
}
