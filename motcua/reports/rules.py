"""Pure arithmetic of the reports: rates with the rounding of D12 and the ranking score.

No ORM, no settings: the callers pass the rounding mode (``settings.MOTCUA_REPORT_ROUNDING``,
read in `motcua.reports.selectors`).

Rates (DOMAIN §7.3, §9.3) are percentages with two decimals, as the units publish them:
* half-up (D12, the default): 54,513 / 55,582 = 98.0767… % → 98.08 % (seed 001, E24);
  92,526 / 93,804 = 98.6376… % → 98.64 %;
* truncate (the setting; seed 000 publishes 92,526 / 93,804 as 98.63 %).
A rate over nothing (denominator 0) is None: "no dossier" is not "0 %" nor "100 %".

Ranking score (issue 8, item 4), documented here once and shown on the ranking page:
    score = Σ weight_i × rate_i / Σ weight_i   over the components that have a denominator,
with the default weights on-time rate 40, online rate 20, satisfaction 20, feedback answered on
time 20. A component without data (no resolved dossier, no rating, no feedback due) is left out
and the others are re-weighted, so a unit is not punished nor rewarded for what did not happen.
The score is rounded like a rate. Units whose volume (dossiers to resolve) is under the minimum
are not ranked: they are listed apart. Equal scores share a rank ("1, 2, 2, 4") and are flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Rounding(StrEnum):
    HALF_UP = "half_up"
    TRUNCATE = "truncate"


def round_rate(value: Decimal, mode: Rounding | str = Rounding.HALF_UP) -> Decimal:
    """``value`` (a percentage) to two decimals, half-up or truncated (D12)."""
    rounding = ROUND_DOWN if Rounding(mode) is Rounding.TRUNCATE else ROUND_HALF_UP
    return value.quantize(CENT, rounding=rounding)


def rate(
    numerator: int, denominator: int, mode: Rounding | str = Rounding.HALF_UP
) -> Decimal | None:
    """``numerator / denominator`` as a percentage with two decimals; None over nothing."""
    if denominator <= 0:
        return None
    if numerator < 0:
        raise ValueError("a count cannot be negative")
    return round_rate(Decimal(numerator) * HUNDRED / Decimal(denominator), mode)


#: The default weights of the ranking score (component name → weight).
DEFAULT_WEIGHTS: Mapping[str, int] = {
    "on_time_rate": 40,
    "online_rate": 20,
    "satisfaction_rate": 20,
    "feedback_on_time_rate": 20,
}


def score(
    rates: Mapping[str, Decimal | None],
    weights: Mapping[str, int] = DEFAULT_WEIGHTS,
    mode: Rounding | str = Rounding.HALF_UP,
) -> Decimal | None:
    """The weighted mean of the components that exist (see the module docstring)."""
    total = Decimal(0)
    weight_sum = 0
    for name, weight in weights.items():
        value = rates.get(name)
        if value is None or weight <= 0:
            continue
        total += Decimal(weight) * value
        weight_sum += weight
    if weight_sum == 0:
        return None
    return round_rate(total / Decimal(weight_sum), mode)


@dataclass(frozen=True)
class Ranked:
    key: str
    rank: int
    tied: bool


def rank(scores: Sequence[tuple[str, Decimal]]) -> list[Ranked]:
    """Competition ranking by score, highest first: equal scores share a rank and are flagged.
    Among equals the order of ``scores`` is kept (callers sort by volume, then name)."""
    ordered = sorted(enumerate(scores), key=lambda pair: (-pair[1][1], pair[0]))
    counts: dict[Decimal, int] = {}
    for _i, (_key, value) in ordered:
        counts[value] = counts.get(value, 0) + 1
    out: list[Ranked] = []
    current_rank = 0
    previous: Decimal | None = None
    for position, (_i, (key, value)) in enumerate(ordered, start=1):
        if value != previous:
            current_rank = position
            previous = value
        out.append(Ranked(key=key, rank=current_rank, tied=counts[value] > 1))
    return out


def split_by_volume(
    volumes: Iterable[tuple[str, int]], minimum: int
) -> tuple[list[str], list[str]]:
    """Keys with at least ``minimum`` dossiers to resolve, and the others (listed apart)."""
    kept: list[str] = []
    apart: list[str] = []
    for key, volume in volumes:
        (kept if volume >= minimum else apart).append(key)
    return kept, apart
