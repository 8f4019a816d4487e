// The real ledgerd binary, run by `ledger-bench http` as a child process on a scratch data
// directory (and by `ledger-bench scale` on a populated one) with one bench key, and a small JSON
// client for setting it up.
//
// Not thread-safe: one thread owns a LedgerdServer or an ApiClient.
#pragma once

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "child_process.h"
#include "common/result.h"

namespace ledger::bench {

// `explicit_path` when given (it must exist), otherwise ledgerd next to this program or where the
// build tree puts it (BUILD/tools/ledger-bench/ledger-bench -> BUILD/src/ledgerd/ledgerd).
Result<std::string> FindLedgerd(const std::string& explicit_path);

class LedgerdServer {
 public:
  // Writes `dir`/auth (one key, role agent, mode 0600) and starts
  //   ledgerd --data DIR/data --listen 127.0.0.1:0 --auth-file DIR/auth --threads N
  // with the durability and log format at ledgerd's defaults (sync, text) and its log in
  // `dir`/ledgerd.log; reads the port from the "listening" log line and waits for /healthz.
  static Result<std::unique_ptr<LedgerdServer>> Start(const std::string& ledgerd,
                                                      const std::filesystem::path& dir,
                                                      std::size_t threads);

  // For timing start-up on an existing ledger (`ledger-bench scale`): writes `dir`/auth as Start
  // does, picks a free port and starts
  //   ledgerd --data DATA_DIR --listen 127.0.0.1:PORT --auth-file DIR/auth --threads N
  // with its log in `dir`/ledgerd.log, then asks GET /readyz every millisecond until it answers
  // 200 (the port is not read from the log, which ledgerd writes every 200 ms). ready_seconds()
  // is the time from starting the process to that answer.
  static Result<std::unique_ptr<LedgerdServer>> StartOn(const std::string& ledgerd,
                                                        const std::filesystem::path& dir,
                                                        const std::filesystem::path& data_dir,
                                                        std::size_t threads);

  // SIGTERM; OK when ledgerd exited with status 0. The destructor kills a running ledgerd.
  Status Stop();

  int port() const { return port_; }
  // ledgerd's process id while it runs (for /proc/PID/status), -1 once it has exited.
  pid_t pid() const { return process_.pid(); }
  // StartOn only: seconds from starting ledgerd to its first 200 to GET /readyz.
  double ready_seconds() const { return ready_seconds_; }
  const std::string& token() const { return token_; }
  const std::filesystem::path& log_file() const { return log_file_; }

 private:
  LedgerdServer(ChildProcess process, std::string token, std::filesystem::path log_file)
      : process_(std::move(process)), token_(std::move(token)), log_file_(std::move(log_file)) {}

  ChildProcess process_;
  std::string token_;
  std::filesystem::path log_file_;
  int port_ = 0;
  double ready_seconds_ = 0;
};

// Requests to a server on 127.0.0.1 with `Authorization: Bearer TOKEN`. Any transport error or
// a status outside 2xx is an error naming the request and quoting the answer.
class ApiClient {
 public:
  ApiClient(int port, const std::string& token);

  // Sends `body` as application/json (no body when null) and returns the answer's JSON.
  Result<nlohmann::json> Send(const std::string& method, const std::string& path,
                              const nlohmann::json& body = nullptr);
  // The whole answer to a GET.
  Result<httplib::Response> Get(const std::string& path);

 private:
  httplib::Client client_;
  httplib::Headers auth_;
};

}  // namespace ledger::bench
