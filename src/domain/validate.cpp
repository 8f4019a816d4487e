#include "domain/validate.h"

#include <chrono>

namespace ledger::domain {

bool IsE164(std::string_view number) {
  if (number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
    return false;
  }
  for (std::size_t i = 1; i < number.size(); ++i) {
    if (number[i] < '0' || number[i] > '9') return false;
  }
  return true;
}

bool IsPlausibleEmail(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  std::size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view domain = a.substr(at + 1);
  std::size_t dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.') {
    return false;
  }
  for (char c : a) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool IsIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  auto digits = [&](std::size_t from, std::size_t n, int* out) {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (d[i] < '0' || d[i] > '9') return false;
      v = v * 10 + (d[i] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, m = 0, day = 0;
  if (!digits(0, 4, &y) || !digits(5, 2, &m) || !digits(8, 2, &day)) return false;
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  return y >= 1850 && ymd.ok();
}

bool IsCleanText(std::string_view text, bool multiline) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      bool allowed_control = multiline && (c == '\t' || c == '\n' || c == '\r');
      if ((c < 0x20 && !allowed_control) || c == 0x7f) return false;
      ++i;
      continue;
    }
    // UTF-8: lead byte decides the length; continuation bytes are 10xxxxxx; no overlongs,
    // surrogates or code points past U+10FFFF.
    std::size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || i + len > text.size()) return false;
    std::uint32_t cp = c & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

Status CheckText(std::string_view value, std::size_t max_bytes, std::string field, bool multiline) {
  if (value.size() > max_bytes) {
    return Status::InvalidArgument("must be at most " + std::to_string(max_bytes) + " bytes")
        .WithField(std::move(field));
  }
  if (!IsCleanText(value, multiline)) {
    return Status::InvalidArgument("must be valid UTF-8 without control characters")
        .WithField(std::move(field));
  }
  return Status::Ok();
}

Status CheckRequiredText(std::string_view value, std::size_t max_bytes, std::string field,
                         bool multiline) {
  if (value.empty()) return Status::InvalidArgument("is required").WithField(std::move(field));
  return CheckText(value, max_bytes, std::move(field), multiline);
}

}  // namespace ledger::domain
