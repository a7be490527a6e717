"""Seed data for the fake ClassCharts server, built relative to a given day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from .extras import seed_extras
from .models import (
    BEN_ID,
    CHILD_IDS,
    PARENT_EMAIL,
    PARENT_ID,
    PARENT_NAME,
    PARENT_PASSWORD,
    SCHOOL_NAME,
    STUDENT_CODE,
    STUDENT_DOB,
    STUDENT_ID,
    FakeActivity,
    FakeClass,
    FakeDetention,
    FakeHomework,
    FakePupil,
    FakeSlot,
    Ids,
    display_flags,
    school_year_start,
    week_start,
)
from .reports import seed_reports

__all__ = [
    "BEN_ID",
    "CHILD_IDS",
    "PARENT_EMAIL",
    "PARENT_ID",
    "PARENT_NAME",
    "PARENT_PASSWORD",
    "SCHOOL_NAME",
    "STUDENT_CODE",
    "STUDENT_DOB",
    "STUDENT_ID",
    "FakeActivity",
    "FakeDetention",
    "FakeHomework",
    "FakePupil",
    "build_pupils",
]


def _ada_timetable() -> dict[int, list[FakeSlot]]:
    c = {
        "ma": FakeClass(
            2200301, "9X/Ma2", "Mathematics", "Mr P Example", "T5501", "M4"
        ),
        "en": FakeClass(2200302, "9X/En1", "English", "Ms R Example", "T5502", "E2"),
        "tut": FakeClass(2200303, "9X/Tut", "TUTOR", "Mrs K Example", "T5503", "T1"),
        "sc": FakeClass(2200304, "9X/Sc1", "Science", "Dr L Example", "T5504", "S3"),
        "scb": FakeClass(2200309, "9X/Sc1b", "Science", "Mr J Example", "T5509", "S5"),
        "gg": FakeClass(2200305, "9X/Gg1", "Geography", "Mrs K Example", "T5503", "H7"),
        "hi": FakeClass(2200306, "9X/Hi1", "History", "Mr T Example", "T5506", "H2"),
        "fr": FakeClass(2200307, "9X/Fr1", "French", "Mme D Example", "T5507", "L1"),
        "pe": FakeClass(
            2200308, "9X/PE1", "Physical Education", "Mr G Example", "T5508", "Gym"
        ),
        "ar": FakeClass(2200310, "9X/Ar1", "Art", "Ms A Example", "T5510", "A1"),
    }

    def day(*names: str) -> list[FakeSlot]:
        order = ("P1", "P2", "Tut", "P3", "P4", "P5")
        return [FakeSlot(p, c[n]) for p, n in zip(order, names, strict=False)]

    tuesday = day("ma", "en", "tut", "sc")
    tuesday.append(FakeSlot("P3", c["scb"], shares_key_with_previous=True))
    tuesday.append(FakeSlot("P4", c["gg"], note="Bring atlas"))
    return {
        0: day("ma", "en", "tut", "sc", "hi", "fr"),
        1: tuesday,
        2: day("fr", "ma", "tut", "pe", "en", "ar"),
        3: day("sc", "gg", "tut", "ma", "hi"),
        4: day("en", "ar", "tut", "ma", "sc", "pe"),
    }


def _ben_timetable() -> dict[int, list[FakeSlot]]:
    c = {
        "ma": FakeClass(
            2300401, "7Y/Ma1", "Mathematics", "Mrs N Example", "T6601", "M1"
        ),
        "en": FakeClass(2300402, "7Y/En3", "English", "Mr O Example", "T6602", "E5"),
        "tut": FakeClass(2300403, "7Y/Tut", "TUTOR", "Ms Q Example", "T6603", "T4"),
        "sc": FakeClass(2300404, "7Y/Sc2", "Science", "Dr L Example", "T5504", "S1"),
        "mu": FakeClass(2300405, "7Y/Mu1", "Music", "Mr V Example", "T6605", "Mu1"),
        "dt": FakeClass(
            2300406, "7Y/DT1", "Design and Technology", "Ms W Example", "T6606", "D2"
        ),
        "hi": FakeClass(2300407, "7Y/Hi2", "History", "Mr T Example", "T5506", "H2"),
    }

    def day(*names: str) -> list[FakeSlot]:
        order = ("P1", "P2", "Tut", "P3", "P4", "P5")
        return [FakeSlot(p, c[n]) for p, n in zip(order, names, strict=False)]

    return {
        0: day("en", "ma", "tut", "mu", "sc"),
        1: day("sc", "hi", "tut", "ma", "dt"),
        2: day("ma", "en", "tut", "sc"),
        3: day("dt", "ma", "tut", "en", "mu", "hi"),
        4: day("hi", "sc", "tut", "en"),
    }


def _later_this_week(today: date) -> date:
    friday = week_start(today) + timedelta(days=4)
    sunday = friday + timedelta(days=2)
    for candidate in (friday, sunday):
        if candidate > today + timedelta(days=1):
            return candidate
    return today + timedelta(days=2)


def _seed_homework(ada: FakePupil, ben: FakePupil, today: date, ids: Ids) -> None:
    d = timedelta
    next_wed = week_start(today) + d(days=9)

    def hw(
        pupil: FakePupil, slot_class: str, title: str, issue: date, due: date, **kw: Any
    ) -> None:
        cls = next(
            s.cls
            for slots in pupil.timetable.values()
            for s in slots
            if s.cls.subject == slot_class
        )
        pupil.homeworks.append(
            FakeHomework(
                ids.next("homework"),
                ids.next("status"),
                title,
                cls.subject,
                cls.name,
                cls.teacher,
                issue,
                due,
                **kw,
            )
        )

    hw(
        ada,
        "Geography",
        "Revision",
        today - d(days=17),
        today - d(days=10),
        state="not_completed",
    )
    hw(
        ada,
        "English",
        "Reading log",
        today - d(days=12),
        today - d(days=5),
        state="completed",
        ticked=True,
        validated_links=[
            {
                "link": "https://example.invalid/reading",
                "validated_link": "https://example.invalid/reading",
            }
        ],
    )
    hw(
        ada,
        "Mathematics",
        "Fractions practice",
        today - d(days=10),
        today - d(days=3),
        state="late",
        mark="7/10",
        has_feedback=True,
    )
    hw(
        ada,
        "Mathematics",
        "Algebra starter",
        today - d(days=7),
        today,
        description="<p>Complete the worksheet on <strong>algebra</strong>.</p>",
    )
    hw(ada, "English", "Poem annotation", today - d(days=6), today + d(days=1))
    hw(
        ada,
        "Science",
        "Forces worksheet",
        today - d(days=2),
        _later_this_week(today),
        description="<p>Complete the worksheet on <strong>forces</strong>.</p>",
    )
    hw(
        ada,
        "French",
        "Vocabulary list",
        today - d(days=1),
        next_wed,
        completion_time_value="",
    )
    hw(
        ben,
        "Mathematics",
        "Times tables",
        today - d(days=13),
        today - d(days=6),
        state="completed",
        ticked=True,
    )
    hw(
        ben,
        "Science",
        "Plant cells",
        today - d(days=6),
        today + d(days=1),
    )
    hw(
        ben,
        "History",
        "Castle project",
        today - d(days=3),
        next_wed + d(days=2),
        completion_time_value="",
    )


def _seed_activity(ada: FakePupil, ben: FakePupil, today: date, ids: Ids) -> None:
    start = school_year_start(today)
    if (today - start).days < 45:
        start = today - timedelta(days=120)
    days = [
        start + timedelta(days=i)
        for i in range((today - start).days)
        if (start + timedelta(days=i)).weekday() < 5
    ]
    pos = ("Excellent effort", "Helping others", "Great homework", "Participation")
    neg = ("Late to lesson", "Disruption", "No equipment")
    items: list[tuple[FakePupil, FakeActivity]] = []

    def add(pupil: FakePupil, when: datetime, i: int, negative_every: int) -> None:
        slots = (
            pupil.timetable[when.weekday()]
            if when.weekday() < 5
            else pupil.timetable[0]
        )
        slot = slots[i % len(slots)]
        negative = i % negative_every == negative_every - 1
        act = FakeActivity(
            0,
            when,
            "negative" if negative else "positive",
            (neg if negative else pos)[i % (3 if negative else 4)],
            -1 if negative else (2 if i % 10 == 0 else 1),
            lesson_name=slot.cls.name,
            teacher_name=slot.cls.teacher,
            room_name=slot.cls.room if i % 3 else None,
            note="Arrived 10 minutes late" if negative and i % 2 else None,
        )
        items.append((pupil, act))

    for pupil, count, neg_every in ((ada, 117, 6), (ben, 30, 3)):
        for i in range(count):
            day = days[i * len(days) // count]
            minutes = 8 * 60 + 50 + (i * 37) % 380
            add(
                pupil,
                datetime.combine(day, time(minutes // 60, minutes % 60, (i * 13) % 60)),
                i,
                neg_every,
            )
    for i, (hh, mm) in enumerate(((9, 12), (11, 41), (13, 30))):
        add(ada, datetime.combine(today, time(hh, mm, 7)), i + 1, 3)
    notice_day = days[-3] if len(days) >= 3 else today
    items.append(
        (
            ada,
            FakeActivity(
                0,
                datetime.combine(notice_day, time(9, 0)),
                "blank",
                "Message home",
                0,
                type="notice",
                teacher_name="Mrs K Example",
                custom_class="notice-color",
            ),
        )
    )
    items.append(
        (
            ada,
            FakeActivity(
                0,
                datetime.combine(today - timedelta(days=1), time(15, 20)),
                "negative",
                "Detention set",
                0,
                type="detention",
                teacher_name="Mr P Example",
                custom_class="colour-orange",
                detention_date=today + timedelta(days=2),
                detention_time="15:20",
                detention_location="Room B12",
                detention_type="After school",
            ),
        )
    )
    items.sort(key=lambda pa: pa[1].timestamp)
    for pupil, act in items:
        act.id = ids.next("activity")
        pupil.activity.append(act)


def _seed_detentions(ada: FakePupil, ben: FakePupil, today: date, ids: Ids) -> None:
    ma = ada.timetable[0][0].cls
    pending_day = today + timedelta(days=2)
    ada.detentions.append(
        FakeDetention(
            ids.next("detention"),
            "pending",
            pending_day,
            "15:20",
            30,
            "Room B12",
            "Homework not done",
            ma,
            (5501, "Mr", "Peter", "Example"),
            "After school",
        )
    )
    ada.detentions.append(
        FakeDetention(ids.next("detention"), "yes", None, None, None, None, "Uniform")
    )
    ben.detentions.append(
        FakeDetention(
            ids.next("detention"),
            "no",
            today - timedelta(days=8),
            "12:40",
            20,
            "Hall",
            "Disruption",
            None,
            (6602, "Mr", "Owen", "Example"),
            "Lunchtime",
        )
    )


def build_pupils(today: date) -> tuple[dict[int, FakePupil], Ids]:
    """Build Ada and Ben with data relative to today; return them and the id sources."""
    ids = Ids()
    ada = FakePupil(
        STUDENT_ID,
        "Ada",
        "Example",
        display_flags(),
        _ada_timetable(),
        60000000,
        "pupil_chan_0000000000",
    )
    ben = FakePupil(
        BEN_ID,
        "Ben",
        "Example",
        display_flags(display_rewards=False, display_attendance=False),
        _ben_timetable(),
        70000000,
        "pupil_chan_1111111111",
        attendance_modulus=(13, 7),
    )
    _seed_activity(ada, ben, today, ids)
    _seed_homework(ada, ben, today, ids)
    _seed_detentions(ada, ben, today, ids)
    seed_extras(ada, ben, today)
    seed_reports(ada, today)
    return {ada.id: ada, ben.id: ben}, ids
