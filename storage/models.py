"""SQLAlchemy 2 typed models. One declarative base; migrations in storage/migrations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, MetaData, String, Text, false, true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.coltypes import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    """A member of the roster, keyed by Telegram user id."""

    __tablename__ = "people"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="staff")  # 'admin' | 'staff'
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    briefing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # False once Telegram answered 403 (the person blocked the bot); set again when they write to it.
    deliverable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # An admin's monthly work report (/report off|on); staff never get it.
    report_push: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class InviteCode(Base):
    """A one-time deep-link code that registers whoever opens it as staff."""

    __tablename__ = "invite_codes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """Who changed what, when, from what to what. Every write goes through storage.audit.record."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(128))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StaffingRow(Base):
    """One grade of the office's staffing table (인력 현황): posts (정원) and filled (현원)."""

    __tablename__ = "staffing"
    __table_args__ = (Index("ix_staffing_key", "as_of", "category", "grade", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(32))  # 일반직 | 별정직
    grade: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)  # display order within the report's table
    authorized: Mapped[int] = mapped_column(Integer)  # 정원
    filled: Mapped[int] = mapped_column(Integer)  # 현원
    source: Mapped[str] = mapped_column(Text)


class Event(Base):
    """Something dated: an opening, an agreement, a vote, a meeting. Start/end are UTC; precision says how
    much of them is known ('minute', 'day' or 'month' for "9월 예정")."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_start", "start_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    precision: Mapped[str] = mapped_column(String(8))  # minute | day | month
    tentative: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str] = mapped_column(String(32), default="일정")
    place: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(BigInteger)
    audience: Mapped[str] = mapped_column(String(8), default="me")  # me | team | people
    audience_ids: Mapped[list[int] | None] = mapped_column(JSON)
    lead_minutes: Mapped[list[int] | None] = mapped_column(JSON)  # None: the configured defaults
    source: Mapped[str | None] = mapped_column(Text)
    seed_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When its reminders were planned; None for seeded events until the bot first starts.
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RecurringRule(Base):
    """A repeating reminder held as an RFC 5545 RRULE (exported to .ics as it is)."""

    __tablename__ = "recurring_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(500))
    rrule: Mapped[str] = mapped_column(String(300))
    dtstart: Mapped[datetime] = mapped_column(UTCDateTime())
    holiday_shift: Mapped[str] = mapped_column(String(12), default="previous")  # previous | none
    owner_id: Mapped[int | None] = mapped_column(BigInteger)
    audience: Mapped[str] = mapped_column(String(8), default="me")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    seed_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reminder(Base):
    """One message to push at due_at. The row is the truth; the job queue only wakes the engine.

    recipient_id None with audience 'team' is fanned out to one row per member when it comes due.
    States: pending -> claimed -> sent | failed; pending -> cancelled | done; team rows -> expanded."""

    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_due", "state", "due_at"),
        Index("ix_reminders_recipient", "recipient_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # lead | personal | recurring | snooze | month | fixdate
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recipient_id: Mapped[int | None] = mapped_column(BigInteger)
    audience: Mapped[str] = mapped_column(String(8), default="me")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("recurring_rules.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # What the reminder is about beyond an event or rule: "followup:12", "briefing:7" (its buttons act on it).
    subject: Mapped[str | None] = mapped_column(String(40))


class Delivery(Base):
    """Every delivery outcome of a reminder: sent, retry, rate-limited, blocked, failed."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_reminder", "reminder_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminders.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)


class BudgetLine(Base):
    """A budget line (과목) of one fiscal year, with its allocation in won."""

    __tablename__ = "budget_lines"
    __table_args__ = (Index("ix_budget_lines_year_name", "year", "name", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))  # 기관운영업무추진비
    short_name: Mapped[str] = mapped_column(String(50))  # 기관운영
    purpose: Mapped[str] = mapped_column(Text)
    allocation_won: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer)


class BudgetField(Base):
    """A field (분야) of spending, cutting across the lines."""

    __tablename__ = "budget_fields"
    __table_args__ = (Index("ix_budget_fields_year_name", "year", "name", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))  # 직원격려
    description: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer)


class BudgetOpening(Base):
    """What was spent up to a date before the ledger starts, on one axis only (a line, or a field): the
    report gives two marginals and no line x field split, so none is invented."""

    __tablename__ = "budget_openings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("budget_lines.id"))
    field_id: Mapped[int | None] = mapped_column(ForeignKey("budget_fields.id"))
    spent_won: Mapped[int] = mapped_column(BigInteger)
    payments: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)


class SpendingEntry(Base):
    """One logged payment (or batch of payments) from the business-promotion budget."""

    __tablename__ = "spending_entries"
    __table_args__ = (Index("ix_spending_line_day", "line_id", "spent_on"),
                      Index("ix_spending_logger", "logged_by", "logged_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    spent_on: Mapped[date] = mapped_column(Date)
    amount_won: Mapped[int] = mapped_column(BigInteger)
    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"))
    field_id: Mapped[int] = mapped_column(ForeignKey("budget_fields.id"))
    purpose: Mapped[str] = mapped_column(String(500))
    payments: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text)
    logged_by: Mapped[int | None] = mapped_column(BigInteger)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voided: Mapped[bool] = mapped_column(Boolean, default=False)


class SpendingDaily(Base):
    """Running totals per line, field and day, kept in step with spending_entries in the same transaction,
    so that balances cost the same with a thousand entries or a million."""

    __tablename__ = "spending_daily"

    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"), primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("budget_fields.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    amount_won: Mapped[int] = mapped_column(BigInteger)
    payments: Mapped[int] = mapped_column(Integer)


class BudgetAlert(Base):
    """When the pace alert of a line was last raised (at most one a week)."""

    __tablename__ = "budget_alerts"

    line_id: Mapped[int] = mapped_column(ForeignKey("budget_lines.id"), primary_key=True)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PledgeReport(Base):
    """A reported figure set (the report's 7.10 totals): counts as reported, kept beside computed ones."""

    __tablename__ = "pledge_reports"
    __table_args__ = (Index("ix_pledge_reports_key", "as_of", "scope", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    scope: Mapped[str] = mapped_column(String(16))  # 전체 | 정책대상 | 정책영역
    areas: Mapped[int] = mapped_column(Integer)
    core_pledges: Mapped[int] = mapped_column(Integer)
    sub_projects: Mapped[int] = mapped_column(Integer)
    examples: Mapped[list[str]] = mapped_column(JSON)  # the areas the report names (자영업자, 미래특별시)
    source: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)


class PledgeArea(Base):
    __tablename__ = "pledge_areas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    axis: Mapped[str] = mapped_column(String(16))  # 정책대상 | 정책영역
    name: Mapped[str] = mapped_column(String(100))


class CorePledge(Base):
    __tablename__ = "core_pledges"
    __table_args__ = (Index("ix_core_pledges_area", "area_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("pledge_areas.id"))
    title: Mapped[str] = mapped_column(String(300))


class SubProject(Base):
    __tablename__ = "sub_projects"
    __table_args__ = (Index("ix_sub_projects_pledge", "pledge_id"), Index("ix_sub_projects_status", "status"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("core_pledges.id"))
    title: Mapped[str] = mapped_column(String(300))
    department: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    budget_year: Mapped[int | None] = mapped_column(Integer)
    budget_planned: Mapped[int] = mapped_column(BigInteger, default=0)  # won
    budget_secured: Mapped[int] = mapped_column(BigInteger, default=0)
    budget_spent: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PledgeStat(Base):
    """Counts and sums per area and status, kept in step with sub_projects, so the dashboard reads a few dozen
    rows whatever the number of sub-projects."""

    __tablename__ = "pledge_stats"

    area_id: Mapped[int] = mapped_column(ForeignKey("pledge_areas.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    sub_projects: Mapped[int] = mapped_column(Integer)
    progress_sum: Mapped[int] = mapped_column(BigInteger)
    budget_planned: Mapped[int] = mapped_column(BigInteger)
    budget_secured: Mapped[int] = mapped_column(BigInteger)
    budget_spent: Mapped[int] = mapped_column(BigInteger)


class Milestone(Base):
    """A dated step of a sub-project; its event carries the reminders (and shows in the agenda)."""

    __tablename__ = "pledge_milestones"
    __table_args__ = (Index("ix_milestones_sub", "sub_project_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sub_project_id: Mapped[int] = mapped_column(ForeignKey("sub_projects.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    due: Mapped[date] = mapped_column(Date)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))


class PledgeNote(Base):
    """The dated history of a sub-project: status and progress changes and notes, with who and when."""

    __tablename__ = "pledge_notes"
    __table_args__ = (Index("ix_pledge_notes_sub", "sub_project_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sub_project_id: Mapped[int] = mapped_column(ForeignKey("sub_projects.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))  # status | progress | note | import
    before: Mapped[str | None] = mapped_column(String(100))
    after: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str | None] = mapped_column(Text)


class Evaluation(Base):
    """A half-yearly self-evaluation of a sub-project."""

    __tablename__ = "pledge_evaluations"
    __table_args__ = (Index("ix_evaluations_key", "sub_project_id", "period", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sub_project_id: Mapped[int] = mapped_column(ForeignKey("sub_projects.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))  # 2018-H2
    grade: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    by: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class District(Base):
    """The 25 자치구."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    position: Mapped[int] = mapped_column(Integer)


class Place(Base):
    """The gazetteer: a place and the district(s) it lies in (한강공원 spans several)."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    districts: Mapped[list[str]] = mapped_column(JSON)
    added_by: Mapped[int | None] = mapped_column(BigInteger)


class CouncilMember(Base):
    """The directory of Seoul city council members (importable from a spreadsheet)."""

    __tablename__ = "council_members"
    __table_args__ = (Index("ix_council_members_key", "name", "district", unique=True),
                      Index("ix_council_members_district", "district"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    district: Mapped[str | None] = mapped_column(String(20))
    committee: Mapped[str | None] = mapped_column(String(100))
    party: Mapped[str | None] = mapped_column(String(50))
    leadership: Mapped[bool] = mapped_column(Boolean, default=False)  # 의장단·상임위원장단


class Visit(Base):
    """A field visit of the mayor, planned or done."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_when", "deleted", "when_at"),
                      Index("ix_visits_district_when", "district", "deleted", "when_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    when_at: Mapped[datetime] = mapped_column(UTCDateTime())
    precision: Mapped[str] = mapped_column(String(8))
    planned: Mapped[bool] = mapped_column(Boolean)
    place: Mapped[str | None] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str | None] = mapped_column(Text)
    participants: Mapped[list[str]] = mapped_column(JSON)
    council_briefing: Mapped[str | None] = mapped_column(String(12))  # pending | done | n/a
    council_invited: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    photos: Mapped[list[str]] = mapped_column(JSON)
    logged_by: Mapped[int | None] = mapped_column(BigInteger)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class Meeting(Base):
    """A meeting with the city council or the districts."""

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_when", "deleted", "when_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    when_at: Mapped[datetime] = mapped_column(UTCDateTime())
    precision: Mapped[str] = mapped_column(String(8))
    planned: Mapped[bool] = mapped_column(Boolean)
    meeting_type: Mapped[str] = mapped_column(String(40))
    counterpart: Mapped[str | None] = mapped_column(String(200))
    attendees: Mapped[list[str]] = mapped_column(JSON)
    agenda: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    photos: Mapped[list[str]] = mapped_column(JSON)
    logged_by: Mapped[int | None] = mapped_column(BigInteger)
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class FollowUp(Base):
    """Something to do after a visit or a meeting: what, who, by when, done."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_open", "done", "due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    what: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str | None] = mapped_column(String(100))
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[int | None] = mapped_column(BigInteger)


class ActivityCount(Base):
    """Visits and meetings per day, district and category (or meeting type), kept in step with the records;
    statistics read whole months from activity_months and only the days at a period's edges from here."""

    __tablename__ = "activity_counts"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # visit | meeting
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    district: Mapped[str] = mapped_column(String(20), primary_key=True)  # "" when none
    category: Mapped[str] = mapped_column(String(40), primary_key=True)  # category or meeting type
    count: Mapped[int] = mapped_column(Integer)


class ActivityMonth(Base):
    """The same counts per month (month = its first day)."""

    __tablename__ = "activity_months"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    district: Mapped[str] = mapped_column(String(20), primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class Fact(Base):
    """A figure or statement staff ask about, with the questions it answers, its source and as-of date."""

    __tablename__ = "facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    topic: Mapped[str] = mapped_column(String(200))
    questions: Mapped[list[str]] = mapped_column(JSON)
    answer: Mapped[str] = mapped_column(Text)
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    render: Mapped[str | None] = mapped_column(String(16))  # answered from a structured table instead
    source: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[date] = mapped_column(Date)
    entered_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FactHistory(Base):
    """The previous values of a fact, kept on every update."""

    __tablename__ = "fact_history"
    __table_args__ = (Index("ix_fact_history_fact", "fact_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[int | None] = mapped_column(BigInteger)
    answer: Mapped[str] = mapped_column(Text)
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[date] = mapped_column(Date)


class Draft(Base):
    """What a user is in the middle of saying: an echo waiting for 확인, a form between its steps, a question
    the bot asked back. Buttons carry the id, so each acts on its own draft, after a restart and on any replica."""

    __tablename__ = "drafts"
    __table_args__ = (Index("ix_drafts_owner_chat_state", "owner_id", "chat_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12))  # open → done | dropped (expiry is read from `expires_at`)
    step: Mapped[str | None] = mapped_column(String(32))  # a form's current question; None for an echo
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CacheVersion(Base):
    """A counter per group of rarely changing tables (storage/cache_triggers.py), bumped by database triggers in
    the same transaction as any write to them: processes keep those tables in memory while it is unchanged."""

    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class JobClaim(Base):
    """Work that must happen once across every replica (the day's briefing, the start-up catch-up): the first
    process to insert (name, period) does it; the others fail on the key and leave it. `done_at` is set in the
    transaction that did the work, so a claim without it was taken by a process that crashed before its commit
    (which rolled the claim back too: on both databases the claim and the work commit together)."""

    __tablename__ = "job_claims"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[str] = mapped_column(String(40), primary_key=True)  # "2018-07-20", "" for a standing row
    claimed_by: Mapped[str] = mapped_column(String(40))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
