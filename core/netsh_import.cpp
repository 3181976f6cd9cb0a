#include "core/netsh_import.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "core/show_layout.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

Error at_line(std::size_t number, const std::string& why) {
  return invalid("line " + std::to_string(number) + ": " + why);
}

// netsh prints its labels in the system's language; the JSON document is the same in every one.
constexpr std::string_view kOtherLanguage =
    "netsh prints its labels in the system's language, and sslbind reads the English ones. For a listing in another "
    "language, save `netsh http show sslcert json=enable > bindings.json` on the Windows machine instead (the same in "
    "every language) and import that file";

Error not_english(std::size_t number, std::string_view line) {
  return at_line(number,
                 text::quote(line) + " is not a line of netsh's English listing: " + std::string(kOtherLanguage));
}

std::optional<std::string_view> key_parameter_of(std::string_view label) {
  for (KeyKind kind : {KeyKind::IpPort, KeyKind::HostnamePort, KeyKind::Ccs, KeyKind::ScopedCcs}) {
    if (text::iequals(label, show_key_label(kind))) return key_parameter(kind);
  }
  return std::nullopt;
}

Result<std::string> toggle_word(const ToggleRow& row, std::string_view value, std::size_t number) {
  const bool classic = row.wording == Wording::EnabledDisabled;
  if (text::iequals(value, classic ? "Enabled" : "Set")) return std::string(row.parameter) + "=enable";
  if (text::iequals(value, classic ? "Disabled" : "Not Set")) return std::string(row.parameter) + "=disable";
  return at_line(number, std::string(row.label) + " is " + text::quote(value) + "; netsh prints " +
                             (classic ? "Enabled or Disabled" : "Set or Not Set"));
}

// Turns one "Label : value" line into the word for the parser, or nothing for lines without a parameter.
Result<std::optional<std::string>> word_for(std::string_view label, std::string_view value, NetshShowEntry& entry,
                                            std::size_t number) {
  // An empty value (Windows Server 2008 prints "Ctl Identifier :" for none) means what (null) means.
  const bool null = value == "(null)" || value.empty();
  auto plain = [&](std::string_view parameter) -> std::optional<std::string> {
    if (null) return std::nullopt;
    return std::string(parameter) + "=" + std::string(value);
  };
  if (label == "Certificate Hash") return plain("certhash");
  if (label == "Application ID") return plain("appid");
  // Windows lists hostnameport bindings made by other tools (the IIS API) without a store, and HTTP.SYS reads those
  // from MY; `certstorename=(null)` keeps them so, where `add hostnameport=` would otherwise need a store.
  if (label == "Certificate Store Name") {
    if (null && entry.words.front().starts_with("hostnameport="))
      return std::optional<std::string>("certstorename=(null)");
    return plain("certstorename");
  }
  if (label == "Revocation Freshness Time") return plain("revocationfreshnesstime");
  if (label == "URL Retrieval Timeout") return plain("urlretrievaltimeout");
  if (label == "Ctl Identifier") return plain("sslctlidentifier");
  if (label == "Ctl Store Name") return plain("sslctlstorename");
  for (const auto rows : {client_cert_rows(), flag_rows()}) {
    for (const ToggleRow& row : rows) {
      if (label != row.label) continue;
      auto word = toggle_word(row, value, number);
      if (!word) return word.error();
      return std::optional<std::string>(*word);
    }
  }
  if (label == kCachingClientHelloLabel) {
    if (!text::iequals(value, "Set") && !text::iequals(value, "Not Set")) {
      return at_line(number, std::string(label) + " is " + text::quote(value) + "; netsh prints Set or Not Set");
    }
    entry.caching_client_hello = text::iequals(value, "Set");
    return std::optional<std::string>();
  }
  if (label == kFreshnessInForceLabel) {
    if (!text::iequals(value, "Enabled") && !text::iequals(value, "Disabled")) {
      return at_line(number, std::string(label) + " is " + text::quote(value) + "; netsh prints Enabled or Disabled");
    }
    entry.freshness_in_force = text::iequals(value, "Enabled");
    return std::optional<std::string>();
  }
  return at_line(number, "the label " + text::quote(label) + " is not one netsh's show sslcert prints in English; " +
                             std::string(kOtherLanguage));
}

// One "Label : value" line inside an "Extended Properties:" block.
Status read_extended(std::string_view label, std::string_view value, NetshShowEntry& entry, std::size_t number) {
  auto number_of = [&]() -> Result<std::uint32_t> {
    auto n = parse_u_int(label, value);
    if (!n) return at_line(number, n.error().detail);
    return *n;
  };
  if (label == kPropertyIdLabel) {
    auto id = number_of();
    if (!id) return id.error();
    entry.property_id = *id;
    if (*id < 32) entry.property_blocks |= std::uint32_t{1} << *id;
    return Ok{};
  }
  if (!entry.property_id) {
    return at_line(number, text::quote(label) + " comes before the PropertyId of its Extended Properties block");
  }
  const std::uint32_t id = *entry.property_id;
  std::uint32_t* field = nullptr;
  if (id == 0 && label == kReceiveWindowLabel) field = &entry.extended.receive_window;
  if (id == 1 && label == kMaxSettingsPerFrameLabel) field = &entry.extended.max_settings_per_frame;
  if (id == 1 && label == kMaxSettingsPerMinuteLabel) field = &entry.extended.max_settings_per_minute;
  if (field == nullptr) {
    const std::string_view name = property_id_name(id);
    return at_line(number, "the extended property " + text::quote(label) + " of PropertyId " + std::to_string(id) +
                               (name.empty() ? "" : " (" + std::string(name) + ")") +
                               " is not one sslbind keeps: it keeps Receive Window (0), Max Settings Per Frame "
                               "and Max Settings Per Minute (1)");
  }
  auto n = number_of();
  if (!n) return n.error();
  *field = *n;
  entry.property_values |= field == &entry.extended.receive_window           ? 1U
                           : field == &entry.extended.max_settings_per_frame ? 2U
                                                                             : 4U;
  if (field == &entry.extended.receive_window) {
    if (auto s = validate_receive_window(*n); !s) return at_line(number, s.error().detail);
  }
  return Ok{};
}

Result<BatchLine> finish(const NetshShowEntry& entry) {
  auto cmd = parse_sslcert_arguments(Verb::Add, entry.words);
  if (!cmd) return at_line(entry.line, cmd.error().detail);
  if (entry.caching_client_hello) cmd->settings.flags |= ssl_flag::kEnableCacheClientHello;
  if (entry.freshness_in_force) {
    cmd->settings.check_mode = *entry.freshness_in_force
                                   ? cmd->settings.check_mode | check_mode::kFreshnessTimeEnabled
                                   : cmd->settings.check_mode & ~check_mode::kFreshnessTimeEnabled;
  }
  return BatchLine{entry.line, std::move(*cmd), std::nullopt};
}

}  // namespace

Status NetshShowReader::feed(std::string_view raw) {
  const std::size_t number = ++line_number_;
  const std::string_view line = trim(raw);
  if (line.empty() || line == "SSL Certificate bindings:" || line.find_first_not_of('-') == std::string_view::npos) {
    return Ok{};
  }
  if (line == kExtendedPropertiesLine) {
    if (!entry_) return at_line(number, "\"Extended Properties:\" comes before any binding");
    entry_->in_extended = true;
    entry_->property_id.reset();
    return Ok{};
  }
  const std::size_t colon = line.find(" :");
  if (colon == std::string_view::npos) {
    // A header in another language ("SSL-Zertifikatbindungen:") ends with a colon too.
    if (!entry_ && line.ends_with(':')) return not_english(number, line);
    return at_line(number, text::quote(line) + " is not a \"Label : value\" line of netsh http show sslcert");
  }
  const std::string_view label = trim(line.substr(0, colon));
  const std::string_view value = trim(line.substr(colon + 2));
  if (const auto key = key_parameter_of(label)) {
    if (auto s = close_entry(); !s) return s;
    entry_ = NetshShowEntry{};
    entry_->line = number;
    entry_->words = {std::string(*key) + "=" + std::string(value)};
    return Ok{};
  }
  if (!entry_) {
    if (field_bit(label) == 0) return not_english(number, line);  // "Liaisons de certificat SSL :"
    return at_line(number, text::quote(label) + " comes before any binding (IP:port, Hostname:port, ...)");
  }
  if (entry_->in_extended) return read_extended(label, value, *entry_, number);
  entry_->fields |= field_bit(label);
  auto word = word_for(label, value, *entry_, number);
  if (!word) return word.error();
  if (*word) entry_->words.push_back(std::move(**word));
  return Ok{};
}

Status NetshShowReader::close_entry() {
  if (!entry_) return Ok{};
  const NetshShowEntry entry = std::move(*entry_);
  entry_.reset();
  auto done = finish(entry);
  if (!done) return done.error();
  auto properties = property_lines(entry.line, *done->command.key, entry.extended);
  lines_.push_back(std::move(*done));
  for (BatchLine& p : properties) lines_.push_back(std::move(p));
  entries_.push_back({entry.line, entry.fields, entry.property_blocks, entry.property_values});
  return Ok{};
}

namespace {

// The labels of the fields in `fields` that `have` lacks, quoted, in netsh's order.
std::string missing_labels(std::uint32_t fields, std::uint32_t have) {
  std::string out;
  const auto labels = field_labels();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (((fields >> i) & 1U) != 0 && ((have >> i) & 1U) == 0) {
      out += (out.empty() ? "'" : ", '") + std::string(labels[i]) + "'";
    }
  }
  return out;
}

constexpr std::string_view kSaveWhole = "; was the listing cut? Save it whole and import it again";

}  // namespace

Status NetshShowReader::check_complete() const {
  if (entries_.empty()) return Ok{};
  // Every Windows since Server 2008 R2 prints the fields through "Negotiate Client Certificate".
  const std::uint32_t base = (field_bit("Negotiate Client Certificate") << 1) - 1;
  std::uint32_t all = 0;
  for (const EntryFields& e : entries_) all |= e.fields;
  for (const EntryFields& e : entries_) {
    if (const std::string missing = missing_labels(base | all, e.fields); !missing.empty()) {
      return at_line(e.line, "the entry stops short of the fields " +
                                 std::string((e.fields | base) == base ? "every Windows prints"
                                                                       : "the listing's other "
                                                                         "entries print") +
                                 ": " + missing + " missing" + std::string(kSaveWhole));
    }
    for (const auto& [id, values, names] :
         {std::tuple{0U, 1U, "Receive Window"}, std::tuple{1U, 6U, "Max Settings Per Frame and Per Minute"}}) {
      if (((e.property_blocks >> id) & 1U) != 0 && (e.property_values & values) != values) {
        return at_line(e.line, "the Extended Properties block of PropertyId " + std::to_string(id) + " lacks " + names +
                                   std::string(kSaveWhole));
      }
    }
  }
  const auto labels = field_labels();
  std::size_t last = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (((all >> i) & 1U) != 0) last = i;
  }
  if (!is_layout_end(labels[last])) {
    return at_line(entries_.back().line, "the fields end with '" + std::string(labels[last]) +
                                             "', where no Windows layout ends" + std::string(kSaveWhole));
  }
  return Ok{};
}

Result<std::vector<BatchLine>> NetshShowReader::finish_all() {
  if (auto s = close_entry(); !s) return s.error();
  if (auto s = check_complete(); !s) return s.error();
  return std::move(lines_);
}

Status NetshListingFile::read_decoded(Status decoded) {
  for (const auto& line : decoded_) {
    if (!decided_) {
      const auto first = line.find_first_not_of(" \t\r");
      if (first == std::string::npos) {  // a listing starts with a blank line: the reader counts it
        if (auto s = reader_.feed(line); !s) return s;
        continue;
      }
      decided_ = true;
      if (line[first] == '{') json_.emplace();
    }
    if (json_) {
      *json_ += line;
      *json_ += '\n';
    } else if (auto s = reader_.feed(line); !s) {
      return s;
    }
  }
  decoded_.clear();
  return decoded;
}

Status NetshListingFile::feed(std::string_view bytes) { return read_decoded(decoder_.feed(bytes, decoded_)); }

Result<std::vector<BatchLine>> NetshListingFile::finish() {
  if (auto s = read_decoded(decoder_.finish(decoded_)); !s) return s.error();
  if (json_) return std::vector<BatchLine>();
  return reader_.finish_all();
}

}  // namespace sslbind
