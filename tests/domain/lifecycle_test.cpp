// Erasure (compliance role; the erased customer is a skeleton that accepts nothing), the
// restricted finance section, and the rule that a command changing nothing appends nothing.
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

Customer Alice() {
  EditableProfile p =
      WithEmails(WithPhones(Person("Alice", "Smith"), {"+16502530000"}), {"alice@example.com"});
  p.date_of_birth = "1980-01-01";
  p.address.city = "Springfield";
  p.tags = {"vip"};
  Customer alice = Customer::Registered("cus-1", p);
  alice.Given({AddNote{"private note"}, SetConsent{SmsOptIn("+16502530000")},
               AddContact{"Bob", "bob@example.com", "", ManagedBy::Provider, ""},
               RecordJob{"job-1", JobStatus::Completed}});
  alice.Given(SetFinance{{{"credit_limit", "5000"}}}, FinanceUser());
  return alice;
}

TEST_CASE("erasure needs the compliance role", "[domain][erase]") {
  Customer alice = Alice();
  for (const DecideContext& ctx : {Agent(), Manager(), FinanceUser()}) {
    CHECK(Refusal(alice.Run(EraseCustomer{}, ctx)).code() == StatusCode::kPermissionDenied);
  }
  CHECK(alice.state().status == CustomerStatus::kActive);
}

TEST_CASE("an erased customer is a skeleton that accepts no commands", "[domain][erase]") {
  Customer alice = Alice();
  const std::uint64_t before = alice.state().version;
  auto events = alice.Run(EraseCustomer{}, ComplianceOfficer("cora", kT0 + kDay));
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"CustomerErased"});

  const CustomerState& s = alice.state();
  CHECK(s.status == CustomerStatus::kErased);
  CHECK(s.id == "cus-1");
  CHECK(s.version == before + 1);
  CHECK(s.created_at_us == kT0);
  CHECK(s.first_name.empty());
  CHECK(s.phones.empty());
  CHECK(s.emails.empty());
  CHECK(s.latest_notes.empty());
  CHECK(s.pinned_notes.empty());
  CHECK(s.contacts.empty());
  CHECK(s.consents.empty());
  CHECK(s.finance.empty());
  CHECK(s.tags.empty());

  nlohmann::json j = alice.Json(kT0 + kDay, {}, /*include_finance=*/true);
  CHECK(j["status"] == "erased");
  CHECK(j["id"] == "cus-1");
  CHECK(j["first_name"].is_null());
  CHECK(j["last_name"].is_null());
  CHECK(j["date_of_birth"].is_null());
  CHECK(j["address"].is_null());
  CHECK(j["phones"].empty());
  CHECK(j["emails"].empty());
  CHECK(j["notes"].empty());
  CHECK(j["contacts"].empty());
  CHECK(j["tags"].empty());
  CHECK(j["finance"].empty());
  CHECK(j.dump().find("Alice") == std::string::npos);
  CHECK(j.dump().find("private note") == std::string::npos);

  DecideContext admin = Context("root", {Role::kAdmin}, kT0 + 2 * kDay);
  EditableProfile p = Person("Alice", "Smith");
  for (const Command& command :
       std::vector<Command>{UpdateProfile{p}, SetConsent{SmsOptIn("")}, AddNote{"x"},
                            AmendNote{"n2", "x"}, RetractNote{"n2"}, VerifyInfo{}, AddTag{"x"},
                            RemoveTag{"vip"}, LogCall{CallOutcome::Spoke},
                            LogCommunication{CommunicationChannel::Call, Direction::Inbound, 0, ""},
                            RecordJob{"job-2", JobStatus::Booked}, SetFinance{{}},
                            AddContact{"Cy", "cy@example.com", "", ManagedBy::Provider, ""},
                            UpdateContact{"c4", "X", std::nullopt, std::nullopt},
                            DeleteContact{"c4"}, MergeContacts{"c4", {"c5"}}}) {
    INFO(CommandName(command));
    CHECK(Refusal(alice.Run(command, admin)).code() == StatusCode::kFailedPrecondition);
  }
  CHECK(Refusal(alice.Run(RegisterCustomer{p}, admin)).code() == StatusCode::kAlreadyExists);
  CHECK(Events(alice.Run(EraseCustomer{}, ComplianceOfficer())).empty());
  CHECK(Events(alice.Run(SmsStop{"+16502530000", "STOP"}, admin)).empty());
  CHECK(Events(alice.Run(RecordEmailBounce{"alice@example.com"}, admin)).empty());
  Customer other = Customer::Registered("cus-2", Person("Bob", "Stone"));
  CHECK(Refusal(Merge(other, alice, admin)).code() == StatusCode::kFailedPrecondition);
  CHECK(alice.state().version == before + 1);
}

TEST_CASE("the finance section needs the finance role", "[domain][finance]") {
  Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
  const SetFinance set{{{"credit_limit", "5000"}, {"terms", "net 30"}}};

  CHECK(Refusal(alice.Run(set, Agent())).code() == StatusCode::kPermissionDenied);
  CHECK(Refusal(alice.Run(set, Manager())).code() == StatusCode::kPermissionDenied);

  auto events = alice.Run(set, FinanceUser());
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"FinanceInfoChanged"});
  CHECK((*events)[0].AsFinanceInfoChanged()->fields.size() == 2);
  CHECK(alice.state().finance ==
        std::vector<FinanceField>{{"credit_limit", "5000"}, {"terms", "net 30"}});

  SECTION("it appears in the profile only when asked for") {
    CHECK_FALSE(alice.Json().contains("finance"));
    nlohmann::json j = alice.Json(kT0, {}, /*include_finance=*/true);
    CHECK(j["finance"] == nlohmann::json{{"credit_limit", "5000"}, {"terms", "net 30"}});
  }
  SECTION("the same fields again append nothing") {
    CHECK(Events(alice.Run(set, FinanceUser())).empty());
  }
  SECTION("the section is replaced as a whole") {
    alice.Given(SetFinance{{{"terms", "net 60"}}}, FinanceUser());
    CHECK(alice.state().finance == std::vector<FinanceField>{{"terms", "net 60"}});
    alice.Given(SetFinance{{}}, FinanceUser());
    CHECK(alice.state().finance.empty());
  }
  SECTION("field names are unique and required") {
    CHECK(Refusal(alice.Run(SetFinance{{{"a", "1"}, {"a", "2"}}}, FinanceUser())).field() == "/a");
    CHECK(Refusal(alice.Run(SetFinance{{{"", "1"}}}, FinanceUser())).field() == "/");
  }
}

TEST_CASE("a command that changes nothing appends nothing", "[domain][noop]") {
  Customer alice = Alice();
  const std::uint64_t version = alice.state().version;
  std::uint64_t given = 0;  // events of a section's own Given
  const DecideContext ann = Agent("ann", kT0 + kDay);

  SECTION("AddTag twice") {
    CHECK(Events(alice.Run(AddTag{"vip"}, ann)).empty());
  }
  SECTION("RemoveTag of a tag it does not have") {
    CHECK(Events(alice.Run(RemoveTag{"gold"}, ann)).empty());
  }
  SECTION("RecordJob with the same status") {
    CHECK(Events(alice.Run(RecordJob{"job-1", JobStatus::Completed}, ann)).empty());
  }
  SECTION("SetFinance with the same fields") {
    CHECK(Events(alice.Run(SetFinance{{{"credit_limit", "5000"}}}, FinanceUser())).empty());
  }
  SECTION("UpdateContact with the same values") {
    CHECK(Events(alice.Run(UpdateContact{"c4", "Bob", "", "bob@example.com"}, ann)).empty());
  }
  SECTION("AmendNote with the same text") {
    CHECK(Events(alice.Run(AmendNote{"n2", "private note"}, Agent("ann"))).empty());
  }
  SECTION("RetractNote of a retracted note") {
    alice.Given(RetractNote{"n2"}, Manager());
    given = 1;
    CHECK(Events(alice.Run(RetractNote{"n2"}, Manager())).empty());
  }
  SECTION("UpdateProfile with the current profile") {
    CHECK(Events(alice.Run(UpdateProfile{EditableOf(alice.state())}, ann)).empty());
  }
  SECTION("SetConsent with the same decision") {
    CHECK(Events(alice.Run(SetConsent{SmsOptIn("+16502530000")}, Agent("ann", kT0))).empty());
  }
  SECTION("SmsStop twice") {
    alice.Given(SmsStop{"+16502530000", "STOP"}, ann);
    given = 1;
    CHECK(Events(alice.Run(SmsStop{"+16502530000", "STOP"}, ann)).empty());
  }
  CHECK(alice.state().version == version + given);
}

}  // namespace
}  // namespace ledger::domain
