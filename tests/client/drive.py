"""Drives a running server through the Python client generated from openapi.yaml, as an
integrator would: login, create (with Idempotency-Key, retried), list and page, PATCH with
If-Match (and a stale one), record a consent, export the customers as XLSX and open the file as
a spreadsheet program does (openpyxl).

    python drive.py URL USERNAME PASSWORD
"""
import io
import random
import sys
import time
import uuid

import openpyxl

from guanxi_api_client import AuthenticatedClient, Client
from guanxi_api_client.api.auth import login
from guanxi_api_client.api.consent import list_consents, record_consent
from guanxi_api_client.api.customers import (
    create_customer,
    export_customers,
    get_customer,
    list_customers,
    update_customer,
)
from guanxi_api_client.api.jobs import get_job, get_job_file
from guanxi_api_client.models import (
    ConsentChannel,
    CreateCustomer,
    CustomerType,
    ExportFormat,
    ExportRequest,
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
    # Two of the three, as a spreadsheet: Chinese headers, the names as they were written.
    started = export_customers.sync_detailed(client=client, body=ExportRequest(format_=ExportFormat.XLSX, ids=ids[:2]))
    assert started.status_code == 202, started.content
    job = started.parsed
    deadline = time.monotonic() + 60
    while job.status.value in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)  # the job runs on the server's worker: poll its state, as the SPA does
        job = get_job.sync(id=job.id, client=client)
    assert job.status.value == "succeeded", job
    file = get_job_file.sync_detailed(id=job.id, name="customers.xlsx", client=client)
    assert file.status_code == 200, file.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(file.content), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["客户编号", "组织单元"], rows[0]
    name = rows[0].index("姓名")
    assert sorted(r[name] for r in rows[1:]) == ["客户0", "客户1"], rows
    print("python client: login, idempotent create, pages, If-Match, consent, XLSX export: ok")


if __name__ == "__main__":
    main(*sys.argv[1:4])
