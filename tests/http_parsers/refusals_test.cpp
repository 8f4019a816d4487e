// Properties every parser shares, checked on each one from a valid body: the body parses; an
// unknown member is refused at its (escaped) pointer; a member that must be text refuses every
// other JSON type at its own pointer.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "parser_testing.h"

namespace ledger::http {
namespace {

using nlohmann::json;
using testing::Body;
using testing::Parse;
using testing::StatusOf;
using testing::UsPhones;

struct ParserCase {
  const char* name;
  Parse parse;
  json valid;                        // a body the parser accepts
  std::vector<std::string> strings;  // members that must be JSON strings (text, enums, times)
  bool takes_any_member = false;     // finance: every member is a field
};

std::vector<ParserCase> AllParsers() {
  const domain::PhoneNormalizer& phones = UsPhones();
  return {
      {"register",
       [&](const json& b) { return StatusOf(ParseRegister(b, phones)); },
       Body(R"({"kind":"person","first_name":"Ada","phones":[{"number":"2125552368"}]})"),
       {"kind", "first_name", "last_name", "company_name", "language", "contact_time"}},
      {"consent",
       [&](const json& b) { return StatusOf(ParseSetConsent(domain::Channel::Sms, b, phones)); },
       Body(R"({"status":"opted_in","phone":"2125552368","expires_at":"2030-01-01T00:00:00Z"})"),
       {"status", "phone", "purpose", "basis", "expires_at", "jurisdiction", "method",
        "disclosure_version", "disclosure_text", "evidence", "received_at", "text"}},
      {"consent by email",
       [&](const json& b) { return StatusOf(ParseSetConsent(domain::Channel::Email, b, phones)); },
       Body(R"({"status":"opted_out","email":"a@b.example"})"),
       {"status", "email"}},
      {"sms stop",
       [](const json& b) { return StatusOf(ParseSmsStop(b)); },
       Body(R"({"phone":"2125552368","text":"STOP"})"),
       {"phone", "text"}},
      {"email bounce",
       [](const json& b) { return StatusOf(ParseEmailBounce(b)); },
       Body(R"({"email":"a@b.example"})"),
       {"email"}},
      {"inbound message",
       [](const json& b) { return StatusOf(ParseInboundMessage(b)); },
       Body(R"({"channel":"sms","from":"2125552368","text":"hi","to":"+12125550000",)"
            R"("received_at":"2025-01-01T00:00:00Z","provider_message_id":"SM1"})"),
       {"channel", "from", "text", "to", "received_at", "provider_message_id"}},
      {"review decision",
       [](const json& b) { return StatusOf(ParseReviewDecision(b)); },
       Body(R"({"decision":"not_revocation"})"),
       {"decision"}},
      {"add note",
       [](const json& b) { return StatusOf(ParseAddNote(b)); },
       Body(R"({"text":"hello","pinned":false})"),
       {"text"}},
      {"amend note",
       [](const json& b) { return StatusOf(ParseAmendNote("n2", b)); },
       Body(R"({"text":"hello"})"),
       {"text"}},
      {"retract note",
       [](const json& b) { return StatusOf(ParseRetractNote("n2", b)); },
       Body("{}"),
       {}},
      {"verify",
       [](const json& b) { return StatusOf(ParseVerifyInfo(b)); },
       Body(R"({"emails":["a@b.example"]})"),
       {}},
      {"call",
       [](const json& b) { return StatusOf(ParseLogCall(b)); },
       Body(R"({"outcome":"spoke"})"),
       {"outcome"}},
      {"communication",
       [](const json& b) { return StatusOf(ParseLogCommunication(b)); },
       Body(R"({"channel":"email","direction":"inbound","at":"2024-01-01T00:00:00Z"})"),
       {"channel", "direction", "at", "contact_id"}},
      {"job",
       [](const json& b) { return StatusOf(ParseRecordJob(b)); },
       Body(R"({"job_id":"RO-1","status":"booked"})"),
       {"job_id", "status"}},
      {"finance",
       [](const json& b) { return StatusOf(ParseSetFinance(b)); },
       Body(R"({"credit_limit":"100"})"),
       {"credit_limit"},
       /*takes_any_member=*/true},
      {"merge",
       [](const json& b) { return StatusOf(ParseMerge(b)); },
       Body(R"({"duplicate":"cus-2"})"),
       {"duplicate"}},
      {"add contact",
       [&](const json& b) { return StatusOf(ParseAddContact(b, phones)); },
       Body(R"({"name":"Bob","email":"b@x.example","phone":"2125552368"})"),
       {"name", "email", "phone", "managed_by", "case_id"}},
      {"update contact",
       [&](const json& b) { return StatusOf(ParseUpdateContact("c2", b, phones)); },
       Body(R"({"name":"Bob"})"),
       {"name", "email", "phone"}},
      {"merge contacts",
       [](const json& b) { return StatusOf(ParseMergeContacts(b)); },
       Body(R"({"main":"c1","others":["c2"]})"),
       {"main"}},
      {"erasure",
       [](const json& b) { return ParseErasure(b, "asked by the customer"); },
       Body("{}"),
       {}},
  };
}

TEST_CASE("Every parser accepts its valid body and refuses unknown members", "[http][parsers]") {
  for (const ParserCase& p : AllParsers()) {
    INFO("parser: " << p.name);
    Status valid = p.parse(p.valid);
    INFO(valid.ToString() << " at " << valid.field());
    REQUIRE(valid.ok());

    json unknown = p.valid;
    unknown["no/such~member"] = p.takes_any_member ? json(1) : json("x");
    Status s = p.parse(unknown);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.field() == "/no~1such~0member");
  }
}

TEST_CASE("Every text member refuses numbers, arrays, objects and booleans", "[http][parsers]") {
  const std::vector<json> not_text = {
      json(7),    json(-1.5), json::array({"x"}), json::object(), json::object({{"a", "x"}}),
      json(true), json(false)};
  for (const ParserCase& p : AllParsers()) {
    for (const std::string& member : p.strings) {
      for (const json& value : not_text) {
        json body = p.valid;
        body[member] = value;
        INFO("parser: " << p.name << ", " << member << " = " << value.dump());
        Status s = p.parse(body);
        REQUIRE_FALSE(s.ok());
        CHECK(s.code() == StatusCode::kInvalidArgument);
        CHECK(s.field() == "/" + member);
      }
    }
  }
}

}  // namespace
}  // namespace ledger::http
