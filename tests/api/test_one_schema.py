"""One schema for every report (issue 14, point 1): strict types, each bad field named, the document generated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select

from campaign.actions.models import ActionReport
from campaign.actions.schemas import Report
from campaign.api import openapi
from campaign.api.schemas import TokenRequest

VALID = {"action_type": "letter", "count": 3, "country": "KZ"}


def stored_reports(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(ActionReport))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("action_type", ["letter"]),
        ("action_type", {"letter": 1}),
        ("country", ["KZ"]),
        ("country", {"code": "KZ"}),
        ("count", "3"),
        ("count", 3.0),
        ("count", True),
        ("target_id", [1]),
        ("name", ["Aigerim"]),
        ("email", {"address": "a@example.org"}),
        ("remind_me", "yes"),
        ("language", ["en"]),
        ("group", {"code": "almaty"}),
    ],
)
def test_an_array_object_or_other_type_where_another_is_expected_is_a_400_naming_the_field(
    client, db, make_case, field, value
):
    case = make_case()

    answer = client.post(f"/api/v1/cases/{case.slug}/actions", json={**VALID, field: value})

    assert answer.status_code == 400
    assert set(answer.get_json()["error"]["fields"]) == {field}
    assert stored_reports(db) == 0


def test_every_bad_field_of_a_report_is_named_at_once(client, db, make_case):
    case = make_case()
    body = {"action_type": ["letter"], "count": "many", "country": {"code": "KZ"}, "target_id": -1, "colour": "red"}

    answer = client.post(f"/api/v1/cases/{case.slug}/actions", json=body)

    assert answer.status_code == 400
    assert set(answer.get_json()["error"]["fields"]) == {"action_type", "count", "country", "target_id", "colour"}
    assert stored_reports(db) == 0


def test_an_array_where_the_token_api_expects_text_is_a_400_naming_the_field(client, db):
    answer = client.post("/api/v1/console/tokens", json={"email": ["someone@example.org"], "password": {"x": 1}})

    assert answer.status_code == 400
    assert set(answer.get_json()["error"]["fields"]) == {"email", "password"}


def test_the_document_describes_the_bodies_with_the_very_models_that_check_them(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    report_body = document["paths"]["/cases/{slug}/actions"]["post"]["requestBody"]["content"]["application/json"]
    token_body = document["paths"]["/console/tokens"]["post"]["requestBody"]["content"]["application/json"]

    assert report_body["schema"] == {"$ref": "#/components/schemas/Report"}
    assert token_body["schema"] == {"$ref": "#/components/schemas/TokenRequest"}
    assert schemas["Report"] == Report.model_json_schema(ref_template=openapi.REF_TEMPLATE)
    assert schemas["TokenRequest"] == TokenRequest.model_json_schema(ref_template=openapi.REF_TEMPLATE)
    assert schemas["Report"]["additionalProperties"] is False


def test_the_openapi_module_writes_no_schema_by_hand():
    """No JSON Schema keyword as a literal key in campaign/api/openapi.py: every schema comes from a model."""
    source = Path(openapi.__file__).read_text(encoding="utf-8")
    keys = {
        node.value
        for dictionary in ast.walk(ast.parse(source))
        if isinstance(dictionary, ast.Dict)
        for node in dictionary.keys
        if isinstance(node, ast.Constant)
    }

    assert (
        keys & {"properties", "additionalProperties", "enum", "pattern", "maxLength", "minimum", "maximum", "items"}
        == set()
    )
