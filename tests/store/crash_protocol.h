// What ledger-crash-writer (crash_writer.cpp) and the crash test (crash_test.cpp) agree on: how an
// event's payload describes the append it belongs to, and the line the writer sends for every
// acknowledged append.
//
//   payload:  <append-id>|<index-in-append>|<events-in-append>|<stream>|<filler>
//   ack line: <append-id> <first_position> <last_position> (<stream> <first_version>
//             <last_version>)... '\n'
//
// Append ids contain neither '|' nor ' '; stream ids cannot (see IsValidStreamId).
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/types.h"

namespace ledger::testing::crash {

inline constexpr std::size_t kPayloadBytes = 100;

// What one event's payload says about its append.
struct PayloadInfo {
  std::string append_id;
  std::size_t index = 0;  // position of the event in the request, over all its streams
  std::size_t count = 0;  // events in the whole append
  std::string stream;
};

// An append the store acknowledged.
struct Ack {
  std::string append_id;
  std::uint64_t first_position = 0;
  std::uint64_t last_position = 0;
  std::vector<store::StreamRange> streams;  // in request order
};

// Splits `text` at every `separator`.
inline std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    std::size_t end = text.find(separator);
    parts.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return parts;
    text.remove_prefix(end + 1);
  }
}

template <class Int>
std::optional<Int> ParseInt(std::string_view text) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

inline std::string EncodePayload(const PayloadInfo& info) {
  std::string out = info.append_id + '|' + std::to_string(info.index) + '|' +
                    std::to_string(info.count) + '|' + info.stream + '|';
  if (out.size() < kPayloadBytes) out.append(kPayloadBytes - out.size(), 'x');
  return out;
}

inline std::optional<PayloadInfo> DecodePayload(std::string_view payload) {
  std::vector<std::string_view> parts = Split(payload, '|');
  if (parts.size() != 5 || parts[0].empty() || parts[3].empty()) return std::nullopt;
  auto index = ParseInt<std::size_t>(parts[1]);
  auto count = ParseInt<std::size_t>(parts[2]);
  if (!index || !count || *index >= *count) return std::nullopt;
  return PayloadInfo{std::string(parts[0]), *index, *count, std::string(parts[3])};
}

inline std::string EncodeAck(const Ack& ack) {
  std::string out = ack.append_id + ' ' + std::to_string(ack.first_position) + ' ' +
                    std::to_string(ack.last_position);
  for (const store::StreamRange& r : ack.streams) {
    out += ' ' + r.stream + ' ' + std::to_string(r.first_version) + ' ' +
           std::to_string(r.last_version);
  }
  out += '\n';
  return out;
}

// `line` is one ack line without its '\n'.
inline std::optional<Ack> DecodeAck(std::string_view line) {
  std::vector<std::string_view> parts = Split(line, ' ');
  if (parts.size() < 6 || parts.size() % 3 != 0 || parts[0].empty()) return std::nullopt;
  Ack ack;
  ack.append_id = std::string(parts[0]);
  auto first = ParseInt<std::uint64_t>(parts[1]);
  auto last = ParseInt<std::uint64_t>(parts[2]);
  if (!first || !last) return std::nullopt;
  ack.first_position = *first;
  ack.last_position = *last;
  for (std::size_t i = 3; i < parts.size(); i += 3) {
    auto first_version = ParseInt<std::uint64_t>(parts[i + 1]);
    auto last_version = ParseInt<std::uint64_t>(parts[i + 2]);
    if (parts[i].empty() || !first_version || !last_version) return std::nullopt;
    ack.streams.push_back({std::string(parts[i]), *first_version, *last_version});
  }
  return ack;
}

}  // namespace ledger::testing::crash
