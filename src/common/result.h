// Result<T>: a value or the Status explaining why there is none.
//
// Construct from a T (success) or from a non-OK Status (failure). Accessing value() of a failed
// Result is a bug and aborts. Like Status, Result is [[nodiscard]].
#pragma once

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/status.h"

namespace ledger {

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Status>, "Result<Status> makes no sense");

 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}        // NOLINT: implicit
  Result(Status status) : state_(std::in_place_index<1>, std::move(status)) {  // NOLINT
    if (std::get<1>(state_).ok()) std::abort();  // an OK Status carries no value: a bug
  }

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // The failure; Status::Ok() when the Result holds a value.
  Status status() const { return ok() ? Status::Ok() : std::get<1>(state_); }

  T& value() & { return checked(); }
  const T& value() const& { return checked(); }
  T&& value() && { return std::move(checked()); }

  T& operator*() & { return checked(); }
  const T& operator*() const& { return checked(); }
  T* operator->() { return &checked(); }
  const T* operator->() const { return &checked(); }

 private:
  // Reading the value of a failure is a bug in the caller: abort rather than return garbage.
  T& checked() {
    if (!ok()) std::abort();
    return std::get<0>(state_);
  }
  const T& checked() const {
    if (!ok()) std::abort();
    return std::get<0>(state_);
  }

  std::variant<T, Status> state_;
};

}  // namespace ledger

#define LEDGER_CONCAT_INNER(a, b) a##b
#define LEDGER_CONCAT(a, b) LEDGER_CONCAT_INNER(a, b)

// LEDGER_ASSIGN_OR_RETURN(auto x, F()): declares x from F()'s value, or returns F()'s Status.
#define LEDGER_ASSIGN_OR_RETURN(lhs, expr) \
  LEDGER_ASSIGN_OR_RETURN_IMPL(LEDGER_CONCAT(ledger_result_, __LINE__), lhs, expr)
#define LEDGER_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
