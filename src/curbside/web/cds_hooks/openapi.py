"""OpenAPI request bodies for the CDS Hooks endpoints.

The endpoints parse their bodies themselves (the specification wants 400, not FastAPI's 422),
so FastAPI cannot see the models; these documents state them — with their limits — for API
readers and for schema-driven fuzzing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from curbside.web.limits import MAX_REQUEST_BODY_BYTES


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` declaring ``model`` as the required JSON request body."""
    schema = inline_definitions(model.model_json_schema())
    description = f"{model.__doc__ or model.__name__} At most {MAX_REQUEST_BODY_BYTES} bytes."
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def inline_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local ``$ref`` replaced by its definition (the models are not recursive)."""
    definitions = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved
