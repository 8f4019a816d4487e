// Insights: customer since, jobs completed, most common communication channel; and the call
// status the last logged call leaves.
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

LogCommunication Comm(CommunicationChannel channel) {
  return LogCommunication{channel, Direction::Inbound, 0, ""};
}

TEST_CASE("customer since is the registration time", "[domain][insights]") {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"), Agent("ann", kT0));
  alice.Given(AddTag{"vip"}, Agent("ann", kT0 + 10 * kDay));
  CHECK(ComputeInsights(alice.state()).customer_since_us == kT0);
  nlohmann::json j = alice.Json(kT0 + 10 * kDay);
  CHECK(j["insights"]["customer_since"] == TimeJson(kT0));
  CHECK(j["created_at"] == TimeJson(kT0));
  CHECK(j["updated_at"] == TimeJson(kT0 + 10 * kDay));
}

TEST_CASE("jobs completed counts jobs whose current status is completed", "[domain][insights]") {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  CHECK(ComputeInsights(alice.state()).jobs_completed == 0);

  alice.Given({RecordJob{"job-1", JobStatus::Booked}, RecordJob{"job-2", JobStatus::Booked},
               RecordJob{"job-3", JobStatus::Booked}});
  CHECK(ComputeInsights(alice.state()).jobs_completed == 0);

  alice.Given({RecordJob{"job-1", JobStatus::Completed}, RecordJob{"job-2", JobStatus::Completed}});
  CHECK(ComputeInsights(alice.state()).jobs_completed == 2);

  SECTION("the same status again appends nothing and is not counted twice") {
    CHECK(Events(alice.Run(RecordJob{"job-1", JobStatus::Completed}, Agent())).empty());
    CHECK(ComputeInsights(alice.state()).jobs_completed == 2);
  }
  SECTION("a job recorded completed straight away counts") {
    alice.Given(RecordJob{"job-4", JobStatus::Completed});
    CHECK(ComputeInsights(alice.state()).jobs_completed == 3);
  }
  SECTION("a completed job that is cancelled no longer counts") {
    alice.Given(RecordJob{"job-2", JobStatus::Cancelled});
    CHECK(ComputeInsights(alice.state()).jobs_completed == 1);
    alice.Given(RecordJob{"job-2", JobStatus::Completed});
    CHECK(ComputeInsights(alice.state()).jobs_completed == 2);
  }
  CHECK(alice.Json()["insights"]["jobs_completed"] ==
        ComputeInsights(alice.state()).jobs_completed);
  CHECK(Refusal(alice.Run(RecordJob{"", JobStatus::Booked}, Agent())).field() == "/job_id");
}

TEST_CASE("the most common channel is the one with most communications", "[domain][insights]") {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  CHECK_FALSE(ComputeInsights(alice.state()).most_common_channel.has_value());
  CHECK(alice.Json()["insights"]["most_common_channel"].is_null());

  alice.Given({Comm(CommunicationChannel::Email), Comm(CommunicationChannel::Text),
               Comm(CommunicationChannel::Text), Comm(CommunicationChannel::Call)});
  CHECK(ComputeInsights(alice.state()).most_common_channel == CommunicationChannel::Text);
  CHECK(alice.Json()["insights"]["most_common_channel"] == "text");
  CHECK(alice.state().last_communication_at_us == kT0);

  SECTION("a tie goes to the lowest channel value") {
    alice.Given(Comm(CommunicationChannel::Call));
    CHECK(ComputeInsights(alice.state()).most_common_channel == CommunicationChannel::Call);
  }
  SECTION("the channel overtakes") {
    alice.Given({Comm(CommunicationChannel::Chatbot), Comm(CommunicationChannel::Chatbot),
                 Comm(CommunicationChannel::Chatbot)});
    CHECK(alice.Json()["insights"]["most_common_channel"] == "chatbot");
  }
}

TEST_CASE("the last logged call sets the call status", "[domain][insights]") {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  CHECK(alice.Json()["call_status"].is_null());
  alice.Given(LogCall{CallOutcome::LeftVoicemail}, Agent("ann", kT0 + kDay));
  CHECK(alice.Json()["call_status"] == "left_voicemail");
  CHECK(alice.state().call_status_at_us == kT0 + kDay);
  // Each call is an occurrence, so the same outcome again is recorded again.
  CHECK(Events(alice.Run(LogCall{CallOutcome::LeftVoicemail}, Agent())).size() == 1);
}

}  // namespace
}  // namespace ledger::domain
