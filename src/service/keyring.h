// Keyring: each customer's data key, stored wrapped by the master key in the `keys` column family
// (customer id -> MasterKey::WrapDataKey). Destroying the row is crypto-shredding: everything
// sealed with that key (event payloads, reasons, profile, snapshots) becomes unreadable.
//
// Unwrapped keys are cached in memory (bounded), so a profile read costs one RocksDB get. The
// cache never holds a key whose row is not written: Create() hands out a key without caching it;
// Remember() caches it once the registration that writes its row has committed.
//
// Thread safety: all methods may be called concurrently. The store must outlive the Keyring.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "common/result.h"
#include "crypto/master_key.h"
#include "crypto/shared_aead.h"
#include "store/event_store.h"

namespace ledger::service {

class Keyring {
 public:
  Keyring(const store::EventStore& store, MasterKey master, std::size_t cache_entries = 100'000);

  struct NewKey {
    std::shared_ptr<SharedAead> aead;
    store::RowWrite row;  // write it in the registration's append
  };
  NewKey Create(std::string_view customer) const;
  void Remember(std::string_view customer, std::shared_ptr<SharedAead> aead);

  // The customer's key; nullptr when there is none (never registered, or erased).
  // kCorruption when the stored key does not unwrap (damaged row or another master key).
  Result<std::shared_ptr<SharedAead>> Get(std::string_view customer);

  // The row that destroys the key (write it in the erasure's append), and forgetting it.
  static store::RowWrite DestroyRow(std::string_view customer);
  void Forget(std::string_view customer);

  SecretKey IndexKey() const { return master_.IndexKey(); }

 private:
  const store::EventStore& store_;
  MasterKey master_;
  const std::size_t cache_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<SharedAead>> cache_;  // guarded by mu_
  // Erased customers: never cached again, even by a Get that read the row just before the
  // erasure committed.
  std::unordered_set<std::string> destroyed_;  // guarded by mu_
};

}  // namespace ledger::service
