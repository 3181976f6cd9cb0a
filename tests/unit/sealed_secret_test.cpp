#include <doctest/doctest.h>
#include <sys/stat.h>

#include "store/sealed_secret.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sslbind;

TEST_CASE("sealed secrets open with the key of their root only") {
  test::TempDir root;
  const store::SecretSealer sealer(root.path());
  auto sealed = sealer.seal("p@ss wörd");
  REQUIRE(sealed);
  CHECK(sealed->starts_with("sslbind-aes-256-gcm:"));
  CHECK(sealed->find("p@ss") == std::string::npos);
  CHECK(sealer.unseal(*sealed).value() == "p@ss wörd");
  CHECK(*sealer.seal("p@ss wörd") != *sealed);  // a fresh nonce each time
  CHECK(sealer.unseal(*sealer.seal("")).value().empty());

  struct stat st {};
  REQUIRE(::stat((root.path() / "keys" / "registry-secret.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  test::TempDir other;
  auto foreign = store::SecretSealer(other.path()).unseal(*sealed);
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().code == ErrorCode::RegistryUnreadable);
  CHECK(foreign.error().detail.find("the key file is missing") != std::string::npos);
  REQUIRE(store::SecretSealer(other.path()).seal("x"));  // now `other` has a key of its own
  CHECK(store::SecretSealer(other.path()).unseal(*sealed).error().detail.find("does not open it") != std::string::npos);

  std::string tampered = *sealed;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(sealer.unseal(tampered));
  CHECK(sealer.unseal("plain text").error().detail.find("not sealed by sslbind") != std::string::npos);
  CHECK_FALSE(sealer.unseal("sslbind-aes-256-gcm:!!!!"));
}
