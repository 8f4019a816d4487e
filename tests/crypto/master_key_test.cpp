#include "crypto/master_key.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/hex.h"
#include "temp_dir.h"

namespace ledger {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

void WriteFile(const std::string& path, const std::string& contents, fs::perms perms) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
    REQUIRE(out.good());
  }
  fs::permissions(path, perms, fs::perm_options::replace);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

const std::string kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST_CASE("LoadOrCreate creates a 0600 file with 64 hex digits and a newline", "[crypto]") {
  TempDir dir;
  std::string path = dir.sub("master.key");
  Result<MasterKey> created = MasterKey::LoadOrCreate(path);
  REQUIRE(created.ok());

  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK(S_ISREG(st.st_mode));
  CHECK((st.st_mode & 07777) == 0600);

  std::string contents = ReadFile(path);
  REQUIRE(contents.size() == 65);
  CHECK(contents.back() == '\n');
  std::optional<std::string> raw = FromHex(contents.substr(0, 64));
  REQUIRE(raw.has_value());
  CHECK(ToHex(*raw) == contents.substr(0, 64));  // lower case

  // Nothing else is left in the directory (the temporary file is gone).
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a reloaded master key behaves identically", "[crypto]") {
  TempDir dir;
  std::string path = dir.sub("master.key");
  Result<MasterKey> first = MasterKey::LoadOrCreate(path);
  REQUIRE(first.ok());
  std::string before = ReadFile(path);

  Result<MasterKey> again = MasterKey::LoadOrCreate(path);
  Result<MasterKey> loaded = MasterKey::Load(path);
  REQUIRE(again.ok());
  REQUIRE(loaded.ok());
  CHECK(ReadFile(path) == before);  // loading never rewrites

  SecretKey dek = SecretKey::Generate();
  std::string wrapped = first->WrapDataKey(dek, "cust-1");
  CHECK(again->WrapDataKey(dek, "cust-1") == wrapped);
  CHECK(loaded->WrapDataKey(dek, "cust-1") == wrapped);
  Result<SecretKey> unwrapped = loaded->UnwrapDataKey(wrapped, "cust-1");
  REQUIRE(unwrapped.ok());
  CHECK(unwrapped->bytes() == dek.bytes());

  CHECK(first->IndexKey().bytes() == loaded->IndexKey().bytes());
  CHECK(first->IndexKey().bytes() == again->IndexKey().bytes());
}

TEST_CASE("a master key loads from a file with or without newline, any hex case", "[crypto]") {
  TempDir dir;
  std::string a = dir.sub("a"), b = dir.sub("b"), c = dir.sub("c");
  WriteFile(a, kHexKey + "\n", fs::perms::owner_read | fs::perms::owner_write);
  WriteFile(b, kHexKey, fs::perms::owner_read);
  std::string upper = kHexKey;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  WriteFile(c, upper + "\n", fs::perms::owner_read);
  Result<MasterKey> ka = MasterKey::Load(a);
  Result<MasterKey> kb = MasterKey::Load(b);
  Result<MasterKey> kc = MasterKey::LoadOrCreate(c);
  REQUIRE(ka.ok());
  REQUIRE(kb.ok());
  REQUIRE(kc.ok());
  CHECK(ka->IndexKey().bytes() == kb->IndexKey().bytes());
  CHECK(ka->IndexKey().bytes() == kc->IndexKey().bytes());
}

TEST_CASE("Load of a missing file is kNotFound and creates nothing", "[crypto]") {
  TempDir dir;
  std::string path = dir.sub("master.key");
  CHECK(MasterKey::Load(path).status().code() == StatusCode::kNotFound);
  CHECK_FALSE(fs::exists(path));
  // LoadOrCreate in a directory that does not exist cannot create the file.
  CHECK(MasterKey::LoadOrCreate(dir.sub("missing/master.key")).status().code() ==
        StatusCode::kIOError);
}

TEST_CASE("a key file that group or others can access is refused", "[crypto]") {
  TempDir dir;
  std::string path = dir.sub("master.key");
  REQUIRE(MasterKey::LoadOrCreate(path).ok());
  std::string contents = ReadFile(path);

  for (unsigned mode : {0644u, 0640u, 0604u, 0610u, 0601u, 0660u, 0666u}) {
    INFO("mode " << std::oct << mode);
    fs::permissions(path, static_cast<fs::perms>(mode), fs::perm_options::replace);
    REQUIRE(ModeOf(path) == mode);
    Result<MasterKey> loaded = MasterKey::Load(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().code() == StatusCode::kFailedPrecondition);
    CHECK(loaded.status().message().find("chmod 600") != std::string::npos);
    CHECK(MasterKey::LoadOrCreate(path).status().code() == StatusCode::kFailedPrecondition);
    CHECK(ReadFile(path) == contents);  // never replaced
  }
  fs::permissions(path, static_cast<fs::perms>(0400), fs::perm_options::replace);
  CHECK(MasterKey::Load(path).ok());
}

TEST_CASE("a key path that is not a regular file is refused", "[crypto]") {
  TempDir dir;
  std::string path = dir.sub("master.key");
  fs::create_directory(path);
  fs::permissions(path, static_cast<fs::perms>(0700), fs::perm_options::replace);
  CHECK(MasterKey::Load(path).status().code() == StatusCode::kFailedPrecondition);
  CHECK(MasterKey::LoadOrCreate(path).status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("a malformed key file is refused as corruption", "[crypto]") {
  TempDir dir;
  std::string path = dir.sub("master.key");
  const std::string bad[] = {
      "",
      "\n",
      kHexKey.substr(0, 63),
      kHexKey.substr(0, 63) + "\n",
      kHexKey + "0",
      kHexKey + "00",
      kHexKey + "\n\n",
      kHexKey + "\r\n",
      kHexKey + " ",
      " " + kHexKey,
      "zz" + kHexKey.substr(2),
      kHexKey.substr(0, 62) + "0g",
      kHexKey + "\n" + kHexKey + "\n",
      std::string(64, '\0'),
  };
  for (const std::string& contents : bad) {
    INFO("contents " << ToHex(contents));
    WriteFile(path, contents, fs::perms::owner_read | fs::perms::owner_write);
    Result<MasterKey> loaded = MasterKey::Load(path);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().code() == StatusCode::kCorruption);
    CHECK(MasterKey::LoadOrCreate(path).status().code() == StatusCode::kCorruption);
    CHECK(ReadFile(path) == contents);
  }
}

TEST_CASE("data keys wrap and unwrap only for their customer and master key", "[crypto]") {
  TempDir dir;
  Result<MasterKey> master = MasterKey::LoadOrCreate(dir.sub("a.key"));
  Result<MasterKey> other = MasterKey::LoadOrCreate(dir.sub("b.key"));
  REQUIRE(master.ok());
  REQUIRE(other.ok());

  SecretKey dek = SecretKey::Generate();
  std::string wrapped = master->WrapDataKey(dek, "cust-1");
  CHECK(wrapped.size() == SecretKey::kSize + 29);
  CHECK(wrapped.find(dek.bytes()) == std::string::npos);

  Result<SecretKey> unwrapped = master->UnwrapDataKey(wrapped, "cust-1");
  REQUIRE(unwrapped.ok());
  CHECK(unwrapped->bytes() == dek.bytes());

  CHECK(master->UnwrapDataKey(wrapped, "cust-2").status().code() == StatusCode::kCorruption);
  CHECK(master->UnwrapDataKey(wrapped, "").status().code() == StatusCode::kCorruption);
  CHECK(other->UnwrapDataKey(wrapped, "cust-1").status().code() == StatusCode::kCorruption);
  CHECK(master->UnwrapDataKey(wrapped.substr(0, wrapped.size() - 1), "cust-1").status().code() ==
        StatusCode::kCorruption);
  std::string flipped = wrapped;
  flipped[20] = static_cast<char>(flipped[20] ^ 0x10);
  CHECK(master->UnwrapDataKey(flipped, "cust-1").status().code() == StatusCode::kCorruption);

  // Different customers' wraps of the same key differ; different masters give different index keys.
  CHECK(master->WrapDataKey(dek, "cust-2") != wrapped);
  CHECK(master->IndexKey().bytes() != other->IndexKey().bytes());
}

TEST_CASE("concurrent LoadOrCreate calls agree on one key", "[crypto]") {
  TempDir dir;
  std::string path = dir.sub("master.key");
  constexpr int kThreads = 8;
  std::vector<std::string> index_keys(kThreads);
  std::vector<int> ok(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Result<MasterKey> key = MasterKey::LoadOrCreate(path);
      if (!key.ok()) return;
      ok[static_cast<std::size_t>(i)] = 1;
      index_keys[static_cast<std::size_t>(i)] = std::string(key->IndexKey().bytes());
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    REQUIRE(ok[static_cast<std::size_t>(i)] == 1);
    CHECK(index_keys[static_cast<std::size_t>(i)] == index_keys[0]);
  }
  Result<MasterKey> loaded = MasterKey::Load(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->IndexKey().bytes() == index_keys[0]);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
}

}  // namespace
}  // namespace ledger
