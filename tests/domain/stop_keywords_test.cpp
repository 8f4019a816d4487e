#include "domain/stop_keywords.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ledger::domain {
namespace {

// "opt out" -> {"opt out", "OPT OUT", "Opt Out", "oPT oUT"}.
std::vector<std::string> Casings(const std::string& word) {
  std::string upper = word;
  std::string lower = word;
  std::string title = word;
  std::string alternating = word;
  bool start = true;
  for (std::size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    char up = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    char low = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    upper[i] = up;
    lower[i] = low;
    title[i] = start ? up : low;
    alternating[i] = i % 2 == 0 ? low : up;
    start = !letter;
  }
  return {upper, lower, title, alternating};
}

const std::vector<std::string> kKeywords = {"stop",     "quit",   "end",         "revoke",
                                            "opt out",  "cancel", "unsubscribe", "stopall",
                                            "stop all", "optout", "opt-out"};

TEST_CASE("every keyword is an opt-out in any casing and with surrounding whitespace",
          "[domain][sms]") {
  for (const std::string& keyword : kKeywords) {
    for (const std::string& word : Casings(keyword)) {
      INFO("\"" << word << "\"");
      CHECK(IsOptOutMessage(word));
      CHECK(IsOptOutMessage(" " + word));
      CHECK(IsOptOutMessage(word + " "));
      CHECK(IsOptOutMessage("  \t" + word + "\r\n"));
      CHECK(IsOptOutMessage("\n\n" + word + "\n"));
      CHECK(IsOptOutMessage("\v\f" + word + "\f\v"));
    }
  }
}

TEST_CASE("internal whitespace runs count as one space", "[domain][sms]") {
  CHECK(IsOptOutMessage("OPT   OUT"));
  CHECK(IsOptOutMessage("opt\tout"));
  CHECK(IsOptOutMessage("Opt \t\r\n Out"));
  CHECK(IsOptOutMessage("  opt  out  "));
  CHECK(IsOptOutMessage("stop \n all"));
  // ...but whitespace cannot be removed or inserted inside a word.
  CHECK_FALSE(IsOptOutMessage("S T O P"));
  CHECK_FALSE(IsOptOutMessage("st op"));
  CHECK_FALSE(IsOptOutMessage("un subscribe"));
  CHECK_FALSE(IsOptOutMessage("opt - out"));
  CHECK_FALSE(IsOptOutMessage("opt- out"));
}

TEST_CASE("only the whole message counts", "[domain][sms]") {
  for (const char* body : {"stop please",
                           "please stop",
                           "don't stop",
                           "STOP STOP",
                           "stop!",
                           "STOP.",
                           "\"stop\"",
                           "stop it",
                           "I want to quit smoking",
                           "the end",
                           "cancel my order",
                           "unsubscribe me",
                           "revoked",
                           "stopped",
                           "stops",
                           "nonstop",
                           "ends",
                           "opt in",
                           "opt",
                           "out",
                           "opt out now",
                           "stop all messages",
                           "stop-all",
                           "opt_out",
                           "opt.out"}) {
    INFO("\"" << body << "\"");
    CHECK_FALSE(IsOptOutMessage(body));
  }
}

TEST_CASE("non-opt-out messages and degenerate input", "[domain][sms]") {
  for (const char* body :
       {"", " ", "\t\r\n", "yes", "START", "UNSTOP", "HELP", "INFO", "hi", "s", "sto", "stopp",
        "unsubscribed", "unsubscribe unsubscribe", "cancelled"}) {
    INFO("\"" << body << "\"");
    CHECK_FALSE(IsOptOutMessage(body));
  }
  // Long input is rejected without trouble, also when it is all whitespace around a keyword.
  CHECK_FALSE(IsOptOutMessage(std::string(100000, 'x')));
  CHECK(IsOptOutMessage(std::string(100000, ' ') + "stop" + std::string(100000, '\n')));
  CHECK_FALSE(IsOptOutMessage(std::string(100000, ' ') + "stop x"));
}

TEST_CASE("non-ASCII bytes are never letters or whitespace", "[domain][sms]") {
  // Full-width STOP, a Turkish dotless i in QUIT, Cyrillic lookalikes, Latin-1 and raw bytes.
  CHECK_FALSE(IsOptOutMessage("\xEF\xBC\xB3\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0"));
  CHECK_FALSE(IsOptOutMessage("QU\xC4\xB1T"));
  CHECK_FALSE(IsOptOutMessage("\xD0\xA1TOP"));   // Cyrillic capital ES
  CHECK_FALSE(IsOptOutMessage("stop\xC2\xA0"));  // trailing non-breaking space
  CHECK_FALSE(IsOptOutMessage("\xC2\xA0stop"));
  CHECK_FALSE(IsOptOutMessage("opt\xC2\xA0out"));
  CHECK_FALSE(IsOptOutMessage("STOP\xFF"));
  CHECK_FALSE(IsOptOutMessage("\x80\x81\x82\x83"));
  // Bytes that would fold onto ASCII letters under a Latin-1 locale (0xD3 = O acute, 0xF3).
  CHECK_FALSE(IsOptOutMessage("st\xD3p"));
  CHECK_FALSE(IsOptOutMessage("st\xF3p"));
  CHECK_FALSE(IsOptOutMessage(std::string("stop\0", 5)));
  CHECK_FALSE(IsOptOutMessage(std::string("\0stop", 5)));
  // Bytes that are ASCII letters +/- 0x20 or +/- 0x80 do not fold.
  CHECK_FALSE(IsOptOutMessage("\xD3TOP"));  // 'S' + 0x80
  CHECK_FALSE(IsOptOutMessage("STO\x10"));  // 'P' - 0x40
  CHECK_FALSE(IsOptOutMessage("STO\x70\x01"));
}

TEST_CASE("START and UNSTOP, alone, ask to receive texts again", "[domain][sms]") {
  for (const char* text : {"START", "start", "  Start\n", "UNSTOP", "unStop", "\tUNSTOP "}) {
    INFO(text);
    CHECK(IsOptInMessage(text));
    CHECK_FALSE(IsOptOutMessage(text));
  }
  for (const char* text : {"", "STOP", "START please", "restart", "STARTS", "UN STOP", "yes",
                           "start\xC2\xA0", "S TART"}) {
    INFO(text);
    CHECK_FALSE(IsOptInMessage(text));
  }
  CHECK_FALSE(IsOptInMessage(std::string("start\0", 6)));
}

}  // namespace
}  // namespace ledger::domain
