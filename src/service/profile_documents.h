// ProfileDocuments: the current profile of recently read customers, rendered as JSON text, so
// that repeated reads of an unchanged customer skip the projection get, the decode and the
// rendering (the GET endpoint's hot path).
//
// A document is served while (1) no append to its customer committed since it was rendered and
// (2) the clock has not reached its stable_until (domain::ProfileJsonStableUntil: a consent lapse,
// a bounce leaving its window...). (1) is kept without locking writers out: a writer brackets
// every append with BeginWrite and EndWrite; between them the customer's document is neither
// served nor stored, so readers go to the projection, which RocksDB makes visible in commit
// order. A reader takes a Ticket before it reads the projection and Put keeps the document only
// if no write of that shard began or ended in between, so a document rendered from a projection
// that a commit has since replaced is never stored.
//
// Why the bracket and not one Invalidate after the append: the append is visible to readers of
// the projection before the writer's Invalidate runs, so in that window one reader could read
// version N from the projection and then be served N-1 from here (a read going back, seen under
// CPU load). With the bracket, anything served from here is the newest committed version.
//
// Thread-safe: 16 shards, each a reader-writer lock and a map; no lock is held while rendering.
// Get and Ticket share the lock, so readers of one hot customer never wait for each other (with
// an exclusive lock, a reader preempted while holding it stalled all the others). Bounded: a
// shard that reaches max_entries / 16 documents is emptied (reads then refill it).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace ledger::service {

struct ProfileDocument {
  std::uint64_t version = 0;
  std::int64_t stable_until_us = 0;  // served only before this instant
  std::shared_ptr<const std::string> json;
};

class ProfileDocuments {
 public:
  explicit ProfileDocuments(std::size_t max_entries);

  // The document for `customer_id` if it is still valid at `now_us`.
  std::optional<ProfileDocument> Get(const std::string& customer_id, std::int64_t now_us) const;

  // Taken before reading the projection a document is rendered from.
  std::uint64_t Ticket(const std::string& customer_id) const;
  // Keeps `document` unless a write to the shard was committed since `ticket`.
  void Put(const std::string& customer_id, std::uint64_t ticket, ProfileDocument document);

  // Around every append to `customer_id` (EndWrite also when the append failed: it may have
  // committed before the error was seen). Calls nest: the document is served again once every
  // BeginWrite has had its EndWrite.
  void BeginWrite(const std::string& customer_id);
  void EndWrite(const std::string& customer_id);
  // BeginWrite and EndWrite at once: after a projection rewrite outside the command path.
  void Invalidate(const std::string& customer_id);
  void Clear();

 private:
  struct Shard {
    mutable std::shared_mutex mu;
    std::uint64_t writes = 0;                                  // guarded by mu
    std::unordered_map<std::string, ProfileDocument> entries;  // guarded by mu
    std::unordered_map<std::string, int> writing;  // guarded by mu: appends in flight
  };
  static constexpr std::size_t kShards = 16;

  Shard& ShardOf(const std::string& customer_id) const;

  const std::size_t max_per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace ledger::service
