#include "cli/usage.hpp"

#include "core/parameters.hpp"

namespace sslbind::cli {
namespace {

constexpr std::string_view kKeys =
    "hostnameport=<name:port> | ipport=<ipaddr:port> | ccs=<port> | scopedccs=<name:port>";

std::string parameter_list(Verb verb) {
  std::string out = "\nParameters:\n\n    Tag              Value\n";
  for (const ParamSpec& p : sslcert_parameters()) {
    if (!sslcert_verb_takes(verb, p)) continue;
    std::string tag = "    " + std::string(p.name);
    tag.append(tag.size() < 21 ? 21 - tag.size() : 1, ' ');
    out += tag + "- " + std::string(p.description) + "\n";
  }
  return out;
}

std::string_view remark(Verb verb) {
  switch (verb) {
    case Verb::Add:
      return "Adds a new SSL server certificate binding and corresponding client certificate policies for an IP "
             "address or hostname and a port.";
    case Verb::Update:
      return "Updates an existing SSL server certificate binding in one step; parameters not given return to their "
             "defaults.";
    case Verb::Delete:
      return "Deletes SSL server certificate bindings and the corresponding client certificate policies.";
    case Verb::Show: return "Lists SSL server certificate bindings; without a key, all of them.";
  }
  return "";
}

std::string examples(Verb verb) {
  const std::string v(verb_name(verb));
  switch (verb) {
    case Verb::Add:
    case Verb::Update:
      return "         " + v +
             " sslcert ipport=0.0.0.0:443 certhash=0102030405060708090A0B0C0D0E0F1011121314 "
             "appid={00112233-4455-6677-8899-AABBCCDDEEFF}\n         " +
             v +
             " sslcert hostnameport=www.contoso.com:443 certhash=0102030405060708090A0B0C0D0E0F1011121314 "
             "appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=MY\n         " +
             v + " sslcert ccs=443 appid={00112233-4455-6677-8899-AABBCCDDEEFF}\n";
    case Verb::Delete:
      return "         delete sslcert ipport=1.1.1.1:443\n         delete sslcert ipport=[::]:443\n"
             "         delete sslcert hostnameport=www.contoso.com:443\n         delete sslcert ccs=443\n";
    case Verb::Show:
      return "         show sslcert\n         show sslcert ipport=0.0.0.0:443\n"
             "         show sslcert hostnameport=www.contoso.com:443\n         show sslcert ccs=443\n";
  }
  return "";
}

}  // namespace

std::string usage(Verb verb) {
  std::string out = "Usage: " + std::string(verb_name(verb)) + " sslcert ";
  if (verb == Verb::Show)
    out += "[" + std::string(kKeys) + "]\n";
  else
    out += std::string(kKeys) + "\n";
  for (const ParamSpec& p : sslcert_parameters()) {
    if (is_key_parameter(p) || !sslcert_verb_takes(verb, p)) continue;
    const std::string item = std::string(p.name) + "=" + std::string(p.placeholder);
    // appid is the one option every add/update form requires.
    out += p.type == ParamType::AppId ? "        " + item + "\n" : "        [" + item + "]\n";
  }
  out += parameter_list(verb);
  out += "\nRemarks: " + std::string(remark(verb)) + "\n\nExamples:\n\n" + examples(verb);
  return out;
}

std::string sslpropertyex_usage() {
  return "Usage: update sslpropertyex " + std::string(kKeys) +
         "\n"
         "        [propertyid=0 receivewindow=<bytes>]\n"
         "        [propertyid=1 maxsettingsperframe=<u-int> maxsettingsperminute=<u-int>]\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    Tag                  Value\n"
         "    propertyid           - 0 (Http2Window) or 1 (Http2SettingsLimits): the extended property to set.\n"
         "    receivewindow        - propertyid=0: the HTTP/2 receive window in bytes, 1 to 2147483647\n"
         "                           (default 1048576).\n"
         "    maxsettingsperframe  - propertyid=1: the most settings one HTTP/2 SETTINGS frame may carry\n"
         "                           (default 2796202).\n"
         "    maxsettingsperminute - propertyid=1: the most HTTP/2 settings a client may send a minute, over all\n"
         "                           its SETTINGS frames (default 4294967295).\n"
         "\n"
         "Remarks: Sets one extended property of an existing binding (Windows Server 2019 and later list them\n"
         "         under \"Extended Properties:\"). update sslcert keeps them; delete sslcert removes them.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         update sslpropertyex ipport=0.0.0.0:443 propertyid=0 receivewindow=262144\n"
         "         update sslpropertyex hostnameport=www.contoso.com:443 propertyid=1 maxsettingsperframe=100 "
         "maxsettingsperminute=1000\n";
}

std::string webfarm_usage() {
  return "Usage: add webfarm name=<farm> server=<host:port>[,<host:port>...] [healthcheck=</path>|none]\n"
         "                  [healthinterval=<seconds>] [healthstatus=<code>|<low-high>]\n"
         "                  [loadbalance=roundrobin|leastrequests] [arrssl=enable|disable]\n"
         "                  [failures=<count>] [failurewindow=<seconds>]\n"
         "       update webfarm name=<farm> (the same, each optional: what is given changes)\n"
         "       delete webfarm name=<farm>\n"
         "       show webfarm [name=<farm>]\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    Tag              Value\n"
         "    name             - The farm's name: 1-64 letters, digits, '.', '-' or '_' (any case).\n"
         "    server           - Its web workers, reached over plain HTTP: IPv4, [IPv6] or a host name, and\n"
         "                       a port; comma-separated, at most 64.\n"
         "    healthcheck      - A path serve asks each server for (GET) every healthinterval seconds;\n"
         "                       a server is up while the answer's status is a healthstatus;\n"
         "                       none: only failed requests mark a server down.\n"
         "    healthinterval   - Seconds between two checks of a server: 1 to 3600 (default 5).\n"
         "    healthstatus     - The statuses that mean healthy: a code or a range (default 200-399).\n"
         "    loadbalance      - roundrobin (default) or leastrequests.\n"
         "    arrssl           - Send X-ARR-SSL (key bits|cipher bits|issuer|subject), as ARR does. Default\n"
         "                       enable.\n"
         "    failures         - Failed requests that take a server out, as ARR's live traffic test does:\n"
         "                       1 to 1000 (default 5). A refused connection counts as two, a reset or\n"
         "                       a broken answer after the request went as one.\n"
         "    failurewindow    - Seconds within which those failures count: 1 to 3600 (default 30). A server\n"
         "                       that went down is tried again after 10 s, or when its health check passes.\n"
         "\n"
         "Remarks: The front end sends each request to the farm of its Host's route (see show route).\n"
         "         delete webfarm is refused while a route uses the farm.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         add webfarm name=www server=10.0.0.11:80,10.0.0.12:80 healthcheck=/health\n"
         "         update webfarm name=www loadbalance=leastrequests\n";
}

std::string route_usage() {
  return "Usage: add route host=<name>|*.<domain>|* webfarm=<farm>\n"
         "       delete route host=<name>|*.<domain>|*\n"
         "       show route [host=<name>|*.<domain>|*]\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    Tag              Value\n"
         "    host             - The Host a request names: a host name, *.<domain> for one more label, or *\n"
         "                       for every other host.\n"
         "    webfarm          - The farm that serves it (add webfarm first).\n"
         "\n"
         "Remarks: A request goes to the route of its exact host, else of *.<its parent domain>, else of *;\n"
         "         with none, serve answers 404.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         add route host=www.contoso.com webfarm=www\n"
         "         add route host=*.contoso.com webfarm=www\n"
         "         add route host=* webfarm=default\n";
}

std::string cert_usage() {
  return "Usage: add cert file=<path> [keyfile=<path>] [password=<string> | passwordfile=<path>]\n"
         "                [certstorename=<string>]\n"
         "       show cert [certstorename=<string>]\n"
         "       delete cert certhash=<string> [certstorename=<string>]\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    file          - A .pfx/.p12 file (PKCS#12) or a PEM file with the certificate (and maybe its key).\n"
         "    keyfile       - PEM only: the private key, when it is not in file.\n"
         "    password      - The PFX password, or the PEM key's pass phrase.\n"
         "    passwordfile  - A file whose first line is the password (keeps it out of the process list).\n"
         "    certstorename - The store, as for sslcert. Default MY; show lists every store without it.\n"
         "    certhash      - The certificate's SHA-1 thumbprint.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         add cert file=www.contoso.com.pfx passwordfile=/root/pfx.pass certstorename=WebHosting\n"
         "         show cert certstorename=MY\n"
         "         delete cert certhash=0102030405060708090A0B0C0D0E0F1011121314\n";
}

std::string iplisten_usage(Verb verb) {
  if (verb == Verb::Show) {
    return "Usage: show iplisten\n"
           "\n"
           "Remarks: Lists the IP listen list: the addresses the front end listens on. Empty, it listens on every\n"
           "         address.\n";
  }
  const std::string v(verb_name(verb));
  return "Usage: " + v +
         " iplisten [ipaddress=]<IPv4 or IPv6 address>\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    Tag              Value\n"
         "    ipaddress      - IPv4 or IPv6 address to be " +
         (verb == Verb::Add ? "added to" : "deleted from") +
         " the IP listen list. The IP listen list is used to scope the\n"
         "                     list of addresses to which the HTTP service binds. \"0.0.0.0\" means any IPv4\n"
         "                     address and \"::\" means any IPv6 address.\n"
         "\n"
         "Remarks: serve listens only on the listed addresses, on every port a binding names, when the list is not\n"
         "         empty, and applies changes live.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         " +
         v +
         " iplisten ipaddress=fe80::1\n"
         "         " +
         v +
         " iplisten ipaddress=1.1.1.1\n"
         "         " +
         v +
         " iplisten ipaddress=0.0.0.0\n"
         "         " +
         v + " iplisten ipaddress=::\n";
}

std::string tls_policy_usage() {
  return "Usage: set tlspolicy [profile=modern|intermediate|old] [protocols=TLSv1.2,TLSv1.3] [ciphers=<list>]\n"
         "                     [ciphersuites=<list>] [groups=<list>] [sigalgs=<list>] [preference=server|client]\n"
         "                     [ocspstaplingforsni=enable|disable]\n"
         "       show tlspolicy\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    Tag              Value\n"
         "    profile        - One of Mozilla's server-side TLS profiles (guideline 5.7): modern (TLS 1.3 only),\n"
         "                     intermediate (TLS 1.2 and 1.3, the default) or old (TLS 1.0 to 1.3).\n"
         "    protocols      - The protocol versions, comma-separated: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.\n"
         "    ciphers        - TLS 1.2 and below: an OpenSSL cipher list, colon-separated.\n"
         "    ciphersuites   - TLS 1.3: the suites, colon-separated.\n"
         "    groups         - The key exchange groups, colon-separated (X25519:prime256v1:secp384r1).\n"
         "    sigalgs        - The signature algorithms, colon-separated; empty for OpenSSL's default.\n"
         "    preference     - Whose cipher order wins: client (Mozilla's modern and intermediate) or server.\n"
         "    ocspstaplingforsni - Staple OCSP responses for hostnameport and CCS bindings too, as Schannel's\n"
         "                     EnableOcspStaplingForSni does (IP bindings staple unless disableocspstapling).\n"
         "\n"
         "Remarks: One policy for every binding, as Schannel's is per machine; a binding's disablelegacytls,\n"
         "         disabletls12 and disabletls13 narrow it. A profile with other values given becomes \"custom\".\n"
         "         Names OpenSSL does not know are refused by name. serve applies the policy live.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         set tlspolicy profile=modern\n"
         "         set tlspolicy profile=intermediate groups=X25519:prime256v1\n"
         "         show tlspolicy\n";
}

std::string ccs_usage() {
  return "Usage: add ccs location=<folder> [privatekeypassword=<string> | passwordfile=<path>]\n"
         "               [username=<string>] [pollinginterval=<seconds>]\n"
         "       update ccs [location=<folder>] [privatekeypassword=<string> | passwordfile=<path>]\n"
         "               [username=<string>] [pollinginterval=<seconds>]\n"
         "       delete ccs\n"
         "       show ccs\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    location           - The folder of <hostname>.pfx files (_.contoso.com.pfx serves *.contoso.com).\n"
         "    privatekeypassword - The one password every PFX file opens with; empty for none. It is kept sealed.\n"
         "    passwordfile       - A file whose first line is that password.\n"
         "    username           - The account that reads the share, kept for IIS (CentralCertProvider\\UserName).\n"
         "    pollinginterval    - Seconds between checks of the folder by a front end. Default 300.\n"
         "\n"
         "Remarks: mirrors HKLM\\SOFTWARE\\Microsoft\\IIS\\CentralCertProvider. ccs=<port> bindings use it.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         add ccs location=/srv/ccs passwordfile=/root/ccs.pass\n"
         "         show ccs\n";
}

std::string init_usage() {
  return "Usage: init\n"
         "\n"
         "Creates what a hosting front end starts with: a self-signed certificate CN=Default in store MY, and the\n"
         "bindings ipport=0.0.0.0:443 (with that certificate) and ccs=443, both with\n"
         "appid={4dc3e181-e14b-4a21-b022-59fc669b0914}. Bindings that exist are left as they are, so init can run\n"
         "again at any time. Replace the Default certificate as docs/recipes.md shows.\n";
}

std::string dump_usage() {
  return "Usage: dump\n"
         "\n"
         "Prints the bindings as a script of add sslcert commands with every setting, in the form of\n"
         "`netsh http dump` (pushd http ... popd). `sslbind -f FILE` runs it as it is and recreates them, on this\n"
         "machine or another; settings no netsh parameter can carry are written as comments.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         dump > bindings.txt\n"
         "         sslbind --root /srv/other -f bindings.txt\n";
}

std::string resolve_usage() {
  return "Usage: resolve ipport=<ipaddr:port> [hostname=<name>]\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    ipport   - The address and port the client connects to (the server's side of the connection).\n"
         "    hostname - The name the client sends in SNI. Leave it out for a client without SNI.\n"
         "\n"
         "Remarks: applies HTTP.SYS's order: the exact IP:port binding, the hostname:port binding (SNI clients),\n"
         "the CCS binding of the port (<hostname>.pfx, then _.<parent>.pfx), [::]:port (IPv6 connections only),\n"
         "0.0.0.0:port. Prints the step that won, the certificate, and the bindings that step hid.\n"
         "\n"
         "Examples:\n"
         "\n"
         "         resolve ipport=10.0.0.5:443 hostname=www.contoso.com\n"
         "         resolve ipport=[2001:db8::5]:443\n";
}

std::string check_usage() {
  return "Usage: check [days=<n>]\n"
         "\n"
         "Parameters:\n"
         "\n"
         "    days - Report certificates that expire within this many days. Default 30.\n"
         "\n"
         "Remarks: lists findings with their severity and a fix. Exits 1 when a finding is an error.\n";
}

std::string interchange_usage() {
  return "Usage: export reg file=<path>|-\n"
         "       [--dry-run] [--add-or-update] import netsh file=<path>|-\n"
         "       [--dry-run] [--add-or-update] import reg file=<path>|-\n"
         "       export farmkey file=<path>\n"
         "       import farmkey file=<path>|-\n"
         "\n"
         "export reg writes the bindings (and the CCS provider, without its sealed password) as a Windows .reg file,\n"
         "Windows Registry Editor Version 5.00, UTF-16LE, for regedit /s on the Windows machine.\n"
         "import netsh reads the text of `netsh http show sslcert` saved on Windows (any layout from Server 2008 R2\n"
         "to 2022) and adds its bindings in one transaction; a line it cannot read is refused with its number.\n"
         "import reg reads a .reg file: Windows' reg export of "
         "HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters\n"
         "(its SslBindingInfo, SslSniBindingInfo and SslCcsBindingInfo keys) or sslbind's export reg; other keys and\n"
         "values are listed as skipped.\n"
         "Import the certificates first (sslbind add cert): each certhash must be in its store.\n"
         "export farmkey writes the key that seals the registry's secrets (the CCS password) to a file, mode 0600;\n"
         "import farmkey installs it on another front end of the farm (--store etcd://...), so that it opens them\n"
         "too. A root that holds another key refuses it.\n";
}

}  // namespace sslbind::cli
