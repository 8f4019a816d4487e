#include "domain/payload.h"

#include <flatbuffers/flatbuffers.h>

namespace ledger::domain {

std::string PackEvent(const DomainEvent& event) {
  flatbuffers::FlatBufferBuilder b(256);
  auto member = event.Pack(b);
  fb::EventPayloadBuilder payload(b);
  payload.add_event_type(event.type);
  payload.add_event(member);
  fb::FinishEventPayloadBuffer(b, payload.Finish());
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

Result<const fb::EventPayload*> ReadPayload(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (reinterpret_cast<std::uintptr_t>(data) % 8 != 0) {
    return Status::Internal("event payload buffer is not 8-byte aligned");
  }
  flatbuffers::Verifier verifier(data, bytes.size());
  if (!fb::VerifyEventPayloadBuffer(verifier)) {
    return Status::Corruption("event payload fails FlatBuffers verification");
  }
  const fb::EventPayload* payload = fb::GetEventPayload(data);
  if (payload->event_type() == fb::DomainEvent::NONE ||
      payload->event_type() > fb::DomainEvent::MAX) {
    return Status::Corruption("event payload holds no known event");
  }
  // The verifier accepts a union whose type is set and whose table is absent; every reader of a
  // payload dereferences the table.
  if (payload->event() == nullptr) return Status::Corruption("event payload has no event table");
  return payload;
}

}  // namespace ledger::domain
