#include "temp_dir.h"

#include <fmt/core.h>
#include <stdlib.h>  // mkdtemp (POSIX)

#include <cerrno>
#include <cstring>
#include <system_error>

namespace ledger::bench {

Result<TempDir> TempDir::Create(const std::filesystem::path& parent, std::string_view prefix) {
  std::string name = (parent / (std::string(prefix) + "XXXXXX")).string();
  if (mkdtemp(name.data()) == nullptr) {
    return Status::IOError(
        fmt::format("cannot create a directory in {}: {}", parent.string(), std::strerror(errno)));
  }
  return TempDir(std::filesystem::path(name));
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  // A destructor cannot fail; say so rather than leave litter silently.
  if (ec)
    fmt::print(stderr, "ledger-bench: warning: cannot remove {}: {}\n", path_.string(),
               ec.message());
}

Result<WorkArea> WorkArea::Create(const std::string& dir) {
  std::error_code ec;
  if (!dir.empty()) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError(fmt::format("cannot create {}: {}", dir, ec.message()));
    return WorkArea(dir, std::nullopt);
  }
  std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  if (ec) return Status::IOError("no temp directory: " + ec.message());
  LEDGER_ASSIGN_OR_RETURN(TempDir owned, TempDir::Create(tmp, "ledger-bench-"));
  std::filesystem::path path = owned.path();
  return WorkArea(std::move(path), std::move(owned));
}

}  // namespace ledger::bench
