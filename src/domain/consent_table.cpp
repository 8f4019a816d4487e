#include "domain/consent_table.h"

namespace ledger::domain {
namespace {

std::string Str(const flatbuffers::String* s) {
  return s == nullptr ? std::string() : s->str();
}

}  // namespace

Consent ConsentFromTable(const fb::Consent* table) {
  Consent consent;
  if (table == nullptr) return consent;
  consent.channel = table->channel();
  consent.contact_point = Str(table->contact_point());
  consent.status = table->status();
  consent.purpose = table->purpose();
  consent.basis = table->basis();
  consent.expires_at_us = table->expires_at_us();
  consent.jurisdiction = Str(table->jurisdiction());
  consent.method = table->method();
  consent.disclosure_version = Str(table->disclosure_version());
  consent.disclosure_sha256 = Str(table->disclosure_sha256());
  consent.evidence = Str(table->evidence());
  consent.received_at_us = table->received_at_us();
  consent.raw_text = Str(table->raw_text());
  return consent;
}

}  // namespace ledger::domain
