"""Instants in Vietnam's time, and the half-open windows [opens, closes) used by programmes."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BEGINNING_OF_TIME = date(1900, 1, 1)
END_OF_TIME = date(9999, 12, 31)


def vn_at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """ "7h00 ngày 08/01/2022" → 2022-01-08 07:00 +07:00."""
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ)


def vn_before_midnight(day: date) -> datetime:
    """ "trước 24h00 ngày 01/9/2023" → 2023-09-02 00:00 +07:00, the first instant no longer inside."""
    return vn_at(day + timedelta(days=1))


def vn_date(instant: datetime) -> date:
    """The calendar date in Vietnam at an instant, whatever the server clock's zone."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: the instant's zone is unknown")
    return instant.astimezone(VN_TZ).date()


@dataclass(frozen=True)
class Window:
    """A half-open interval of instants: opens inclusive, closes exclusive."""

    opens: datetime
    closes: datetime

    def contains(self, instant: datetime) -> bool:
        if instant.tzinfo is None:
            raise ValueError("naive datetime: the instant's zone is unknown")
        return self.opens <= instant < self.closes
