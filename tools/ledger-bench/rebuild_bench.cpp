#include "rebuild_bench.h"

#include <fmt/core.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fold_bench.h"
#include "raw_db.h"
#include "service/ledger.h"
#include "stats.h"
#include "temp_dir.h"

namespace ledger::bench {

namespace {

using SteadyClock = std::chrono::steady_clock;
using service::Ledger;

double SecondsSince(SteadyClock::time_point begin) {
  return std::chrono::duration<double>(SteadyClock::now() - begin).count();
}

Result<std::unique_ptr<Ledger>> OpenLedger(const std::string& data_dir) {
  service::LedgerOptions options;
  options.data_dir = data_dir;  // durability: the default, kSync
  return Ledger::Open(std::move(options));
}

Result<double> RebuildOurs(const std::string& data_dir, const PopulatedLedger& populated) {
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(data_dir));
  if (ledger->Digest().position != populated.events) {
    return Status::Internal(fmt::format("the log holds {} events, expected {}",
                                        ledger->Digest().position, populated.events));
  }
  std::uint64_t folded = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  Status rebuilt = ledger->Rebuild([&](std::uint64_t n) { folded = n; });
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(rebuilt);
  if (folded != populated.events) {
    return Status::Internal(
        fmt::format("the rebuild folded {} events, expected {}", folded, populated.events));
  }
  return static_cast<double>(folded) / elapsed;
}

Result<double> ScanRaw(const std::string& data_dir, const PopulatedLedger& populated) {
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<RawDb> raw,
                          RawDb::Open(data_dir + "/rocksdb", RawDb::Mode::kReadOnly));
  rocksdb::ReadOptions read_options;
  read_options.adaptive_readahead = true;  // as EventStore::ScanAll
  std::unique_ptr<rocksdb::Iterator> it(raw->db()->NewIterator(read_options, raw->events()));
  std::uint64_t events = 0;
  std::uint64_t value_bytes = 0;
  SteadyClock::time_point begin = SteadyClock::now();
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++events;
    value_bytes += it->value().size();
  }
  double elapsed = SecondsSince(begin);
  LEDGER_RETURN_IF_ERROR(FromRocksDb(it->status(), "iterating the events column family"));
  if (events != populated.events || value_bytes == 0) {
    return Status::Internal(
        fmt::format("raw read {} events, expected {}", events, populated.events));
  }
  return static_cast<double>(events) / elapsed;
}

// The rebuilt projection must be the fold of the log, or the rate means nothing.
Status CheckRebuilt(const std::string& data_dir, const PopulatedLedger& populated) {
  LEDGER_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(data_dir));
  for (const std::string& id : populated.customers) {
    LEDGER_ASSIGN_OR_RETURN(domain::CustomerState profile, ledger->Profile(id));
    LEDGER_ASSIGN_OR_RETURN(domain::CustomerState folded, ledger->FoldFromLog(id, profile.version));
    if (!(profile == folded)) {
      return Status::Internal("the rebuilt profile of " + id + " is not the fold of its stream");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Report> RunRebuildBench(const RebuildOptions& options) {
  LEDGER_ASSIGN_OR_RETURN(WorkArea area, WorkArea::Create(options.dir));
  LEDGER_ASSIGN_OR_RETURN(TempDir dir, area.NewDir("rebuild-"));
  LEDGER_ASSIGN_OR_RETURN(
      PopulatedLedger populated,
      PopulateLedger(dir.str(), options.customers, options.events, "rebuild: populating"));

  // One unmeasured pass each, so both find the files in the OS page cache.
  LEDGER_RETURN_IF_ERROR(
      RebuildOurs(dir.str(), populated).status().WithContext("rebuild: warming (ours)"));
  LEDGER_RETURN_IF_ERROR(CheckRebuilt(dir.str(), populated).WithContext("rebuild: checking"));
  LEDGER_RETURN_IF_ERROR(
      ScanRaw(dir.str(), populated).status().WithContext("rebuild: warming (raw)"));

  std::vector<double> ours, raw;
  for (std::size_t round = 1; round <= options.rounds; ++round) {
    std::string what = fmt::format("rebuild round {}/{}", round, options.rounds);
    auto measure_ours = [&]() -> Status {
      Result<double> r = RebuildOurs(dir.str(), populated);
      if (!r.ok()) return r.status().WithContext(what + " (ours)");
      ours.push_back(*r);
      return Status::Ok();
    };
    auto measure_raw = [&]() -> Status {
      Result<double> r = ScanRaw(dir.str(), populated);
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
    fmt::print(stderr, "{}: rebuild {:.0f}, raw scan {:.0f} events/s\n", what, ours.back(),
               raw.back());
  }

  Report report;
  report.notes = {
      fmt::format("rebuild: medians of {} interleaved rounds over {} events of {} customers "
                  "(the fold benchmark's mix), compacted, OS cache warm; ratio = ours / raw",
                  options.rounds, populated.events, populated.customers.size()),
      "ours: Ledger::Rebuild() (clear the projection families, ScanAll, open + Evolve every "
      "event, snapshot rows, profile and index rows), durability sync; raw: plain RocksDB "
      "read-only iterator over the events column family of the same directory, touching each "
      "value; opens not timed",
      "target: rebuild >= 0.5 x raw scan",
  };
  Figure figure;
  figure.bench = "rebuild";
  figure.figure = "rebuild";
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
