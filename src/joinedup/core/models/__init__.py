from .actions import CLOSED_ACTION_STATUSES, ActionStatus, PlanAction, PlanActionUpdate, Rag
from .areas import Area, AreaLevel, BoundaryVintage, LsoaBoundary, Postcode, ReferenceImport, area_of_level
from .audit import AuditEvent, EventType
from .base import RestrictedQuerySet, TimeStampedModel, VersionedModel
from .locks import JobLock
from .organisations import SECTOR_GROUPS, Organisation, ResponsibleAuthorityType, Sector, sector_group
from .people import User
from .tokens import ApiToken, TokenScope
from .work import ImportJob, ImportJobStatus, WorkerHeartbeat

__all__ = [
    "CLOSED_ACTION_STATUSES",
    "SECTOR_GROUPS",
    "ActionStatus",
    "ApiToken",
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
    "PlanAction",
    "PlanActionUpdate",
    "Postcode",
    "Rag",
    "ReferenceImport",
    "ResponsibleAuthorityType",
    "RestrictedQuerySet",
    "Sector",
    "TimeStampedModel",
    "TokenScope",
    "User",
    "VersionedModel",
    "WorkerHeartbeat",
    "area_of_level",
    "sector_group",
]
