// Parsing a request body's text into a JSON object, with the limits every body must meet: valid
// JSON in valid UTF-8, nested at most kMaxJsonDepth deep, an object at the top. Pure (no httplib
// types, so the fuzz target and the parsers' tests use it directly); thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ledger::http {

inline constexpr int kMaxJsonDepth = 32;

// The object in `text`; nullopt and a reason in `*error` when it is not a JSON object within the
// limits.
std::optional<nlohmann::json> ParseJsonObject(std::string_view text, std::string* error);

}  // namespace ledger::http
