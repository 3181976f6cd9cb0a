#pragma once
// netsh's verbs, the first word of a command on one of its objects (add sslcert, show ccs).
#include <array>
#include <string_view>

namespace sslbind {

enum class Verb { Add, Update, Delete, Show };
inline constexpr std::array<Verb, 4> kVerbs{Verb::Add, Verb::Update, Verb::Delete, Verb::Show};
std::string_view verb_name(Verb verb);  // "add", "update", "delete", "show"

}  // namespace sslbind
