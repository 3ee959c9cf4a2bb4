"""SQLAlchemy models; importing this package registers every table on `Base.metadata`."""

from models.base import Base, UTCDateTime, utcnow
from models.member import Group, Member, Role, Status, member_groups
from models.region import Region, RegionLevel

__all__ = [
    "Base",
    "Group",
    "Member",
    "Region",
    "RegionLevel",
    "Role",
    "Status",
    "UTCDateTime",
    "member_groups",
    "utcnow",
]
