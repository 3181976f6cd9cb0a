#include "core/invocation.hpp"

#include "core/text.hpp"

namespace sslbind {
namespace {

bool is_help_word(std::string_view w) {
  return text::iequals(w, "help") || w == "?" || w == "/?" || w == "-?" || w == "-h" || w == "--help";
}

Error unknown_command(std::span<const std::string> words, std::string why) {
  // The detail starts with the words as typed: the cli prints netsh's "The following command was not found: <words>".
  return Error(ErrorCode::UnknownCommand, text::join(words) + "\n" + why);
}

// "a, b and c"
std::string listed(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += i == 0 ? "" : i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::optional<Verb> match_verb(std::string_view word) {
  std::optional<Verb> found;
  for (Verb v : kVerbs) {
    const std::string_view name = verb_name(v);
    if (word.empty() || word.size() > name.size() || !text::iequals(name.substr(0, word.size()), word)) continue;
    if (text::iequals(name, word)) return v;
    if (found) return std::nullopt;  // no two verbs share a prefix today; an ambiguous one is no verb
    found = v;
  }
  return found;
}

// The objects of `verb` that `word` is a prefix of (at least three letters), or the one it names exactly.
std::vector<std::string_view> match_object(std::string_view word, Verb verb, const CommandNames& names) {
  for (std::string_view o : names.objects) {
    if (text::iequals(o, word)) return {o};
  }
  constexpr std::size_t kShortestPrefix = 3;
  std::vector<std::string_view> found;
  for (std::string_view o : names.objects) {
    if (names.verb_takes != nullptr && !names.verb_takes(verb, o)) continue;
    if (word.size() >= kShortestPrefix && word.size() < o.size() && text::iequals(o.substr(0, word.size()), word)) {
      found.push_back(o);
    }
  }
  return found;
}

std::vector<std::string> rest_of(std::span<const std::string> words) { return {words.begin(), words.end()}; }

bool asks_help(std::span<const std::string> words) {
  for (const auto& w : words) {
    if (is_help_word(w)) return true;
  }
  return false;
}

}  // namespace

std::optional<Verb> verb_of(std::span<const std::string> words) {
  if (!words.empty() && text::iequals(words.front(), "http")) words = words.subspan(1);
  if (words.empty()) return std::nullopt;
  return match_verb(words.front());
}

Result<Invocation> parse_invocation(std::span<const std::string> words, const CommandNames& names) {
  std::span<const std::string> rest = words;
  if (!rest.empty() && text::iequals(rest.front(), "http")) rest = rest.subspan(1);
  if (rest.empty() || is_help_word(rest.front())) return Invocation(HelpRequest{});
  for (std::string_view tool : names.tools) {
    if (!text::iequals(tool, rest.front())) continue;
    rest = rest.subspan(1);
    if (asks_help(rest)) return Invocation(HelpRequest{std::nullopt, {}, tool});
    return Invocation(ToolWords{tool, rest_of(rest)});
  }
  const auto verb = match_verb(rest.front());
  if (!verb) {
    std::vector<std::string_view> commands;
    for (Verb v : kVerbs) commands.push_back(verb_name(v));
    commands.insert(commands.end(), names.tools.begin(), names.tools.end());
    return unknown_command(words,
                           text::quote(rest.front()) + " is not a command; the commands are " + listed(commands));
  }
  rest = rest.subspan(1);
  if (rest.empty() || is_help_word(rest.front())) return Invocation(HelpRequest{*verb, {}, {}});
  const auto objects = match_object(rest.front(), *verb, names);
  if (objects.size() > 1) {
    return unknown_command(words, text::quote(rest.front()) + " is short for more than one object of " +
                                      std::string(verb_name(*verb)) + ": " + listed(objects) +
                                      "; give more of the name");
  }
  if (objects.empty()) {
    return unknown_command(words, text::quote(rest.front()) + " is not something sslbind manages; the objects are " +
                                      listed(names.objects));
  }
  const std::string_view* object = &objects.front();
  rest = rest.subspan(1);
  if (asks_help(rest)) return Invocation(HelpRequest{*verb, *object, {}});
  return Invocation(ObjectWords{*verb, *object, rest_of(rest)});
}

}  // namespace sslbind
