// ParseJsonObject (the limits every body meets) and ParseEnvelope (reason, source).
#include <catch2/catch.hpp>
#include <string>

#include "parser_testing.h"

namespace ledger::http {
namespace {

using nlohmann::json;
using testing::Body;
using testing::CheckRefusals;
using testing::Parsed;

// `levels` containers nested in each other (objects and arrays alternating, an object at the
// top), the innermost holding `inner`, or nothing when `inner` is empty.
std::string Nested(int levels, const std::string& inner) {
  std::string open, close;
  for (int i = 0; i < levels; ++i) {
    bool object = i % 2 == 0;
    bool holds_nothing = i == levels - 1 && inner.empty();
    open += object ? (holds_nothing ? "{" : "{\"k\":") : "[";
    close += object ? "}" : "]";
  }
  return open + inner + std::string(close.rbegin(), close.rend());
}

std::optional<json> Parse(const std::string& text, std::string* error) {
  return ParseJsonObject(text, error);
}

TEST_CASE("ParseJsonObject accepts JSON objects and says why it refuses the rest",
          "[http][parsers]") {
  std::string error;
  std::optional<json> ok = Parse(R"({"text":"caf\u00e9 ☕","n":[1,2.5,null,true]})", &error);
  REQUIRE(ok.has_value());
  CHECK((*ok)["text"] == "caf\u00e9 \u2615");
  CHECK((*ok)["n"].size() == 4);

  for (const char* text : {"", "{", "{\"a\":}", "{\"a\":1,}", "nul", "{\"a\":1} x", "{'a':1}"}) {
    INFO(text);
    error.clear();
    CHECK_FALSE(Parse(text, &error).has_value());
    CHECK(error == "the body is not valid JSON (or not valid UTF-8)");
  }
  for (const char* text : {"[]", "\"s\"", "1", "null", "true"}) {
    INFO(text);
    error.clear();
    CHECK_FALSE(Parse(text, &error).has_value());
    CHECK(error == "the body must be a JSON object");
  }
  // Invalid UTF-8 inside a string: a lone continuation byte, an overlong encoding.
  for (std::string text : {std::string("{\"a\":\"\x80\"}"), std::string("{\"a\":\"\xC0\xAF\"}")}) {
    error.clear();
    CHECK_FALSE(Parse(text, &error).has_value());
    CHECK(error == "the body is not valid JSON (or not valid UTF-8)");
  }
}

TEST_CASE("ParseJsonObject allows kMaxJsonDepth nested containers and refuses one more",
          "[http][parsers]") {
  for (const std::string& inner : {std::string("1"), std::string("")}) {
    INFO("innermost value: " << (inner.empty() ? "(empty container)" : inner));
    std::string error;
    std::string deepest = Nested(kMaxJsonDepth, inner);
    CHECK(Parse(deepest, &error).has_value());
    std::string too_deep = Nested(kMaxJsonDepth + 1, inner);
    CHECK_FALSE(Parse(too_deep, &error).has_value());
    CHECK(error == "JSON nested deeper than 32 levels");
    // Far too deep: refused without building the whole document.
    CHECK_FALSE(Parse(Nested(100'000, inner), &error).has_value());
  }
}

TEST_CASE("ParseEnvelope takes reason and source", "[http][parsers]") {
  Envelope none = Parsed(ParseEnvelope(Body(R"({"text":"x"})")));
  CHECK_FALSE(none.reason.has_value());
  CHECK_FALSE(none.source.has_value());

  Envelope both = Parsed(ParseEnvelope(Body(R"({"reason":"married","source":"dms_import2"})")));
  CHECK(both.reason == "married");
  CHECK(both.source == "dms_import2");

  // null reads as absent.
  Envelope nulls = Parsed(ParseEnvelope(Body(R"({"reason":null,"source":null})")));
  CHECK_FALSE(nulls.reason.has_value());
  CHECK_FALSE(nulls.source.has_value());

  // At the limits.
  Envelope longest = Parsed(
      ParseEnvelope(json{{"reason", std::string(2000, 'r')}, {"source", std::string(32, 's')}}));
  CHECK(longest.reason->size() == 2000);
  CHECK(longest.source->size() == 32);
}

TEST_CASE("ParseEnvelope refuses malformed reasons and sources", "[http][parsers]") {
  const char* identifier = "must be a lower-case identifier";
  CheckRefusals([](const json& b) { return ParseEnvelope(b).status(); },
                {
                    {json{{"reason", 5}}, "/reason", "must be a string"},
                    {json{{"reason", json::array({"a"})}}, "/reason", "must be a string"},
                    {json{{"reason", json::object()}}, "/reason", "must be a string"},
                    {json{{"reason", false}}, "/reason", "must be a string"},
                    {json{{"reason", std::string(2001, 'r')}}, "/reason", "at most 2000 bytes"},
                    {json{{"source", 1}}, "/source", "must be a string"},
                    {json{{"source", ""}}, "/source", identifier},
                    {json{{"source", "UI"}}, "/source", identifier},
                    {json{{"source", "dms-import"}}, "/source", identifier},
                    {json{{"source", "web form"}}, "/source", identifier},
                    {json{{"source", std::string(33, 's')}}, "/source", "at most 32 bytes"},
                    // The first problem wins.
                    {json{{"reason", 1}, {"source", "UI"}}, "/reason", "must be a string"},
                });
}

}  // namespace
}  // namespace ledger::http
