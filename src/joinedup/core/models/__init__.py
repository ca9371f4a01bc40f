from .areas import Area, AreaLevel, BoundaryVintage, LsoaBoundary, Postcode, ReferenceImport
from .audit import AuditEvent, EventType
from .base import RestrictedQuerySet, TimeStampedModel, VersionedModel
from .locks import JobLock
from .organisations import SECTOR_GROUPS, Organisation, ResponsibleAuthorityType, Sector, sector_group
from .people import User
from .work import ImportJob, ImportJobStatus, WorkerHeartbeat

__all__ = [
    "SECTOR_GROUPS",
    "Area",
    "AreaLevel",
    "AuditEvent",
    "BoundaryVintage",
    "EventType",
    "ImportJob",
    "ImportJobStatus",
    "JobLock",
    "LsoaBoundary",
    "Organisation",
    "Postcode",
    "ReferenceImport",
    "ResponsibleAuthorityType",
    "RestrictedQuerySet",
    "Sector",
    "TimeStampedModel",
    "User",
    "VersionedModel",
    "WorkerHeartbeat",
    "sector_group",
]
