#include "store/event.h"

#include <flatbuffers/flatbuffers.h>

#include <algorithm>

namespace ledger::store {

namespace {
constexpr std::uintptr_t kAlignment = 8;  // the widest scalar in schema/store.fbs
bool IsAligned(const char* p) {
  return reinterpret_cast<std::uintptr_t>(p) % kAlignment == 0;
}
}  // namespace

std::string_view AlignForFlatBuffers(std::string_view bytes, std::string* scratch) {
  if (IsAligned(bytes.data())) return bytes;
  scratch->assign(bytes);  // heap storage from operator new is 16-byte aligned
  return *scratch;
}

Result<EventView> EventView::Decode(std::string_view bytes) {
  if (!IsAligned(bytes.data())) return Status::Internal("event buffer is not 8-byte aligned");
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!fb::VerifyEventRecordBuffer(verifier)) {
    return Status::Corruption("stored event fails FlatBuffers verification");
  }
  return EventView(bytes, fb::GetEventRecord(data));
}

Uuid EventView::event_id() const {
  Uuid id;
  const auto* src = record_->event_id()->bytes();
  std::copy(src->begin(), src->end(), id.bytes.begin());
  return id;
}

Hash256 EventView::ToHash(const fb::Hash256* h) {
  Hash256 out{};
  std::copy(h->bytes()->begin(), h->bytes()->end(), out.begin());
  return out;
}

Result<Event> Event::Decode(std::string bytes) {
  Status verified = EventView::Decode(bytes).status();
  if (!verified.ok()) return verified;
  return Event(std::move(bytes));
}

EventView Event::view() const {
  // Verified in Decode(); the bytes have not changed since.
  return EventView(bytes_, fb::GetEventRecord(bytes_.data()));
}

}  // namespace ledger::store
