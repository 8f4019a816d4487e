#include "fuzz_world.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "domain/event_json.h"
#include "domain/evolve.h"
#include "domain/items.h"
#include "domain/payload.h"
#include "domain/profile_view.h"

namespace ledger::fuzz {
namespace {

domain::DecideContext Context(std::string actor, std::set<domain::Role> roles) {
  domain::DecideContext ctx;
  ctx.now_us = kNow;
  ctx.actor = std::move(actor);
  ctx.roles = std::move(roles);
  return ctx;
}

// Runs `command` against `world.customer`; the world is unusable if it is refused.
void Given(World& world, const domain::Command& command) {
  Result<std::vector<domain::DomainEvent>> events =
      domain::Decide(world.customer, command, WithItems(Admin(), world, command));
  if (!events.ok()) {
    Fail("building the fuzz world: " + std::string(domain::CommandName(command)) +
         " refused: " + events.status().ToString());
  }
  domain::MemoryItems items(nullptr, /*remember_all=*/true);
  for (const domain::Item& item : world.items) items.Remember(item);
  std::vector<std::string> packed = FoldChecked(world.customer, *events, Admin(), items);
  world.items = items.Items();
  world.payloads.insert(world.payloads.end(), packed.begin(), packed.end());
}

World Build() {
  World w;
  w.unregistered.id = "cus-new";
  w.customer.id = "cus-1";

  domain::EditableProfile p;
  p.first_name = "Ada";
  p.last_name = "Lovelace";
  p.phones = {{"", domain::PhoneKind::Cell, "+12125552368"},
              {"", domain::PhoneKind::Work, "+16502530000"}};
  p.emails = {{"", "ada@example.com"}, {"", "ada@work.example"}};
  p.external_ids = {{"dms", "C-17"}};
  p.tags = {"vip"};
  p.address.line1 = "1 Main St";
  p.address.city = "Springfield";
  Given(w, domain::RegisterCustomer{p});

  domain::Consent sms;
  sms.channel = domain::Channel::Sms;
  sms.contact_point = "+12125552368";
  sms.status = domain::ConsentStatus::OptedIn;
  Given(w, domain::SetConsent{sms});
  domain::Consent email;
  email.channel = domain::Channel::Email;
  email.contact_point = "ada@example.com";
  email.status = domain::ConsentStatus::OptedOut;
  Given(w, domain::SetConsent{email});

  Given(w, domain::AddNote{"Prefers calls after 5pm", false});
  Given(w, domain::AddContact{"Bob Driver", "bob@fleet.example", "+16502530000",
                              domain::ManagedBy::Fleet, ""});
  Given(w, domain::RecordEmailBounce{"ada@work.example"});
  Given(w, domain::RecordJob{"RO-1", domain::JobStatus::Completed});
  Given(w, domain::SetFinance{{{"credit_limit", "5000"}}});

  Given(w, domain::AmendNote{"n4", "Prefers calls after 6pm"});
  if (w.customer.latest_notes.empty() || w.customer.contacts.empty() || w.items.size() != 2) {
    Fail("building the fuzz world: no note, job or contact after adding them");
  }
  w.note_id = w.customer.latest_notes.front().id;
  w.contact_id = w.customer.contacts.front().id;
  return w;
}

}  // namespace

void Fail(std::string_view what) {
  std::fprintf(stderr, "\n*** fuzz invariant broken: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

const domain::PhoneNormalizer& Phones() {
  static const domain::PhoneNormalizer phones = [] {
    Result<domain::PhoneNormalizer> p = domain::PhoneNormalizer::Create("US");
    if (!p.ok()) Fail("no phone normalizer: " + p.status().ToString());
    return std::move(p).value();
  }();
  return phones;
}

domain::DecideContext Agent() {
  return Context("ann", {domain::Role::kAgent});
}

domain::DecideContext Admin() {
  return Context("root", {domain::Role::kAdmin});
}

const World& TheWorld() {
  static const World world = Build();
  return world;
}

ExactCopy::ExactCopy(std::string_view bytes) : data_(new char[bytes.size()]), size_(bytes.size()) {
  std::copy(bytes.begin(), bytes.end(), data_.get());
  // operator new[] returns memory aligned for any scalar, and a char array has no cookie.
  if (reinterpret_cast<std::uintptr_t>(data_.get()) % 8 != 0) Fail("copy is not 8-byte aligned");
}

domain::DecideContext WithItems(domain::DecideContext context, const World& world,
                                const domain::Command& command) {
  std::optional<domain::ItemRef> ref = domain::ItemReferencedBy(command);
  if (!ref) return context;
  for (const domain::Item& item : world.items) {
    if (item.list() != ref->list) continue;
    bool named = ref->list == domain::ItemList::kJob ? item.job()->id == ref->job_id
                                                     : item.sequence == ref->sequence;
    if (named) context.items.push_back(item);
  }
  return context;
}

std::vector<std::string> FoldChecked(domain::CustomerState& state,
                                     const std::vector<domain::DomainEvent>& events,
                                     const domain::DecideContext& context,
                                     domain::MemoryItems& items) {
  std::vector<std::string> packed;
  for (const domain::DomainEvent& event : events) {
    std::string name(domain::EventTypeName(event));
    std::string bytes = domain::PackEvent(event);
    ExactCopy stored(bytes);
    Result<const domain::fb::EventPayload*> payload = domain::ReadPayload(stored.view());
    if (!payload.ok()) Fail(name + " does not read back: " + payload.status().ToString());

    domain::DomainEvent back;
    back.type = (*payload)->event_type();
    back.value = domain::DomainEvent::UnPack((*payload)->event(), back.type, nullptr);
    if (!(back == event)) Fail(name + " is not the same event after packing and reading");

    // dump() throws on strings that are not UTF-8: history views and feeds would answer 500.
    std::string shown = domain::EventDataJson(**payload).dump();
    if (shown.empty()) Fail(name + " shows as nothing");

    domain::EventMeta meta{state.id, state.version + 1, context.now_us, context.actor};
    Result<domain::ItemStep> step = domain::FoldEvent(state, **payload, meta, items);
    if (!step.ok()) Fail(name + ": FoldEvent failed with items in memory");
    if (state.version != meta.version) Fail(name + ": the state is not at the event's version");
    if (step->after) {
      if (step->after->revision != meta.version) Fail(name + ": an item not at its revision");
      if (domain::ItemJson(*step->after).dump().empty()) Fail(name + ": an item shows as nothing");
    }
    packed.push_back(std::move(bytes));
  }
  return packed;
}

void CheckProfileJson(const domain::CustomerState& state, bool text_is_utf8) {
  domain::ViewOptions view;
  view.now_us = kNow;
  view.include_finance = true;
  auto utf8 = text_is_utf8 ? nlohmann::json::error_handler_t::strict
                           : nlohmann::json::error_handler_t::replace;
  std::string shown = domain::ProfileJson(state, view).dump(-1, ' ', false, utf8);
  if (shown.empty()) Fail("the profile shows as nothing");
}

}  // namespace ledger::fuzz
