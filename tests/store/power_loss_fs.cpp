#include "power_loss_fs.h"

#include <rocksdb/file_system.h>

#include <mutex>
#include <string>

namespace ledger::testing {
namespace {

using rocksdb::FileOptions;
using rocksdb::FSWritableFile;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

// Holds appended bytes until Sync, Fsync or Close pushes them to the real file.
class BufferUntilSyncFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  explicit BufferUntilSyncFile(std::unique_ptr<FSWritableFile> target)
      : FSWritableFileOwnerWrapper(std::move(target)) {}

  IOStatus Append(const Slice& data, const IOOptions&, IODebugContext*) override {
    std::lock_guard lock(mu_);
    unsynced_.append(data.data(), data.size());
    return IOStatus::OK();
  }
  IOStatus Append(const Slice& data, const IOOptions& options, const rocksdb::DataVerificationInfo&,
                  IODebugContext* dbg) override {
    return Append(data, options, dbg);
  }
  IOStatus PositionedAppend(const Slice&, uint64_t, const IOOptions&, IODebugContext*) override {
    return IOStatus::NotSupported("PositionedAppend");
  }
  IOStatus PositionedAppend(const Slice&, uint64_t, const IOOptions&,
                            const rocksdb::DataVerificationInfo&, IODebugContext*) override {
    return IOStatus::NotSupported("PositionedAppend");
  }
  // Flush moves data to the OS, which is not durable: keep it in memory.
  IOStatus Flush(const IOOptions&, IODebugContext*) override { return IOStatus::OK(); }
  // A write-back hint, not a durability point.
  IOStatus RangeSync(uint64_t, uint64_t, const IOOptions&, IODebugContext*) override {
    return IOStatus::OK();
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    IOStatus s = PushToTarget(options, dbg);
    return s.ok() ? target()->Sync(options, dbg) : s;
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    IOStatus s = PushToTarget(options, dbg);
    return s.ok() ? target()->Fsync(options, dbg) : s;
  }
  IOStatus Truncate(uint64_t size, const IOOptions& options, IODebugContext* dbg) override {
    IOStatus s = PushToTarget(options, dbg);
    return s.ok() ? target()->Truncate(size, options, dbg) : s;
  }
  IOStatus Close(const IOOptions& options, IODebugContext* dbg) override {
    IOStatus s = PushToTarget(options, dbg);
    return s.ok() ? target()->Close(options, dbg) : s;
  }
  uint64_t GetFileSize(const IOOptions& options, IODebugContext* dbg) override {
    std::lock_guard lock(mu_);
    return target()->GetFileSize(options, dbg) + unsynced_.size();
  }
  bool IsSyncThreadSafe() const override { return false; }

 private:
  IOStatus PushToTarget(const IOOptions& options, IODebugContext* dbg) {
    std::lock_guard lock(mu_);
    if (unsynced_.empty()) return IOStatus::OK();
    IOStatus s = target()->Append(unsynced_, options, dbg);
    if (s.ok()) s = target()->Flush(options, dbg);
    if (s.ok()) unsynced_.clear();
    return s;
  }

  std::mutex mu_;
  std::string unsynced_;
};

class PowerLossFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit PowerLossFileSystem(const std::shared_ptr<rocksdb::FileSystem>& target)
      : FileSystemWrapper(target) {}

  const char* Name() const override { return "PowerLossFileSystem"; }

  IOStatus NewWritableFile(const std::string& name, const FileOptions& options,
                           std::unique_ptr<FSWritableFile>* result, IODebugContext* dbg) override {
    return Wrap(target()->NewWritableFile(name, options, result, dbg), result);
  }
  IOStatus ReopenWritableFile(const std::string& name, const FileOptions& options,
                              std::unique_ptr<FSWritableFile>* result,
                              IODebugContext* dbg) override {
    return Wrap(target()->ReopenWritableFile(name, options, result, dbg), result);
  }
  IOStatus ReuseWritableFile(const std::string& name, const std::string& old_name,
                             const FileOptions& options, std::unique_ptr<FSWritableFile>* result,
                             IODebugContext* dbg) override {
    return Wrap(target()->ReuseWritableFile(name, old_name, options, result, dbg), result);
  }

 private:
  static IOStatus Wrap(IOStatus opened, std::unique_ptr<FSWritableFile>* file) {
    if (opened.ok()) *file = std::make_unique<BufferUntilSyncFile>(std::move(*file));
    return opened;
  }
};

}  // namespace

std::unique_ptr<rocksdb::Env> NewPowerLossEnv() {
  return rocksdb::NewCompositeEnv(
      std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default()));
}

}  // namespace ledger::testing
