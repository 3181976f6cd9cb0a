#include "core/verb.hpp"

namespace sslbind {

std::string_view verb_name(Verb verb) {
  switch (verb) {
    case Verb::Add: return "add";
    case Verb::Update: return "update";
    case Verb::Delete: return "delete";
    case Verb::Show: return "show";
  }
  return "show";
}

}  // namespace sslbind
