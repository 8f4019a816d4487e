#include "service/keyring.h"

namespace ledger::service {

Keyring::Keyring(const store::EventStore& store, MasterKey master, std::size_t cache_entries)
    : store_(store), master_(std::move(master)), cache_entries_(cache_entries) {}

Keyring::NewKey Keyring::Create(std::string_view customer) const {
  SecretKey key = SecretKey::Generate();
  return {std::make_shared<SharedAead>(key),
          {store::ColumnFamily::kKeys, std::string(customer), master_.WrapDataKey(key, customer)}};
}

void Keyring::Remember(std::string_view customer, std::shared_ptr<SharedAead> aead) {
  std::lock_guard lock(mu_);
  if (destroyed_.contains(std::string(customer))) return;
  if (cache_.size() >= cache_entries_) cache_.clear();  // bounded; a miss costs one read
  cache_[std::string(customer)] = std::move(aead);
}

Result<std::shared_ptr<SharedAead>> Keyring::Get(std::string_view customer) {
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(std::string(customer)); it != cache_.end()) return it->second;
  }
  LEDGER_ASSIGN_OR_RETURN(std::optional<std::string> wrapped,
                          store_.GetRow(store::ColumnFamily::kKeys, customer));
  if (!wrapped) return std::shared_ptr<SharedAead>();
  Result<SecretKey> key = master_.UnwrapDataKey(*wrapped, customer);
  if (!key.ok()) return key.status().WithContext("data key of " + std::string(customer));
  auto aead = std::make_shared<SharedAead>(*key);
  Remember(customer, aead);
  return aead;
}

store::RowWrite Keyring::DestroyRow(std::string_view customer) {
  return {store::ColumnFamily::kKeys, std::string(customer), std::nullopt};
}

void Keyring::Forget(std::string_view customer) {
  std::lock_guard lock(mu_);
  cache_.erase(std::string(customer));
  destroyed_.insert(std::string(customer));
}

}  // namespace ledger::service
