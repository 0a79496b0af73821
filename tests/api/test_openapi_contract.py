"""The OpenAPI document is valid 3.1, and the API keeps to it for generated input (schemathesis)."""

from __future__ import annotations

import copy
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from openapi_spec_validator.versions import consts as openapi_versions
from openapi_spec_validator.versions.shortcuts import get_spec_version
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from campaign.cases.models import CaseStatus


def test_the_openapi_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()

    validate(document)
    assert get_spec_version(document) == openapi_versions.OPENAPIV31


def test_every_api_route_is_described_in_the_openapi_document(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    described = {
        (path.replace("{slug}", "<slug>"), method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }
    registered = {
        (rule.rule.removeprefix("/api/v1"), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }

    assert registered == described


@pytest.fixture
def api_schema_document(app, client, make_case, monkeypatch) -> dict:
    """The served document with the slug pinned to real cases, so generated reports reach validation."""
    monkeypatch.setitem(app.config, "RATELIMIT_REPORTS", "1000000 per minute")
    monkeypatch.setitem(app.config, "RATELIMIT_READS", "1000000 per minute")
    slugs = [
        make_case().slug,
        make_case(status=CaseStatus.CLOSED, outcome="released").slug,
        make_case(status=CaseStatus.DRAFT).slug,
        "no-such-case",
    ]
    document = copy.deepcopy(client.get("/api/v1/openapi.json").get_json())
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "slug":
                    parameter["schema"] = {"type": "string", "enum": slugs}
    return document


@pytest.fixture
def api_schema(app, api_schema_document):
    schema = schemathesis.openapi.from_dict(api_schema_document)
    schema.app = app
    return schema


OPERATIONS = [
    ("/cases", "GET"),
    ("/cases/{slug}", "GET"),
    ("/cases/{slug}/totals", "GET"),
    ("/cases/{slug}/actions", "POST"),
]


def test_the_generated_tests_cover_every_documented_public_operation(client):
    document = client.get("/api/v1/openapi.json").get_json()
    public = {
        (path, method.upper())
        for path, operations in document["paths"].items()
        if not path.startswith("/console")
        for method in operations
    }

    assert public == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_get_documented_answers_and_never_a_server_error(api_schema, path, method, mode):
    """200 generated requests per operation and mode.

    Schema-valid input may still be refused with 400 (a target of another case, an address that
    email-validator rejects, a control character in a name): the schema cannot say everything the
    one validation path checks, so schemathesis's positive-acceptance check is left out.
    schemathesis's own pytest plugin breaks on pytest 9 (``_nodeid``), hence ``given`` here.
    """
    operation = api_schema[path][method]

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


def test_schemathesis_runs_every_phase_over_the_generated_document_and_finds_no_failure(
    app, client, api_schema_document
):
    """Examples, coverage, fuzzing and stateful (through the document's links), as the CLI runs them, in process."""
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import from_schema
    from schemathesis.engine.events import EngineFinished, FatalError, PhaseFinished, ScenarioFinished

    config = SchemathesisConfig.from_dict(
        {
            "seed": 14,
            "workers": 1,
            "cache": {"enabled": False},
            "generation": {"max-examples": 15, "database": "none"},
            "checks": {"positive_data_acceptance": {"enabled": False}},
            "phases": {name: {"enabled": True} for name in ("examples", "coverage", "fuzzing", "stateful")},
        }
    )
    schema = schemathesis.openapi.from_dict(api_schema_document, config=config)
    schema.app = app

    phases, failures, fatal, scenarios = {}, [], [], Counter()
    for event in from_schema(schema).execute():
        if isinstance(event, ScenarioFinished):
            scenarios[str(event.phase.value)] += 1
        elif isinstance(event, PhaseFinished):
            phases[event.phase.name.value] = event.status.value
        elif isinstance(event, FatalError):
            fatal.append(event.exception)
        elif isinstance(event, EngineFinished):
            failures = event.failures

    assert fatal == []
    assert failures == []
    ran = {phase: phases.get(phase) for phase in ("examples", "coverage", "fuzzing", "stateful")}
    assert ran == dict.fromkeys(ran, "success"), (phases, scenarios)
    assert all(scenarios[phase] > 0 for phase in ran), scenarios
