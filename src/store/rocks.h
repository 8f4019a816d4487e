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

namespace ledger::store {

Status FromRocks(const rocksdb::Status& s, std::string_view context);

class Rocks {
 public:
  // Opens or creates the database with every column family of ColumnFamily.
  static Result<std::unique_ptr<Rocks>> Open(const std::string& dir, const StoreOptions& options);
  ~Rocks();  // closes the database; the caller has stopped every user first
  Rocks(const Rocks&) = delete;
  Rocks& operator=(const Rocks&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(ColumnFamily family) const {
    return handles_[static_cast<std::size_t>(family)];
  }

  // Point read: nullopt when the key is absent.
  Result<std::optional<std::string>> Get(ColumnFamily family, std::string_view key,
                                         const rocksdb::Snapshot* snapshot = nullptr) const;

 private:
  Rocks() = default;
  std::unique_ptr<rocksdb::DB> db_;
  std::array<rocksdb::ColumnFamilyHandle*, kColumnFamilyCount> handles_{};
};

}  // namespace ledger::store
