// UpdateProfile: one event per changed field group, nothing for a no-op; phones by id (a changed
// number loses its SMS opt-in); emails never change in place (a new address is a removal and an
// addition); tags and external ids.
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

Customer Alice() {
  EditableProfile p =
      WithEmails(WithPhones(Person("Alice", "Smith"), {"+16502530000", "+16502530001"}),
                 {"alice@example.com", "a.smith@work.example"});
  p.tags = {"vip"};
  p.external_ids = {{"dealertrack", "DT-1"}};
  return Customer::Registered("cus-1", p);
}

TEST_CASE("an update with the current values appends nothing", "[domain][update]") {
  Customer alice = Alice();
  alice.Given(SetConsent{SmsOptIn("+16502530000")});
  std::uint64_t version = alice.state().version;

  CHECK(Events(alice.Run(UpdateProfile{EditableOf(alice.state())}, Agent())).empty());

  SECTION("also when an email differs only in case") {
    EditableProfile p = EditableOf(alice.state());
    p.emails[0].address = "ALICE@example.com";
    CHECK(Events(alice.Run(UpdateProfile{p}, Agent())).empty());
  }
  CHECK(alice.state().version == version);
}

TEST_CASE("an update emits one event per changed field group", "[domain][update]") {
  Customer alice = Alice();
  EditableProfile p = EditableOf(alice.state());

  SECTION("name and language") {
    p.first_name = "Alicia";
    p.last_name = "Jones";
    p.language = "es";
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"NameChanged", "LanguageChanged"});
    CHECK((*events)[0].AsNameChanged()->first_name == "Alicia");
    CHECK((*events)[0].AsNameChanged()->last_name == "Jones");
    CHECK((*events)[1].AsLanguageChanged()->language == "es");
    CHECK(alice.state().first_name == "Alicia");
    CHECK(alice.state().language == "es");
  }
  SECTION("every group at once, in a fixed order") {
    p.kind = CustomerKind::Company;
    p.company_name = "Smith Plumbing";
    p.first_name = "Al";
    p.date_of_birth = "1970-01-01";
    p.language = "fr";
    p.contact_time = ContactTime::Night;
    p.address.city = "Springfield";
    p.additional_info = "gate code 1234";
    p.do_not_mail = true;
    p.preferred_method = PreferredMethod::Text;
    auto events = alice.Run(UpdateProfile{p}, Agent());
    CHECK(Types(Events(events)) ==
          std::vector<std::string>{"CompanyChanged", "NameChanged", "DateOfBirthChanged",
                                   "LanguageChanged", "ContactTimeChanged", "AddressChanged",
                                   "AdditionalInfoChanged", "PreferencesChanged"});
    const CustomerState& s = alice.state();
    CHECK(s.kind == CustomerKind::Company);
    CHECK(s.company_name == "Smith Plumbing");
    CHECK(s.contact_time == ContactTime::Night);
    CHECK(s.address.city == "Springfield");
    CHECK(s.additional_info == "gate code 1234");
    CHECK(s.do_not_mail);
    CHECK(s.preferred_method == PreferredMethod::Text);
    CHECK(alice.Json()["preferences"]["preferred_method"] == "text");
  }
  SECTION("clearing the address") {
    p.address.city = "Springfield";
    alice.Given(UpdateProfile{p});
    p.address = {};
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"AddressChanged"});
    CHECK((*events)[0].AsAddressChanged()->address == nullptr);
    CHECK(alice.state().address.empty());
    CHECK(alice.Json()["address"].is_null());
  }
  SECTION("the update is validated like a registration") {
    p.first_name.clear();
    p.last_name.clear();
    Status st = Refusal(alice.Run(UpdateProfile{p}, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/last_name");
  }
}

TEST_CASE("phones are added, changed and removed by id", "[domain][update][phone]") {
  Customer alice = Alice();
  EditableProfile p = EditableOf(alice.state());
  REQUIRE(p.phones.size() == 2);
  REQUIRE(alice.state().version == 1);

  SECTION("a phone without an id is added with an id from its version") {
    p.phones.push_back({"", PhoneKind::Home, "+16502530002"});
    p.phones.push_back({"", PhoneKind::Work, "+16502530003"});
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"PhoneAdded", "PhoneAdded"});
    CHECK((*events)[0].AsPhoneAdded()->phone->id == "p2");
    CHECK((*events)[1].AsPhoneAdded()->phone->id == "p3");
    CHECK(alice.phone("p2").kind == PhoneKind::Home);
    CHECK(alice.phone("p3").number == "+16502530003");
  }
  SECTION("a phone left out is removed") {
    p.phones.erase(p.phones.begin());
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"PhoneRemoved"});
    CHECK((*events)[0].AsPhoneRemoved()->phone_id == "p1-1");
    REQUIRE(alice.state().phones.size() == 1);
    CHECK(alice.state().phones[0].id == "p1-2");
  }
  SECTION("a changed kind keeps the SMS opt-in") {
    alice.Given(SetConsent{SmsOptIn("+16502530000")});
    p.phones[0].kind = PhoneKind::Work;
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"PhoneChanged"});
    CHECK(alice.phone("p1-1").kind == PhoneKind::Work);
    CHECK(alice.phone("p1-1").sms_opt_in);
  }
  SECTION("a changed number loses its SMS opt-in") {
    alice.Given(SetConsent{SmsOptIn("+16502530000")});
    REQUIRE(alice.phone("p1-1").sms_opt_in);
    p.phones[0].number = "+16502530009";
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"PhoneChanged"});
    const fb::PhoneEntryT& changed = *(*events)[0].AsPhoneChanged()->phone;
    CHECK(changed.id == "p1-1");
    CHECK(changed.number == "+16502530009");
    CHECK(alice.phone("p1-1").number == "+16502530009");
    CHECK_FALSE(alice.phone("p1-1").sms_opt_in);
    CHECK(SmsLines(alice.state()).empty());
  }
  SECTION("an unknown phone id is refused") {
    p.phones[1].id = "p99";
    Status st = Refusal(alice.Run(UpdateProfile{p}, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/phones/1/id");
  }
  SECTION("a number that is not E.164 is refused") {
    p.phones[0].number = "6502530000";
    Status st = Refusal(alice.Run(UpdateProfile{p}, Agent()));
    CHECK(st.field() == "/phones/0/number");
  }
  SECTION("a changed number that is suppressed starts opted out") {
    DecideContext ctx = Agent();
    ctx.suppressed_contact_points = {"+16502530009"};
    p.phones[0].number = "+16502530009";
    auto events = alice.Run(UpdateProfile{p}, ctx);
    CHECK(Types(Events(events)) ==
          std::vector<std::string>{"PhoneChanged", "ConsentRevoked", "ConsentRevoked"});
    REQUIRE(FindConsent(alice.state(), Channel::Sms, "+16502530009") != nullptr);
  }
}

TEST_CASE("an email address never changes in place", "[domain][update][email]") {
  Customer alice = Alice();
  EditableProfile p = EditableOf(alice.state());

  SECTION("a new address on an existing id is a removal and an addition") {
    p.emails[0].address = "alice@new.example";
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"EmailRemoved", "EmailAdded"});
    CHECK((*events)[0].AsEmailRemoved()->email_id == "e1-1");
    CHECK((*events)[1].AsEmailAdded()->email->id == "e3");  // version 3: after the removal
    CHECK((*events)[1].AsEmailAdded()->email->address == "alice@new.example");
    REQUIRE(alice.state().emails.size() == 2);
    CHECK(alice.state().emails[0].id == "e1-2");
    CHECK(alice.email("e3").address == "alice@new.example");
  }
  SECTION("an email without an id is added") {
    p.emails.push_back({"", "third@example.com"});
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"EmailAdded"});
    CHECK(alice.email("e2").address == "third@example.com");
  }
  SECTION("an email left out is removed") {
    p.emails.pop_back();
    auto events = alice.Run(UpdateProfile{p}, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"EmailRemoved"});
    CHECK((*events)[0].AsEmailRemoved()->email_id == "e1-2");
  }
  SECTION("the same address twice is refused, whatever its case") {
    p.emails.push_back({"", "Alice@Example.COM"});
    Status st = Refusal(alice.Run(UpdateProfile{p}, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/emails/2/address");
  }
  SECTION("an unknown email id is refused") {
    p.emails[1].id = "e9";
    Status st = Refusal(alice.Run(UpdateProfile{p}, Agent()));
    CHECK(st.field() == "/emails/1/id");
  }
  CHECK(alice.state().emails.size() >= 1);
}

TEST_CASE("tags and external ids are added and removed as a set", "[domain][update]") {
  Customer alice = Alice();
  EditableProfile p = EditableOf(alice.state());

  SECTION("changes") {
    p.tags = {"fleet"};
    p.external_ids = {{"dealertrack", "DT-1"}, {"cdk", "42"}};
    auto events = alice.Run(UpdateProfile{p}, Agent());
    CHECK(Types(Events(events)) ==
          std::vector<std::string>{"ExternalIdAdded", "TagRemoved", "TagAdded"});
    CHECK(alice.state().tags == std::vector<std::string>{"fleet"});
    CHECK(alice.state().external_ids.size() == 2);
  }
  SECTION("a value listed twice is added once") {
    p.tags = {"vip", "fleet", "fleet"};
    p.external_ids = {{"dealertrack", "DT-1"}, {"cdk", "42"}, {"cdk", "42"}};
    auto events = alice.Run(UpdateProfile{p}, Agent());
    CHECK(Types(Events(events)) == std::vector<std::string>{"ExternalIdAdded", "TagAdded"});
    CHECK(alice.state().tags == std::vector<std::string>{"vip", "fleet"});
  }
  SECTION("AddTag and RemoveTag") {
    CHECK(Types(Events(alice.Run(AddTag{"fleet"}, Agent()))) ==
          std::vector<std::string>{"TagAdded"});
    CHECK(Events(alice.Run(AddTag{"fleet"}, Agent())).empty());
    CHECK(Types(Events(alice.Run(RemoveTag{"vip"}, Agent()))) ==
          std::vector<std::string>{"TagRemoved"});
    CHECK(Events(alice.Run(RemoveTag{"vip"}, Agent())).empty());
    CHECK(alice.state().tags == std::vector<std::string>{"fleet"});
    CHECK(Refusal(alice.Run(AddTag{""}, Agent())).field() == "/tag");
  }
}

}  // namespace
}  // namespace ledger::domain
