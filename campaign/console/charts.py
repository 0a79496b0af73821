"""Small server-side SVG charts: no script, no style attribute, readable with JavaScript off.

Each chart is an ``<svg role="img">`` with a title; the page puts the same figures in a table
beneath it, which is what screen readers and copy-paste use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

#: In the SVG's own units: a chart is drawn narrow so that, scaled to a phone or half a desktop, its text stays readable.
BAR_HEIGHT = 20
LABEL_WIDTH = 150
CHART_WIDTH = 420


def _number(value: int) -> str:
    return f"{value:,}"


def horizontal_bars(title: str, items: Sequence[tuple[str, int]], *, chart_id: str) -> Markup:
    """One bar per item, longest first as given; labels left, values at the bar's end."""
    rows = list(items)
    height = max(1, len(rows)) * (BAR_HEIGHT + 6) + 10
    largest = max((value for _label, value in rows), default=0) or 1
    space = CHART_WIDTH - LABEL_WIDTH - 50
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    if not rows:
        empty = escape(_("No actions yet"))
        parts.append(f'<text class="chart__empty" x="0" y="20">{empty}</text>')
    for index, (label, value) in enumerate(rows):
        y = 5 + index * (BAR_HEIGHT + 6)
        width = round(space * value / largest)
        short = label if len(label) <= 19 else label[:18] + "…"
        parts.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(short)}</text>'
            f'<rect class="chart__bar" x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" height="{BAR_HEIGHT}"></rect>'
            f'<text class="chart__value" x="{LABEL_WIDTH + max(width, 1) + 6}" y="{y + 15}">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text is escaped above)


def daily_columns(title: str, series: Sequence[tuple[date, int]], *, chart_id: str) -> Markup:
    """One column per day, with the first, middle and last dates under the axis."""
    points = list(series)
    height, top, bottom, left = 180, 16, 28, 40
    plot_height = height - top - bottom
    plot_width = CHART_WIDTH - left - 10
    largest = max((value for _day, value in points), default=0) or 1
    step = plot_width / max(1, len(points))
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<line class="chart__axis" x1="{left}" y1="{top + plot_height}" x2="{CHART_WIDTH - 10}" y2="{top + plot_height}"></line>',
        f'<text class="chart__value" x="{left - 6}" y="{top + 4}" text-anchor="end">{_number(largest)}</text>',
        f'<text class="chart__value" x="{left - 6}" y="{top + plot_height}" text-anchor="end">0</text>',
    ]
    for index, (day, value) in enumerate(points):
        column = round(plot_height * value / largest)
        x = left + index * step + 1
        parts.append(
            f'<rect class="chart__bar" x="{x:.1f}" y="{top + plot_height - column}" width="{max(step - 2, 1):.1f}" '
            f'height="{column}"><title>{day.isoformat()}: {_number(value)}</title></rect>'
        )
    for index in sorted({0, len(points) // 2, len(points) - 1}):
        if 0 <= index < len(points):
            x = left + index * step + step / 2
            anchor = "end" if index == len(points) - 1 and index else "middle"
            parts.append(
                f'<text class="chart__label" x="{x:.1f}" y="{height - 8}" text-anchor="{anchor}">'
                f"{points[index][0].strftime('%d %b')}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text is escaped above)


def progress_bar(title: str, part: int, whole: int | None, *, chart_id: str) -> Markup:
    """Progress towards the goal as one bar; nothing when there is no goal."""
    if not whole:
        return Markup("")
    share = min(1.0, part / whole)
    width = round((CHART_WIDTH - 2) * share)
    return Markup(  # noqa: S704 (the title is escaped; the rest are numbers)
        f'<svg class="chart chart--progress" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {CHART_WIDTH} 28" width="100%" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<rect class="chart__track" x="1" y="1" width="{CHART_WIDTH - 2}" height="26"></rect>'
        f'<rect class="chart__bar" x="1" y="1" width="{width}" height="26"></rect></svg>'
    )


def dashboard_charts(dashboard, prefix: str) -> dict[str, Markup]:
    """A dashboard's four charts: per day, by type, by country and by target (or by case, for every case)."""
    return {
        "per_day": daily_columns(_("Actions per day, last 30 days"), dashboard.per_day, chart_id=f"{prefix}-per-day"),
        "by_type": horizontal_bars(_("Actions by type"), list(dashboard.by_type.items()), chart_id=f"{prefix}-by-type"),
        "by_country": horizontal_bars(
            _("Actions by country"), list(dashboard.by_country.items())[:15], chart_id=f"{prefix}-by-country"
        ),
        "by_target": horizontal_bars(
            _("Actions by target") if prefix == "case" else _("Actions by case"),
            dashboard.by_target[:15],
            chart_id=f"{prefix}-by-target",
        ),
    }
