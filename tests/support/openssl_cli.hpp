#pragma once
// The openssl command line, for tests that need real certificates and an independent thumbprint.
#include <filesystem>
#include <string>
#include <vector>

namespace sslbind::test {

// Runs /usr/bin/openssl with the arguments; throws with openssl's stderr if it fails.
void openssl(std::vector<std::string> args);

// openssl's own SHA-1 fingerprint of a PEM certificate: 40 lower-case hex digits.
std::string openssl_sha1(const std::filesystem::path& pem);

}  // namespace sslbind::test
