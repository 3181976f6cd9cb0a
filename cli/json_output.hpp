#pragma once
// --json output; the schema is documented in docs/json.md. Field names are netsh's parameter names.
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "cli/messages.hpp"
#include "core/binding.hpp"

namespace sslbind::cli {

nlohmann::ordered_json binding_json(const Binding& binding);
nlohmann::ordered_json error_json(const std::string& command, const ErrorReport& report);
nlohmann::ordered_json ok_json(const std::string& command);
// dump(2), with bytes that are not UTF-8 replaced by U+FFFD instead of throwing.
std::string dump_json(const nlohmann::ordered_json& document);

// Prints a document whose one large array is written an item at a time, in the layout dump(2) gives the whole
// document: `head`'s fields, then "<array_key>": [items], then the fields given to finish(). A list of 100k
// bindings or findings is never held as one JSON tree.
class StreamedJson {
 public:
  StreamedJson(std::ostream& out, const nlohmann::ordered_json& head, std::string_view array_key);
  void add(const nlohmann::ordered_json& item);
  void finish(const nlohmann::ordered_json& tail = nlohmann::ordered_json::object());

 private:
  std::ostream& out_;
  bool empty_ = true;
};

}  // namespace sslbind::cli
