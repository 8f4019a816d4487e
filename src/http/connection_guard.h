// ConnectionGuard: serves one accepted connection for cpp-httplib with the limits its 0.11
// release lacks.
//
// cpp-httplib 0.11 reads a request line or a header line of any length into memory, any number
// of headers, and a chunked body of any size (its body limit applies to Content-Length only): a
// single client could make ledgerd allocate gigabytes. So HttpServer hands each connection to
// ServeConnection, which reads every request through a socket stream with a byte budget:
//   - the request line and headers together: `max_head_bytes`;
//   - the body: `max_body_bytes` plus room for chunk framing.
// A request that breaks its budget sees a read error: cpp-httplib answers 400 (when it got as
// far as the headers; ReadFailureStatus() lets the error handler say 431 or 413 instead, or 408
// after the read timeout) and the connection is closed, since the rest of the request was never
// read. So is a connection whose request could not be parsed (CloseAfterResponse).
//
// CheckRequestHead is the pre-routing check of what the head alone shows: too many headers
// (431), a Content-Length that is not one decimal number or comes with Transfer-Encoding (400),
// a transfer coding other than chunked (501), a Content-Length over the limit (413, answered
// before any of the body is read). Each of these also closes the connection after the answer.
//
// Besides limits, the keep-alive loop ends idle connections promptly when the server stops, and
// one buffered stream serves all requests of a connection, so pipelined requests are not lost.
//
// Thread safety: a connection is served on one thread from start to end; ReadFailureStatus and
// CheckRequestHead act on the connection being served by the calling thread.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>

namespace ledger::http {

struct ConnectionLimits {
  std::size_t max_head_bytes = 64 << 10;  // request line and headers
  std::size_t max_headers = 100;
  std::size_t max_body_bytes = 1 << 20;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds keep_alive_timeout{5'000};  // idle time between requests
  std::size_t keep_alive_max_count = 10'000;            // requests per connection
};

// cpp-httplib's Server::process_request for one request read from `stream`.
using ProcessRequest =
    std::function<bool(httplib::Stream& stream, bool close_connection, bool& connection_closed)>;

// Serves requests on `sock` until the client leaves, a limit or an error ends the connection,
// or `stopping` turns true between requests; then closes `sock`.
void ServeConnection(int sock, const ConnectionLimits& limits,
                     const std::function<bool()>& stopping, const ProcessRequest& process);

// Pre-routing handler: answers (and marks the connection to be closed) a request whose head is
// unacceptable; Unhandled otherwise.
httplib::Server::HandlerResponse CheckRequestHead(const httplib::Request& req,
                                                  httplib::Response& res,
                                                  const ConnectionLimits& limits);

// Why reading the request being served on this thread failed, as an HTTP status: 431 (head
// over budget), 413 (body over budget), 408 (the read timeout); nullopt if it did not fail.
std::optional<int> ReadFailureStatus();

// Closes the connection being served on this thread once `res` is written (and says so in
// `res`): for answers to requests whose framing cannot be trusted or that were not read to the
// end.
void CloseAfterResponse(const httplib::Request& req, httplib::Response& res);

}  // namespace ledger::http
