// ParseCsv: a strict RFC 4180 reader for checking the tool's csv output. Records end with CRLF
// or LF; a field is either bare (no quote, comma or line break in it) or quoted, with "" for a
// quote inside. Anything else (a quote in a bare field, text after a closing quote, an
// unterminated quote) is a parse error: nullopt.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ledger::testing {

using CsvRow = std::vector<std::string>;

inline std::optional<std::vector<CsvRow>> ParseCsv(const std::string& text) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= n) return std::nullopt;  // unterminated quote
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') return std::nullopt;
    } else {
      while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"') return std::nullopt;
        field += text[i++];
      }
    }
    row.push_back(std::move(field));
    field.clear();
    if (i >= n) break;
    if (text[i] == ',') {
      ++i;
      if (i == n) row.push_back("");  // a trailing comma ends with an empty field
      continue;
    }
    if (text[i] == '\r') {
      if (i + 1 >= n || text[i + 1] != '\n') return std::nullopt;
      ++i;
    }
    ++i;  // '\n'
    rows.push_back(std::move(row));
    row.clear();
  }
  if (!row.empty()) rows.push_back(std::move(row));
  return rows;
}

}  // namespace ledger::testing
