"""Tools for Assist's AI agents: a pupil's school day, homework and points.

Home Assistant's ``llm`` integration (2026.7 and later) loads this platform;
older releases never import it, so nothing here can break them. The tools only
read, and only about pupils the user exposed to Assist. What a question costs
in requests to ClassCharts is in each tool's description (and the README).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Final, override

# The llm integration and these helpers exist from 2026.7: mypy on the minimum
# line (2026.2) does not see them, hence the ignores that are unused on later ones.
from homeassistant.components.llm import (  # type: ignore[import-not-found,unused-ignore]
    LLMTools,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.llm import (  # type: ignore[attr-defined,unused-ignore]
    LLM_API_ASSIST,
    LLMContext,
    Tool,
    ToolAnnotations,
    ToolInput,
    ToolResult,
)
from homeassistant.util import dt as dt_util

from .assist_answers import (
    DAY_HELP,
    AnswerError,
    SchoolPupil,
    behaviour_answer,
    exposed_pupils,
    find_pupil,
    homework_answer,
    parse_day,
    school_day,
)
from .client import ClassChartsError
from .const import DOMAIN
from .schema import vol

READ_ONLY: Final = ToolAnnotations(
    read_only=True, destructive=False, idempotent=True, open_world=False
)


def _assistant(context: LLMContext) -> str | None:
    """The asking assistant (typed optional before 2026.7, which has no tools)."""
    assistant: str | None = context.assistant
    return assistant


class SchoolTool(Tool):
    """A read-only tool about one pupil, named in the call."""

    annotations = READ_ONLY
    integration = DOMAIN
    extra: ClassVar[dict[Any, Any]] = {}

    def __init__(self, names: list[str]) -> None:
        """Describe the parameters with the names the pupils can be called by."""
        self.parameters = vol.Schema(
            {
                vol.Required(
                    "pupil", description=f"The pupil's name: {', '.join(names)}"
                ): cv.string,
                **self.extra,
            }
        )

    async def answer(
        self, pupil: SchoolPupil, args: dict[str, Any], today: date
    ) -> dict[str, Any]:
        """The answer about ``pupil``."""
        raise NotImplementedError

    @override
    async def async_call(
        self, hass: HomeAssistant, tool_input: ToolInput, llm_context: LLMContext
    ) -> ToolResult:
        """Find the pupil among the exposed ones, then answer."""
        assistant = _assistant(llm_context)
        try:
            args = self.parameters(tool_input.tool_args)
            pupils = exposed_pupils(hass, assistant) if assistant else []
            pupil = find_pupil(pupils, args["pupil"])
            data = await self.answer(pupil, args, dt_util.now().date())
        except vol.Invalid as err:  # an argument the agent made up
            return ToolResult(data={"error": str(err)}, error=True)
        except AnswerError as err:
            return ToolResult(data=err.data, error=True)
        except ClassChartsError:
            return ToolResult(
                data={"error": "ClassCharts did not answer; try again later"},
                error=True,
            )
        return ToolResult(data=data)


class SchoolDayTool(SchoolTool):
    """Does Ada have PE tomorrow? When does Ben finish today?"""

    name = f"{DOMAIN}__school_day"
    title = "Get a pupil's school day"
    description = (
        "A pupil's school day from ClassCharts: whether there is school, the "
        "lessons with local start and end times, rooms and teachers, homework "
        "due, detentions, and for today the behaviour points. Use it for "
        "questions like 'Does Ada have PE tomorrow?' or 'When does Ben finish "
        "today?'. The next 7 days cost no request to ClassCharts; another "
        "day costs 1 or 2, and 2 more to log in."
    )
    extra: ClassVar[dict[Any, Any]] = {
        vol.Optional("date", description=DAY_HELP): cv.string
    }

    @override
    async def answer(
        self, pupil: SchoolPupil, args: dict[str, Any], today: date
    ) -> dict[str, Any]:
        return await school_day(pupil, parse_day(args.get("date"), today))


class HomeworkTool(SchoolTool):
    """What homework is due this week?"""

    name = f"{DOMAIN}__homework"
    title = "Get a pupil's homework"
    description = (
        "Homework from ClassCharts due in a range of dates (default the 7 days "
        "from today), outstanding only (default) or all. Use it for questions "
        "like 'What homework is due this week?'. Costs no request to "
        "ClassCharts from 4 weeks back to 13 weeks ahead; another range costs "
        "1, and 2 more to log in."
    )
    extra: ClassVar[dict[Any, Any]] = {
        vol.Optional("start_date", description=DAY_HELP): cv.string,
        vol.Optional("end_date", description=DAY_HELP): cv.string,
        vol.Optional("status", description="outstanding or all"): vol.In(
            ["outstanding", "all"]
        ),
    }

    @override
    async def answer(
        self, pupil: SchoolPupil, args: dict[str, Any], today: date
    ) -> dict[str, Any]:
        return await homework_answer(pupil, args, today)


class BehaviourTool(SchoolTool):
    """How many points did Ben get this week?"""

    name = f"{DOMAIN}__behaviour"
    title = "Get a pupil's behaviour points"
    description = (
        "Behaviour points from ClassCharts in a range of dates (default "
        "today): positive, negative and net, and how many of each reason. Use "
        "it for questions like 'How many points did Ben get this week?'. "
        "Costs 1 request to ClassCharts, and 2 more to log in."
    )
    extra: ClassVar[dict[Any, Any]] = {
        vol.Optional("start_date", description=DAY_HELP): cv.string,
        vol.Optional("end_date", description=DAY_HELP): cv.string,
    }

    @override
    async def answer(
        self, pupil: SchoolPupil, args: dict[str, Any], today: date
    ) -> dict[str, Any]:
        return await behaviour_answer(pupil, args, today)


@callback
def async_get_tools(
    hass: HomeAssistant, llm_context: LLMContext, api_id: str
) -> LLMTools | None:
    """The tools for Assist, when a pupil is exposed to the asking assistant."""
    assistant = _assistant(llm_context)
    if api_id != LLM_API_ASSIST or not assistant:
        return None
    pupils = exposed_pupils(hass, assistant)
    if not pupils:
        return None
    names = sorted({p.name for p in pupils} | {p.first_name for p in pupils})
    return LLMTools(
        tools=[SchoolDayTool(names), HomeworkTool(names), BehaviourTool(names)]
    )
