// MasterKey: the root key of encryption at rest, kept in a small file on the ledger's host.
//
// The master key never encrypts customer data itself. Each customer's data key (a random
// SecretKey) is stored only in wrapped form, sealed under a key derived from the master key with
// the customer id as associated data, so a wrapped key cannot be moved to another customer.
// Destroying a customer's wrapped data key makes their encrypted data unreadable
// (crypto-shredding). IndexKey() keys the hashes of search tokens.
// Derivations (HKDF-SHA256, kdf.h): wrap key = DeriveKey(master, "ledger data key wrap v1"),
// index key = DeriveKey(master, "ledger index v1"); wrapping is aead.h's Seal with
// aad = "dek:" + customer_id (deterministic: the same data key and customer wrap identically).
//
// File format: exactly 64 hex digits (32 bytes; written lower-case, either case accepted) and an
// optional trailing newline, in a regular file that only its owner may access (mode & 077 == 0).
//
// Errors:
//   kNotFound            Load(): the file does not exist.
//   kFailedPrecondition  the file is not a regular file, or group/other permission bits are set
//                        (the message says to chmod 600; the key is not read).
//   kCorruption          the content is not 64 hex digits (+ newline); UnwrapDataKey(): the
//                        wrapped key does not authenticate (damaged, other master key, or another
//                        customer's id).
//   kIOError             the operating system failed to open, read, write or sync.
// Messages name the file, never key material; nothing here logs.
//
// Creation (LoadOrCreate on a missing file) is atomic: the key is written to a new temporary file
// in the same directory (O_CREAT|O_EXCL, mode 0600), fsynced, then published under the final name
// with link(2), which never replaces an existing file, and the directory is fsynced. Concurrent
// creators (threads or processes) all end up with the one key that won; a crash leaves either no
// key file or a complete one (at worst a stray "<path>.tmp.*" file holding an unused key).
//
// Thread safety: a MasterKey is immutable after loading; all const member functions may be called
// concurrently. It owns its key material (move-only) and wipes it when destroyed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/secret.h"
#include "crypto/shared_aead.h"

namespace ledger {

class MasterKey {
 public:
  // Loads the key at `path`, creating it (see above) if no file exists there.
  static Result<MasterKey> LoadOrCreate(const std::string& path);
  // Loads the key at `path`; kNotFound if there is no file.
  static Result<MasterKey> Load(const std::string& path);

  MasterKey(MasterKey&&) noexcept = default;
  MasterKey& operator=(MasterKey&&) noexcept = default;
  MasterKey(const MasterKey&) = delete;
  MasterKey& operator=(const MasterKey&) = delete;

  // `data_key` sealed for `customer_id` (Aead::kOverhead + 32 bytes).
  std::string WrapDataKey(const SecretKey& data_key, std::string_view customer_id) const;
  // The data key wrapped by WrapDataKey(…, customer_id); kCorruption if `wrapped` does not
  // authenticate under this master key and customer id.
  Result<SecretKey> UnwrapDataKey(std::string_view wrapped, std::string_view customer_id) const;

  // The key for keyed hashes of search tokens; the same for every load of the same file.
  SecretKey IndexKey() const;

 private:
  explicit MasterKey(SecretKey key);

  SecretKey key_;
  // Under DeriveKey(key_, "ledger data key wrap v1"), its key schedules set up once: a rebuild
  // unwraps every customer's key, and setting up an Aead costs more than one unwrap. Behind a
  // pointer so MasterKey stays movable; SharedAead locks, so const calls stay thread-safe.
  std::unique_ptr<SharedAead> wrapper_;
};

}  // namespace ledger
