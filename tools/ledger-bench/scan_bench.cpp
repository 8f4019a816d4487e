#include "scan_bench.h"

#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "payloads.h"
#include "raw_db.h"
#include "stats.h"
#include "store/event_store.h"
#include "temp_dir.h"

namespace ledger::bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kPopulateAppenders = 8;
constexpr std::size_t kStreams = 1000;

double SecondsSince(Clock::time_point begin) {
  return std::chrono::duration<double>(Clock::now() - begin).count();
}

// Appends events thread, thread + kPopulateAppenders, ... of the `count`, one per append.
// Event i goes to stream i % kStreams, so a stream is only ever written by one thread.
Status AppendShare(store::EventStore& store, std::size_t thread, std::size_t count,
                   const std::vector<std::string>& payloads) {
  store::EventMetadata metadata;
  metadata.actor = "bench";
  metadata.source = "bench";
  for (std::size_t i = thread; i < count; i += kPopulateAppenders) {
    std::vector<store::NewEvent> events(1);
    events[0].type = "bench.appended";
    events[0].payload = payloads[i % payloads.size()];
    Result<store::AppendResult> appended = store.Append(store::AppendRequest::ForStream(
        fmt::format("scan-{}", i % kStreams), store::ExpectedVersion::Any(), std::move(events),
        metadata));
    if (!appended.ok()) return appended.status();
  }
  return Status::Ok();
}

Status Populate(const std::string& dir, const ScanOptions& options) {
  store::StoreOptions store_options;
  store_options.durability = store::Durability::kAsync;
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<store::EventStore> store,
                          store::EventStore::Open(dir, store_options));
  std::vector<std::string> payloads = MakeRandomValues(kValuePoolSize, options.payload_bytes);
  std::vector<Status> results(kPopulateAppenders);
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < kPopulateAppenders; ++t) {
      threads.emplace_back(
          [&, t] { results[t] = AppendShare(*store, t, options.events, payloads); });
    }
  }  // the jthreads join here
  for (const Status& s : results) LEDGER_RETURN_IF_ERROR(s);
  if (store->global_head().position != options.events) {
    return Status::Internal(fmt::format("populated {} events, expected {}",
                                        store->global_head().position, options.events));
  }
  return Status::Ok();
}

Result<double> ScanOurs(const std::string& dir, const ScanOptions& options) {
  store::StoreOptions store_options;
  store_options.create_if_missing = false;
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<store::EventStore> store,
                          store::EventStore::Open(dir, store_options));
  std::uint64_t events = 0;
  std::uint64_t payload_bytes = 0;
  Clock::time_point begin = Clock::now();
  Status scanned = store->ScanAll(0, 0, [&](const store::EventView& event) {
    ++events;
    payload_bytes += event.payload().size();
    return true;
  });
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(scanned);
  if (events != options.events || payload_bytes != options.events * options.payload_bytes) {
    return Status::Internal(fmt::format("ours read {} events with {} payload bytes, expected {}",
                                        events, payload_bytes, options.events));
  }
  return static_cast<double>(events) / elapsed;
}

Result<double> ScanRaw(const std::string& dir, const ScanOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw, RawDb::Open(dir, RawDb::Mode::kReadOnly));
  rocksdb::ReadOptions read_options;
  read_options.adaptive_readahead = true;  // as EventStore::ScanAll
  std::unique_ptr<rocksdb::Iterator> it(raw->db()->NewIterator(read_options, raw->events()));
  std::uint64_t events = 0;
  std::uint64_t value_bytes = 0;
  Clock::time_point begin = Clock::now();
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++events;
    value_bytes += it->value().size();
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(FromRocksDb(it->status(), "iterating the events column family"));
  // Every record holds its payload, so the values cannot be smaller than the payloads.
  if (events != options.events || value_bytes < options.events * options.payload_bytes) {
    return Status::Internal(fmt::format("raw read {} events with {} value bytes, expected {}",
                                        events, value_bytes, options.events));
  }
  return static_cast<double>(events) / elapsed;
}

}  // namespace

Result<Report> RunScanBench(const ScanOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("scan-"));

  Clock::time_point begin = Clock::now();
  LEDGER_RETURN_IF_ERROR(Populate(dir.str(), options).WithContext("scan: populating"));
  fmt::print(stderr, "scan: populated {} events in {:.1f} s\n", options.events,
             SecondsSince(begin));
  // Flushed and fully compacted, the files no longer change: every round reads the same ones,
  // with no flush or compaction running in the background.
  {
    LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw,
                            RawDb::Open(dir.str(), RawDb::Mode::kReadWrite));
    LEDGER_RETURN_IF_ERROR(raw->CompactAll().WithContext("scan: compacting"));
  }

  // One unmeasured pass each, so both find the files in the OS page cache.
  LEDGER_RETURN_IF_ERROR(ScanOurs(dir.str(), options).status().WithContext("scan: warming (ours)"));
  LEDGER_RETURN_IF_ERROR(ScanRaw(dir.str(), options).status().WithContext("scan: warming (raw)"));

  std::vector<double> ours, raw;
  for (std::size_t round = 1; round <= options.rounds; ++round) {
    std::string what = fmt::format("scan round {}/{}", round, options.rounds);
    auto measure_ours = [&]() -> Status {
      Result<double> r = ScanOurs(dir.str(), options);
      if (!r.ok()) return r.status().WithContext(what + " (ours)");
      ours.push_back(*r);
      return Status::Ok();
    };
    auto measure_raw = [&]() -> Status {
      Result<double> r = ScanRaw(dir.str(), options);
      if (!r.ok()) return r.status().WithContext(what + " (raw)");
      raw.push_back(*r);
      return Status::Ok();
    };
    // Alternate which side goes first, so that neither always runs right after the other.
    if (round % 2 == 1) {
      LEDGER_RETURN_IF_ERROR(measure_ours());
      LEDGER_RETURN_IF_ERROR(measure_raw());
    } else {
      LEDGER_RETURN_IF_ERROR(measure_raw());
      LEDGER_RETURN_IF_ERROR(measure_ours());
    }
    fmt::print(stderr, "{}: ours {:.0f}, raw {:.0f} events/s\n", what, ours.back(), raw.back());
  }

  Report report;
  report.notes = {
      fmt::format("scan: medians of {} interleaved rounds over {} events of {}-byte payloads in "
                  "{} streams, compacted, OS cache warm; ratio = ours / raw",
                  options.rounds, options.events, options.payload_bytes, kStreams),
      "ours: EventStore::ScanAll over the whole log, touching each payload; raw: plain RocksDB "
      "read-only iterator over the events column family, touching each value; opens not timed",
  };
  Figure figure;
  figure.bench = "scan";
  figure.figure = "scan_all";
  figure.value = Median(ours);
  figure.value_spread = RelativeSpread(ours);
  figure.unit = "events/s";
  figure.baseline = "raw_iterate_events";
  figure.baseline_value = Median(raw);
  figure.baseline_spread = RelativeSpread(raw);
  figure.rounds = options.rounds;
  report.figures.push_back(figure);
  return report;
}

}  // namespace ledger::bench
