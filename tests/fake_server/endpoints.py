"""Data endpoint dispatch of the fake ClassCharts server."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from . import handlers as h, reports, school
from .models import PARENT_NAME, FakeActivity, FakePupil, Ids

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from aiohttp import web

    from .routing import Session


class EndpointMixin:
    """Answers of the authenticated, activated data endpoints."""

    tz: ZoneInfo
    today: date
    activity_page_size: int
    last_id_mode: str
    pupils: dict[int, FakePupil]
    holidays: set[date]
    parent_password: str
    parent_children: list[int]
    _ids: Ids

    def _ctx(self) -> h.Ctx:
        return h.Ctx(
            self.today,
            self.tz,
            self.holidays,
            self.activity_page_size,
            self.last_id_mode,
        )

    def _pupil(self, session: Session, arg: str | None) -> FakePupil | None:
        if session.kind == "student":
            if arg in (None, str(session.account_id)):
                return self.pupils[session.account_id]
            return None
        if arg is not None and arg.isdigit() and int(arg) in self.parent_children:
            return self.pupils.get(int(arg))
        return None

    async def _endpoint(
        self, request: web.Request, session: Session, endpoint: str, arg: str | None
    ) -> h.JSON:
        ctx = self._ctx()
        if endpoint == "pupils":
            children = [
                self.pupils[i] for i in self.parent_children if i in self.pupils
            ]
            return h.ok(
                [school.pupil_record(p, ctx, for_parent=True) for p in children], []
            )
        if endpoint == "password":
            form = await request.post()
            if str(form.get("current", "")) != self.parent_password:
                return h.error("Your current password is incorrect")
            new = str(form.get("new", ""))
            if not new or new != str(form.get("repeat", "")):
                return h.error("The new passwords do not match")
            self.parent_password = new
            return h.ok([], [])
        if endpoint == "homeworkticked":
            return self._tick(session, arg)
        if endpoint in reports.REPORT_ENDPOINTS:
            return await self._reports(request, session, endpoint, arg)
        pupil = self._pupil(session, arg)
        if pupil is None:
            return h.error("Invalid pupil")
        query = dict(request.query)
        if endpoint in school.PUPIL_ENDPOINTS:
            return school.PUPIL_ENDPOINTS[endpoint](pupil, query, ctx)
        if endpoint == "addparentbehaviour":
            return await self._add_parent_behaviour(request, pupil)
        return school.simple(pupil, endpoint, ctx)

    async def _reports(
        self, request: web.Request, session: Session, endpoint: str, arg: str | None
    ) -> h.JSON:
        """Reports and report cards: the pupil comes from a parameter, not the path."""
        form = await request.post() if request.method == "POST" else {}
        asked = str(form.get("pupil_id") or request.query.get("pupil_id") or "")
        chosen = self._pupil(session, asked or None)
        if session.kind == "student":
            visible = [self.pupils[session.account_id]]
        else:
            visible = [self.pupils[i] for i in self.parent_children if i in self.pupils]
        return reports.render(visible, endpoint, arg, chosen)

    def _tick(self, session: Session, arg: str | None) -> h.JSON:
        pupil = self.pupils[session.account_id]
        for homework in pupil.homeworks:
            if arg is not None and str(homework.status_id) == arg:
                homework.ticked = not homework.ticked
                homework.state = "completed" if homework.ticked else None
                return h.ok([], [])
        return h.error("Invalid homework")

    async def _add_parent_behaviour(
        self, request: web.Request, pupil: FakePupil
    ) -> h.JSON:
        form = await request.post()
        wanted = str(
            form.get("behaviour_id")
            or form.get("id")
            or request.query.get("behaviour_id", "")
        )
        for behaviour in pupil.parent_behaviours:
            if str(behaviour["id"]) == wanted:
                if behaviour["is_daily_limit_reached"]:
                    return {
                        "success": 0,
                        "expired": 0,
                        "meta": None,
                        "error": "You have reached the daily limit awarding this behaviour",
                    }
                behaviour["is_daily_limit_reached"] = True
                now = datetime.now(self.tz).time().replace(microsecond=0)
                pupil.activity.append(
                    FakeActivity(
                        self._ids.next("activity"),
                        datetime.combine(self.today, now),
                        "positive",
                        str(behaviour["name"]),
                        1,
                        teacher_name=PARENT_NAME,
                    )
                )
                return h.ok([], [])
        return h.error("Invalid behaviour")
