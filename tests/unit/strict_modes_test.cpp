#include "store/strict_modes.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/temp_dir.hpp"

using namespace sslbind;
using sslbind::store::check_private;
using sslbind::store::PrivateKind;
namespace fs = std::filesystem;

TEST_CASE("strict modes: what passes") {
  sslbind::test::TempDir dir;
  CHECK(check_private(dir.path(), PrivateKind::Folder));                    // mkdtemp: 0700, ours
  CHECK(check_private(dir.path() / "missing", PrivateKind::File));          // sslbind creates it privately
  CHECK(check_private(dir.path() / "missing" / "x", PrivateKind::Folder));  // under a missing folder
  sslbind::test::write_file(dir.path() / "f", "x");
  REQUIRE(::chmod((dir.path() / "f").c_str(), 0644) == 0);
  CHECK(check_private(dir.path() / "f", PrivateKind::File));  // readable by others is fine; writable is not
}

TEST_CASE("strict modes: links, group or other write, another owner") {
  sslbind::test::TempDir dir;
  const fs::path file = dir.path() / "f";
  sslbind::test::write_file(file, "x");
  fs::create_symlink(file, dir.path() / "link");
  auto s = check_private(dir.path() / "link", PrivateKind::File);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == ErrorCode::RegistryUnreadable);
  CHECK(s.error().detail == (dir.path() / "link").string() +
                                " is a symbolic link; sslbind uses only a real file here, which a planted link cannot "
                                "redirect: replace the link with the file itself");
  fs::create_symlink(dir.path() / "nowhere", dir.path() / "dangling");  // a dangling link is a link too
  CHECK_FALSE(check_private(dir.path() / "dangling", PrivateKind::File));
  for (mode_t mode : {0620U, 0602U, 0666U}) {
    REQUIRE(::chmod(file.c_str(), mode) == 0);
    s = check_private(file, PrivateKind::File);
    REQUIRE_FALSE(s);
    CHECK(s.error().detail.find("is writable by its group or by others") != std::string::npos);
  }
  REQUIRE(::chmod(file.c_str(), 0600) == 0);
  if (::geteuid() == 0) {
    REQUIRE(::chown(file.c_str(), 65534, 65534) == 0);
    s = check_private(file, PrivateKind::File);
    REQUIRE_FALSE(s);
    CHECK(s.error().detail ==
          file.string() + " is owned by uid 65534, not by uid 0 that runs sslbind: chown 0 " + file.string());
  }
}
