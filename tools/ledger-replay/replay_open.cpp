#include "replay_open.h"

#include <filesystem>

#include "crypto/master_key.h"

namespace ledger::replay {
namespace {

std::string KeyFile(const CommonOptions& o) {
  return o.key_file.empty() ? o.data_dir + "/master.key" : o.key_file;
}

Exit CheckDataDir(const std::string& data_dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return Fail(kExitDataDir, "no data directory " + data_dir);
  }
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "rocksdb" / "CURRENT", ec)) {
    return Fail(kExitDataDir, data_dir +
                                  " holds no ledger (no rocksdb/ inside; give the "
                                  "directory that ledgerd --data uses)");
  }
  return {};
}

// Errors of opening the store or the ledger.
Exit OpenFailure(const Status& s) {
  switch (s.code()) {
    case StatusCode::kUnavailable:
      return Fail(kExitDataDir, s.message() + "; stop ledgerd first");
    case StatusCode::kNotFound:
    case StatusCode::kFailedPrecondition:
      return Fail(kExitDataDir, s.message());
    case StatusCode::kCorruption:
      return Fail(kExitCorrupted, s.message());
    default:
      return Fail(kExitFailed, s.ToString());
  }
}

}  // namespace

Exit Open(const CommonOptions& options, Access access, Opened* out) {
  if (Exit e = CheckDataDir(options.data_dir); e.code != kExitOk) return e;

  const std::string key_file = KeyFile(options);
  Result<MasterKey> key = MasterKey::Load(key_file);
  if (!key.ok()) {
    if (key.status().code() == StatusCode::kNotFound && access == Access::kReadKeyIfPresent) {
      store::StoreOptions so;
      so.read_only = true;
      auto store = store::EventStore::Open(options.data_dir + "/rocksdb", so);
      if (!store.ok()) return OpenFailure(store.status());
      out->store_only = std::move(store).value();
      return {};
    }
    std::string hint = key.status().code() == StatusCode::kNotFound
                           ? " (give the ledger's key with --key-file)"
                           : "";
    return Fail(kExitMasterKey, "master key: " + key.status().message() + hint);
  }

  service::LedgerOptions lo;
  lo.data_dir = options.data_dir;
  lo.key_file = key_file;
  lo.read_only = access != Access::kWrite;
  auto ledger = service::Ledger::Open(lo);
  if (!ledger.ok()) return OpenFailure(ledger.status());
  if (Status s = (*ledger)->CheckMasterKey(); !s.ok()) {
    if (s.code() == StatusCode::kFailedPrecondition) return Fail(kExitMasterKey, s.message());
    return FromStatus(s);
  }
  out->ledger = std::move(ledger).value();
  return {};
}

}  // namespace ledger::replay
