// Test fixture for the customer domain: a Customer that runs commands the way the service will
// (Decide, then each event packed, read back through the verifier and folded by Evolve with the
// envelope the store would record), contexts for the usual actors, and EditableProfile builders.
//
// Every item of the customer's lists (notes, communications, calls, jobs) is kept in memory, as
// the service keeps them in rows of their own: Run hands Decide the item a command refers to.
//
// Tests read as given state / when command / then events or refusal:
//
//   Customer alice = Customer::Registered("cus-1", Person("Alice", "Smith"));
//   alice.Given(AddNote{"Prefers mornings"}, Agent("ann"));
//   auto events = alice.Run(AmendNote{"n2", "Prefers evenings"}, Agent("bob"));
//   CHECK(Refusal(events).code() == StatusCode::kPermissionDenied);
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/commands.h"
#include "domain/decide.h"
#include "domain/evolve.h"
#include "domain/items.h"
#include "domain/payload.h"
#include "domain/profile_view.h"
#include "domain/rules.h"

namespace ledger::domain::testing {

inline constexpr std::int64_t kSecond = 1'000'000;
inline constexpr std::int64_t kDay = 86'400 * kSecond;
inline constexpr std::int64_t kT0 = 1'700'000'000 * kSecond;  // 2023-11-14T22:13:20Z

// --- Contexts -------------------------------------------------------------------------------

inline DecideContext Context(std::string actor, std::set<Role> roles = {},
                             std::int64_t now_us = kT0) {
  DecideContext ctx;
  ctx.actor = std::move(actor);
  ctx.roles = std::move(roles);
  ctx.now_us = now_us;
  return ctx;
}
inline DecideContext Agent(std::string actor = "ann", std::int64_t now_us = kT0) {
  return Context(std::move(actor), {Role::kAgent}, now_us);
}
inline DecideContext Manager(std::string actor = "max", std::int64_t now_us = kT0) {
  return Context(std::move(actor), {Role::kAgent, Role::kManager}, now_us);
}
inline DecideContext FinanceUser(std::string actor = "fay", std::int64_t now_us = kT0) {
  return Context(std::move(actor), {Role::kAgent, Role::kFinance}, now_us);
}
inline DecideContext ComplianceOfficer(std::string actor = "cora", std::int64_t now_us = kT0) {
  return Context(std::move(actor), {Role::kCompliance}, now_us);
}
// `ctx` at another time.
inline DecideContext At(DecideContext ctx, std::int64_t now_us) {
  ctx.now_us = now_us;
  return ctx;
}

// --- Profiles -------------------------------------------------------------------------------

inline EditableProfile Person(std::string first, std::string last) {
  EditableProfile p;
  p.kind = CustomerKind::Person;
  p.first_name = std::move(first);
  p.last_name = std::move(last);
  return p;
}
inline EditableProfile Company(std::string company_name, std::string contact_name = {}) {
  EditableProfile p;
  p.kind = CustomerKind::Company;
  p.company_name = std::move(company_name);
  p.contact_name = std::move(contact_name);
  return p;
}
inline EditableProfile WithPhones(EditableProfile p, std::initializer_list<std::string> numbers) {
  for (const std::string& n : numbers) p.phones.push_back({"", PhoneKind::Cell, n});
  return p;
}
inline EditableProfile WithEmails(EditableProfile p, std::initializer_list<std::string> addresses) {
  for (const std::string& a : addresses) p.emails.push_back({"", a});
  return p;
}

// --- Consent --------------------------------------------------------------------------------

inline Consent ExpressConsent(Channel channel, std::string contact_point,
                              ConsentStatus status = ConsentStatus::OptedIn) {
  Consent c;
  c.channel = channel;
  c.contact_point = std::move(contact_point);
  c.status = status;
  c.basis = ConsentBasis::Express;
  c.method = ConsentMethod::Web;
  return c;
}
inline Consent SmsOptIn(std::string number) {
  return ExpressConsent(Channel::Sms, number);
}
inline Consent SmsOptOut(std::string number) {
  return ExpressConsent(Channel::Sms, number, ConsentStatus::OptedOut);
}

// --- Events ---------------------------------------------------------------------------------

inline std::vector<std::string> Types(const std::vector<DomainEvent>& events) {
  std::vector<std::string> out;
  for (const DomainEvent& e : events) out.emplace_back(EventTypeName(e));
  return out;
}

// The refusal in `r`, which must not have succeeded.
template <class T>
Status Refusal(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  return r.status();
}

// The events in `r`, which must have succeeded.
inline const std::vector<DomainEvent>& Events(const Result<std::vector<DomainEvent>>& r) {
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

// `bytes` copied into a fresh std::string whose data is 8-byte aligned, as ReadPayload needs
// (the store hands payloads over in such buffers).
inline std::string AlignedCopy(std::string_view bytes) {
  std::string copy(bytes);
  REQUIRE(reinterpret_cast<std::uintptr_t>(copy.data()) % 8 == 0);
  return copy;
}

// One event as the store would keep it: the payload bytes and the envelope fields evolve reads.
struct StoredEvent {
  std::string payload;
  std::uint64_t version = 0;
  std::int64_t recorded_at_us = 0;
  std::string actor;

  const fb::EventPayload& Read() const {
    Result<const fb::EventPayload*> p = ReadPayload(payload);
    INFO(p.status().ToString());
    REQUIRE(p.ok());
    return **p;
  }
  // The event again in object form, as decide produced it.
  DomainEvent Unpack() const {
    const fb::EventPayload& p = Read();
    DomainEvent e;
    e.type = p.event_type();
    e.value = DomainEvent::UnPack(p.event(), p.event_type(), nullptr);
    return e;
  }
};

class Customer {
 public:
  explicit Customer(std::string id) { state_.id = std::move(id); }

  static Customer Registered(std::string id, EditableProfile profile,
                             const DecideContext& ctx = Agent()) {
    Customer c(std::move(id));
    c.Given(RegisterCustomer{std::move(profile)}, ctx);
    return c;
  }

  // Decides `command` and appends what it decided (nothing when it is refused). Like the
  // service, it first gives Decide the item the command refers to, if it exists.
  Result<std::vector<DomainEvent>> Run(const Command& command, const DecideContext& ctx) {
    DecideContext with_items = ctx;
    with_items.items = ItemsFor(command);
    Result<std::vector<DomainEvent>> events = Decide(state_, command, with_items);
    if (events.ok()) Append(*events, ctx);
    return events;
  }

  // The item `command` refers to (ItemReferencedBy), as it is now; empty when there is none.
  std::vector<Item> ItemsFor(const Command& command) {
    std::vector<Item> found;
    std::optional<ItemRef> ref = ItemReferencedBy(command);
    if (!ref) return found;
    const std::uint64_t next = state_.version + 1;
    std::optional<std::uint64_t> sequence = ref->sequence;
    if (ref->list == ItemList::kJob) sequence = items_.JobBefore(ref->job_id, next).value();
    if (!sequence || *sequence == 0) return found;
    if (std::optional<Item> item = items_.Before(ref->list, *sequence, next).value()) {
      found.push_back(std::move(*item));
    }
    return found;
  }

  // Commands that must succeed: the state the test starts from.
  Customer& Given(const Command& command, const DecideContext& ctx = Agent()) {
    Result<std::vector<DomainEvent>> events = Run(command, ctx);
    INFO("given " << CommandName(command) << ": " << events.status().ToString());
    REQUIRE(events.ok());
    return *this;
  }
  Customer& Given(std::initializer_list<Command> commands, const DecideContext& ctx = Agent()) {
    for (const Command& c : commands) Given(c, ctx);
    return *this;
  }

  // Stores `events` as the next versions of this customer and folds them, the way the service
  // appends what decide returned: each one packed, copied, verified and read, then folded with
  // the item it touches (FoldEvent), every item kept in memory.
  void Append(const std::vector<DomainEvent>& events, const DecideContext& ctx) {
    for (const DomainEvent& e : events) {
      StoredEvent stored{AlignedCopy(PackEvent(e)), state_.version + 1, ctx.now_us, ctx.actor};
      EventMeta meta{state_.id, stored.version, stored.recorded_at_us, stored.actor};
      Result<ItemStep> step = FoldEvent(state_, stored.Read(), meta, items_);
      INFO(step.status().ToString());
      REQUIRE(step.ok());
      history_.push_back(std::move(stored));
    }
  }

  const std::string& id() const { return state_.id; }
  const CustomerState& state() const { return state_; }
  const std::vector<StoredEvent>& history() const { return history_; }

  // Every item of the customer's lists as it is now, by list byte and sequence.
  std::vector<Item> items() const { return items_.Items(); }
  // Every note (retracted ones too), oldest first.
  std::vector<Note> notes() const {
    std::vector<Note> out;
    for (const Item& item : items_.Items()) {
      if (item.note() != nullptr) out.push_back(*item.note());
    }
    return out;
  }
  // The note with this id, which must exist.
  Note note(std::string_view id) const {
    for (const Note& n : notes()) {
      if (n.id == id) return n;
    }
    FAIL("no note " << std::string(id));
    std::abort();  // not reached: FAIL throws
  }

  // The profile as clients read it at `now_us`.
  nlohmann::json Json(std::int64_t now_us = kT0, const DomainConfig& config = {},
                      bool include_finance = false) const {
    ViewOptions o;
    o.now_us = now_us;
    o.config = config;
    o.include_finance = include_finance;
    return ProfileJson(state_, o);
  }

  const Phone& phone(std::string_view id) const {
    for (const Phone& p : state_.phones) {
      if (p.id == id) return p;
    }
    FAIL("no phone " << std::string(id));
    std::abort();  // not reached: FAIL throws
  }
  const Email& email(std::string_view id) const {
    for (const Email& m : state_.emails) {
      if (m.id == id) return m;
    }
    FAIL("no email " << std::string(id));
    std::abort();  // not reached: FAIL throws
  }

 private:
  CustomerState state_;
  MemoryItems items_{/*fallback=*/nullptr, /*remember_all=*/true};
  std::vector<StoredEvent> history_;
};

// Merges `duplicate` into `survivor`: DecideMerge, then both streams append their side.
inline Result<MergeDecision> Merge(Customer& survivor, Customer& duplicate,
                                   const DecideContext& ctx) {
  Result<MergeDecision> d = DecideMerge(survivor.state(), duplicate.state(), ctx);
  if (d.ok()) {
    survivor.Append(d->survivor, ctx);
    duplicate.Append(d->duplicate, ctx);
  }
  return d;
}

// The lines to text at `now_us`, in order, as "id number".
inline std::vector<std::string> SmsLines(const CustomerState& s, std::int64_t now_us = kT0) {
  std::vector<std::string> out;
  for (const Phone* p : SmsLinesInOrder(s, now_us)) out.push_back(p->id + " " + p->number);
  return out;
}

}  // namespace ledger::domain::testing
