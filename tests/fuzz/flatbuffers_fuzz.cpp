// libFuzzer target: bytes as they could come off a damaged or altered disk -> every reader of
// stored FlatBuffers. Each input goes to all of them (the file identifiers make most inputs fail
// verification fast in all but one):
//   * the event envelope (store::EventView::Decode), and every accessor of a decoded one;
//   * the store's other records (stream status, idempotency entries);
//   * the stored profile (projection::DecodeProfile), which must re-encode to the same state;
//   * a stored item of a growing list (projection::DecodeItem), likewise;
//   * the event payload (domain::ReadPayload), then EventDataJson and FoldEvent on the fixed
//     customer (fuzz_world.h), and the profile after it.
// A reader must refuse what it cannot read with a Status (kCorruption), never crash, trip a
// sanitizer or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/event_json.h"
#include "domain/evolve.h"
#include "domain/items.h"
#include "domain/payload.h"
#include "domain/profile_view.h"
#include "fuzz_world.h"
#include "projection/item_rows.h"
#include "projection/profile_codec.h"
#include "store/chain.h"
#include "store/event.h"
#include "store/records.h"

namespace ledger::fuzz {
namespace {

// A refusal must say the bytes are damaged.
void CheckRefusal(const Status& status, std::string_view reader) {
  if (status.code() != StatusCode::kCorruption) {
    Fail(std::string(reader) + " refused with " + status.ToString() + ", not kCorruption");
  }
}

// Every view a decoded event hands out must lie inside the bytes it was decoded from.
void CheckInside(std::string_view part, std::string_view whole, const char* accessor) {
  auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
  auto at = reinterpret_cast<std::uintptr_t>(part.data());
  if (!part.empty() && (at < begin || at + part.size() > begin + whole.size())) {
    Fail(std::string("EventView::") + accessor + " points outside the record");
  }
}

void ReadEvent(std::string_view bytes) {
  Result<store::EventView> event = store::EventView::Decode(bytes);
  if (!event.ok()) return CheckRefusal(event.status(), "EventView::Decode");
  const store::EventView& e = *event;
  CheckInside(e.stream(), bytes, "stream");
  CheckInside(e.type(), bytes, "type");
  CheckInside(e.actor(), bytes, "actor");
  CheckInside(e.source(), bytes, "source");
  CheckInside(e.reason(), bytes, "reason");
  CheckInside(e.correlation_id(), bytes, "correlation_id");
  CheckInside(e.causation_id(), bytes, "causation_id");
  CheckInside(e.payload(), bytes, "payload");
  // The hash chain's view of the event reads every other field (ids, hashes, numbers).
  store::ChainHasher hasher;
  hasher.EventHash(e.prev_hash(), store::FieldsOf(e));
  hasher.GlobalHash(e.global_hash(), e.hash());
}

void ReadRecords(std::string_view bytes) {
  Result<store::StreamStatusChange> status = store::DecodeStreamStatus(bytes);
  if (!status.ok()) CheckRefusal(status.status(), "DecodeStreamStatus");
  Result<store::IdempotencyEntry> entry = store::DecodeIdempotency(bytes);
  if (!entry.ok()) CheckRefusal(entry.status(), "DecodeIdempotency");
}

void ReadItem(std::string_view bytes) {
  Result<domain::Item> item = projection::DecodeItem(bytes);
  if (!item.ok()) return CheckRefusal(item.status(), "DecodeItem");
  Result<domain::Item> again = projection::DecodeItem(projection::EncodeItem(*item));
  if (!again.ok()) Fail("a decoded item re-encodes unreadably: " + again.status().ToString());
  if (!(*again == *item)) Fail("a decoded item changes when encoded and decoded again");
  if (domain::ItemJson(*item)
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
          .empty()) {
    Fail("a decoded item shows as nothing");
  }
}

void ReadProfile(std::string_view bytes) {
  Result<domain::CustomerState> profile = projection::DecodeProfile(bytes);
  if (!profile.ok()) return CheckRefusal(profile.status(), "DecodeProfile");
  // What was read is what would be written back, byte for byte in meaning.
  Result<domain::CustomerState> again =
      projection::DecodeProfile(projection::EncodeProfile(*profile));
  if (!again.ok()) Fail("a decoded profile re-encodes unreadably: " + again.status().ToString());
  if (!(*again == *profile)) Fail("a decoded profile changes when encoded and decoded again");
  CheckProfileJson(*profile, /*text_is_utf8=*/false);
}

void ReadPayload(std::string_view bytes) {
  Result<const domain::fb::EventPayload*> payload = domain::ReadPayload(bytes);
  if (!payload.ok()) return CheckRefusal(payload.status(), "ReadPayload");
  // Damaged bytes may hold any text; real payloads are authenticated before they are read, and
  // their strings passed the domain's UTF-8 checks. So invalid UTF-8 is replaced here.
  std::string shown = domain::EventDataJson(**payload).dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (shown.empty()) Fail("a payload shows as nothing");
  domain::CustomerState state = TheWorld().customer;
  domain::EventMeta meta{state.id, state.version + 1, kNow, "fuzz"};
  // With the world's items, so an amendment, retraction or job may find the item it names.
  domain::MemoryItems items;
  for (const domain::Item& item : TheWorld().items) items.Remember(item);
  Result<domain::ItemStep> step = domain::FoldEvent(state, **payload, meta, items);
  if (!step.ok()) Fail("FoldEvent failed with items in memory");
  if (state.version != meta.version) Fail("Evolve did not move the state to the event's version");
  if (step->after) {
    std::string item = domain::ItemJson(*step->after)
                           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (item.empty()) Fail("an item shows as nothing");
  }
  CheckProfileJson(state, /*text_is_utf8=*/false);
}

}  // namespace
}  // namespace ledger::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ledger::fuzz;
  ExactCopy bytes(std::string_view(reinterpret_cast<const char*>(data), size));
  ReadEvent(bytes.view());
  ReadRecords(bytes.view());
  ReadProfile(bytes.view());
  ReadItem(bytes.view());
  ReadPayload(bytes.view());
  return 0;
}
