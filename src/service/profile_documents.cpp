#include "service/profile_documents.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <shared_mutex>

namespace ledger::service {

ProfileDocuments::ProfileDocuments(std::size_t max_entries)
    : max_per_shard_(std::max<std::size_t>(1, max_entries / kShards)) {}

ProfileDocuments::Shard& ProfileDocuments::ShardOf(const std::string& customer_id) const {
  return shards_[std::hash<std::string>{}(customer_id) % kShards];
}

std::optional<ProfileDocument> ProfileDocuments::Get(const std::string& customer_id,
                                                     std::int64_t now_us) const {
  Shard& shard = ShardOf(customer_id);
  std::shared_lock lock(shard.mu);
  auto it = shard.entries.find(customer_id);
  if (it == shard.entries.end() || now_us >= it->second.stable_until_us) return std::nullopt;
  if (!shard.writing.empty() && shard.writing.contains(customer_id)) return std::nullopt;
  return it->second;
}

std::uint64_t ProfileDocuments::Ticket(const std::string& customer_id) const {
  Shard& shard = ShardOf(customer_id);
  std::shared_lock lock(shard.mu);
  return shard.writes;
}

void ProfileDocuments::Put(const std::string& customer_id, std::uint64_t ticket,
                           ProfileDocument document) {
  Shard& shard = ShardOf(customer_id);
  std::lock_guard lock(shard.mu);
  if (shard.writes != ticket) return;  // rendered from a projection a commit may have replaced
  if (!shard.writing.empty() && shard.writing.contains(customer_id)) return;
  // Two readers with the same ticket may have read the projection on either side of a commit
  // whose Invalidate has not run yet: keep the newer, so reads never go back a version.
  auto it = shard.entries.find(customer_id);
  if (it != shard.entries.end() && it->second.version > document.version) return;
  if (shard.entries.size() >= max_per_shard_) shard.entries.clear();
  shard.entries.insert_or_assign(customer_id, std::move(document));
}

void ProfileDocuments::BeginWrite(const std::string& customer_id) {
  Shard& shard = ShardOf(customer_id);
  std::lock_guard lock(shard.mu);
  ++shard.writes;
  ++shard.writing[customer_id];
  shard.entries.erase(customer_id);
}

void ProfileDocuments::EndWrite(const std::string& customer_id) {
  Shard& shard = ShardOf(customer_id);
  std::lock_guard lock(shard.mu);
  ++shard.writes;
  auto it = shard.writing.find(customer_id);
  if (it != shard.writing.end() && --it->second <= 0) shard.writing.erase(it);
  shard.entries.erase(customer_id);
}

void ProfileDocuments::Invalidate(const std::string& customer_id) {
  BeginWrite(customer_id);
  EndWrite(customer_id);
}

void ProfileDocuments::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    ++shard.writes;
    shard.entries.clear();
  }
}

}  // namespace ledger::service
