// Registering a customer: who needs which name, field validation with JSON pointers, ids that
// derive from versions, suppressed contact points, and decisions that are deterministic.
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

TEST_CASE("a person is registered with phones and emails whose ids derive from the version",
          "[domain][register]") {
  Customer alice("cus-1");
  EditableProfile p =
      WithEmails(WithPhones(Person("Alice", "Smith"), {"+16502530000", "+16502530001"}),
                 {"Alice@Example.com"});
  p.tags = {"vip"};
  p.date_of_birth = "1980-02-29";
  auto events = alice.Run(RegisterCustomer{p}, Agent());

  REQUIRE(Types(Events(events)) == std::vector<std::string>{"CustomerRegistered"});
  const fb::CustomerRegisteredT& e = *(*events)[0].AsCustomerRegistered();
  CHECK(e.kind == CustomerKind::Person);
  CHECK(e.first_name == "Alice");
  CHECK(e.last_name == "Smith");
  REQUIRE(e.phones.size() == 2);
  CHECK(e.phones[0]->id == "p1-1");
  CHECK(e.phones[1]->id == "p1-2");
  CHECK(e.phones[1]->number == "+16502530001");
  REQUIRE(e.emails.size() == 1);
  CHECK(e.emails[0]->id == "e1-1");
  CHECK(e.emails[0]->address == "Alice@Example.com");

  const CustomerState& s = alice.state();
  CHECK(s.version == 1);
  CHECK(s.status == CustomerStatus::kActive);
  CHECK(s.created_at_us == kT0);
  CHECK(alice.phone("p1-2").number == "+16502530001");
  CHECK_FALSE(alice.phone("p1-1").sms_opt_in);  // SMS needs consent first
  CHECK(alice.email("e1-1").address == "Alice@Example.com");
  CHECK(s.tags == std::vector<std::string>{"vip"});
  CHECK(s.date_of_birth == "1980-02-29");

  nlohmann::json j = alice.Json();
  CHECK(j["first_name"] == "Alice");
  CHECK(j["phones"][0]["id"] == "p1-1");
  CHECK(j["insights"]["customer_since"] == TimeJson(kT0));
}

TEST_CASE("registration validates names by kind", "[domain][register]") {
  Customer c("cus-1");

  SECTION("a person needs a first or last name") {
    Status st = Refusal(c.Run(RegisterCustomer{Person("", "")}, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/last_name");
    CHECK(Events(c.Run(RegisterCustomer{Person("", "Smith")}, Agent())).size() == 1);
  }
  SECTION("a person with only a first name is fine") {
    CHECK(Events(c.Run(RegisterCustomer{Person("Cher", "")}, Agent())).size() == 1);
  }
  SECTION("a company needs a company name, not a person's name") {
    EditableProfile p = Company("");
    p.first_name = "Bob";
    Status st = Refusal(c.Run(RegisterCustomer{p}, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/company_name");

    auto events = c.Run(RegisterCustomer{Company("Acme Fleet", "Bob Jones")}, Agent());
    REQUIRE(Events(events).size() == 1);
    CHECK((*events)[0].AsCustomerRegistered()->kind == CustomerKind::Company);
    CHECK(c.state().company_name == "Acme Fleet");
    CHECK(c.state().contact_name == "Bob Jones");
  }
  CHECK(c.history().size() <= 1);  // refusals appended nothing
}

TEST_CASE("registration rejects bad fields with the JSON pointer of the field",
          "[domain][register]") {
  Customer c("cus-1");
  EditableProfile p = Person("Alice", "Smith");
  std::string field;

  SECTION("a phone that is not E.164") {
    p = WithPhones(p, {"+16502530000", "650-253-0000"});
    field = "/phones/1/number";
  }
  SECTION("an email without a domain") {
    p = WithEmails(p, {"alice@"});
    field = "/emails/0/address";
  }
  SECTION("an email with a space") {
    p = WithEmails(p, {"ok@example.com", "al ice@example.com"});
    field = "/emails/1/address";
  }
  SECTION("the same email twice, in different case") {
    p = WithEmails(p, {"alice@example.com", "ALICE@example.com"});
    field = "/emails/1/address";
  }
  SECTION("a date of birth that is not a calendar date") {
    p.date_of_birth = "1981-02-29";
    field = "/date_of_birth";
  }
  SECTION("a date of birth in another format") {
    p.date_of_birth = "29/02/1980";
    field = "/date_of_birth";
  }
  SECTION("a phone that claims an id") {
    p.phones.push_back({"p1", PhoneKind::Cell, "+16502530000"});
    field = "/phones/0/id";
  }
  SECTION("a tag that is empty") {
    p.tags = {"vip", ""};
    field = "/tags/1";
  }
  SECTION("a name with a control character") {
    p.first_name = "Al\x01ice";
    field = "/first_name";
  }

  Status st = Refusal(c.Run(RegisterCustomer{p}, Agent()));
  CHECK(st.code() == StatusCode::kInvalidArgument);
  CHECK(st.field() == field);
  CHECK(c.history().empty());
  CHECK_FALSE(c.state().registered());
}

TEST_CASE("a customer is registered once", "[domain][register]") {
  Customer c = Customer::Registered("cus-1", Person("Alice", "Smith"));
  Status st = Refusal(c.Run(RegisterCustomer{Person("Alice", "Smith")}, Agent()));
  CHECK(st.code() == StatusCode::kAlreadyExists);
}

TEST_CASE("commands other than registration need a registered customer", "[domain][register]") {
  Customer c("cus-404");
  CHECK(Refusal(c.Run(AddNote{"hello"}, Agent())).code() == StatusCode::kNotFound);
  CHECK(Refusal(c.Run(UpdateProfile{Person("A", "B")}, Agent())).code() == StatusCode::kNotFound);
  CHECK(Refusal(c.Run(EraseCustomer{}, ComplianceOfficer())).code() == StatusCode::kNotFound);
  // Inbound hooks for a customer that does not exist are ignored rather than refused.
  CHECK(Events(c.Run(SmsStop{"+16502530000", "STOP"}, Agent())).empty());
  CHECK(Events(c.Run(RecordEmailBounce{"a@example.com"}, Agent())).empty());
}

TEST_CASE("registration preferences are recorded after the registration", "[domain][register]") {
  Customer c("cus-1");
  EditableProfile p = Person("Alice", "Smith");
  p.do_not_call = true;
  p.preferred_method = PreferredMethod::Email;
  auto events = c.Run(RegisterCustomer{p}, Agent());
  REQUIRE(Types(Events(events)) ==
          std::vector<std::string>{"CustomerRegistered", "PreferencesChanged"});
  CHECK(c.state().do_not_call);
  CHECK(c.state().preferred_method == PreferredMethod::Email);
  CHECK(c.state().version == 2);
}

TEST_CASE("suppressed contact points start opted out", "[domain][register][consent]") {
  Customer c("cus-1");
  DecideContext ctx = Agent();
  ctx.suppressed_contact_points = {"+16502530001", "old@example.com"};
  EditableProfile p =
      WithEmails(WithPhones(Person("Alice", "Smith"), {"+16502530000", "+16502530001"}),
                 {"alice@example.com", "Old@Example.com"});
  auto events = c.Run(RegisterCustomer{p}, ctx);

  REQUIRE(Types(Events(events)) == std::vector<std::string>{"CustomerRegistered", "ConsentRevoked",
                                                            "ConsentRevoked", "ConsentRevoked",
                                                            "ConsentRevoked"});
  const fb::ConsentT& call = *(*events)[1].AsConsentRevoked()->consent;
  CHECK(call.channel == Channel::Call);
  CHECK(call.contact_point == "+16502530001");
  CHECK(call.status == ConsentStatus::OptedOut);
  CHECK(call.method == ConsentMethod::Import);
  CHECK((*events)[2].AsConsentRevoked()->consent->channel == Channel::Sms);
  CHECK((*events)[3].AsConsentRevoked()->consent->channel == Channel::Email);
  CHECK((*events)[3].AsConsentRevoked()->consent->contact_point == "old@example.com");
  CHECK((*events)[4].AsConsentRevoked()->consent->channel == Channel::CaslEmail);

  const CustomerState& s = c.state();
  for (auto [channel, point] :
       {std::pair{Channel::Call, "+16502530001"}, std::pair{Channel::Sms, "+16502530001"},
        std::pair{Channel::Email, "old@example.com"},
        std::pair{Channel::CaslEmail, "old@example.com"}}) {
    const ConsentRecord* r = FindConsent(s, channel, point);
    REQUIRE(r != nullptr);
    CHECK(r->consent.status == ConsentStatus::OptedOut);
    CHECK(r->recorded_by == "ann");
  }
  CHECK(FindConsent(s, Channel::Sms, "+16502530000") == nullptr);  // not suppressed

  SECTION("an opt-in on the suppressed number is still possible") {
    auto again = c.Run(SetConsent{SmsOptIn("+16502530001")}, ctx);
    CHECK(Types(Events(again)) == std::vector<std::string>{"ConsentGranted"});
    CHECK(c.phone("p1-2").sms_opt_in);
  }
}

TEST_CASE("the same command on the same state yields identical payload bytes",
          "[domain][determinism]") {
  auto given = [] {
    Customer c = Customer::Registered(
        "cus-1",
        WithEmails(WithPhones(Person("Alice", "Smith"), {"+16502530000"}), {"alice@example.com"}));
    c.Given({SetConsent{SmsOptIn("+16502530000")}, AddNote{"first"},
             AddContact{"Bob", "bob@example.com", "", ManagedBy::Provider, ""}});
    return c;
  };
  Customer a = given();
  Customer b = given();
  REQUIRE(a.state() == b.state());

  EditableProfile edit = EditableOf(a.state());
  edit.last_name = "Jones";
  edit.phones.push_back({"", PhoneKind::Work, "+16502530009"});
  edit.emails[0].address = "alice@jones.example";
  edit.tags = {"vip", "fleet"};
  std::vector<Command> commands = {
      RegisterCustomer{WithPhones(Person("Bob", "Stone"), {"+16502530000", "+16502530001"})},
      UpdateProfile{edit},
      SetConsent{ExpressConsent(Channel::Email, "alice@example.com", ConsentStatus::OptedOut)},
      SmsStop{"+16502530000", "stop please"},
      AddNote{"second"},
      AddContact{"Cy", "cy@example.com", "+16502530002", ManagedBy::Provider, "case-9"},
      LogCommunication{CommunicationChannel::Text, Direction::Outbound, 0, ""},
  };
  for (const Command& command : commands) {
    INFO(CommandName(command));
    const CustomerState& state =
        std::holds_alternative<RegisterCustomer>(command) ? CustomerState{} : a.state();
    auto first = Decide(state, command, Agent());
    auto second = Decide(state, command, Agent());
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    REQUIRE(first->size() == second->size());
    CHECK_FALSE(first->empty());
    for (std::size_t i = 0; i < first->size(); ++i) {
      CHECK(PackEvent((*first)[i]) == PackEvent((*second)[i]));
    }
  }

  SECTION("and the same payloads fold to the same state") {
    for (const Command& command : commands) {
      if (std::holds_alternative<RegisterCustomer>(command)) continue;
      (void)a.Run(command, Agent());
      (void)b.Run(command, Agent());
    }
    CHECK(a.state() == b.state());
    REQUIRE(a.history().size() == b.history().size());
    for (std::size_t i = 0; i < a.history().size(); ++i) {
      CHECK(a.history()[i].payload == b.history()[i].payload);
    }
  }
}

TEST_CASE("a payload reads back as the event decide produced", "[domain][payload]") {
  Customer c =
      Customer::Registered("cus-1", WithPhones(Person("Alice", "Smith"), {"+16502530000"}));
  c.Given({AddNote{"hello", true}, SetConsent{SmsOptIn("+16502530000")}});
  auto events = Decide(c.state(), AddTag{"vip"}, Agent());
  REQUIRE(events.ok());
  for (const StoredEvent& stored : c.history()) {
    DomainEvent again = stored.Unpack();
    CHECK(PackEvent(again) == stored.payload);
  }
  CHECK(c.history()[1].Unpack().AsNoteAdded()->pinned);

  SECTION("bytes that are not an event payload are corruption") {
    std::string junk = AlignedCopy(std::string(64, 'x'));
    CHECK(ReadPayload(junk).status().code() == StatusCode::kCorruption);
  }
}

}  // namespace
}  // namespace ledger::domain
