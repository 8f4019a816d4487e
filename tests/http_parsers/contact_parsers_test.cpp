// Contact bodies: add (phone normalised), update (identity members refused), merge.
#include <catch2/catch.hpp>
#include <string>

#include "parser_testing.h"

namespace ledger::http {
namespace {

using nlohmann::json;
using testing::Body;
using testing::CheckRefusals;
using testing::Parsed;
using testing::UsPhones;

TEST_CASE("ParseAddContact reads a contact and normalises its phone", "[http][parsers]") {
  domain::AddContact c = Parsed(ParseAddContact(Body(R"({
    "name": "Bob Driver", "email": "bob@fleet.example", "phone": "(212) 555-2368",
    "managed_by": "fleet", "case_id": "case-9"})"),
                                                UsPhones()));
  CHECK(c.name == "Bob Driver");
  CHECK(c.email == "bob@fleet.example");
  CHECK(c.phone == "+12125552368");
  CHECK(c.managed_by == domain::ManagedBy::Fleet);
  CHECK(c.case_id == "case-9");

  domain::AddContact minimal =
      Parsed(ParseAddContact(Body(R"({"email":"a@b.example"})"), UsPhones()));
  CHECK(minimal.phone.empty());
  CHECK(minimal.managed_by == domain::ManagedBy::Provider);
  // An empty phone is no phone.
  CHECK(Parsed(ParseAddContact(Body(R"({"phone":""})"), UsPhones())).phone.empty());

  CheckRefusals(
      [](const json& b) { return ParseAddContact(b, UsPhones()).status(); },
      {
          {Body(R"({"name":["Bob"]})"), "/name", "must be a string"},
          {json{{"name", std::string(201, 'n')}}, "/name", "at most 200 bytes"},
          {Body(R"({"email":1})"), "/email", "must be a string"},
          {Body(R"({"phone":2125552368})"), "/phone", "must be a string"},
          {Body(R"({"phone":"not a number"})"), "/phone", ""},
          {Body(R"({"managed_by":"customer"})"), "/managed_by", "must be one of: provider, fleet"},
          {json{{"case_id", std::string(129, 'c')}}, "/case_id", "at most 128 bytes"},
          {Body(R"({"role":"driver"})"), "/role", "not a field"},
          // Types are checked before the phone is normalised.
          {Body(R"({"phone":"not a number","case_id":5})"), "/case_id", "must be a string"},
      });
}

TEST_CASE("ParseUpdateContact keeps absent members absent", "[http][parsers]") {
  domain::UpdateContact u =
      Parsed(ParseUpdateContact("c3", Body(R"({"phone":"212.555.2368"})"), UsPhones()));
  CHECK(u.contact_id == "c3");
  CHECK_FALSE(u.name.has_value());
  CHECK_FALSE(u.email.has_value());
  CHECK(u.phone == "+12125552368");

  domain::UpdateContact named = Parsed(ParseUpdateContact(
      "c3", Body(R"({"name":"Robert","email":"bob@x.example","phone":""})"), UsPhones()));
  CHECK(named.name == "Robert");
  CHECK(named.email == "bob@x.example");
  CHECK(named.phone == "");  // present and empty: remove the phone

  CheckRefusals([](const json& b) { return ParseUpdateContact("c3", b, UsPhones()).status(); },
                {
                    {Body(R"({"managed_by":"fleet"})"), "/managed_by", "cannot change"},
                    {Body(R"({"managed_by":null})"), "/managed_by", "cannot change"},
                    {Body(R"({"case_id":"x"})"), "/case_id", "cannot change"},
                    {Body(R"({"name":{}})"), "/name", "must be a string"},
                    {Body(R"({"phone":"12"})"), "/phone", ""},
                    {Body(R"({"id":"c4"})"), "/id", "not a field"},
                });
}

TEST_CASE("ParseMergeContacts reads the main contact and the others", "[http][parsers]") {
  domain::MergeContacts m =
      Parsed(ParseMergeContacts(Body(R"({"main":"c1","others":["c2","c3"]})")));
  CHECK(m.main_id == "c1");
  CHECK(m.other_ids == std::vector<std::string>{"c2", "c3"});

  json too_many = json::array();
  for (int i = 0; i < 101; ++i) too_many.push_back("c" + std::to_string(i));
  CheckRefusals([](const json& b) { return ParseMergeContacts(b).status(); },
                {
                    {Body(R"({"others":["c2"]})"), "/main", "is required"},
                    {Body(R"({"main":1,"others":["c2"]})"), "/main", "must be a string"},
                    {Body(R"({"main":"c1","others":"c2"})"), "/others", "must be an array"},
                    {Body(R"({"main":"c1","others":["c2",3]})"), "/others/1", "must be a string"},
                    {Body(R"({"main":"c1","others":["c2","c3",{"id":"c4"}]})"), "/others/2",
                     "must be a string"},
                    {json{{"main", "c1"}, {"others", too_many}}, "/others", "at most 100 strings"},
                });
}

}  // namespace
}  // namespace ledger::http
