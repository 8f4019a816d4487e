// See stop_keywords.h for the contract.
#include "domain/stop_keywords.h"

#include <array>
#include <cstddef>

namespace ledger::domain {
namespace {

// Upper case, single spaces: the form IsOptOutMessage normalises a message to.
constexpr std::array<std::string_view, 11> kKeywords = {
    "STOP",        "QUIT",    "END",      "REVOKE", "OPT OUT", "CANCEL",
    "UNSUBSCRIBE", "STOPALL", "STOP ALL", "OPTOUT", "OPT-OUT",
};

// The keywords that re-opt a number in after an opt-out (CTIA Messaging Principles).
constexpr std::array<std::string_view, 2> kOptInKeywords = {"START", "UNSTOP"};

// Longer than any keyword: a message that normalises to more than this is not one.
constexpr std::size_t kBufferSize = 16;

bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

char ToUpperAscii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Whether the whole of `sms_body`, normalised (see the header), is one of `keywords`.
template <std::size_t N>
bool IsKeywordMessage(std::string_view sms_body, const std::array<std::string_view, N>& keywords) {
  std::array<char, kBufferSize> buffer{};
  std::size_t size = 0;
  bool pending_space = false;  // whitespace seen after some content, not yet written
  for (char c : sms_body) {
    if (IsAsciiWhitespace(c)) {
      pending_space = size > 0;
      continue;
    }
    // Needs room for the pending space and this byte.
    if (size + (pending_space ? 2 : 1) > buffer.size()) return false;
    if (pending_space) {
      buffer[size++] = ' ';
      pending_space = false;
    }
    buffer[size++] = ToUpperAscii(c);  // bytes >= 0x80 stay as they are and match nothing
  }
  std::string_view normalized(buffer.data(), size);
  for (std::string_view keyword : keywords) {
    if (normalized == keyword) return true;
  }
  return false;
}

}  // namespace

bool IsOptOutMessage(std::string_view sms_body) { return IsKeywordMessage(sms_body, kKeywords); }

bool IsOptInMessage(std::string_view sms_body) {
  return IsKeywordMessage(sms_body, kOptInKeywords);
}

}  // namespace ledger::domain
