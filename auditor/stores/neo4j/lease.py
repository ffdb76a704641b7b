"""The sync lease: at most one ``auditor scan`` writes an organization's graph at a time.

A sync tags what it writes with its scan id and then deletes the organization's elements not
carrying that tag, so two syncs of one organization running at once would delete each other's
work. Before writing, a sync therefore takes a lease on the organization's ``Organization`` node:

* ``sync_owner``: a random token of this sync, ``sync_holder``: who holds it (host name and
  process id, nothing else), ``sync_started_at`` and ``sync_expires_at`` (server time, Neo4j
  ``DATETIME``).
* :func:`take_lease` runs one write transaction that locks the node first (the documented
  lost-update pattern: a dummy property is set, which waits for any other writer of the node)
  and only then reads the lease and sets it if it is absent, expired or already ours. Two racing
  processes are serialized by that lock: exactly one wins, the other gets :class:`LeaseHeld`.
* Every write transaction of the sync starts with :meth:`SyncLease.check`, which renews the
  expiry and aborts the transaction with :class:`LeaseLost` when the lease is no longer ours
  (a sync stalled beyond the lease time whose lease another sync has taken over writes nothing more).
* :func:`release_lease` removes the lease properties if the token still owns them.

A killed process leaves its lease behind until ``sync_expires_at``; the next sync after that
takes it over (and logs so). Reading never needs the lease.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from dataclasses import dataclass
from typing import Any

from neo4j import Driver

from auditor.stores.base import StoreError

log = logging.getLogger(__name__)

#: How long a lease lives without renewal (every write transaction of the sync renews it).
LEASE_SECONDS = 600.0

#: The properties of the ``Organization`` node that make up the lease.
LEASE_PROPERTIES = ("sync_owner", "sync_holder", "sync_started_at", "sync_expires_at")

_ORG_NODE = "(o:Organization {organization: $organization, name: $organization})"

TAKE = (
    f"MERGE {_ORG_NODE} "
    "SET o.sync_lock = $token "  # write-locks the node: a racing take waits here until we commit
    "WITH o, o.sync_owner AS owner, o.sync_holder AS holder, o.sync_started_at AS since, "
    "o.sync_expires_at AS expires "
    "WITH o, owner, holder, since, expires, "
    "owner IS NULL OR owner = $token OR expires IS NULL OR expires <= datetime() AS won "
    "FOREACH (_ IN CASE WHEN won THEN [1] ELSE [] END | "
    "SET o.sync_owner = $token, o.sync_holder = $holder, o.sync_started_at = datetime(), "
    "o.sync_expires_at = datetime() + duration({seconds: $seconds})) "
    "REMOVE o.sync_lock "
    "RETURN won, owner, holder, since, expires, o.sync_expires_at AS until"
)

CHECK = (
    f"MATCH {_ORG_NODE} WHERE o.sync_owner = $token "
    "SET o.sync_expires_at = datetime() + duration({seconds: $seconds}) RETURN count(o) AS held"
)

RELEASE = (
    f"MATCH {_ORG_NODE} WHERE o.sync_owner = $token "
    f"REMOVE {', '.join(f'o.{name}' for name in LEASE_PROPERTIES)} RETURN count(o) AS released"
)

#: The manual release documented in docs/neo4j.md (for a crashed run whose lease has not expired yet).
MANUAL_RELEASE = (
    f"MATCH {_ORG_NODE} "
    f"REMOVE {', '.join(f'o.{name}' for name in LEASE_PROPERTIES)}"
)

_HELP = "docs/neo4j.md#the-sync-lease"


class LeaseHeld(StoreError):
    """Another live sync holds the organization's lease; nothing was written."""


class LeaseLost(StoreError):
    """This sync's lease was taken over by another sync (it expired while this one stalled)."""


def when(value: Any) -> str:
    """A lease timestamp (Neo4j ``DateTime``) as ISO 8601 text to the second, e.g. ``2026-11-08T07:10:00+00:00``."""
    if value is None:
        return "an unknown time"
    native = value.to_native() if hasattr(value, "to_native") else value
    return native.isoformat(timespec="seconds") if hasattr(native, "isoformat") else str(native)


def holder_description() -> str:
    """Who takes the lease, for people reading the error: host name and process id (no URI, no credential)."""
    return f"{socket.gethostname()} (pid {os.getpid()})"


@dataclass(frozen=True)
class SyncLease:
    """A lease this process holds on one organization."""

    organization: str
    token: str
    seconds: float
    holder: str

    def params(self) -> dict[str, Any]:
        """Query parameters identifying this lease."""
        return {"organization": self.organization, "token": self.token, "seconds": self.seconds}

    def check(self, tx: Any) -> None:
        """Renew the lease inside the transaction ``tx``; raise :class:`LeaseLost` (rolling it back) if not ours."""
        record = tx.run(CHECK, self.params()).single()
        if not record or not record["held"]:
            raise LeaseLost(
                f"the sync lease of organization '{self.organization}' was taken over by another run while this "
                f"sync was stalled for more than its lease time ({self.seconds:.0f}s); this sync stopped writing, "
                "the other one owns the graph now")


def take_lease(driver: Driver, database: str, organization: str, seconds: float = LEASE_SECONDS) -> SyncLease:
    """Take the organization's sync lease in one write transaction, or raise :class:`LeaseHeld`."""
    lease = SyncLease(organization, secrets.token_hex(16), seconds, holder_description())

    def work(tx: Any) -> dict[str, Any]:
        record = tx.run(TAKE, {**lease.params(), "holder": lease.holder}).single()
        return record.data() if record else {"won": False, "owner": None, "holder": None, "since": None,
                                             "expires": None, "until": None}

    with driver.session(database=database) as session:
        outcome = session.execute_write(work)
    if not outcome["won"]:
        expires = when(outcome["expires"])
        raise LeaseHeld(
            f"organization '{organization}' is being synced by another auditor scan, "
            f"{outcome['holder'] or 'unknown'}, since {when(outcome['since'])}; nothing was written. Its sync lease "
            f"expires at {expires} unless that scan keeps writing: wait for it to finish and run again. If that scan "
            f"crashed or was killed, the next scan after {expires} takes over, or release the lease with "
            f"'auditor scans unlock' (see {_HELP}).")
    if outcome["owner"] is not None and outcome["owner"] != lease.token:
        log.info("took over the expired sync lease of organization '%s' held by %s since %s (expired at %s)",
                 organization, outcome["holder"] or "unknown", when(outcome["since"]), when(outcome["expires"]))
    log.debug("sync lease of organization '%s' taken until %s", organization, when(outcome["until"]))
    return lease


def release_lease(driver: Driver, database: str, lease: SyncLease) -> bool:
    """Remove the lease if this token still owns it; whether it did."""

    def work(tx: Any) -> int:
        record = tx.run(RELEASE, {"organization": lease.organization, "token": lease.token}).single()
        return int(record["released"]) if record else 0

    with driver.session(database=database) as session:
        return bool(session.execute_write(work))
