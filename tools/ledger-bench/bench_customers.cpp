#include "bench_customers.h"

#include <fmt/core.h>

namespace ledger::bench {

namespace {

using nlohmann::json;

constexpr std::size_t kNoteBytes = 100;

Result<std::string> IdOf(const json& answer) {
  if (!answer.contains("id") || !answer["id"].is_string()) {
    return Status::Internal("the registration answer has no id");
  }
  return answer["id"].get<std::string>();
}

}  // namespace

std::string BenchNoteText() {
  std::string text =
      "Called back about the quote for the spring service visit; the customer prefers mornings.";
  text.resize(kNoteBytes, '.');
  return text;
}

Result<std::string> RegisterRealisticCustomer(ApiClient& api) {
  json profile = {
      {"kind", "person"},
      {"first_name", "Maria"},
      {"last_name", "Gonzalez-Whitfield"},
      {"language", "es"},
      {"contact_time", "day"},
      {"phones",
       {{{"kind", "cell"}, {"number", "(415) 555-0142"}},
        {{"kind", "home"}, {"number", "415-555-0199"}}}},
      {"emails", {{{"address", "maria.gonzalez@example.com"}}, {{"address", "mgw@example.org"}}}},
      {"address",
       {{"line1", "1200 Harbor View Drive"},
        {"line2", "Apt 4B"},
        {"city", "San Mateo"},
        {"region", "CA"},
        {"postal_code", "94401"},
        {"country", "US"}}},
      {"external_ids", {{{"system", "dms"}, {"id", "C-0048213"}}}},
      {"tags", {"fleet-prospect", "service-plan", "spanish-speaking"}},
  };
  LEDGER_ASSIGN_OR_RETURN(json registered, api.Send("POST", "/v1/customers", profile));
  LEDGER_ASSIGN_OR_RETURN(std::string id, IdOf(registered));
  const std::string base = "/v1/customers/" + id;
  for (const char* note :
       {"Bought a 2022 Outback here; asks for loaner cars during service.",
        "Prefers text reminders two days before appointments, never calls at work.",
        "Interested in the extended warranty; call back after the tax refund in April."}) {
    LEDGER_RETURN_IF_ERROR(api.Send("POST", base + "/notes", {{"text", note}}).status());
  }
  LEDGER_RETURN_IF_ERROR(api.Send("PUT", base + "/consent/sms",
                                  {{"status", "opted_in"},
                                   {"phone", "(415) 555-0142"},
                                   {"method", "web"},
                                   {"disclosure_text",
                                    "Msgs from Harbor Motors about your vehicle. Msg&data rates "
                                    "may apply. Reply STOP to end."}})
                             .status());
  LEDGER_RETURN_IF_ERROR(api.Send("PUT", base + "/consent/email",
                                  {{"status", "opted_in"},
                                   {"email", "maria.gonzalez@example.com"},
                                   {"method", "paper"},
                                   {"evidence", "service intake form 2026-03-14"}})
                             .status());
  return id;
}

Result<std::vector<std::string>> RegisterNoteCustomers(ApiClient& api, std::size_t count) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < count; ++i) {
    json profile = {
        {"first_name", "Pat"},
        {"last_name", fmt::format("Writer{}", i)},
        {"phones", {{{"kind", "cell"}, {"number", fmt::format("+1650253{:04}", i)}}}},
        {"emails", {{{"address", fmt::format("writer{}@example.com", i)}}}},
    };
    LEDGER_ASSIGN_OR_RETURN(json registered, api.Send("POST", "/v1/customers", profile));
    LEDGER_ASSIGN_OR_RETURN(std::string id, IdOf(registered));
    ids.push_back(std::move(id));
  }
  return ids;
}

}  // namespace ledger::bench
