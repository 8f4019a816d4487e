// Reading JSON request bodies safely. Bodies must be `application/json`, valid UTF-8, nested at
// most kMaxJsonDepth deep and a JSON object at the top. Anything else is answered here with a
// problem response (415 wrong content type, 400 malformed) and nullopt is returned; the handler
// just returns. Thread-safe.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <optional>

namespace ledger::http {

inline constexpr int kMaxJsonDepth = 32;

// An empty body reads as {} when `allow_empty` (DELETE with an optional reason, say).
std::optional<nlohmann::json> ReadJsonBody(const httplib::Request& req, httplib::Response& res,
                                           bool allow_empty = false);

// Parses `text` with the same limits; nullopt and a reason in `*error` when it is not a JSON
// object within them. Shared with the fuzz target.
std::optional<nlohmann::json> ParseJsonObject(std::string_view text, std::string* error);

}  // namespace ledger::http
