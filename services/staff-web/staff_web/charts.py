"""Bar charts drawn on the server as SVG: printable, no JavaScript, readable by screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f4e79", "#b35c00", "#2e7d32", "#7b1fa2", "#c62828", "#00695c", "#5d4037")


@dataclass(frozen=True)
class Series:
    """One coloured part of each bar (e.g. a letter kind)."""

    label: str
    values: Sequence[int | None]


def stacked_bars(title: str, periods: Sequence[str], series: Sequence[Series],
                 width: int = 640, height: int = 260) -> str:
    """A stacked bar per period with a legend; the <title> names the chart."""
    left, bottom, top = 40, 40, 10
    totals = [sum(s.values[i] for s in series) for i in range(len(periods))]
    peak = max(totals, default=0) or 1
    plot_height = height - bottom - top
    slot = (width - left - 10) / max(len(periods), 1)
    bar = max(4.0, slot * 0.6)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
             f'{height + 20 * len(series)}" role="img" class="chart">'
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 10}" '
             f'y2="{top + plot_height}" stroke="#333"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11">{peak}</text>',
             f'<text x="{left - 6}" y="{top + plot_height}" text-anchor="end" '
             f'font-size="11">0</text>']
    for index, period in enumerate(periods):
        x = left + index * slot + (slot - bar) / 2
        y = top + plot_height
        for number, part in enumerate(series):
            value = part.values[index]
            if not value:
                continue
            h = plot_height * value / peak
            y -= h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[number % len(PALETTE)]}">'
                         f"<title>{escape(period)}: {escape(part.label)} {value}</title></rect>")
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_height + 14}" '
                     f'text-anchor="middle" font-size="10">{escape(period)}</text>')
    for number, part in enumerate(series):
        y = height + 20 * number
        parts.append(f'<rect x="{left}" y="{y}" width="12" height="12" '
                     f'fill="{PALETTE[number % len(PALETTE)]}"/>'
                     f'<text x="{left + 18}" y="{y + 11}" font-size="12">'
                     f"{escape(part.label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def grouped_bars(title: str, periods: Sequence[str], series: Sequence[Series],
                 peak: int = 100, width: int = 640, height: int = 260) -> str:
    """Bars side by side per period, one per series, on a fixed scale (e.g. percent)."""
    left, bottom, top = 40, 40, 10
    plot_height = height - bottom - top
    slot = (width - left - 10) / max(len(periods), 1)
    bar = max(3.0, slot * 0.8 / max(len(series), 1))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
             f'{height + 20 * len(series)}" role="img" class="chart">'
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 10}" '
             f'y2="{top + plot_height}" stroke="#333"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11">{peak}</text>',
             f'<text x="{left - 6}" y="{top + plot_height}" text-anchor="end" '
             f'font-size="11">0</text>']
    for index, period in enumerate(periods):
        start = left + index * slot + slot * 0.1
        for number, part in enumerate(series):
            value = part.values[index]
            if value is None:
                continue
            h = plot_height * min(value, peak) / peak
            x = start + number * bar
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_height - h:.1f}" '
                         f'width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[number % len(PALETTE)]}">'
                         f"<title>{escape(period)}: {escape(part.label)} {value}</title></rect>")
        parts.append(f'<text x="{left + index * slot + slot / 2:.1f}" '
                     f'y="{top + plot_height + 14}" text-anchor="middle" font-size="10">'
                     f"{escape(period)}</text>")
    for number, part in enumerate(series):
        y = height + 20 * number
        parts.append(f'<rect x="{left}" y="{y}" width="12" height="12" '
                     f'fill="{PALETTE[number % len(PALETTE)]}"/>'
                     f'<text x="{left + 18}" y="{y + 11}" font-size="12">'
                     f"{escape(part.label)}</text>")
    parts.append("</svg>")
    return "".join(parts)
