#include "crypto/master_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "common/hex.h"
#include "crypto/aead.h"
#include "crypto/kdf.h"
#include "crypto/random.h"

namespace ledger {
namespace {

constexpr std::string_view kWrapLabel = "ledger data key wrap v1";
constexpr std::string_view kIndexLabel = "ledger index v1";
constexpr std::size_t kHexSize = 2 * SecretKey::kSize;

// Closes a file descriptor on scope exit (errors on close of a read-only fd carry no data).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports the result (for files just written).
  int Close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string ErrnoText(int err) {
  return std::strerror(err);
}

std::string Octal(unsigned mode) {
  std::string s;
  for (int shift = 9; shift >= 0; shift -= 3)
    s.push_back(static_cast<char>('0' + ((mode >> shift) & 7)));
  return s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ParentDir(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status WriteAll(int fd, const char* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("cannot write " + path + ": " + ErrnoText(errno));
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open directory " + dir + ": " + ErrnoText(errno));
  Fd closer(fd);
  if (::fsync(fd) != 0)
    return Status::IOError("cannot fsync directory " + dir + ": " + ErrnoText(errno));
  return Status::Ok();
}

// Writes `contents` to a new file `tmp` (mode 0600) and fsyncs it.
Status WriteNewFile(const std::string& tmp, std::string_view contents) {
  int fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Status::IOError("cannot create " + tmp + ": " + ErrnoText(errno));
  Fd file(fd);
  // The umask may have removed owner bits we need to read the key back; it cannot add any.
  if (::fchmod(fd, 0600) != 0)
    return Status::IOError("cannot chmod " + tmp + ": " + ErrnoText(errno));
  LEDGER_RETURN_IF_ERROR(WriteAll(fd, contents.data(), contents.size(), tmp));
  if (::fsync(fd) != 0) return Status::IOError("cannot fsync " + tmp + ": " + ErrnoText(errno));
  if (file.Close() != 0) return Status::IOError("cannot close " + tmp + ": " + ErrnoText(errno));
  return Status::Ok();
}

}  // namespace

MasterKey::MasterKey(SecretKey key)
    : key_(std::move(key)), wrapper_(std::make_unique<SharedAead>(DeriveKey(key_, kWrapLabel))) {}

Result<MasterKey> MasterKey::Load(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not hang; it is then refused as not a regular file.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound("master key file " + path + " does not exist");
    return Status::IOError("cannot open master key file " + path + ": " + ErrnoText(err));
  }
  Fd file(fd);
  // fstat on the open file, so the checks apply to exactly what is read.
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Status::IOError("cannot stat master key file " + path + ": " + ErrnoText(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::FailedPrecondition("master key file " + path + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    std::string fix = "chmod 600 " + path;
    return Status::FailedPrecondition(
        "master key file " + path + " has mode " + Octal(st.st_mode & 07777) +
        ", which gives group or others access; refusing to use it. "
        "Restrict it to its owner (" +
        fix + ") and consider the key exposed if others could read it");
  }

  // One byte more than the longest valid content, to tell "too long" from "exactly right".
  std::array<char, kHexSize + 2> buf{};
  std::size_t size = 0;
  while (size < buf.size()) {
    ssize_t n = ::read(fd, buf.data() + size, buf.size() - size);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      OPENSSL_cleanse(buf.data(), buf.size());
      return Status::IOError("cannot read master key file " + path + ": " + ErrnoText(err));
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }

  std::array<std::uint8_t, SecretKey::kSize> raw{};
  bool valid = size == kHexSize || (size == kHexSize + 1 && buf[kHexSize] == '\n');
  for (std::size_t i = 0; valid && i < SecretKey::kSize; ++i) {
    int hi = HexDigit(buf[2 * i]);
    int lo = HexDigit(buf[2 * i + 1]);
    valid = hi >= 0 && lo >= 0;
    if (valid) raw[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  Result<SecretKey> key =
      SecretKey::FromBytes({reinterpret_cast<const char*>(raw.data()), raw.size()});
  OPENSSL_cleanse(buf.data(), buf.size());
  OPENSSL_cleanse(raw.data(), raw.size());
  if (!valid) {
    return Status::Corruption("master key file " + path + " is malformed: expected exactly " +
                              std::to_string(kHexSize) +
                              " hexadecimal digits and an optional newline");
  }
  return MasterKey(std::move(key).value());
}

Result<MasterKey> MasterKey::LoadOrCreate(const std::string& path) {
  Result<MasterKey> existing = Load(path);
  if (existing.ok() || existing.status().code() != StatusCode::kNotFound) return existing;

  SecretKey key = SecretKey::Generate();
  std::array<char, kHexSize + 1> contents{};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string_view bytes = key.bytes();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    contents[2 * i] = kDigits[b >> 4];
    contents[2 * i + 1] = kDigits[b & 0xf];
  }
  contents[kHexSize] = '\n';

  // Write the complete key under a private name, then publish it atomically with link(2), which
  // fails rather than replace a file another creator published first.
  std::string tmp = path + ".tmp." + ToHex(RandomBytes(8));
  Status written = WriteNewFile(tmp, {contents.data(), contents.size()});
  OPENSSL_cleanse(contents.data(), contents.size());
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written.WithContext("creating master key file " + path);
  }
  int link_rc = ::link(tmp.c_str(), path.c_str());
  int link_err = errno;
  ::unlink(tmp.c_str());
  if (link_rc != 0) {
    if (link_err != EEXIST) {
      return Status::IOError("cannot create master key file " + path + ": " + ErrnoText(link_err));
    }
    // Another creator won the race: use its key.
    Result<MasterKey> theirs = Load(path);
    if (!theirs.ok() && theirs.status().code() == StatusCode::kNotFound) {
      return Status::FailedPrecondition("master key path " + path +
                                        " exists but names no file (a dangling symlink?)");
    }
    return theirs;
  }
  LEDGER_RETURN_IF_ERROR(SyncDir(ParentDir(path)).WithContext("creating master key file " + path));
  return MasterKey(std::move(key));
}

std::string MasterKey::WrapDataKey(const SecretKey& data_key, std::string_view customer_id) const {
  std::string aad = "dek:";
  aad.append(customer_id);
  return wrapper_->Seal(aad, data_key.bytes());
}

Result<SecretKey> MasterKey::UnwrapDataKey(std::string_view wrapped,
                                           std::string_view customer_id) const {
  std::string aad = "dek:";
  aad.append(customer_id);
  Result<std::string> opened = wrapper_->Open(aad, wrapped);
  if (!opened.ok()) return opened.status().WithContext("unwrapping data key");
  Result<SecretKey> key = SecretKey::FromBytes(*opened);
  OPENSSL_cleanse(opened->data(), opened->size());
  if (!key.ok()) {
    return Status::Corruption("unwrapping data key: the wrapped value is not a " +
                              std::to_string(SecretKey::kSize) + "-byte key");
  }
  return key;
}

SecretKey MasterKey::IndexKey() const {
  return DeriveKey(key_, kIndexLabel);
}

}  // namespace ledger
