// The ClassCharts school-day card, its visual editor and the "family" dashboard
// strategy. Plain JavaScript that runs as shipped: no build, no download.
//
// It reads only what Home Assistant already holds (entity states, the timetable
// calendar's events and the homework to-do items), so it costs ClassCharts no
// request. The integration registers this file itself (card.py).

const DOMAIN = "classcharts_hass";
const CARD = "classcharts-card";
const EDITOR = "classcharts-card-editor";
const SECTIONS = ["now", "timeline", "homework", "points", "detention", "tomorrow"];
// todo.TodoListEntityFeature.UPDATE_TODO_ITEM: a student's list can be ticked.
const TODO_UPDATE = 4;
// How often "time left" is worked out again (the bell itself comes from Home Assistant).
const TICK_MS = 20_000;

// Every text the card shows; more languages add a table of the same keys.
const TEXTS = {
  en: {
    name: "ClassCharts school day",
    description: "A pupil's day at a glance: lessons, homework, points, detentions.",
    pick_pupil: "Choose a pupil in the card's editor.",
    no_pupil: "This pupil is not in ClassCharts any more.",
    now: "Now",
    next: "Next",
    between: "Between lessons",
    left: "{n} min left",
    room: "Room {room}",
    at: "at {time}",
    school_over: "School is over for today.",
    no_school: "No school today.",
    weekend: "It's the weekend.",
    holiday: "No lessons today: a holiday or a day off.",
    back_on: "Back to school {day} at {time}.",
    back_unknown: "No lessons in the next 7 days.",
    today: "Today's lessons",
    cancelled: "cancelled",
    room_changed: "room changed from {old}",
    teacher_changed: "teacher changed from {old}",
    time_changed: "moved from {old}",
    added: "added",
    homework: "Homework",
    overdue: "Overdue",
    due_today: "Due today",
    tomorrow: "Due tomorrow",
    this_week: "Due this week",
    no_homework: "Nothing due this week.",
    tick: "Mark {title} as done",
    points: "Points today",
    positive: "positive",
    negative: "negative",
    detention: "Next detention",
    no_detention: "No detention pending.",
    school_tomorrow: "Tomorrow",
    tomorrow_yes: "School tomorrow, first lesson at {time}.",
    tomorrow_yes_plain: "School tomorrow.",
    tomorrow_no: "No school tomorrow.",
    editor_pupil: "Pupil",
    editor_sections: "Sections",
    section_now: "Now and next",
    section_timeline: "Today's lessons",
    section_homework: "Homework",
    section_points: "Points today",
    section_detention: "Next detention",
    section_tomorrow: "School tomorrow",
    family: "Family",
  },
};

function texts(hass) {
  const language = hass?.locale?.language ?? hass?.language ?? "en";
  return TEXTS[language] ?? TEXTS[language.split("-")[0]] ?? TEXTS.en;
}

function say(hass, key, values = {}) {
  const text = texts(hass)[key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

function escape(value) {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

// The pupil's entities by "domain.translation_key" (names and ids may be renamed).
function pupilEntities(hass, deviceId) {
  const found = {};
  for (const entry of Object.values(hass?.entities ?? {})) {
    if (entry.device_id !== deviceId || entry.platform !== DOMAIN) continue;
    if (!entry.translation_key) continue;
    found[`${entry.entity_id.split(".")[0]}.${entry.translation_key}`] = entry.entity_id;
  }
  return found;
}

function pupilDevices(hass) {
  const devices = new Set();
  for (const entry of Object.values(hass?.entities ?? {})) {
    if (entry.platform === DOMAIN && entry.device_id) devices.add(entry.device_id);
  }
  return [...devices].sort((a, b) =>
    (hass.devices?.[a]?.name ?? a).localeCompare(hass.devices?.[b]?.name ?? b),
  );
}

// A state the card may show: present and neither unavailable nor unknown.
function usable(state) {
  return state !== undefined && state.state !== "unavailable" && state.state !== "unknown";
}

function present(state) {
  return state !== undefined && state.state !== "unavailable";
}

function localDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(date, days) {
  const copy = new Date(date);
  copy.setDate(copy.getDate() + days);
  return copy;
}

function timeOf(hass, iso) {
  return new Date(iso).toLocaleTimeString(hass?.locale?.language ?? "en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: hass?.config?.time_zone,
  });
}

function dayOf(hass, date) {
  return date.toLocaleDateString(hass?.locale?.language ?? "en-GB", {
    weekday: "long",
    day: "numeric",
    month: "short",
    timeZone: hass?.config?.time_zone,
  });
}

const STYLE = `
  ha-card { padding: 12px 16px 16px; }
  h2 { margin: 0 0 8px; font-size: 1.2em; font-weight: 500; color: var(--primary-text-color); }
  h3 { margin: 12px 0 4px; font-size: 0.95em; font-weight: 500; color: var(--secondary-text-color); }
  section { border-top: 1px solid var(--divider-color); padding-top: 4px; margin-top: 8px; }
  section:first-of-type { border-top: none; margin-top: 0; }
  .line { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; color: var(--primary-text-color); }
  .label { color: var(--secondary-text-color); min-width: 3.2em; }
  .big { font-size: 1.25em; font-weight: 500; }
  .muted { color: var(--secondary-text-color); }
  .plain { font-size: 1.1em; color: var(--primary-text-color); margin: 4px 0; }
  ol { list-style: none; margin: 0; padding: 0; }
  ol li { display: grid; grid-template-columns: 3.4em 1fr; gap: 2px 8px; padding: 3px 0; color: var(--primary-text-color); }
  ol li.current { font-weight: 600; color: var(--primary-color); }
  ol li.past { color: var(--secondary-text-color); }
  ol li.cancelled .what { text-decoration: line-through; }
  /* inline-block: a cancelled lesson's line-through does not cross out its note */
  .change { display: inline-block; color: var(--warning-color, #b26a00); font-size: 0.9em; }
  ul { list-style: none; margin: 0; padding: 0; }
  ul li { display: flex; gap: 8px; align-items: center; padding: 2px 0; color: var(--primary-text-color); }
  ul li.overdue { color: var(--error-color, #b00020); }
  input[type=checkbox] { width: 20px; height: 20px; margin: 0; accent-color: var(--primary-color); flex: none; }
  .points { display: flex; gap: 16px; font-size: 1.2em; }
  .positive { color: var(--success-color, #2e7d32); }
  .negative { color: var(--error-color, #b00020); }
`;

// The elements are made (and "extends HTMLElement" read) only when the frontend's
// registry is in place: see the registration at the end of this file.
function defineElements() {
  class ClassChartsCard extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: "open" });
      this._events = { key: "", lessons: [] };
      this._todo = { key: "", items: [] };
      // Homework whose tick is on its way: drawn ticked and locked, so a redraw
      // meanwhile (its timer, any state change) neither unticks the
      // box nor lets it be ticked twice.
      this._ticking = new Set();
      this._drawn = "";
    }

    static getConfigElement() {
      return document.createElement(EDITOR);
    }

    static getStubConfig(hass) {
      return { device_id: pupilDevices(hass)[0] ?? "", sections: [...SECTIONS] };
    }

    setConfig(config) {
      if (!config || typeof config !== "object") throw new Error("Invalid configuration");
      this._config = { sections: [...SECTIONS], ...config };
      this._drawn = "";
      this._render();
    }

    set hass(hass) {
      this._hass = hass;
      this._render();
    }

    getCardSize() {
      return 8;
    }

    getGridOptions() {
      return { columns: 12, min_columns: 6 };
    }

    connectedCallback() {
      this._timer = setInterval(() => this._render(), TICK_MS);
      this._render();
    }

    disconnectedCallback() {
      clearInterval(this._timer);
    }

    _entity(key) {
      const id = this._ids?.[key];
      return id ? this._hass.states[id] : undefined;
    }

    _render() {
      const hass = this._hass;
      if (!hass || !this._config) return;
      this._ids = pupilEntities(hass, this._config.device_id);
      const now = new Date();
      this._loadLessons(now);
      this._loadHomework();
      const html = this._html(now);
      if (html === this._drawn) return; // nothing changed: keep the DOM (and focus)
      this._drawn = html;
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><ha-card>${html}</ha-card>`;
      for (const box of this.shadowRoot.querySelectorAll("input[data-uid]")) {
        box.addEventListener("change", () => this._tick(box));
      }
    }

    _html(now) {
      const hass = this._hass;
      if (!this._config.device_id) return `<p class="plain">${escape(say(hass, "pick_pupil"))}</p>`;
      const device = hass.devices?.[this._config.device_id];
      if (!device || Object.keys(this._ids).length === 0) {
        return `<p class="plain">${escape(say(hass, "no_pupil"))}</p>`;
      }
      const title = this._config.title ?? device.name_by_user ?? device.name;
      const parts = [`<h2>${escape(title)}</h2>`];
      const builders = {
        now: () => this._nowHtml(now),
        timeline: () => this._timelineHtml(now),
        homework: () => this._homeworkHtml(now),
        points: () => this._pointsHtml(),
        detention: () => this._detentionHtml(),
        tomorrow: () => this._tomorrowHtml(now),
      };
      for (const name of SECTIONS) {
        if (!this._config.sections.includes(name)) continue;
        const body = builders[name]();
        if (body) parts.push(`<section class="section-${name}">${body}</section>`);
      }
      return parts.join("");
    }

    // ---- now and next ---------------------------------------------------------

    _nowHtml(now) {
      const hass = this._hass;
      const current = this._entity("sensor.current_lesson");
      const next = this._entity("sensor.next_lesson");
      const dayStart = this._entity("sensor.school_day_start");
      if (!present(current) || !present(next) || !present(dayStart)) return "";
      if (!usable(dayStart)) return this._noSchoolHtml(now);
      const lines = [];
      if (usable(current)) {
        const left = Math.max(0, Math.ceil((new Date(current.attributes.end) - now) / 60_000));
        lines.push(
          this._lessonLine("now", current, [say(hass, "left", { n: left })]),
        );
      } else if (usable(next) && localDay(new Date(next.attributes.start)) === localDay(now)) {
        lines.push(`<div class="line muted">${escape(say(hass, "between"))}</div>`);
      } else {
        lines.push(`<p class="plain">${escape(say(hass, "school_over"))}</p>`);
      }
      if (usable(next)) {
        const start = new Date(next.attributes.start);
        const when =
          localDay(start) === localDay(now)
            ? timeOf(hass, next.attributes.start)
            : `${dayOf(hass, start)} ${timeOf(hass, next.attributes.start)}`;
        lines.push(this._lessonLine("next", next, [say(hass, "at", { time: when })]));
      }
      return lines.join("");
    }

    _lessonLine(label, state, extra) {
      const hass = this._hass;
      const bits = [...extra];
      if (state.attributes.room) bits.push(say(hass, "room", { room: state.attributes.room }));
      return (
        `<div class="line ${label}"><span class="label">${escape(say(hass, label))}</span>` +
        `<span class="big">${escape(state.state)}</span>` +
        bits.map((b) => `<span class="muted">${escape(b)}</span>`).join("") +
        `</div>`
      );
    }

    _noSchoolHtml(now) {
      const hass = this._hass;
      const weekend = now.getDay() === 0 || now.getDay() === 6;
      const lines = [
        `<p class="plain big">${escape(say(hass, "no_school"))}</p>`,
        `<p class="plain">${escape(say(hass, weekend ? "weekend" : "holiday"))}</p>`,
      ];
      const start = this._entity("sensor.next_school_day_start");
      if (usable(start)) {
        const day = new Date(start.state);
        lines.push(
          `<p class="plain back">${escape(
            say(hass, "back_on", { day: dayOf(hass, day), time: timeOf(hass, start.state) }),
          )}</p>`,
        );
      } else if (present(start)) {
        lines.push(`<p class="plain back">${escape(say(hass, "back_unknown"))}</p>`);
      }
      return lines.join("");
    }

    // ---- today's lessons, from the timetable calendar ------------------------

    _loadLessons(now) {
      const calendar = this._ids["calendar.timetable"];
      const change = this._entity("event.timetable_change");
      const state = calendar && this._hass.states[calendar];
      if (!present(state)) return;
      // Today's lessons are read once a day by the integration, so asking the
      // calendar for them costs ClassCharts nothing; ask again on a new day or a change.
      const key = `${calendar}|${localDay(now)}|${change?.state ?? ""}`;
      if (key === this._events.key) return;
      this._events = { ...this._events, key };
      const start = new Date(now);
      start.setHours(0, 0, 0, 0);
      const end = addDays(start, 1);
      const path = `calendars/${calendar}?start=${encodeURIComponent(start.toISOString())}&end=${encodeURIComponent(end.toISOString())}`;
      Promise.all([
        this._hass.callApi("GET", path),
        this._changesSince(addDays(start, -1), change?.entity_id),
      ]).then(
        ([events, changes]) => {
          if (this._events.key !== key) return;
          this._events = { key, lessons: events, changes, loaded: true };
          this._render();
        },
        () => {
          if (this._events.key !== key) return;
          this._events = { key, lessons: [], changes: [], loaded: false };
          this._render();
        },
      );
    }

    // Every "Timetable change" the event entity fired since ``since``, oldest first,
    // from Home Assistant's history (the entity itself keeps only the latest).
    // Today's lessons are compared from the day before, so that is where to start.
    // Without the history (no recorder) the entity's latest change is all there is.
    async _changesSince(since, entityId) {
      if (!entityId) return [];
      try {
        const history = await this._hass.connection.sendMessagePromise({
          type: "history/history_during_period",
          start_time: since.toISOString(),
          entity_ids: [entityId],
          minimal_response: false,
          no_attributes: false,
          significant_changes_only: false,
        });
        return (history[entityId] ?? []).map((s) => ({ state: s.s, ...s.a }));
      } catch {
        return [];
      }
    }

    _timelineHtml(now) {
      const hass = this._hass;
      if (!present(this._entity("calendar.timetable")) || !this._events.loaded) return "";
      const today = localDay(now);
      const rows = this._events.lessons
        .filter((e) => e.start?.dateTime && localDay(new Date(e.start.dateTime)) === today)
        .map((e) => ({
          start: e.start.dateTime,
          end: e.end.dateTime,
          subject: e.summary,
          room: e.location ?? "",
          notes: new Map(),
          cancelled: false,
        }));
      // Every change of today's lessons; the entity's own state as well, which the
      // recorder may not have written yet. One note per lesson and kind, saying
      // what it was before the first change (what the morning's timetable said).
      const change = this._entity("event.timetable_change");
      const changes = [...(this._events.changes ?? [])];
      if (usable(change) && !changes.some((c) => c.state === change.state)) {
        changes.push({ state: change.state, ...change.attributes });
      }
      for (const c of changes) {
        if (!c.event_type || c.date !== today || !c.start) continue;
        let row = rows.find(
          (r) => new Date(r.start).getTime() === new Date(c.start).getTime() && r.subject === c.lesson,
        );
        if (c.event_type === "cancelled") {
          if (row) continue; // on again since: the calendar has it
          row = { start: c.start, end: c.end, subject: c.lesson, room: c.room ?? "", notes: new Map(), cancelled: true };
          rows.push(row);
        }
        const note = this._changeNote(c);
        if (row && note && !row.notes.has(c.event_type)) row.notes.set(c.event_type, note);
      }
      if (rows.length === 0) return "";
      rows.sort((x, y) => new Date(x.start) - new Date(y.start));
      const items = rows.map((r) => {
        const state =
          r.cancelled ? "cancelled" : new Date(r.end) <= now ? "past" : new Date(r.start) <= now ? "current" : "";
        const room = r.room ? ` · ${escape(r.room)}` : "";
        const notes = r.notes.size ? ` <span class="change">${escape([...r.notes.values()].join("; "))}</span>` : "";
        return `<li class="${state}"><span>${escape(timeOf(hass, r.start))}</span><span class="what">${escape(r.subject)}${room}${notes}</span></li>`;
      });
      return `<h3>${escape(say(hass, "today"))}</h3><ol>${items.join("")}</ol>`;
    }

    _changeNote(change) {
      const hass = this._hass;
      switch (change.event_type) {
        case "room_changed":
          return say(hass, "room_changed", { old: change.old });
        case "teacher_changed":
          return say(hass, "teacher_changed", { old: change.old });
        case "time_changed":
          return say(hass, "time_changed", { old: change.old ? timeOf(hass, change.old) : "" });
        case "cancelled":
          return say(hass, "cancelled");
        case "added":
          return say(hass, "added");
        default:
          return null; // a kind this card does not know yet
      }
    }

    // ---- homework, from the to-do list ---------------------------------------

    // The list again when the entity changed, or (``force``) after a tick;
    // resolves once drawn.
    _loadHomework(force = false) {
      const todo = this._ids["todo.homework"];
      const state = todo && this._hass.states[todo];
      if (!present(state)) return Promise.resolve();
      const key = `${todo}|${state.state}|${state.last_updated}`;
      if (key === this._todo.key && !force) return Promise.resolve();
      this._todo = { ...this._todo, key };
      return this._hass.connection
        .sendMessagePromise({ type: "todo/item/list", entity_id: todo })
        .then(
          (result) => {
            if (this._todo.key !== key) return;
            this._todo = { key, items: result.items ?? [], loaded: true };
            this._render();
          },
          () => {
            if (this._todo.key !== key) return;
            this._todo = { key, items: [], loaded: false };
            this._render();
          },
        );
    }

    _homeworkHtml(now) {
      const hass = this._hass;
      const todo = this._entity("todo.homework");
      if (!present(todo) || !this._todo.loaded) return "";
      const canTick = ((todo.attributes.supported_features ?? 0) & TODO_UPDATE) !== 0;
      const today = localDay(now);
      const tomorrow = localDay(addDays(now, 1));
      // "This week" runs to Sunday, as the integration's sensor counts it.
      const sunday = localDay(addDays(now, (7 - now.getDay()) % 7));
      const groups = { overdue: [], due_today: [], tomorrow: [], this_week: [] };
      for (const item of this._todo.items) {
        if (item.status !== "needs_action" || !item.due) continue;
        const due = item.due.slice(0, 10);
        if (due < today) groups.overdue.push(item);
        else if (due === today) groups.due_today.push(item);
        else if (due === tomorrow) groups.tomorrow.push(item);
        else if (due <= sunday) groups.this_week.push(item);
      }
      const parts = [`<h3>${escape(say(hass, "homework"))}</h3>`];
      let any = false;
      for (const [name, items] of Object.entries(groups)) {
        if (items.length === 0) continue;
        any = true;
        parts.push(`<div class="label ${name}">${escape(say(hass, name))} (${items.length})</div><ul>`);
        for (const item of items) {
          const sending = this._ticking.has(item.uid) ? " checked disabled" : "";
          const box = canTick
            ? `<input type="checkbox" data-uid="${escape(item.uid)}" aria-label="${escape(say(hass, "tick", { title: item.summary }))}"${sending}>`
            : "";
          parts.push(`<li class="${name}">${box}<span>${escape(item.summary)}</span></li>`);
        }
        parts.push("</ul>");
      }
      if (!any) parts.push(`<p class="plain muted">${escape(say(hass, "no_homework"))}</p>`);
      return parts.join("");
    }

    // Home Assistant's frontend shows a failed action's message itself; the box
    // then shows the homework as the list has it, after the list is read again.
    _tick(box) {
      const uid = box.dataset.uid;
      this._ticking.add(uid);
      box.disabled = true;
      this._hass
        .callService("todo", "update_item", { item: uid, status: "completed" }, {
          entity_id: this._ids["todo.homework"],
        })
        .then(
          () => this._loadHomework(true),
          () => undefined,
        )
        .finally(() => {
          this._ticking.delete(uid);
          this._drawn = "";
          this._render();
        });
    }

    // ---- points, detention, tomorrow -----------------------------------------

    _pointsHtml() {
      const hass = this._hass;
      const positive = this._entity("sensor.positive_points_today");
      const negative = this._entity("sensor.negative_points_today");
      if (!usable(positive) || !usable(negative)) return "";
      return (
        `<h3>${escape(say(hass, "points"))}</h3><div class="points">` +
        this._count(positive.state, "+", "positive") +
        this._count(negative.state, "−", "negative") +
        "</div>"
      );
    }

    // A count in its colour with its sign; none at all is plain grey, not an alarm.
    _count(value, sign, kind) {
      const none = value === "0";
      const text = `${none ? "" : sign}${value} ${say(this._hass, kind)}`;
      return `<span class="${none ? "muted" : kind}">${escape(text)}</span>`;
    }

    _detentionHtml() {
      const hass = this._hass;
      const next = this._entity("sensor.next_detention");
      if (!present(next)) return "";
      if (!usable(next)) {
        return `<h3>${escape(say(hass, "detention"))}</h3><p class="plain muted">${escape(say(hass, "no_detention"))}</p>`;
      }
      const when = `${dayOf(hass, new Date(next.state))} ${timeOf(hass, next.state)}`;
      const where = next.attributes.location ? ` · ${next.attributes.location}` : "";
      return `<h3>${escape(say(hass, "detention"))}</h3><p class="plain">${escape(when + where)}</p>`;
    }

    _tomorrowHtml(now) {
      const hass = this._hass;
      const tomorrow = this._entity("binary_sensor.school_tomorrow");
      if (!usable(tomorrow)) return "";
      let text = say(hass, "tomorrow_no");
      if (tomorrow.state === "on") {
        const day = this._entity("sensor.next_school_day");
        const start = this._entity("sensor.next_school_day_start");
        const known = usable(day) && usable(start) && day.state === localDay(addDays(now, 1));
        text = known
          ? say(hass, "tomorrow_yes", { time: timeOf(hass, start.state) })
          : say(hass, "tomorrow_yes_plain");
      }
      return `<h3>${escape(say(hass, "school_tomorrow"))}</h3><p class="plain">${escape(text)}</p>`;
    }
  }

  // The visual editor: the pupil (a device of this integration) and the sections.
  class ClassChartsCardEditor extends HTMLElement {
    setConfig(config) {
      this._config = { sections: [...SECTIONS], ...config };
      this._draw();
    }

    set hass(hass) {
      this._hass = hass;
      this._draw();
    }

    async _draw() {
      if (!this._hass || !this._config) return;
      if (!customElements.get("ha-form")) {
        // ha-form is loaded with Home Assistant's own card editors: load one.
        const helpers = await window.loadCardHelpers?.();
        const entities = helpers && (await helpers.createCardElement({ type: "entities", entities: [] }));
        await entities?.constructor?.getConfigElement?.();
      }
      if (!this._form) {
        this._form = document.createElement("ha-form");
        this._form.computeLabel = (field) => say(this._hass, `editor_${field.name === "device_id" ? "pupil" : "sections"}`);
        this._form.addEventListener("value-changed", (ev) => {
          this._config = { ...this._config, ...ev.detail.value };
          this.dispatchEvent(
            new CustomEvent("config-changed", { detail: { config: this._config }, bubbles: true, composed: true }),
          );
        });
        this.appendChild(this._form);
      }
      this._form.hass = this._hass;
      this._form.schema = [
        { name: "device_id", required: true, selector: { device: { integration: DOMAIN } } },
        {
          name: "sections",
          selector: {
            select: {
              multiple: true,
              mode: "list",
              options: SECTIONS.map((s) => ({ value: s, label: say(this._hass, `section_${s}`) })),
            },
          },
        },
      ];
      this._form.data = { device_id: this._config.device_id ?? "", sections: this._config.sections };
    }
  }

  // The "family" dashboard: one card per pupil, found when the dashboard opens,
  // so a child added to the account later appears without editing anything.
  class ClassChartsFamilyStrategy extends HTMLElement {
    static async generate(config, hass) {
      const cards = pupilDevices(hass).map((device_id) => ({
        type: `custom:${CARD}`,
        device_id,
      }));
      return {
        title: say(hass, "family"),
        views: [{ title: say(hass, "family"), path: "family", type: "masonry", cards }],
      };
    }
  }

  const registry = window.customElements;
  if (registry.get(CARD)) return; // imported twice (say, also added as a resource)
  registry.define(CARD, ClassChartsCard);
  registry.define(EDITOR, ClassChartsCardEditor);
  registry.define("ll-strategy-dashboard-classcharts-family", ClassChartsFamilyStrategy);
  window.customCards = window.customCards ?? [];
  window.customCards.push({
    type: CARD,
    name: TEXTS.en.name,
    description: TEXTS.en.description,
    preview: true,
    documentationURL: "https://github.com/classcharts-ha/classcharts-homeassistant#the-school-day-card",
  });
}

// Home Assistant's app bundle swaps window.customElements for a scoped-registry
// polyfill, and window.HTMLElement for its shim, while it boots. The frontend imports
// this file beside that bundle (index.html's extra modules), and now and then this
// file runs first: elements defined then land in the browser's own registry, which
// the frontend no longer reads, and the card never draws until a reload. The app
// defines <home-assistant> after the swap, so once it is defined (in either registry),
// window.customElements and HTMLElement are the ones the frontend uses.
window.customElements.whenDefined("home-assistant").then(defineElements);
