#include "domain/items.h"

#include <charconv>

namespace ledger::domain {
namespace {

std::string Str(const flatbuffers::String* s) {
  return s == nullptr ? std::string() : s->str();
}

Item NewItem(const EventMeta& meta, std::variant<Note, Communication, Call, Job> value) {
  return Item{meta.version, meta.version, std::move(value)};
}

// `before` as a note with the id `note_id`, revised by the event at `meta`; nullopt when it is no
// such note.
std::optional<Item> Revised(const Item* before, std::string_view note_id, const EventMeta& meta) {
  if (before == nullptr || before->note() == nullptr || before->note()->id != note_id) {
    return std::nullopt;
  }
  Item after = *before;
  after.revision = meta.version;
  return after;
}

}  // namespace

std::string_view ItemListName(ItemList list) {
  switch (list) {
    case ItemList::kNote:
      return "notes";
    case ItemList::kCommunication:
      return "communications";
    case ItemList::kCall:
      return "calls";
    case ItemList::kJob:
      return "jobs";
  }
  return "unknown";
}

std::optional<std::uint64_t> NoteSequence(std::string_view note_id) {
  if (note_id.size() < 2 || note_id.size() > 21 || note_id[0] != 'n' || note_id[1] == '0') {
    return std::nullopt;
  }
  std::uint64_t sequence = 0;
  const char* end = note_id.data() + note_id.size();
  auto [ptr, error] = std::from_chars(note_id.data() + 1, end, sequence);
  if (error != std::errc() || ptr != end) return std::nullopt;
  return sequence;
}

std::optional<ItemRef> ItemRefOf(const fb::EventPayload& payload, std::uint64_t version) {
  using E = fb::DomainEvent;
  auto note = [](const flatbuffers::String* id) {
    return ItemRef{ItemList::kNote, NoteSequence(Str(id)).value_or(0), "", false};
  };
  switch (payload.event_type()) {
    case E::NoteAdded:
      return ItemRef{ItemList::kNote, version, "", true};
    case E::NoteAmended:
      return note(payload.event_as_NoteAmended()->note_id());
    case E::NoteRetracted:
      return note(payload.event_as_NoteRetracted()->note_id());
    case E::CommunicationLogged:
      return ItemRef{ItemList::kCommunication, version, "", true};
    case E::CallLogged:
      return ItemRef{ItemList::kCall, version, "", true};
    case E::JobRecorded:
      return ItemRef{ItemList::kJob, 0, Str(payload.event_as_JobRecorded()->job_id()), false};
    default:
      return std::nullopt;
  }
}

std::optional<ItemRef> ItemReferencedBy(const Command& command) {
  if (const auto* c = std::get_if<AmendNote>(&command)) {
    return ItemRef{ItemList::kNote, NoteSequence(c->note_id).value_or(0), "", false};
  }
  if (const auto* c = std::get_if<RetractNote>(&command)) {
    return ItemRef{ItemList::kNote, NoteSequence(c->note_id).value_or(0), "", false};
  }
  if (const auto* c = std::get_if<RecordJob>(&command)) {
    return ItemRef{ItemList::kJob, 0, c->job_id, false};
  }
  return std::nullopt;
}

Note NoteOf(const fb::NoteAdded& event, const EventMeta& meta) {
  Note note;
  note.id = Str(event.note_id());
  note.text = Str(event.text());
  note.author = std::string(meta.actor);
  note.created_at_us = meta.recorded_at_us;
  note.pinned = event.pinned();
  return note;
}

std::optional<Item> EvolveItem(const Item* before, const fb::EventPayload& payload,
                               const EventMeta& meta) {
  using E = fb::DomainEvent;
  const std::int64_t now = meta.recorded_at_us;
  switch (payload.event_type()) {
    case E::NoteAdded:
      return NewItem(meta, NoteOf(*payload.event_as_NoteAdded(), meta));
    case E::NoteAmended: {
      const auto& e = *payload.event_as_NoteAmended();
      std::optional<Item> after = Revised(before, Str(e.note_id()), meta);
      if (!after) return std::nullopt;
      Note& n = std::get<Note>(after->value);
      n.text = Str(e.text());
      ++n.amendments;
      n.amended_at_us = now;
      n.amended_by = std::string(meta.actor);
      return after;
    }
    case E::NoteRetracted: {
      std::optional<Item> after =
          Revised(before, Str(payload.event_as_NoteRetracted()->note_id()), meta);
      if (!after) return std::nullopt;
      Note& n = std::get<Note>(after->value);
      n.retracted = true;
      n.retracted_at_us = now;
      n.retracted_by = std::string(meta.actor);
      return after;
    }
    case E::CommunicationLogged: {
      const auto& e = *payload.event_as_CommunicationLogged();
      return NewItem(meta, Communication{e.channel(), e.direction(), e.at_us(), Str(e.contact_id()),
                                         std::string(meta.actor), now});
    }
    case E::CallLogged:
      return NewItem(meta,
                     Call{payload.event_as_CallLogged()->outcome(), std::string(meta.actor), now});
    case E::JobRecorded: {
      const auto& e = *payload.event_as_JobRecorded();
      std::string id = Str(e.job_id());
      if (before != nullptr && before->job() != nullptr && before->job()->id == id) {
        Item after = *before;
        after.revision = meta.version;
        Job& job = std::get<Job>(after.value);
        job.status = e.status();
        job.at_us = now;
        job.recorded_by = std::string(meta.actor);
        return after;
      }
      return NewItem(meta, Job{std::move(id), e.status(), now, now, std::string(meta.actor)});
    }
    default:
      return std::nullopt;
  }
}

Result<std::optional<Item>> MemoryItems::Before(ItemList list, std::uint64_t sequence,
                                                std::uint64_t version) {
  if (auto it = items_.find({list, sequence}); it != items_.end()) {
    if (it->second.revision < version) return std::optional<Item>(it->second);
  }
  if (fallback_ == nullptr) return std::optional<Item>();
  return fallback_->Before(list, sequence, version);
}

Result<std::optional<std::uint64_t>> MemoryItems::JobBefore(std::string_view job_id,
                                                            std::uint64_t version) {
  if (auto it = jobs_.find(job_id); it != jobs_.end() && it->second < version) {
    return std::optional<std::uint64_t>(it->second);
  }
  if (fallback_ == nullptr) return std::optional<std::uint64_t>();
  return fallback_->JobBefore(job_id, version);
}

void MemoryItems::Remember(const Item& item) {
  // Communications and calls never change once logged: no fold will ask for them again.
  if (!remember_all_ && item.note() == nullptr && item.job() == nullptr) return;
  if (item.job() != nullptr) jobs_[item.job()->id] = item.sequence;
  items_[{item.list(), item.sequence}] = item;
}

std::vector<Item> MemoryItems::Items() const {
  std::vector<Item> out;
  out.reserve(items_.size());
  for (const auto& [key, item] : items_) out.push_back(item);
  return out;
}

Result<ItemStep> FoldEvent(CustomerState& state, const fb::EventPayload& payload,
                           const EventMeta& meta, ItemSource& items) {
  ItemStep step;
  if (std::optional<ItemRef> ref = ItemRefOf(payload, meta.version)) {
    if (!ref->creates) {
      std::optional<std::uint64_t> sequence;
      if (ref->list == ItemList::kJob) {
        LEDGER_ASSIGN_OR_RETURN(sequence, items.JobBefore(ref->job_id, meta.version));
      } else if (ref->sequence != 0 && ref->sequence < meta.version) {
        sequence = ref->sequence;
      }
      if (sequence) {
        LEDGER_ASSIGN_OR_RETURN(step.before, items.Before(ref->list, *sequence, meta.version));
      }
    }
    step.after = EvolveItem(step.before ? &*step.before : nullptr, payload, meta);
  }
  EvolveInPlace(state, payload, meta, step.before ? &*step.before : nullptr);
  if (step.after) items.Folded(*step.after);
  return step;
}

}  // namespace ledger::domain
