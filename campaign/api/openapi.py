"""The OpenAPI 3.1 document, generated from the routes and the pydantic models they check and answer with.

Each API view carries an ``Operation`` (``@documented(...)``); the document walks the app's URL map, so a
route without one, or a model changed in one place only, cannot happen. Nothing here describes a body by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import Flask, current_app
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from campaign.api.schemas import Error

REF_TEMPLATE = "#/components/schemas/{model}"
API_PREFIX = "/api/v1"
DESCRIPTION = (
    "Report actions taken for an Urgent Action and read its totals. No authentication, no cookie and no CSRF "
    'token; rate-limited per address. Errors are always `{"error": {"code", "message", "fields"}}`, `fields` '
    "naming each field at fault; nothing is stored unless the answer is 201."
)


@dataclass(frozen=True)
class Operation:
    """What the document says of one route: its inputs' models and its answers (status: description, model)."""

    answers: Mapping[int, tuple[str, type[BaseModel] | None]]
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    headers: Mapping[str, tuple[TypeAdapter, str]] = field(default_factory=dict)
    needs_token: bool = False
    rate_limited: bool = True
    #: OpenAPI links from the 2xx answer to other operations, for stateful testing.
    links: Mapping[str, Mapping] = field(default_factory=dict)


def documented(**description) -> callable:
    """Attach an ``Operation`` to a view (innermost of its route decorators, so the route sees it)."""
    operation = Operation(**description)

    def attach(view):
        view.openapi_operation = operation
        return view

    return attach


def _operation_id(endpoint: str) -> str:
    first, *rest = endpoint.rpartition(".")[2].split("_")
    return first + "".join(word.capitalize() for word in rest)


def _parameters(rule_arguments: list[str], operation: Operation) -> list[dict]:
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in rule_arguments
    ]
    if operation.query is not None:
        query = operation.query.model_json_schema(ref_template=REF_TEMPLATE)
        for name, schema in query["properties"].items():
            parameters.append(
                {"name": name, "in": "query", "required": name in query.get("required", []), "schema": schema}
            )
    for name, (adapter, description) in operation.headers.items():
        parameters.append(
            {
                "name": name,
                "in": "header",
                "required": False,
                "description": description,
                "schema": adapter.json_schema(ref_template=REF_TEMPLATE),
            }
        )
    return parameters


def _json(model: type[BaseModel]) -> dict:
    return {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}}}


def _responses(operation: Operation) -> dict:
    responses = {}
    for status, (description, model) in operation.answers.items():
        responses[str(status)] = {"description": description, "content": _json(model or Error)}
        if 200 <= status < 300 and operation.links:
            responses[str(status)]["links"] = dict(operation.links)
    if operation.rate_limited:
        responses["429"] = {
            "description": "Too many requests from this address; retry after the number of seconds in Retry-After.",
            "content": _json(Error),
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        }
    return responses


def _models(operations: list[Operation]) -> list[type[BaseModel]]:
    models: dict[str, type[BaseModel]] = {Error.__name__: Error}
    for operation in operations:
        for model in (operation.body, *(model for _, model in operation.answers.values())):
            if model is not None:
                models[model.__name__] = model
    return list(models.values())


def build_document(app: Flask) -> dict:
    """The document for every documented route of ``app`` under ``/api/v1``."""
    paths: dict[str, dict] = {}
    operations: list[Operation] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        operation = getattr(app.view_functions[rule.endpoint], "openapi_operation", None)
        if operation is None or not rule.rule.startswith(API_PREFIX):
            continue
        path = rule.rule.removeprefix(API_PREFIX)
        for argument in rule.arguments:
            path = path.replace(f"<{argument}>", f"{{{argument}}}")
        view = app.view_functions[rule.endpoint]
        described = {
            "operationId": _operation_id(rule.endpoint),
            "summary": (view.__doc__ or "").strip().splitlines()[0].rstrip("."),
            "parameters": _parameters(sorted(rule.arguments), operation),
            "responses": _responses(operation),
        }
        if operation.body is not None:
            described["requestBody"] = {"required": True, "content": _json(operation.body)}
        if operation.needs_token:
            described["security"] = [{"consoleToken": []}]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = described
        operations.append(operation)
    _, schemas = models_json_schema([(model, "validation") for model in _models(operations)], ref_template=REF_TEMPLATE)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Urgent Action tracker public API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": API_PREFIX}],
        "paths": paths,
        "components": {
            "securitySchemes": {"consoleToken": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas.get("$defs", {}),
        },
    }


def openapi_document() -> dict:
    """The current app's document, built once per app (the routes and models do not change while it runs)."""
    document = current_app.extensions.get("openapi_document")
    if document is None:
        document = current_app.extensions["openapi_document"] = build_document(current_app)
    return document
