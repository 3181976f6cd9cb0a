#include "core/checks.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/name_match.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::int64_t kDay = 24 * 3600;

class Checker {
 public:
  explicit Checker(const CheckInput& in) : in_(in), bindings_(in.state->bindings) {}

  std::vector<Finding> run() {
    for (const auto& [key, b] : bindings_) {
      if (b.settings.certhash) check_bound_certificate(b);
    }
    check_ip_bindings_hiding_names();
    check_ccs();
    check_fallbacks();
    std::stable_sort(out_.begin(), out_.end(),
                     [](const Finding& a, const Finding& b) { return a.severity < b.severity; });
    return std::move(out_);
  }

 private:
  void add(Severity s, std::string rule, std::string subject, std::string message, std::string fix) {
    out_.push_back({s, std::move(rule), std::move(subject), std::move(message), std::move(fix)});
  }

  std::string store_of(const Binding& b) const { return b.settings.effective_store(); }

  std::optional<CertificateInfo> certificate_of(const Binding& b) const {
    auto found = in_.find_certificate(store_of(b), *b.settings.certhash);
    return found ? *found : std::nullopt;  // an unusable file is reported as certificate-unusable
  }

  void check_expiry(const CertificateInfo& c, const std::string& subject, const std::string& renew) {
    if (c.not_after <= in_.now) {
      add(Severity::Error, "certificate-expired", subject,
          "certificate " + c.thumbprint.hex() + " (" + c.subject + ") has expired; clients refuse it", renew);
    } else if (c.not_after - in_.now <= static_cast<std::int64_t>(in_.expiry_days) * kDay) {
      add(Severity::Warning, "certificate-expiring", subject,
          "certificate " + c.thumbprint.hex() + " (" + c.subject + ") expires in " +
              std::to_string((c.not_after - in_.now) / kDay) + " days",
          renew);
    }
  }

  void check_bound_certificate(const Binding& b) {
    const std::string subject = b.key.as_parameter();
    const std::string hash = b.settings.certhash->hex();
    const auto found = in_.find_certificate(store_of(b), *b.settings.certhash);
    const std::string replace = "import it with: sslbind add cert file=<pfx> certstorename=" + store_of(b) +
                                ", or bind another with: sslbind update sslcert " + subject + " certhash=<thumbprint>";
    if (!found) {
      add(Severity::Error, "certificate-unusable", subject,
          found.error().detail + "; HTTP.SYS cannot serve this binding with it", replace);
      return;
    }
    const auto& cert = *found;
    if (!cert) {
      add(Severity::Error, "certificate-missing", subject,
          "certificate " + hash + " is not in store " + store_of(b) + "; HTTP.SYS cannot serve this binding", replace);
      return;
    }
    if (!cert->has_private_key) {
      add(Severity::Error, "certificate-without-key", subject,
          "certificate " + hash + " is in store " + store_of(b) + " without its private key", replace);
    }
    check_expiry(*cert, subject,
                 "renew it, import the new certificate and run: sslbind update sslcert " + subject +
                     " certhash=<new thumbprint> appid=" + b.settings.appid.str());
    check_must_staple(b, *cert, subject);
    if (b.key.kind() == KeyKind::HostnamePort && !certificate_covers(*cert, b.key.host())) {
      add(Severity::Warning, "name-mismatch", subject,
          "certificate " + hash + " (" + cert->subject + ", DNS names " + names_of(*cert) + ") does not cover " +
              b.key.host(),
          "bind a certificate whose names include " + b.key.host());
    }
  }

  // A Must-Staple certificate without a staple is refused by browsers that honour it (Firefox hard-fails), and serve
  // staples only where HTTP.SYS would: IP bindings, SNI and CCS ones with the machine's setting, never with
  // disableocspstapling, and only for a certificate that names a responder.
  void check_must_staple(const Binding& b, const CertificateInfo& cert, const std::string& subject) {
    if (!cert.must_staple) return;
    std::string why;
    if (!cert.names_ocsp_responder) {
      why = "it names no OCSP responder";
    } else if ((b.settings.flags & ssl_flag::kDisableOcspStapling) != 0) {
      why = "the binding has disableocspstapling";
    } else if (b.key.kind() != KeyKind::IpPort &&
               !(in_.state->tls_policy && in_.state->tls_policy->ocsp_stapling_for_sni)) {
      why = "SNI and CCS bindings staple only with: sslbind set tlspolicy ocspstaplingforsni=enable";
    }
    if (why.empty()) return;
    add(Severity::Error, "must-staple-without-staple", subject,
        "certificate " + cert.thumbprint.hex() + " (" + cert.subject +
            ") requires a stapled OCSP response (Must-Staple), which serve cannot send: " + why +
            "; browsers that honour Must-Staple refuse the site",
        "bind a certificate without Must-Staple, or let serve staple for this binding");
  }

  // The first few of a list, so that a finding stays one line on a front end with thousands of sites.
  static std::string some_of(const std::vector<std::string>& items) {
    constexpr std::size_t kShown = 3;
    if (items.size() <= kShown) return text::join(items, ", ");
    return text::join(std::span(items).first(kShown), ", ") + " and " + std::to_string(items.size() - kShown) + " more";
  }

  static std::string names_of(const CertificateInfo& c) {
    return c.dns_names.empty() ? "none" : text::join(c.dns_names, ", ");
  }

  // Seed 001 / KP-SNI: a binding on a specific IP:port answers every client on that address before SNI and CCS.
  void check_ip_bindings_hiding_names() {
    std::map<std::uint16_t, std::vector<std::string>> names_by_port;
    for (const auto& [key, b] : bindings_) {
      if (key.kind() != KeyKind::IpPort) names_by_port[key.port()].push_back(key.as_parameter());
    }
    for (const auto& [key, b] : bindings_) {
      if (key.kind() != KeyKind::IpPort || key.ip_port().address.is_wildcard()) continue;
      const auto it = names_by_port.find(key.port());
      if (it == names_by_port.end()) continue;
      add(Severity::Warning, "ip-binding-hides-names", key.as_parameter(),
          "every client connecting to " + key.value() + " gets this binding's certificate; " + some_of(it->second) +
              " never serve connections to that address",
          "if the sites on " + key.value() + " use SNI or CCS, delete it (sslbind delete sslcert " +
              key.as_parameter() + ") and keep 0.0.0.0:" + std::to_string(key.port()) + " as the fallback");
    }
  }

  bool has_ccs_binding() const {
    return std::any_of(bindings_.begin(), bindings_.end(), [](const auto& kv) {
      return kv.first.kind() == KeyKind::Ccs || kv.first.kind() == KeyKind::ScopedCcs;
    });
  }

  void check_ccs() {
    const auto& provider = in_.state->ccs_provider;
    const bool enabled = provider && provider->enabled;
    if (has_ccs_binding() && !enabled) {
      for (const auto& [key, b] : bindings_) {
        if (key.kind() != KeyKind::Ccs && key.kind() != KeyKind::ScopedCcs) continue;
        add(Severity::Error, "ccs-without-provider", key.as_parameter(),
            "no Central Certificate Store provider is enabled, so this binding never finds a certificate",
            "enable one with: sslbind add ccs location=<folder of <hostname>.pfx files>");
      }
    }
    if (!enabled) return;
    if (in_.ccs_problem) {
      add(Severity::Error, "ccs-folder-unreadable", provider->location, *in_.ccs_problem,
          "make the folder readable, or point the provider elsewhere with: sslbind update ccs location=<folder>");
      return;
    }
    std::set<std::string> sni_hosts;
    for (const auto& [key, b] : bindings_) {
      if (key.kind() == KeyKind::HostnamePort) sni_hosts.insert(text::to_lower(key.host()));
    }
    for (const CcsEntry& f : in_.ccs_files) {
      if (!f.certificate) {
        add(Severity::Error, "ccs-file-unreadable", f.file_name, "cannot be opened: " + f.problem,
            "replace the file, or set the password every PFX uses with: sslbind update ccs passwordfile=<file>");
        continue;
      }
      const CertificateInfo& c = *f.certificate;
      if (!c.has_private_key) {
        add(Severity::Error, "ccs-file-without-key", f.file_name,
            "holds certificate " + c.thumbprint.hex() + " without its private key",
            "export the certificate again with its private key");
      }
      check_expiry(c, f.file_name, "replace " + f.file_name + " with the renewed certificate");
      if (!certificate_covers(c, f.hostname)) {
        add(Severity::Warning, "name-mismatch", f.file_name,
            "serves " + f.hostname + " but its certificate (" + c.subject + ", DNS names " + names_of(c) +
                ") does not cover that name",
            "put a certificate for " + f.hostname + " in the file, or rename the file after a name it covers");
      }
      if (sni_hosts.contains(text::to_lower(f.hostname))) {
        add(Severity::Warning, "sni-and-ccs", f.file_name,
            f.hostname + " has a hostname:port binding too; that binding wins and this file is never served",
            "delete one of the two: sslbind delete sslcert hostnameport=" + f.hostname + ":<port>, or the file");
      }
    }
  }

  // The wildcard bindings catch every client that no earlier step served, SNI or not.
  void check_fallbacks() {
    std::set<std::uint16_t> ports_with_names;
    std::set<std::uint16_t> ports_with_fallback;
    for (const auto& [key, b] : bindings_) {
      if (key.kind() != KeyKind::IpPort)
        ports_with_names.insert(key.port());
      else if (key.ip_port().address.is_wildcard())
        ports_with_fallback.insert(key.port());
    }
    for (const auto& [key, b] : bindings_) {
      if (key.kind() != KeyKind::IpPort || !key.ip_port().address.is_wildcard()) continue;
      const auto cert = certificate_of(b);
      if (!cert) continue;  // reported as certificate-missing
      if (cert->dns_names.empty() && (common_name(*cert).empty() || cert->subject == cert->issuer)) {
        add(Severity::Warning, "fallback-certificate-no-names", key.as_parameter(),
            "serves " + cert->subject +
                ", a self-signed certificate without host names, to every client that "
                "no other binding or CCS file serves; browsers show a certificate error",
            "bind a wildcard certificate for your sites' domain: sslbind delete sslcert " + key.as_parameter() +
                ", then sslbind add sslcert " + key.as_parameter() +
                " certhash=<thumbprint> appid=" + b.settings.appid.str() + " certstorename=MY (docs/recipes.md)");
        continue;
      }
      for (const CcsEntry& f : in_.ccs_files) {
        if (f.usable() || certificate_covers(*cert, f.hostname)) continue;
        add(Severity::Warning, "fallback-name-mismatch", key.as_parameter(),
            f.hostname + " falls through to this binding (its CCS file cannot be used) and gets " + cert->subject +
                ", which does not cover it",
            "repair " + f.file_name + ", or bind a certificate that covers " + f.hostname);
      }
    }
    for (std::uint16_t port : ports_with_names) {
      if (ports_with_fallback.contains(port)) continue;
      add(Severity::Info, "no-fallback", "port " + std::to_string(port),
          "no 0.0.0.0:" + std::to_string(port) +
              " binding: clients without SNI, and host names without a binding "
              "or CCS file, get no certificate and the handshake fails",
          "add a default: sslbind add sslcert ipport=0.0.0.0:" + std::to_string(port) +
              " certhash=<thumbprint> appid=<GUID>");
    }
  }

  const CheckInput& in_;
  const BindingSet& bindings_;
  std::vector<Finding> out_;
};

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "info";
}

std::vector<Finding> run_checks(const CheckInput& input) { return Checker(input).run(); }

}  // namespace sslbind
