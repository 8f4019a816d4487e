#include "crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

#include "crypto/kdf.h"
#include "crypto/openssl_algorithms.h"

namespace ledger {

using crypto_internal::CheckOpenSsl;

namespace {

constexpr std::string_view kEncLabel = "ledger aead enc v1";
constexpr std::string_view kNonceLabel = "ledger aead nonce v1";

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// EVP update calls take an int length: feed larger inputs in pieces. With out == nullptr the input
// is additional authenticated data; otherwise GCM (a stream mode) writes exactly as many bytes as
// it reads. False if OpenSSL refuses (only past GCM's length limits).
bool CipherUpdate(EVP_CIPHER_CTX* ctx, unsigned char* out, std::string_view in) {
  constexpr std::size_t kChunk = std::size_t{1} << 30;
  const unsigned char* p = Bytes(in);
  std::size_t left = in.size();
  while (left > 0) {
    std::size_t n = std::min(left, kChunk);
    int written = 0;
    if (EVP_CipherUpdate(ctx, out, &written, p, static_cast<int>(n)) != 1) return false;
    if (out != nullptr) {
      if (static_cast<std::size_t>(written) != n) std::abort();  // GCM does not buffer
      out += n;
    }
    p += n;
    left -= n;
  }
  return true;
}

EVP_CIPHER_CTX* NewGcmContext(const SecretKey& enc_key, bool encrypt) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) std::abort();
  // The key schedule is computed once here; each message then only sets its nonce.
  CheckOpenSsl(EVP_CipherInit_ex2(ctx, crypto_internal::Aes256GcmAlgorithm(),
                                  Bytes(enc_key.bytes()), nullptr, encrypt ? 1 : 0, nullptr));
  if (EVP_CIPHER_CTX_get_key_length(ctx) != static_cast<int>(SecretKey::kSize) ||
      EVP_CIPHER_CTX_get_iv_length(ctx) != static_cast<int>(Aead::kNonceSize)) {
    std::abort();
  }
  return ctx;
}

}  // namespace

struct Aead::State {
  explicit State(const SecretKey& key) : nonce_mac(DeriveKey(key, kNonceLabel)) {
    SecretKey enc_key = DeriveKey(key, kEncLabel);
    enc = NewGcmContext(enc_key, /*encrypt=*/true);
    dec = NewGcmContext(enc_key, /*encrypt=*/false);
  }
  ~State() {
    // Freeing a cipher context wipes its key schedule.
    EVP_CIPHER_CTX_free(enc);
    EVP_CIPHER_CTX_free(dec);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  Hmac nonce_mac;
  EVP_CIPHER_CTX* enc = nullptr;
  EVP_CIPHER_CTX* dec = nullptr;
};

Aead::Aead(const SecretKey& key) : state_(std::make_unique<State>(key)) {}
Aead::~Aead() = default;
Aead::Aead(Aead&&) noexcept = default;
Aead& Aead::operator=(Aead&&) noexcept = default;

std::string Aead::Seal(std::string_view aad, std::string_view plaintext) {
  std::string sealed;
  SealInto(aad, plaintext, &sealed);
  return sealed;
}

void Aead::SealInto(std::string_view aad, std::string_view plaintext, std::string* sealed) {
  State& s = *state_;

  // Synthetic nonce: HMAC(nonce_key, u64be(len(aad)) ‖ aad ‖ plaintext), truncated.
  std::array<char, 8> aad_len;
  std::uint64_t n = aad.size();
  for (int i = 7; i >= 0; --i, n >>= 8) aad_len[static_cast<std::size_t>(i)] = static_cast<char>(n);
  s.nonce_mac.Update({aad_len.data(), aad_len.size()});
  s.nonce_mac.Update(aad);
  s.nonce_mac.Update(plaintext);
  Hash256 mac = s.nonce_mac.Finish();

  sealed->resize(kOverhead + plaintext.size());
  unsigned char* out = reinterpret_cast<unsigned char*>(sealed->data());
  unsigned char* nonce = out + 1;
  unsigned char* ciphertext = nonce + kNonceSize;
  unsigned char* tag = ciphertext + plaintext.size();
  out[0] = kVersion;
  std::memcpy(nonce, mac.data(), kNonceSize);

  CheckOpenSsl(EVP_EncryptInit_ex2(s.enc, nullptr, nullptr, nonce, nullptr));
  if (!CipherUpdate(s.enc, nullptr, aad) || !CipherUpdate(s.enc, ciphertext, plaintext)) {
    std::abort();  // past GCM's length limit: documented
  }
  int final_len = 0;
  CheckOpenSsl(EVP_EncryptFinal_ex(s.enc, tag, &final_len));
  if (final_len != 0) std::abort();
  CheckOpenSsl(EVP_CIPHER_CTX_ctrl(s.enc, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagSize), tag));
}

Result<std::string> Aead::Open(std::string_view aad, std::string_view sealed) {
  std::string plaintext;
  LEDGER_RETURN_IF_ERROR(OpenInto(aad, sealed, &plaintext));
  return plaintext;
}

Status Aead::OpenInto(std::string_view aad, std::string_view sealed, std::string* plaintext) {
  plaintext->clear();
  if (sealed.size() < kOverhead) {
    return Status::Corruption("aead: authentication failed: sealed message is " +
                              std::to_string(sealed.size()) + " bytes, shorter than the " +
                              std::to_string(kOverhead) + "-byte minimum");
  }
  if (static_cast<std::uint8_t>(sealed[0]) != kVersion) {
    return Status::Corruption("aead: authentication failed: unknown format version " +
                              std::to_string(static_cast<std::uint8_t>(sealed[0])));
  }
  State& s = *state_;
  const unsigned char* nonce = Bytes(sealed) + 1;
  std::string_view ciphertext = sealed.substr(1 + kNonceSize, sealed.size() - kOverhead);
  // The tag parameter is passed as a non-const pointer; give OpenSSL a copy.
  std::array<unsigned char, kTagSize> tag;
  std::memcpy(tag.data(), sealed.data() + sealed.size() - kTagSize, kTagSize);

  plaintext->resize(ciphertext.size());
  CheckOpenSsl(EVP_DecryptInit_ex2(s.dec, nullptr, nullptr, nonce, nullptr));
  bool ok = CipherUpdate(s.dec, nullptr, aad) &&
            CipherUpdate(s.dec, reinterpret_cast<unsigned char*>(plaintext->data()), ciphertext);
  if (ok) {
    CheckOpenSsl(
        EVP_CIPHER_CTX_ctrl(s.dec, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTagSize), tag.data()));
    std::array<unsigned char, 16> unused;  // GCM writes nothing at the end
    int final_len = 0;
    ok = EVP_DecryptFinal_ex(s.dec, unused.data(), &final_len) == 1 && final_len == 0;
  }
  if (!ok) {
    // Never hand out, or leave behind, plaintext that did not authenticate.
    OPENSSL_cleanse(plaintext->data(), plaintext->size());
    plaintext->clear();
    ERR_clear_error();
    return Status::Corruption("aead: authentication failed");
  }
  return Status::Ok();
}

std::string Seal(const SecretKey& key, std::string_view aad, std::string_view plaintext) {
  return Aead(key).Seal(aad, plaintext);
}

Result<std::string> Open(const SecretKey& key, std::string_view aad, std::string_view sealed) {
  return Aead(key).Open(aad, sealed);
}

}  // namespace ledger
