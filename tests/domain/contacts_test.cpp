// A customer's contacts: a contact needs an email and its email never changes; fleet-managed
// contacts need the manager role; merging contacts; the unused-contacts rule.
#include "domain/ids.h"
#include "domain_fixture.h"

namespace ledger::domain {
namespace {

using namespace testing;

AddContact ProviderContact(std::string name, std::string email, std::string phone = {}) {
  return AddContact{std::move(name), std::move(email), std::move(phone), ManagedBy::Provider, ""};
}
AddContact FleetContact(std::string name, std::string email) {
  return AddContact{std::move(name), std::move(email), "", ManagedBy::Fleet, ""};
}

Customer Fleet() {
  return Customer::Registered("cus-1", Company("Acme Fleet"));
}

TEST_CASE("a contact is added with an id from its version", "[domain][contact]") {
  Customer acme = Fleet();
  auto events =
      acme.Run(AddContact{"Bob", "Bob@Acme.example", "+16502530000", ManagedBy::Provider, "case-7"},
               Agent());
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"ContactAdded"});
  const fb::ContactEntryT& e = *(*events)[0].AsContactAdded()->contact;
  CHECK(e.id == "c2");
  CHECK(e.email == "Bob@Acme.example");
  REQUIRE(acme.state().contacts.size() == 1);
  const Contact& c = acme.state().contacts[0];
  CHECK(c.id == "c2");
  CHECK(c.name == "Bob");
  CHECK(c.phone == "+16502530000");
  CHECK(c.case_id == "case-7");
  CHECK(c.created_at_us == kT0);
  // What the HTTP layer answers POST .../contacts with: the contact the change at version 2 added.
  CHECK(ContactAddedAt(acme.state(), 2) == &c);
  CHECK(ContactAddedAt(acme.state(), 1) == nullptr);
}

TEST_CASE("a contact needs a valid email that no other contact has", "[domain][contact]") {
  Customer acme = Fleet();
  SECTION("no email") {
    Status st = Refusal(acme.Run(ProviderContact("Bob", ""), Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/email");
  }
  SECTION("not an email") {
    Status st = Refusal(acme.Run(ProviderContact("Bob", "bob at acme"), Agent()));
    CHECK(st.field() == "/email");
  }
  SECTION("a phone that is not E.164") {
    Status st = Refusal(acme.Run(ProviderContact("Bob", "bob@acme.example", "555"), Agent()));
    CHECK(st.field() == "/phone");
  }
  SECTION("another contact's email, in any case") {
    acme.Given(ProviderContact("Bob", "bob@acme.example"));
    Status st = Refusal(acme.Run(ProviderContact("Robert", "BOB@acme.example"), Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/email");
  }
}

TEST_CASE("a contact's email is immutable: a change is a delete and an add", "[domain][contact]") {
  Customer acme = Fleet();
  acme.Given(ProviderContact("Bob", "bob@acme.example"));

  SECTION("an update with another email is refused") {
    UpdateContact u{"c2", "Robert", std::nullopt, "robert@acme.example"};
    Status st = Refusal(acme.Run(u, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/email");
    CHECK(acme.state().contacts[0].name == "Bob");
  }
  SECTION("the same email, in any case, is accepted with the other changes") {
    UpdateContact u{"c2", "Robert", "+16502530000", "BOB@acme.example"};
    auto events = acme.Run(u, Agent());
    REQUIRE(Types(Events(events)) == std::vector<std::string>{"ContactUpdated"});
    const fb::ContactEntryT& e = *(*events)[0].AsContactUpdated()->contact;
    CHECK(e.name == "Robert");
    CHECK(e.email == "bob@acme.example");  // unchanged
    CHECK(acme.state().contacts[0].name == "Robert");
    CHECK(acme.state().contacts[0].phone == "+16502530000");
    CHECK(acme.state().contacts[0].email == "bob@acme.example");
  }
  SECTION("the new address is a new contact") {
    CHECK(Types(Events(acme.Run(DeleteContact{"c2"}, Agent()))) ==
          std::vector<std::string>{"ContactDeleted"});
    CHECK(Types(Events(acme.Run(ProviderContact("Bob", "robert@acme.example"), Agent()))) ==
          std::vector<std::string>{"ContactAdded"});
    REQUIRE(acme.state().contacts.size() == 1);
    CHECK(acme.state().contacts[0].id == "c4");
    CHECK(acme.state().contacts[0].email == "robert@acme.example");
  }
  SECTION("an update with the same values appends nothing") {
    CHECK(Events(acme.Run(UpdateContact{"c2", "Bob", "", "bob@acme.example"}, Agent())).empty());
    CHECK(Events(acme.Run(UpdateContact{"c2", std::nullopt, std::nullopt, std::nullopt}, Agent()))
              .empty());
    CHECK(acme.state().version == 2);
  }
  SECTION("an unknown contact is not found") {
    CHECK(Refusal(acme.Run(UpdateContact{"c9", "X", std::nullopt, std::nullopt}, Agent())).code() ==
          StatusCode::kNotFound);
    CHECK(Refusal(acme.Run(DeleteContact{"c9"}, Agent())).code() == StatusCode::kNotFound);
  }
}

TEST_CASE("fleet-managed contacts need the manager role; provider contacts do not",
          "[domain][contact][fleet]") {
  Customer acme = Fleet();
  acme.Given(FleetContact("Fran", "fran@acme.example"), Manager());  // c2
  acme.Given(ProviderContact("Pat", "pat@provider.example"));        // c3
  acme.Given(ProviderContact("Quinn", "quinn@provider.example"));    // c4
  const UpdateContact rename_fran{"c2", "Frances", std::nullopt, std::nullopt};
  const UpdateContact rename_pat{"c3", "Patricia", std::nullopt, std::nullopt};

  SECTION("an agent may not add, update, delete or merge fleet contacts") {
    for (const Command& command : std::vector<Command>{
             FleetContact("Gil", "gil@acme.example"), rename_fran, DeleteContact{"c2"},
             MergeContacts{"c3", {"c2"}}, MergeContacts{"c2", {"c3"}}}) {
      INFO(CommandName(command));
      Status st = Refusal(acme.Run(command, Agent()));
      CHECK(st.code() == StatusCode::kPermissionDenied);
    }
    CHECK(acme.state().version == 4);
  }
  SECTION("an agent may add, update, delete and merge provider contacts") {
    CHECK(Events(acme.Run(ProviderContact("Ray", "ray@provider.example"), Agent())).size() == 1);
    CHECK(Events(acme.Run(rename_pat, Agent())).size() == 1);
    CHECK(Events(acme.Run(MergeContacts{"c3", {"c5"}}, Agent())).size() == 1);
    CHECK(Events(acme.Run(DeleteContact{"c4"}, Agent())).size() == 1);
    REQUIRE(acme.state().contacts.size() == 2);
    CHECK(acme.state().contacts[1].name == "Patricia");
  }
  SECTION("a manager may change fleet contacts") {
    CHECK(Events(acme.Run(rename_fran, Manager())).size() == 1);
    CHECK(acme.state().contacts[0].name == "Frances");
    CHECK(Events(acme.Run(MergeContacts{"c2", {"c3"}}, Manager())).size() == 1);
    CHECK(Events(acme.Run(DeleteContact{"c2"}, Manager())).size() == 1);
    CHECK(acme.state().contacts.size() == 1);
  }
  SECTION("an admin has every role") {
    CHECK(Events(acme.Run(rename_fran, Context("root", {Role::kAdmin}))).size() == 1);
  }
  SECTION("the email rule comes before the role check") {
    Status st =
        Refusal(acme.Run(UpdateContact{"c2", std::nullopt, std::nullopt, "x@y.example"}, Agent()));
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.field() == "/email");
  }
}

TEST_CASE("merging contacts keeps the main one and its latest communication", "[domain][contact]") {
  Customer acme = Fleet();
  acme.Given({ProviderContact("Bob", "bob@acme.example"),          // c2
              ProviderContact("Bobby", "bobby@acme.example"),      // c3
              ProviderContact("Robert", "robert@acme.example")});  // c4
  acme.Given(
      LogCommunication{CommunicationChannel::Email, Direction::Inbound, kT0 + 5 * kDay, "c3"},
      Agent("ann", kT0 + 10 * kDay));

  auto events = acme.Run(MergeContacts{"c2", {"c3", "c4"}}, Agent("ann", kT0 + 10 * kDay));
  REQUIRE(Types(Events(events)) == std::vector<std::string>{"ContactsMerged"});
  CHECK((*events)[0].AsContactsMerged()->other_ids == std::vector<std::string>{"c3", "c4"});
  REQUIRE(acme.state().contacts.size() == 1);
  CHECK(acme.state().contacts[0].id == "c2");
  CHECK(acme.state().contacts[0].last_communication_at_us == kT0 + 5 * kDay);

  SECTION("refusals") {
    CHECK(Refusal(acme.Run(MergeContacts{"c2", {}}, Agent())).code() ==
          StatusCode::kInvalidArgument);
    CHECK(Refusal(acme.Run(MergeContacts{"c2", {"c2"}}, Agent())).field() == "/others/0");
    CHECK(Refusal(acme.Run(MergeContacts{"c2", {"c3"}}, Agent())).code() == StatusCode::kNotFound);
    CHECK(Refusal(acme.Run(MergeContacts{"c9", {"c2"}}, Agent())).code() == StatusCode::kNotFound);
  }
}

// The unused-contacts rule: no communication for 6 months makes a contact unused; a customer
// with 30 unused contacts is flagged for review.
TEST_CASE("a contact without communication for six months is unused", "[domain][contact][unused]") {
  const DomainConfig config;
  Customer acme = Fleet();
  acme.Given({ProviderContact("Bob", "bob@acme.example"),  // c2, created at kT0
              ProviderContact("Cy", "cy@acme.example")});  // c3
  const std::int64_t six_months = config.contact_unused_after_us;
  acme.Given(
      LogCommunication{CommunicationChannel::Call, Direction::Outbound, kT0 + 100 * kDay, "c3"},
      Agent("ann", kT0 + 100 * kDay));

  const Contact& bob = acme.state().contacts[0];
  const Contact& cy = acme.state().contacts[1];
  CHECK_FALSE(ContactUnused(bob, kT0 + six_months, config));
  CHECK(ContactUnused(bob, kT0 + six_months + 1, config));
  CHECK_FALSE(ContactUnused(cy, kT0 + six_months + 1, config));  // talked to on day 100
  CHECK(ContactUnused(cy, kT0 + 100 * kDay + six_months + 1, config));

  nlohmann::json j = acme.Json(kT0 + 190 * kDay);
  CHECK(j["contacts"][0]["unused"] == true);
  CHECK(j["contacts"][1]["unused"] == false);
  CHECK(j["contacts"][1]["last_communication_at"] == TimeJson(kT0 + 100 * kDay));
  CHECK(j["contacts_review"]["unused"] == 1);
  CHECK(j["contacts_review"]["flagged"] == false);
  CHECK(UnusedContacts(acme.state(), kT0 + 190 * kDay, config).size() == 1);
}

TEST_CASE("a customer is flagged from 30 unused contacts", "[domain][contact][unused]") {
  Customer acme = Fleet();
  for (int i = 0; i < 29; ++i) {
    acme.Given(ProviderContact("c", "c" + std::to_string(i) + "@acme.example"));
  }
  const std::int64_t later = kT0 + 365 * kDay;
  CHECK(acme.Json(later)["contacts_review"]["unused"] == 29);
  CHECK(acme.Json(later)["contacts_review"]["flagged"] == false);

  acme.Given(ProviderContact("c", "c29@acme.example"));
  CHECK(acme.Json(later)["contacts_review"]["unused"] == 30);
  CHECK(acme.Json(later)["contacts_review"]["flagged"] == true);
  CHECK(acme.Json(kT0)["contacts_review"]["flagged"] == false);  // all still fresh

  SECTION("communicating with one of them clears the flag") {
    acme.Given(LogCommunication{CommunicationChannel::Email, Direction::Outbound, 0, "c2"},
               Agent("ann", later - kDay));
    CHECK(acme.Json(later)["contacts_review"]["unused"] == 29);
    CHECK(acme.Json(later)["contacts_review"]["flagged"] == false);
  }
  SECTION("the threshold is configurable") {
    DomainConfig config;
    config.unused_contacts_flag_threshold = 31;
    CHECK(acme.Json(later, config)["contacts_review"]["flagged"] == false);
  }
}

TEST_CASE("a communication names an existing contact and is not in the future",
          "[domain][contact]") {
  Customer acme = Fleet();
  CHECK(Refusal(acme.Run(LogCommunication{CommunicationChannel::Call, Direction::Inbound, 0, "c9"},
                         Agent()))
            .field() == "/contact_id");
  CHECK(Refusal(acme.Run(LogCommunication{CommunicationChannel::Call, Direction::Inbound,
                                          kT0 + kDay, ""},
                         Agent()))
            .field() == "/at");
}

}  // namespace
}  // namespace ledger::domain
