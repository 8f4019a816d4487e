#include "ledgerd_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/hex.h"
#include "crypto/random.h"

namespace ledger::bench {

namespace {

// Opening RocksDB is quick; generous anyway for a loaded machine.
constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr int kStopTimeoutSeconds = 30;

Status WriteAuthFile(const std::filesystem::path& path, const std::string& token) {
  std::string content =
      "# ledger-bench http: one key for the run\n" + token + " bench-agent agent\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IOError(
        fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
  }
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ::close(fd);
  if (!ok) return Status::IOError("cannot write " + path.string());
  return Status::Ok();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Tail(const std::string& text, std::size_t max_bytes = 4000) {
  return text.size() <= max_bytes ? text : "..." + text.substr(text.size() - max_bytes);
}

// The port of ledgerd's text log line `listening host=127.0.0.1 port=N ...`; 0 when not yet.
int PortFromLog(const std::string& log) {
  std::size_t line = log.find("] listening ");
  if (line == std::string::npos) return 0;
  std::size_t at = log.find(" port=", line);
  if (at == std::string::npos) return 0;
  return std::atoi(log.c_str() + at + 6);
}

// A port nobody listens on now: bound to 127.0.0.1:0 and released. Another process could take
// it before ledgerd binds it; ledgerd then fails to start, and says so in its log.
Result<int> FreeLocalPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError(fmt::format("socket: {}", std::strerror(errno)));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  const int error = errno;
  ::close(fd);
  if (port == 0) return Status::IOError(fmt::format("no free port: {}", std::strerror(error)));
  return port;
}

httplib::Client LocalClient(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(30, 0);
  client.set_write_timeout(30, 0);
  return client;
}

}  // namespace

Result<std::string> FindLedgerd(const std::string& explicit_path) {
  std::error_code ec;
  if (!explicit_path.empty()) {
    if (!std::filesystem::is_regular_file(explicit_path, ec)) {
      return Status::NotFound("no ledgerd at " + explicit_path);
    }
    return explicit_path;
  }
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::IOError("cannot find this program's path: " + ec.message());
  for (const std::filesystem::path& candidate :
       {self.parent_path() / "ledgerd",
        self.parent_path().parent_path().parent_path() / "src" / "ledgerd" / "ledgerd"}) {
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
  }
  return Status::NotFound(
      "no ledgerd next to ledger-bench or in its build tree (src/ledgerd/ledgerd); build the "
      "ledgerd target or pass --ledgerd PATH");
}

Result<std::unique_ptr<LedgerdServer>> LedgerdServer::Start(const std::string& ledgerd,
                                                            const std::filesystem::path& dir,
                                                            std::size_t threads) {
  std::string token = "ledger-bench-" + ToHex(RandomBytes(16));
  std::filesystem::path auth = dir / "auth";
  std::filesystem::path log = dir / "ledgerd.log";
  LEDGER_RETURN_IF_ERROR(WriteAuthFile(auth, token));
  std::vector<std::string> argv = {ledgerd,       "--data",      (dir / "data").string(),
                                   "--listen",    "127.0.0.1:0", "--auth-file",
                                   auth.string(), "--threads",   std::to_string(threads)};
  LEDGER_ASSIGN_OR_RETURN(ChildProcess process, ChildProcess::Start(argv, log.string()));
  std::unique_ptr<LedgerdServer> server(new LedgerdServer(std::move(process), token, log));

  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (server->port_ == 0) {
    if (!server->process_.Running()) {
      return Status::Unavailable(
          fmt::format("ledgerd exited at start; its log:\n{}", Tail(ReadFile(log))));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable(
          fmt::format("ledgerd did not log its port within {} s; its log:\n{}",
                      kStartTimeout.count(), Tail(ReadFile(log))));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server->port_ = PortFromLog(ReadFile(log));
  }
  // It logs the port once bound; answering starts a moment later.
  httplib::Client client = LocalClient(server->port_);
  while (true) {
    if (httplib::Result r = client.Get("/healthz"); r && r->status == 200) break;
    if (std::chrono::steady_clock::now() > deadline || !server->process_.Running()) {
      return Status::Unavailable(
          fmt::format("ledgerd does not answer /healthz; its log:\n{}", Tail(ReadFile(log))));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return server;
}

Result<std::unique_ptr<LedgerdServer>> LedgerdServer::StartOn(const std::string& ledgerd,
                                                              const std::filesystem::path& dir,
                                                              const std::filesystem::path& data_dir,
                                                              std::size_t threads) {
  std::string token = "ledger-bench-" + ToHex(RandomBytes(16));
  std::filesystem::path auth = dir / "auth";
  std::filesystem::path log = dir / "ledgerd.log";
  LEDGER_RETURN_IF_ERROR(WriteAuthFile(auth, token));
  LEDGER_ASSIGN_OR_RETURN(int port, FreeLocalPort());
  std::vector<std::string> argv = {ledgerd,
                                   "--data",
                                   data_dir.string(),
                                   "--listen",
                                   fmt::format("127.0.0.1:{}", port),
                                   "--auth-file",
                                   auth.string(),
                                   "--threads",
                                   std::to_string(threads)};
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(30, 0);

  const auto begin = std::chrono::steady_clock::now();
  LEDGER_ASSIGN_OR_RETURN(ChildProcess process, ChildProcess::Start(argv, log.string()));
  std::unique_ptr<LedgerdServer> server(new LedgerdServer(std::move(process), token, log));
  server->port_ = port;
  const auto deadline = begin + kStartTimeout;
  while (true) {
    if (httplib::Result r = client.Get("/readyz"); r && r->status == 200) break;
    if (!server->process_.Running()) {
      return Status::Unavailable(
          fmt::format("ledgerd exited at start; its log:\n{}", Tail(ReadFile(log))));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable(fmt::format("ledgerd was not ready within {} s; its log:\n{}",
                                             kStartTimeout.count(), Tail(ReadFile(log))));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  server->ready_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return server;
}

Status LedgerdServer::Stop() {
  Status stopped = process_.Stop(kStopTimeoutSeconds);
  if (!stopped.ok()) {
    return stopped.WithContext(fmt::format("stopping ledgerd (its log: {})", log_file_.string()));
  }
  return Status::Ok();
}

ApiClient::ApiClient(int port, const std::string& token)
    : client_(LocalClient(port)), auth_{{"Authorization", "Bearer " + token}} {}

Result<nlohmann::json> ApiClient::Send(const std::string& method, const std::string& path,
                                       const nlohmann::json& body) {
  std::string content = body.is_null() ? std::string() : body.dump();
  httplib::Result r =
      method == "POST"    ? client_.Post(path.c_str(), auth_, content, "application/json")
      : method == "PUT"   ? client_.Put(path.c_str(), auth_, content, "application/json")
      : method == "PATCH" ? client_.Patch(path.c_str(), auth_, content, "application/json")
                          : client_.Get(path.c_str(), auth_);
  if (!r) {
    return Status::Unavailable(
        fmt::format("{} {}: no answer ({})", method, path, httplib::to_string(r.error())));
  }
  if (r->status < 200 || r->status > 299) {
    return Status::Internal(fmt::format("{} {}: {} {}", method, path, r->status, Tail(r->body)));
  }
  nlohmann::json answer = nlohmann::json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  if (answer.is_discarded()) {
    return Status::Internal(fmt::format("{} {}: the answer is not JSON", method, path));
  }
  return answer;
}

Result<httplib::Response> ApiClient::Get(const std::string& path) {
  httplib::Result r = client_.Get(path.c_str(), auth_);
  if (!r) {
    return Status::Unavailable(
        fmt::format("GET {}: no answer ({})", path, httplib::to_string(r.error())));
  }
  if (r->status != 200) {
    return Status::Internal(fmt::format("GET {}: {} {}", path, r->status, Tail(r->body)));
  }
  return *r;
}

}  // namespace ledger::bench
