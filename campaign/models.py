"""Every model, imported in one place so that migrations and the app see the whole schema."""

from campaign.accounts.models import FsRefreshTracker, Role, User, WebAuthn
from campaign.actions.models import ActionReport, IdempotencyRecord
from campaign.actions.rollup_models import (
    ActionTotal,
    ActionTotalDaily,
    ActionTotalDailySettled,
    ActionTotalHourly,
    ReviewAdjustment,
    RollupState,
)
from campaign.audit.models import AuditEntry
from campaign.cases.models import Ask, Case, CaseTarget, CaseTranslation, ModelLetter, Person, Target, TimelineEntry
from campaign.figures.models import DeliveryRecord, FiguresJob, FiguresSnapshot
from campaign.reminders.models import DeliveryLedger, Reminder, ReminderText
from campaign.supporters.models import Subscription, Supporter

__all__ = [
    "ActionReport",
    "ActionTotal",
    "ActionTotalDaily",
    "ActionTotalDailySettled",
    "ActionTotalHourly",
    "Ask",
    "AuditEntry",
    "Case",
    "CaseTarget",
    "CaseTranslation",
    "DeliveryLedger",
    "DeliveryRecord",
    "FiguresJob",
    "FiguresSnapshot",
    "FsRefreshTracker",
    "IdempotencyRecord",
    "ModelLetter",
    "Person",
    "Reminder",
    "ReminderText",
    "ReviewAdjustment",
    "Role",
    "RollupState",
    "Subscription",
    "Supporter",
    "Target",
    "TimelineEntry",
    "User",
    "WebAuthn",
]
