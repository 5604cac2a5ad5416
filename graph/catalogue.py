"""Life stages and fields: data, not code.

The default catalogue (pregnancy … primary school, five fields) lives in
``graph/data/catalogue.yaml``; a municipality replaces it by writing its own
``catalogue:`` into the network document.

>>> cat = default_catalogue()
>>> [s.id for s in cat.life_stages][:3]
['pregnancy', 'birth', 'infant']
>>> cat.stage_order("toddler") < cat.stage_order("preschool")
True
>>> [s.id for s in cat.stages_for_age(24)]
['toddler']
"""

from __future__ import annotations

from functools import cache, cached_property
from importlib import resources
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from graph.model import Id

__all__ = ["Catalogue", "FieldOfAction", "LifeStage", "default_catalogue"]

_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class LifeStage(BaseModel):
    """A stage of the child's life course; ages in months, ``to_months`` exclusive."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Id
    name: _Name
    short: str | None = None
    from_months: int
    to_months: int

    @property
    def label(self) -> str:
        """The short name for tables and maps (the name when there is none)."""
        return self.short or self.name


class FieldOfAction(BaseModel):
    """A Handlungsfeld: health, education, youth welfare, ..."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Id
    name: _Name


class Catalogue(BaseModel):
    """The ordered life stages (the chain's spine) and the fields of a network."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    life_stages: Annotated[list[LifeStage], Field(min_length=1)]
    fields: Annotated[list[FieldOfAction], Field(min_length=1)]

    @cached_property
    def _order(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.life_stages)}

    @cached_property
    def stages(self) -> dict[str, LifeStage]:
        return {s.id: s for s in self.life_stages}

    @cached_property
    def field_names(self) -> dict[str, str]:
        return {f.id: f.name for f in self.fields}

    def stage_order(self, stage_id: str) -> int:
        """Position of a stage in the life course (0 = earliest)."""
        return self._order[stage_id]

    def stages_for_age(self, age_months: int) -> list[LifeStage]:
        """Stages that cover a child of ``age_months`` (negative: before birth)."""
        return [s for s in self.life_stages if s.from_months <= age_months < s.to_months]


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the tool (``graph/data/catalogue.yaml``)."""
    text = resources.files("graph").joinpath("data/catalogue.yaml").read_text(encoding="utf-8")
    return Catalogue.model_validate(yaml.safe_load(text))
