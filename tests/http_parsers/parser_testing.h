// Helpers for the command parsers' tests: request bodies from JSON text, the values of parses
// that must succeed, and checks of refusals (status code, JSON pointer, message).
#pragma once

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/command_parsers.h"
#include "http/json_parse.h"

namespace ledger::http::testing {

// `text` parsed the way a request body is; fails the test when it is not a JSON object.
inline nlohmann::json Body(std::string_view text) {
  std::string error;
  std::optional<nlohmann::json> body = ParseJsonObject(text, &error);
  INFO(std::string(text) << ": " << error);
  REQUIRE(body.has_value());
  return std::move(*body);
}

// Region US, as ledgerd runs by default.
inline const domain::PhoneNormalizer& UsPhones() {
  static const domain::PhoneNormalizer phones = domain::PhoneNormalizer::Create("US").value();
  return phones;
}

// The value of a parse that must succeed.
template <class T>
T Parsed(Result<T> result) {
  INFO(result.status().ToString() << " at \"" << result.status().field() << "\"");
  REQUIRE(result.ok());
  return std::move(result).value();
}

template <class T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}
inline Status StatusOf(const Status& status) {
  return status;
}

// One parser under test, seen through its status only.
using Parse = std::function<Status(const nlohmann::json& body)>;

struct Refusal {
  nlohmann::json body;
  std::string pointer;  // the expected Status::field()
  std::string message;  // a part of the expected message
};

// Each body must be refused with kInvalidArgument (HTTP 422) naming `pointer`.
inline void CheckRefusals(const Parse& parse, const std::vector<Refusal>& cases) {
  for (const Refusal& c : cases) {
    std::string shown = c.body.dump();
    INFO("body: " << (shown.size() > 200 ? shown.substr(0, 200) + "..." : shown));
    Status s = parse(c.body);
    INFO("status: " << s.ToString());
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.field() == c.pointer);
    CHECK_THAT(s.message(), Catch::Contains(c.message));
  }
}

}  // namespace ledger::http::testing
