#include "projection/item_rows.h"

#include <flatbuffers/flatbuffers.h>

#include "common/bytes.h"
#include "profile_generated.h"

namespace ledger::projection {
namespace {

namespace fb = domain::fb;
using domain::ItemList;
using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::String;

constexpr char kJobIdTag = '#';

char PastTag(ItemList list) {
  return static_cast<char>(static_cast<char>(list) - 'a' + 'A');
}

Offset<String> Str(FlatBufferBuilder& b, const std::string& s) {
  return s.empty() ? 0 : b.CreateString(s);
}

std::string S(const String* s) {
  return s == nullptr ? std::string() : s->str();
}

bool KnownList(std::uint8_t byte) {
  for (ItemList list : domain::kItemLists) {
    if (static_cast<std::uint8_t>(list) == byte) return true;
  }
  return false;
}

}  // namespace

std::string ItemsPrefix(std::string_view customer) {
  std::string k;
  k.push_back(static_cast<char>(customer.size()));
  k.append(customer);
  return k;
}

std::string CurrentItemsPrefix(std::string_view customer, ItemList list) {
  std::string k = ItemsPrefix(customer);
  k.push_back(static_cast<char>(list));
  return k;
}

std::string CurrentItemKey(std::string_view customer, ItemList list, std::uint64_t sequence) {
  std::string k = CurrentItemsPrefix(customer, list);
  PutU64BE(&k, sequence);
  return k;
}

std::string PastItemsPrefix(std::string_view customer, ItemList list, std::uint64_t sequence) {
  std::string k = ItemsPrefix(customer);
  k.push_back(PastTag(list));
  PutU64BE(&k, sequence);
  return k;
}

std::string PastItemKey(std::string_view customer, ItemList list, std::uint64_t sequence,
                        std::uint64_t revision) {
  std::string k = PastItemsPrefix(customer, list, sequence);
  PutU64BE(&k, revision);
  return k;
}

std::string JobRowKey(std::string_view customer, std::string_view token) {
  std::string k = ItemsPrefix(customer);
  k.push_back(kJobIdTag);
  k.append(token);
  return k;
}

std::uint64_t SequenceOfKey(std::string_view prefix, std::string_view key) {
  if (key.size() != prefix.size() + 8 || !key.starts_with(prefix)) return 0;
  return GetU64BE(key.substr(prefix.size()));
}

std::string EncodeItem(const domain::Item& item) {
  FlatBufferBuilder b(256);
  Offset<fb::ProfileNote> note = 0;
  Offset<fb::ItemCommunication> communication = 0;
  Offset<fb::ItemCall> call = 0;
  Offset<fb::ProfileJob> job = 0;
  if (const domain::Note* n = item.note()) {
    note = fb::CreateProfileNote(b, Str(b, n->id), Str(b, n->text), Str(b, n->author),
                                 n->created_at_us, n->amendments, n->amended_at_us,
                                 Str(b, n->amended_by), n->retracted, n->retracted_at_us,
                                 Str(b, n->retracted_by), n->pinned);
  } else if (const auto* c = std::get_if<domain::Communication>(&item.value)) {
    communication =
        fb::CreateItemCommunication(b, c->channel, c->direction, c->at_us, Str(b, c->contact_id),
                                    Str(b, c->logged_by), c->logged_at_us);
  } else if (const auto* k = std::get_if<domain::Call>(&item.value)) {
    call = fb::CreateItemCall(b, k->outcome, Str(b, k->logged_by), k->logged_at_us);
  } else if (const domain::Job* j = item.job()) {
    job = fb::CreateProfileJob(b, Str(b, j->id), j->status, j->at_us, j->created_at_us,
                               Str(b, j->recorded_by));
  }
  b.Finish(fb::CreateItemRecord(b, static_cast<std::uint8_t>(item.list()), item.sequence,
                                item.revision, note, communication, call, job));
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

Result<domain::Item> DecodeItem(std::string_view unaligned) {
  std::string bytes(unaligned);  // heap memory: aligned for reading in place
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!verifier.VerifyBuffer<fb::ItemRecord>(nullptr)) {
    return Status::Corruption("stored item fails FlatBuffers verification");
  }
  const fb::ItemRecord& r = *flatbuffers::GetRoot<fb::ItemRecord>(data);
  if (!KnownList(r.list())) return Status::Corruption("stored item of an unknown list");
  domain::Item item;
  item.sequence = r.sequence();
  item.revision = r.revision();
  switch (static_cast<ItemList>(r.list())) {
    case ItemList::kNote: {
      const fb::ProfileNote* x = r.note();
      if (x == nullptr) return Status::Corruption("stored note item without its note");
      item.value = domain::Note{S(x->id()),           S(x->text()),    S(x->author()),
                                x->created_at_us(),   x->amendments(), x->amended_at_us(),
                                S(x->amended_by()),   x->retracted(),  x->retracted_at_us(),
                                S(x->retracted_by()), x->pinned()};
      break;
    }
    case ItemList::kCommunication: {
      const fb::ItemCommunication* x = r.communication();
      if (x == nullptr) return Status::Corruption("stored communication item without its data");
      item.value = domain::Communication{x->channel(),       x->direction(),    x->at_us(),
                                         S(x->contact_id()), S(x->logged_by()), x->logged_at_us()};
      break;
    }
    case ItemList::kCall: {
      const fb::ItemCall* x = r.call();
      if (x == nullptr) return Status::Corruption("stored call item without its data");
      item.value = domain::Call{x->outcome(), S(x->logged_by()), x->logged_at_us()};
      break;
    }
    case ItemList::kJob: {
      const fb::ProfileJob* x = r.job();
      if (x == nullptr) return Status::Corruption("stored job item without its job");
      item.value =
          domain::Job{S(x->id()), x->status(), x->at_us(), x->created_at_us(), S(x->recorded_by())};
      break;
    }
  }
  return item;
}

}  // namespace ledger::projection
