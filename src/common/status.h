// Status: the error vocabulary used at every module boundary.
//
// A Status is either OK or carries a code and a human-readable message. Functions that can fail
// return Status (or Result<T>, see result.h) and callers must look at it: the type is
// [[nodiscard]], and the rare deliberate drop is spelled `status.IgnoreError()` so it can be
// found by grep.
//
// Which code to use:
//   kInvalidArgument      the caller's input is wrong; retrying the same call will fail again.
//   kNotFound             the thing named does not exist.
//   kAlreadyExists        creating something that exists.
//   kWrongExpectedVersion optimistic concurrency: the stream is not at the version the caller
//                         expected. actual_version() says where it is; reload and decide again.
//   kConflict             the request contradicts earlier state (e.g. an idempotency key reused
//                         for a different request); fix the request, do not retry as is.
//   kFailedPrecondition   the system is not in a state that allows the call (e.g. closed store).
//   kPermissionDenied     the actor may not do this.
//   kResourceExhausted    a limit was hit (size, count); make the request smaller.
//   kCorruption           data read from disk is damaged or was altered.
//   kIOError              the operating system or RocksDB failed to read or write.
//   kUnavailable          shutting down or overloaded; retrying later may succeed.
//   kInternal             a bug: an invariant the code relies on does not hold.
//
// Status values are immutable after construction and safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ledger {

// Numeric values are logged and mapped to HTTP; do not renumber.
enum class StatusCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument = 1,
  kNotFound = 2,
  kAlreadyExists = 3,
  kWrongExpectedVersion = 4,
  kConflict = 5,
  kFailedPrecondition = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kCorruption = 9,
  kIOError = 10,
  kUnavailable = 11,
  kInternal = 12,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status AlreadyExists(std::string message) {
    return Status(StatusCode::kAlreadyExists, std::move(message));
  }
  // `actual_version` is the stream's version at the moment the expectation was checked.
  static Status WrongExpectedVersion(std::string message, std::uint64_t actual_version) {
    Status s(StatusCode::kWrongExpectedVersion, std::move(message));
    s.actual_version_ = actual_version;
    return s;
  }
  static Status Conflict(std::string message) {
    return Status(StatusCode::kConflict, std::move(message));
  }
  static Status FailedPrecondition(std::string message) {
    return Status(StatusCode::kFailedPrecondition, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status ResourceExhausted(std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(message));
  }
  static Status Corruption(std::string message) {
    return Status(StatusCode::kCorruption, std::move(message));
  }
  static Status IOError(std::string message) {
    return Status(StatusCode::kIOError, std::move(message));
  }
  static Status Unavailable(std::string message) {
    return Status(StatusCode::kUnavailable, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Set only for kWrongExpectedVersion.
  std::optional<std::uint64_t> actual_version() const { return actual_version_; }
  // The input field at fault, as a JSON Pointer (e.g. "/phones/0/number"); empty when the
  // error is not about one field.
  const std::string& field() const { return field_; }
  // The same status naming `json_pointer` as the field at fault.
  Status WithField(std::string json_pointer) const {
    Status s = *this;
    s.field_ = std::move(json_pointer);
    return s;
  }

  // "OK" or "<CodeName>: <message>".
  std::string ToString() const;

  // The same status with "`context`: " before its message, to say what was being done when it
  // failed. OK stays OK.
  Status WithContext(std::string_view context) const;

  // Drops the status on purpose. Use sparingly and say why next to the call.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) = default;

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::optional<std::uint64_t> actual_version_;
  std::string field_;
};

}  // namespace ledger

// Returns the Status of `expr` from the enclosing function if it is not OK.
#define LEDGER_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::ledger::Status ledger_status_ = (expr);        \
    if (!ledger_status_.ok()) return ledger_status_; \
  } while (false)
