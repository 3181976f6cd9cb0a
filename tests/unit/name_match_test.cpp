#include <doctest/doctest.h>

#include "core/name_match.hpp"

using namespace sslbind;

TEST_CASE("host name patterns") {
  CHECK(hostname_matches("www.contoso.com", "WWW.contoso.com"));
  CHECK_FALSE(hostname_matches("www.contoso.com", "contoso.com"));
  CHECK(hostname_matches("*.contoso.com", "www.contoso.com"));
  CHECK_FALSE(hostname_matches("*.contoso.com", "contoso.com"));
  CHECK_FALSE(hostname_matches("*.contoso.com", "a.b.contoso.com"));  // one label only
  CHECK_FALSE(hostname_matches("*.contoso.com", ".contoso.com"));
}

TEST_CASE("certificates cover names by SAN, and by CN only without DNS SANs") {
  CertificateInfo c;
  c.subject = "CN=www.contoso.com, O=Contoso";
  CHECK(common_name(c) == "www.contoso.com");
  CHECK(certificate_covers(c, "www.contoso.com"));
  c.dns_names = {"shop.contoso.com", "*.fabrikam.com"};
  CHECK_FALSE(certificate_covers(c, "www.contoso.com"));
  CHECK(certificate_covers(c, "shop.contoso.com"));
  CHECK(certificate_covers(c, "www.fabrikam.com"));
  CertificateInfo def;
  def.subject = "CN=Default";
  CHECK(common_name(def) == "Default");
  CHECK_FALSE(certificate_covers(def, "www.contoso.com"));
  CertificateInfo no_cn;
  no_cn.subject = "O=Contoso, C=US";
  CHECK(common_name(no_cn).empty());
  CHECK_FALSE(certificate_covers(no_cn, "contoso"));
}
