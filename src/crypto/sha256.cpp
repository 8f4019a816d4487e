#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace ledger {

struct Sha256::State {
  EVP_MD* md = nullptr;
  EVP_MD_CTX* ctx = nullptr;
};

// OpenSSL only fails these calls on allocation failure or a broken installation; neither is
// recoverable for a ledger whose integrity depends on hashing, so we abort rather than return a
// wrong digest.
static void CheckOpenSsl(int rc) {
  if (rc != 1) std::abort();
}

Sha256::Sha256() : state_(new State) {
  // Explicit fetch: implicit EVP_sha256() lookups cost a provider search on every init.
  state_->md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  state_->ctx = EVP_MD_CTX_new();
  if (state_->md == nullptr || state_->ctx == nullptr) std::abort();
  Restart();
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(state_->ctx);
  EVP_MD_free(state_->md);
  delete state_;
}

void Sha256::Restart() {
  CheckOpenSsl(EVP_DigestInit_ex2(state_->ctx, state_->md, nullptr));
}

void Sha256::Update(std::string_view bytes) {
  CheckOpenSsl(EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size()));
}

Hash256 Sha256::Finish() {
  Hash256 out{};
  unsigned int len = 0;
  CheckOpenSsl(EVP_DigestFinal_ex(state_->ctx, out.data(), &len));
  if (len != out.size()) std::abort();
  Restart();
  return out;
}

Hash256 Sha256Of(std::string_view bytes) {
  // One hasher per thread, reused: for a short input (a bearer token, a request fingerprint),
  // fetching the algorithm and allocating a context cost several times the hashing itself, and
  // the fetch searches OpenSSL's provider store under its lock. Finish() leaves it restarted.
  thread_local Sha256 h;
  h.Update(bytes);
  return h.Finish();
}

}  // namespace ledger
