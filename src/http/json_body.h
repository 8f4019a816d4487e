// Reading JSON request bodies safely. Bodies must be `application/json`, valid UTF-8, nested at
// most kMaxJsonDepth deep and a JSON object at the top. Anything else is answered here with a
// problem response (415 wrong content type, 400 malformed) and nullopt is returned; the handler
// just returns. The limits and the parsing itself: json_parse.h. Thread-safe.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "http/json_parse.h"

namespace ledger::http {

// An empty body reads as {} when `allow_empty` (DELETE with an optional reason, say).
std::optional<nlohmann::json> ReadJsonBody(const httplib::Request& req, httplib::Response& res,
                                           bool allow_empty = false);

}  // namespace ledger::http
