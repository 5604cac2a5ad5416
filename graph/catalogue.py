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
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from graph.values import Id
from graph.vocabulary import name_index, resolve_name

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

    @cached_property
    def _ids(self) -> tuple[frozenset[str], frozenset[str]]:
        return frozenset(self.stages), frozenset(self.field_names)

    @cached_property
    def _stage_names(self) -> dict[str, str]:
        return name_index(self.life_stages)

    @cached_property
    def _field_names(self) -> dict[str, str]:
        return name_index(self.fields)

    def stage_id(self, text: Any) -> Any:
        """The id of a life stage written as id, name or short name (any case); other
        values unchanged (the network check reports them).

        >>> default_catalogue().stage_id("Säuglingsalter"), default_catalogue().stage_id("x")
        ('infant', 'x')
        """
        return resolve_name(self._stage_names, text)

    def field_id(self, text: Any) -> Any:
        """The id of a field written as id or name (any case), like :meth:`stage_id`.

        >>> default_catalogue().field_id("Teilhabe")
        'participation'
        """
        return resolve_name(self._field_names, text)

    def with_ids(self, section: str, item: Any) -> Any:
        """A document entry (a dict) of ``section`` with its life stages and fields
        written as ids; anything else is returned as it is."""
        if not isinstance(item, dict):
            return item
        if section == "services":
            stages, fields = item.get("life_stages"), item.get("fields")
            if isinstance(stages, list) and not _within(self._ids[0], stages):
                item = {**item, "life_stages": [self.stage_id(x) for x in stages]}
            if isinstance(fields, list) and not _within(self._ids[1], fields):
                item = {**item, "fields": [self.field_id(x) for x in fields]}
        elif section == "quarters" and isinstance(item.get("social_data"), list):
            entries = [
                {**sd, "children_by_stage": {self.stage_id(k): v for k, v in
                                             sd["children_by_stage"].items()}}
                if isinstance(sd, dict) and isinstance(sd.get("children_by_stage"), dict)
                and not all(k in self.stages for k in sd["children_by_stage"]) else sd
                for sd in item["social_data"]]
            item = {**item, "social_data": entries}
        return item

    def stage_order(self, stage_id: str) -> int:
        """Position of a stage in the life course (0 = earliest)."""
        return self._order[stage_id]

    def stages_for_age(self, age_months: int) -> list[LifeStage]:
        """Stages that cover a child of ``age_months`` (negative: before birth)."""
        return [s for s in self.life_stages if s.from_months <= age_months < s.to_months]


def _within(ids: frozenset[str], values: list[Any]) -> bool:
    try:
        return ids.issuperset(values)
    except TypeError:  # a list or mapping where a name belongs: the model reports it
        return False


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the tool (``graph/data/catalogue.yaml``)."""
    text = resources.files("graph").joinpath("data/catalogue.yaml").read_text(encoding="utf-8")
    return Catalogue.model_validate(yaml.safe_load(text))
