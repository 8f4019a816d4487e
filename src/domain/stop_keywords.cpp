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

// Longer than any keyword: a message that normalises to more than this is not one.
constexpr std::size_t kBufferSize = 16;

bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

char ToUpperAscii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

bool IsOptOutMessage(std::string_view sms_body) {
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
  for (std::string_view keyword : kKeywords) {
    if (normalized == keyword) return true;
  }
  return false;
}

}  // namespace ledger::domain
