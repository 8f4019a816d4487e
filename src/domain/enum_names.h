// The names of the domain's enumerations in the JSON API: snake_case of the schema's names
// ("LeftVoicemail" -> "left_voicemail"). One mapping for output (EnumName) and input
// (ParseEnum), so they cannot drift apart. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain_generated.h"

namespace ledger::domain {

// "LeftVoicemail" -> "left_voicemail", "CaslEmail" -> "casl_email".
std::string SnakeCase(std::string_view schema_name);

template <class E>
struct EnumInfo;  // specialised below for every enum the API exposes

#define LEDGER_DOMAIN_ENUM_INFO(E)                                         \
  template <>                                                              \
  struct EnumInfo<fb::E> {                                                 \
    static const auto& values() { return fb::EnumValues##E(); }            \
    static const char* schema_name(fb::E v) { return fb::EnumName##E(v); } \
  }

LEDGER_DOMAIN_ENUM_INFO(CustomerKind);
LEDGER_DOMAIN_ENUM_INFO(PhoneKind);
LEDGER_DOMAIN_ENUM_INFO(ContactTime);
LEDGER_DOMAIN_ENUM_INFO(PreferredMethod);
LEDGER_DOMAIN_ENUM_INFO(Channel);
LEDGER_DOMAIN_ENUM_INFO(ConsentStatus);
LEDGER_DOMAIN_ENUM_INFO(ConsentPurpose);
LEDGER_DOMAIN_ENUM_INFO(ConsentBasis);
LEDGER_DOMAIN_ENUM_INFO(ConsentMethod);
LEDGER_DOMAIN_ENUM_INFO(CallOutcome);
LEDGER_DOMAIN_ENUM_INFO(CommunicationChannel);
LEDGER_DOMAIN_ENUM_INFO(Direction);
LEDGER_DOMAIN_ENUM_INFO(JobStatus);
LEDGER_DOMAIN_ENUM_INFO(ManagedBy);
LEDGER_DOMAIN_ENUM_INFO(InboundOutcome);
LEDGER_DOMAIN_ENUM_INFO(ReviewDecision);

#undef LEDGER_DOMAIN_ENUM_INFO

template <class E>
std::string EnumName(E value) {
  return SnakeCase(EnumInfo<E>::schema_name(value));
}

// The value whose API name is `name`, if any.
template <class E>
std::optional<E> ParseEnum(std::string_view name) {
  for (E v : EnumInfo<E>::values()) {
    if (EnumName(v) == name) return v;
  }
  return std::nullopt;
}

}  // namespace ledger::domain
