// ledger-bench append: append throughput of the store next to raw RocksDB writes of the same
// bytes with the same durability.
#pragma once

#include "common/result.h"
#include "options.h"
#include "report.h"

namespace ledger::bench {

// For every durability and appender count N, per round (interleaved, medians reported):
//   ours         N threads, each appending one event at a time to its own stream
//   raw puts     N threads, one RocksDB Put per event, values the size of our stored records
//   raw batches  one thread writing WriteBatches of N such values (the ideal group commit)
// Progress goes to stderr.
Result<Report> RunAppendBench(const AppendOptions& options);

}  // namespace ledger::bench
