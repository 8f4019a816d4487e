// ledger-bench scale (issue 11): what a large ledger costs, measured on a directory that
// `ledger-bench populate` wrote, next to the same measurements on a small ledger populated in the
// same run (start-up, reads, memory) or next to the raw limit on the same directory (replay,
// disk). The commands behind each figure are in the report's notes and in `scale --help`.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"
#include "http/server.h"
#include "report.h"

namespace ledger::bench {

struct ScaleOptions {
  std::string data;     // a data directory `ledger-bench populate` finished; required
  std::string ledgerd;  // empty: next to ledger-bench or in its build tree
  std::string replay;   // empty: next to ledger-bench or in its build tree (tools/ledger-replay)
  std::string wrk = "wrk";
  // The small ledger the HTTP figures are compared with: this many customers, the same seed and
  // the same events per customer as the large one.
  std::size_t small_customers = 10'000;
  std::size_t rounds = 3;
  std::size_t seconds = 3;       // duration of each wrk run (whole seconds)
  std::size_t connections = 16;  // wrk's -c
  std::size_t wrk_threads = 2;   // wrk's -t
  std::size_t threads = ledger::http::DefaultHandlerThreads();  // ledgerd's --threads
  // GET /v1/customers/{id} picks one of this many customers (drawn once from the ledger's) at
  // random per request: more than ledgerd caches, so most reads are not cache hits.
  std::size_t sample = 100'000;
  std::size_t queries = 1'000;  // distinct search queries of each kind
  std::string dir;  // scratch (small ledger, copies); empty: a new directory in the temp dir
  // Only start-up, reads and memory: no verify, rebuild or compaction (the bulk of a run's
  // time at a million customers), for re-measuring the serving side after a change to it.
  bool serving_only = false;
};

// Before anything: reads DATA/populate.json, opens the ledger read-only (that open fails when the
// projections need a rebuild, which ledgerd would then run at start: the bench refuses such a
// directory) and scans its log once for the payload bytes; populates the small ledger. Then
// starts ledgerd once on each and times it to ready: the first start after populate, which
// replays the write-ahead log that populate's close left (see MeasureFirstStart).
// Per round (medians reported; the two ledgers alternate which goes first), for each ledger:
//   start-up  spawn ledgerd on it (free port, sync durability, a bench key) and time until
//             GET /readyz answers 200 (polled every millisecond); VmRSS of /proc/PID/status
//   reads     wrk --latency with a Lua script that picks a random line of a file of paths per
//             request: GET /v1/customers/{id} of sampled customers; GET /v1/customers?q= a last
//             name's first four letters; ?q= the phone number of a random customer; each after
//             an unmeasured 1 s warm-up; then VmRSS again, and ledgerd is stopped
// Then, unless serving_only, per round, on the large ledger only (order alternating):
//   verify    ledger-replay verify --data DATA --format json (the whole process timed)
//   rebuild   ledger-replay rebuild --data COPY, COPY a RocksDB checkpoint of DATA (hard links)
//             with its master key: rebuild rewrites the projections, never DATA's (timed whole)
//   raw       a plain read-only RocksDB iterator over the events column family of DATA (the scan
//             benchmark's raw side; the open not timed)
// Last, once: the SST bytes of DATA as the run leaves it (not compacted), and of a checkpoint after
// a full compaction (every column family flushed and compacted to the bottom level), per event,
// next to the sealed payload bytes per event. Progress goes to stderr.
Result<Report> RunScaleBench(const ScaleOptions& options);

}  // namespace ledger::bench
