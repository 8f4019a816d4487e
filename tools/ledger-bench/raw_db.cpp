#include "raw_db.h"

#include <fmt/core.h>
#include <rocksdb/cache.h>

#include <optional>

#include "store/event_store.h"
#include "store/rocksdb_options.h"

namespace ledger::bench {

Status FromRocksDb(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  return Status::IOError(fmt::format("{}: {}", context, s.ToString()));
}

namespace {

using store::ColumnFamily;

std::optional<ColumnFamily> StoreFamilyNamed(std::string_view name) {
  for (std::size_t i = 0; i < store::kColumnFamilyCount; ++i) {
    auto family = static_cast<ColumnFamily>(i);
    if (store::ColumnFamilyName(family) == name) return family;
  }
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<RawDb>> RawDb::Open(const std::string& dir, Mode mode) {
  store::StoreOptions store_options;
  store_options.create_if_missing = mode == Mode::kCreate;
  rocksdb::DBOptions db_options = store::StoreDbOptions(store_options);

  std::vector<std::string> names;
  if (mode == Mode::kCreate) {
    names.push_back(rocksdb::kDefaultColumnFamilyName);
    for (std::size_t i = 0; i < store::kColumnFamilyCount; ++i) {
      names.emplace_back(store::ColumnFamilyName(static_cast<ColumnFamily>(i)));
    }
  } else {
    rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, dir, &names);
    if (!s.ok()) return FromRocksDb(s, "listing the column families of " + dir);
  }

  // The same block cache size as the store's.
  auto cache = rocksdb::NewLRUCache(store_options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    std::optional<ColumnFamily> family = StoreFamilyNamed(name);
    descriptors.emplace_back(name, family ? store::StoreColumnFamilyOptions(*family, cache)
                                          : rocksdb::ColumnFamilyOptions());
  }

  std::unique_ptr<RawDb> raw(new RawDb);
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      mode == Mode::kReadOnly
          ? rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &raw->handles_, &db)
          : rocksdb::DB::Open(db_options, dir, descriptors, &raw->handles_, &db);
  if (!s.ok()) return FromRocksDb(s, "opening " + dir + " with plain RocksDB");
  raw->db_.reset(db);

  for (rocksdb::ColumnFamilyHandle* h : raw->handles_) {
    if (h->GetName() == store::ColumnFamilyName(ColumnFamily::kEvents)) raw->events_ = h;
  }
  if (raw->events_ == nullptr) return Status::NotFound("no events column family in " + dir);
  return raw;
}

RawDb::~RawDb() {
  if (!db_) return;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  }
  // Nothing can be done about a failing close here; the data is scratch.
  db_->Close().PermitUncheckedError();
}

Status RawDb::CompactAll() {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  rocksdb::Status s = db_->Flush(flush, handles_);
  if (!s.ok()) return FromRocksDb(s, "flushing");
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  // CompactRange returns when its compaction is done.
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    s = db_->CompactRange(compact, h, nullptr, nullptr);
    if (!s.ok()) return FromRocksDb(s, "compacting " + h->GetName());
  }
  return Status::Ok();
}

}  // namespace ledger::bench
