"""Thresholds of the analysis, with sensible defaults.

>>> AnalysisSettings().expiry_horizon_days
90
>>> AnalysisSettings(loss_rate=0.5).loss_rate
0.5
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AnalysisSettings"]


@dataclass(frozen=True)
class AnalysisSettings:
    """How strict the analysis is.

    * ``expiry_horizon_days`` – an agreement that ends within this many days of the
      as-of date is "expiring" (default 90).
    * ``loss_rate`` – share of referred families that did not arrive at which a
      transition counts as losing families (default 0.3 = 30 %).
    * ``min_referred`` – fewer referrals than this are too few to judge (default 5).
    * ``flow_window_days`` – referral figures older than this before the as-of date
      are ignored (default 365).
    * ``capacity_ratio`` – capacity below this share of the children of a life stage
      is a capacity gap (default 1.0 = capacity for every child).
    * ``setting_max_parties`` – a binding agreement (not §3 KKG) with at most this many
      parties is a cooperation of a setting and coordinates parallel offers of its
      parties; a larger one is a framework that does not (default 4).
    """

    expiry_horizon_days: int = 90
    loss_rate: float = 0.3
    min_referred: int = 5
    flow_window_days: int = 365
    capacity_ratio: float = 1.0
    setting_max_parties: int = 4
