// ApiClient: speaks HTTP to a ledgerd child process as one API key, and helpers to check answers
// (problem+json shape, versions). One ApiClient per thread: httplib::Client is not thread-safe.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ledgerd_process.h"

namespace ledger::testing {

using nlohmann::json;

// What came back, with what was asked (for failure messages).
struct Reply {
  std::string request;  // "POST /v1/customers"
  bool answered = false;
  httplib::Error error = httplib::Error::Unknown;
  int status = 0;
  std::string body;
  httplib::Headers headers;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  std::string ContentType() const { return Header("Content-Type"); }
  // The body as JSON; `discarded` when it is not JSON.
  json Json() const { return json::parse(body, nullptr, /*allow_exceptions=*/false); }
  std::string Describe() const {
    if (!answered) return request + " -> no answer (" + httplib::to_string(error) + ")";
    return request + " -> " + std::to_string(status) + " " + body.substr(0, 2000);
  }
};

class ApiClient {
 public:
  ApiClient(int port, std::optional<ApiKey> key) : port_(port), key_(key) {}

  Reply Get(const std::string& path, httplib::Headers extra = {}) {
    return Send("GET", path, std::nullopt, "", std::move(extra));
  }
  Reply Post(const std::string& path, const json& body, httplib::Headers extra = {}) {
    return Send("POST", path, body.dump(), "application/json", std::move(extra));
  }
  Reply Put(const std::string& path, const json& body, httplib::Headers extra = {}) {
    return Send("PUT", path, body.dump(), "application/json", std::move(extra));
  }
  Reply Patch(const std::string& path, const json& body, httplib::Headers extra = {}) {
    return Send("PATCH", path, body.dump(), "application/merge-patch+json", std::move(extra));
  }
  Reply Delete(const std::string& path, std::optional<json> body = std::nullopt,
               httplib::Headers extra = {}) {
    return Send("DELETE", path, body ? std::optional<std::string>(body->dump()) : std::nullopt,
                "application/json", std::move(extra));
  }

  // Any method, any body bytes.
  Reply Send(const std::string& method, const std::string& path,
             std::optional<std::string> body, const std::string& content_type,
             httplib::Headers extra = {}) {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(20, 0);
    client.set_write_timeout(20, 0);
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(extra);
    if (key_ && !req.has_header("Authorization")) {
      req.headers.emplace("Authorization", std::string("Bearer ") + key_->token);
    }
    if (body) {
      req.body = std::move(*body);
      if (!req.has_header("Content-Type")) req.headers.emplace("Content-Type", content_type);
    }
    Reply reply;
    reply.request = method + " " + path.substr(0, 200);
    httplib::Result r = client.send(req);
    reply.error = r.error();
    if (r) {
      reply.answered = true;
      reply.status = r->status;
      reply.body = r->body;
      reply.headers = r->headers;
    }
    return reply;
  }

  int port() const { return port_; }

 private:
  int port_;
  std::optional<ApiKey> key_;
};

// Checks the RFC 9457 shape of an error answer: content type, status in body and line, type,
// title, detail, and (when given) the JSON pointer of the field at fault.
inline void CheckProblem(const Reply& r, int status, std::optional<std::string> pointer = {}) {
  INFO(r.Describe());
  REQUIRE(r.answered);
  CHECK(r.status == status);
  CHECK(r.ContentType() == "application/problem+json");
  json p = r.Json();
  REQUIRE(p.is_object());
  CHECK(p.value("status", 0) == status);
  CHECK(p["type"].is_string());
  CHECK(p.value("type", "").rfind("https://customer-ledger.dev/problems/", 0) == 0);
  CHECK(p["title"].is_string());
  CHECK(!p.value("title", "").empty());
  CHECK(p["detail"].is_string());
  if (pointer) {
    REQUIRE(p["errors"].is_array());
    REQUIRE(p["errors"].size() >= 1);
    CHECK(p["errors"][0].value("pointer", "<none>") == *pointer);
    CHECK(p["errors"][0]["detail"].is_string());
  }
  if (status == 401) CHECK(r.Header("WWW-Authenticate").rfind("Bearer", 0) == 0);
}

// Checks a success answer and returns its JSON body.
inline json CheckOk(const Reply& r, int status = 200) {
  INFO(r.Describe());
  REQUIRE(r.answered);
  REQUIRE(r.status == status);
  if (r.status != 304 && r.status != 204) {
    CHECK(r.ContentType().rfind("application/json", 0) == 0);
  }
  json j = r.Json();
  if (status != 304) REQUIRE(!j.is_discarded());
  return j;
}

// A customer's current version, read by the admin key (no ETag: 0).
inline std::uint64_t VersionOf(int port, const std::string& id) {
  ApiClient admin(port, keys::kAdmin);
  Reply r = admin.Get("/v1/customers/" + id);
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return r.Json().value("version", std::uint64_t{0});
}

// The end of the global log (GET /v1/ledger/digest).
inline std::uint64_t LogPosition(int port) {
  ApiClient compliance(port, keys::kCompliance);
  Reply r = compliance.Get("/v1/ledger/digest");
  INFO(r.Describe());
  REQUIRE(r.status == 200);
  return r.Json().value("position", std::uint64_t{0});
}

inline json AdaBody() {
  return {{"first_name", "Ada"},
          {"last_name", "Lovelace"},
          {"phones", {{{"kind", "cell"}, {"number", "(212) 555-2368"}}}},
          {"emails", {{{"address", "ada@example.com"}}}}};
}

// Registers a customer with the agent key; returns its id.
inline std::string RegisterCustomer(int port, json body = AdaBody()) {
  ApiClient agent(port, keys::kAgent);
  Reply r = agent.Post("/v1/customers", body);
  INFO(r.Describe());
  REQUIRE(r.status == 201);
  std::string id = r.Json().value("id", "");
  REQUIRE(!id.empty());
  return id;
}

}  // namespace ledger::testing
