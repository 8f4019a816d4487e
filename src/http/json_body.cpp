#include "http/json_body.h"

#include "http/problem.h"

namespace ledger::http {

std::optional<nlohmann::json> ParseJsonObject(std::string_view text, std::string* error) {
  bool too_deep = false;
  // The callback sees every value with its depth; discarding deep ones keeps memory bounded
  // and flags the document. nlohmann's parser keeps its own stack, so depth cannot overflow ours.
  auto limit_depth = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxJsonDepth) too_deep = true;
    return !too_deep;
  };
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

std::optional<nlohmann::json> ReadJsonBody(const httplib::Request& req, httplib::Response& res,
                                           bool allow_empty) {
  if (req.body.empty()) {
    if (allow_empty) return nlohmann::json::object();
    SendProblem(res, 400, "a JSON body is required");
    return std::nullopt;
  }
  std::string type = req.get_header_value("Content-Type");
  std::string media = type.substr(0, type.find(';'));
  bool json_type = media == "application/json" ||
                   (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
  if (!json_type) {
    SendProblem(res, 415, "send the body as application/json");
    return std::nullopt;
  }
  std::string error;
  std::optional<nlohmann::json> doc = ParseJsonObject(req.body, &error);
  if (!doc) SendProblem(res, 400, error);
  return doc;
}

}  // namespace ledger::http
