// Bodies of the change routes that take no phone: inbound hooks, notes, verification, calls,
// communications, jobs, finance, merges and erasure.
#include <catch2/catch.hpp>
#include <string>

#include "parser_testing.h"

namespace ledger::http {
namespace {

using nlohmann::json;
using testing::Body;
using testing::CheckRefusals;
using testing::Parsed;

constexpr std::int64_t kT = 1'700'000'000'000'000;  // 2023-11-14T22:13:20Z in µs

// `n` strings "e0", "e1", ...
json Strings(std::size_t n) {
  json a = json::array();
  for (std::size_t i = 0; i < n; ++i) a.push_back("e" + std::to_string(i));
  return a;
}

TEST_CASE("Inbound message and review decision bodies", "[http][parsers]") {
  InboundMessageRequest m = Parsed(ParseInboundMessage(Body(
      R"({"channel":"email","from":"A@B.example","text":"Unsubscribe me","to":"x@dealer.example",)"
      R"("received_at":"2025-01-02T03:04:05Z","provider_message_id":"msg-1"})")));
  CHECK(m.channel == domain::Channel::Email);
  CHECK(m.from == "A@B.example");  // the service normalises it
  CHECK(m.text == "Unsubscribe me");
  CHECK(m.to == "x@dealer.example");
  CHECK(m.received_at_us == 1'735'787'045'000'000);
  CHECK(m.provider_message_id == "msg-1");
  InboundMessageRequest bare =
      Parsed(ParseInboundMessage(Body(R"({"channel":"sms","from":"2125552368","text":""})")));
  CHECK_FALSE(bare.received_at_us);
  CHECK(bare.text.empty());
  CheckRefusals([](const json& b) { return ParseInboundMessage(b).status(); },
                {
                    {Body(R"({"from":"1","text":"x"})"), "/channel", "is required"},
                    {Body(R"({"channel":"pigeon","from":"1","text":"x"})"), "/channel",
                     "must be one of: call, email, mail, sms"},
                    {Body(R"({"channel":"sms","text":"x"})"), "/from", "is required"},
                    {Body(R"({"channel":"sms","from":"1"})"), "/text", "is required"},
                    {Body(R"({"channel":"sms","from":"1","text":7})"), "/text",
                     "must be a string"},
                    {json{{"channel", "sms"}, {"from", "1"}, {"text", std::string(2001, 'x')}},
                     "/text", "at most 2000 bytes"},
                    {Body(R"({"channel":"sms","from":"1","text":"x","received_at":"soon"})"),
                     "/received_at", "must be an RFC 3339 time"},
                    {Body(R"({"channel":"sms","from":"1","text":"x","subject":"y"})"), "/subject",
                     "not a field"},
                });
  CHECK(Parsed(ParseReviewDecision(Body(R"({"decision":"revocation"})"))).decision ==
        domain::ReviewDecision::Revocation);
  CHECK(Parsed(ParseReviewDecision(Body(R"({"decision":"not_revocation"})"))).decision ==
        domain::ReviewDecision::NotRevocation);
  CheckRefusals([](const json& b) { return ParseReviewDecision(b).status(); },
                {
                    {Body("{}"), "/decision", "is required"},
                    {Body(R"({"decision":"yes"})"), "/decision",
                     "must be one of: revocation, not_revocation"},
                    {Body(R"({"decision":"revocation","why":"x"})"), "/why", "not a field"},
                });
}

TEST_CASE("Inbound SMS STOP and email bounce bodies", "[http][parsers]") {
  SmsStopRequest stop = Parsed(ParseSmsStop(Body(R"({"phone":"+1 212 555 2368","text":"STOP"})")));
  CHECK(stop.phone == "+1 212 555 2368");  // the service matches it in any format
  CHECK(stop.text == "STOP");
  CHECK(Parsed(ParseSmsStop(Body(R"({"phone":"2125552368"})"))).text.empty());

  CheckRefusals(
      [](const json& b) { return ParseSmsStop(b).status(); },
      {
          {Body("{}"), "/phone", "is required"},
          {Body(R"({"phone":null})"), "/phone", "is required"},
          {Body(R"({"phone":2125552368})"), "/phone", "must be a string"},
          {Body(R"({"phone":"1","text":{}})"), "/text", "must be a string"},
          {Body(R"({"phone":"1","from":"2"})"), "/from", "not a field"},
          {json{{"phone", std::string(65, '1')}}, "/phone", "at most 64 bytes"},
          {json{{"phone", "1"}, {"text", std::string(2001, 'S')}}, "/text", "at most 2000 bytes"},
      });

  CHECK(Parsed(ParseEmailBounce(Body(R"({"email":"A@B.example"})"))).email == "A@B.example");
  CheckRefusals([](const json& b) { return ParseEmailBounce(b).status(); },
                {
                    {Body("{}"), "/email", "is required"},
                    {Body(R"({"email":true})"), "/email", "must be a string"},
                    {Body(R"({"email":"a@b","reason_code":550})"), "/reason_code", "not a field"},
                    {json{{"email", std::string(255, 'a')}}, "/email", "at most 254 bytes"},
                });
}

TEST_CASE("Note bodies: add, amend, retract", "[http][parsers]") {
  domain::AddNote add = Parsed(ParseAddNote(Body(R"({"text":"Prefers calls","pinned":true})")));
  CHECK(add.text == "Prefers calls");
  CHECK(add.pinned);
  CHECK_FALSE(Parsed(ParseAddNote(Body(R"({"text":"x"})"))).pinned);
  CHECK(Parsed(ParseAddNote(json{{"text", std::string(20'000, 'n')}})).text.size() == 20'000);

  CheckRefusals([](const json& b) { return ParseAddNote(b).status(); },
                {
                    {Body("{}"), "/text", "is required"},
                    {Body(R"({"text":null})"), "/text", "is required"},
                    {Body(R"({"text":42})"), "/text", "must be a string"},
                    {Body(R"({"text":4.2})"), "/text", "must be a string"},
                    {Body(R"({"text":["a"]})"), "/text", "must be a string"},
                    {Body(R"({"text":{"a":1}})"), "/text", "must be a string"},
                    {Body(R"({"text":false})"), "/text", "must be a string"},
                    {Body(R"({"text":"x","pinned":"true"})"), "/pinned", "must be true or false"},
                    {Body(R"({"text":"x","pinned":1})"), "/pinned", "must be true or false"},
                    {Body(R"({"text":"x","pinned":[true]})"), "/pinned", "must be true or false"},
                    {json{{"text", std::string(20'001, 'n')}}, "/text", "at most 20000 bytes"},
                    {Body(R"({"text":"x","author":"me"})"), "/author", "not a field"},
                    // The unknown member is reported before the member types.
                    {Body(R"({"text":1,"author":"me"})"), "/author", "not a field"},
                });

  domain::AmendNote amend = Parsed(ParseAmendNote("n7", Body(R"({"text":"Prefers texts"})")));
  CHECK(amend.note_id == "n7");
  CHECK(amend.text == "Prefers texts");
  CheckRefusals([](const json& b) { return ParseAmendNote("n7", b).status(); },
                {
                    {Body("{}"), "/text", "is required"},
                    {Body(R"({"text":"x","pinned":true})"), "/pinned", "not a field"},
                });

  CHECK(Parsed(ParseRetractNote("n7", Body("{}"))).note_id == "n7");
  CheckRefusals([](const json& b) { return ParseRetractNote("n7", b).status(); },
                {{Body(R"({"text":"x"})"), "/text", "not a field"}});
}

TEST_CASE("Verification, call, communication and job bodies", "[http][parsers]") {
  domain::VerifyInfo verify =
      Parsed(ParseVerifyInfo(Body(R"({"emails":["a@b.example","c@d.example"]})")));
  CHECK(verify.reverified_emails == std::vector<std::string>{"a@b.example", "c@d.example"});
  CHECK(Parsed(ParseVerifyInfo(Body("{}"))).reverified_emails.empty());
  CHECK(Parsed(ParseVerifyInfo(json{{"emails", Strings(100)}})).reverified_emails.size() == 100);
  CheckRefusals([](const json& b) { return ParseVerifyInfo(b).status(); },
                {
                    {json{{"emails", Strings(101)}}, "/emails", "at most 100 strings"},
                    {Body(R"({"emails":"a@b.example"})"), "/emails", "must be an array"},
                    {Body(R"({"emails":{"0":"a@b.example"}})"), "/emails", "must be an array"},
                    {Body(R"({"emails":["a@b.example",null]})"), "/emails/1", "must be a string"},
                    {Body(R"({"emails":["a","b",["c"]]})"), "/emails/2", "must be a string"},
                    {Body(R"({"phones":[]})"), "/phones", "not a field"},
                });

  CHECK(Parsed(ParseLogCall(Body(R"({"outcome":"left_voicemail"})"))).outcome ==
        domain::CallOutcome::LeftVoicemail);
  CheckRefusals([](const json& b) { return ParseLogCall(b).status(); },
                {
                    {Body("{}"), "/outcome", "is required"},
                    {Body(R"({"outcome":"LeftVoicemail"})"), "/outcome",
                     "must be one of: called, no_answer, left_voicemail, spoke"},
                    {Body(R"({"outcome":2})"), "/outcome", "must be one of"},
                });

  domain::LogCommunication comm = Parsed(ParseLogCommunication(Body(
      R"({"channel":"webform","direction":"outbound","at":"2023-11-14T22:13:20Z","contact_id":"c4"})")));
  CHECK(comm.channel == domain::CommunicationChannel::Webform);
  CHECK(comm.direction == domain::Direction::Outbound);
  CHECK(comm.at_us == kT);
  CHECK(comm.contact_id == "c4");
  domain::LogCommunication minimal = Parsed(ParseLogCommunication(Body(R"({"channel":"text"})")));
  CHECK(minimal.direction == domain::Direction::Inbound);
  CHECK(minimal.at_us == 0);  // now
  CHECK(minimal.contact_id.empty());
  CheckRefusals(
      [](const json& b) { return ParseLogCommunication(b).status(); },
      {
          {Body("{}"), "/channel", "is required"},
          {Body(R"({"channel":"fax"})"), "/channel", "must be one of"},
          {Body(R"({"channel":"call","direction":"sideways"})"), "/direction",
           "must be one of: inbound, outbound"},
          {Body(R"({"channel":"call","at":"yesterday"})"), "/at", "must be an RFC 3339 time"},
          {Body(R"({"channel":"call","at":"1969-12-31T23:59:59Z"})"), "/at",
           "must be an RFC 3339 time"},
          {json{{"channel", "call"}, {"contact_id", std::string(129, 'c')}}, "/contact_id",
           "at most 128 bytes"},
      });

  domain::RecordJob job = Parsed(ParseRecordJob(Body(R"({"job_id":"RO-1","status":"completed"})")));
  CHECK(job.job_id == "RO-1");
  CHECK(job.status == domain::JobStatus::Completed);
  CHECK(Parsed(ParseRecordJob(json{{"job_id", std::string(128, 'j')}, {"status", "booked"}}))
            .job_id.size() == 128);
  CheckRefusals([](const json& b) { return ParseRecordJob(b).status(); },
                {
                    {Body(R"({"status":"booked"})"), "/job_id", "is required"},
                    {Body(R"({"job_id":"RO-1"})"), "/status", "is required"},
                    {Body(R"({"job_id":17,"status":"booked"})"), "/job_id", "must be a string"},
                    {json{{"job_id", std::string(129, 'j')}, {"status", "booked"}}, "/job_id",
                     "at most 128 bytes"},
                    {Body(R"({"job_id":"RO-1","status":"done"})"), "/status", "must be one of"},
                });
}

TEST_CASE("Finance bodies are free-form string members", "[http][parsers]") {
  domain::SetFinance finance =
      Parsed(ParseSetFinance(Body(R"({"credit_limit":"5000","terms":"net 30"})")));
  // nlohmann::json keeps members sorted by name.
  REQUIRE(finance.fields.size() == 2);
  CHECK(finance.fields[0] == domain::FinanceField{"credit_limit", "5000"});
  CHECK(finance.fields[1] == domain::FinanceField{"terms", "net 30"});
  CHECK(Parsed(ParseSetFinance(Body("{}"))).fields.empty());

  CheckRefusals([](const json& b) { return ParseSetFinance(b).status(); },
                {
                    {Body(R"({"credit_limit":5000})"), "/credit_limit", "must be a string"},
                    {Body(R"({"a":"x","b":null})"), "/b", "must be a string"},
                    {Body(R"({"terms":["net 30"]})"), "/terms", "must be a string"},
                    // Member names are escaped in the pointer (RFC 6901).
                    {Body(R"({"limit/month":1})"), "/limit~1month", "must be a string"},
                    {Body(R"({"a~b":{}})"), "/a~0b", "must be a string"},
                });
}

TEST_CASE("Customer merge and erasure bodies", "[http][parsers]") {
  CHECK(Parsed(ParseMerge(Body(R"({"duplicate":"cus-2"})"))).duplicate == "cus-2");
  CheckRefusals([](const json& b) { return ParseMerge(b).status(); },
                {
                    {Body("{}"), "/duplicate", "is required"},
                    {Body(R"({"duplicate":["cus-2"]})"), "/duplicate", "must be a string"},
                    {json{{"duplicate", std::string(129, 'd')}}, "/duplicate", "at most 128 bytes"},
                    {Body(R"({"duplicate":"c","survivor":"d"})"), "/survivor", "not a field"},
                });

  CHECK(ParseErasure(Body("{}"), "customer request").ok());
  CheckRefusals([](const json& b) { return ParseErasure(b, ""); },
                {{Body("{}"), "/reason", "an erasure needs a reason"}});
  CheckRefusals([](const json& b) { return ParseErasure(b, "asked"); },
                {{Body(R"({"keep_notes":true})"), "/keep_notes", "not a field"}});
}

}  // namespace
}  // namespace ledger::http
