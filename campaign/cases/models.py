"""A case is one Urgent Action: the people at risk, the officials to write to, and what to ask."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.database import JSONType, UTCDateTime, enum_column_type, utcnow
from campaign.extensions import db


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class TargetRole(enum.StrEnum):
    TARGET = "target"
    COPY = "copy"


class TimelineKind(enum.StrEnum):
    PUBLISHED = "published"
    FOLLOW_UP = "follow_up"
    DEADLINE_EXTENDED = "deadline_extended"
    CLOSED = "closed"


class Case(db.Model):
    __tablename__ = "case"
    __table_args__ = (CheckConstraint("goal IS NULL OR goal > 0", name="goal_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    #: The organisation's number for the Urgent Action, e.g. "63.20".
    ua_number: Mapped[str | None] = mapped_column(String(40))
    #: Amnesty-style document index, e.g. "ASA 17/4137/2021".
    ai_index: Mapped[str | None] = mapped_column(String(60))
    headline: Mapped[str] = mapped_column(String(300))
    #: One-sentence summary shown on the list of cases.
    summary: Mapped[str | None] = mapped_column(Text)
    #: The story in Markdown; rendered and sanitised on display.
    story_markdown: Mapped[str] = mapped_column(Text, default="")
    additional_information_markdown: Mapped[str] = mapped_column(Text, default="")
    #: BCP 47 codes of the languages the targets prefer, most preferred first.
    preferred_languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    issued_on: Mapped[date | None] = mapped_column(Date)
    deadline_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CaseStatus] = mapped_column(
        enum_column_type(CaseStatus, length=12, constraint="status_known"), default=CaseStatus.DRAFT, index=True
    )
    #: Why the case closed, e.g. "released"; set only when closed.
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Optional number of actions the organisers hope for.
    goal: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    people: Mapped[list[Person]] = relationship(
        back_populates="case", order_by="Person.position", cascade="all, delete-orphan"
    )
    asks: Mapped[list[Ask]] = relationship(back_populates="case", order_by="Ask.position", cascade="all, delete-orphan")
    target_links: Mapped[list[CaseTarget]] = relationship(
        back_populates="case", order_by="CaseTarget.position", cascade="all, delete-orphan"
    )
    letters: Mapped[list[ModelLetter]] = relationship(
        back_populates="case", order_by="ModelLetter.position", cascade="all, delete-orphan"
    )
    timeline: Mapped[list[TimelineEntry]] = relationship(
        back_populates="case", order_by="TimelineEntry.happened_at", cascade="all, delete-orphan"
    )
    translations: Mapped[list[CaseTranslation]] = relationship(
        back_populates="case", order_by="CaseTranslation.language", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.status != CaseStatus.DRAFT

    @property
    def accepts_reports(self) -> bool:
        return self.status == CaseStatus.ACTIVE

    def links_in_role(self, role: TargetRole) -> list[CaseTarget]:
        return [link for link in self.target_links if link.role == role]


class Person(db.Model):
    """Someone at risk named by the case."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    #: The name in its own script, e.g. 加娜古丽·朱马太.
    native_name: Mapped[str | None] = mapped_column(String(200))
    pronouns: Mapped[str | None] = mapped_column(String(40))

    case: Mapped[Case] = relationship(back_populates="people")


class Ask(db.Model):
    """One thing the case asks the officials to do, in order."""

    __tablename__ = "ask"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="asks")


class Target(db.Model):
    """An official or office; reusable across cases."""

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(300))
    #: Postal address, lines separated by newlines.
    address: Mapped[str | None] = mapped_column(Text)
    emails: Mapped[list[str]] = mapped_column(JSONType, default=list)
    faxes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    phones: Mapped[list[str]] = mapped_column(JSONType, default=list)
    #: Handle without the leading "@".
    twitter: Mapped[str | None] = mapped_column(String(60))
    salutation: Mapped[str | None] = mapped_column(String(200))
    #: BCP 47 code of the language this official reads, when known.
    preferred_language: Mapped[str | None] = mapped_column(String(20))
    #: The official's name and title as written in ``preferred_language`` (e.g. in Chinese characters):
    #: officials are named as they name themselves where a page or document is in their language.
    name_in_own_language: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case_links: Mapped[list[CaseTarget]] = relationship(back_populates="target")

    @property
    def display_name(self) -> str:
        """ "Director Wang Jiang"; an office known only by its title reads "Director, Shayibake Branch"."""
        if self.title and self.name != self.title:
            return f"{self.title} {self.name}"
        if self.organisation:
            return f"{self.name}, {self.organisation}"
        return self.name


class CaseTarget(db.Model):
    """A target linked to a case as the addressee (``target``) or in copy (``copy``)."""

    __tablename__ = "case_target"
    __table_args__ = (UniqueConstraint("case_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), index=True)
    role: Mapped[TargetRole] = mapped_column(
        enum_column_type(TargetRole, length=10, constraint="role_known"), default=TargetRole.TARGET
    )
    position: Mapped[int] = mapped_column(default=0)

    case: Mapped[Case] = relationship(back_populates="target_links")
    target: Mapped[Target] = relationship(back_populates="case_links", lazy="joined")


class ModelLetter(db.Model):
    """The suggested letter in one language; each target's salutation is put before the body."""

    __tablename__ = "model_letter"
    __table_args__ = (UniqueConstraint("case_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    #: BCP 47 code.
    language: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)
    #: The letter after the salutation line.
    body: Mapped[str] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="letters")

    def for_target(self, target: Target | None) -> str:
        """The letter to one official: their salutation, then the body.

        The officials' salutations are written in English, so a letter in another language carries
        its own greeting in its body and is given as it is.
        """
        if self.language.replace("_", "-").split("-")[0].lower() != "en":
            return f"{self.body.strip()}\n"
        salutation = (target.salutation if target else None) or "Dear Sir or Madam"
        return f"{salutation},\n\n{self.body.strip()}\n"


class TimelineEntry(db.Model):
    """A dated event in a case's life: published, followed up, deadline extended, closed."""

    __tablename__ = "timeline_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text, default="")
    #: For a deadline extension: the deadline before it.
    old_deadline_on: Mapped[date | None] = mapped_column(Date)
    #: For a deadline extension: the deadline after it.
    new_deadline_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[Case] = relationship(back_populates="timeline")


class CaseTranslation(db.Model):
    """A case's words in another language than the original: what a reader of that language is shown.

    A field left empty is shown in the original, marked with the original's language.
    """

    __tablename__ = "case_translation"
    __table_args__ = (UniqueConstraint("case_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    #: A shipped language's code, e.g. "zh".
    language: Mapped[str] = mapped_column(String(20))
    headline: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Markdown, rendered and sanitised on display like the original's.
    story_markdown: Mapped[str] = mapped_column(Text, default="")
    additional_information_markdown: Mapped[str] = mapped_column(Text, default="")
    #: The asks in order; empty when the asks are not translated (the original's are shown).
    asks: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    case: Mapped[Case] = relationship(back_populates="translations")
