#pragma once
// Certificate files for tests that need what the openssl command line cannot make directly (expired
// certificates, chosen SANs) — written as PFX or PEM so that sslbind reads them like any other file.
#include <filesystem>
#include <string>

#include "store/self_signed.hpp"

namespace sslbind::test {

constexpr std::int64_t kDay = 24 * 3600;

// Writes a .pfx (PKCS#12) with `password`, with or without the private key. Returns the thumbprint (hex).
std::string write_pfx(const std::filesystem::path& file, const store::SelfSignedSpec& spec, const std::string& password,
                      bool with_key = true);
// Writes the certificate and its key into one PEM file. Returns the thumbprint (hex).
std::string write_pem(const std::filesystem::path& file, const store::SelfSignedSpec& spec);

// A certificate for `host` (CN and SAN) valid from yesterday for `days` more days (negative: expired).
store::SelfSignedSpec host_certificate(const std::string& host, std::int64_t days = 365);

}  // namespace sslbind::test
