"""Bar charts drawn on the server as SVG: printable, no JavaScript, readable by screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f4e79", "#b35c00", "#2e7d32", "#7b1fa2", "#c62828", "#00695c", "#5d4037")
LEFT, BOTTOM, TOP = 40, 40, 10  # the plot's margins


@dataclass(frozen=True)
class Series:
    """One coloured part of each bar (e.g. a letter kind)."""

    label: str
    values: Sequence[int | None]


@dataclass(frozen=True)
class Chart:
    """A bar chart: its title (the picture's <title>), a bar or a group of bars per period,
    a coloured part per series with a legend below, and its size."""

    title: str
    periods: Sequence[str]
    series: Sequence[Series]
    width: int = 640
    height: int = 260

    def stacked(self) -> str:
        """A stacked bar per period, on the scale of the highest bar."""
        totals = [sum(s.values[i] or 0 for s in self.series) for i in range(len(self.periods))]
        peak = max(totals, default=0) or 1
        slot, plot_height = self._slot, self._plot_height
        bar = max(4.0, slot * 0.6)
        parts = self._frame(peak)
        for index, period in enumerate(self.periods):
            x = LEFT + index * slot + (slot - bar) / 2
            y = float(TOP + plot_height)
            for number, part in enumerate(self.series):
                value = part.values[index]
                if not value:
                    continue
                h = plot_height * value / peak
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[number % len(PALETTE)]}">'
                    f"<title>{escape(period)}: {escape(part.label)} {value}</title></rect>"
                )
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_height + 14}" '
                f'text-anchor="middle" font-size="10">{escape(period)}</text>'
            )
        return self._drawn(parts)

    def grouped(self, peak: int = 100) -> str:
        """Bars side by side per period, one per series, on a fixed scale (e.g. percent)."""
        slot, plot_height = self._slot, self._plot_height
        bar = max(3.0, slot * 0.8 / max(len(self.series), 1))
        parts = self._frame(peak)
        for index, period in enumerate(self.periods):
            start = LEFT + index * slot + slot * 0.1
            for number, part in enumerate(self.series):
                value = part.values[index]
                if value is None:
                    continue
                h = plot_height * min(value, peak) / peak
                x = start + number * bar
                parts.append(
                    f'<rect x="{x:.1f}" y="{TOP + plot_height - h:.1f}" '
                    f'width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[number % len(PALETTE)]}">'
                    f"<title>{escape(period)}: {escape(part.label)} {value}</title></rect>"
                )
            parts.append(
                f'<text x="{LEFT + index * slot + slot / 2:.1f}" '
                f'y="{TOP + plot_height + 14}" text-anchor="middle" font-size="10">'
                f"{escape(period)}</text>"
            )
        return self._drawn(parts)

    @property
    def _plot_height(self) -> int:
        return self.height - BOTTOM - TOP

    @property
    def _slot(self) -> float:
        """The width each period's bars stand in."""
        return (self.width - LEFT - 10) / max(len(self.periods), 1)

    def _frame(self, peak: int) -> list[str]:
        """The picture's opening, named by the title, with the base line and the scale's
        ends; room below for the legend."""
        base = self.height - BOTTOM
        return [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} '
            f'{self.height + 20 * len(self.series)}" role="img" class="chart">'
            f"<title>{escape(self.title)}</title>",
            f'<line x1="{LEFT}" y1="{base}" x2="{self.width - 10}" y2="{base}" stroke="#333"/>',
            f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="11">{peak}</text>',
            f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" font-size="11">0</text>',
        ]

    def _drawn(self, parts: list[str]) -> str:
        """The bars' ``parts``, then a coloured square and the label of each series, one a
        line below the plot."""
        legend = [
            f'<rect x="{LEFT}" y="{self.height + 20 * number}" width="12" height="12" '
            f'fill="{PALETTE[number % len(PALETTE)]}"/>'
            f'<text x="{LEFT + 18}" y="{self.height + 20 * number + 11}" font-size="12">'
            f"{escape(part.label)}</text>"
            for number, part in enumerate(self.series)
        ]
        return "".join([*parts, *legend, "</svg>"])
