#include "crypto/kdf.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include <array>
#include <cstdlib>

#include "crypto/openssl_algorithms.h"

namespace ledger {

using crypto_internal::CheckOpenSsl;

namespace {

constexpr std::size_t kHashSize = 32;

// OSSL_PARAM wants non-const pointers even for inputs it only reads.
void* ParamData(std::string_view bytes) {
  return const_cast<char*>(bytes.data());
}

// HKDF-SHA256 into out[0, length). False when OpenSSL rejects the parameters.
bool Hkdf(std::string_view ikm, std::string_view salt, std::string_view info, unsigned char* out,
          std::size_t length) {
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(crypto_internal::HkdfAlgorithm());
  if (ctx == nullptr) std::abort();
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 5> params;
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ParamData(ikm), ikm.size());
  // An empty salt is the same as none: HMAC pads a short key with zeros either way.
  if (!salt.empty()) {
    params[n++] =
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, ParamData(salt), salt.size());
  }
  params[n++] =
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, ParamData(info), info.size());
  params[n] = OSSL_PARAM_construct_end();
  bool ok = EVP_KDF_derive(ctx, out, length, params.data()) == 1;
  EVP_KDF_CTX_free(ctx);  // wipes the key material it copied
  return ok;
}

EVP_MAC_CTX* NewHmacContext(const SecretKey& key) {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(crypto_internal::HmacAlgorithm());
  if (ctx == nullptr) std::abort();
  char digest[] = "SHA256";
  std::array<OSSL_PARAM, 2> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  std::string_view k = key.bytes();
  CheckOpenSsl(
      EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(k.data()), k.size(), params.data()));
  return ctx;
}

Hash256 FinishHmac(EVP_MAC_CTX* ctx) {
  Hash256 out{};
  std::size_t len = 0;
  CheckOpenSsl(EVP_MAC_final(ctx, out.data(), &len, out.size()));
  if (len != out.size()) std::abort();
  return out;
}

}  // namespace

SecretKey DeriveKey(const SecretKey& ikm, std::string_view info) {
  if (info.size() > kMaxHkdfInfo) std::abort();  // documented precondition
  std::array<unsigned char, SecretKey::kSize> okm{};
  if (!Hkdf(ikm.bytes(), {}, info, okm.data(), okm.size())) std::abort();
  Result<SecretKey> key =
      SecretKey::FromBytes({reinterpret_cast<const char*>(okm.data()), okm.size()});
  OPENSSL_cleanse(okm.data(), okm.size());
  return std::move(key).value();  // the size is right by construction
}

Result<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                               std::size_t length) {
  if (length == 0 || length > 255 * kHashSize) {
    return Status::InvalidArgument("HKDF-SHA256 output length must be 1.." +
                                   std::to_string(255 * kHashSize) + " bytes, got " +
                                   std::to_string(length));
  }
  if (info.size() > kMaxHkdfInfo) {
    return Status::InvalidArgument("HKDF info is " + std::to_string(info.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(kMaxHkdfInfo));
  }
  std::string out(length, '\0');
  if (!Hkdf(ikm, salt, info, reinterpret_cast<unsigned char*>(out.data()), out.size())) {
    OPENSSL_cleanse(out.data(), out.size());
    return Status::Internal("OpenSSL HKDF-SHA256 failed");
  }
  return out;
}

Hash256 HmacSha256(const SecretKey& key, std::string_view data) {
  EVP_MAC_CTX* ctx = NewHmacContext(key);
  CheckOpenSsl(
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()));
  Hash256 out = FinishHmac(ctx);
  EVP_MAC_CTX_free(ctx);
  return out;
}

struct Hmac::State {
  EVP_MAC_CTX* ctx = nullptr;
  ~State() { EVP_MAC_CTX_free(ctx); }  // the HMAC provider wipes its key state
};

Hmac::Hmac(const SecretKey& key) : state_(std::make_unique<State>()) {
  state_->ctx = NewHmacContext(key);
}

Hmac::~Hmac() = default;
Hmac::Hmac(Hmac&&) noexcept = default;
Hmac& Hmac::operator=(Hmac&&) noexcept = default;

void Hmac::Update(std::string_view bytes) {
  CheckOpenSsl(EVP_MAC_update(state_->ctx, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size()));
}

Hash256 Hmac::Finish() {
  Hash256 out = FinishHmac(state_->ctx);
  // A null key restarts the next message under the key already set (no new key schedule).
  CheckOpenSsl(EVP_MAC_init(state_->ctx, nullptr, 0, nullptr));
  return out;
}

}  // namespace ledger
