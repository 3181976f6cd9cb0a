#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "store/ccs_provider.hpp"
#include "store/sealed_secret.hpp"
#include "tests/support/certificate_factory.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;

namespace {

struct Folder {
  test::TempDir root;
  std::filesystem::path dir = root.path() / "ccs";
  CcsProviderConfig config{true, dir.string(), std::nullopt, std::nullopt, 300};

  Folder() { std::filesystem::create_directories(dir); }
  void password(const std::string& p) {
    config.sealed_private_key_password = *store::SecretSealer(root.path()).seal(p);
  }
  store::CcsProvider open() const { return store::CcsProvider::open(config, root.path()).value(); }
};

}  // namespace

TEST_CASE("CCS lookup: <host>.pfx, then _.<parent>.pfx, without regard to case") {
  Folder f;
  f.password("s3cret");
  const auto www = test::write_pfx(f.dir / "www.contoso.com.pfx", test::host_certificate("www.contoso.com"), "s3cret");
  const auto wild = test::write_pfx(f.dir / "_.Contoso.com.pfx", test::host_certificate("*.contoso.com"), "s3cret");
  const auto provider = f.open();

  auto exact = provider.lookup("WWW.contoso.com").value();
  CHECK(exact.tried == std::vector<std::string>{"www.contoso.com.pfx"});
  REQUIRE(exact.entry);
  CHECK(exact.entry->file_name == "www.contoso.com.pfx");
  CHECK(exact.entry->certificate->thumbprint.hex() == www);
  CHECK(exact.entry->usable());

  auto wildcard = provider.lookup("shop.contoso.com").value();
  CHECK(wildcard.tried == std::vector<std::string>{"shop.contoso.com.pfx", "_.contoso.com.pfx"});
  REQUIRE(wildcard.entry);
  CHECK(wildcard.entry->file_name == "_.Contoso.com.pfx");
  CHECK(wildcard.entry->hostname == "*.Contoso.com");
  CHECK(wildcard.entry->certificate->thumbprint.hex() == wild);

  auto deeper = provider.lookup("a.shop.contoso.com").value();  // _.shop.contoso.com.pfx is not there
  CHECK(deeper.tried.size() == 2);
  CHECK_FALSE(deeper.entry);
  CHECK_FALSE(provider.lookup("fabrikam.com").value().entry);

  auto outcome = provider.outcome("www.contoso.com");
  CHECK(outcome.usable);
  CHECK(outcome.file == "www.contoso.com.pfx");
}

TEST_CASE("CCS lookup: traversal attempts are refused before the folder is touched") {
  Folder f;
  test::write_pfx(f.root.path() / "secret.pfx", test::host_certificate("secret"), "");
  const auto provider = f.open();
  for (const std::string& host :
       std::vector<std::string>{"../secret", "..", "../../etc/passwd", "a/../../secret", "x\\..\\secret",
                                std::string("www.contoso.com\0/../secret", 26), std::string(300, 'a')}) {
    CAPTURE(host);
    auto r = provider.lookup(host);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::InvalidParameter);
    const auto outcome = provider.outcome(host);
    CHECK_FALSE(outcome.usable);
    CHECK(outcome.tried.empty());
    CHECK(outcome.problem.find("the Central Certificate Store is not searched") != std::string::npos);
  }
}

TEST_CASE("CCS files that cannot be used are listed with the reason") {
  Folder f;
  f.password("right");
  test::write_pfx(f.dir / "good.contoso.com.pfx", test::host_certificate("good.contoso.com"), "right");
  test::write_pfx(f.dir / "wrong.contoso.com.pfx", test::host_certificate("wrong.contoso.com"), "other");
  test::write_pfx(f.dir / "nokey.contoso.com.pfx", test::host_certificate("nokey.contoso.com"), "right", false);
  test::write_file(f.dir / "junk.contoso.com.pfx", "not a pfx");
  test::write_file(f.dir / "readme.txt", "x");
  std::filesystem::create_directory(f.dir / "sub.contoso.com.pfx");  // a folder is not a certificate
  const auto provider = f.open();
  const auto entries = provider.list();
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].file_name == "good.contoso.com.pfx");
  CHECK(entries[0].usable());
  CHECK(entries[1].file_name == "junk.contoso.com.pfx");
  CHECK(entries[1].problem.find("is not a PFX (PKCS#12) file") != std::string::npos);
  CHECK(entries[2].file_name == "nokey.contoso.com.pfx");
  CHECK(entries[2].certificate);
  CHECK_FALSE(entries[2].usable());
  CHECK(entries[3].problem.find("the password is wrong") != std::string::npos);
  CHECK(provider.ignored_files() == std::vector<std::string>{"readme.txt", "sub.contoso.com.pfx"});
  CHECK(provider.outcome("nokey.contoso.com").problem == "nokey.contoso.com.pfx holds no private key");
  CHECK(provider.outcome("wrong.contoso.com").problem.find("cannot be opened") != std::string::npos);
}

TEST_CASE("CCS provider: not configured, disabled, or folder missing") {
  Folder f;
  CHECK(store::CcsProvider::open(std::nullopt, f.root.path()).error().code == ErrorCode::SourceUnavailable);
  auto disabled = f.config;
  disabled.enabled = false;
  CHECK(store::CcsProvider::open(disabled, f.root.path()).error().detail.find("disabled") != std::string::npos);
  auto missing = f.config;
  missing.location = (f.root.path() / "gone").string();
  CHECK(store::CcsProvider::open(missing, f.root.path()).error().detail.find("cannot be listed") != std::string::npos);
}

TEST_CASE("refresh lists the folder again, a changed file is read again") {
  Folder f;
  const auto first = test::write_pfx(f.dir / "www.contoso.com.pfx", test::host_certificate("www.contoso.com"), "");
  auto provider = f.open();
  CHECK_FALSE(provider.outcome("new.contoso.com").file);
  CHECK(provider.outcome("www.contoso.com").certificate->thumbprint.hex() == first);

  test::write_pfx(f.dir / "new.contoso.com.pfx", test::host_certificate("new.contoso.com"), "");
  CHECK_FALSE(provider.outcome("new.contoso.com").file);  // the listing is the one made at open
  REQUIRE(provider.refresh());
  CHECK(provider.outcome("new.contoso.com").usable);

  // Replaced under the same name (a new inode): the next load reads the new certificate.
  const auto second = test::write_pfx(f.dir / "www.contoso.com.pfx.new", test::host_certificate("www.contoso.com"), "");
  std::filesystem::rename(f.dir / "www.contoso.com.pfx.new", f.dir / "www.contoso.com.pfx");
  REQUIRE(second != first);
  CHECK(provider.outcome("www.contoso.com").certificate->thumbprint.hex() == second);

  // A file that is gone is gone after the next refresh; a folder that cannot be listed keeps the last listing.
  std::filesystem::remove(f.dir / "new.contoso.com.pfx");
  REQUIRE(provider.refresh());
  CHECK_FALSE(provider.outcome("new.contoso.com").file);
  std::filesystem::rename(f.dir, f.root.path() / "moved");
  CHECK_FALSE(provider.refresh());
  CHECK(provider.index()->pfx_files().size() == 1);
}

TEST_CASE("lookups from several threads while the folder is refreshed") {
  Folder f;
  for (int i = 0; i < 8; ++i) {
    const std::string host = "site" + std::to_string(i) + ".contoso.com";
    test::write_pfx(f.dir / (host + ".pfx"), test::host_certificate(host), "");
  }
  auto provider = f.open();
  std::atomic<int> usable{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        const std::string host = "site" + std::to_string((t + round) % 8) + ".contoso.com";
        usable += provider.outcome(host).usable ? 1 : 0;
      }
    });
  }
  for (int round = 0; round < 20; ++round) CHECK(provider.refresh());
  for (auto& r : readers) r.join();
  CHECK(usable == 4 * 50);
}

TEST_CASE("listed later: nothing is listed until install, which wakes the waiters, also when it fails") {
  Folder f;
  test::write_pfx(f.dir / "www.contoso.com.pfx", test::host_certificate("www.contoso.com"), "");
  test::write_pfx(f.dir / "WWW.contoso.com.pfx", test::host_certificate("www.contoso.com"), "");
  auto later = store::CcsProvider::open(f.config, f.root.path(), store::Listing::Later).value();
  CHECK_FALSE(later.index());
  CHECK_FALSE(later.listing_problem());
  CHECK_FALSE(later.lookup("www.contoso.com"));  // no answer before the listing: it could not be told
  int woken = 0;
  CHECK(later.wait_for_listing([&] { ++woken; }));
  CHECK(later.wait_for_listing([&] { ++woken; }));
  REQUIRE(later.install(store::CcsFolderIndex::list(f.dir)));
  CHECK(woken == 2);
  CHECK_FALSE(later.wait_for_listing([&] { ++woken; }));  // nothing left to wait for
  REQUIRE(later.index());
  // Of two spellings, the lower-case one is served, as the front end serves it before the listing ends.
  CHECK(later.lookup("WWW.Contoso.com")->entry->file_name == "www.contoso.com.pfx");
  CHECK(later.ignored_files() == std::vector<std::string>{"WWW.contoso.com.pfx"});

  auto failing = store::CcsProvider::open(f.config, f.root.path(), store::Listing::Later).value();
  CHECK(failing.wait_for_listing([&] { ++woken; }));
  CHECK_FALSE(failing.install(store::CcsFolderIndex::list(f.root.path() / "missing")));
  CHECK(woken == 3);
  REQUIRE(failing.listing_problem());
  CHECK(failing.listing_problem()->find("cannot be listed") != std::string::npos);
  CHECK_FALSE(failing.wait_for_listing([&] { ++woken; }));
}
