#include "append_bench.h"

#include <fmt/core.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "payloads.h"
#include "raw_db.h"
#include "stats.h"
#include "store/event_store.h"
#include "temp_dir.h"
#include "timed_run.h"

namespace ledger::bench {

namespace {

using store::Durability;

std::string_view Name(Durability durability) {
  return durability == Durability::kSync ? "sync" : "async";
}

// What one appender thread of `threads` writes as its n-th value: together the threads walk
// through the whole pool, so neighbouring records differ.
const std::string& NthValue(const std::vector<std::string>& pool, std::size_t threads,
                            std::size_t thread, std::uint64_t n) {
  return pool[(n * threads + thread) % pool.size()];
}

struct OursRun {
  double events_per_second = 0;
  std::size_t record_bytes = 0;  // size of one stored EventRecord
};

Result<OursRun> AppendOurs(const WorkArea& area, Durability durability, std::size_t appenders,
                           double seconds, const std::vector<std::string>& payloads) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("append-ours-"));
  store::StoreOptions options;
  options.durability = durability;
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<store::EventStore> store,
                          store::EventStore::Open(dir.str(), options));
  store::EventMetadata metadata;
  metadata.actor = "bench";
  metadata.source = "bench";

  auto append_loop = [&](std::size_t thread,
                         const std::atomic<bool>& stop) -> Result<std::uint64_t> {
    std::string stream = fmt::format("bench-{}", thread);
    std::uint64_t n = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      std::vector<store::NewEvent> events(1);
      events[0].type = "bench.appended";
      events[0].payload = NthValue(payloads, appenders, thread, n);
      Result<store::AppendResult> appended = store->Append(store::AppendRequest::ForStream(
          stream, store::ExpectedVersion::Any(), std::move(events), metadata));
      if (!appended.ok()) return appended.status();
      ++n;
    }
    return n;
  };
  Result<double> rate = RunTimed(appenders, seconds, append_loop);
  if (!rate.ok()) return rate.status();

  // The raw baselines write values of exactly this size.
  LEDGER_ASSIGN_OR_RETURN(store::Event first, store->ReadEvent(1));
  return OursRun{*rate, first.view().bytes().size()};
}

Result<double> RawPuts(const WorkArea& area, Durability durability, std::size_t threads,
                       double seconds, const std::vector<std::string>& values) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("append-raw-puts-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw, RawDb::Open(dir.str(), RawDb::Mode::kCreate));
  rocksdb::WriteOptions write_options;
  write_options.sync = durability == Durability::kSync;
  std::atomic<std::uint64_t> next_key{1};

  auto put_loop = [&](std::size_t thread, const std::atomic<bool>& stop) -> Result<std::uint64_t> {
    std::string key;
    std::uint64_t n = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      key.clear();
      PutU64BE(&key, next_key.fetch_add(1, std::memory_order_relaxed));
      rocksdb::Status s =
          raw->db()->Put(write_options, raw->events(), key, NthValue(values, threads, thread, n));
      if (!s.ok()) return FromRocksDb(s, "raw put");
      ++n;
    }
    return n;
  };
  return RunTimed(threads, seconds, put_loop);
}

Result<double> RawBatches(const WorkArea& area, Durability durability, std::size_t batch_size,
                          double seconds, const std::vector<std::string>& values) {
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("append-raw-batches-"));
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw, RawDb::Open(dir.str(), RawDb::Mode::kCreate));
  rocksdb::WriteOptions write_options;
  write_options.sync = durability == Durability::kSync;

  auto batch_loop = [&](std::size_t, const std::atomic<bool>& stop) -> Result<std::uint64_t> {
    rocksdb::WriteBatch batch;
    std::string key;
    std::uint64_t n = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      batch.Clear();
      for (std::size_t i = 0; i < batch_size; ++i) {
        key.clear();
        PutU64BE(&key, n + i + 1);
        rocksdb::Status s = batch.Put(raw->events(), key, NthValue(values, 1, 0, n + i));
        if (!s.ok()) return FromRocksDb(s, "raw batch put");
      }
      rocksdb::Status s = raw->db()->Write(write_options, &batch);
      if (!s.ok()) return FromRocksDb(s, "raw batch write");
      n += batch_size;
    }
    return n;
  };
  return RunTimed(1, seconds, batch_loop);
}

// The rounds of one (durability, appenders) pair; adds its two figures to `report`.
Status MeasurePair(const AppendOptions& options, const WorkArea& area, Durability durability,
                   std::size_t appenders, const std::vector<std::string>& payloads, Report& report,
                   std::vector<std::size_t>& record_sizes) {
  std::vector<double> ours, puts, batches;
  for (std::size_t round = 1; round <= options.rounds; ++round) {
    std::string what = fmt::format("append {} {} appenders round {}/{}", Name(durability),
                                   appenders, round, options.rounds);
    Result<OursRun> run = AppendOurs(area, durability, appenders, options.seconds, payloads);
    if (!run.ok()) return run.status().WithContext(what + " (ours)");
    record_sizes.push_back(run->record_bytes);

    std::vector<std::string> values = MakeRandomValues(kValuePoolSize, run->record_bytes);
    Result<double> put = RawPuts(area, durability, appenders, options.seconds, values);
    if (!put.ok()) return put.status().WithContext(what + " (raw puts)");
    Result<double> batch = RawBatches(area, durability, appenders, options.seconds, values);
    if (!batch.ok()) return batch.status().WithContext(what + " (raw batches)");

    ours.push_back(run->events_per_second);
    puts.push_back(*put);
    batches.push_back(*batch);
    fmt::print(stderr, "{}: ours {:.0f}, raw puts {:.0f}, raw batches {:.0f} events/s\n", what,
               ours.back(), puts.back(), batches.back());
  }

  Figure figure;
  figure.bench = "append";
  figure.figure = fmt::format("{}_{}_appenders", Name(durability), appenders);
  figure.value = Median(ours);
  figure.value_spread = RelativeSpread(ours);
  figure.unit = "events/s";
  figure.rounds = options.rounds;

  figure.baseline = fmt::format("raw_{}_puts_{}", Name(durability), appenders);
  figure.baseline_value = Median(puts);
  figure.baseline_spread = RelativeSpread(puts);
  report.figures.push_back(figure);
  figure.baseline = fmt::format("raw_{}_batches_{}", Name(durability), appenders);
  figure.baseline_value = Median(batches);
  figure.baseline_spread = RelativeSpread(batches);
  report.figures.push_back(figure);
  return Status::Ok();
}

}  // namespace

Result<Report> RunAppendBench(const AppendOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  std::vector<std::string> payloads = MakeRandomValues(kValuePoolSize, options.payload_bytes);

  Report report;
  std::vector<std::size_t> record_sizes;
  for (Durability durability : options.durabilities) {
    for (std::size_t appenders : options.appenders) {
      LEDGER_RETURN_IF_ERROR(
          MeasurePair(options, area, durability, appenders, payloads, report, record_sizes));
    }
  }

  // Records differ by a byte or two with the length of the stream name.
  auto [smallest, largest] = std::minmax_element(record_sizes.begin(), record_sizes.end());
  std::string record_bytes = *smallest == *largest ? fmt::format("{}", *smallest)
                                                   : fmt::format("{}-{}", *smallest, *largest);
  report.notes = {
      fmt::format("append: medians of {} interleaved rounds of {} s each; ratio = ours / raw",
                  options.rounds, options.seconds),
      fmt::format("ours: single-event appends of {}-byte random payloads, one stream per "
                  "appender thread; one stored EventRecord is {} bytes",
                  options.payload_bytes, record_bytes),
      "raw puts: N threads, one Put per event; raw batches: one thread, WriteBatches of N "
      "values; plain RocksDB configured like the store, values of the record's size",
  };
  return report;
}

}  // namespace ledger::bench
