"""Every model, imported in one place so that migrations and the app see the whole schema."""

from campaign.actions.models import ActionReport, IdempotencyRecord
from campaign.audit.models import AuditEntry
from campaign.cases.models import Ask, Case, CaseTarget, ModelLetter, Person, Target, TimelineEntry
from campaign.supporters.models import Subscription, Supporter

__all__ = [
    "ActionReport",
    "Ask",
    "AuditEntry",
    "Case",
    "CaseTarget",
    "IdempotencyRecord",
    "ModelLetter",
    "Person",
    "Subscription",
    "Supporter",
    "Target",
    "TimelineEntry",
]
