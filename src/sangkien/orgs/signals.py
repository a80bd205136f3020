"""tree_changed: sent once after the commit of any transaction that moved, merged, split or
dissolved units (stats recounts today's tree on it)."""

from django.db import transaction
from django.dispatch import Signal

tree_changed = Signal()


def _send() -> None:
    tree_changed.send(sender=None)


def announce_tree_change() -> None:
    """Called by every write of a placement's end; at most one signal per transaction."""
    connection = transaction.get_connection()
    if any(entry[1] is _send for entry in connection.run_on_commit):
        return
    transaction.on_commit(_send)
