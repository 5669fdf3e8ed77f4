"""Everything held about one resident: its history, a full dump, and erasure."""

from __future__ import annotations

from typing import Any

from data.db import Session, fetch_all
from data.models import AuditEntry

# Subjects that belong to one resident: the resident, its orders and their deliveries.
_SUBJECTS = (
    "subject = 'resident:' || :rid"
    " OR subject IN (SELECT 'order:' || id FROM orders WHERE resident_id = :rid)"
    " OR subject IN (SELECT 'delivery:' || d.id FROM deliveries d JOIN orders o"
    "  ON o.id = d.order_id WHERE o.resident_id = :rid)"
    " OR subject IN (SELECT 'standing:' || id FROM standing_orders WHERE resident_id = :rid)"
)

# What a dump holds: a name, and the query for one resident's rows (:rid).
_DUMP = {
    "resident": "SELECT * FROM residents WHERE id = :rid",
    "links": "SELECT l.*, a.first_name, a.username FROM links l"
    " JOIN accounts a ON a.id = l.account_id WHERE l.resident_id = :rid",
    "orders": "SELECT o.*, w.day, w.meal FROM orders o JOIN windows w ON w.id = o.window_id"
    " WHERE o.resident_id = :rid ORDER BY o.id",
    "order_items": "SELECT oi.*, m.name AS dish FROM order_items oi"
    " JOIN menu_items m ON m.id = oi.menu_item_id JOIN orders o ON o.id = oi.order_id"
    " WHERE o.resident_id = :rid ORDER BY oi.order_id",
    "deliveries": "SELECT d.* FROM deliveries d JOIN orders o ON o.id = d.order_id"
    " WHERE o.resident_id = :rid ORDER BY d.id",
    "standing_orders": "SELECT * FROM standing_orders WHERE resident_id = :rid",
    "checkins": "SELECT * FROM checkins WHERE resident_id = :rid ORDER BY day",
    "invites": "SELECT code, kind, created_at, expires_at, used_by, used_at FROM invites"
    " WHERE resident_id = :rid",
    "incidents": "SELECT * FROM incidents WHERE resident_id = :rid ORDER BY id",
    "incident_events": "SELECT e.* FROM incident_events e JOIN incidents i"
    " ON i.id = e.incident_id WHERE i.resident_id = :rid ORDER BY e.id",
    "feedback": "SELECT * FROM feedback WHERE resident_id = :rid ORDER BY id",
}

# Her audit details go first: `_SUBJECTS` finds them through her standing orders.
_ERASE = (
    f"UPDATE audit_log SET detail = '' WHERE {_SUBJECTS}",
    "UPDATE residents SET name = '', phone = '', building = '', unit = '', room = '',"
    " lat = NULL, lon = NULL, diet = '', allergies = '', age_band = NULL, door_notes = '',"
    " status = 'erased' WHERE id = :rid",
    # Changes of details keep which field changed, not the old and new address or notes.
    "UPDATE audit_log SET detail = '' WHERE subject = 'resident:' || :rid"
    " AND action LIKE 'resident.edit.%'",
    # Words her own account typed for the canteen and never sent.
    "DELETE FROM request_drafts WHERE account_id IN (SELECT account_id FROM links"
    " WHERE resident_id = :rid AND relation = 'self')",
    "DELETE FROM links WHERE resident_id = :rid",
    "DELETE FROM standing_orders WHERE resident_id = :rid",
    "DELETE FROM checkins WHERE resident_id = :rid",
    "DELETE FROM invites WHERE resident_id = :rid AND used_by IS NULL",
    "UPDATE deliveries SET note = NULL"
    " WHERE order_id IN (SELECT id FROM orders WHERE resident_id = :rid)",
    "UPDATE orders SET decline_reason = NULL WHERE resident_id = :rid",
    # What was written about her matters, and a voice she sent; the outcomes stay.
    "UPDATE incident_events SET detail = NULL, file_id = NULL WHERE what != 'closed'"
    " AND incident_id IN (SELECT id FROM incidents WHERE resident_id = :rid)",
    "UPDATE feedback SET note = NULL WHERE resident_id = :rid",
)


async def history(conn: Session, resident_id: int) -> list[AuditEntry]:
    """The audit entries about this resident and its orders, newest first."""
    rows = await fetch_all(
        conn, f"SELECT * FROM audit_log WHERE {_SUBJECTS} ORDER BY id DESC", {"rid": resident_id}
    )
    return [AuditEntry.from_row(row) for row in rows]


async def dump(conn: Session, resident_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row held about the resident, table by table."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name, sql in _DUMP.items():
        found[name] = [dict(row) for row in await fetch_all(conn, sql, {"rid": resident_id})]
    return found


async def erase(tx: Session, resident_id: int) -> None:
    """Blank the personal fields and cut every link; orders stay, now anonymous."""
    for sql in _ERASE:
        await tx.execute(sql, {"rid": resident_id})
