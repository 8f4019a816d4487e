#include "service/event_codec.h"

#include "domain/payload.h"

namespace ledger::service {
namespace {

std::string PayloadAad(std::string_view customer, std::string_view type, std::uint32_t version) {
  std::string aad = "event:";
  aad += customer;
  aad += ':';
  aad += type;
  aad += ':';
  aad += std::to_string(version);
  return aad;
}

std::string ReasonAad(std::string_view customer) {
  return "reason:" + std::string(customer);
}

}  // namespace

store::NewEvent SealEvent(const domain::DomainEvent& event, std::string_view packed,
                          SharedAead& key, std::string_view customer) {
  store::NewEvent e;
  e.type = std::string(domain::EventTypeName(event));
  e.schema_version = domain::kPayloadSchemaVersion;
  e.payload = key.Seal(PayloadAad(customer, e.type, e.schema_version), packed);
  return e;
}

Result<const domain::fb::EventPayload*> OpenPayload(const store::EventView& event, SharedAead& key,
                                                    std::string* buffer) {
  if (event.schema_version() == 0 || event.schema_version() > domain::kPayloadSchemaVersion) {
    return Status::Corruption("event at position " + std::to_string(event.position()) +
                              " has payload schema " + std::to_string(event.schema_version()) +
                              ", newer than this build reads");
  }
  Status opened = key.OpenInto(PayloadAad(event.stream(), event.type(), event.schema_version()),
                               event.payload(), buffer);
  if (!opened.ok()) {
    return opened.WithContext("payload of event " + std::to_string(event.position()));
  }
  Result<const domain::fb::EventPayload*> payload = domain::ReadPayload(*buffer);
  if (payload.ok() && domain::fb::EnumNameDomainEvent((*payload)->event_type()) != event.type()) {
    return Status::Corruption("event at position " + std::to_string(event.position()) +
                              ": payload type differs from the envelope's");
  }
  return payload;
}

std::string SealReason(std::string_view reason, SharedAead& key, std::string_view customer) {
  return reason.empty() ? std::string() : key.Seal(ReasonAad(customer), reason);
}

Result<std::string> OpenReason(const store::EventView& event, SharedAead& key) {
  if (event.reason().empty()) return std::string();
  return key.Open(ReasonAad(event.stream()), event.reason());
}

domain::EventMeta MetaOf(const store::EventView& e) {
  return {e.stream(), e.version(), e.recorded_at_us(), e.actor()};
}

}  // namespace ledger::service
