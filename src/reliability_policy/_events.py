"""The persistent history behind :class:`~reliability_policy.lifecycle.Incident`.

An incident is immutable to its callers, yet applying an event must cost O(1) and must never
copy the history it has accumulated. One structure makes that work, the :class:`Store`:

* **The log.** The accepted events sit in one append-only list shared by every version of
  the incident along one line of history; a version is the store plus its length ``count``,
  and sees exactly ``log[:count]``. Applying an event appends one item and builds a new
  version; nothing older is copied or changed. The log as a tuple is made only when someone
  asks for it.
* **The indexes.** "Has this event id been applied?", "is this tenant in scope?" and "is this
  corrective action open?" are answered from dicts in the same store. Each entry records the
  length of the history that wrote it, so an older version ignores entries newer than itself
  (a "fat node" persistent map).

Sharing is safe because a store only ever grows along one line of history. A version of
length ``count`` may extend the store only if the log still has exactly ``count`` events, and
it checks after appending that ``log[count]`` is its own event (two threads racing both see the
winner's event there). Any other version that wants to grow (a branch: two different events
applied to the same incident value) forks a fresh store from its own prefix first, which
costs O(count) once per branch and never happens when events are applied one after another.
Duplicates and refused events never touch the store.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_Entry = tuple[int, V | None, "_Entry[V] | None"]

__all__ = ["Store", "Versioned"]


class Versioned(Generic[K, V]):
    """A map whose entries are visible only to versions at least as long as their writer.

    ``put(key, value, count)`` records that from history length ``count`` on, ``key`` maps to
    ``value`` (``None`` meaning absent). ``get(key, count)`` reads the map as a version of
    length ``count`` sees it. Each key holds a chain of ``(count, value, older)`` tuples,
    newest first: no per-entry container for the garbage collector to keep visiting.
    """

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[K, _Entry[V]] = {}

    def get(self, key: K, count: int) -> V | None:
        """The value of ``key`` as the version of length ``count`` sees it."""
        entry = self._entries.get(key)
        while entry is not None and entry[0] > count:
            entry = entry[2]
        return None if entry is None else entry[1]

    def put(self, key: K, value: V | None, count: int) -> None:
        """Set ``key`` to ``value`` for versions of length ``count`` and longer."""
        self._entries[key] = (count, value, self._entries.get(key))

    def items(self, count: int) -> Iterator[tuple[K, V]]:
        """Present entries as the version of length ``count`` sees them, oldest key first."""
        for key in list(self._entries):
            value = self.get(key, count)
            if value is not None:
                yield key, value


class Store:
    """The log and indexes shared by the versions of one line of history.

    Attributes:
        log: The accepted events, in order; a version of length ``count`` sees ``log[:count]``.
        ids: Event id to its position in ``log``.
        tenants: Tenant id to ``True`` while the tenant is in scope.
        actions: Corrective action id to ``(assigned, open)``.
        views: The views over the history last computed, with the length they are for.
    """

    __slots__ = ("actions", "ids", "log", "tenants", "views")

    def __init__(self) -> None:
        self.views: tuple[int, Any] | None = None
        self.log: list[Any] = []
        self.ids: dict[str, int] = {}
        self.tenants: Versioned[str, bool] = Versioned()
        self.actions: Versioned[str, tuple[bool, bool]] = Versioned()

    def extend(self, count: int, event: Any) -> bool:
        """Make ``event`` the event after the first ``count``; ``False`` if another one is.

        At the tip, append it. Past the tip, share the history if the very same event
        already follows (the same event applied twice to one value). On ``False`` the caller
        forks; a stray append past another version's event is never visible to anyone, since
        every version sees only its own prefix.
        """
        log = self.log
        if len(log) == count:
            log.append(event)
        if log[count] is not event:
            return False
        self.ids[event.id] = count
        return True

    def fork(self, count: int) -> Store:
        """A new store holding exactly the first ``count`` events; O(count)."""
        fresh = Store()
        fresh.log = self.log[:count]
        fresh.ids = {event.id: index for index, event in enumerate(fresh.log)}
        for tenant, present in self.tenants.items(count):
            fresh.tenants.put(tenant, present, 0)
        for action, state in self.actions.items(count):
            fresh.actions.put(action, state, 0)
        return fresh
