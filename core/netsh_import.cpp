#include "core/netsh_import.hpp"

#include <algorithm>
#include <array>

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
  return at_line(number, "the label " + text::quote(label) + " is not one netsh's show sslcert prints");
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
  if (!entry_) return at_line(number, text::quote(label) + " comes before any binding (IP:port, Hostname:port, ...)");
  if (entry_->in_extended) return read_extended(label, value, *entry_, number);
  const auto labels = field_labels();
  if (const auto at = std::find(labels.begin(), labels.end(), label); at != labels.end()) {
    entry_->fields |= std::uint32_t{1} << (at - labels.begin());
  }
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
  entries_.push_back({entry.line, entry.fields});
  return Ok{};
}

Status NetshShowReader::check_layouts() const {
  std::uint32_t seen = 0;
  for (const EntryFields& e : entries_) seen |= e.fields;
  if (seen == 0) return Ok{};
  const auto labels = field_labels();
  // The layout with the fewest fields that holds every field seen; with none (a mix no Windows printed), all.
  const auto all = layouts();
  const FieldLayout* layout = &all.back();
  for (const FieldLayout& l : all) {
    if ((seen & ~l.fields) == 0) {
      layout = &l;
      break;
    }
  }
  for (const EntryFields& e : entries_) {
    std::string missing;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (((layout->fields >> i) & 1U) != 0 && ((e.fields >> i) & 1U) == 0) {
        missing += (missing.empty() ? "'" : ", '") + std::string(labels[i]) + "'";
      }
    }
    if (!missing.empty()) {
      return at_line(e.line, "the entry stops short of its layout, which ends with '" + std::string(layout->last) +
                                 "': " + missing + " missing; was the listing cut? Save it whole and import it again");
    }
  }
  return Ok{};
}

Result<std::vector<BatchLine>> NetshShowReader::finish_all() {
  if (auto s = close_entry(); !s) return s.error();
  if (auto s = check_layouts(); !s) return s.error();
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
