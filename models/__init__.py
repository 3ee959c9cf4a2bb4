"""SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from models import audit, broadcast, price, registration, tip, training  # noqa: F401 - tables
from models.base import Base, UTCDateTime, utcnow
from models.member import Group, Member, Role, Status, member_groups
from models.persistence import ConversationState, UserData
from models.region import Region, RegionLevel

__all__ = [
    "Base",
    "ConversationState",
    "Group",
    "Member",
    "Region",
    "RegionLevel",
    "Role",
    "Status",
    "UTCDateTime",
    "UserData",
    "member_groups",
    "utcnow",
]
