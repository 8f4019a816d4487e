#include "projection/review_rows.h"

#include <algorithm>

#include "common/bytes.h"

namespace ledger::projection {
namespace {

// Due times are after 1970 (the service refuses earlier receipts), so the unsigned big-endian
// bytes sort as the times do; a negative one is stored as 0 rather than sorting last.
std::uint64_t DueBits(std::int64_t due_at_us) {
  return static_cast<std::uint64_t>(std::max<std::int64_t>(0, due_at_us));
}

void PutReviewId(std::string* key, std::string_view review_id) {
  key->push_back(static_cast<char>(review_id.size()));
  key->append(review_id);
}

// Reads u8(len) ‖ review id ‖ customer id from `rest`.
std::optional<ReviewRowKey> IdAndCustomer(std::string_view rest) {
  if (rest.empty()) return std::nullopt;
  const std::size_t length = static_cast<unsigned char>(rest[0]);
  if (length == 0 || rest.size() <= 1 + length) return std::nullopt;
  ReviewRowKey parts;
  parts.review_id = std::string(rest.substr(1, length));
  parts.customer = std::string(rest.substr(1 + length));
  return parts;
}

}  // namespace

std::string ReviewByDueKey(std::int64_t due_at_us, std::string_view review_id,
                           std::string_view customer) {
  std::string key(1, kReviewsByDue);
  PutU64BE(&key, DueBits(due_at_us));
  PutReviewId(&key, review_id);
  key.append(customer);
  return key;
}

std::string ReviewByIdKey(std::string_view review_id, std::string_view customer) {
  std::string key = ReviewByIdPrefix(review_id);
  key.append(customer);
  return key;
}

std::string ReviewByIdPrefix(std::string_view review_id) {
  std::string key(1, kReviewsById);
  PutReviewId(&key, review_id);
  return key;
}

std::string ReviewDueValue(std::int64_t due_at_us) {
  std::string value;
  PutU64BE(&value, DueBits(due_at_us));
  return value;
}

std::optional<ReviewRowKey> ParseReviewByDueKey(std::string_view key) {
  if (key.size() < 9 || key[0] != kReviewsByDue) return std::nullopt;
  std::optional<ReviewRowKey> parts = IdAndCustomer(key.substr(9));
  if (parts) parts->due_at_us = static_cast<std::int64_t>(GetU64BE(key.substr(1)));
  return parts;
}

std::optional<ReviewRowKey> ParseReviewByIdKey(std::string_view key) {
  if (key.empty() || key[0] != kReviewsById) return std::nullopt;
  return IdAndCustomer(key.substr(1));
}

}  // namespace ledger::projection
