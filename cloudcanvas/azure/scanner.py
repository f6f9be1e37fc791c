"""The inventory scanner: Azure Resource Graph, a few queries a scan, 1000 rows a page.

A scan runs two queries per batch of up to 1000 subscriptions (``Resources`` and the subscriptions
and resource groups of ``ResourceContainers``), or two per management group, all of them
concurrently on threads, paged with ``$skipToken``. Request bodies are the SDK's own ``QueryRequest``
model (azure-mgmt-resourcegraph), serialized; the response is read by ``_graph.GraphClient``. Each principal's query quota is respected (see ``_quota``); 429s are retried
whether or not they carry ``Retry-After``, 5xx and timeouts a few times. A query that still fails
is recorded as a ``QueryFailure`` that says what the diagram misses; nothing raises out of a scan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from azure.identity import ClientSecretCredential
from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

from cloudcanvas.azure import _sdk
from cloudcanvas.azure._graph import GraphClient
from cloudcanvas.azure._quota import (
    REMAINING,
    RESETS_AFTER,
    DeadlineExceeded,
    PrincipalQuota,
    QuotaSource,
    backoff,
    parse_resets_after,
    parse_retry_after,
    shared_quota,
)
from cloudcanvas.azure.clouds import AzureEndpoints
from cloudcanvas.azure.credentials import Credentials, validate_format

RESOURCES_QUERY = "Resources | order by id asc"
CONTAINERS_QUERY = (
    "ResourceContainers | where type in~ ('microsoft.resources/subscriptions', "
    "'microsoft.resources/subscriptions/resourcegroups') | order by id asc"
)
PAGE_SIZE = 1000
BATCH_SIZE = 1000  # subscriptions per query, Resource Graph's limit
THROTTLE_ATTEMPTS = 8  # 429s, waiting as Azure says
FAULT_ATTEMPTS = 4  # 5xx and timeouts
_IMPACT = {
    "resources": "resources of these subscriptions are missing from the diagram",
    "containers": "subscriptions and resource groups of these subscriptions are missing from the "
    "diagram (their resources are drawn without their group)",
}


@dataclass
class QueryFailure:
    query: str
    subscription_ids: list[str]
    status: int | None
    code: str
    message: str
    impact: str
    detail: str | None = None


@dataclass
class ScanProgress:
    pages: int
    resources: int
    requests: int
    elapsed: float


@dataclass
class ScanResult:
    resources: list[dict[str, Any]] = field(default_factory=list)
    containers: list[dict[str, Any]] = field(default_factory=list)
    failures: list[QueryFailure] = field(default_factory=list)
    requests: int = 0
    partial: bool = False
    elapsed: float = 0.0


@dataclass(frozen=True)
class _Query:
    name: str
    text: str
    subscription_ids: list[str]
    management_groups: list[str] = field(default_factory=list)

    def body(self, skip_token: str | None) -> dict[str, Any]:
        options = QueryRequestOptions(
            top=PAGE_SIZE, skip_token=skip_token, result_format="objectArray"
        )
        request = QueryRequest(
            subscriptions=self.subscription_ids or None,
            management_groups=self.management_groups or None,
            query=self.text,
            options=options,
        )
        return dict(request.serialize())


class _QueryFailed(Exception):
    def __init__(self, failure: _sdk.AzureFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _group_queries(management_groups: list[str]) -> list[_Query]:
    """Two queries per management group: Resource Graph reads every subscription below it."""
    return [
        _Query(name, text, [], [group])
        for group in management_groups
        for name, text in (("resources", RESOURCES_QUERY), ("containers", CONTAINERS_QUERY))
    ]


def _queries(subscription_ids: list[str]) -> list[_Query]:
    first: dict[str, str] = {}  # each id once, as the caller first spelled it
    for sid in (s.strip() for s in subscription_ids):
        if sid:
            first.setdefault(sid.lower(), sid)
    unique = list(first.values())
    batches = [unique[i : i + BATCH_SIZE] for i in range(0, len(unique), BATCH_SIZE)]
    return [
        _Query(name, text, batch)
        for batch in batches
        for name, text in (("resources", RESOURCES_QUERY), ("containers", CONTAINERS_QUERY))
    ]


class _Job:
    """One account's scan: its credential, its client, its counters and its result."""

    def __init__(
        self,
        endpoints: AzureEndpoints,
        creds: Credentials,
        quota: PrincipalQuota,
        report: Callable[[_Job], None] | None,
        deadline: float,
    ) -> None:
        self.endpoints, self.creds, self.quota = endpoints, creds.normalized(), quota
        self.deadline, self.started = deadline, time.monotonic()
        self.result = ScanResult()
        self.pages = 0
        self._report = report
        self._lock = threading.Lock()
        self._auth_failure: _sdk.AzureFailure | None = None
        self._token_lock = threading.Lock()
        self._has_token = False
        self.credential: ClientSecretCredential | None = None
        self.client: GraphClient | None = None
        malformed = validate_format(
            Credentials(creds.tenant_id, creds.client_id, creds.client_secret)
        )
        if not malformed.ok:  # the SDK would raise at construction; record it on every query
            self._auth_failure = _sdk.AzureFailure(
                malformed.code or "invalid_request", malformed.message
            )
            return
        self.credential = _sdk.build_credential(
            endpoints,
            tenant_id=self.creds.tenant_id,
            client_id=self.creds.client_id,
            client_secret=self.creds.client_secret,
            retry_total=2,
            on_request=self._count,
        )
        self.client = GraphClient(endpoints, self.credential, on_request=self._count)

    def _count(self, _request: Any) -> None:
        with self._lock:
            self.result.requests += 1

    def progress(self) -> ScanProgress:
        with self._lock:
            return ScanProgress(
                pages=self.pages,
                resources=len(self.result.resources),
                requests=self.result.requests,
                elapsed=time.monotonic() - self.started,
            )

    def run(self, query: _Query) -> None:
        """Page through one query; record a failure instead of raising."""
        with _sdk.guard_secret(self.creds.client_secret):
            try:
                self._page_through(query)
            except _QueryFailed as exc:
                self._fail(query, exc.failure)
            except DeadlineExceeded:
                message = "The scan ran out of time before this query finished."
                self._fail(query, _sdk.AzureFailure("scan_timeout", message))
            except Exception as exc:  # any other SDK failure, translated
                self._fail(query, _sdk.translate(exc, secret=self.creds.client_secret))

    def _page_through(self, query: _Query) -> None:
        body = query.body(None)
        while True:
            page = self._fetch(body)
            data = page.get("data")
            rows = [row for row in data if isinstance(row, dict)] if isinstance(data, list) else []
            with self._lock:
                target = (
                    self.result.resources if query.name == "resources" else self.result.containers
                )
                target.extend(rows)
                self.pages += 1
            if self._report is not None:
                self._report(self)
            skip_token = page.get("$skipToken")
            if not skip_token:
                return
            body = query.body(str(skip_token))

    def _fetch(self, body: dict[str, Any]) -> dict[str, Any]:
        attempts = {"throttled": 0, "faults": 0}
        while True:
            if self._auth_failure is not None:
                raise _QueryFailed(self._auth_failure)
            self.quota.acquire(self.deadline)
            headers: Mapping[str, str] | None = None
            try:
                page, headers = self._send(body)
                return page
            except DeadlineExceeded:
                raise
            except Exception as exc:
                headers = _headers_of(exc)
                delay = self._retry_delay(exc, headers, attempts)
            finally:
                self.quota.release(headers)
            self._sleep(delay)

    def _retry_delay(
        self, exc: Exception, headers: Mapping[str, str] | None, attempts: dict[str, int]
    ) -> float:
        """How long to wait before trying again; raises when the query should not be retried."""
        failure = _sdk.translate(exc, secret=self.creds.client_secret)
        if not failure.unavailable:
            if failure.code in _CREDENTIAL_CODES:
                self._auth_failure = failure
            raise _QueryFailed(failure) from exc
        if failure.status == 429:
            attempts["throttled"] += 1
            if attempts["throttled"] >= THROTTLE_ATTEMPTS:
                raise _QueryFailed(failure) from exc
            delay = _throttle_delay(headers, attempts["throttled"])
            self.quota.block(delay)
            return delay
        attempts["faults"] += 1
        if attempts["faults"] >= FAULT_ATTEMPTS:
            raise _QueryFailed(failure) from exc
        return backoff(attempts["faults"] - 1)

    def _ensure_token(self) -> None:
        """One token request per account, not one per thread that starts at the same time."""
        with self._token_lock:
            if not self._has_token and self.credential is not None:
                self.credential.get_token(self.endpoints.scope)
                self._has_token = True

    def _send(self, body: dict[str, Any]) -> tuple[dict[str, Any], Mapping[str, str]]:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlineExceeded
        self._ensure_token()
        read_timeout = max(min(self.endpoints.timeout, remaining), 0.5)
        assert self.client is not None  # only None when the credentials are malformed
        return self.client.query(body, read_timeout=read_timeout)

    def _sleep(self, delay: float) -> None:
        if time.monotonic() + delay > self.deadline:
            raise DeadlineExceeded
        time.sleep(delay)

    def _fail(self, query: _Query, failure: _sdk.AzureFailure) -> None:
        with self._lock:
            self.result.failures.append(
                QueryFailure(
                    query=query.name,
                    subscription_ids=list(query.subscription_ids or query.management_groups),
                    status=failure.status,
                    code=failure.code,
                    message=failure.message,
                    impact=_IMPACT[query.name],
                    detail=failure.detail,
                )
            )

    def finish(self) -> ScanResult:
        if self.client is not None:
            self.client.close()
        if self.credential is not None:
            self.credential.close()
        self.result.partial = bool(self.result.failures)
        self.result.elapsed = time.monotonic() - self.started
        return self.result


_CREDENTIAL_CODES = frozenset(
    {
        "invalid_client_secret",
        "expired_client_secret",
        "application_not_found",
        "directory_not_found",
        "invalid_credentials",
    }
)


def _headers_of(exc: BaseException) -> Mapping[str, str] | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    return headers if isinstance(headers, Mapping) else None


def _throttle_delay(headers: Mapping[str, str] | None, attempt: int) -> float:
    """Retry-After when Azure sends it, else the reset of a spent quota, else jittered backoff."""
    if headers:
        retry_after = parse_retry_after(headers)
        if retry_after is not None:
            return retry_after
        resets = parse_resets_after(headers.get(RESETS_AFTER))
        if resets and headers.get(REMAINING, "0").strip() in ("0", "-1"):
            return resets
    return backoff(attempt - 1, base=0.5)


@dataclass(frozen=True)
class Target:
    """What one account's scan reads: subscriptions by id, and/or whole management groups."""

    subscription_ids: list[str] = field(default_factory=list)
    management_groups: list[str] = field(default_factory=list)

    def queries(self) -> list[_Query]:
        return _queries(self.subscription_ids) + _group_queries(self.management_groups)


def scan_many(
    endpoints: AzureEndpoints,
    jobs: Sequence[tuple[Credentials, list[str] | Target]],
    *,
    max_concurrency: int = 8,
    on_progress: Callable[[int, ScanProgress], None] | None = None,
    timeout: float = 300,
    quotas: QuotaSource = shared_quota,
) -> list[ScanResult]:
    """Scan many accounts at once, each within its principal's quota; one result per job.

    ``on_progress(job_index, progress)`` is called after every page. ``quotas`` gives each
    principal's quota: by default the one this process shares among all its scans.
    """
    deadline = time.monotonic() + timeout
    index: dict[int, int] = {}
    report_lock = threading.Lock()

    def report(job: _Job) -> None:
        if on_progress is not None:
            with report_lock:
                on_progress(index[id(job)], job.progress())

    running: list[_Job] = []
    for creds, _ids in jobs:
        job = _Job(endpoints, creds, quotas(creds.tenant_id, creds.client_id), report, deadline)
        index[id(job)] = len(running)
        running.append(job)
    targets = [t if isinstance(t, Target) else Target(list(t)) for _c, t in jobs]
    tasks = [(job, q) for job, t in zip(running, targets, strict=True) for q in t.queries()]
    with ThreadPoolExecutor(max_workers=max(1, max_concurrency)) as pool:
        for future in [pool.submit(job.run, query) for job, query in tasks]:
            future.result()
    return [job.finish() for job in running]


def scan_subscriptions(
    endpoints: AzureEndpoints,
    creds: Credentials,
    subscription_ids: list[str] | Target,
    *,
    on_progress: Callable[[ScanProgress], None] | None = None,
    timeout: float = 300,
    quotas: QuotaSource = shared_quota,
) -> ScanResult:
    """Scan the subscriptions of one account: every resource, subscription and resource group."""
    forward = None if on_progress is None else (lambda _i, progress: on_progress(progress))
    jobs = [(creds, subscription_ids)]
    return scan_many(endpoints, jobs, on_progress=forward, timeout=timeout, quotas=quotas)[0]
