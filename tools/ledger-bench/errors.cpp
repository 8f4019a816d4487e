#include "errors.h"

#include <string>

namespace ledger::bench {

Status WithContext(const Status& s, std::string_view what) {
  if (s.ok()) return s;
  std::string m = std::string(what) + ": " + s.message();
  switch (s.code()) {
    case StatusCode::kOk:
      return s;
    case StatusCode::kInvalidArgument:
      return Status::InvalidArgument(std::move(m));
    case StatusCode::kNotFound:
      return Status::NotFound(std::move(m));
    case StatusCode::kAlreadyExists:
      return Status::AlreadyExists(std::move(m));
    case StatusCode::kWrongExpectedVersion:
      return Status::WrongExpectedVersion(std::move(m), s.actual_version().value_or(0));
    case StatusCode::kConflict:
      return Status::Conflict(std::move(m));
    case StatusCode::kFailedPrecondition:
      return Status::FailedPrecondition(std::move(m));
    case StatusCode::kPermissionDenied:
      return Status::PermissionDenied(std::move(m));
    case StatusCode::kResourceExhausted:
      return Status::ResourceExhausted(std::move(m));
    case StatusCode::kCorruption:
      return Status::Corruption(std::move(m));
    case StatusCode::kIOError:
      return Status::IOError(std::move(m));
    case StatusCode::kUnavailable:
      return Status::Unavailable(std::move(m));
    case StatusCode::kInternal:
      return Status::Internal(std::move(m));
  }
  return Status::Internal(std::move(m));
}

}  // namespace ledger::bench
