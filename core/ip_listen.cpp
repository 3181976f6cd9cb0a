#include "core/ip_listen.hpp"

#include <algorithm>
#include <array>

#include "core/key_values.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

constexpr std::array<std::string_view, 1> kAddressParams{"ipaddress"};

}  // namespace

std::span<const std::string_view> iplisten_parameters(Verb verb) {
  if (verb == Verb::Add || verb == Verb::Delete) return kAddressParams;
  return {};
}

Result<IpListenCommand> parse_iplisten_arguments(Verb verb, std::span<const std::string> arguments) {
  IpListenCommand cmd;
  cmd.verb = verb;
  const std::string command = std::string(verb_name(verb)) + " iplisten";
  // As netsh allows, the address may come without its tag: "add iplisten 10.0.0.5".
  std::vector<std::string> words(arguments.begin(), arguments.end());
  if (words.size() == 1 && words.front().find('=') == std::string::npos && !iplisten_parameters(verb).empty()) {
    words.front() = "ipaddress=" + words.front();
  }
  auto kv = KeyValues::parse(words, iplisten_parameters(verb), command, "ipaddress=10.0.0.5");
  if (!kv) return kv.error();
  if (verb == Verb::Update) return invalid("iplisten has no update: delete the address and add another");
  if (verb == Verb::Show) return cmd;
  const auto value = kv->get("ipaddress");
  if (!value) {
    return Error(ErrorCode::MissingParameters,
                 command +
                     " needs ipaddress=<IPv4 or IPv6 address>, e.g. 10.0.0.5, 0.0.0.0 (every IPv4 address) or "
                     ":: (every IPv6 address)");
  }
  // The API's remarks write IPv6 addresses in brackets ([::1]); both forms name the same address.
  std::string_view text = *value;
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  auto address = IpAddress::parse(text, "ipaddress: IP");
  if (!address) return address.error();
  cmd.address = *address;
  return cmd;
}

Status add_ip_listen(std::vector<IpAddress>& list, const IpAddress& address) {
  if (std::find(list.begin(), list.end(), address) != list.end()) {
    return Error(ErrorCode::AlreadyExists, "ipaddress " + address.str() + " is already in the IP listen list");
  }
  list.push_back(address);
  return Ok{};
}

Status delete_ip_listen(std::vector<IpAddress>& list, const IpAddress& address) {
  const auto at = std::find(list.begin(), list.end(), address);
  if (at == list.end()) {
    return Error(ErrorCode::NotFound, "ipaddress " + address.str() + " is not in the IP listen list");
  }
  list.erase(at);
  return Ok{};
}

}  // namespace sslbind
