// The rows of the `reviews` column family: the open revocation reviews of every customer, so that
// "the open reviews, oldest due first" and "which customers hold review R" are range scans, not a
// walk over every profile. Grammar (docs/storage-format.md):
//
//   by due   'd' ‖ u64be(due_at_us) ‖ u8(len(review id)) ‖ review id ‖ customer id  -> (empty)
//   by id    'i' ‖ u8(len(review id)) ‖ review id ‖ customer id                     -> u64be(due)
//
// A review opened by one inbound message on a number several customers hold has one pair of rows
// per customer. The rows hold ids and a due time only, never personal data: the message, its
// sender and its text stay in the customer's sealed profile (CustomerState::open_reviews). They
// are written with the events that open and close reviews (Projector::AddRows), deleted with an
// erasure, and rebuilt like every projection.
//
// Pure encoding and decoding; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger::projection {

inline constexpr char kReviewsByDue = 'd';
inline constexpr char kReviewsById = 'i';

std::string ReviewByDueKey(std::int64_t due_at_us, std::string_view review_id,
                           std::string_view customer);
std::string ReviewByIdKey(std::string_view review_id, std::string_view customer);
// Every by-id row of one review.
std::string ReviewByIdPrefix(std::string_view review_id);
// The value of a by-id row.
std::string ReviewDueValue(std::int64_t due_at_us);

struct ReviewRowKey {
  std::int64_t due_at_us = 0;  // by-due keys only
  std::string review_id;
  std::string customer;
};
// A by-due key's parts; nullopt when `key` is not one.
std::optional<ReviewRowKey> ParseReviewByDueKey(std::string_view key);
// A by-id key's parts (due_at_us 0); nullopt when `key` is not one.
std::optional<ReviewRowKey> ParseReviewByIdKey(std::string_view key);

}  // namespace ledger::projection
