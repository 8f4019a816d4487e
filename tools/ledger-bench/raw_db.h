// The baseline: a plain RocksDB configured as close as possible to the store's own (see
// src/store/rocks.cpp, which this mirrors; keep the two in step), so that the gap between the
// store's figures and the raw ones is the store's work, not different tuning.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace ledger::bench {

// rocksdb::Status as a ledger Status, with what was being done.
Status FromRocksDb(const rocksdb::Status& s, std::string_view context);

class RawDb {
 public:
  enum class Mode {
    kCreate,     // a new database with the store's column families
    kReadWrite,  // an existing database, every column family it has
    kReadOnly,   // the same through DB::OpenForReadOnly
  };

  static Result<std::unique_ptr<RawDb>> Open(const std::string& dir, Mode mode);
  ~RawDb();  // closes the database
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  // The "events" column family, where the store keeps its EventRecords.
  rocksdb::ColumnFamilyHandle* events() const { return events_; }

  // Flushes the memtables and compacts every column family down to the last level, so that no
  // background work is left to disturb a later measurement.
  Status CompactAll();

 private:
  RawDb() = default;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
};

}  // namespace ledger::bench
