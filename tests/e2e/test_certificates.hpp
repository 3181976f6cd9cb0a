#pragma once
// Two self-signed certificates made once per test process with the openssl command line, so that bindings in
// end-to-end tests name certificates that really are in a store.
#include <string>

namespace sslbind::test {

struct TestCertificate {
  std::string pem;         // certificate and key in one PEM file
  std::string thumbprint;  // lower-case SHA-1, as openssl computes it
};

const TestCertificate& test_certificate(int which);  // 0 or 1

inline const std::string& hash0() { return test_certificate(0).thumbprint; }
inline const std::string& hash1() { return test_certificate(1).thumbprint; }

}  // namespace sslbind::test
