"""A bar chart of hits by day, drawn on the server as SVG (no script needed)."""

from dataclasses import dataclass

WIDTH = 800
HEIGHT = 200


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


def daily_bars(series):
    """Bars for [(day, hits)], scaled to the tallest; each bar's label is its value."""
    if not series:
        return []
    tallest = max(hits for _day, hits in series) or 1
    slot = WIDTH / len(series)
    bars = []
    for index, (day, hits) in enumerate(series):
        height = HEIGHT * hits / tallest
        bars.append(
            Bar(
                x=round(index * slot, 2),
                y=round(HEIGHT - height, 2),
                width=round(max(slot * 0.8, 0.5), 2),
                height=round(height, 2),
                label=f"{day.isoformat()}: {hits}",
            )
        )
    return bars
