"""Drives a running server through the Python client generated from openapi.yaml, as an
integrator would: login, create (with Idempotency-Key, retried), list and page, PATCH with
If-Match (and a stale one), record a consent.

    python drive.py URL USERNAME PASSWORD
"""
import random
import sys
import uuid

from guanxi_api_client import AuthenticatedClient, Client
from guanxi_api_client.api.auth import login
from guanxi_api_client.api.consent import list_consents, record_consent
from guanxi_api_client.api.customers import create_customer, get_customer, list_customers, update_customer
from guanxi_api_client.models import (
    ConsentChannel,
    CreateCustomer,
    CustomerType,
    LoginRequest,
    RecordConsent,
    Source,
    SourceChannel,
    UpdateCustomer,
)


def main(url: str, username: str, password: str) -> None:
    tokens = login.sync(client=Client(base_url=url), body=LoginRequest(username=username, password=password))
    assert tokens is not None and hasattr(tokens, "access_token"), tokens
    client = AuthenticatedClient(base_url=url, token=tokens.access_token)

    ids = []
    for i in range(3):
        mobile = f"137{random.randrange(10**8):08d}"
        body = CreateCustomer(
            name=f"客户{i}", mobile=mobile, customer_type=CustomerType.INDIVIDUAL,
            source=Source(channel=SourceChannel.SERVICE),
        )
        key = str(uuid.uuid4())
        first = create_customer.sync_detailed(client=client, body=body, idempotency_key=key)
        retry = create_customer.sync_detailed(client=client, body=body, idempotency_key=key)
        assert first.status_code == 201 and retry.status_code == 201, (first.status_code, first.content)
        assert first.parsed.id == retry.parsed.id, "a retry replays, it does not create"
        assert retry.headers.get("idempotency-replayed") == "true"
        ids.append(first.parsed.id)

    page1 = list_customers.sync(client=client, limit=2)
    assert len(page1.items) == 2 and page1.next_cursor, page1
    page2 = list_customers.sync(client=client, limit=2, cursor=page1.next_cursor)
    assert page2.items and not {c.id for c in page2.items} & {c.id for c in page1.items}

    read = get_customer.sync_detailed(id=ids[0], client=client)
    etag = read.headers["etag"]
    changed = update_customer.sync_detailed(id=ids[0], client=client, body=UpdateCustomer(occupation="教师"), if_match=etag)
    assert changed.status_code == 200 and changed.parsed.occupation == "教师", changed.content
    stale = update_customer.sync_detailed(id=ids[0], client=client, body=UpdateCustomer(occupation="医生"), if_match=etag)
    assert stale.status_code == 412, stale.status_code

    withdrawal = RecordConsent(purpose="marketing_sms", granted=False, channel=ConsentChannel.PAPER)
    recorded = record_consent.sync_detailed(id=ids[0], client=client, body=withdrawal)
    assert recorded.status_code == 201, recorded.content
    overview = list_consents.sync(id=ids[0], client=client)
    assert len(overview.history) == 1
    print("python client: login, idempotent create, pages, If-Match, consent: ok")


if __name__ == "__main__":
    main(*sys.argv[1:4])
