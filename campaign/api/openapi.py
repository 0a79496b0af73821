"""The OpenAPI 3.1 description of the public API, checked against the real answers by schemathesis."""

from __future__ import annotations

from campaign.actions.models import ActionType
from campaign.actions.validation import (
    LANGUAGE_TAG,
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SUPPORTER_COUNT,
    country_codes,
)


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _rate_limited() -> dict:
    return {
        **_error("Too many requests from this address; retry after the number of seconds in Retry-After."),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    }


NULLABLE_STRING = {"type": ["string", "null"]}
SLUG_PARAMETER = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Urgent Action tracker public API",
            "version": "1.0.0",
            "description": (
                "Report actions taken for an Urgent Action and read its totals. No authentication, "
                "no cookie and no CSRF token; rate-limited per address. Errors are always "
                '`{"error": {"code", "message", "fields"}}`; nothing is stored unless the answer is 201.'
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/cases": {
                "get": {
                    "operationId": "listCases",
                    "summary": "Active cases, nearest deadline first, or closed cases",
                    "parameters": [
                        {
                            "name": "status",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": ["active", "closed"], "default": "active"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The cases",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["cases"],
                                        "properties": {
                                            "cases": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/CaseSummary"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("The status is neither active nor closed."),
                        "429": _rate_limited(),
                    },
                }
            },
            "/cases/{slug}": {
                "get": {
                    "operationId": "showCase",
                    "summary": "One public case",
                    "parameters": [SLUG_PARAMETER],
                    "responses": {
                        "200": {
                            "description": "The case",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseDetail"}}},
                        },
                        "404": _error("No such case, or a draft."),
                        "429": _rate_limited(),
                    },
                }
            },
            "/cases/{slug}/totals": {
                "get": {
                    "operationId": "showTotals",
                    "summary": "A case's counted actions with breakdowns",
                    "parameters": [SLUG_PARAMETER],
                    "responses": {
                        "200": {
                            "description": "The totals",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Totals"}}},
                        },
                        "404": _error("No such case, or a draft."),
                        "429": _rate_limited(),
                    },
                }
            },
            "/cases/{slug}/actions": {
                "post": {
                    "operationId": "reportActions",
                    "summary": "Report actions taken for a case",
                    "parameters": [
                        SLUG_PARAMETER,
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "description": "Repeating a request with the same key returns the first answer and stores nothing more.",
                            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReportRequest"}}},
                    },
                    "responses": {
                        "201": {
                            "description": "Stored. `counted` is what the report added to the public total (0 when held for review).",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/ReportAccepted"}}
                            },
                        },
                        "400": _error("Malformed or invalid input; `fields` names each field at fault."),
                        "404": _error("No such case, or a draft."),
                        "409": _error("The Idempotency-Key was used before with a different body."),
                        "410": _error("The case is closed."),
                        "413": _error("The body is larger than 64 KiB."),
                        "415": _error("The body is not JSON."),
                        "429": _rate_limited(),
                    },
                }
            },
            **console_api_paths(),
        },
        "components": {
            "securitySchemes": {"consoleToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message", "fields"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                            },
                        }
                    },
                },
                "CaseSummary": {
                    "type": "object",
                    "required": ["slug", "ua_number", "headline", "status", "deadline", "total"],
                    "properties": {
                        "slug": {"type": "string"},
                        "ua_number": NULLABLE_STRING,
                        "headline": {"type": "string"},
                        "status": {"type": "string", "enum": ["active", "closed"]},
                        "deadline": {"type": ["string", "null"], "format": "date"},
                        "total": {"type": "integer", "minimum": 0},
                    },
                },
                "Person": {
                    "type": "object",
                    "required": ["name", "native_name", "pronouns"],
                    "properties": {
                        "name": {"type": "string"},
                        "native_name": NULLABLE_STRING,
                        "pronouns": NULLABLE_STRING,
                    },
                },
                "Target": {
                    "type": "object",
                    "required": ["id", "role", "name"],
                    "properties": {
                        "id": {"type": "integer"},
                        "role": {"type": "string", "enum": ["target", "copy"]},
                        "name": {"type": "string"},
                        "title": NULLABLE_STRING,
                        "organisation": NULLABLE_STRING,
                        "address": NULLABLE_STRING,
                        "emails": {"type": "array", "items": {"type": "string"}},
                        "faxes": {"type": "array", "items": {"type": "string"}},
                        "phones": {"type": "array", "items": {"type": "string"}},
                        "twitter": NULLABLE_STRING,
                        "salutation": NULLABLE_STRING,
                    },
                },
                "CaseDetail": {
                    "allOf": [
                        {"$ref": "#/components/schemas/CaseSummary"},
                        {
                            "type": "object",
                            "required": ["people", "targets", "asks", "preferred_languages"],
                            "properties": {
                                "ai_index": NULLABLE_STRING,
                                "issued": {"type": ["string", "null"], "format": "date"},
                                "outcome": NULLABLE_STRING,
                                "goal": {"type": ["integer", "null"]},
                                "people": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
                                "targets": {"type": "array", "items": {"$ref": "#/components/schemas/Target"}},
                                "asks": {"type": "array", "items": {"type": "string"}},
                                "preferred_languages": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    ]
                },
                "Totals": {
                    "type": "object",
                    "required": [
                        "total",
                        "last_24h",
                        "last_7d",
                        "by_type",
                        "by_country",
                        "other_countries",
                        "countries",
                        "by_target",
                        "as_of",
                    ],
                    "properties": {
                        "total": {"type": "integer", "minimum": 0},
                        "last_24h": {
                            "description": "Actions of the last 24 hours, counted by the UTC days they touch (today and "
                            "yesterday) from the daily totals; below `other_countries.floor` it is 0, folded like a "
                            "small country.",
                            "type": "integer",
                            "minimum": 0,
                        },
                        "last_7d": {
                            "description": "Actions of the last 7 days (today and the seven days before), folded the same way.",
                            "type": "integer",
                            "minimum": 0,
                        },
                        "by_type": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "by_country": {
                            "description": "Countries with at least `other_countries.floor` actions.",
                            "type": "object",
                            "additionalProperties": {"type": "integer"},
                        },
                        "other_countries": {
                            "description": "The countries with fewer actions, folded so that none can point to a "
                            "lone supporter: how many there are and their actions together.",
                            "type": "object",
                            "required": ["countries", "actions", "floor"],
                            "properties": {
                                "countries": {"type": "integer", "minimum": 0},
                                "actions": {"type": "integer", "minimum": 0},
                                "floor": {"type": "integer", "minimum": 1},
                            },
                        },
                        "countries": {"type": "integer", "minimum": 0},
                        "by_target": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "to_all_targets": {"type": "integer", "minimum": 0},
                        "as_of": {"type": "string", "format": "date-time"},
                    },
                },
                "ReportRequest": {
                    "type": "object",
                    "required": ["action_type", "count", "country"],
                    "additionalProperties": False,
                    "properties": {
                        "action_type": {"type": "string", "enum": [t.value for t in ActionType]},
                        "count": {"type": "integer", "minimum": 1, "maximum": MAX_SUPPORTER_COUNT},
                        "country": {
                            "type": "string",
                            "enum": sorted(country_codes()),
                            "description": "ISO 3166-1 alpha-2 code, upper case, e.g. KZ",
                        },
                        "target_id": {
                            "type": ["integer", "null"],
                            "description": "One of the case's targets; omit for all",
                        },
                        "name": {"type": ["string", "null"], "maxLength": MAX_NAME_LENGTH},
                        "email": {
                            "type": ["string", "null"],
                            "maxLength": MAX_EMAIL_LENGTH,
                            "description": "An address email-validator accepts; needed for remind_me",
                        },
                        "remind_me": {"type": ["boolean", "null"], "description": "Needs an email"},
                        "language": {"type": ["string", "null"], "maxLength": 20, "pattern": LANGUAGE_TAG.pattern},
                        "group": {"type": ["string", "null"], "pattern": "^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$"},
                    },
                },
                "ReportAccepted": {
                    "type": "object",
                    "required": ["id", "counted", "case_total"],
                    "properties": {
                        "id": {"type": "integer"},
                        "counted": {"type": "integer", "minimum": 0},
                        "case_total": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    }


def console_api_paths() -> dict:
    """The console's token API (campaign.accounts.api): bearer tokens of console accounts."""
    return {
        "/console/tokens": {
            "post": {
                "operationId": "createConsoleToken",
                "summary": "A bearer token for a console account (counted like a login, rate-limited per address)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["email", "password"],
                                "additionalProperties": False,
                                "properties": {
                                    "email": {"type": "string", "minLength": 1},
                                    "password": {"type": "string", "minLength": 1},
                                    "code": {
                                        "type": ["string", "null"],
                                        "description": "TOTP code, when two-factor is on",
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "The token; send it as Authorization: Bearer <token>",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["token"],
                                    "properties": {"token": {"type": "string"}},
                                }
                            }
                        },
                    },
                    "400": _error("Malformed or invalid input."),
                    "401": _error("Wrong email, password or code, or the account is locked for a while."),
                    "413": _error("The body is too large."),
                    "415": _error("The body is not JSON."),
                    "429": _rate_limited(),
                },
            }
        },
        "/console/accounts": {
            "get": {
                "operationId": "listConsoleAccounts",
                "summary": "Console accounts and their roles (admins only)",
                "security": [{"consoleToken": []}],
                "responses": {
                    "200": {
                        "description": "The accounts",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["accounts"],
                                    "properties": {
                                        "accounts": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "required": ["id", "email", "roles", "active", "two_factor"],
                                                "properties": {
                                                    "id": {"type": "integer"},
                                                    "email": {"type": "string"},
                                                    "roles": {"type": "array", "items": {"type": "string"}},
                                                    "active": {"type": "boolean"},
                                                    "two_factor": {"type": "boolean"},
                                                },
                                            },
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "401": _error("No valid bearer token."),
                    "403": _error("The token's account is not an admin."),
                },
            }
        },
    }
