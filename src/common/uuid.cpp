#include "common/uuid.h"

#include "common/hex.h"

namespace ledger {

std::string Uuid::ToString() const {
  std::string hex = ToHex(AsBytes());
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    out.push_back(hex[i]);
  }
  return out;
}

std::optional<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string hex;
  hex.reserve(32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash_position = (i == 8 || i == 13 || i == 18 || i == 23);
    if (dash_position != (text[i] == '-')) return std::nullopt;
    if (!dash_position) hex.push_back(text[i]);
  }
  std::optional<std::string> raw = FromHex(hex);
  if (!raw) return std::nullopt;
  Uuid id;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    id.bytes[i] = static_cast<std::uint8_t>((*raw)[i]);
  }
  return id;
}

bool Uuid::IsNil() const {
  for (std::uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace ledger
