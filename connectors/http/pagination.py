"""Pagination styles of the APIs we read. A paginator says where a page's items are and where the next page is.

=====================  ==================================================  ======================
class                  next page                                           used by
=====================  ==================================================  ======================
:class:`LinkHeader`    ``Link: <url>; rel="next"`` response header          Okta
:class:`NextLink`      an absolute URL in the body (``@odata.nextLink``)    Microsoft Graph, Airbyte (``next``)
:class:`PageToken`     a token in the body sent back as a query parameter   Google (``nextPageToken``)
:class:`Cursor`        same as PageToken, token at a nested path            Backstage, Fivetran, Segment
:class:`SinglePage`    none                                                 plain endpoints
=====================  ==================================================  ======================

A paginator is a small frozen object with two methods: ``items(body)`` → the page's items, and
``next_page(response, body)`` → :class:`NextPage` or None. Write a new one by implementing both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

#: A key path into a JSON body: ``("data", "items")`` means ``body["data"]["items"]``; ``()`` is the body.
Path = tuple[str, ...]


@dataclass(frozen=True)
class NextPage:
    """The next request: an absolute ``url`` (then ``params`` is empty) or the same URL with new ``params``."""

    url: str
    params: dict[str, Any] = field(default_factory=dict)


class Paginator(Protocol):
    """Where a page's items are and where the next page is."""

    def items(self, body: Any) -> list[Any]:
        """The items of one page."""
        ...

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """The next request, or None on the last page."""
        ...


def dig(body: Any, path: Sequence[str]) -> Any:
    """``body[path[0]][path[1]]…``; None when a key is missing or a level is not an object."""
    for key in path:
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body


class PageShapeError(ValueError):
    """A page whose items are not where the paginator expects a list (``{}`` or ``null`` for a list)."""


def _list_at(body: Any, path: Path, optional: bool) -> list[Any]:
    """The list at ``path``; a missing key is an empty page only when ``optional`` (the API omits empty lists)."""
    found = dig(body, path)
    if isinstance(found, list):
        return list(found)
    if found is None and optional and isinstance(body, dict):
        return []
    where = "the body" if not path else "/".join(path)
    raise PageShapeError(f"expected a list of items at {where}, got {_kind(found)}")


def _kind(value: Any) -> str:
    """``null``, ``an object``, ``a string``…: what a JSON value is, for messages."""
    if value is None:
        return "nothing (null or a missing key)"
    names = {dict: "an object", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _with_param(response: httpx.Response, name: str, value: str, keep: Sequence[str] | None) -> NextPage:
    url = response.request.url
    params = dict(url.params) if keep is None else {k: v for k, v in url.params.items() if k in keep}
    params[name] = value
    return NextPage(str(url.copy_with(query=None)), params)


@dataclass(frozen=True)
class ItemsAt:
    """Base of the paginators below: a page's items are the list at ``items_path``."""

    items_path: Path = ()
    #: Whether the API leaves the list out of a page that has no items (Google); else a missing list is an error.
    optional: bool = field(default=False, kw_only=True)

    def items(self, body: Any) -> list[Any]:
        """The list at ``items_path``; :class:`PageShapeError` when something else is there."""
        return _list_at(body, self.items_path, self.optional)


@dataclass(frozen=True)
class SinglePage(ItemsAt):
    """An endpoint without pagination; the items are at ``items_path``."""

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """Always None."""
        return None


@dataclass(frozen=True)
class LinkHeader(ItemsAt):
    """RFC 8288 ``Link`` header with ``rel="next"`` (Okta, GitHub); items at ``items_path`` (default: the body)."""

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """The ``rel="next"`` URL, resolved against the request URL."""
        link = response.links.get("next", {}).get("url")
        return NextPage(str(response.request.url.join(link))) if link else None


@dataclass(frozen=True)
class NextLink(ItemsAt):
    """A next-page URL inside the body: ``@odata.nextLink`` (Graph, the default) or ``next`` (Airbyte)."""

    items_path: Path = ("value",)
    next_path: Path = ("@odata.nextLink",)

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """The URL at ``next_path``, resolved against the request URL."""
        link = dig(body, self.next_path)
        return NextPage(str(response.request.url.join(link))) if isinstance(link, str) and link else None


@dataclass(frozen=True)
class Cursor(ItemsAt):
    """A token in the body sent back as query parameter ``param``.

    ``keep`` names the query parameters repeated with the cursor (None: all of them; Backstage wants
    only ``limit`` and ``fields`` since the cursor encodes the filter).
    """

    items_path: Path = ("items",)
    cursor_path: Path = ("pageInfo", "nextCursor")
    param: str = "cursor"
    keep: tuple[str, ...] | None = None

    def next_page(self, response: httpx.Response, body: Any) -> NextPage | None:
        """The same URL with ``param`` set to the cursor, or None when there is none."""
        cursor = dig(body, self.cursor_path)
        if cursor is None or cursor == "":
            return None
        return _with_param(response, self.param, str(cursor), self.keep)


def PageToken(items_path: Path = ("items",), token_path: Path = ("nextPageToken",),  # noqa: N802
              param: str = "pageToken") -> Cursor:
    """Google's style: ``nextPageToken`` in the body, sent back as ``?pageToken=``, other parameters kept;
    Google leaves an empty list out of the page, so a missing list is an empty page."""
    return Cursor(items_path, token_path, param, None, optional=True)
