#include "store/rocks.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

#include "store/event_store.h"
#include "store/rocksdb_options.h"

namespace ledger::store {

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  std::string message(context);
  message += ": ";
  message += s.ToString();
  if (s.IsCorruption()) return Status::Corruption(std::move(message));
  if (s.IsNotFound()) return Status::NotFound(std::move(message));
  if (s.IsInvalidArgument()) return Status::InvalidArgument(std::move(message));
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain() || s.IsShutdownInProgress()) {
    return Status::Unavailable(std::move(message));
  }
  return Status::IOError(std::move(message));
}

namespace {

Result<std::string> MakeTempDir() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "ledger-secondary-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::IOError("creating a temporary directory in " + base.string() + ": " +
                           std::strerror(errno));
  }
  return pattern;
}

// The stream part of a `streams` key (everything but the trailing u64 version). Used as a
// memtable insert hint: a stream's new versions always land right after its previous one.
class StreamKeyPrefix : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "ledger.StreamKeyPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key.size() - 8);
  }
  bool InDomain(const rocksdb::Slice& key) const override { return key.size() > 8; }
};

}  // namespace

rocksdb::ColumnFamilyOptions StoreColumnFamilyOptions(
    ColumnFamily family, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.format_version = 5;
  if (family != ColumnFamily::kEvents) {
    // Point lookups (heads, idempotency, profiles, index) skip files that lack the key.
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    t.whole_key_filtering = true;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.level_compaction_dynamic_level_bytes = true;
  o.compression = rocksdb::kLZ4Compression;
  o.bottommost_compression = rocksdb::kZSTD;
  // Appends insert ascending keys: positions in `events`, versions per stream in `streams`.
  // Remembering the last insert position per prefix makes those memtable inserts O(1).
  if (family == ColumnFamily::kEvents) {
    o.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(0));
  } else if (family == ColumnFamily::kStreams) {
    o.memtable_insert_with_hint_prefix_extractor = std::make_shared<StreamKeyPrefix>();
  } else if (family == ColumnFamily::kProfiles) {
    // A customer's profile row is rewritten by every change: hint by the whole key.
    o.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewNoopTransform());
  }
  return o;
}

rocksdb::DBOptions StoreDbOptions(const StoreOptions& options) {
  rocksdb::DBOptions o;
  o.create_if_missing = options.create_if_missing;
  o.create_missing_column_families = true;
  o.paranoid_checks = true;
  // After a crash, recover every synced write and stop at the first torn record at the tail of
  // the WAL (only unacknowledged writes can be torn).
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  o.max_background_jobs = 2;
  o.bytes_per_sync = 1 << 20;
  o.keep_log_file_num = 5;
  // What a restart after a crash replays is bounded: past this much write-ahead log, RocksDB
  // flushes the families that keep the oldest log alive (a rarely written family would otherwise
  // pin every log since its last flush: 828 MiB, 4.6 s of replay, after a million customers).
  // A clean close flushes everything (EventStore's destructor), so its restart replays nothing.
  o.max_total_wal_size = std::uint64_t{256} << 20;
  if (options.env != nullptr) o.env = options.env;
  return o;
}

Result<std::unique_ptr<Rocks>> Rocks::Open(const std::string& dir, const StoreOptions& options) {
  std::error_code ec;
  bool exists = std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", ec);
  if (!exists && (!options.create_if_missing || options.read_only)) {
    return Status::NotFound("no ledger in " + dir);
  }

  rocksdb::DBOptions db_options = StoreDbOptions(options);

  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);

  // A ledger written by a newer version may have column families we do not know: refuse it
  // rather than silently ignore part of the data.
  std::vector<std::string> existing;
  if (exists) {
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, dir, &existing);
    if (!s.ok()) return FromRocks(s, "listing column families of " + dir);
    std::set<std::string> known = {rocksdb::kDefaultColumnFamilyName};
    for (std::size_t i = 0; i < kColumnFamilyCount; ++i) {
      known.insert(std::string(ColumnFamilyName(static_cast<ColumnFamily>(i))));
    }
    for (const std::string& name : existing) {
      if (!known.contains(name)) {
        return Status::Corruption("unknown column family '" + name + "' in " + dir +
                                  " (written by a newer version?)");
      }
    }
  }

  // A ledger written before a caller-owned family was added lacks it. Opening for writing
  // creates it (create_missing_column_families); a read-only instance cannot create anything,
  // so it opens the families that exist and reads the missing ones as empty (cf() is null).
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  std::vector<ColumnFamily> opened;  // the family of descriptors[i + 1]
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (std::size_t i = 0; i < kColumnFamilyCount; ++i) {
    auto family = static_cast<ColumnFamily>(i);
    std::string name(ColumnFamilyName(family));
    if (options.read_only && IsCallerOwned(family) &&
        std::find(existing.begin(), existing.end(), name) == existing.end()) {
      continue;
    }
    descriptors.emplace_back(std::move(name), StoreColumnFamilyOptions(family, cache));
    opened.push_back(family);
  }

  std::unique_ptr<Rocks> rocks(new Rocks);
  rocks->read_only_ = options.read_only;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.read_only) {
    std::string secondary = options.secondary_dir;
    if (secondary.empty()) {
      LEDGER_ASSIGN_OR_RETURN(secondary, MakeTempDir());
      rocks->temp_secondary_dir_ = secondary;
    }
    // A secondary keeps every table file it uses open, so the primary's compactions cannot pull
    // files from under it.
    db_options.max_open_files = -1;
    s = rocksdb::DB::OpenAsSecondary(db_options, dir, secondary, descriptors, &handles, &raw);
    if (s.ok()) {
      rocks->db_.reset(raw);
      s = raw->TryCatchUpWithPrimary();
    }
  } else {
    s = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw);
    if (s.ok()) rocks->db_.reset(raw);
  }
  if (!s.ok()) {
    for (rocksdb::ColumnFamilyHandle* h : handles) {
      if (rocks->db_) rocks->db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    }
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return Status::Unavailable("opening " + dir + ": in use by another process (" + s.ToString() +
                                 ")");
    }
    return FromRocks(s, "opening " + dir);
  }

  // handles[0] is the default family, which the store does not use.
  rocks->db_->DestroyColumnFamilyHandle(handles[0]).PermitUncheckedError();
  for (std::size_t i = 0; i < opened.size(); ++i) {
    rocks->handles_[static_cast<std::size_t>(opened[i])] = handles[i + 1];
  }
  return rocks;
}

Rocks::~Rocks() {
  Close();
  if (!temp_secondary_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_secondary_dir_, ec);
  }
}

void Rocks::Close() {
  if (!db_) return;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    if (h != nullptr) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  // Close() reports errors of the final flush; nothing useful can be done with them here, and
  // every acknowledged write is already in the WAL.
  db_->Close().PermitUncheckedError();
  db_.reset();
}

Status Rocks::FlushAll() const {
  std::vector<rocksdb::ColumnFamilyHandle*> all;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    if (h != nullptr) all.push_back(h);
  }
  rocksdb::FlushOptions flush;
  flush.wait = true;
  flush.allow_write_stall = true;
  return FromRocks(db_->Flush(flush, all), "flushing memtables");
}

Result<std::optional<std::string>> Rocks::Get(ColumnFamily family, std::string_view key,
                                              const rocksdb::Snapshot* snapshot) const {
  // Read-only, and the family was added since: empty.
  if (cf(family) == nullptr) return std::optional<std::string>();
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::string value;
  rocksdb::Status s = db_->Get(ro, cf(family), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "reading " + std::string(ColumnFamilyName(family)));
  return std::optional<std::string>(std::move(value));
}

}  // namespace ledger::store
