#include "domain/json_diff.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ledger::domain {
namespace {

using nlohmann::json;

// Compares through the rendered form so a failure prints readable JSON.
void CheckDiff(const json& before, const json& after, const json& expected) {
  json actual = FieldChangesToJson(DiffJson(before, after));
  INFO("before: " << before.dump() << "\nafter:  " << after.dump());
  CHECK(actual.dump(1) == expected.dump(1));
}

json Change(const std::string& field, json from, json to) {
  return {{"field", field}, {"from", std::move(from)}, {"to", std::move(to)}};
}

TEST_CASE("equal documents have no changes", "[domain][json_diff]") {
  for (const json& doc :
       {json(), json(1), json("x"), json(true), json::object(), json::array(),
        json::parse(R"({"a": {"b": [1, {"c": null}], "d": "e"}, "phones": [{"id": "p1"}]})")}) {
    CHECK(DiffJson(doc, doc).empty());
    CHECK(DiffJson(doc, json(doc)).empty());
  }
  // Key order in the text does not matter; 1 and 1.0 are the same JSON number.
  CHECK(DiffJson(json::parse(R"({"a": 1, "b": 2})"), json::parse(R"({"b": 2, "a": 1.0})")).empty());
  CHECK(DiffJson(json(2u), json(2)).empty());
}

TEST_CASE("scalars and type changes are one change each", "[domain][json_diff]") {
  CheckDiff(json(1), json(2), json::array({Change("", 1, 2)}));
  CheckDiff(json("a"), json(1), json::array({Change("", "a", 1)}));
  CheckDiff(json::parse(R"({"v": "1"})"), json::parse(R"({"v": 1})"),
            json::array({Change("/v", "1", 1)}));
  CheckDiff(json::parse(R"({"v": true})"), json::parse(R"({"v": 1})"),
            json::array({Change("/v", true, 1)}));
  CheckDiff(json::parse(R"({"v": {"a": 1}})"), json::parse(R"({"v": [1]})"),
            json::array({Change("/v", json{{"a", 1}}, json::array({1}))}));
  CheckDiff(json::parse(R"({"v": 1.5})"), json::parse(R"({"v": 2.5})"),
            json::array({Change("/v", 1.5, 2.5)}));
  CheckDiff(json::object(), json::array(),
            json::array({Change("", json::object(), json::array())}));
  CheckDiff(json(), json::parse(R"({"a": 1})"), json::array({Change("", nullptr, {{"a", 1}})}));
}

TEST_CASE("nested objects are compared key by key in sorted order", "[domain][json_diff]") {
  json before = json::parse(R"({
    "name": {"given": "Ann", "family": "Lee"},
    "address": {"city": "Paris", "zip": "75001", "geo": {"lat": 48.8, "lon": 2.3}},
    "tier": "gold"
  })");
  json after = json::parse(R"({
    "tier": "gold",
    "address": {"zip": "75002", "city": "Lyon", "geo": {"lat": 48.8, "lon": 2.4}},
    "name": {"family": "Lee", "given": "Anne"}
  })");
  CheckDiff(before, after,
            json::array(
                {Change("/address/city", "Paris", "Lyon"), Change("/address/geo/lon", 2.3, 2.4),
                 Change("/address/zip", "75001", "75002"), Change("/name/given", "Ann", "Anne")}));
}

TEST_CASE("keys on one side are reported whole against null", "[domain][json_diff]") {
  json before = json::parse(R"({"a": 1, "c": {"x": 1}, "e": [1, 2]})");
  json after = json::parse(R"({"b": {"y": [2]}, "c": {"x": 1, "z": 3}, "d": null, "e": [1, 2]})");
  CheckDiff(before, after,
            json::array({Change("/a", 1, nullptr), Change("/b", nullptr, {{"y", {2}}}),
                         Change("/c/z", nullptr, 3)}));
  // The reverse direction mirrors it.
  CheckDiff(after, before,
            json::array({Change("/a", nullptr, 1), Change("/b", {{"y", {2}}}, nullptr),
                         Change("/c/z", 3, nullptr)}));
}

TEST_CASE("a null value is the same as a missing key", "[domain][json_diff]") {
  CHECK(DiffJson(json::parse(R"({"a": null})"), json::object()).empty());
  CHECK(DiffJson(json::object(), json::parse(R"({"a": {"b": null}, "c": null})")).size() == 1);
  CheckDiff(json::parse(R"({"a": null})"), json::parse(R"({"a": 0})"),
            json::array({Change("/a", nullptr, 0)}));
  CheckDiff(json::parse(R"({"a": "x"})"), json::parse(R"({"a": null})"),
            json::array({Change("/a", "x", nullptr)}));
}

TEST_CASE("pointer segments escape ~ and /", "[domain][json_diff]") {
  json before = json::parse(R"({"a/b": 1, "m~n": {"x/y~z": 1}, "": 1, " ": 1})");
  json after = json::parse(R"({"a/b": 2, "m~n": {"x/y~z": 2}, "": 2, " ": 2})");
  CheckDiff(before, after,
            json::array({Change("/", 1, 2), Change("/ ", 1, 2), Change("/a~1b", 1, 2),
                         Change("/m~0n/x~1y~0z", 1, 2)}));
  CHECK(EscapeJsonPointerSegment("~1") == "~01");
  CHECK(EscapeJsonPointerSegment("/~") == "~1~0");
  CHECK(EscapeJsonPointerSegment("plain") == "plain");
  // The pointer agrees with nlohmann's RFC 6901 implementation for object members.
  for (const FieldChange& c : DiffJson(before, after)) {
    CHECK(after.at(json::json_pointer(c.field)) == c.to);
  }
}

TEST_CASE("arrays of objects with ids are matched by id", "[domain][json_diff]") {
  json before = json::parse(R"({"phones": [
    {"id": "p1", "number": "+16502530000", "label": "home"},
    {"id": "p2", "number": "+442079460958"},
    {"id": "p3", "number": "+4930123456"}
  ]})");
  json after = json::parse(R"({"phones": [
    {"id": "p4", "number": "+33123456789"},
    {"id": "p3", "number": "+4930123456"},
    {"id": "p1", "number": "+16502530001", "label": "work", "primary": true}
  ]})");
  CheckDiff(before, after,
            json::array({
                Change("/phones/p4", nullptr, {{"id", "p4"}, {"number", "+33123456789"}}),
                Change("/phones/p1/label", "home", "work"),
                Change("/phones/p1/number", "+16502530000", "+16502530001"),
                Change("/phones/p1/primary", nullptr, true),
                Change("/phones/p2", {{"id", "p2"}, {"number", "+442079460958"}}, nullptr),
            }));
}

TEST_CASE("id order: after's order, then removed ids in before's order", "[domain][json_diff]") {
  json before =
      json::parse(R"([{"id": "r2"}, {"id": "k", "v": 1}, {"id": "r1"}, {"id": "j", "v": 1}])");
  json after =
      json::parse(R"([{"id": "j", "v": 2}, {"id": "a2"}, {"id": "k", "v": 2}, {"id": "a1"}])");
  CheckDiff(before, after,
            json::array({Change("/j/v", 1, 2), Change("/a2", nullptr, {{"id", "a2"}}),
                         Change("/k/v", 1, 2), Change("/a1", nullptr, {{"id", "a1"}}),
                         Change("/r2", {{"id", "r2"}}, nullptr),
                         Change("/r1", {{"id", "r1"}}, nullptr)}));
}

TEST_CASE("id-matched arrays: reorder is no change, empty arrays qualify, ids are escaped",
          "[domain][json_diff]") {
  json a = json::parse(R"({"emails": [{"id": "e1", "v": 1}, {"id": "e2", "v": 2}]})");
  json b = json::parse(R"({"emails": [{"id": "e2", "v": 2}, {"id": "e1", "v": 1}]})");
  CHECK(DiffJson(a, b).empty());

  CheckDiff(json::parse(R"({"emails": []})"), json::parse(R"({"emails": [{"id": "e1"}]})"),
            json::array({Change("/emails/e1", nullptr, {{"id", "e1"}})}));
  CheckDiff(json::parse(R"({"emails": [{"id": "e1"}]})"), json::parse(R"({"emails": []})"),
            json::array({Change("/emails/e1", {{"id", "e1"}}, nullptr)}));

  CheckDiff(json::parse(R"([{"id": "a/b~c", "v": 1}])"),
            json::parse(R"([{"id": "a/b~c", "v": 2}])"), json::array({Change("/a~1b~0c/v", 1, 2)}));

  // Nested id-matched arrays inside matched elements.
  CheckDiff(json::parse(R"([{"id": "c", "tags": [{"id": "t1", "n": "x"}]}])"),
            json::parse(R"([{"id": "c", "tags": [{"id": "t1", "n": "y"}]}])"),
            json::array({Change("/c/tags/t1/n", "x", "y")}));
}

TEST_CASE("other arrays are compared as whole values", "[domain][json_diff]") {
  // Scalars.
  CheckDiff(json::parse(R"({"tags": ["a", "b"]})"), json::parse(R"({"tags": ["b", "a"]})"),
            json::array({Change("/tags", {"a", "b"}, {"b", "a"})}));
  // Objects without ids.
  json no_ids_before = json::parse(R"({"l": [{"n": 1}]})");
  json no_ids_after = json::parse(R"({"l": [{"n": 2}]})");
  CheckDiff(no_ids_before, no_ids_after,
            json::array({Change("/l", no_ids_before["l"], no_ids_after["l"])}));
  // Non-string ids.
  json numeric_before = json::parse(R"([{"id": 1, "v": 1}])");
  json numeric_after = json::parse(R"([{"id": 1, "v": 2}])");
  CheckDiff(numeric_before, numeric_after,
            json::array({Change("", numeric_before, numeric_after)}));
  // One element without an id on either side disqualifies the pair.
  json mixed_before = json::parse(R"([{"id": "a", "v": 1}])");
  json mixed_after = json::parse(R"([{"id": "a", "v": 2}, {"v": 3}])");
  CheckDiff(mixed_before, mixed_after, json::array({Change("", mixed_before, mixed_after)}));
  json scalar_after = json::parse(R"([{"id": "a", "v": 2}, 3])");
  CheckDiff(mixed_before, scalar_after, json::array({Change("", mixed_before, scalar_after)}));
  // Repeated ids are ambiguous.
  json dup_before = json::parse(R"([{"id": "a", "v": 1}, {"id": "a", "v": 2}])");
  json dup_after = json::parse(R"([{"id": "a", "v": 1}, {"id": "a", "v": 3}])");
  CheckDiff(dup_before, dup_after, json::array({Change("", dup_before, dup_after)}));
  // Empty against scalars.
  CheckDiff(json::array(), json::array({1}), json::array({Change("", json::array(), {1})}));
}

TEST_CASE("FieldChange compares by value and renders as field/from/to", "[domain][json_diff]") {
  std::vector<FieldChange> changes = DiffJson(json{{"a", 1}}, json{{"a", 2}});
  REQUIRE(changes.size() == 1);
  CHECK(changes[0] == FieldChange{"/a", 1, 2});
  CHECK_FALSE(changes[0] == FieldChange{"/a", 1, 3});
  CHECK(FieldChangesToJson(changes) == json::parse(R"([{"field": "/a", "from": 1, "to": 2}])"));
  CHECK(FieldChangesToJson({}) == json::array());
}

TEST_CASE("a profile-sized update reports exactly the edited fields", "[domain][json_diff]") {
  json before = json::parse(R"({
    "customer_id": "c1", "version": 7,
    "name": {"given": "Ann", "family": "Lee"},
    "emails": [{"id": "e1", "address": "ann@example.com", "verified": true}],
    "phones": [{"id": "p1", "e164": "+16502530000", "sms_opt_out": false}],
    "preferences": {"language": "en", "channels": ["email", "sms"]}
  })");
  json after = before;
  after["version"] = 8;
  after["phones"][0]["sms_opt_out"] = true;
  after["preferences"]["channels"] = {"email"};
  after["emails"].push_back({{"id", "e2"}, {"address", "lee@example.org"}, {"verified", false}});
  CheckDiff(
      before, after,
      json::array({Change("/emails/e2", nullptr,
                          {{"id", "e2"}, {"address", "lee@example.org"}, {"verified", false}}),
                   Change("/phones/p1/sms_opt_out", false, true),
                   Change("/preferences/channels", {"email", "sms"}, {"email"}),
                   Change("/version", 7, 8)}));
}

}  // namespace
}  // namespace ledger::domain
