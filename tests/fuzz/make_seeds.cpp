// Writes the seed corpus of flatbuffers_fuzz: real stored forms of the fuzz world's customer
// (every event payload that built it, its profile, an event envelope, the store's other records).
// The files are committed under tests/fuzz/corpus/flatbuffers_fuzz/; rerun this when a schema
// changes:
//
//   build-fuzz/tests/fuzz/make_fuzz_seeds tests/fuzz/corpus/flatbuffers_fuzz
#include <flatbuffers/flatbuffers.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "domain/payload.h"
#include "fuzz_world.h"
#include "projection/item_rows.h"
#include "projection/profile_codec.h"
#include "store/chain.h"
#include "store/records.h"

namespace ledger::fuzz {
namespace {

bool Write(const std::string& dir, const std::string& name, std::string_view bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::printf("%s/%s (%zu bytes)\n", dir.c_str(), name.c_str(), bytes.size());
  return out.good();
}

int Run(const std::string& dir) {
  const World& w = TheWorld();
  bool ok = true;
  for (std::size_t i = 0; i < w.payloads.size(); ++i) {
    ExactCopy stored(w.payloads[i]);
    Result<const domain::fb::EventPayload*> p = domain::ReadPayload(stored.view());
    std::string type = p.ok() ? domain::fb::EnumNameDomainEvent((*p)->event_type()) : "unknown";
    ok = ok && Write(dir, "payload-" + std::to_string(i + 1) + "-" + type, w.payloads[i]);
  }
  ok = ok && Write(dir, "profile", projection::EncodeProfile(w.customer));
  for (const domain::Item& item : w.items) {
    ok = ok && Write(dir, "item-" + std::string(1, static_cast<char>(item.list())),
                     projection::EncodeItem(item));
  }

  // The envelope of the customer's second event, as the store writes it (unsealed payload).
  store::EnvelopeFields fields;
  fields.position = 2;
  fields.stream = w.customer.id;
  fields.version = 2;
  fields.recorded_at_us = kNow;
  fields.event_id.bytes[0] = 0x01;
  fields.type = "ConsentGranted";
  fields.schema_version = domain::kPayloadSchemaVersion;
  fields.actor = "root";
  fields.source = "api";
  fields.reason = "asked on the phone";
  fields.payload = w.payloads.at(1);
  store::ChainHasher hasher;
  Hash256 prev{};
  prev[0] = 0xAB;
  Hash256 hash = hasher.EventHash(prev, fields);
  Hash256 global = hasher.GlobalHash(prev, hash);
  flatbuffers::FlatBufferBuilder builder;
  ok = ok && Write(dir, "event", store::BuildEventRecord(builder, fields, prev, hash, global));

  ok = ok && Write(dir, "stream-status",
                   store::EncodeStreamStatus({store::StreamStatus::kMerged, "cus-2"}));
  store::IdempotencyEntry entry;
  entry.fingerprint = hash;
  entry.result = {{{"cus-1", 3, 4}, {"cus-2", 7, 7}}, 10, 12, kNow, false};
  ok = ok && Write(dir, "idempotency", store::EncodeIdempotency(entry));
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace ledger::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  return ledger::fuzz::Run(argv[1]);
}
