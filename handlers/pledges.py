"""공약: the dashboard (/pledges, '공약 현황'), drill-down axis → area → core pledge → sub-projects → card,
search, late and unevaluated lists, updates from chat ('진행률 45%', '상태 지연 — 사유'), the chart, files."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.commands import CommandHelp
from bot.context import BotContext
from bot.domain.access import DataKind
from bot.domain.pledges import AXES, PAGE, Page, half_of
from bot.lang.asked import pledge_count, pledge_scope
from bot.lang.intents import Intent
from bot.lang.phrases import asks_pledge_totals, update_kind
from bot.present import brief
from bot.present import pledges as view
from bot.services import pledges as pledging
from bot.services import topics
from bot.services.conversation import Open
from bot.workers import run_cpu
from handlers import buttons
from handlers import conversation as talk
from handlers.buttons import StaleButton, button
from handlers.gate import withheld
from storage import pledges as store
from storage.models import CorePledge, PledgeArea, SubProject

COMMANDS = (
    CommandHelp("pledges", "민선7기 공약 현황 (review, chart, template, export도 가능)",
                "/pledges · 공약 현황 · 지연 공약 · 미래특별시 공약 · /pledges review"),
)
MENU_ROW = ("공약 현황", "지연 공약")
AXIS_CODES = {"t": AXES[0], "d": AXES[1]}


def _markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    buttons = [[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in rows if row]
    return InlineKeyboardMarkup(buttons)


def _nav(prefix: str, page: Page) -> list[tuple[str, str]]:
    nav = []
    if page.previous is not None:
        nav.append(("◀ 이전", f"{prefix}:{page.previous}"))
    if page.next is not None:
        nav.append(("다음 ▶", f"{prefix}:{page.next}"))
    return nav


async def _send(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, text, reply_markup=markup)


def _statuses(context: BotContext) -> tuple[str, ...]:
    return context.runtime.pledge_statuses


# -- dashboard, axes, areas, pledges, cards -----------------------------------------------------------

async def show_dashboard(update: Update, context: BotContext) -> None:
    async with context.runtime.sessionmaker() as session:
        board = await pledging.dashboard(session)
        reports = await store.reports(session)
    label = f"{reports[0].as_of.month}.{reports[0].as_of.day}." if reports else ""
    buttons = [[("정책대상별", "pl:x:t"), ("정책영역별", "pl:x:d")]]
    if board.imported:
        buttons.append([("지연 사업", "pl:late:0"), ("자체평가 현황", "pl:rv:0"), ("차트", "pl:ch")])
    await _send(update, context, view.dashboard_text(board, _statuses(context), label), _markup(buttons))


async def show_axis(update: Update, context: BotContext, axis: str, note: str = "") -> None:
    async with context.runtime.sessionmaker() as session:
        board = await pledging.dashboard(session)
        areas = await store.areas(session, axis)
    text = note + view.axis_text(axis, board, [(a.id, a.name) for a in areas])
    buttons = [[(a.name, f"pl:a:{a.id}:0")] for a in areas]
    await _send(update, context, text, _markup([*buttons, [("공약 현황", "pl:d")]]))


async def show_area(update: Update, context: BotContext, area_id: int, offset: int) -> None:
    async with context.runtime.sessionmaker() as session:
        area = await store.area(session, area_id)
        rows, total = await store.pledges_of(session, area_id, offset, PAGE)
    if area is None:
        await _send(update, context, "이 분야를 찾을 수 없습니다. /pledges 로 다시 시작하세요.")
        return
    page = Page(offset, total)
    text = view.list_text(f"📂 {area.name} ({area.axis}) 핵심공약", [f"[{p.code}] {p.title}" for p in rows], page)
    buttons = [[(f"{page.offset + i + 1}. {p.title}", f"pl:p:{p.id}:0")] for i, p in enumerate(rows)]
    axis_code = "t" if area.axis == AXES[0] else "d"
    # The page arrows first: past six buttons the keyboard pages (bot/present/keys.py), and they stay on page one.
    await _send(update, context, text, _markup([_nav(f"pl:a:{area_id}", page), *buttons,
                                                [(f"{area.axis}별", f"pl:x:{axis_code}")]]))


async def _sub_list(update: Update, context: BotContext, title: str, prefix: str, offset: int,
                    **where: Any) -> None:
    async with context.runtime.sessionmaker() as session:
        rows, total = await store.subs_where(session, offset, PAGE, **where)
    if offset and offset >= total:  # the bot's ◀/▶ never point past the end
        raise StaleButton(f"page offset {offset} past {total}")
    page = Page(offset, total)
    text = view.list_text(title, [view.sub_line(s) for s in rows], page)
    buttons = [[(f"{page.offset + i + 1}. {s.title}", f"pl:c:{s.id}")] for i, s in enumerate(rows)]
    await _send(update, context, text, _markup([_nav(prefix, page), *buttons, [("공약 현황", "pl:d")]]))


async def show_pledge(update: Update, context: BotContext, pledge_id: int, offset: int) -> None:
    async with context.runtime.sessionmaker() as session:
        pledge = await store.pledge(session, pledge_id)
    if pledge is None:
        await _send(update, context, "이 핵심공약을 찾을 수 없습니다. /pledges 로 다시 시작하세요.")
        return
    await _sub_list(update, context, f"📌 [{pledge.code}] {pledge.title} — 세부사업", f"pl:p:{pledge_id}", offset,
                    pledge_id=pledge_id)


async def show_card(update: Update, context: BotContext, sub_id: int) -> None:
    assert update.effective_chat is not None
    now = context.runtime.now()
    async with context.runtime.sessionmaker.begin() as session:
        sub = await store.sub_project(session, sub_id)
        if sub is not None:
            pledge = await store.pledge(session, sub.pledge_id)
            area = await store.area(session, pledge.area_id) if pledge else None
            steps = [(m.title, m.due) for m in await store.milestones(session, sub_id)]
            notes = await store.history(session, sub_id)
            # '진행률 45%' and the like now apply to this card
            await pledging.remember_card(session, context.me.telegram_id, update.effective_chat.id, sub_id, now,
                                         context.runtime.draft_ttl)
    if sub is None:  # said after the transaction: no Bot API call while it is open
        await _send(update, context, "이 세부사업을 찾을 수 없습니다. /pledges 로 다시 시작하세요.")
        return
    text = view.card_text(sub, pledge.title if pledge else "", area.name if area else "", steps, notes, now)
    buttons = [[("진행률 입력", f"pl:e:p:{sub_id}"), ("상태 변경", f"pl:e:s:{sub_id}")],
               [("메모", f"pl:e:n:{sub_id}"), ("자체평가", f"pl:e:v:{sub_id}")],
               [("핵심공약으로", f"pl:p:{sub.pledge_id}:0")]]
    await _send(update, context, text, _markup(buttons))


async def _exists(context: BotContext, kind: str, record_id: int) -> bool:
    """Whether the area (a), core pledge (p) or sub-project (c, e) a button names still exists."""
    lookup = {"a": store.area, "p": store.pledge, "c": store.sub_project, "e": store.sub_project}[kind]
    async with context.runtime.sessionmaker() as session:
        return await lookup(session, record_id) is not None


@button
async def on_button(update: Update, context: BotContext) -> None:
    """Pledges are the office's: every member may open any level and update a sub-project (audited)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    parts = query.data.split(":")[1:]
    kind, args = parts[0], parts[1:]
    numbers = [buttons.ident(a) for a in (args[1:] if kind in ("x", "e") else args)]  # x:t, e:p:12
    if kind in ("a", "p", "c", "e") and not await _exists(context, kind, numbers[0]):
        raise buttons.StaleButton(f"pledge record {kind}:{numbers[0]} is gone")
    if kind == "d":
        await show_dashboard(update, context)
    elif kind == "x":
        await show_axis(update, context, AXIS_CODES[args[0]])
    elif kind == "a":
        await show_area(update, context, numbers[0], numbers[1])
    elif kind == "p":
        await show_pledge(update, context, numbers[0], numbers[1])
    elif kind == "c":
        await show_card(update, context, numbers[0])
    elif kind == "late":
        await show_late(update, context, numbers[0])
    elif kind == "rv":
        await show_review(update, context, numbers[0])
    elif kind == "ch":
        await send_chart(update, context)
    elif kind == "e":
        await ask_update(update, context, args[0], numbers[0])
    await query.answer()  # last: a page past the end (a forged offset) is refused above with the stale alert


async def show_late(update: Update, context: BotContext, offset: int = 0) -> None:
    late = context.runtime.pledge_late_status
    await _sub_list(update, context, f"⏰ {late} 세부사업", "pl:late", offset, status=late)


async def show_review(update: Update, context: BotContext, offset: int = 0) -> None:
    now = context.runtime.now()
    period = half_of(now.month, now.year)
    async with context.runtime.sessionmaker() as session:
        rows, total = await store.unevaluated(session, period, offset, PAGE)
    page = Page(offset, total)
    text = view.list_text(f"📝 {period} 자체평가가 없는 세부사업", [view.sub_line(s) for s in rows], page)
    buttons = [[(f"{page.offset + i + 1}. {s.title}", f"pl:c:{s.id}")] for i, s in enumerate(rows)]
    await _send(update, context, text, _markup([_nav("pl:rv", page), *buttons]))


# -- search ------------------------------------------------------------------------------------------

async def answer_count(update: Update, context: BotContext, text: str) -> bool:
    """One reported total asked ("핵심공약 몇 개야", "정책영역 세부사업 몇 개", "자영업자 공약 몇 개"): that
    count in a line, with "자세히" for the dashboard. False when the text asks no count of pledges."""
    assert update.effective_chat is not None
    async with context.runtime.sessionmaker() as session:
        reports = await store.reports(session)
    asked = pledge_count(text, _examples(reports))
    if asked is None:
        return False
    scope, counted = asked
    reported = next((r for r in reports if r.scope == scope), None)
    if reported is None:
        return False
    async with context.runtime.sessionmaker.begin() as session:
        await topics.remember(session, context.me.telegram_id, update.effective_chat.id,
                              topics.Topic("pledges", scope if scope != "전체" else "공약"), context.runtime.now())
    said = _example_note(pledge_scope(text, _examples(reports))) + brief.pledge_count_brief(
        scope, counted, reported, reported.as_of)
    await _send(update, context, said, _markup([[(brief.DETAIL, "pl:d")]]))
    return True


def _example_note(named: tuple[str, str | None] | None) -> str:
    """For an example area of the report (자영업자): only its axis is reported, said before the axis figures."""
    if named is None or named[1] is None:
        return ""
    return f"{named[1]}는 보고서에 {named[0]} 분야의 예로 나옵니다(그 분야만의 수치는 없습니다).\n"


def _examples(reports: Sequence[Any]) -> dict[str, str]:
    """The report's example areas, each with its axis (자영업자 -> 정책대상)."""
    return {example: r.scope for r in reports for example in r.examples if r.scope != "전체"}


async def on_query(update: Update, context: BotContext, intent: Intent) -> None:
    assert update.effective_message is not None and update.effective_message.text is not None
    text = update.effective_message.text
    if await answer_count(update, context, text):
        return
    async with context.runtime.sessionmaker() as session:
        found = await pledging.search(session, text, _statuses(context))
        board = await pledging.dashboard(session)
    scope = pledge_scope(text, _examples(board.reported))
    if found.status == context.runtime.pledge_late_status and not found.words:
        await show_late(update, context)
    elif found.status:
        await _sub_list(update, context, f"{found.status} 세부사업", "pl:late", 0, status=found.status)
    elif found.code_hit is not None:
        await _open(update, context, found.code_hit)
    elif not found.words and scope is None:
        await show_dashboard(update, context)
    elif (named := [a for a in found.areas if a.name in found.words]) and len(named) == 1:
        await show_area(update, context, named[0].id, 0)  # "자영업자 공약": the area itself
    elif found.areas or found.pledges or found.subs:
        await _results(update, context, found)
    elif scope is not None and scope[1] is not None and not board.imported:  # "미래특별씨 공약 현황"
        await _nothing(update, context, found, board, scope[1])
    elif scope is not None:  # "정책대샹별 세부사업": the axis and its reported totals
        await show_axis(update, context, scope[0], _example_note(scope))
    elif asks_pledge_totals(text) and not found.suggestions:  # "청년주택 공약 현황": not found, the totals
        await _nothing(update, context, found, board)
        await show_dashboard(update, context)
    else:
        await _nothing(update, context, found, board)


async def _open(update: Update, context: BotContext, hit: object) -> None:
    if isinstance(hit, SubProject):
        await show_card(update, context, hit.id)
    elif isinstance(hit, CorePledge):
        await show_pledge(update, context, hit.id, 0)
    elif isinstance(hit, PledgeArea):
        await show_area(update, context, hit.id, 0)


async def _results(update: Update, context: BotContext, found: pledging.SearchResult) -> None:
    buttons = [[(f"분야: {a.name}", f"pl:a:{a.id}:0")] for a in found.areas]
    buttons += [[(f"공약: {p.title}", f"pl:p:{p.id}:0")] for p in found.pledges]
    buttons += [[(f"사업: {s.title}", f"pl:c:{s.id}")] for s in found.subs]
    count = len(found.areas) + len(found.pledges) + len(found.subs)
    await _send(update, context, f"🔎 '{' '.join(found.words)}' 검색 결과 {count}건 (최대 10건씩)", _markup(buttons))


async def _nothing(update: Update, context: BotContext, found: pledging.SearchResult, board: Any,
                   example: str | None = None) -> None:
    """Nothing found for the words; an example area of the report (`example`, or one the words hold) gets its
    axis's reported totals."""
    words = " ".join(found.words)
    examples = [example] if example else [
        ex for r in board.reported for ex in r.examples if any(w in ex for w in found.words)]
    if examples and not board.imported:
        reported = next(r for r in board.reported if examples[0] in r.examples)
        figures = f"{reported.scope} {view.counts(reported)}, 7.10 기준"
        await _send(update, context, f"{examples[0]}는 보고서에 {reported.scope}별 공약의 예로 나옵니다 ({figures}). "
                                     "세부 자료는 아직 없습니다.")
        return
    if found.suggestions:
        buttons = [[(title, f"pl:{'a' if kind == 'area' else 'p'}:{ident}:0")]
                   for kind, title, ident in found.suggestions]
        await _send(update, context, f"'{words}'와 맞는 공약을 찾지 못했습니다. 이거 말씀이세요?", _markup(buttons))
        return
    await _send(update, context, f"'{words}'와 맞는 공약을 찾지 못했습니다. /pledges 에서 분야별로 찾아보세요.")


# -- updates -----------------------------------------------------------------------------------------

PROMPTS = {
    "progress": "진행률을 0~100 사이 숫자로 입력하세요. 예: 진행률 45%",
    "status": "새 상태와 사유를 입력하세요. 예: 상태 지연 — 부지 협의 지연 (상태: {statuses})",
    "note": "메모를 입력하세요. 예: 메모 9월 추경 반영 요청",
    "eval": "자체평가 등급과 의견을 입력하세요. 예: A 계획대로 추진",
}
BUTTON_UPDATES = {"p": "progress", "s": "status", "n": "note", "v": "eval"}  # pl:e:<code>:<sub id>
TYPED_UPDATES = {"p": "progress", "s": "status", "n": "note"}  # bot.lang.phrases.update_kind
NO_CARD = "먼저 세부사업 카드를 여세요: /pledges 에서 찾아 들어가거나 사업 이름·코드를 입력하세요."
GONE = "이 세부사업을 찾을 수 없습니다."


async def ask_update(update: Update, context: BotContext, what: str, sub_id: int) -> None:
    """A card's 진행률/상태/메모/자체평가 button: a form for that update of that card."""
    await talk.start(update, context, pledging.FORM, {"sub_id": sub_id}, BUTTON_UPDATES[what])


async def ask_step(update: Update, context: BotContext, draft: Open) -> None:
    prompt = PROMPTS.get(draft.step or "", PROMPTS["note"]).format(statuses=", ".join(_statuses(context)))
    await _send(update, context, prompt, talk.markup([talk.cancel_row(draft)]))


async def on_answer(update: Update, context: BotContext, draft: Open, text: str) -> None:
    """The update typed for the form: refused with the reason (the question stays), else stored with the form
    finished in one transaction, and the card shown again."""
    change = pledging.read_change(draft.step or "", text, _statuses(context))
    if isinstance(change, str):
        await _send(update, context, problem_text(change))
        return
    sub_id = int(draft.data()["sub_id"])
    runtime, me = context.runtime, context.me.telegram_id

    async def store_change(session: AsyncSession, row: Open) -> str:
        return "저장했습니다." if await pledging.apply_change(session, sub_id, change, runtime.now(), me) else GONE

    if await talk.complete(update, context, draft, store_change):
        await show_card(update, context, sub_id)


def problem_text(problem: str) -> str:
    return problem + " (그만두려면 /cancel)"


async def on_update_text(update: Update, context: BotContext, intent: Intent) -> None:
    """'진행률 45%', '상태 지연 — 사유', '메모 …' typed with no form open: applied to the card last shown here;
    refused, the same update is asked again as a form (its next typed answer is the update)."""
    assert update.effective_message is not None and update.effective_message.text is not None
    assert update.effective_chat is not None
    text = update.effective_message.text.strip()
    what = TYPED_UPDATES[update_kind(text)]
    runtime, me = context.runtime, context.me.telegram_id
    async with runtime.sessionmaker() as session:
        sub_id = await pledging.card_shown(session, me, update.effective_chat.id, runtime.now())
    if sub_id is None:
        await _send(update, context, NO_CARD)
        return
    change = pledging.read_change(what, text, _statuses(context))
    if isinstance(change, str):
        await talk.of(update, context).start(pledging.FORM, {"sub_id": sub_id}, what)
        context.asked = True
        await _send(update, context, problem_text(change))
        return
    async with runtime.sessionmaker.begin() as session:
        stored = await pledging.apply_change(session, sub_id, change, runtime.now(), me)
    await _send(update, context, "저장했습니다." if stored else GONE)
    if stored:
        await show_card(update, context, sub_id)


# -- chart and files ---------------------------------------------------------------------------------

async def send_chart(update: Update, context: BotContext) -> None:
    from bot.present.pledge_chart import AreaProgress, pledge_chart

    async with context.runtime.sessionmaker() as session:
        board = await pledging.dashboard(session)
    if not board.imported:
        await _send(update, context, "세부 자료가 없어 차트를 그릴 수 없습니다. 공약 파일을 먼저 가져오세요.")
        return
    areas = [AreaProgress(name, axis, dict(tally.by_status), tally.average_progress)
             for axis, name, tally in board.by_area.values()]
    png = await run_cpu(pledge_chart, areas)
    assert update.effective_chat is not None
    await context.bot.send_photo(update.effective_chat.id, BytesIO(png), caption="공약 진행 현황")


async def pledges_command(update: Update, context: BotContext) -> None:
    action = (context.args or [""])[0].lower()
    assert update.effective_chat is not None
    if action in ("review", "평가"):
        await show_review(update, context)
    elif action in ("chart", "차트"):
        await send_chart(update, context)
    elif action in ("template", "양식", "export", "내보내기") and await withheld(update, context, DataKind.FILES):
        return
    elif action in ("template", "양식"):
        from bot.sheets.pledges import pledges_template

        await context.bot.send_document(update.effective_chat.id, BytesIO(pledges_template(_statuses(context))),
                                        filename="공약_가져오기_양식.xlsx", caption="공약 가져오기 양식")
    elif action in ("export", "내보내기"):
        await send_export(update, context)
    else:
        await show_dashboard(update, context)


async def send_export(update: Update, context: BotContext) -> None:
    """/pledges export, or '공약 파일로': every sub-project in the import template's layout."""
    assert update.effective_chat is not None
    if await withheld(update, context, DataKind.FILES):
        return
    async with context.runtime.sessionmaker() as session:
        data, count = await pledging.export_file(session)
    await context.bot.send_document(update.effective_chat.id, BytesIO(data), filename="공약_현황.xlsx",
                                    caption=f"세부사업 {count}개 (가져오기 양식과 같은 형식)")


INTENTS = {"pledge_query": on_query, "pledge_update": on_update_text}
FLOWS = {
    pledging.FORM: talk.Flow("공약 진행 입력", ask_step, answer=on_answer, text_steps=frozenset(pledging.UPDATES),
                             answers=("pledge_update", "pledge_query")),
}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("pledges", pledges_command),
        CallbackQueryHandler(on_button, pattern=r"^pl:(d|x:[td]|a:\d+:\d+|p:\d+:\d+|c:\d+|late:\d+|rv:\d+|ch|"
                                                r"e:[psnv]:\d+)$"),
    ]
