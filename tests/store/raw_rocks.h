// RawLedger: opens a closed ledger directory with plain RocksDB, bypassing the store, so tests
// can damage or alter what is on disk the way an attacker or a failing disk would.
#pragma once

#include <rocksdb/db.h>

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ledger::testing {

class RawLedger {
 public:
  explicit RawLedger(const std::string& path) {
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), path, descriptors, &handles, &db).ok());
    db_.reset(db);
    for (std::size_t i = 0; i < names.size(); ++i) handles_[names[i]] = handles[i];
  }
  ~RawLedger() {
    for (auto& [name, h] : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    db_->Close().PermitUncheckedError();
  }
  RawLedger(const RawLedger&) = delete;
  RawLedger& operator=(const RawLedger&) = delete;

  std::string Get(const std::string& cf, const std::string& key) {
    std::string value;
    REQUIRE(db_->Get(rocksdb::ReadOptions(), handles_.at(cf), key, &value).ok());
    return value;
  }
  void Put(const std::string& cf, const std::string& key, const std::string& value) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    REQUIRE(db_->Put(wo, handles_.at(cf), key, value).ok());
  }
  // Drops a whole column family: what a ledger written before that family existed looks like.
  void DropFamily(const std::string& cf) {
    REQUIRE(db_->DropColumnFamily(handles_.at(cf)).ok());
    REQUIRE(db_->DestroyColumnFamilyHandle(handles_.at(cf)).ok());
    handles_.erase(cf);
  }
  bool HasFamily(const std::string& cf) const { return handles_.contains(cf); }
  void Delete(const std::string& cf, const std::string& key) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    REQUIRE(db_->Delete(wo, handles_.at(cf), key).ok());
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace ledger::testing
