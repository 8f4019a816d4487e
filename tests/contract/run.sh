#!/usr/bin/env bash
# Contract test: the real ledgerd against docs/openapi.yaml.
#
#   tests/contract/run.sh LEDGERD SOURCE_DIR
#
# 1. Lints the spec (redocly, the repository's redocly.yaml) and compiles every schema in it.
# 2. Starts ledgerd on a free port (temporary data directory, one key per role) and Prism as a
#    validating proxy in front of it (`prism proxy --errors`).
# 3. Drives every operation of the spec through the proxy with curl, success paths and error
#    paths. Each request must get the status it expects, no `sl-violations` header (Prism's
#    report of a request or response that breaks the spec) and no problem made up by Prism.
# 4. Reads the SSE form of /v1/events from ledgerd directly (Prism cannot proxy an endless
#    stream) and validates every event against the CloudEvent schema.
#
# Fails (exit 1) on any violation, wrong status, or operation of the spec left unexercised;
# prints what went wrong. Needs node and curl; tests/contract/node_modules from `npm ci`.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 LEDGERD SOURCE_DIR" >&2
  exit 2
fi
ledgerd=$1
src=$(cd "$2" && pwd)
spec=$src/docs/openapi.yaml
contract=$src/tests/contract
bin=$contract/node_modules/.bin
if [ ! -x "$bin/prism" ] || [ ! -x "$bin/redocly" ]; then
  echo "run.sh: $contract/node_modules is missing; run: npm ci --prefix tests/contract" >&2
  exit 1
fi

work=$(mktemp -d)
ledgerd_pid=
prism_pid=
cleanup() {
  local status=$?
  set +e
  [ -n "$prism_pid" ] && kill "$prism_pid" 2>/dev/null && wait "$prism_pid" 2>/dev/null
  [ -n "$ledgerd_pid" ] && kill "$ledgerd_pid" 2>/dev/null && wait "$ledgerd_pid" 2>/dev/null
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

failures=0
fail() {
  failures=$((failures + 1))
  printf 'FAIL: %s\n' "$*" >&2
}

# ---- 1. Lint and compile ----------------------------------------------------------------------
lint=$(cd "$src" && "$bin/redocly" lint docs/openapi.yaml 2>&1) || {
  printf '%s\n' "$lint" >&2
  echo "FAIL: redocly lint" >&2
  exit 1
}
if grep -qi 'warning' <<<"$lint"; then
  printf '%s\n' "$lint" >&2
  echo "FAIL: redocly lint reports warnings" >&2
  exit 1
fi
node "$contract/check_schemas.js" "$spec" >/dev/null

# ---- 2. Servers -------------------------------------------------------------------------------
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cat >"$work/auth" <<'EOF'
contract-agent-key-0001 agent-ann agent
contract-agent-key-0002 agent-ben agent
contract-manager-key-01 manager-meg manager
contract-finance-key-01 finance-fay finance
contract-compliance-k01 compliance-cal compliance
contract-admin-key-0001 admin-ada admin
EOF
chmod 600 "$work/auth"
AGENT="Authorization: Bearer contract-agent-key-0001"
AGENT2="Authorization: Bearer contract-agent-key-0002"
MANAGER="Authorization: Bearer contract-manager-key-01"
FINANCE="Authorization: Bearer contract-finance-key-01"
COMPLIANCE="Authorization: Bearer contract-compliance-k01"
ADMIN="Authorization: Bearer contract-admin-key-0001"
UNKNOWN="Authorization: Bearer not-a-key-of-this-server"
JSON="Content-Type: application/json"
MERGE_PATCH="Content-Type: application/merge-patch+json"

# A small body limit, so a body the spec accepts can still be too large (413).
"$ledgerd" --data "$work/data" --listen 127.0.0.1:0 --auth-file "$work/auth" \
  --durability async --max-body-bytes 2048 >"$work/ledgerd.log" 2>&1 &
ledgerd_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.* listening .*port=\([0-9]*\).*/\1/p' "$work/ledgerd.log")
  [ -n "$port" ] && break
  kill -0 "$ledgerd_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/ledgerd.log" >&2; echo "FAIL: ledgerd did not start" >&2; exit 1; }
direct=http://127.0.0.1:$port

proxy_port=$(free_port)
"$bin/prism" proxy "$spec" "$direct" --errors -h 127.0.0.1 -p "$proxy_port" >"$work/prism.log" 2>&1 &
prism_pid=$!
proxy=http://127.0.0.1:$proxy_port
for _ in $(seq 300); do
  curl -sf -o /dev/null "$proxy/healthz" && break
  kill -0 "$prism_pid" 2>/dev/null || break
  sleep 0.1
done
curl -sf -o /dev/null "$proxy/healthz" || {
  cat "$work/prism.log" >&2
  echo "FAIL: prism did not start" >&2
  exit 1
}

# ---- 3. Requests through the proxy ------------------------------------------------------------
requests=0
declare -A covered=()

# check OPERATION_ID EXPECTED_STATUS METHOD PATH [CURL_ARGS...]
# The response body is left in $work/body and its headers in $work/headers.
check() {
  local op=$1 expected=$2 method=$3 path=$4
  shift 4
  requests=$((requests + 1))
  covered[$op]=1
  local status
  if ! status=$(curl -sS -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" \
    "$proxy$path" "$@"); then
    fail "$op: $method $path: curl failed"
    return
  fi
  local violations
  violations=$(grep -i '^sl-violations:' "$work/headers" || true)
  if [ "$status" != "$expected" ] || [ -n "$violations" ] ||
    grep -q 'stoplight.io/prism/errors' "$work/body"; then
    fail "$op: $method $path: expected $expected, got $status"
    [ -n "$violations" ] && printf '  %s\n' "$violations" >&2
    printf '  body: %s\n' "$(head -c 2000 "$work/body")" >&2
  fi
}

# field DOTTED.PATH: a member of the last response body ("customers.0.id"); empty when the body
# has no such member (a failed request), so the checks that use it fail instead of the script.
field() {
  node -e '
    let v;
    try { v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); } catch {}
    for (const k of process.argv[2].split(".")) v = v == null ? undefined : v[k];
    if (v !== undefined) console.log(typeof v === "string" ? v : JSON.stringify(v));' \
    "$work/body" "$1"
}
header() {
  sed -n "s/^$1: *//Ip" "$work/headers" | tr -d '\r'
}

# Operations (no authentication).
check getHealth 200 GET /healthz
check getReadiness 200 GET /readyz
check getMetrics 200 GET /metrics

# Registration.
check registerCustomer 201 POST /v1/customers -H "$AGENT" -H "$JSON" -H "Idempotency-Key: reg-ada" \
  --data-raw '{"first_name":"Ada","last_name":"Lovelace","phones":[{"kind":"cell","number":"(212) 555-2368"}],"emails":[{"address":"ada@example.com"}],"external_ids":[{"system":"dms","id":"4711"}],"tags":["vip"],"reason":"walk-in","source":"ui"}'
ada=$(field id)
check registerCustomer 201 POST /v1/customers -H "$AGENT" -H "$JSON" -H "Idempotency-Key: reg-ada" \
  --data-raw '{"first_name":"Ada","last_name":"Lovelace","phones":[{"kind":"cell","number":"(212) 555-2368"}],"emails":[{"address":"ada@example.com"}],"external_ids":[{"system":"dms","id":"4711"}],"tags":["vip"],"reason":"walk-in","source":"ui"}'
[ "$(field id)" = "$ada" ] || fail "registerCustomer: the retry answered another customer"
check registerCustomer 422 POST /v1/customers -H "$AGENT" -H "$JSON" \
  --data-raw '{"first_name":"Bad","phones":[{"number":"12"}]}'
check registerCustomer 422 POST /v1/customers -H "$AGENT" -H "$JSON" \
  --data-raw '{"kind":"company","contact_name":"Nobody"}'
check registerCustomer 401 POST /v1/customers -H "$UNKNOWN" -H "$JSON" --data-raw '{"first_name":"X"}'
big=$(head -c 3000 /dev/zero | tr '\0' 'x')
check registerCustomer 413 POST /v1/customers -H "$AGENT" -H "$JSON" \
  --data-raw "{\"first_name\":\"Big\",\"additional_info\":\"$big\"}"
check registerCustomer 201 POST /v1/customers -H "$AGENT" -H "$JSON" \
  --data-raw '{"first_name":"Ada","last_name":"Duplicate","emails":[{"address":"ada.dup@example.com"}],"external_ids":[{"system":"crm","id":"77"}]}'
dup=$(field id)
check registerCustomer 201 POST /v1/customers -H "$AGENT" -H "$JSON" \
  --data-raw '{"first_name":"Eve","last_name":"Erased","phones":[{"kind":"home","number":"+44 20 7946 0958"}]}'
eve=$(field id)
check registerCustomer 201 POST /v1/customers -H "$AGENT" -H "$JSON" \
  --data-raw '{"kind":"company","company_name":"Fleet Co","contact_name":"Fran","address":{"line1":"9 Depot Rd","city":"Albany","region":"NY","country":"US"}}'
fleet=$(field id)

# Reading a profile.
check getCustomer 200 GET "/v1/customers/$ada" -H "$AGENT"
etag=$(header ETag)
check getCustomer 304 GET "/v1/customers/$ada" -H "$AGENT" -H "If-None-Match: $etag"
check getCustomer 200 GET "/v1/customers/$ada?version=1" -H "$AGENT"
check getCustomer 200 GET "/v1/customers/$ada?as_of=2099-01-01T00:00:00Z" -H "$AGENT"
check getCustomer 400 GET "/v1/customers/$ada?version=1&as_of=2099-01-01T00:00:00Z" -H "$AGENT"
check getCustomer 404 GET "/v1/customers/$ada?version=99" -H "$AGENT"
check getCustomer 404 GET /v1/customers/no-such-customer -H "$AGENT"

# Merge patches: one per field group, so the feed below carries every kind of change.
check patchCustomer 200 PATCH "/v1/customers/$ada" -H "$AGENT" -H "$MERGE_PATCH" -H "If-Match: \"1\"" \
  --data-raw '{"last_name":"King","language":"en","date_of_birth":"1990-12-10","contact_time":"day","additional_info":"Countess","address":{"line1":"12 St James Sq","city":"London","country":"GB"},"preferences":{"do_not_mail":true,"preferred_method":"text"},"reason":"married"}'
check patchCustomer 200 PATCH "/v1/customers/$ada" -H "$AGENT" -H "$JSON" \
  --data-raw '{"phones":[{"id":"p1-1","kind":"work","number":"212-555-2368"},{"kind":"cell","number":"+1 212 555 0147"}],"emails":[{"id":"e1-1","address":"ada@example.com"},{"address":"countess@example.com"}],"external_ids":[{"system":"dms","id":"4712"}],"tags":["vip","ev-owner"]}'
check patchCustomer 200 PATCH "/v1/customers/$fleet" -H "$AGENT" -H "$MERGE_PATCH" \
  --data-raw '{"company_name":"Fleet Company","address":{"line2":"Unit 4"}}'
check patchCustomer 412 PATCH "/v1/customers/$ada" -H "$AGENT" -H "$MERGE_PATCH" -H 'If-Match: "1"' \
  --data-raw '{"last_name":"Byron"}'
check patchCustomer 422 PATCH "/v1/customers/$ada" -H "$AGENT" -H "$MERGE_PATCH" \
  --data-raw '{"date_of_birth":"1990-02-30"}'
check patchCustomer 404 PATCH /v1/customers/no-such-customer -H "$AGENT" -H "$MERGE_PATCH" \
  --data-raw '{"last_name":"X"}'

# Search.
check searchCustomers 200 GET "/v1/customers?q=king%20ada" -H "$AGENT"
[ "$(field customers.0.id)" = "$ada" ] || fail "searchCustomers: no customer found by name"
check searchCustomers 200 GET "/v1/customers?q=%2B1%20(212)%20555-0147&limit=5" -H "$AGENT"
check searchCustomers 200 GET "/v1/customers?q=Ada&limit=1" -H "$FINANCE"
[ "$(field next_cursor)" != null ] || fail "searchCustomers: two customers named Ada, one a page, no next page"
check searchCustomers 200 GET "/v1/customers?q=Ada&limit=1&cursor=$(field next_cursor)" -H "$AGENT"
check searchCustomers 422 GET "/v1/customers?q=%20%20" -H "$AGENT"

# Consent and the inbound hooks.
check setConsent 200 PUT "/v1/customers/$ada/consent/sms" -H "$AGENT" -H "$JSON" \
  --data-raw '{"status":"opted_in","phone":"212-555-0147","method":"web","disclosure_version":"2026-01","disclosure_text":"Msgs from Acme Motors. Reply STOP to end.","jurisdiction":"US-TCPA"}'
check setConsent 200 PUT "/v1/customers/$ada/consent/email" -H "$AGENT" -H "$JSON" \
  --data-raw '{"status":"opted_in","email":"countess@example.com","basis":"implied","expires_at":"2099-01-01T00:00:00Z","purpose":"informational","method":"paper","evidence":"signed form 17"}'
check setConsent 200 PUT "/v1/customers/$ada/consent/mail" -H "$AGENT" -H "$JSON" \
  --data-raw '{"status":"opted_out","method":"oral","reason":"asked at the desk"}'
check setConsent 422 PUT "/v1/customers/$ada/consent/sms" -H "$AGENT" -H "$JSON" \
  --data-raw '{"status":"opted_in","phone":"+1 415 555 0100"}'
check setConsent 422 PUT "/v1/customers/$ada/consent/call" -H "$AGENT" -H "$JSON" \
  --data-raw '{"status":"opted_in","basis":"implied"}'
check setConsent 404 PUT /v1/customers/no-such-customer/consent/call -H "$AGENT" -H "$JSON" \
  --data-raw '{"status":"opted_out"}'
check inboundSmsStop 200 POST /v1/inbound/sms-stop -H "$AGENT" -H "$JSON" \
  --data-raw '{"phone":"(212) 555-0147","text":"STOP"}'
[ "$(field customers.0.id)" = "$ada" ] || fail "inboundSmsStop: the customer holding the number did not change"
check inboundSmsStop 422 POST /v1/inbound/sms-stop -H "$AGENT" -H "$JSON" \
  --data-raw '{"phone":"(212) 555-0147","text":"see you tomorrow"}'
check inboundEmailBounce 200 POST /v1/inbound/email-bounce -H "$AGENT" -H "$JSON" \
  --data-raw '{"email":"Countess@Example.com"}'

# Inbound messages and revocation reviews.
check inboundMessage 200 POST /v1/inbound/messages -H "$AGENT" -H "$JSON" \
  --data-raw '{"channel":"sms","from":"(212) 555-0147","to":"+12125550000","text":"who is this?","provider_message_id":"SM-contract-1"}'
review=$(field message_id)
[ "$(field outcome)" = "review" ] || fail "inboundMessage: free text did not open a review"
[ "$(field customers.0.review_id)" = "$review" ] || fail "inboundMessage: the holder has no open review"
check inboundMessage 200 POST /v1/inbound/messages -H "$AGENT" -H "$JSON" \
  --data-raw '{"channel":"email","from":"nobody@example.com","text":"UNSUBSCRIBE","received_at":"2026-01-05T10:00:00Z"}'
check inboundMessage 422 POST /v1/inbound/messages -H "$AGENT" -H "$JSON" \
  --data-raw '{"channel":"sms","from":"not a number","text":"x"}'
check listReviews 200 GET "/v1/reviews?status=open&limit=10" -H "$MANAGER"
[ "$(field reviews.0.id)" = "$review" ] || fail "listReviews: the open review is not listed"
check listReviews 200 GET /v1/reviews -H "$COMPLIANCE"
check listReviews 403 GET /v1/reviews -H "$AGENT"
check listReviews 400 GET "/v1/reviews?cursor=not-a-cursor" -H "$MANAGER"
check decideReview 403 POST "/v1/reviews/$review/decision" -H "$AGENT" -H "$JSON" \
  --data-raw '{"decision":"revocation","reason":"asked"}'
check decideReview 422 POST "/v1/reviews/$review/decision" -H "$MANAGER" -H "$JSON" \
  --data-raw '{"decision":"revocation","reason":""}'
check decideReview 200 POST "/v1/reviews/$review/decision" -H "$MANAGER" -H "$JSON" \
  --data-raw '{"decision":"not_revocation","reason":"asked who we are"}'
check decideReview 404 POST "/v1/reviews/$review/decision" -H "$MANAGER" -H "$JSON" \
  --data-raw '{"decision":"revocation","reason":"again"}'
check getConsent 200 GET "/v1/customers/$ada/consent" -H "$COMPLIANCE"
check getConsent 403 GET "/v1/customers/$ada/consent" -H "$AGENT"
check getConsent 404 GET /v1/customers/no-such-customer/consent -H "$COMPLIANCE"

# Notes.
check addNote 201 POST "/v1/customers/$ada/notes" -H "$AGENT" -H "$JSON" -H "Idempotency-Key: note-1" \
  --data-raw '{"text":"Prefers calls after 5pm","pinned":true}'
note=$(field id)
check addNote 201 POST "/v1/customers/$ada/notes" -H "$AGENT" -H "$JSON" -H "Idempotency-Key: note-1" \
  --data-raw '{"text":"Prefers calls after 5pm","pinned":true}'
check addNote 413 POST "/v1/customers/$ada/notes" -H "$AGENT" -H "$JSON" --data-raw "{\"text\":\"$big\"}"
check addNote 404 POST /v1/customers/no-such-customer/notes -H "$AGENT" -H "$JSON" --data-raw '{"text":"x"}'
check amendNote 200 POST "/v1/customers/$ada/notes/$note/amendments" -H "$AGENT" -H "$JSON" \
  --data-raw '{"text":"Prefers calls after 6pm","reason":"customer corrected it"}'
check amendNote 403 POST "/v1/customers/$ada/notes/$note/amendments" -H "$AGENT2" -H "$JSON" \
  --data-raw '{"text":"Not my note"}'
check amendNote 404 POST "/v1/customers/$ada/notes/n999/amendments" -H "$AGENT" -H "$JSON" \
  --data-raw '{"text":"No such note"}'
check addNote 201 POST "/v1/customers/$ada/notes" -H "$AGENT" -H "$JSON" --data-raw '{"text":"Wrong customer"}'
wrong_note=$(field id)
check retractNote 403 DELETE "/v1/customers/$ada/notes/$wrong_note" -H "$AGENT"
check retractNote 200 DELETE "/v1/customers/$ada/notes/$wrong_note" -H "$MANAGER" -H "$JSON" \
  --data-raw '{"reason":"written on the wrong customer"}'
check retractNote 404 DELETE "/v1/customers/$ada/notes/n999" -H "$MANAGER"
check amendNote 409 POST "/v1/customers/$ada/notes/$wrong_note/amendments" -H "$MANAGER" -H "$JSON" \
  --data-raw '{"text":"Too late"}'

# Other changes.
check verifyCustomerInfo 200 POST "/v1/customers/$ada/verifications" -H "$AGENT"
check verifyCustomerInfo 200 POST "/v1/customers/$ada/verifications" -H "$AGENT" -H "$JSON" \
  --data-raw '{"emails":["countess@example.com"],"source":"customer_request"}'
check verifyCustomerInfo 422 POST "/v1/customers/$ada/verifications" -H "$AGENT" -H "$JSON" \
  --data-raw '{"emails":["stranger@example.com"]}'
check addTag 200 PUT "/v1/customers/$ada/tags/loyalty%20club" -H "$AGENT"
check removeTag 200 DELETE "/v1/customers/$ada/tags/ev-owner" -H "$AGENT" -H "$JSON" --data-raw '{"reason":"sold the car"}'
check addTag 404 PUT /v1/customers/no-such-customer/tags/vip -H "$AGENT"
check logCall 200 POST "/v1/customers/$ada/calls" -H "$AGENT" -H "$JSON" --data-raw '{"outcome":"left_voicemail"}'
check logCall 412 POST "/v1/customers/$ada/calls" -H "$AGENT" -H "$JSON" -H 'If-Match: W/"2"' \
  --data-raw '{"outcome":"spoke"}'
check recordJob 200 POST "/v1/customers/$ada/jobs" -H "$AGENT" -H "$JSON" \
  --data-raw '{"job_id":"RO-1","status":"completed"}'
check recordJob 422 POST "/v1/customers/$ada/jobs" -H "$AGENT" -H "$JSON" \
  --data-raw '{"job_id":"RO-\u0007","status":"booked"}'
check setFinance 200 PUT "/v1/customers/$ada/finance" -H "$FINANCE" -H "$JSON" \
  --data-raw '{"credit_tier":"A","lender":"First Auto Credit","reason":"approved"}'
check setFinance 403 PUT "/v1/customers/$ada/finance" -H "$AGENT" -H "$JSON" --data-raw '{"credit_tier":"B"}'
check getCustomer 200 GET "/v1/customers/$ada" -H "$FINANCE"
[ "$(field finance.credit_tier)" = A ] || fail "getCustomer: the finance role does not see the finance section"

# Merging customers.
check mergeCustomers 403 POST "/v1/customers/$ada/merge" -H "$AGENT" -H "$JSON" --data-raw "{\"duplicate\":\"$dup\"}"
check mergeCustomers 422 POST "/v1/customers/$ada/merge" -H "$MANAGER" -H "$JSON" --data-raw "{\"duplicate\":\"$ada\"}"
check mergeCustomers 404 POST "/v1/customers/$ada/merge" -H "$MANAGER" -H "$JSON" --data-raw '{"duplicate":"no-such-customer"}'
check mergeCustomers 200 POST "/v1/customers/$ada/merge" -H "$MANAGER" -H "$JSON" \
  --data-raw "{\"duplicate\":\"$dup\",\"reason\":\"same person\"}"
check getCustomer 200 GET "/v1/customers/$dup" -H "$AGENT"
[ "$(field merged_into)" = "$ada" ] || fail "getCustomer: the duplicate does not point at the survivor"
check patchCustomer 409 PATCH "/v1/customers/$dup" -H "$AGENT" -H "$MERGE_PATCH" --data-raw '{"first_name":"Late"}'

# Contacts of the fleet customer.
check addContact 201 POST "/v1/customers/$fleet/contacts" -H "$AGENT" -H "$JSON" \
  --data-raw '{"name":"Bob","email":"bob@fleet.example.com","phone":"(212) 555-0100"}'
bob=$(field id)
check addContact 201 POST "/v1/customers/$fleet/contacts" -H "$AGENT" -H "$JSON" \
  --data-raw '{"name":"Rob","email":"rob@fleet.example.com","case_id":"case-9"}'
rob=$(field id)
check addContact 403 POST "/v1/customers/$fleet/contacts" -H "$AGENT" -H "$JSON" \
  --data-raw '{"name":"Fleet Fred","email":"fred@fleet.example.com","managed_by":"fleet"}'
check addContact 201 POST "/v1/customers/$fleet/contacts" -H "$MANAGER" -H "$JSON" \
  --data-raw '{"name":"Fleet Fred","email":"fred@fleet.example.com","managed_by":"fleet"}'
fred=$(field id)
check addContact 422 POST "/v1/customers/$fleet/contacts" -H "$AGENT" -H "$JSON" \
  --data-raw '{"name":"Bob again","email":"BOB@fleet.example.com"}'
check logCommunication 200 POST "/v1/customers/$fleet/communications" -H "$AGENT" -H "$JSON" \
  --data-raw "{\"channel\":\"email\",\"direction\":\"outbound\",\"at\":\"2026-01-02T03:04:05Z\",\"contact_id\":\"$bob\"}"
check logCommunication 422 POST "/v1/customers/$fleet/communications" -H "$AGENT" -H "$JSON" \
  --data-raw '{"channel":"text","contact_id":"c999"}'
check listContacts 200 GET "/v1/customers/$fleet/contacts" -H "$AGENT"
check listContacts 200 GET "/v1/customers/$fleet/contacts?unused=true" -H "$AGENT"
check listContacts 404 GET /v1/customers/no-such-customer/contacts -H "$AGENT"
check updateContact 200 PATCH "/v1/customers/$fleet/contacts/$bob" -H "$AGENT" -H "$JSON" \
  --data-raw '{"name":"Robert","email":"Bob@Fleet.example.com","phone":""}'
check updateContact 422 PATCH "/v1/customers/$fleet/contacts/$bob" -H "$AGENT" -H "$JSON" \
  --data-raw '{"email":"new@fleet.example.com"}'
check updateContact 403 PATCH "/v1/customers/$fleet/contacts/$fred" -H "$AGENT" -H "$JSON" --data-raw '{"name":"Freddy"}'
check updateContact 404 PATCH "/v1/customers/$fleet/contacts/c999" -H "$AGENT" -H "$JSON" --data-raw '{"name":"Nobody"}'
check mergeContacts 422 POST "/v1/customers/$fleet/contacts/merge" -H "$AGENT" -H "$JSON" --data-raw "{\"main\":\"$bob\"}"
check mergeContacts 403 POST "/v1/customers/$fleet/contacts/merge" -H "$AGENT" -H "$JSON" \
  --data-raw "{\"main\":\"$bob\",\"others\":[\"$fred\"]}"
check mergeContacts 200 POST "/v1/customers/$fleet/contacts/merge" -H "$AGENT" -H "$JSON" \
  --data-raw "{\"main\":\"$bob\",\"others\":[\"$rob\"]}"
check mergeContacts 404 POST "/v1/customers/$fleet/contacts/merge" -H "$AGENT" -H "$JSON" \
  --data-raw "{\"main\":\"$bob\",\"others\":[\"c999\"]}"
check deleteContact 403 DELETE "/v1/customers/$fleet/contacts/$fred" -H "$AGENT"
check deleteContact 200 DELETE "/v1/customers/$fleet/contacts/$fred" -H "$MANAGER" -H "$JSON" \
  --data-raw '{"reason":"left the company"}'
check deleteContact 404 DELETE "/v1/customers/$fleet/contacts/$fred" -H "$MANAGER"

# The growing lists: paged with cursors, now or as they were.
check addNote 201 POST "/v1/customers/$ada/notes" -H "$AGENT" -H "$JSON" --data-raw '{"text":"Second note"}'
check listNotes 200 GET "/v1/customers/$ada/notes" -H "$AGENT"
check listNotes 200 GET "/v1/customers/$ada/notes?limit=1" -H "$AGENT"
cursor=$(field next_cursor)
[ "$cursor" != null ] && [ -n "$cursor" ] || fail "listNotes: two notes, one a page, no next page"
check listNotes 200 GET "/v1/customers/$ada/notes?limit=1&cursor=$cursor" -H "$FINANCE"
[ "$(field next_cursor)" = null ] || fail "listNotes: the second page of two notes is not the last"
check listNotes 200 GET "/v1/customers/$ada/notes?version=2" -H "$AGENT"
check listNotes 200 GET "/v1/customers/$ada/notes?as_of=2099-01-01T00:00:00Z" -H "$AGENT"
check listNotes 400 GET "/v1/customers/$ada/notes?cursor=0" -H "$AGENT"
check listNotes 400 GET "/v1/customers/$ada/notes?version=1&as_of=2099-01-01T00:00:00Z" -H "$AGENT"
check listNotes 404 GET "/v1/customers/$ada/notes?version=999" -H "$AGENT"
check listNotes 404 GET /v1/customers/no-such-customer/notes -H "$AGENT"
check listNotes 401 GET "/v1/customers/$ada/notes" -H "$UNKNOWN"
check listCommunications 200 GET "/v1/customers/$fleet/communications" -H "$AGENT"
[ "$(field communications.0.channel)" = email ] || fail "listCommunications: the logged email is missing"
check listCommunications 404 GET /v1/customers/no-such-customer/communications -H "$AGENT"
check listCalls 200 GET "/v1/customers/$ada/calls?limit=10" -H "$AGENT"
[ "$(field calls.0.outcome)" = left_voicemail ] || fail "listCalls: the logged call is missing"
check listCalls 404 GET /v1/customers/no-such-customer/calls -H "$AGENT"
check listJobs 200 GET "/v1/customers/$ada/jobs" -H "$COMPLIANCE"
[ "$(field jobs.0.id)" = RO-1 ] || fail "listJobs: the recorded job is missing"
check listJobs 404 GET /v1/customers/no-such-customer/jobs -H "$AGENT"

# History.
check getCustomerHistory 200 GET "/v1/customers/$ada/history" -H "$COMPLIANCE"
check getCustomerHistory 200 GET "/v1/customers/$ada/history?from_version=2&limit=3" -H "$MANAGER"
[ "$(field next_from_version)" = 5 ] || fail "getCustomerHistory: a page of 3 from version 2 continues at 5"
[ "$(field next_cursor)" = 4 ] || fail "getCustomerHistory: a page of 3 from version 2 has cursor 4"
check getCustomerHistory 200 GET "/v1/customers/$ada/history?cursor=4&limit=3" -H "$MANAGER"
[ "$(field events.0.version)" = 5 ] || fail "getCustomerHistory: cursor 4 does not continue at 5"
check getCustomerHistory 400 GET "/v1/customers/$ada/history?cursor=4&from_version=2" -H "$MANAGER"
check getCustomerHistory 200 GET "/v1/customers/$fleet/history" -H "$MANAGER"
check getCustomerHistory 403 GET "/v1/customers/$ada/history" -H "$AGENT"
check getCustomerHistory 404 GET /v1/customers/no-such-customer/history -H "$COMPLIANCE"

# Compliance: verification, export, erasure, digest.
check verifyCustomerChain 200 GET "/v1/customers/$ada/verify" -H "$COMPLIANCE"
[ "$(field ok)" = true ] || fail "verifyCustomerChain: the chain does not verify"
check verifyCustomerChain 403 GET "/v1/customers/$ada/verify" -H "$AGENT"
check verifyCustomerChain 404 GET /v1/customers/no-such-customer/verify -H "$COMPLIANCE"
check exportCustomer 200 GET "/v1/customers/$ada/export" -H "$COMPLIANCE"
check exportCustomer 403 GET "/v1/customers/$ada/export" -H "$MANAGER"
check exportCustomer 404 GET /v1/customers/no-such-customer/export -H "$COMPLIANCE"
check eraseCustomer 403 POST "/v1/customers/$eve/erasure" -H "$AGENT" -H "$JSON" --data-raw '{"reason":"asked"}'
check eraseCustomer 412 POST "/v1/customers/$eve/erasure" -H "$COMPLIANCE" -H "$JSON" -H 'If-Match: "7"' \
  --data-raw '{"reason":"data subject request"}'
check eraseCustomer 200 POST "/v1/customers/$eve/erasure" -H "$COMPLIANCE" -H "$JSON" \
  --data-raw '{"reason":"data subject request","source":"customer_request"}'
check eraseCustomer 404 POST /v1/customers/no-such-customer/erasure -H "$COMPLIANCE" -H "$JSON" --data-raw '{"reason":"x"}'
check getCustomer 200 GET "/v1/customers/$eve" -H "$AGENT"
[ "$(field status)" = erased ] || fail "getCustomer: the erased customer is not erased"
check getCustomer 409 GET "/v1/customers/$eve?version=1" -H "$AGENT"
check listJobs 409 GET "/v1/customers/$eve/jobs?version=1" -H "$AGENT"
check getCustomerHistory 200 GET "/v1/customers/$eve/history" -H "$COMPLIANCE"
check exportCustomer 200 GET "/v1/customers/$eve/export" -H "$COMPLIANCE"
check logCall 409 POST "/v1/customers/$eve/calls" -H "$AGENT" -H "$JSON" --data-raw '{"outcome":"called"}'
check getLedgerDigest 200 GET /v1/ledger/digest -H "$COMPLIANCE"
position=$(field position)
check getLedgerDigest 403 GET /v1/ledger/digest -H "$AGENT"

# The feed: every event so far, then a page.
check getEvents 200 GET "/v1/events?limit=1000" -H "$ADMIN"
[ "$(field next_after)" = "$position" ] || fail "getEvents: the feed does not end at the digest's position"
check getEvents 200 GET "/v1/events?after=3&limit=2" -H "$ADMIN"
[ "$(field next_after)" = 5 ] || fail "getEvents: two events after 3 end at 5"
check getEvents 403 GET /v1/events -H "$COMPLIANCE"
check getEvents 401 GET /v1/events -H "$UNKNOWN"

# ---- 4. The event stream, directly ------------------------------------------------------------
requests=$((requests + 1))
# The stream never ends: curl stops it after 2 s.
curl -s -N --max-time 2 -D "$work/sse-headers" -o "$work/sse" -H "$ADMIN" \
  -H "Accept: text/event-stream" "$direct/v1/events?after=0" || true
grep -qi '^content-type: text/event-stream' "$work/sse-headers" ||
  fail "getEvents (SSE): not text/event-stream: $(head -c 300 "$work/sse-headers")"
sse_events=$(grep -c '^data: ' "$work/sse" || true)
[ "$sse_events" = "$position" ] || fail "getEvents (SSE): $sse_events events, the log has $position"
sed -n 's/^data: //p' "$work/sse" >"$work/sse-data"
node "$contract/check_schemas.js" "$spec" CloudEvent <"$work/sse-data" >/dev/null ||
  fail "getEvents (SSE): an event is not a valid CloudEvent"

# ---- Every operation of the spec exercised? ---------------------------------------------------
operations=$(sed -n 's/^ *operationId: *//p' "$spec" | sort -u)
for op in $operations; do
  [ -n "${covered[$op]:-}" ] || fail "operation $op is in the spec but not exercised here"
done
for op in "${!covered[@]}"; do
  grep -qx "$op" <<<"$operations" || fail "operation $op is exercised here but not in the spec"
done

count=$(wc -w <<<"$operations")
if [ "$failures" -gt 0 ]; then
  echo "contract: $failures failure(s) in $requests requests over $count operations" >&2
  exit 1
fi
echo "contract: $count operations, $requests requests, no violations"
