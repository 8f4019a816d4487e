// Bearer-token authentication for ledgerd.
//
// The auth file has one key per line: `TOKEN ACTOR ROLE[,ROLE...]`; blank lines and everything
// after `#` are ignored. Roles: agent, manager, finance, compliance, admin (admin may do
// everything). Tokens are kept only as SHA-256 digests; a presented token is hashed and compared
// with CRYPTO_memcmp, so lookups take the same time whether or not a prefix matches. The actor
// recorded in events is always the token's actor, never anything from a request body.
//
// Thread safety: an Authenticator is immutable after loading; Authenticate may be called from
// any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"
#include "service/ledger.h"

namespace ledger::http {

class Authenticator {
 public:
  // Parses the file; kInvalidArgument names the line of a malformed entry, kFailedPrecondition
  // refuses a file that group or others can read.
  static Result<Authenticator> Load(const std::string& path);
  // Parses auth file content (for tests and Load).
  static Result<Authenticator> Parse(std::string_view content);

  // Creates `path` (mode 0600) with one admin token if it does not exist, and returns its path
  // and whether it was created. Used when ledgerd runs without --auth-file.
  struct DevKey {
    std::string path;
    bool created = false;
  };
  static Result<DevKey> EnsureDevKey(const std::string& path);

  // The principal of an `Authorization` header value ("Bearer TOKEN"); nullopt when missing,
  // malformed or unknown.
  std::optional<service::Principal> Authenticate(std::string_view authorization_header) const;

  std::size_t size() const { return keys_.size(); }

 private:
  std::unordered_map<std::string, service::Principal> keys_;  // SHA-256(token) -> principal
};

// "agent" -> Role::kAgent ...
std::optional<domain::Role> ParseRole(std::string_view name);
std::string_view RoleName(domain::Role role);

}  // namespace ledger::http
