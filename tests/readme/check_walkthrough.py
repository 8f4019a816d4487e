"""Checks the answers recorded by walkthrough.sh against what README.md says each step does.

    check_walkthrough.py RECORD_DIR

RECORD_DIR holds, for the N-th curl call, N.args (one argument a line), N.status, N.headers and
N.body, and var.NAME for each variable the walk-through captured. Steps are found by method and
path, and checked against the request they sent, so rewording the README's values keeps the test
meaningful. Prints every failed check; exits 1 if there was one.
"""
import json
import re
import sys
from pathlib import Path

record = Path(sys.argv[1])
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
    return condition


class Call:
    def __init__(self, n):
        args = (record / f"{n}.args").read_text().split("\n")[:-1]
        self.method, self.data, self.headers, self.url = "GET", None, {}, None
        i = 0
        while i < len(args):
            a = args[i]
            if a == "-X":
                self.method = args[i + 1]
                i += 1
            elif a in ("-d", "--data"):
                self.data = json.loads(args[i + 1])
                i += 1
            elif a == "-H":
                name, _, value = args[i + 1].partition(":")
                self.headers[name.strip().lower()] = value.strip()
                i += 1
            elif re.match(r"^(https?://)?127\.0\.0\.1:\d+/", a):
                self.url = a
            i += 1
        if self.data is not None and self.method == "GET":
            self.method = "POST"
        path = re.sub(r"^(https?://)?127\.0\.0\.1:\d+", "", self.url or "")
        self.path, _, self.query = path.partition("?")
        self.status = int((record / f"{n}.status").read_text() or 0)
        head = (record / f"{n}.headers").read_text()
        self.response_headers = {
            k.strip().lower(): v.strip()
            for k, _, v in (line.partition(":") for line in head.splitlines()[1:] if ":" in line)
        }
        self.body = (record / f"{n}.body").read_text()

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            failures.append(f"{self.method} {self.path}: the body is not JSON: {self.body[:200]}")
            return {}


calls = [Call(n) for n in range(1, int((record / "count").read_text()) + 1)]
variables = {p.name[4:]: p.read_text() for p in record.glob("var.*")}
for c in calls:
    check(200 <= c.status < 300, f"{c.method} {c.path}?{c.query} answered {c.status}")
for name, value in variables.items():
    check(value != "", f"${name} is empty")

customer = variables.get("ID", "")
check(customer != "", "the walk-through captures the new customer's id in $ID")


def step(method, path):
    found = [c for c in calls if c.method == method and c.path == path]
    check(len(found) == 1, f"one {method} {path} in the walk-through (found {len(found)})")
    return found[0] if found else None


base = f"/v1/customers/{customer}"
register = step("POST", "/v1/customers")
patch = step("PATCH", base)
consent = step("PUT", base + "/consent/sms")
stop = step("POST", "/v1/inbound/sms-stop")
inbound = step("POST", "/v1/inbound/messages")
reviews = step("GET", "/v1/reviews")
review_id = variables.get("REVIEW", "")
decision = step("POST", f"/v1/reviews/{review_id}/decision")
note = step("POST", base + "/notes")
history = step("GET", base + "/history")
as_of_version = next((c for c in calls if c.path == base and "version=" in c.query), None)
check(as_of_version is not None, f"a GET {base}?version=N in the walk-through")
verify = step("GET", base + "/verify")
note_pages = [c for c in calls if c.method == "GET" and c.path == base + "/notes"]
notes_now = next((c for c in note_pages if "version=" not in c.query), None)
notes_then = next((c for c in note_pages if "version=" in c.query), None)
check(notes_now is not None and notes_then is not None,
      f"a GET {base}/notes and a GET {base}/notes?version=N in the walk-through")

# Register: the response is the profile, its version is the ETag.
if register:
    p = register.json()
    check(register.status == 201, f"registration answered {register.status}, not 201")
    check(p.get("id") == customer, f"$ID is the registered customer's id ({p.get('id')})")
    check(register.response_headers.get("etag") == f'"{p.get("version")}"',
          f"the registration's ETag is its version: {register.response_headers.get('etag')}")
    for field in ("first_name", "last_name"):
        check(p.get(field) == register.data.get(field), f"registered {field} is {p.get(field)}")
    check([e["address"] for e in p.get("emails", [])] ==
          [e["address"] for e in register.data.get("emails", [])], "registered emails")
    check(p.get("links", {}).get("notes") == base + "/notes", "the profile links to its notes")
    check(p.get("counts", {}).get("notes") == 0, "a new customer has no notes")

# Patch: each field changed, the version moves on from the If-Match one.
patched = {}
if patch:
    p = patch.json()
    patched = {k: v for k, v in patch.data.items() if k not in ("reason", "source")}
    for field, value in patched.items():
        check(p.get(field) == value, f"after the PATCH {field} is {p.get(field)}, not {value}")
    if_match = int(patch.headers.get("if-match", '"0"').strip('"'))
    check(p.get("version", 0) > if_match, "the PATCH moved the version past If-Match")

# SMS consent, then STOP from that phone: the opt-in, then the opt-out of the customer.
if consent:
    phones = consent.json().get("phones", [])
    check(any(ph.get("sms_opt_in") for ph in phones), "after the consent a phone is opted in")
if stop:
    ids = [c.get("id") for c in stop.json().get("customers", [])]
    check(customer in ids, f"the STOP reached the customer: {ids}")

# The message in words opens a review on the customer; the decision closes it.
if inbound:
    m = inbound.json()
    check(m.get("outcome") == "review", f"the message in words opened a review: {m.get('outcome')}")
    check(customer in [c.get("id") for c in m.get("customers", [])],
          "the message was recorded on the customer")
if reviews:
    listed = reviews.json().get("reviews", [])
    check(len(listed) == 1 and listed[0].get("id") == review_id and
          listed[0].get("customers") == [customer], f"one open review, on the customer: {listed}")
if decision:
    d = decision.json()
    check(d.get("decision") == "revocation", f"the review was decided: {d}")
    check(customer in [c.get("id") for c in d.get("customers", [])],
          "the decision was recorded on the customer")

# The note, as written.
if note:
    n = note.json()
    check(note.status == 201, f"the note answered {note.status}, not 201")
    check(n.get("text") == note.data.get("text"), f"the note's text is {n.get('text')}")
    check(bool(n.get("id")), "the note has an id")

# History: who changed what, when and why, field by field.
events = history.json().get("events", []) if history else []
check([e.get("version") for e in events] == list(range(1, len(events) + 1)),
      "history versions are 1, 2, 3, ...")
for e in events:
    check(all(e.get(k) for k in ("type", "actor", "recorded_at", "source", "hash")),
          f"history event {e.get('version')} says who, what, when and from where")
if events:
    check(events[0].get("type") == "CustomerRegistered", "the history starts with the registration")
patch_events = [e for e in events if patch and e.get("reason") == patch.data.get("reason")]
check(len(patch_events) >= 1, "the PATCH's reason is in the history")
for field, value in patched.items():
    check(any(ch.get("field") == "/" + field and ch.get("to") == value
              for e in patch_events for ch in e.get("changes", [])),
          f"the history shows {field} changed to {value}, with the PATCH's reason")
check(any(e.get("source") == "sms_stop" for e in events), "the STOP is in the history (sms_stop)")
note_events = [e for e in events
               if e.get("type") == "NoteAdded" and note and e["data"].get("text") == note.data["text"]]
check(len(note_events) == 1, "the note is in the history")

# The profile as it was at version N.
if as_of_version:
    n = int(re.search(r"version=(\d+)", as_of_version.query).group(1))
    p = as_of_version.json()
    check(p.get("version") == n, f"?version={n} answered version {p.get('version')}")
    patch_version = patch_events[0]["version"] if patch_events else None
    for field, value in patched.items():
        if patch_version is not None and patch_version <= n:
            check(p.get(field) == value, f"at version {n} {field} is {p.get(field)}")
    if note_events and note_events[0]["version"] > n:
        check(p.get("notes") == [], f"at version {n} the later note is not there yet")

# The notes list: the note now, nothing at a version before it.
if notes_now and note:
    page = notes_now.json()
    check([n.get("id") for n in page.get("notes", [])] == [note.json().get("id")],
          f"the notes list holds the note: {page.get('notes')}")
    check(page.get("next_cursor") is None, "one note is one page")
if notes_then and note_events:
    n = int(re.search(r"version=(\d+)", notes_then.query).group(1))
    page = notes_then.json()
    check(page.get("version") == n, f"notes?version={n} answered version {page.get('version')}")
    if note_events[0]["version"] > n:
        check(page.get("notes") == [], f"at version {n} the notes list is empty")

# Verify: the whole chain, ending at the last event's hash.
if verify:
    v = verify.json()
    check(v.get("ok") is True, f"verify is ok: {v}")
    check(v.get("events") == len(events), f"verify checked {v.get('events')} of {len(events)} events")
    if events:
        check(v.get("head_hash") == events[-1].get("hash"), "verify ends at the last event's hash")

for f in failures:
    print("check_walkthrough:", f, file=sys.stderr)
sys.exit(1 if failures else 0)
