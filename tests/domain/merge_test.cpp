// Merging a duplicate customer into a survivor: manager only; the duplicate points at the
// survivor and accepts no more changes; the survivor takes over the duplicate's phones, emails,
// ids and tags; and a merge never loosens consent: for each channel and contact point the most
// restrictive state wins.
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

constexpr const char* kShared = "+16502530000";  // both customers have this number
constexpr const char* kSurvivorOnly = "+16502530001";
constexpr const char* kDuplicateOnly = "+16502530002";

Customer Survivor() {
  EditableProfile p = WithEmails(WithPhones(Person("Alice", "Smith"), {kShared, kSurvivorOnly}),
                                 {"alice@example.com"});
  p.tags = {"vip"};
  p.external_ids = {{"dealertrack", "DT-1"}};
  return Customer::Registered("cus-1", p);
}

Customer Duplicate() {
  EditableProfile p = WithEmails(WithPhones(Person("Alice", "Smith"), {kShared, kDuplicateOnly}),
                                 {"ALICE@example.com", "asmith@work.example"});
  p.tags = {"vip", "fleet"};
  p.external_ids = {{"dealertrack", "DT-1"}, {"cdk", "42"}};
  return Customer::Registered("cus-2", p);
}

MergeDecision Merged(Customer& survivor, Customer& duplicate) {
  Result<MergeDecision> d = Merge(survivor, duplicate, Manager("max", kT0 + kDay));
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  return std::move(*d);
}

// Whether `c` texts `number` on some line.
bool Texts(const Customer& c, const std::string& number) {
  for (const Phone* p : SmsLinesInOrder(c.state(), kT0 + 2 * kDay)) {
    if (p->number == number) return true;
  }
  return false;
}

TEST_CASE("merging customers needs the manager role", "[domain][merge]") {
  Customer survivor = Survivor();
  Customer duplicate = Duplicate();
  Status st = Refusal(Merge(survivor, duplicate, Agent()));
  CHECK(st.code() == StatusCode::kPermissionDenied);
  CHECK(survivor.state().version == 1);
  CHECK(duplicate.state().version == 1);
}

TEST_CASE("a merge is refused for the same customer or one that is not active", "[domain][merge]") {
  Customer survivor = Survivor();
  Customer duplicate = Duplicate();
  CHECK(Refusal(DecideMerge(survivor.state(), survivor.state(), Manager())).field() ==
        "/duplicate");
  Customer nobody("cus-9");
  CHECK(Refusal(Merge(survivor, nobody, Manager())).code() == StatusCode::kNotFound);
  Merged(survivor, duplicate);
  Customer third = Customer::Registered("cus-3", Person("Alice", "Smith"));
  CHECK(Refusal(Merge(third, duplicate, Manager())).code() == StatusCode::kFailedPrecondition);
  CHECK(Refusal(Merge(duplicate, third, Manager())).code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("the duplicate points at the survivor and the survivor takes over its data",
          "[domain][merge]") {
  Customer survivor = Survivor();
  Customer duplicate = Duplicate();
  MergeDecision d = Merged(survivor, duplicate);

  REQUIRE(Types(d.duplicate) == std::vector<std::string>{"CustomerMergedInto"});
  CHECK(d.duplicate[0].AsCustomerMergedInto()->survivor_id == "cus-1");
  CHECK(duplicate.state().status == CustomerStatus::kMerged);
  CHECK(duplicate.state().merged_into == "cus-1");
  CHECK(duplicate.Json()["status"] == "merged");
  CHECK(duplicate.Json()["merged_into"] == "cus-1");

  REQUIRE(Types(d.survivor) == std::vector<std::string>{"CustomerAbsorbed"});
  const fb::CustomerAbsorbedT& a = *d.survivor[0].AsCustomerAbsorbed();
  CHECK(a.duplicate_id == "cus-2");
  REQUIRE(a.phones.size() == 1);  // the shared number is not taken twice
  CHECK(a.phones[0]->id == "p2-1");
  CHECK(a.phones[0]->number == kDuplicateOnly);
  REQUIRE(a.emails.size() == 1);  // nor the same address in another case
  CHECK(a.emails[0]->id == "e2-1");
  CHECK(a.emails[0]->address == "asmith@work.example");

  const CustomerState& s = survivor.state();
  CHECK(s.status == CustomerStatus::kActive);
  CHECK(s.merged_from == std::vector<std::string>{"cus-2"});
  CHECK(survivor.Json()["merged_from"] == nlohmann::json::array({"cus-2"}));
  CHECK(s.phones.size() == 3);
  CHECK(survivor.phone("p2-1").number == kDuplicateOnly);
  CHECK(s.emails.size() == 2);
  CHECK(survivor.email("e2-1").address == "asmith@work.example");
  CHECK(s.tags == std::vector<std::string>{"vip", "fleet"});
  CHECK(s.external_ids == std::vector<ExternalId>{{"dealertrack", "DT-1"}, {"cdk", "42"}});
  CHECK(s.first_name == "Alice");
}

TEST_CASE("a merged customer accepts no more changes", "[domain][merge]") {
  Customer survivor = Survivor();
  Customer duplicate = Duplicate();
  duplicate.Given(
      {AddNote{"note"}, AddContact{"Bob", "bob@example.com", "", ManagedBy::Provider, ""}});
  Merged(survivor, duplicate);
  const std::uint64_t version = duplicate.state().version;

  EditableProfile edit = EditableOf(duplicate.state());
  edit.first_name = "Alicia";
  const std::vector<Command> commands = {
      UpdateProfile{edit},
      SetConsent{SmsOptIn(kShared)},
      AddNote{"more"},
      AmendNote{"n2", "changed"},
      RetractNote{"n2"},
      VerifyInfo{},
      AddTag{"new"},
      RemoveTag{"vip"},
      LogCall{CallOutcome::Spoke},
      LogCommunication{CommunicationChannel::Call, Direction::Inbound, 0, ""},
      RecordJob{"job-1", JobStatus::Booked},
      SetFinance{{{"credit_limit", "5000"}}},
      AddContact{"Cy", "cy@example.com", "", ManagedBy::Provider, ""},
      UpdateContact{"c3", "Robert", std::nullopt, std::nullopt},
      DeleteContact{"c3"},
      MergeContacts{"c3", {"c3"}},
  };
  DecideContext admin = Context("root", {Role::kAdmin}, kT0 + 2 * kDay);
  for (const Command& command : commands) {
    INFO(CommandName(command));
    Status st = Refusal(duplicate.Run(command, admin));
    CHECK(st.code() == StatusCode::kFailedPrecondition);
  }
  CHECK(Refusal(duplicate.Run(RegisterCustomer{Person("A", "B")}, admin)).code() ==
        StatusCode::kAlreadyExists);
  // Inbound hooks are not refused, but change nothing on the duplicate.
  CHECK(Events(duplicate.Run(SmsStop{kShared, "STOP"}, admin)).empty());
  CHECK(Events(duplicate.Run(RecordEmailBounce{"alice@example.com"}, admin)).empty());
  CHECK(duplicate.state().version == version);

  SECTION("it can still be erased") {
    CHECK(Types(Events(duplicate.Run(EraseCustomer{}, ComplianceOfficer()))) ==
          std::vector<std::string>{"CustomerErased"});
  }
}

TEST_CASE("a merge never loosens consent", "[domain][merge][consent]") {
  Customer survivor = Survivor();
  Customer duplicate = Duplicate();

  SECTION("duplicate opted out, survivor opted in: opted out") {
    survivor.Given(SetConsent{SmsOptIn(kShared)});
    duplicate.Given(SetConsent{SmsOptOut(kShared)});
    Merged(survivor, duplicate);
    CHECK(FindConsent(survivor.state(), Channel::Sms, kShared)->consent.status ==
          ConsentStatus::OptedOut);
    CHECK_FALSE(Texts(survivor, kShared));
  }
  SECTION("survivor opted out, duplicate opted in: stays opted out") {
    survivor.Given(SetConsent{SmsOptOut(kShared)});
    duplicate.Given(SetConsent{SmsOptIn(kShared)});
    Merged(survivor, duplicate);
    const ConsentRecord* r = FindConsent(survivor.state(), Channel::Sms, kShared);
    CHECK(r->consent.status == ConsentStatus::OptedOut);
    CHECK(r->version == 2);  // the survivor's own record
    CHECK_FALSE(Texts(survivor, kShared));
  }
  SECTION("an email opt-out of the duplicate wins over the survivor's opt-in") {
    survivor.Given(SetConsent{ExpressConsent(Channel::Email, "alice@example.com")});
    duplicate.Given(
        SetConsent{ExpressConsent(Channel::Email, "alice@example.com", ConsentStatus::OptedOut)});
    Merged(survivor, duplicate);
    CHECK(FindConsent(survivor.state(), Channel::Email, "alice@example.com")->consent.status ==
          ConsentStatus::OptedOut);
  }
  SECTION("SMS STOP on the duplicate's number stops the survivor's line with that number") {
    survivor.Given(SetConsent{SmsOptIn("")});  // every line
    duplicate.Given(SetConsent{SmsOptIn(kShared)});
    duplicate.Given(SmsStop{kShared, "STOP"}, Agent("sms-gateway", kT0 + kSecond));
    Merged(survivor, duplicate);
    CHECK_FALSE(survivor.phone("p1-1").sms_opt_in);
    CHECK_FALSE(Texts(survivor, kShared));
    CHECK(Texts(survivor, kSurvivorOnly));
    CHECK(FindConsent(survivor.state(), Channel::Sms, kShared)->consent.raw_text == "STOP");
  }
  SECTION("the duplicate's opted-in lines come along") {
    duplicate.Given(SetConsent{SmsOptIn(kDuplicateOnly)});
    Merged(survivor, duplicate);
    CHECK(survivor.phone("p2-1").sms_opt_in);
    CHECK(Texts(survivor, kDuplicateOnly));
  }
  SECTION("do-not-contact flags are OR'ed") {
    EditableProfile s = EditableOf(survivor.state());
    s.do_not_call = true;
    survivor.Given(UpdateProfile{s});
    EditableProfile d = EditableOf(duplicate.state());
    d.do_not_email = true;
    d.do_not_mail = true;
    duplicate.Given(UpdateProfile{d});
    duplicate.Given(SetConsent{ExpressConsent(Channel::CaslEmail, "", ConsentStatus::OptedOut)});
    Merged(survivor, duplicate);
    CHECK(survivor.state().do_not_call);
    CHECK(survivor.state().do_not_email);
    CHECK(survivor.state().do_not_mail);
    CHECK(survivor.state().casl_email_opt_out);
  }
  SECTION("the survivor's do-not-call stays when the duplicate had consented to calls") {
    EditableProfile s = EditableOf(survivor.state());
    s.do_not_call = true;
    s.do_not_email = true;
    survivor.Given(UpdateProfile{s});
    duplicate.Given({SetConsent{ExpressConsent(Channel::Call, "")},
                     SetConsent{ExpressConsent(Channel::Email, "")},
                     SetConsent{ExpressConsent(Channel::Mail, "")}});
    survivor.Given(SetConsent{ExpressConsent(Channel::Mail, "", ConsentStatus::OptedOut)});
    Merged(survivor, duplicate);
    CHECK(survivor.state().do_not_call);
    CHECK(survivor.state().do_not_email);
    CHECK(survivor.state().do_not_mail);
    nlohmann::json prefs = survivor.Json()["preferences"];
    CHECK(prefs["do_not_call"] == true);
    CHECK(prefs["do_not_email"] == true);
  }
  SECTION("the survivor's STOP stays when the duplicate had opted in every line") {
    survivor.Given(SmsStop{kSurvivorOnly, "STOP"});
    duplicate.Given(SetConsent{SmsOptIn("")});
    Merged(survivor, duplicate);
    CHECK_FALSE(Texts(survivor, kSurvivorOnly));
    CHECK(Texts(survivor, kDuplicateOnly));
    CHECK(survivor.Json()["preferences"]["sms_opt_out"] == true);
  }
  SECTION("the survivor's whole-customer SMS opt-out stays") {
    survivor.Given(SetConsent{SmsOptOut("")});
    duplicate.Given(SetConsent{SmsOptIn(kShared)});
    Merged(survivor, duplicate);
    CHECK_FALSE(Texts(survivor, kShared));
    CHECK_FALSE(Texts(survivor, kSurvivorOnly));
  }
}

TEST_CASE("the survivor of a merge still accepts changes", "[domain][merge]") {
  Customer survivor = Survivor();
  Customer duplicate = Duplicate();
  Merged(survivor, duplicate);
  CHECK(Events(survivor.Run(AddNote{"merged with cus-2"}, Agent())).size() == 1);
  EditableProfile p = EditableOf(survivor.state());
  CHECK(p.phones.size() == 3);
  CHECK(Events(survivor.Run(UpdateProfile{p}, Agent())).empty());
}

// A bounce reported by the mail provider's hook at `at_us`.
void Bounce(Customer& c, const std::string& address, std::int64_t at_us) {
  c.Given(RecordEmailBounce{address}, Agent("mail-hook", at_us));
}

TEST_CASE("a merge keeps the worse bounce state of each address", "[domain][merge][bounce]") {
  DomainConfig config;  // invalid after 3 bounces
  Customer survivor = Survivor();    // alice@example.com
  Customer duplicate = Duplicate();  // ALICE@example.com, asmith@work.example

  SECTION("an address the survivor takes over keeps its bounces") {
    Bounce(duplicate, "asmith@work.example", kT0 + 1);
    Bounce(duplicate, "asmith@work.example", kT0 + 2);
    Bounce(duplicate, "asmith@work.example", kT0 + 3);
    REQUIRE(EmailInvalid(duplicate.email("e1-2"), config));
    MergeDecision d = Merged(survivor, duplicate);
    const fb::CustomerAbsorbedT& a = *d.survivor[0].AsCustomerAbsorbed();
    REQUIRE(a.email_bounces.size() == 1);
    CHECK(a.email_bounces[0]->address == "asmith@work.example");
    CHECK(a.email_bounces[0]->bounce_count == 3);
    const Email& taken = survivor.email("e2-1");
    CHECK(taken.bounce_count == 3);
    CHECK(taken.last_bounced_at_us == kT0 + 3);
    CHECK(EmailInvalid(taken, config));
  }
  SECTION("an address both hold keeps the more bounces and the later bounce") {
    Bounce(survivor, "alice@example.com", kT0 + 50);
    Bounce(duplicate, "alice@example.com", kT0 + 10);
    Bounce(duplicate, "alice@example.com", kT0 + 20);
    Merged(survivor, duplicate);
    const Email& shared = survivor.email("e1-1");
    CHECK(shared.bounce_count == 2);
    CHECK(shared.last_bounced_at_us == kT0 + 50);
  }
  SECTION("the duplicate's clean address does not clear the survivor's bounces") {
    Bounce(survivor, "alice@example.com", kT0 + 5);
    MergeDecision d = Merged(survivor, duplicate);
    CHECK(d.survivor[0].AsCustomerAbsorbed()->email_bounces.empty());
    CHECK(survivor.email("e1-1").bounce_count == 1);
    CHECK(survivor.email("e1-1").last_bounced_at_us == kT0 + 5);
  }
}

}  // namespace
}  // namespace ledger::domain
