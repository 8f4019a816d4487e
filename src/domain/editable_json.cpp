#include "domain/editable_json.h"

#include <set>

#include "domain/enum_names.h"
#include "domain/json_diff.h"

namespace ledger::domain {
namespace {

using nlohmann::json;

Status Bad(std::string message, std::string field) {
  return Status::InvalidArgument(std::move(message)).WithField(std::move(field));
}

// Reads an optional string member; null and absence both mean "".
Status ReadString(const json& obj, const char* key, const std::string& base, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    out->clear();
    return Status::Ok();
  }
  if (!it->is_string()) return Bad("must be a string", base + "/" + key);
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadBool(const json& obj, const char* key, const std::string& base, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    *out = false;
    return Status::Ok();
  }
  if (!it->is_boolean()) return Bad("must be true or false", base + "/" + key);
  *out = it->get<bool>();
  return Status::Ok();
}

template <class E>
Status ReadEnum(const json& obj, const char* key, const std::string& base, E fallback, E* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    *out = fallback;
    return Status::Ok();
  }
  std::optional<E> parsed = it->is_string() ? ParseEnum<E>(it->get<std::string>()) : std::nullopt;
  if (!parsed) {
    std::string allowed;
    for (E v : EnumInfo<E>::values()) allowed += (allowed.empty() ? "" : ", ") + EnumName(v);
    return Bad("must be one of: " + allowed, base + "/" + key);
  }
  *out = *parsed;
  return Status::Ok();
}

Status RequireObject(const json& v, const std::string& field) {
  return v.is_object() ? Status::Ok() : Bad("must be an object", field);
}

Status OnlyKeys(const json& obj, std::initializer_list<const char*> allowed,
                const std::string& base) {
  std::set<std::string_view> known(allowed.begin(), allowed.end());
  for (const auto& [key, value] : obj.items()) {
    if (!known.contains(key)) {
      return Bad("is not an editable field", base + "/" + EscapeJsonPointerSegment(key));
    }
  }
  return Status::Ok();
}

// Arrays: null or absent is empty.
Result<const json*> ReadArray(const json& obj, const char* key, const std::string& base) {
  static const json kEmpty = json::array();
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return &kEmpty;
  if (!it->is_array()) return Bad("must be an array", base + "/" + key);
  return &*it;
}

}  // namespace

json EditableJson(const EditableProfile& p) {
  json phones = json::array();
  for (const PhoneInput& ph : p.phones) {
    phones.push_back({{"id", ph.id}, {"kind", EnumName(ph.kind)}, {"number", ph.number}});
  }
  json emails = json::array();
  for (const EmailInput& m : p.emails) emails.push_back({{"id", m.id}, {"address", m.address}});
  json external_ids = json::array();
  for (const ExternalId& x : p.external_ids) {
    external_ids.push_back({{"system", x.system}, {"id", x.id}});
  }
  return {{"kind", EnumName(p.kind)},
          {"first_name", p.first_name},
          {"last_name", p.last_name},
          {"company_name", p.company_name},
          {"contact_name", p.contact_name},
          {"date_of_birth", p.date_of_birth},
          {"language", p.language},
          {"contact_time", EnumName(p.contact_time)},
          {"address",
           {{"line1", p.address.line1},
            {"line2", p.address.line2},
            {"city", p.address.city},
            {"region", p.address.region},
            {"postal_code", p.address.postal_code},
            {"country", p.address.country}}},
          {"additional_info", p.additional_info},
          {"phones", std::move(phones)},
          {"emails", std::move(emails)},
          {"external_ids", std::move(external_ids)},
          {"tags", p.tags},
          {"preferences",
           {{"do_not_call", p.do_not_call},
            {"do_not_email", p.do_not_email},
            {"do_not_mail", p.do_not_mail},
            {"preferred_method", p.preferred_method == PreferredMethod::None
                                     ? json(nullptr)
                                     : json(EnumName(p.preferred_method))}}}};
}

Result<EditableProfile> ParseEditable(const json& doc, const PhoneNormalizer& normalizer) {
  LEDGER_RETURN_IF_ERROR(RequireObject(doc, ""));
  LEDGER_RETURN_IF_ERROR(
      OnlyKeys(doc,
               {"kind", "first_name", "last_name", "company_name", "contact_name", "date_of_birth",
                "language", "contact_time", "address", "additional_info", "phones", "emails",
                "external_ids", "tags", "preferences"},
               ""));
  EditableProfile p;
  LEDGER_RETURN_IF_ERROR(ReadEnum(doc, "kind", "", CustomerKind::Person, &p.kind));
  LEDGER_RETURN_IF_ERROR(ReadString(doc, "first_name", "", &p.first_name));
  LEDGER_RETURN_IF_ERROR(ReadString(doc, "last_name", "", &p.last_name));
  LEDGER_RETURN_IF_ERROR(ReadString(doc, "company_name", "", &p.company_name));
  LEDGER_RETURN_IF_ERROR(ReadString(doc, "contact_name", "", &p.contact_name));
  LEDGER_RETURN_IF_ERROR(ReadString(doc, "date_of_birth", "", &p.date_of_birth));
  LEDGER_RETURN_IF_ERROR(ReadString(doc, "language", "", &p.language));
  LEDGER_RETURN_IF_ERROR(ReadEnum(doc, "contact_time", "", ContactTime::Any, &p.contact_time));
  LEDGER_RETURN_IF_ERROR(ReadString(doc, "additional_info", "", &p.additional_info));

  if (auto it = doc.find("address"); it != doc.end() && !it->is_null()) {
    LEDGER_RETURN_IF_ERROR(RequireObject(*it, "/address"));
    LEDGER_RETURN_IF_ERROR(
        OnlyKeys(*it, {"line1", "line2", "city", "region", "postal_code", "country"}, "/address"));
    LEDGER_RETURN_IF_ERROR(ReadString(*it, "line1", "/address", &p.address.line1));
    LEDGER_RETURN_IF_ERROR(ReadString(*it, "line2", "/address", &p.address.line2));
    LEDGER_RETURN_IF_ERROR(ReadString(*it, "city", "/address", &p.address.city));
    LEDGER_RETURN_IF_ERROR(ReadString(*it, "region", "/address", &p.address.region));
    LEDGER_RETURN_IF_ERROR(ReadString(*it, "postal_code", "/address", &p.address.postal_code));
    LEDGER_RETURN_IF_ERROR(ReadString(*it, "country", "/address", &p.address.country));
  }

  LEDGER_ASSIGN_OR_RETURN(const json* phones, ReadArray(doc, "phones", ""));
  for (std::size_t i = 0; i < phones->size(); ++i) {
    const json& item = (*phones)[i];
    std::string base = "/phones/" + std::to_string(i);
    LEDGER_RETURN_IF_ERROR(RequireObject(item, base));
    LEDGER_RETURN_IF_ERROR(
        OnlyKeys(item, {"id", "kind", "number", "sms_opt_in", "sms_order"}, base));
    PhoneInput ph;
    LEDGER_RETURN_IF_ERROR(ReadString(item, "id", base, &ph.id));
    LEDGER_RETURN_IF_ERROR(ReadEnum(item, "kind", base, PhoneKind::Cell, &ph.kind));
    std::string raw;
    LEDGER_RETURN_IF_ERROR(ReadString(item, "number", base, &raw));
    Result<std::string> e164 = normalizer.ToE164(raw);
    if (!e164.ok()) return Bad(e164.status().message(), base + "/number");
    ph.number = std::move(e164).value();
    p.phones.push_back(std::move(ph));
  }

  LEDGER_ASSIGN_OR_RETURN(const json* emails, ReadArray(doc, "emails", ""));
  for (std::size_t i = 0; i < emails->size(); ++i) {
    const json& item = (*emails)[i];
    std::string base = "/emails/" + std::to_string(i);
    LEDGER_RETURN_IF_ERROR(RequireObject(item, base));
    LEDGER_RETURN_IF_ERROR(OnlyKeys(
        item, {"id", "address", "bounced", "bounce_count", "invalid", "last_bounced_at"}, base));
    EmailInput m;
    LEDGER_RETURN_IF_ERROR(ReadString(item, "id", base, &m.id));
    LEDGER_RETURN_IF_ERROR(ReadString(item, "address", base, &m.address));
    p.emails.push_back(std::move(m));
  }

  LEDGER_ASSIGN_OR_RETURN(const json* external_ids, ReadArray(doc, "external_ids", ""));
  for (std::size_t i = 0; i < external_ids->size(); ++i) {
    const json& item = (*external_ids)[i];
    std::string base = "/external_ids/" + std::to_string(i);
    LEDGER_RETURN_IF_ERROR(RequireObject(item, base));
    LEDGER_RETURN_IF_ERROR(OnlyKeys(item, {"system", "id"}, base));
    ExternalId x;
    LEDGER_RETURN_IF_ERROR(ReadString(item, "system", base, &x.system));
    LEDGER_RETURN_IF_ERROR(ReadString(item, "id", base, &x.id));
    p.external_ids.push_back(std::move(x));
  }

  LEDGER_ASSIGN_OR_RETURN(const json* tags, ReadArray(doc, "tags", ""));
  for (std::size_t i = 0; i < tags->size(); ++i) {
    if (!(*tags)[i].is_string()) return Bad("must be a string", "/tags/" + std::to_string(i));
    p.tags.push_back((*tags)[i].get<std::string>());
  }

  if (auto it = doc.find("preferences"); it != doc.end() && !it->is_null()) {
    LEDGER_RETURN_IF_ERROR(RequireObject(*it, "/preferences"));
    // The SMS and CASL flags follow consent and are read-only here; they may be echoed back.
    LEDGER_RETURN_IF_ERROR(OnlyKeys(*it,
                                    {"do_not_call", "do_not_email", "do_not_mail",
                                     "preferred_method", "sms_opt_out", "casl_email_opt_out"},
                                    "/preferences"));
    LEDGER_RETURN_IF_ERROR(ReadBool(*it, "do_not_call", "/preferences", &p.do_not_call));
    LEDGER_RETURN_IF_ERROR(ReadBool(*it, "do_not_email", "/preferences", &p.do_not_email));
    LEDGER_RETURN_IF_ERROR(ReadBool(*it, "do_not_mail", "/preferences", &p.do_not_mail));
    LEDGER_RETURN_IF_ERROR(ReadEnum(*it, "preferred_method", "/preferences", PreferredMethod::None,
                                    &p.preferred_method));
  }
  return p;
}

}  // namespace ledger::domain
