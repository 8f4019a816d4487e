// Reading a stream's head (internal). A head is not stored as such: the version and position
// are the stream's last `streams` index entry, the hash and time come from that event, and the
// status from `stream_status` (absent = active). Keeping no head row saves a write per append.
#pragma once

#include <optional>
#include <string_view>

#include "common/result.h"
#include "store/rocks.h"
#include "store/types.h"
#include "store/visibility.h"

namespace ledger::store {

// nullopt when the stream has no events. kCorruption when the index, the event or the status
// row is damaged. `snapshot` may be null (latest state).
Result<std::optional<StreamHead>> ReadHead(const Rocks& rocks, std::string_view stream,
                                           const rocksdb::Snapshot* snapshot);

}  // namespace ledger::store
