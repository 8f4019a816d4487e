// The RocksDB instance and its column family handles (internal to src/store). This is the only
// place rocksdb::Status is turned into ledger::Status.
#pragma once

#include <rocksdb/db.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/types.h"
#include "store/visibility.h"

namespace ledger::store {

Status FromRocks(const rocksdb::Status& s, std::string_view context);

class Rocks {
 public:
  // Opens or creates the database with every column family of ColumnFamily; with
  // options.read_only, opens an existing one as a secondary instance caught up with its primary.
  static Result<std::unique_ptr<Rocks>> Open(const std::string& dir, const StoreOptions& options);
  ~Rocks();  // closes the database; the caller has stopped every user first
  Rocks(const Rocks&) = delete;
  Rocks& operator=(const Rocks&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  // Null only on a read-only instance, for a caller-owned family the ledger was written without
  // (added by a later version): reads of it find nothing.
  rocksdb::ColumnFamilyHandle* cf(ColumnFamily family) const {
    return handles_[static_cast<std::size_t>(family)];
  }

  bool read_only() const { return read_only_; }

  // Writes every column family's memtable to table files and waits: every write-ahead log
  // written so far becomes obsolete (RocksDB deletes it; no WAL archive is configured), so the
  // next open has nothing to replay. Not on a read-only instance.
  Status FlushAll() const;

  // Point read: nullopt when the key is absent.
  Result<std::optional<std::string>> Get(ColumnFamily family, std::string_view key,
                                         const rocksdb::Snapshot* snapshot = nullptr) const;

 private:
  Rocks() = default;
  void Close();
  std::unique_ptr<rocksdb::DB> db_;
  bool read_only_ = false;
  std::string temp_secondary_dir_;  // created by Open for a read-only store; removed at close
  std::array<rocksdb::ColumnFamilyHandle*, kColumnFamilyCount> handles_{};
};

// A consistent view for an operation of several reads, released when it goes out of scope. A
// read-only (secondary) instance has none and needs none: RocksDB does not support snapshots
// there, and its view changes only when told to catch up with the primary, which the store does
// once, in Open.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(const Rocks& rocks)
      : db_(rocks.db()), snapshot_(rocks.read_only() ? nullptr : db_->GetSnapshot()) {}
  ~ReadSnapshot() {
    if (snapshot_ != nullptr) db_->ReleaseSnapshot(snapshot_);
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  const rocksdb::Snapshot* get() const { return snapshot_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace ledger::store
