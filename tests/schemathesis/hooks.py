"""What schemathesis cannot know about Guanxi's documented rules, supplied per generated case.

Each mapping stands for one rule that JSON Schema cannot state; everything else is generated
and checked as schemathesis sees fit (see schemathesis.toml and docs/decisions/0015).
"""

import uuid

import schemathesis
from schemathesis import GenerationMode

# GB 11643-1999: 17 digits and a check character the server verifies.
VALID_RESIDENT_ID = "11010519491231002X"


@schemathesis.hook
def map_case(context, case):
    headers = case.headers or {}
    # Idempotency-Key: a key reused with another request is 422 (IETF idempotency-key draft);
    # a fuzzer repeats values, so each case sends its own key.
    if "Idempotency-Key" in headers:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    # If-Match: the server compares it with the stored version, which a generator cannot
    # guess; "*" (any current version, RFC 9110) keeps the precondition path exercised.
    if "If-Match" in headers:
        headers["If-Match"] = "*"
    # Cursors are signed by the server and bound to their list: a generated one is rightly
    # refused (422), which the API tests cover. Lists are fuzzed from their first page.
    if case.query and "cursor" in case.query:
        case.query.pop("cursor")
    if _positive(case):
        _valid_beyond_schema(case.body)
        _valid_beyond_schema(case.query)
    return case


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """NUL is refused in every text, body or URL (PostgreSQL cannot store it; the API
    description states it once rather than as a pattern on each string): "valid data
    rejected" is no failure when what was refused is a NUL."""
    if "rejected" not in failure.title or response.status_code not in (400, 422):
        return True
    try:
        problem = response.json()
    except ValueError:
        return True
    nul = any(e.get("code") == "nul" for e in problem.get("errors", []))
    return not (nul or "%00" in (problem.get("detail") or ""))


def _positive(case):
    # Stateful runs may carry no metadata; their cases are generated from the schema as is.
    return case.meta is None or case.meta.generation.mode != GenerationMode.NEGATIVE


def _valid_beyond_schema(body):
    """Rules a JSON Schema cannot state: a resident id's check character and embedded birth
    date, and dates of birth that lie in the past (from 1900)."""
    if not isinstance(body, dict):
        return
    if isinstance(body.get("national_id"), str):
        body["national_id"] = VALID_RESIDENT_ID
    if isinstance(body.get("birth_date"), str):
        body["birth_date"] = "1990-06-15"
    # Keys expire in the future.
    if isinstance(body.get("expires_at"), str):
        body["expires_at"] = "2099-01-01T00:00:00Z"
    # Business hours end after they start.
    start, end = body.get("start_minute"), body.get("end_minute")
    if isinstance(start, (int, float)) and isinstance(end, (int, float)) and end <= start:
        body["start_minute"], body["end_minute"] = 540, 1080
    # A refund names an earlier purchase of the same customer and is negative (a generator can know
    # neither): generated purchases are plain ones; the API tests cover refunds.
    body.pop("refund_of", None)
    # A campaign's landing page is a web page; a holiday greeting's day is a real MM-DD, and only
    # a holiday has one; a usage tip comes at least a day after the purchase.
    if isinstance(body.get("link_url"), str):
        body["link_url"] = "https://example.com/landing"
    if "kind" in body and "month_day" in body:
        if body.get("kind") == "holiday":
            body["month_day"] = "10-01"
        else:
            body.pop("month_day")
    if body.get("kind") == "tip" and isinstance(body.get("days"), int) and body["days"] < 1:
        body["days"] = 1
    # A subscription ends after it was bought (one rule across fields).
    if isinstance(body.get("ends_at"), str) and isinstance(body.get("purchased_at"), str):
        body["purchased_at"], body["ends_at"] = "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"
    # A purchased third-party list names its supplier and legal basis (one rule across fields).
    source = body.get("source")
    if isinstance(source, dict) and source.get("channel") == "third_party":
        source["supplier"] = source.get("supplier") or "supplier"
        source["legal_basis"] = source.get("legal_basis") or "contract"
