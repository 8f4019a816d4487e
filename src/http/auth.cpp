#include "http/auth.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "common/hex.h"
#include "crypto/random.h"
#include "crypto/sha256.h"

namespace ledger::http {
namespace {

std::string Digest(std::string_view token) {
  Hash256 h = Sha256Of(token);
  return std::string(HashBytes(h));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<domain::Role> ParseRole(std::string_view name) {
  if (name == "agent") return domain::Role::kAgent;
  if (name == "manager") return domain::Role::kManager;
  if (name == "finance") return domain::Role::kFinance;
  if (name == "compliance") return domain::Role::kCompliance;
  if (name == "admin") return domain::Role::kAdmin;
  return std::nullopt;
}

std::string_view RoleName(domain::Role role) {
  switch (role) {
    case domain::Role::kAgent:
      return "agent";
    case domain::Role::kManager:
      return "manager";
    case domain::Role::kFinance:
      return "finance";
    case domain::Role::kCompliance:
      return "compliance";
    case domain::Role::kAdmin:
      return "admin";
  }
  return "agent";
}

Result<Authenticator> Authenticator::Parse(std::string_view content) {
  Authenticator auth;
  std::size_t line_no = 0;
  while (!content.empty()) {
    std::size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content = end == std::string_view::npos ? std::string_view() : content.substr(end + 1);
    ++line_no;
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    line = Trim(line);
    if (line.empty()) continue;
    std::istringstream fields{std::string(line)};
    std::string token, actor, roles, extra;
    fields >> token >> actor >> roles;
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("auth file line " + std::to_string(line_no) + ": " + why);
    };
    if (roles.empty()) return bad("expected TOKEN ACTOR ROLE[,ROLE...]");
    if (fields >> extra) return bad("unexpected text after the roles");
    if (token.size() < 16) return bad("tokens must be at least 16 characters");
    service::Principal principal{actor, {}};
    std::string_view list = roles;
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      std::string_view name = list.substr(0, comma);
      std::optional<domain::Role> role = ParseRole(name);
      if (!role) return bad("unknown role '" + std::string(name) + "'");
      principal.roles.insert(*role);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
    if (!auth.keys_.emplace(Digest(token), std::move(principal)).second) {
      return bad("the same token appears twice");
    }
  }
  return auth;
}

Result<Authenticator> Authenticator::Load(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Status::NotFound("no auth file at " + path);
  if ((st.st_mode & 077) != 0) {
    return Status::FailedPrecondition("auth file " + path +
                                      " is readable by others; run chmod 600 on it");
  }
  std::ifstream in(path);
  if (!in) return Status::IOError("cannot read auth file " + path);
  std::stringstream content;
  content << in.rdbuf();
  Result<Authenticator> auth = Parse(content.str());
  if (!auth.ok()) return auth.status().WithContext(path);
  if (auth->size() == 0) return Status::InvalidArgument("auth file " + path + " has no keys");
  return auth;
}

Result<Authenticator::DevKey> Authenticator::EnsureDevKey(const std::string& path) {
  DevKey key{path, false};
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return key;
    return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
  }
  std::string line =
      "# Development key created by ledgerd; replace with --auth-file in production.\n" +
      ToHex(RandomBytes(24)) + " dev-admin admin\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::IOError("cannot write " + path);
  key.created = true;
  return key;
}

std::optional<service::Principal> Authenticator::Authenticate(std::string_view header) const {
  constexpr std::string_view kBearer = "bearer ";
  // The scheme is case-insensitive (RFC 9110 section 11.1): "bearer" and "BEARER" are Bearer.
  if (header.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header.begin(), [](char want, char got) {
        return want == std::tolower(static_cast<unsigned char>(got));
      })) {
    return std::nullopt;
  }
  std::string digest = Digest(Trim(header.substr(kBearer.size())));
  auto it = keys_.find(digest);
  if (it == keys_.end()) return std::nullopt;
  // Equal by the map already; the constant-time comparison documents and enforces the intent.
  if (CRYPTO_memcmp(it->first.data(), digest.data(), digest.size()) != 0) return std::nullopt;
  return it->second;
}

}  // namespace ledger::http
