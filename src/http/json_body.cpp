#include "http/json_body.h"

#include "http/problem.h"

namespace ledger::http {

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
