// Registration and consent bodies: the parsers that normalise phones.
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

constexpr std::int64_t kT = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z in µs

TEST_CASE("ParseRegister reads the profile and normalises phones", "[http][parsers]") {
  domain::RegisterCustomer cmd = Parsed(ParseRegister(Body(R"({
    "kind": "company", "company_name": "Acme Fleet", "contact_name": "Ada",
    "phones": [{"kind": "work", "number": "(212) 555-2368"}, {"number": "+44 20 7946 0958"}],
    "emails": [{"address": "ops@acme.example"}],
    "address": {"line1": "1 Main St", "city": "Springfield", "country": "US"},
    "external_ids": [{"system": "dms", "id": "C-17"}],
    "tags": ["vip", "fleet"],
    "preferences": {"do_not_mail": true, "preferred_method": "email"}
  })"),
                                                      UsPhones()));
  const domain::EditableProfile& p = cmd.profile;
  CHECK(p.kind == domain::CustomerKind::Company);
  CHECK(p.company_name == "Acme Fleet");
  CHECK(p.contact_name == "Ada");
  REQUIRE(p.phones.size() == 2);
  CHECK(p.phones[0].kind == domain::PhoneKind::Work);
  CHECK(p.phones[0].number == "+12125552368");
  CHECK(p.phones[0].id.empty());
  CHECK(p.phones[1].kind == domain::PhoneKind::Cell);  // the default
  CHECK(p.phones[1].number == "+442079460958");
  REQUIRE(p.emails.size() == 1);
  CHECK(p.emails[0].address == "ops@acme.example");
  CHECK(p.address.line1 == "1 Main St");
  CHECK(p.address.city == "Springfield");
  REQUIRE(p.external_ids.size() == 1);
  CHECK(p.external_ids[0].system == "dms");
  CHECK(p.external_ids[0].id == "C-17");
  CHECK(p.tags == std::vector<std::string>{"vip", "fleet"});
  CHECK(p.do_not_mail);
  CHECK_FALSE(p.do_not_call);
  CHECK(p.preferred_method == domain::PreferredMethod::Email);

  domain::RegisterCustomer empty = Parsed(ParseRegister(Body("{}"), UsPhones()));
  CHECK(empty.profile.kind == domain::CustomerKind::Person);
  CHECK(empty.profile.phones.empty());
}

TEST_CASE("ParseRegister names the field at fault, inside arrays too", "[http][parsers]") {
  auto parse = [](const json& b) { return ParseRegister(b, UsPhones()).status(); };
  json ok_phone = {{"number", "(212) 555-2368"}};
  CheckRefusals(
      parse,
      {
          {Body(R"({"nickname":"Al"})"), "/nickname", "is not an editable field"},
          {Body(R"({"first_name":7})"), "/first_name", "must be a string"},
          {Body(R"({"first_name":["Al"]})"), "/first_name", "must be a string"},
          {Body(R"({"kind":"robot"})"), "/kind", "must be one of: person, company"},
          {Body(R"({"address":"1 Main St"})"), "/address", "must be an object"},
          {Body(R"({"address":{"street":"x"}})"), "/address/street", "not an editable"},
          {Body(R"({"phones":{"number":"1"}})"), "/phones", "must be an array"},
          {json{{"phones", {ok_phone, {{"number", "not a phone"}}}}}, "/phones/1/number", ""},
          {json{{"phones", {ok_phone, ok_phone, {{"number", "555-123-4567"}}}}}, "/phones/2/number",
           ""},
          {json{{"phones", {ok_phone, {{"kind", "pager"}, {"number", "2125552368"}}}}},
           "/phones/1/kind", "must be one of"},
          {json{{"phones", {ok_phone, "2125552368"}}}, "/phones/1", "must be an object"},
          {json{{"phones", {{{"number", "2125552368"}, {"ext", "12"}}}}}, "/phones/0/ext",
           "not an editable field"},
          {json{{"phones", {{{"number", "2125552368"}, {"a/b~", 1}}}}}, "/phones/0/a~1b~0",
           "not an editable field"},
          {Body(R"({"emails":[{"address":"a@b.example"},{"address":5}]})"), "/emails/1/address",
           "must be a string"},
          {Body(R"({"external_ids":[{"system":"dms","id":["x"]}]})"), "/external_ids/0/id",
           "must be a string"},
          {Body(R"({"tags":["a","b",3]})"), "/tags/2", "must be a string"},
          {Body(R"({"preferences":{"do_not_call":"yes"}})"), "/preferences/do_not_call",
           "must be true or false"},
      });
}

TEST_CASE("ParseConsentChannel knows the five channels; others are not found", "[http][parsers]") {
  CHECK(Parsed(ParseConsentChannel("sms")) == domain::Channel::Sms);
  CHECK(Parsed(ParseConsentChannel("casl_email")) == domain::Channel::CaslEmail);
  CHECK(Parsed(ParseConsentChannel("call")) == domain::Channel::Call);
  for (const char* name : {"fax", "SMS", "", "casl-email"}) {
    INFO(name);
    Status s = ParseConsentChannel(name).status();
    CHECK(s.code() == StatusCode::kNotFound);
    CHECK(s.field().empty());
    CHECK_THAT(s.message(), Catch::Contains(name));
  }
}

TEST_CASE("ParseSetConsent reads every member of a consent", "[http][parsers]") {
  domain::SetConsent cmd = Parsed(ParseSetConsent(domain::Channel::Sms, Body(R"({
    "status": "opted_in", "phone": "212-555-2368", "purpose": "informational",
    "basis": "implied", "expires_at": "2023-11-14T22:13:20Z", "jurisdiction": "US-TCPA",
    "method": "keyword", "disclosure_version": "v3", "disclosure_text": "abc",
    "evidence": "web form 12", "received_at": "2023-11-14T23:13:20.5+01:00", "text": "YES"
  })"),
                                                  UsPhones()));
  const domain::Consent& c = cmd.consent;
  CHECK(c.channel == domain::Channel::Sms);
  CHECK(c.status == domain::ConsentStatus::OptedIn);
  CHECK(c.contact_point == "+12125552368");
  CHECK(c.purpose == domain::ConsentPurpose::Informational);
  CHECK(c.basis == domain::ConsentBasis::Implied);
  CHECK(c.expires_at_us == kT);
  CHECK(c.jurisdiction == "US-TCPA");
  CHECK(c.method == domain::ConsentMethod::Keyword);
  CHECK(c.disclosure_version == "v3");
  // SHA-256("abc"), the FIPS 180-2 test vector: the wording is kept as its hash.
  CHECK(c.disclosure_sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(c.evidence == "web form 12");
  CHECK(c.received_at_us == kT + 500'000);
  CHECK(c.raw_text == "YES");

  domain::SetConsent email = Parsed(ParseSetConsent(
      domain::Channel::Email, Body(R"({"status":"opted_out","email":"a@b.example"})"), UsPhones()));
  CHECK(email.consent.channel == domain::Channel::Email);
  CHECK(email.consent.status == domain::ConsentStatus::OptedOut);
  CHECK(email.consent.contact_point == "a@b.example");
  // Defaults for what the body leaves out.
  CHECK(email.consent.purpose == domain::ConsentPurpose::Marketing);
  CHECK(email.consent.basis == domain::ConsentBasis::Express);
  CHECK(email.consent.method == domain::ConsentMethod::Web);
  CHECK(email.consent.expires_at_us == 0);
  CHECK(email.consent.disclosure_sha256.empty());

  // Neither phone nor email: the whole customer.
  domain::SetConsent whole =
      Parsed(ParseSetConsent(domain::Channel::Mail, Body(R"({"status":"opted_out"})"), UsPhones()));
  CHECK(whole.consent.contact_point.empty());
}

TEST_CASE("ParseSetConsent refusals name the member", "[http][parsers]") {
  auto parse = [](const json& b) {
    return ParseSetConsent(domain::Channel::Sms, b, UsPhones()).status();
  };
  const char* time_message = "must be an RFC 3339 time";
  CheckRefusals(
      parse,
      {
          {Body(R"({})"), "/status", "is required"},
          {Body(R"({"status":null})"), "/status", "is required"},
          {Body(R"({"status":"yes"})"), "/status", "must be one of: opted_in, opted_out"},
          {Body(R"({"status":1})"), "/status", "must be one of"},
          {Body(R"({"status":["opted_in"]})"), "/status", "must be one of"},
          {Body(R"({"status":"opted_in","channel":"sms"})"), "/channel", "not a field"},
          {Body(R"({"status":"opted_in","phone":2125552368})"), "/phone", "must be a string"},
          {Body(R"({"status":"opted_in","phone":"call me maybe"})"), "/phone", ""},
          {Body(R"({"status":"opted_in","phone":"212-555-2368 x12"})"), "/phone", ""},
          {json{{"status", "opted_in"}, {"phone", std::string(65, '2')}}, "/phone",
           "at most 64 bytes"},
          {json{{"status", "opted_in"}, {"email", std::string(255, 'e')}}, "/email",
           "at most 254 bytes"},
          {Body(R"({"status":"opted_in","phone":"2125552368","email":"a@b.example"})"), "/email",
           "not both"},
          {Body(R"({"status":"opted_in","purpose":"sales"})"), "/purpose", "must be one of"},
          {Body(R"({"status":"opted_in","basis":"assumed"})"), "/basis", "must be one of"},
          {Body(R"({"status":"opted_in","method":"telepathy"})"), "/method", "must be one of"},
          {Body(R"({"status":"opted_in","expires_at":"tomorrow"})"), "/expires_at", time_message},
          {Body(R"({"status":"opted_in","expires_at":"2023-11-14"})"), "/expires_at", time_message},
          {Body(R"({"status":"opted_in","expires_at":"2023-02-30T00:00:00Z"})"), "/expires_at",
           time_message},
          {Body(R"({"status":"opted_in","expires_at":1700000000})"), "/expires_at",
           "must be a string"},
          {Body(R"({"status":"opted_in","received_at":"2023-11-14T22:13:20"})"), "/received_at",
           time_message},
          {json{{"status", "opted_in"}, {"received_at", std::string(65, '1')}}, "/received_at",
           "at most 64 bytes"},
          {json{{"status", "opted_in"}, {"text", std::string(2001, 't')}}, "/text",
           "at most 2000 bytes"},
          {json{{"status", "opted_in"}, {"disclosure_text", std::string(20'001, 'd')}},
           "/disclosure_text", "at most 20000 bytes"},
          // Reading order: the unknown member first, then the missing status.
          {Body(R"({"bogus":1})"), "/bogus", "not a field"},
          {Body(R"({"phone":5})"), "/status", "is required"},
      });
}

}  // namespace
}  // namespace ledger::http
