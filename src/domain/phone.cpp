// See phone.h for the contract (what is accepted, valid vs possible, extensions).
#include "domain/phone.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <string>
#include <utility>

namespace ledger::domain {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsSpaceOrTab(char c) {
  return c == ' ' || c == '\t';
}
bool IsAsciiWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsPrintableAsciiOrTab(char c) {
  return (c >= 0x20 && c <= 0x7e) || c == '\t';
}
bool IsAllowedPunctuation(char c) {
  return c == '+' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

std::string_view TrimAsciiWhitespace(std::string_view s) {
  while (!s.empty() && IsAsciiWhitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiWhitespace(s.back())) s.remove_suffix(1);
  return s;
}

Status Invalid(std::string_view why) {
  return Status::InvalidArgument("phone number " + std::string(why));
}

Status ParseError(PhoneNumberUtil::ErrorType error) {
  switch (error) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return Invalid("has an unknown country calling code");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Invalid("is too short");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Invalid("is too long");
    case PhoneNumberUtil::NOT_A_NUMBER:
    case PhoneNumberUtil::NO_PARSING_ERROR:  // not called with it; keep the switch total
      break;
  }
  return Invalid("is not a phone number");
}

Status NotPossible(PhoneNumberUtil::ValidationResult reason) {
  switch (reason) {
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return Invalid("is a local number: include the area code");
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return Invalid("has an unknown country calling code");
    case PhoneNumberUtil::TOO_SHORT:
      return Invalid("is too short");
    case PhoneNumberUtil::TOO_LONG:
      return Invalid("is too long");
    case PhoneNumberUtil::INVALID_LENGTH:
    case PhoneNumberUtil::IS_POSSIBLE:  // not called with it; keep the switch total
      break;
  }
  return Invalid("has the wrong number of digits for its country");
}

// [2-9]XX and not N11.
bool IsNanpCode(std::string_view code) {
  return code.size() == 3 && code[0] >= '2' && code[0] <= '9' && IsAsciiDigit(code[1]) &&
         IsAsciiDigit(code[2]) && !(code[1] == '1' && code[2] == '1');
}

// The permanent NANP structure (see phone.h): NPA-NXX-XXXX with NPA not N9X and not 555.
bool HasNanpStructure(std::string_view national) {
  if (national.size() != 10) return false;
  for (char c : national) {
    if (!IsAsciiDigit(c)) return false;
  }
  std::string_view npa = national.substr(0, 3);
  std::string_view nxx = national.substr(3, 3);
  return IsNanpCode(npa) && npa[1] != '9' && npa != "555" && IsNanpCode(nxx);
}

}  // namespace

Result<PhoneNormalizer> PhoneNormalizer::Create(std::string default_region) {
  // GetCountryCodeForRegion is 0 for anything libphonenumber has no metadata for, including
  // lower case, "ZZ" (unknown) and "001" (non-geographical entities).
  if (default_region.size() != 2 ||
      PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(default_region) == 0) {
    return Status::InvalidArgument(
        "default phone region must be an upper-case ISO 3166-1 alpha-2 code such as \"US\", "
        "got \"" +
        default_region.substr(0, 8) + "\"");
  }
  return PhoneNormalizer(std::move(default_region));
}

Result<std::string> PhoneNormalizer::ToE164(std::string_view input) const {
  std::string_view trimmed = TrimAsciiWhitespace(input);
  if (trimmed.empty()) return Invalid("is empty");
  if (input.size() > kMaxInputLength) {
    return Invalid("is longer than " + std::to_string(kMaxInputLength) + " characters");
  }
  bool has_letter = false;
  bool has_other = false;  // punctuation we do not allow (letters are counted separately)
  for (char c : trimmed) {
    // Checked before libphonenumber sees the bytes: it decodes UTF-8 and would otherwise accept
    // full-width or Arabic-Indic digits, and we do not want to rely on its handling of malformed
    // UTF-8.
    if (!IsPrintableAsciiOrTab(c)) return Invalid("contains a character that is not allowed");
    if (IsAsciiLetter(c)) {
      has_letter = true;
    } else if (!IsAsciiDigit(c) && !IsSpaceOrTab(c) && !IsAllowedPunctuation(c)) {
      has_other = true;
    }
  }

  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  PhoneNumberUtil::ErrorType error = util.Parse(std::string(trimmed), default_region_, &number);
  // Extensions are recognised by libphonenumber (x, ext, extension, #, ;ext=...), so ask it first
  // to give the more useful message.
  if (error == PhoneNumberUtil::NO_PARSING_ERROR && number.has_extension()) {
    return Invalid("has an extension, which E.164 cannot hold: give the number without it");
  }
  if (has_letter) {
    return Invalid(
        "contains letters: use digits only (vanity numbers like 1-800-FLOWERS are not accepted)");
  }
  if (has_other) {
    return Invalid(
        "contains a character that is not allowed: use digits, spaces and + - . ( ) / only");
  }
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) return ParseError(error);

  PhoneNumberUtil::ValidationResult possible = util.IsPossibleNumberWithReason(number);
  if (possible != PhoneNumberUtil::IS_POSSIBLE) return NotPossible(possible);

  if (!util.IsValidNumber(number)) {
    std::string national;
    util.GetNationalSignificantNumber(number, &national);
    if (number.country_code() != 1 || !HasNanpStructure(national)) {
      return Invalid("is not a valid number in its country");
    }
  }

  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

}  // namespace ledger::domain
