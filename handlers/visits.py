"""현장방문 and 간담회·면담: logging in one line or step by step (echo, then 확인), photos, cards, lists,
statistics, follow-ups, editing, export."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.domain.pledges import PAGE, Page
from bot.lang.corrections import CATEGORY, MEETING_TYPE, PEOPLE, PEOPLE_EXAMPLE, PLACE, WHEN, change_people
from bot.lang.dates import DateFailure, DateResult, optional_date, parse_when
from bot.lang.fieldlog import FieldLog, read_field_log
from bot.lang.intents import Intent
from bot.lang.limits import field_problem
from bot.lang.phrases import asks_statistics, council_types, reads_as_past, says_done
from bot.present import events as event_texts
from bot.present import fieldwork as view
from bot.services import agenda as agenda_service
from bot.services import fieldwork as service
from bot.services.conversation import Open
from bot.workers import run_cpu
from handlers import buttons
from handlers import conversation as talk
from handlers.buttons import button
from handlers.gate import withheld
from handlers.query_dates import refuse_date

COMMANDS = (
    CommandHelp("visit", "현장방문 기록 (단계별)", "/visit · 어제 오후 2시 강북구 쪽방촌 현장방문, 메모 냉방 점검"),
    CommandHelp("meeting", "간담회·면담 기록 (단계별)", "/meeting · 오늘 10시 상임위원장단 간담회 — 안건 추경"),
    CommandHelp("visits", "현장방문 목록·통계·내보내기", "/visits · 이번달 현장방문 · /visits stats · /visits export"),
    CommandHelp("meetings", "간담회·면담 목록·내보내기", "/meetings · 시의회 간담회 내역 · /meetings export"),
    CommandHelp("followups", "미완료 후속조치", "/followups · 미완료 후속조치"),
    CommandHelp("places", "장소 → 자치구 목록 (추가는 관리자)", "/places · /places add 북서울꿈의숲 강북구"),
)
MENU_ROW = ("이번달 현장방문", "미완료 후속조치")
EDIT = "field_edit"
FAR = timedelta(days=730)
NO_RECENT_RECORD = ("사진을 붙일 최근 기록이 없습니다. 먼저 현장방문·간담회를 기록하거나, 기록 문장을 사진 설명으로 "
                    "함께 보내 주세요.")


def _markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t[:60], callback_data=d) for t, d in row]
                                 for row in rows if row])


async def _say(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


async def _vocabulary(context: BotContext) -> service.Vocabulary:
    return await service.load_vocabulary(context.runtime)


# -- logging -----------------------------------------------------------------------------------------

def _draft(log: FieldLog, text: str) -> dict[str, Any]:
    when = log.when
    return {
        "kind": log.kind, "start": when.start.isoformat() if when else None,
        "precision": when.precision if when else None, "planned": log.planned,
        "done_words": says_done(text), "district": log.district,
        "candidates": list(log.district_candidates), "place": log.place, "category": log.category,
        "type": log.meeting_type, "counterpart": log.counterpart, "participants": list(log.participants),
        "purpose": log.purpose, "agenda": log.agenda, "outcome": log.outcome, "notes": log.notes,
        "follow_ups": [[f.what, f.due.isoformat() if f.due else None, f.owner] for f in log.follow_ups],
        "photos": [], "district_asked": False,
    }


async def understand(update: Update, context: BotContext, text: str, kind: str | None,
                     photo: str | None = None) -> None:
    vocab = await _vocabulary(context)
    log = read_field_log(text, context.runtime.now(), kind=kind, districts=vocab.districts,  # type: ignore[arg-type]
                         gazetteer=vocab.gazetteer, categories=vocab.categories,
                         meeting_types=vocab.meeting_types, council_bodies=vocab.council_bodies)
    if not isinstance(log, FieldLog):
        await _say(update, context, f"{log.reason}\n아무것도 기록하지 않았습니다.")
        return
    if log.district_problem:
        await _say(update, context, f"{log.district_problem}\n아무것도 기록하지 않았습니다.")
        return
    draft = _draft(log, text)
    if photo:
        draft["photos"].append(photo)
    await _begin(update, context, draft)


async def on_log(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    kind = "visit" if intent.name.startswith("visit") else "meeting"
    await understand(update, context, update.effective_message.text, kind)


async def start_form(update: Update, context: BotContext) -> None:
    """/visit or /meeting [text]: the same questions one at a time for what the line does not give."""
    assert update.effective_message is not None and update.effective_message.text is not None
    kind = "meeting" if update.effective_message.text.startswith("/meeting") else "visit"
    if context.args:
        await understand(update, context, " ".join(context.args), kind)
        return
    await _begin(update, context, {
        "kind": kind, "start": None, "precision": None, "planned": False, "done_words": False, "district": None,
        "candidates": [], "place": None, "category": None, "type": None, "counterpart": None, "participants": [],
        "purpose": None, "agenda": None, "outcome": None, "notes": None, "follow_ups": [], "photos": [],
        "district_asked": False, "form": True})


def _step(draft: dict[str, Any]) -> str | None:
    """The first piece still missing (asked in this order), None when the record can be echoed."""
    if draft["start"] is None:
        return "when"
    if draft["kind"] == "visit" and draft["district"] is None and not draft["district_asked"]:
        return "district"
    if draft["kind"] == "visit" and draft["category"] is None:
        return "category"
    if draft["kind"] == "meeting" and draft["type"] is None:
        return "type"
    if draft.get("form") and draft["kind"] == "visit" and draft["place"] is None and draft["purpose"] is None:
        return "about"  # place and purpose in one answer
    return None


async def _begin(update: Update, context: BotContext, draft: dict[str, Any]) -> None:
    if await _refused(update, context, draft):
        return
    await talk.start(update, context, draft["kind"], draft, _step(draft))


async def _advance(update: Update, context: BotContext, form: Open, draft: dict[str, Any]) -> None:
    """Ask for the first missing piece (with buttons where there is a list); then echo for 확인."""
    if await _refused(update, context, draft):
        await talk.of(update, context).cancel(form.id)
        return
    await talk.advance(update, context, form, draft, _step(draft))


async def _refused(update: Update, context: BotContext, draft: dict[str, Any]) -> bool:
    problem = _problem(draft, context.runtime.now()) if draft["start"] else None
    if problem:
        await _say(update, context, f"{problem}\n아무것도 기록하지 않았습니다.")
    return problem is not None


async def show_log(update: Update, context: BotContext, form: Open) -> None:
    draft, runtime = form.data(), context.runtime
    step = form.editing or form.step
    if step == "when":
        await _say(update, context, "언제인가요? 예: 어제 오후 2시, 7월 19일 14:00, 다음주 화요일 (그만두려면 /cancel)")
    elif step == "district":
        names = draft["candidates"] or (await _vocabulary(context)).districts
        rows = [[(n, talk.data(form, "district", n)) for n in names[i:i + 4]] for i in range(0, len(names), 4)]
        where = f"{draft['place']}은(는) 여러 자치구에 걸쳐 있습니다. " if draft["candidates"] else ""
        await _say(update, context, f"{where}어느 자치구인가요?",
                   talk.markup([*rows, [("자치구 없음", talk.data(form, "district", "-"))]]))
    elif step == "category":
        await _say(update, context, "어떤 현장방문인가요?", talk.markup(
            [[(c, talk.data(form, "category", i))] for i, c in enumerate(runtime.visit_categories)]))
    elif step == "type":
        await _say(update, context, "어떤 간담회·면담인가요?", talk.markup(
            [[(t, talk.data(form, "type", i))] for i, t in enumerate(runtime.meeting_types)]))
    elif step == "about":
        await _say(update, context, "장소와 목적을 입력하세요. 예: 쪽방촌 여름철 냉방 점검 ('없음'도 됩니다)")
    else:
        await _echo(update, context, form)


def _problem(draft: dict[str, Any], now: datetime) -> str | None:
    start = datetime.fromisoformat(draft["start"])
    if start - now > FAR:
        return "2년 넘게 뒤의 날짜입니다. 날짜를 확인해 주세요."
    if draft["done_words"] and start.astimezone(now.tzinfo).date() > now.date():
        return "이미 한 일로 적으셨는데 날짜가 미래입니다. 날짜를 확인해 주세요. 예: 어제 오후 2시"
    return None


async def _echo(update: Update, context: BotContext, form: Open) -> None:
    draft, runtime = form.data(), context.runtime
    members: list[str] = []
    if draft["kind"] == "visit" and draft["planned"] and draft["district"]:
        members = await service.member_names(runtime, draft["district"])
    now = runtime.now()
    text = view.echo(draft, members, runtime.field_rules.briefing_days, now) \
        + service.draft_alert_text(draft, runtime.reminder_settings, now) + await _same_day_text(context, draft)
    await _say(update, context, text, talk.echo_buttons(form, FLOWS[form.kind]))


async def on_answer(update: Update, context: BotContext, form: Open, text: str) -> None:
    await correct(update, context, form, form.editing or form.step or "", text)


async def _same_day_text(context: BotContext, draft: dict[str, Any]) -> str:
    """A planned record whose day already holds an item of the same title: said before storing."""
    start = datetime.fromisoformat(draft["start"])
    if start <= context.runtime.now():
        return ""
    items = await agenda_service.same_day_for(context.runtime, context.me.telegram_id, service.draft_title(draft),
                                              start)
    note = event_texts.same_day_note(items, context.runtime.now())
    return f"\n{note}" if note else ""


async def correct(update: Update, context: BotContext, form: Open, name: str, text: str) -> None:
    """The form's date or place answer, or a change of the echo's 날짜·시간, 장소 or 참석자."""
    draft = form.data()
    if name == "when":
        now = context.runtime.now()
        when = parse_when(text, now, past=reads_as_past(text))
        if not isinstance(when, DateResult):
            await _say(update, context, f"{when.reason} (그만두려면 /cancel)")
            return
        draft.update(start=when.start.isoformat(), precision=when.precision, planned=when.start > now)
    elif name in (CATEGORY, MEETING_TYPE):
        names = context.runtime.visit_categories if name == CATEGORY else context.runtime.meeting_types
        chosen = _one_named(text, names)
        if chosen is None:
            await _say(update, context, f"다음 중 하나로 적어 주세요: {', '.join(names)} (그만두려면 /cancel)")
            return
        draft[name] = chosen
    elif name == PEOPLE:
        people = change_people(text, draft["participants"])
        if isinstance(people, str):
            await _say(update, context, f"{people} (그만두려면 /cancel)")
            return
        draft["participants"] = people
    else:
        value = text.strip()
        if too_long := field_problem("field_purpose", value):
            await _say(update, context, f"{too_long} 줄여서 다시 입력해 주세요 (그만두려면 /cancel).")
            return
        if name == PLACE:
            draft["place"] = value
        else:
            draft["purpose"] = "" if value in ("없음", "-") else value
    await _advance(update, context, form, draft)


def _one_named(text: str, names: tuple[str, ...]) -> str | None:
    """The configured category or type a typed value names: the whole name, else the only one containing it."""
    typed = "".join(text.split())
    squeezed = {name: "".join(name.split()) for name in names}
    exact = [name for name, bare in squeezed.items() if bare == typed]
    partial = [name for name, bare in squeezed.items() if typed and typed in bare]
    return exact[0] if exact else partial[0] if len(partial) == 1 else None


async def edit(update: Update, context: BotContext, form: Open, name: str) -> None:
    """An echo's change button: 분류 and 유형 are asked again with their buttons, the others typed."""
    if name in (CATEGORY, MEETING_TYPE):
        await talk.advance(update, context, form, form.data(), name)
        return
    await talk.ask_typed(update, context, form, name)


async def choose(update: Update, context: BotContext, form: Open, action: str, value: str) -> None:
    """A district, category or meeting type: only what the question on this draft offered."""
    query = update.callback_query
    assert query is not None
    draft, runtime = form.data(), context.runtime
    if form.step != buttons.one_of(action, ("district", "category", "type")):
        raise buttons.StaleButton(f"field draft {form.id} is not asking for its {action}")
    if action == "district":
        offered = draft["candidates"] or (await _vocabulary(context)).districts
        draft["district"] = None if value == "-" else buttons.one_of(value, offered)
        draft["district_asked"] = True
    elif action == "category":
        draft["category"] = buttons.pick(runtime.visit_categories, value)
    else:
        draft["type"] = buttons.pick(runtime.meeting_types, value)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await _advance(update, context, form, draft)


async def on_photo(update: Update, context: BotContext) -> None:
    """A photo right after a log attaches to it; a photo whose caption is a log starts that log."""
    message = update.effective_message
    assert message is not None and message.photo and update.effective_chat is not None
    file_id = message.photo[-1].file_id
    if message.caption:
        await understand(update, context, message.caption, None, photo=file_id)
        return
    attached = await service.attach_to_last(context.runtime, context.me.telegram_id, update.effective_chat.id,
                                            file_id)
    if attached.record_id is None:
        await message.reply_text(NO_RECENT_RECORD)
    elif not attached.photos:
        await message.reply_text("이 기록은 삭제되었습니다.")
    else:
        await message.reply_text(f"사진을 기록 #{attached.record_id}에 붙였습니다 (사진 {attached.photos}장).")


# -- lists, cards, follow-ups ----------------------------------------------------------------------------

def _month(now: datetime) -> tuple[datetime, datetime]:
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=32)).replace(day=1)


def _list_title(kind: str, start: datetime, end: datetime, district: str | None, council: bool,
                now: datetime) -> str:
    what = ("🚶 " + (f"{district} " if district else "") + "현장방문") if kind == "v" else (
        "🤝 " + ("시의회 " if council else "") + "간담회·면담")
    return f"{what} ({view.period(start, end, now)})"


async def _list(update: Update, context: BotContext, kind: str, start: datetime, end: datetime, offset: int = 0,
                district: str | None = None, council: bool = False) -> None:
    """A page of visits (kind 'v') or meetings ('m'), with ◀/▶ that carry the same question."""
    now = context.runtime.now()
    found = await service.record_page(context.runtime, kind, start, end, offset, PAGE, district, council)
    page = Page(offset, found.total)
    text = view.record_list(_list_title(kind, start, end, district, council, now), found.labels, page)
    buttons = [[(f"{page.offset + i + 1}. {label}", f"fv:{kind}:{record_id}")]
               for i, (record_id, label) in enumerate(zip(found.ids, found.labels, strict=True))]
    query = f"fv:l:{kind}:{start:%Y%m%d}:{end:%Y%m%d}:{district or '-'}:{int(council)}"
    nav = [(label, f"{query}:{at}") for label, at in (("◀ 이전", page.previous), ("다음 ▶", page.next))
           if at is not None]
    await _say(update, context, text, _markup([*buttons, nav]))


@button
async def on_list_page(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, _, kind, first, last, district, council, offset = query.data.split(":")
    tz = context.runtime.tz
    start = datetime.combine(buttons.day(first), datetime.min.time(), tzinfo=tz)
    end = datetime.combine(buttons.day(last), datetime.min.time(), tzinfo=tz)
    where = None if district == "-" else buttons.one_of(district, (await _vocabulary(context)).districts)
    at = buttons.ident(offset)
    await query.answer()
    await _list(update, context, kind, start, end, at, where, council == "1")


async def on_visit_query(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    text = update.effective_message.text
    now = context.runtime.now()
    if asks_statistics(text):
        await send_stats(update, context, now.year)
        return
    if isinstance(intent.date, DateFailure):  # "2월 30일 현장방문 목록": not this month's list
        await refuse_date(update, intent.date)
        return
    vocab = await _vocabulary(context)
    district = next((d for d in vocab.districts if d in text or d.removesuffix("구") in text.split()), None)
    when = intent.date
    if district and when is None:
        await _list(update, context, "v", datetime(2000, 1, 1, tzinfo=now.tzinfo), now + FAR, district=district)
        return
    start, end = _window(when, now)
    await _list(update, context, "v", start, end, district=district)


def _window(when: DateResult | None, now: datetime) -> tuple[datetime, datetime]:
    if when is None:
        return _month(now)
    start = when.start.replace(hour=0, minute=0, second=0, microsecond=0)
    if when.precision == "month":
        start = start.replace(day=1)
        last = when.end or when.start
        return start, (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    return start, (when.end or when.start).replace(hour=0, minute=0) + timedelta(days=1)


async def on_meeting_query(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    text = update.effective_message.text
    now = context.runtime.now()
    if isinstance(intent.date, DateFailure):
        await refuse_date(update, intent.date)
        return
    when = intent.date
    start, end = _window(when, now) if when else (datetime(2000, 1, 1, tzinfo=now.tzinfo), now + FAR)
    council = council_types(text, context.runtime.meeting_types) is not None
    await _list(update, context, "m", start, end, council=council)


async def show_follow_ups(update: Update, context: BotContext) -> None:
    now = context.runtime.now()
    items = await service.open_follow_ups(context.runtime)
    text = view.follow_up_list(items, now)
    await _say(update, context, text, _markup([[(f"완료: {i.what}", f"fv:fd:{i.id}")] for i in items[:10]]))


async def on_followup_intent(update: Update, context: BotContext, intent: Intent) -> None:
    await show_follow_ups(update, context)


async def show_record(update: Update, context: BotContext, kind: str, record_id: int) -> None:
    now = context.runtime.now()
    found = await service.card(context.runtime, kind, record_id)
    if found is None:
        await _say(update, context, "이 기록은 없거나 삭제되었습니다.")
        return
    record, items = found.record, found.follow_ups
    text = view.visit_card(record, items, now) if kind == "v" else view.meeting_card(record, items, now)
    buttons = [[(f"완료: {i.what}", f"fv:fd:{i.id}")] for i in items if not i.done][:5]
    buttons.append([("메모 수정", f"fv:en:{kind}{record_id}"), ("날짜 변경", f"fv:ew:{kind}{record_id}"),
                    ("삭제", f"fv:x:{kind}{record_id}")])
    await _say(update, context, text, _markup(buttons))


@button
async def on_record_button(update: Update, context: BotContext) -> None:
    """Cards are the office's records: every member may open one (as in the lists) and complete a follow-up;
    editing and deleting follow the edit rule (one's own within fieldwork.edit_days, admins any)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, arg = query.data.split(":", 2)
    if action == "fd":
        follow_up_id = buttons.ident(arg)
        if not await service.follow_up_exists(context.runtime, follow_up_id):
            raise buttons.StaleButton(f"follow-up {follow_up_id} is missing")
        await query.answer()
        await _complete(update, context, follow_up_id)
        return
    kind, record_id = (action, arg) if action in ("v", "m") else (arg[0], arg[1:])
    record_id_int = buttons.ident(record_id)
    if not await service.record_exists(context.runtime, kind, record_id_int):
        raise buttons.StaleButton(f"record {kind}{record_id_int} is missing")
    await query.answer()
    if action in ("v", "m"):
        await show_record(update, context, kind, record_id_int)
    else:
        await _edit_request(update, context, action, kind, record_id_int)


async def _complete(update: Update, context: BotContext, follow_up_id: int) -> None:
    what = await service.complete_follow_up(context.runtime, follow_up_id, context.me.telegram_id)
    await _say(update, context, "이미 완료되었거나 없는 후속조치입니다." if what is None
               else f"후속조치를 완료로 표시했습니다: {what}")


async def _edit_request(update: Update, context: BotContext, action: str, kind: str, record_id: int) -> None:
    runtime, me = context.runtime, context.me
    refusal = await (service.delete_record if action == "xy" else service.edit_refusal)(runtime, me, kind, record_id)
    if refusal is not None:
        await _say(update, context, refusal)
        return
    if action == "xy":
        await _say(update, context, f"기록 #{record_id}를 삭제했습니다.")
        return
    if action == "x":
        confirm = _markup([[("삭제", f"fv:xy:{kind}{record_id}")]])
        await _say(update, context, f"기록 #{record_id}를 삭제할까요?", confirm)
        return
    await talk.start(update, context, EDIT, {"action": action, "kind": kind, "record_id": record_id}, "value")


async def ask_edit(update: Update, context: BotContext, form: Open) -> None:
    prompt = "새 메모를 입력하세요." if form.payload["action"] == "en" else \
        "새 날짜(와 시각)를 입력하세요. 예: 7월 19일 오후 2시"
    await _say(update, context, prompt + " (그만두려면 /cancel)")


async def on_edit(update: Update, context: BotContext, form: Open, text: str) -> None:
    action, kind, record_id = form.payload["action"], str(form.payload["kind"]), int(form.payload["record_id"])
    now = context.runtime.now()
    if action == "en":
        if too_long := field_problem("field_notes", text.strip()):
            await talk.of(update, context).cancel(form.id)
            await _say(update, context, f"{too_long} 아무것도 바꾸지 않았습니다.")
            return
        changes: dict[str, Any] = {"notes": text.strip()}
    else:
        when = parse_when(text, now, past=reads_as_past(text))
        if not isinstance(when, DateResult):
            await talk.of(update, context).cancel(form.id)
            await _say(update, context, f"{when.reason}\n아무것도 바꾸지 않았습니다.")
            return
        changes = {"when_at": when.start, "precision": when.precision, "planned": when.start > now}
    change = service.RecordEdit(context.runtime, context.me, kind, record_id, changes)
    await talk.complete(update, context, form, change)
    if change.changed:
        context.runtime.wake()
        await show_record(update, context, kind, record_id)


# -- statistics and export -------------------------------------------------------------------------------

async def send_stats(update: Update, context: BotContext, year: int) -> None:
    from bot.present.fieldwork_chart import activity_chart

    now = context.runtime.now()
    last = min(date(year, 12, 31), now.date())
    tally, districts = await service.year_tally(context.runtime, year, last)
    await _say(update, context, view.stats_text(year, tally, districts, now))
    png = await run_cpu(activity_chart, f"{year}년 현장방문 ({last.month}.{last.day}. 기준)", tally.by_district,
                        districts, tally.by_category)
    assert update.effective_chat is not None
    await context.bot.send_photo(update.effective_chat.id, BytesIO(png), caption=f"{year}년 자치구별·분류별 현장방문")


async def _export(update: Update, context: BotContext, kind: str, args: list[str]) -> None:
    if await withheld(update, context, DataKind.FILES):
        return
    now = context.runtime.now()
    when = optional_date(" ".join(args), now, past=True) if args else None
    if isinstance(when, DateFailure):
        await refuse_date(update, when)
        return
    start, end = _window(when, now) if args else (
        now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0), now + FAR)
    data, count = await service.export_records(context.runtime, kind, start, end)
    assert update.effective_chat is not None
    name = "현장방문" if kind == "visit" else "간담회_면담"
    period = view.period(start, end, now) if args else f"{start.month}.{start.day}. 이후 전체, 예정 포함"
    await context.bot.send_document(update.effective_chat.id, BytesIO(data), filename=f"{name}.xlsx",
                                    caption=f"{name.replace('_', '·')} {count}건 ({period})")


async def visits_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    now = context.runtime.now()
    if args and args[0] in ("stats", "통계"):
        year = int(args[1]) if len(args) > 1 and args[1].isdigit() else now.year
        await send_stats(update, context, year)
    elif args and args[0] in ("export", "내보내기"):
        await _export(update, context, "visit", args[1:])
    else:
        await _dated_list(update, context, "v", " ".join(args))


async def meetings_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if args and args[0] in ("export", "내보내기"):
        await _export(update, context, "meeting", args[1:])
        return
    await _dated_list(update, context, "m", " ".join(args))


async def _dated_list(update: Update, context: BotContext, kind: str, text: str) -> None:
    """/visits or /meetings [date]: that day, week or month; this month without one."""
    now = context.runtime.now()
    when = optional_date(text, now, past=True) if text.strip() else None
    if isinstance(when, DateFailure):
        await refuse_date(update, when)
        return
    start, end = _window(when, now)
    await _list(update, context, kind, start, end)


async def followups_command(update: Update, context: BotContext) -> None:
    await show_follow_ups(update, context)


PLACES_USAGE = "사용법: /places (목록) · /places add 장소 자치구[,자치구…] (관리자) 예: /places add 북서울꿈의숲 강북구"


async def places_command(update: Update, context: BotContext) -> None:
    """The gazetteer: list it; admins add a place or change its districts."""
    args = context.args or []
    runtime = context.runtime
    if not args:
        places = await service.gazetteer(runtime)
        lines = [f"• {name} → {', '.join(districts)}" for name, districts in places.items()]
        await _say(update, context, "장소 → 자치구\n" + "\n".join(lines) + f"\n\n{PLACES_USAGE}")
        return
    if args[0] not in ("add", "추가") or len(args) < 3:
        await _say(update, context, PLACES_USAGE)
        return
    if not context.me.is_admin:
        await _say(update, context, "장소 추가는 관리자만 할 수 있습니다.")
        return
    name = args[1]
    if problem := field_problem("place_name", name):  # too long, or a NUL (PostgreSQL refuses those)
        await _say(update, context, f"{problem} 아무것도 바꾸지 않았습니다. 예: /places add 북서울꿈의숲 강북구")
        return
    wanted = [d.strip() for d in " ".join(args[2:]).replace("·", ",").split(",") if d.strip()]
    names, unknown = await service.add_place(runtime, name, wanted, context.me.telegram_id)
    if unknown:
        await _say(update, context, f"서울의 자치구가 아닙니다: {', '.join(unknown)}. 아무것도 바꾸지 않았습니다.")
        return
    await _say(update, context, f"장소를 등록했습니다: {name} → {', '.join(names)}")


INTENTS = {"visit_log": on_log, "meeting_log": on_log, "visit_query": on_visit_query,
           "meeting_query": on_meeting_query, "followup_query": on_followup_intent}
_PROMPTS = {PEOPLE: f"참석자를 입력하세요. {PEOPLE_EXAMPLE}"}
FLOWS = {
    "visit": talk.Flow("현장방문 기록", show_log, service.store_log, on_answer, frozenset({"when", "about"}), choose,
                       (WHEN, PLACE, PEOPLE, CATEGORY), correct, edit, answers=("visit_log",), prompts=_PROMPTS),
    "meeting": talk.Flow("간담회 기록", show_log, service.store_log, on_answer, frozenset({"when"}), choose,
                         (WHEN, PEOPLE, MEETING_TYPE), correct, edit, answers=("meeting_log",), prompts=_PROMPTS),
    EDIT: talk.Flow("기록 수정", ask_edit, None, on_edit, frozenset({"value"})),
}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler(["visit", "meeting"], start_form),
        CommandHandler("visits", visits_command),
        CommandHandler("meetings", meetings_command),
        CommandHandler("followups", followups_command),
        CommandHandler("places", places_command),
        CallbackQueryHandler(on_list_page, pattern=r"^fv:l:[vm]:\d{8}:\d{8}:[^:]+:[01]:\d+$"),
        CallbackQueryHandler(on_record_button, pattern=r"^fv:(v:\d+|m:\d+|fd:\d+|(en|ew|x|xy):[vm]\d+)$"),
        MessageHandler(filters.PHOTO, on_photo),
    ]

