#include "service/store_views.h"

#include "common/hex.h"

namespace ledger::service {

FeedEntry FeedEnvelope(const store::EventView& e) {
  FeedEntry f;
  f.position = e.position();
  f.event_id = e.event_id().ToString();
  f.customer_id = std::string(e.stream());
  f.version = e.version();
  f.type = std::string(e.type());
  f.recorded_at_us = e.recorded_at_us();
  f.actor = std::string(e.actor());
  f.source = std::string(e.source());
  f.hash = ToHex(HashBytes(e.hash()));
  f.data = nullptr;
  return f;
}

VerifyResult VerifyResultOf(const store::VerifyReport& report) {
  VerifyResult out;
  out.ok = report.ok;
  out.events_checked = report.events_checked;
  out.head_hash = ToHex(HashBytes(report.head_hash));
  if (!report.ok) {
    out.first_broken_version = report.bad_version;
    out.first_broken_position = report.bad_position;
    out.problem = report.problem;
  }
  return out;
}

LedgerDigest DigestOf(const store::GlobalHead& head) {
  return {head.position, ToHex(HashBytes(head.hash)), head.recorded_at_us};
}

}  // namespace ledger::service
