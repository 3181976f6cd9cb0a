#include <doctest/doctest.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "serve/arr_ssl.hpp"

using namespace sslbind::serve;

namespace {

struct NameFree {
  void operator()(X509_NAME* n) const { X509_NAME_free(n); }
};
using Name = std::unique_ptr<X509_NAME, NameFree>;

// set: -1 a new relative name at the end, 0 joins the last one (multi-valued).
void add(X509_NAME* name, const char* field, const std::string& value, int set = 0, int loc = -1) {
  REQUIRE(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                                     static_cast<int>(value.size()), loc, set) == 1);
}

}  // namespace

TEST_SUITE("serve::arr_ssl") {
  TEST_CASE("names in certificate order with Windows' keys, as ARR's captured header shows them") {
    Name name(X509_NAME_new());
    add(name.get(), "C", "NO");
    add(name.get(), "L", "Drammen");
    add(name.get(), "O", "HS");
    add(name.get(), "OU", "STHF");
    add(name.get(), "CN", "abc.xyz.com");
    CHECK(windows_name_text(name.get()) == "C=NO, L=Drammen, O=HS, OU=STHF, CN=abc.xyz.com");
  }

  TEST_CASE("S for the state, E for e-mail, OID for the unknown, quoting, multi-valued names, no '|'") {
    Name name(X509_NAME_new());
    add(name.get(), "C", "US");
    add(name.get(), "ST", "Washington");
    add(name.get(), "emailAddress", "a@contoso.com");
    add(name.get(), "O", "Contoso, Ltd");
    add(name.get(), "OU", "A");
    add(name.get(), "OU", "B", -1, -1);  // the same relative name as the last: "OU=A + OU=B"
    add(name.get(), "1.2.3.4", "x");
    add(name.get(), "CN", "say \"hi\"|now");
    CHECK(windows_name_text(name.get()) ==
          "C=US, S=Washington, E=a@contoso.com, O=\"Contoso, Ltd\", OU=A + OU=B, OID.1.2.3.4=x, "
          "CN=\"say \"\"hi\"\" now\"");
  }

  TEST_CASE("an empty name") {
    Name name(X509_NAME_new());
    CHECK(windows_name_text(name.get()).empty());
  }
}
