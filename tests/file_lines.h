// FileLines: the lines of a text file (a log, a tool's output), without their newlines; empty
// when the file does not exist. For tests only.
#pragma once

#include <fstream>
#include <string>
#include <vector>

namespace ledger::testing {

inline std::vector<std::string> FileLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace ledger::testing
