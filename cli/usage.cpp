#include "cli/usage.hpp"

#include "core/parameters.hpp"

namespace sslbind::cli {
namespace {

constexpr std::string_view kKeys =
    "hostnameport=<name:port> | ipport=<ipaddr:port> | ccs=<port> | scopedccs=<name:port>";

bool verb_takes(Verb verb, const ParamSpec& p) {
  if (is_key_parameter(p)) return true;
  if (p.type == ParamType::JsonSwitch) return verb == Verb::Show;
  return verb == Verb::Add || verb == Verb::Update;
}

std::string parameter_list(Verb verb) {
  std::string out = "\nParameters:\n\n    Tag              Value\n";
  for (const ParamSpec& p : sslcert_parameters()) {
    if (!verb_takes(verb, p)) continue;
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
    case Verb::Delete: return "Deletes SSL server certificate bindings and the corresponding client certificate policies.";
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
  if (verb == Verb::Show) out += "[" + std::string(kKeys) + "]\n";
  else out += std::string(kKeys) + "\n";
  for (const ParamSpec& p : sslcert_parameters()) {
    if (is_key_parameter(p) || !verb_takes(verb, p)) continue;
    const std::string item = std::string(p.name) + "=" + std::string(p.placeholder);
    // appid is the one option every add/update form requires.
    out += p.type == ParamType::AppId ? "        " + item + "\n" : "        [" + item + "]\n";
  }
  out += parameter_list(verb);
  out += "\nRemarks: " + std::string(remark(verb)) + "\n\nExamples:\n\n" + examples(verb);
  return out;
}

std::string general_help() {
  return "Usage: sslbind [--root DIR] [--json] [http] <command> sslcert [key=value ...]\n"
         "\n"
         "The following commands are available:\n"
         "\n"
         "Commands in this context:\n"
         "add sslcert    - Adds an SSL server certificate binding.\n"
         "delete sslcert - Deletes an SSL server certificate binding.\n"
         "show sslcert   - Displays SSL server certificate bindings.\n"
         "update sslcert - Updates an SSL server certificate binding.\n"
         "add cert       - Adds a certificate (PFX or PEM) to a certificate store.\n"
         "delete cert    - Deletes a certificate from a certificate store.\n"
         "show cert      - Lists the certificates of one store or of every store.\n"
         "\n"
         "Options:\n"
         "  --root DIR     folder of the registry (default: $SSLBIND_ROOT, /etc/sslbind for root,\n"
         "                 else $XDG_CONFIG_HOME/sslbind)\n"
         "  --json         print the result, or the error, as one JSON document on standard output\n"
         "  --version      print the version\n"
         "\n"
         "Type 'sslbind <command> sslcert help' for the parameters of a command.\n"
         "Exit codes: 0 ok, 1 operation failed, 2 bad command or parameter, 3 registry unreadable or unwritable.\n";
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

}  // namespace sslbind::cli
