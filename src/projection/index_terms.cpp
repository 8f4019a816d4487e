#include "projection/index_terms.h"

#include <algorithm>

#include "domain/rules.h"

namespace ledger::projection {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Byte length of the UTF-8 character starting with `lead` (1 for anything malformed).
std::size_t Utf8Length(unsigned char lead) {
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 1;
}

void AddNameTerms(std::string_view text, std::vector<std::string>& terms) {
  for (const std::string& token : NameTokens(text)) {
    // Prefixes end on character boundaries.
    std::size_t chars = 0;
    for (std::size_t i = 0; i < token.size();) {
      i += Utf8Length(static_cast<unsigned char>(token[i]));
      i = std::min(i, token.size());
      ++chars;
      if (chars > kMaxNamePrefix) break;
      if (chars >= kMinNamePrefix || i == token.size())
        terms.push_back(NameTerm(token.substr(0, i)));
    }
  }
}

}  // namespace

std::string PhoneTerm(std::string_view e164) {
  return "p:" + std::string(e164);
}
std::string EmailTerm(std::string_view address) {
  return "e:" + domain::LowerAscii(address);
}
std::string ExternalIdTerm(std::string_view system, std::string_view id) {
  return "x:" + domain::LowerAscii(system) + ":" + std::string(id);
}
std::string NameTerm(std::string_view token) {
  return "n:" + std::string(token);
}

std::vector<std::string> NameTokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (c == '\'') continue;  // O'Neil, D'Angelo
    if (IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      current.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::vector<std::string> IndexTerms(const domain::CustomerState& s) {
  std::vector<std::string> terms;
  if (!s.registered() || s.status == domain::CustomerStatus::kErased) return terms;
  for (const domain::Phone& p : s.phones) terms.push_back(PhoneTerm(p.number));
  for (const domain::Email& m : s.emails) terms.push_back(EmailTerm(m.address));
  for (const domain::ExternalId& x : s.external_ids)
    terms.push_back(ExternalIdTerm(x.system, x.id));
  for (const std::string* name : {&s.first_name, &s.last_name, &s.company_name, &s.contact_name}) {
    AddNameTerms(*name, terms);
  }
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

}  // namespace ledger::projection
