#include "store/heads.h"

#include <rocksdb/iterator.h>

#include <limits>
#include <memory>

#include "common/bytes.h"
#include "store/event.h"
#include "store/keys.h"
#include "store/records.h"

namespace ledger::store {

Result<std::optional<StreamHead>> ReadHead(const Rocks& rocks, std::string_view stream,
                                           const rocksdb::Snapshot* snapshot) {
  const std::string prefix = keys::StreamPrefix(stream);
  const std::string lower = keys::Stream(stream, 0);
  const std::string last = keys::Stream(stream, std::numeric_limits<std::uint64_t>::max());
  rocksdb::Slice lower_slice(lower);
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  ro.iterate_lower_bound = &lower_slice;
  std::unique_ptr<rocksdb::Iterator> it(
      rocks.db()->NewIterator(ro, rocks.cf(ColumnFamily::kStreams)));
  it->SeekForPrev(last);
  LEDGER_RETURN_IF_ERROR(FromRocks(it->status(), "reading a stream head"));
  if (!it->Valid()) return std::optional<StreamHead>();

  const std::string_view key(it->key().data(), it->key().size());
  std::optional<std::uint64_t> version = keys::DecodeStreamVersion(key, prefix);
  if (!version || it->value().size() != 8) {
    return Status::Corruption("malformed streams index entry for '" + std::string(stream) + "'");
  }
  StreamHead head;
  head.version = *version;
  head.last_position = GetU64BE(std::string_view(it->value().data(), 8));

  LEDGER_ASSIGN_OR_RETURN(
      std::optional<std::string> bytes,
      rocks.Get(ColumnFamily::kEvents, keys::Event(head.last_position), snapshot));
  if (!bytes) {
    return Status::Corruption("stream '" + std::string(stream) + "' version " +
                              std::to_string(head.version) + " points to a missing event");
  }
  Result<EventView> event = EventView::Decode(*bytes);
  if (!event.ok()) {
    return Status::Corruption("event at position " + std::to_string(head.last_position) + ": " +
                              event.status().message());
  }
  if (event->stream() != stream || event->version() != head.version) {
    return Status::Corruption("stream index entry for '" + std::string(stream) +
                              "' points to a different event");
  }
  head.hash = event->hash();
  head.updated_at_us = event->recorded_at_us();

  LEDGER_ASSIGN_OR_RETURN(
      std::optional<std::string> status,
      rocks.Get(ColumnFamily::kStreamStatus, keys::StreamStatusKey(stream), snapshot));
  if (status) {
    LEDGER_ASSIGN_OR_RETURN(StreamStatusChange decoded, DecodeStreamStatus(*status));
    head.status = decoded.status;
    head.merged_into = std::move(decoded.merged_into);
  }
  return std::optional<StreamHead>(std::move(head));
}

}  // namespace ledger::store
