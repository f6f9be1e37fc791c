"""The base of every JSON shape the API answers with: camelCase on the wire, snake_case in Python.

Response shapes live in each domain's ``schemas.py`` as subclasses of ``Wire``; an endpoint
returns the model (FastAPI serializes it by alias) and declares it, so ``/api/openapi.json``
documents what the endpoint really answers. Cloudcraft's own capitalised names (``CreatorId``)
are given as explicit aliases.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Wire(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        serialize_by_alias=True,
        extra="forbid",
    )

    def wire(self) -> dict[str, object]:
        """The JSON object as the API sends it."""
        return self.model_dump(mode="json")
