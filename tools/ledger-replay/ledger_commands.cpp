// verify, dump, rebuild, stats: the whole ledger (verify also one customer).
#include <fmt/format.h>

#include <chrono>
#include <limits>
#include <set>
#include <unordered_set>

#include "commands.h"
#include "common/clock.h"
#include "common/hex.h"
#include "progress.h"
#include "service/entry_json.h"
#include "service/store_views.h"

namespace ledger::replay {
namespace {

std::string HashHex(const Hash256& h) {
  return ToHex(HashBytes(h));
}

}  // namespace

Exit RunVerify(const CommonOptions& c, const VerifyOptions& o, std::ostream& out,
               std::ostream& err) {
  Opened opened;
  if (Exit e = Open(c, Access::kReadKeyIfPresent, &opened); e.code != kExitOk) return e;
  const store::EventStore& store = opened.store();
  const store::GlobalHead digest = store.global_head();

  Result<store::VerifyReport> report = store::VerifyReport{};
  if (o.customer) {
    Result<std::optional<store::StreamHead>> head = store.Head(*o.customer);
    if (!head.ok()) return FromStatus(head.status());
    if (!*head) return Fail(kExitNotFound, "no customer " + *o.customer);
    report = store.Verify(*o.customer);
  } else {
    Progress progress("verifying", digest.position, err, StderrIsTerminal());
    report = store.VerifyAll([&](std::uint64_t done) { progress.Update(done); });
  }
  if (!report.ok()) return FromStatus(report.status());

  if (o.format == "json") {
    auto optional = [](const std::optional<std::uint64_t>& v) {
      return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    out << nlohmann::json{{"ok", report->ok},
                          {"customer",
                           o.customer ? nlohmann::json(*o.customer) : nlohmann::json(nullptr)},
                          {"events", report->events_checked},
                          {"position", digest.position},
                          {"head_hash", HashHex(o.customer ? report->head_hash : digest.hash)},
                          {"problem",
                           report->ok ? nlohmann::json(nullptr) : nlohmann::json(report->problem)},
                          {"bad_stream", report->ok || report->bad_stream.empty()
                                             ? nlohmann::json(nullptr)
                                             : nlohmann::json(report->bad_stream)},
                          {"bad_version", optional(report->bad_version)},
                          {"bad_position", optional(report->bad_position)}}
               .dump()
        << "\n";
  } else if (report->ok) {
    out << "ok: " << report->events_checked << " events verified"
        << (o.customer ? " in customer " + *o.customer : std::string()) << "\n";
    if (o.customer) out << "head: hash " << HashHex(report->head_hash) << "\n";
    out << "digest: position " << digest.position << " hash " << HashHex(digest.hash) << "\n";
  } else {
    out << "TAMPERED: " << report->problem;
    if (!report->bad_stream.empty()) out << " (customer " << report->bad_stream;
    if (report->bad_version) out << " version " << *report->bad_version;
    if (report->bad_position) {
      out << (report->bad_stream.empty() ? " (" : ", ") << "position " << *report->bad_position;
    }
    if (!report->bad_stream.empty() || report->bad_position) out << ")";
    out << "\n";
  }
  if (!report->ok) {
    return Fail(kExitTampered, "verification failed: " + report->problem);
  }
  return {};
}

Exit RunDump(const CommonOptions& c, const DumpOptions& o, std::ostream& out, std::ostream& err) {
  Opened opened;
  if (Exit e = Open(c, Access::kReadKeyIfPresent, &opened); e.code != kExitOk) return e;
  std::uint64_t printed = 0;
  const std::uint64_t limit = o.limit.value_or(std::numeric_limits<std::uint64_t>::max());
  auto print = [&](const service::FeedEntry& f) {
    if (o.type && f.type != *o.type) return true;
    out << service::FeedEntryJson(f).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
        << "\n";
    return ++printed < limit;
  };
  if (limit == 0) return {};

  if (!opened.ledger) {
    err << "note: no master key (" << (c.key_file.empty() ? c.data_dir + "/master.key" : c.key_file)
        << "): printing envelopes only, data is null\n";
    Status s = opened.store().ScanAll(
        o.after, 0, [&](const store::EventView& e) { return print(service::FeedEnvelope(e)); });
    return FromStatus(s);
  }
  for (std::uint64_t after = o.after;;) {
    Result<std::vector<service::FeedEntry>> page = opened.ledger->Feed(after, 1000);
    if (!page.ok()) return FromStatus(page.status());
    if (page->empty()) break;
    for (const service::FeedEntry& f : *page) {
      if (!print(f)) return {};
    }
    after = page->back().position;
  }
  return {};
}

Exit RunRebuild(const CommonOptions& c, std::ostream& out, std::ostream& err) {
  Opened opened;
  if (Exit e = Open(c, Access::kWrite, &opened); e.code != kExitOk) return e;
  const std::uint64_t total = opened.ledger->Digest().position;
  auto start = std::chrono::steady_clock::now();
  Status s;
  {
    Progress progress("rebuilding", total, err, StderrIsTerminal());
    s = opened.ledger->Rebuild([&](std::uint64_t done) { progress.Update(done); });
  }
  if (!s.ok()) return FromStatus(s);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out << "rebuilt: " << total << " events in " << fmt::format("{:.2f}", seconds) << " s ("
      << fmt::format("{:.0f}", seconds > 0 ? static_cast<double>(total) / seconds : 0.0)
      << " events/s)\n";
  return {};
}

Exit RunStats(const CommonOptions& c, const StatsOptions& o, std::ostream& out) {
  Opened opened;
  if (Exit e = Open(c, Access::kReadKeyIfPresent, &opened); e.code != kExitOk) return e;
  const store::EventStore& store = opened.store();
  const store::GlobalHead digest = store.global_head();

  std::unordered_set<std::string> streams;
  std::int64_t oldest_us = 0;
  std::uint64_t events = 0;
  Status s = store.ScanAll(0, 0, [&](const store::EventView& e) {
    if (events++ == 0) oldest_us = e.recorded_at_us();
    streams.emplace(e.stream());
    return true;
  });
  if (!s.ok()) return FromStatus(s);

  auto time_json = [&](std::int64_t us) {
    return events == 0 ? nlohmann::json(nullptr) : nlohmann::json(FormatRfc3339Micros(us));
  };
  nlohmann::json families = nlohmann::json::object();
  for (std::size_t i = 0; i < store::kColumnFamilyCount; ++i) {
    auto cf = static_cast<store::ColumnFamily>(i);
    auto prop = [&](const char* name) {
      std::optional<std::uint64_t> v = store.IntProperty(cf, name);
      return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    families[std::string(store::ColumnFamilyName(cf))] = {
        {"estimated_keys", prop("rocksdb.estimate-num-keys")},
        {"sst_bytes", prop("rocksdb.total-sst-files-size")},
        {"memtable_bytes", prop("rocksdb.cur-size-all-mem-tables")}};
  }
  nlohmann::json stats = {
      {"events", events},
      {"streams", streams.size()},
      {"oldest_event_at", time_json(oldest_us)},
      {"newest_event_at", time_json(digest.recorded_at_us)},
      {"digest", {{"position", digest.position}, {"head_hash", HashHex(digest.hash)}}},
      {"column_families", families}};
  if (o.format == "json") {
    out << stats.dump(2) << "\n";
    return {};
  }
  out << "events:  " << events << "\n"
      << "streams: " << streams.size() << " (customers)\n"
      << "oldest:  " << (events ? FormatRfc3339Micros(oldest_us) : "-") << "\n"
      << "newest:  " << (events ? FormatRfc3339Micros(digest.recorded_at_us) : "-") << "\n"
      << "digest:  position " << digest.position << " hash " << HashHex(digest.hash) << "\n"
      << fmt::format("{:<14} {:>16} {:>16} {:>16}\n", "column family", "keys (estimate)",
                     "table bytes", "memtable bytes");
  for (auto& [name, f] : families.items()) {
    auto text = [](const nlohmann::json& v) { return v.is_null() ? std::string("-") : v.dump(); };
    out << fmt::format("{:<14} {:>16} {:>16} {:>16}\n", name, text(f["estimated_keys"]),
                       text(f["sst_bytes"]), text(f["memtable_bytes"]));
  }
  return {};
}

}  // namespace ledger::replay
