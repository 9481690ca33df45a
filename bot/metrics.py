"""Process-wide counters and histograms, exposed in Prometheus text format by the health server.

Labels carry reason codes, platforms and outcomes, never message text.
"""

from __future__ import annotations

import threading
from collections import defaultdict

_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
LabelKey = tuple[tuple[str, str], ...]


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, dict[LabelKey, float]] = defaultdict(lambda: defaultdict(float))
        self._gauges: dict[str, dict[LabelKey, float]] = defaultdict(dict)
        self._hists: dict[str, dict[LabelKey, list[float]]] = defaultdict(dict)

    def inc(self, name: str, value: float = 1.0, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            self._counters[name][key] += value

    def set(self, name: str, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            self._gauges[name][key] = value

    def observe(self, name: str, value: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            h = self._hists[name].setdefault(key, [0.0] * (len(_BUCKETS) + 2))
            for i, b in enumerate(_BUCKETS):
                if value <= b:
                    h[i] += 1
            h[-2] += 1  # count
            h[-1] += value  # sum

    def get(self, name: str, **labels: str) -> float:
        key = tuple(sorted(labels.items()))
        with self._lock:
            if name in self._counters:
                return self._counters[name].get(key, 0.0)
            return self._gauges.get(name, {}).get(key, 0.0)

    def reset(self) -> None:
        with self._lock:
            self._counters.clear()
            self._gauges.clear()
            self._hists.clear()

    def render(self) -> str:
        """Prometheus text exposition format."""

        def fmt(key: LabelKey, extra: tuple[tuple[str, str], ...] = ()) -> str:
            items = key + extra
            if not items:
                return ""
            inner = ",".join(f'{k}="{_escape(v)}"' for k, v in items)
            return "{" + inner + "}"

        lines: list[str] = []
        with self._lock:
            for name, series in sorted(self._counters.items()):
                lines.append(f"# TYPE kindred_{name} counter")
                lines += [f"kindred_{name}{fmt(k)} {v:g}" for k, v in sorted(series.items())]
            for name, series in sorted(self._gauges.items()):
                lines.append(f"# TYPE kindred_{name} gauge")
                lines += [f"kindred_{name}{fmt(k)} {v:g}" for k, v in sorted(series.items())]
            for name, series in sorted(self._hists.items()):
                lines.append(f"# TYPE kindred_{name} histogram")
                for k, h in sorted(series.items()):
                    for i, b in enumerate(_BUCKETS):
                        lines.append(f"kindred_{name}_bucket{fmt(k, (('le', f'{b:g}'),))} {h[i]:g}")
                    lines.append(f"kindred_{name}_bucket{fmt(k, (('le', '+Inf'),))} {h[-2]:g}")
                    lines.append(f"kindred_{name}_count{fmt(k)} {h[-2]:g}")
                    lines.append(f"kindred_{name}_sum{fmt(k)} {h[-1]:g}")
        return "\n".join(lines) + "\n"


def _escape(v: str) -> str:
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


METRICS = Metrics()
