// Scratch directories: every measurement gets a fresh one, removed when it is done.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace ledger::bench {

// A new, uniquely named directory, removed with everything in it on destruction. Move-only.
class TempDir {
 public:
  // Creates `parent`/`prefix`XXXXXX; `parent` must exist.
  static Result<TempDir> Create(const std::filesystem::path& parent, std::string_view prefix);

  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  explicit TempDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;  // empty once moved from
};

// Where a benchmark puts its scratch directories: `dir` when given (created if missing, kept
// afterwards), otherwise a new directory under the system's temp directory, removed afterwards.
class WorkArea {
 public:
  static Result<WorkArea> Create(const std::string& dir);

  const std::filesystem::path& path() const { return path_; }
  // A fresh scratch directory inside the work area.
  Result<TempDir> NewDir(std::string_view prefix) const { return TempDir::Create(path_, prefix); }

 private:
  WorkArea(std::filesystem::path path, std::optional<TempDir> owned)
      : path_(std::move(path)), owned_(std::move(owned)) {}
  std::filesystem::path path_;
  std::optional<TempDir> owned_;  // set when the work area itself is temporary
};

}  // namespace ledger::bench
