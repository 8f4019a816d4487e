#include "failing_fs.h"

#include <rocksdb/file_system.h>

#include <string>

namespace ledger::testing {
namespace {

using rocksdb::FileOptions;
using rocksdb::FSWritableFile;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

// Passes everything to the real file, except that writes fail while `fail` is set.
class FailingFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FailingFile(std::unique_ptr<FSWritableFile> target, const std::atomic<bool>& fail)
      : FSWritableFileOwnerWrapper(std::move(target)), fail_(fail) {}

  IOStatus Append(const Slice& data, const IOOptions& options, IODebugContext* dbg) override {
    if (fail_.load()) return Refused();
    return target()->Append(data, options, dbg);
  }
  IOStatus Append(const Slice& data, const IOOptions& options,
                  const rocksdb::DataVerificationInfo& info, IODebugContext* dbg) override {
    if (fail_.load()) return Refused();
    return target()->Append(data, options, info, dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            IODebugContext* dbg) override {
    if (fail_.load()) return Refused();
    return target()->PositionedAppend(data, offset, options, dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset, const IOOptions& options,
                            const rocksdb::DataVerificationInfo& info,
                            IODebugContext* dbg) override {
    if (fail_.load()) return Refused();
    return target()->PositionedAppend(data, offset, options, info, dbg);
  }
  IOStatus Flush(const IOOptions& options, IODebugContext* dbg) override {
    if (fail_.load()) return Refused();
    return target()->Flush(options, dbg);
  }
  IOStatus Sync(const IOOptions& options, IODebugContext* dbg) override {
    if (fail_.load()) return Refused();
    return target()->Sync(options, dbg);
  }
  IOStatus Fsync(const IOOptions& options, IODebugContext* dbg) override {
    if (fail_.load()) return Refused();
    return target()->Fsync(options, dbg);
  }

 private:
  static IOStatus Refused() { return IOStatus::NoSpace("injected: no space left on device"); }

  const std::atomic<bool>& fail_;
};

class FailingFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FailingFileSystem(const std::shared_ptr<rocksdb::FileSystem>& target,
                    const std::atomic<bool>& fail)
      : FileSystemWrapper(target), fail_(fail) {}

  const char* Name() const override { return "FailingFileSystem"; }

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
  IOStatus Wrap(IOStatus opened, std::unique_ptr<FSWritableFile>* file) const {
    if (opened.ok()) *file = std::make_unique<FailingFile>(std::move(*file), fail_);
    return opened;
  }

  const std::atomic<bool>& fail_;
};

}  // namespace

std::unique_ptr<rocksdb::Env> NewFailingEnv(const std::atomic<bool>& fail) {
  return rocksdb::NewCompositeEnv(
      std::make_shared<FailingFileSystem>(rocksdb::FileSystem::Default(), fail));
}

}  // namespace ledger::testing
