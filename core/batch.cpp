#include "core/batch.hpp"

#include <algorithm>

#include "core/invocation.hpp"
#include "core/listing_decoder.hpp"
#include "core/text.hpp"

namespace sslbind {
namespace {

// `add urlacl ...`, `http add timeout ...`: a line netsh's http context runs on an object sslbind does not keep.
bool netsh_http_object_line(std::span<const std::string> command) {
  if (!command.empty() && text::iequals(command.front(), "http")) command = command.subspan(1);
  if (command.size() < 2) return false;
  constexpr std::string_view kVerbs[] = {"add", "delete", "set"};
  constexpr std::string_view kObjects[] = {"urlacl", "timeout", "setting", "cacheparam", "cache"};
  const auto is_one_of = [](std::string_view word, std::span<const std::string_view> list) {
    return std::any_of(list.begin(), list.end(), [&](std::string_view w) { return text::iequals(word, w); });
  };
  return is_one_of(command[0], kVerbs) && is_one_of(command[1], kObjects);
}

Error at_line(std::size_t number, const Error& e) {
  return Error(e.code, "line " + std::to_string(number) + ": " + e.detail);
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

}  // namespace

std::vector<BatchLine> property_lines(std::size_t line, const BindingKey& key, const ExtendedProperties& x) {
  std::vector<BatchLine> out;
  for (const PropertyChange& change : changes_from_defaults(x)) {
    SslCertCommand cmd;
    cmd.verb = Verb::Update;
    cmd.key = key;
    cmd.property = change;
    out.push_back(BatchLine{line, std::move(cmd), std::nullopt});
  }
  return out;
}

Result<std::vector<std::string>> split_command_line(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && is_blank(line[i])) ++i;
    if (i == line.size()) break;
    std::string word;
    bool quoted = false;
    while (i < line.size() && (quoted || !is_blank(line[i]))) {
      if (line[i] != '\\' && line[i] != '"') {
        word += line[i++];
        continue;
      }
      // Backslashes are plain unless a double quote follows them: then each pair is one backslash and an odd one
      // makes the quote a character of the word (the rule of Windows' command lines, CommandLineToArgvW).
      std::size_t backslashes = 0;
      while (i < line.size() && line[i] == '\\') {
        ++backslashes;
        ++i;
      }
      if (i == line.size() || line[i] != '"') {
        word.append(backslashes, '\\');
        continue;
      }
      word.append(backslashes / 2, '\\');
      if (backslashes % 2 == 1)
        word += '"';
      else
        quoted = !quoted;
      ++i;
    }
    if (quoted) return invalid("a double quote is not closed");
    words.push_back(std::move(word));
  }
  return words;
}

Result<std::vector<BatchLine>> parse_batch_file(std::string_view bytes, std::vector<SkippedLine>* skipped) {
  ListingDecoder decoder;
  std::vector<std::string> lines;
  if (Status fed = decoder.feed(bytes, lines); !fed) return fed.error();
  if (Status finished = decoder.finish(lines); !finished) return finished.error();
  std::string text;
  text.reserve(bytes.size());
  for (const std::string& line : lines) {
    text += line;
    text += '\n';
  }
  return parse_batch(text, skipped);
}

Result<std::vector<BatchLine>> parse_batch(std::string_view text, std::vector<SkippedLine>* skipped) {
  std::vector<BatchLine> lines;
  std::size_t number = 0;
  // The contexts pushd entered: the lines of any but http's belong to another part of netsh.
  std::vector<std::string> contexts;
  const auto skip = [&](std::span<const std::string> command) { skipped->push_back({number, text::join(command)}); };
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    ++number;
    start = end + 1;
    auto words = split_command_line(line);
    if (!words) return at_line(number, words.error());
    if (words->empty() || words->front().starts_with('#')) continue;
    std::span<const std::string> command(*words);
    if (text::iequals(command.front(), "netsh")) command = command.subspan(1);
    // The context lines of a netsh script (`netsh http dump`, `sslbind dump`, a whole `netsh dump`).
    if (!command.empty() && text::iequals(command.front(), "pushd")) {
      const bool http = command.size() == 2 && text::iequals(command[1], "http");
      if (!http && skipped == nullptr) {
        return at_line(number,
                       invalid("a batch runs in netsh's http context only; found " + text::quote(text::join(command))));
      }
      contexts.push_back(http ? "http" : text::join(command.subspan(1)));
      if (!http) skip(command);
      continue;
    }
    if (command.size() == 1 && text::iequals(command.front(), "popd")) {
      if (!contexts.empty()) {
        if (contexts.back() != "http") skip(command);
        contexts.pop_back();
      }
      continue;
    }
    if (!contexts.empty() && contexts.back() != "http") {
      skip(command);
      continue;
    }
    if (skipped != nullptr && netsh_http_object_line(command)) {
      skip(command);
      continue;
    }
    const auto only_sslcert = [&] {
      return at_line(number, invalid("a batch takes add, update and delete sslcert, update sslpropertyex and add and "
                                     "delete iplisten lines only; found " +
                                     text::quote(text::join(command))));
    };
    // A batch knows three objects and no tools: anything else that starts with a verb gets the rule above.
    constexpr std::string_view kObjects[] = {"sslcert", "sslpropertyex", "iplisten"};
    constexpr auto verb_takes = [](Verb verb, std::string_view object) {
      if (object == "iplisten") return verb == Verb::Add || verb == Verb::Delete;
      return object == "sslcert" || verb == Verb::Update;
    };
    auto invocation = parse_invocation(command, {kObjects, {}, verb_takes});
    if (!invocation) {
      if (verb_of(command)) return only_sslcert();
      const auto& e = invocation.error();
      // The words as typed come first in an unknown-command error; the reason is what the line needs.
      const auto nl = e.detail.find('\n');
      return at_line(number, Error(e.code, nl == std::string::npos ? e.detail : e.detail.substr(nl + 1)));
    }
    const auto* object = std::get_if<ObjectWords>(&*invocation);
    if (object == nullptr || object->verb == Verb::Show) return only_sslcert();
    if (object->object == "iplisten") {
      if (object->verb != Verb::Add && object->verb != Verb::Delete) return only_sslcert();
      auto listen = parse_iplisten_arguments(object->verb, object->arguments);
      if (!listen) return at_line(number, listen.error());
      SslCertCommand unused;
      unused.verb = object->verb;
      lines.push_back({number, std::move(unused), *listen});
      continue;
    }
    const bool property = object->object == "sslpropertyex";
    if (property && object->verb != Verb::Update) return only_sslcert();
    auto cmd = property ? parse_sslpropertyex_arguments(object->arguments)
                        : parse_sslcert_arguments(object->verb, object->arguments);
    if (!cmd) return at_line(number, cmd.error());
    lines.push_back({number, *cmd, std::nullopt});
  }
  return lines;
}

std::string_view outcome_name(BatchOutcome outcome) {
  switch (outcome) {
    case BatchOutcome::Created: return "created";
    case BatchOutcome::Updated: return "updated";
    case BatchOutcome::Unchanged: return "unchanged";
    case BatchOutcome::Deleted: return "deleted";
  }
  return "unchanged";
}

namespace {

// An add or delete iplisten line; with add_or_update, adding a listed address or deleting one not listed is unchanged.
Result<BatchOutcome> apply_ip_listen(std::vector<IpAddress>& list, const IpListenCommand& cmd, bool add_or_update) {
  const bool listed = std::find(list.begin(), list.end(), *cmd.address) != list.end();
  const bool add = cmd.verb == Verb::Add;
  if (add_or_update && listed == add) return BatchOutcome::Unchanged;
  Status s = add ? add_ip_listen(list, *cmd.address) : delete_ip_listen(list, *cmd.address);
  if (!s) return s.error();
  return add ? BatchOutcome::Created : BatchOutcome::Deleted;
}

}  // namespace

Result<std::vector<BatchChange>> apply_batch(RegistryState& state, std::vector<BatchLine> lines, bool add_or_update,
                                             Verb* failed_verb) {
  BindingSet& bindings = state.bindings;
  std::vector<BatchChange> changes;
  changes.reserve(lines.size());
  for (BatchLine& line : lines) {
    SslCertCommand& cmd = line.command;
    if (line.ip_listen) {
      auto outcome = apply_ip_listen(state.ip_listen, *line.ip_listen, add_or_update);
      if (!outcome) {
        if (failed_verb != nullptr) *failed_verb = line.ip_listen->verb;
        return at_line(line.number, outcome.error());
      }
      changes.push_back({line.number, "ipaddress=" + line.ip_listen->address->str(), *outcome});
      continue;
    }
    const BindingKey& key = *cmd.key;
    const Binding* existing = bindings.find(key);
    BatchOutcome outcome = BatchOutcome::Unchanged;
    Status status = Ok{};
    if (cmd.property) {
      auto changed = bindings.change_extended(key, *cmd.property);
      if (changed) outcome = *changed || !add_or_update ? BatchOutcome::Updated : BatchOutcome::Unchanged;
      status = changed ? Status(Ok{}) : Status(changed.error());
    } else if (cmd.verb == Verb::Delete) {
      if (existing != nullptr || !add_or_update) {
        status = bindings.remove(key);
        outcome = BatchOutcome::Deleted;
      }
    } else if (add_or_update && existing != nullptr) {
      if (!(existing->settings == cmd.settings)) {
        status = bindings.update({key, std::move(cmd.settings)});
        outcome = BatchOutcome::Updated;
      }
    } else if (cmd.verb == Verb::Add || add_or_update) {
      status = bindings.add({key, std::move(cmd.settings)});
      outcome = BatchOutcome::Created;
    } else {
      status = bindings.update({key, std::move(cmd.settings)});
      outcome = BatchOutcome::Updated;
    }
    if (!status) {
      if (failed_verb != nullptr) *failed_verb = cmd.verb;
      return at_line(line.number, status.error());
    }
    changes.push_back({line.number, key.as_parameter(), outcome});
  }
  return changes;
}

}  // namespace sslbind
