#include "http/json_parse.h"

namespace ledger::http {

std::optional<nlohmann::json> ParseJsonObject(std::string_view text, std::string* error) {
  bool too_deep = false;
  // The callback sees every value with its depth; discarding deep ones keeps memory bounded
  // and flags the document. nlohmann's parser keeps its own stack, so depth cannot overflow ours.
  // A container starts at its parent's depth and its members are one deeper, so a container
  // starting at kMaxJsonDepth would be one level too many even when it is empty.
  auto limit_depth = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    bool opens = event == nlohmann::json::parse_event_t::object_start ||
                 event == nlohmann::json::parse_event_t::array_start;
    if (depth > kMaxJsonDepth || (opens && depth >= kMaxJsonDepth)) too_deep = true;
    return !too_deep;
  };
  // nlohmann's parser stops at a NUL byte as if the input ended there, so "{}\0anything" would
  // parse; a NUL is never valid JSON outside a string (and never raw inside one).
  if (text.find('\0') != std::string_view::npos) {
    *error = "the body is not valid JSON (it holds a NUL byte)";
    return std::nullopt;
  }
  nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), limit_depth,
                                             /*allow_exceptions=*/false);
  if (too_deep) {
    *error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return std::nullopt;
  }
  if (doc.is_discarded()) {
    *error = "the body is not valid JSON (or not valid UTF-8)";
    return std::nullopt;
  }
  if (!doc.is_object()) {
    *error = "the body must be a JSON object";
    return std::nullopt;
  }
  return doc;
}

}  // namespace ledger::http
