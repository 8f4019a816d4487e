#include "common/status.h"

#include <catch2/catch.hpp>

#include "common/result.h"

namespace ledger {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  LEDGER_ASSIGN_OR_RETURN(int half, Half(x));
  return Half(half);
}

Status CheckEven(int x) {
  LEDGER_RETURN_IF_ERROR(Half(x).status());
  return Status::Ok();
}

TEST_CASE("Status carries code, message and the actual version", "[common]") {
  CHECK(Status().ok());
  CHECK(Status::Ok().ToString() == "OK");
  Status s = Status::NotFound("no customer c1");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.ToString() == "NotFound: no customer c1");
  CHECK_FALSE(s.actual_version().has_value());
  Status v = Status::WrongExpectedVersion("stale", 7);
  CHECK(v.code() == StatusCode::kWrongExpectedVersion);
  CHECK(v.actual_version() == 7u);
}

TEST_CASE("WithContext prefixes the message and keeps code and version", "[common]") {
  Status s = Status::WrongExpectedVersion("stale", 3).WithContext("appending to c1");
  CHECK(s.code() == StatusCode::kWrongExpectedVersion);
  CHECK(s.message() == "appending to c1: stale");
  CHECK(s.actual_version() == 3u);
  CHECK(Status::Ok().WithContext("anything").ok());
}

TEST_CASE("Result holds a value or a failure and the macros propagate failures", "[common]") {
  Result<int> ok = Half(8);
  REQUIRE(ok.ok());
  CHECK(*ok == 4);
  CHECK(ok.status().ok());
  Result<int> bad = Half(3);
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kInvalidArgument);

  CHECK(*Quarter(8) == 2);
  CHECK(Quarter(6).status().message() == "odd");  // 6 -> 3 -> odd
  CHECK(Quarter(5).status().message() == "odd");
  CHECK(CheckEven(4).ok());
  CHECK(CheckEven(5).code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ledger
