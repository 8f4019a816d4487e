#!/usr/bin/env bash
# The README's curl walk-through, run as a reader would run it, against the built ledgerd.
#
#   walkthrough.sh LEDGERD README.md LEDGER_REPLAY
#
# Takes the fenced ```sh block that follows the line containing "In another terminal:" from
# README.md itself, starts LEDGERD on a free port with a fresh data directory and no --auth-file
# (so it creates the development key the README reads), and runs the block with
# `set -euo pipefail`. The only rewrites: localhost:8080 / 127.0.0.1:8080 -> the test's address,
# data/auth -> the test's data directory, and `curl -s` -> `curl -sS --fail-with-body`, so any
# 4xx or 5xx stops the walk-through. Every curl call is recorded (arguments, status, headers,
# body) and checked afterwards against what the README says it does. ledgerd must then stop on
# SIGTERM with exit code 0. Then the README's "Replay it" block runs ledger-replay on the same
# directory while ledgerd is still running, and its output is checked.
set -euo pipefail

ledgerd=$1
readme=$2
replay=$3
work=$(mktemp -d)
pid=
cleanup() {
  if [[ -n $pid ]]; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Running and not a zombie (kill -0 succeeds on an exited child that was not reaped yet).
alive() {
  [[ -e /proc/$1/stat ]] && [[ $(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) != Z ]]
}

fail() {
  echo "walkthrough: $*" >&2
  if [[ -f $work/ledgerd.log ]]; then
    echo "---- ledgerd log (last lines) ----" >&2
    tail -n 40 "$work/ledgerd.log" >&2
  fi
  exit 1
}

# 1. The walk-through, as README.md has it.
awk '/In another terminal:/ { after = 1; next }
     after && !inside && /^```sh$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$readme" >"$work/block.sh"
[[ -s $work/block.sh ]] || fail "no \`\`\`sh block after 'In another terminal:' in $readme"
curls=$(grep -c '\bcurl ' "$work/block.sh" || true)
(( curls > 0 )) || fail "the walk-through has no curl command"

# 2. ledgerd on a free port (retried on another port if someone takes it first).
mkdir -p "$work/data" "$work/record"
for attempt in 1 2 3; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$ledgerd" --data "$work/data" --listen "127.0.0.1:$port" >>"$work/ledgerd.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
    alive "$pid" || break
    sleep 0.1
  done
  curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  (( attempt < 3 )) || fail "ledgerd did not answer /healthz"
done

# 3. The script that runs: a recording curl, then the block with its rewrites, then a check that
# every variable the block captured with $(...) is set.
{
  cat <<'EOF'
set -euo pipefail
# Records each call in $RECORD/N.{args,status,headers,body} and passes the body on, as curl would.
curl() {
  local n status=0
  n=$(( $(cat "$RECORD/count") + 1 ))
  echo "$n" >"$RECORD/count"
  printf '%s\n' "$@" >"$RECORD/$n.args"
  command curl -D "$RECORD/$n.headers" -o "$RECORD/$n.body" -w '%{http_code}' "$@" \
    >"$RECORD/$n.status" || status=$?
  cat "$RECORD/$n.body"
  return "$status"
}
EOF
  sed -e "s#localhost:8080#127.0.0.1:$port#g" \
      -e "s#127\.0\.0\.1:8080#127.0.0.1:$port#g" \
      -e "s#\bdata/auth\b#$work/data/auth#g" \
      -e 's#\bcurl -s #curl -sS --fail-with-body #g' \
      "$work/block.sh"
  for var in $(sed -n 's/^\([A-Z_][A-Z0-9_]*\)=\$(.*/\1/p' "$work/block.sh"); do
    echo "[[ -n \${$var:-} ]] || { echo '$var is empty' >&2; exit 1; }"
    echo "printf '%s' \"\$$var\" >\"\$RECORD/var.$var\""
  done
} >"$work/run.sh"
[[ $(grep -c 'curl -sS --fail-with-body ' "$work/run.sh") -eq $curls ]] ||
  fail "every curl of the walk-through must start with 'curl -s ' (so the test can add --fail-with-body)"

echo 0 >"$work/record/count"
echo "---- running the README walk-through against 127.0.0.1:$port ----"
if ! (cd "$work" && RECORD="$work/record" bash "$work/run.sh"); then
  n=$(cat "$work/record/count")
  if (( n > 0 )); then
    echo "---- the last call: $(tr '\n' ' ' <"$work/record/$n.args")" >&2
    echo "---- answered $(cat "$work/record/$n.status" 2>/dev/null): $(cat "$work/record/$n.body" 2>/dev/null)" >&2
  fi
  fail "the walk-through failed (set -euo pipefail and curl --fail-with-body)"
fi
echo
[[ $(cat "$work/record/count") -eq $curls ]] ||
  fail "$curls curl commands in the walk-through, but $(cat "$work/record/count") ran"

# 4. The answers, against what the README says each step does.
python3 "$(dirname "$0")/check_walkthrough.py" "$work/record" || fail "an answer is not what the README says"

# 5. The "Replay it" block, against the same directory while ledgerd still runs: the tool's path
# -> REPLAY, `--data data` -> the test's directory, $ID -> the customer the walk-through made.
awk '/^### Replay it/ { after = 1; next }
     after && !inside && /^```sh$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$readme" >"$work/replay_block.sh"
replays=$(grep -c 'ledger-replay ' "$work/replay_block.sh" || true)
(( replays > 0 )) || fail "no ledger-replay command in the README's 'Replay it' block"
{
  echo 'set -euo pipefail'
  echo "ID=\$(cat '$work/record/var.ID')"
  sed -e "s#build/tools/ledger-replay/ledger-replay#'$replay'#g" \
      -e "s#--data data#--data '$work/data'#g" \
      "$work/replay_block.sh"
} >"$work/replay.sh"
echo "---- running the README's ledger-replay lines ----"
bash "$work/replay.sh" >"$work/replay.out" 2>"$work/replay.err" || {
  cat "$work/replay.out" "$work/replay.err" >&2
  fail "a ledger-replay line of the README failed"
}
for expected in "NameChanged" "reason: married" '"version": 2' '/last_name: "Lovelace" → "King"' \
                "ok: " '"type":"CustomerRegistered"'; do
  grep -qF -- "$expected" "$work/replay.out" ||
    { cat "$work/replay.out" >&2; fail "the ledger-replay lines did not print: $expected"; }
done

# 6. SIGTERM: ledgerd stops and exits 0.
kill -TERM "$pid"
for _ in $(seq 300); do
  alive "$pid" || break
  sleep 0.1
done
alive "$pid" && fail "ledgerd did not exit within 30 s of SIGTERM"
status=0
wait "$pid" || status=$?
pid=
(( status == 0 )) || fail "ledgerd exited with $status after SIGTERM"
echo "walkthrough: $curls calls answered as the README says, $replays ledger-replay lines ran; ledgerd stopped with exit code 0"
