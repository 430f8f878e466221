#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference upstream for Receiving Station's upstream sync (Python standard library only).

It implements the public contract described in openapi.yaml beside this file:

    POST /oauth/token                       OAuth2 client credentials
    GET  /v1/cases                          paged, incremental case pull
    POST /v1/cases/{case_number}/receipts   idempotent receipt event
    POST /v1/cases/{case_number}/closure    idempotent closure event
    POST /v1/unmatched                      idempotent unmatched-unit report

plus test-only control endpoints under /_control (faults, stats, reset, case edits). Faults (5xx errors
before or after an event is applied, 429 with Retry-After, slow answers, dropped connections, short-lived
tokens) are set on the command line or at /_control/faults. See README.md beside this file for every flag.

The first line written to stdout is "listening on PORT" (flushed), so a test can start it with --port 0.
Everything else is logged to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import copy
import datetime as dt
import email.utils
import http
import json
import math
import os
import random
import re
import secrets
import socket
import ssl
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

DEFAULT_CLIENT_ID = "receiving-station"
DEFAULT_CLIENT_SECRET = "dock-secret"
DEFAULT_TOKEN_LIFETIME = 3600
MAX_BODY_BYTES = 1 << 20
PAGE_LIMIT_DEFAULT = 100
PAGE_LIMIT_MAX = 500
ENDPOINTS = ("token", "cases", "receipt", "closure", "unmatched")
EVENT_KINDS = ("receipt", "closure", "unmatched")
DEFAULT_ERROR_STATUSES = [500, 502, 503, 504]

CASE_NUMBER_PATTERN = r"^[0-9]{4}-[0-9]{4}-[0-9]{4,6}$"
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,200}$"  # visible ASCII, no spaces; a UUID is recommended

# ---------------------------------------------------------------------------------------------------------
# Schemas. These mirror components/schemas of openapi.yaml keyword for keyword (descriptions and examples
# left out); test_reference_upstream.py bundles the YAML to JSON and asserts they are identical, so the
# server validates exactly what the document promises.
# ---------------------------------------------------------------------------------------------------------


def _ref(name):
    return {"$ref": "#/components/schemas/" + name}


SCHEMAS = {
    "TokenRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["grant_type"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["client_credentials"]},
            "client_id": {"type": "string", "minLength": 1},
            "client_secret": {"type": "string", "minLength": 1},
            "scope": {"type": "string"},
        },
    },
    "TokenResponse": {
        "type": "object",
        "required": ["access_token", "token_type", "expires_in"],
        "properties": {
            "access_token": {"type": "string", "minLength": 1},
            "token_type": {"type": "string", "enum": ["Bearer"]},
            "expires_in": {"type": "integer", "minimum": 1},
        },
    },
    "Customer": {
        "type": "object",
        "required": ["name", "account_id"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "account_id": {"type": "string", "minLength": 1},
        },
    },
    "CaseItem": {
        "type": "object",
        "required": ["line", "sku", "description", "serial", "quantity"],
        "properties": {
            "line": {"type": "integer", "minimum": 1},
            "sku": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "serial": {"type": "string", "nullable": True, "minLength": 1},
            "quantity": {"type": "integer", "minimum": 1},
        },
    },
    "Case": {
        "type": "object",
        "required": [
            "case_number", "program", "phase", "disposition", "status", "customer", "partner",
            "order_date", "due_date", "tracking_numbers", "items", "updated_at",
        ],
        "properties": {
            "case_number": {"type": "string", "pattern": CASE_NUMBER_PATTERN},
            "program": {"type": "string", "enum": ["TMIP"]},
            "phase": {"type": "integer", "enum": [1, 2]},
            "disposition": {"type": "string", "enum": ["trade_in", "destruction"]},
            "status": {"type": "string", "enum": ["open", "closed", "cancelled"]},
            "customer": _ref("Customer"),
            "partner": {"type": "string", "nullable": True},
            "order_date": {"type": "string", "format": "date"},
            "due_date": {"type": "string", "format": "date"},
            "tracking_numbers": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "items": {"type": "array", "minItems": 1, "items": _ref("CaseItem")},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "CasePage": {
        "type": "object",
        "required": ["cases", "next_page_token", "server_time"],
        "properties": {
            "cases": {"type": "array", "items": _ref("Case")},
            "next_page_token": {"type": "string", "nullable": True, "minLength": 1},
            "server_time": {"type": "string", "format": "date-time"},
        },
    },
    "Receipt": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "receipt_id", "serial", "sku", "line", "received_at", "station_id", "operator_id",
            "condition", "tracking_number", "late",
        ],
        "properties": {
            "receipt_id": {"type": "string", "format": "uuid"},
            "serial": {"type": "string", "minLength": 1, "maxLength": 200},
            "sku": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 200},
            "line": {"type": "integer", "nullable": True, "minimum": 1},
            "received_at": {"type": "string", "format": "date-time"},
            "station_id": {"type": "string", "minLength": 1, "maxLength": 200},
            "operator_id": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 200},
            "condition": {"type": "string", "enum": ["working", "damaged", "not_working"]},
            "tracking_number": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 200},
            "late": {"type": "boolean"},
            "supersedes_unmatched": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 200},
        },
    },
    "ReceiptAccepted": {
        "type": "object",
        "required": ["case_number", "receipt", "accepted_at"],
        "properties": {
            "case_number": {"type": "string", "pattern": CASE_NUMBER_PATTERN},
            "receipt": _ref("Receipt"),
            "accepted_at": {"type": "string", "format": "date-time"},
        },
    },
    "Closure": {
        "type": "object",
        "additionalProperties": False,
        "required": ["closure_id", "kind", "received", "missing_lines", "closed_at", "station_id", "approved_by"],
        "properties": {
            "closure_id": {"type": "string", "format": "uuid"},
            "kind": {"type": "string", "enum": ["complete", "partial"]},
            "received": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 200}},
            "missing_lines": {"type": "array", "items": {"type": "integer", "minimum": 1}},
            "closed_at": {"type": "string", "format": "date-time"},
            "station_id": {"type": "string", "minLength": 1, "maxLength": 200},
            "approved_by": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 200},
        },
    },
    "ClosureAccepted": {
        "type": "object",
        "required": ["case_number", "closure", "case_status", "accepted_at"],
        "properties": {
            "case_number": {"type": "string", "pattern": CASE_NUMBER_PATTERN},
            "closure": _ref("Closure"),
            "case_status": {"type": "string", "enum": ["closed"]},
            "accepted_at": {"type": "string", "format": "date-time"},
        },
    },
    "Unmatched": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "report_id", "serial", "sku", "case_number", "tracking_number", "received_at", "station_id", "notes",
        ],
        "properties": {
            "report_id": {"type": "string", "format": "uuid"},
            "serial": {"type": "string", "minLength": 1, "maxLength": 200},
            "sku": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 200},
            "case_number": {"type": "string", "nullable": True, "pattern": CASE_NUMBER_PATTERN},
            "tracking_number": {"type": "string", "nullable": True, "minLength": 1, "maxLength": 200},
            "received_at": {"type": "string", "format": "date-time"},
            "station_id": {"type": "string", "minLength": 1, "maxLength": 200},
            "notes": {"type": "string", "nullable": True, "maxLength": 2000},
        },
    },
    "UnmatchedAccepted": {
        "type": "object",
        "required": ["report", "accepted_at"],
        "properties": {
            "report": _ref("Unmatched"),
            "accepted_at": {"type": "string", "format": "date-time"},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "minLength": 1},
                    "message": {"type": "string"},
                    "field": {"type": "string"},
                },
            },
        },
    },
}

# ---------------------------------------------------------------------------------------------------------
# Time helpers: every timestamp the server writes is RFC 3339 UTC with milliseconds, e.g.
# 2026-11-03T12:00:00.123Z (what Qt::ISODateWithMs reads and writes).
# ---------------------------------------------------------------------------------------------------------

_DATE_TIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$"
)
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EPOCH_NAIVE = dt.datetime(1970, 1, 1)


def parse_date_time_us(text):
    """RFC 3339 date-time -> microseconds since the epoch (UTC), or None if it is not one.

    Requires an upper-case 'T', and 'Z' or a +HH:MM/-HH:MM offset; fractions beyond microseconds are cut."""
    if not isinstance(text, str):
        return None
    m = _DATE_TIME_RE.match(text)
    if not m:
        return None
    g = m.groups()
    frac = (g[6] or "")[:6].ljust(6, "0")
    zone = g[7]
    offset_us = 0
    if zone != "Z":
        oh, om = int(zone[1:3]), int(zone[4:6])
        if oh > 23 or om > 59:
            return None
        offset_us = (1 if zone[0] == "+" else -1) * (oh * 3600 + om * 60) * 1_000_000
    try:
        value = dt.datetime(int(g[0]), int(g[1]), int(g[2]), int(g[3]), int(g[4]), int(g[5]), int(frac))
    except ValueError:
        return None
    delta = value - _EPOCH_NAIVE
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds - offset_us


def valid_date(text):
    if not isinstance(text, str):
        return False
    m = _DATE_RE.match(text)
    if not m:
        return False
    try:
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True


_formatted_second = [None, ""]  # the last second format_ms formatted, and its text


def format_ms(ms):
    seconds, millis = divmod(int(ms), 1000)
    if _formatted_second[0] != seconds:
        _formatted_second[:] = [seconds, dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S")]
    return _formatted_second[1] + ".%03dZ" % millis


def parse_ms(text):
    us = parse_date_time_us(text)
    return None if us is None else us // 1000


# ---------------------------------------------------------------------------------------------------------
# A small validator for the OpenAPI 3.0 schema subset used above.
# ---------------------------------------------------------------------------------------------------------


class ValidationError(ValueError):
    def __init__(self, field, problem):
        super().__init__("%s: %s" % (field, problem))
        self.field = field
        self.problem = problem


def _join(path, name):
    return name if not path else "%s.%s" % (path, name)


def _field(parent, name):
    return (parent if name is None else _join(parent, name)) or "(body)"


def _type_name(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def validate(value, schema, path=""):
    """Raise ValidationError naming the first offending field (path like items[0].line).

    Each schema is turned into a checking function once (_compile) and cached: the same checks in the same
    order as reading the schema keyword by keyword, without looking the keywords up again per request."""
    _checker(schema)(value, path, None)


def _checker(schema):
    entry = _COMPILED.get(id(schema))
    return entry[1] if entry is not None and entry[0] is schema else _compile(schema)


_COMPILED = {}  # id(schema dict) -> (schema, checking function); holding the schema keeps its id unique
_TYPE_NAMES = {type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string",
               list: "array", dict: "object"}


def _compile(schema):
    if "$ref" in schema:
        target = SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]

        def check_ref(value, parent, name):
            _checker(target)(value, parent, name)

        _COMPILED[id(schema)] = (schema, check_ref)
        return check_ref
    nullable = bool(schema.get("nullable"))
    expected = schema.get("type")
    if expected is not None:
        type_problem = "must be %s %s, not " % ("an" if expected[0] in "aeiou" else "a", expected)
    enum = schema.get("enum")
    enum_problem = "must be one of %s" % ", ".join(json.dumps(v) for v in enum) if enum is not None else None

    string_checks = []
    if "minLength" in schema:
        n = schema["minLength"]
        problem = "must not be empty" if n == 1 else "must be at least %d characters" % n
        string_checks.append(lambda v: problem if len(v) < n else None)
    if "maxLength" in schema:
        m = schema["maxLength"]
        problem_max = "must be at most %d characters" % m
        string_checks.append(lambda v: problem_max if len(v) > m else None)
    if "pattern" in schema:
        regex = re.compile(schema["pattern"])
        problem_pattern = "must match %s" % schema["pattern"]
        string_checks.append(lambda v: None if regex.search(v) else problem_pattern)
    fmt = schema.get("format")
    if fmt == "uuid":
        string_checks.append(lambda v: None if _UUID_RE.match(v) else
                             "must be a UUID (8-4-4-4-12 hexadecimal digits)")
    elif fmt == "date":
        string_checks.append(lambda v: None if valid_date(v) else "must be an RFC 3339 full-date (YYYY-MM-DD)")
    elif fmt == "date-time":
        string_checks.append(lambda v: None if parse_date_time_us(v) is not None else
                             "must be an RFC 3339 date-time with a time zone (e.g. 2026-11-03T12:00:00.000Z)")

    number_checks = []
    if "minimum" in schema:
        low = schema["minimum"]
        number_checks.append(lambda v: "must be >= %s" % low if v < low else None)
    if "maximum" in schema:
        high = schema["maximum"]
        number_checks.append(lambda v: "must be <= %s" % high if v > high else None)

    min_items, max_items = schema.get("minItems"), schema.get("maxItems")
    unique_items = bool(schema.get("uniqueItems"))
    items = schema.get("items")
    is_array_schema = min_items is not None or max_items is not None or unique_items or items is not None

    required = list(schema.get("required", []))
    closed = set(schema.get("properties", {})) if schema.get("additionalProperties") is False else None
    properties = [(name, [sub, None]) for name, sub in schema.get("properties", {}).items()]
    is_object_schema = bool(required or closed is not None or properties)

    # The value's path (for messages and nested values) is `parent` joined with `name`; it is only put
    # together when a message or a nested value needs it.
    def check(value, parent, name):
        if value is None:
            if nullable:
                return
            raise ValidationError(_field(parent, name), "must not be null")
        if expected is not None:
            actual = _TYPE_NAMES.get(type(value)) or _type_name(value)
            if actual != expected and not (expected == "number" and actual == "integer"):
                raise ValidationError(_field(parent, name), type_problem + actual)
        if enum is not None and value not in enum:
            raise ValidationError(_field(parent, name), enum_problem)
        if string_checks and isinstance(value, str):
            for c in string_checks:
                problem = c(value)
                if problem is not None:
                    raise ValidationError(_field(parent, name), problem)
        if number_checks and isinstance(value, (int, float)) and not isinstance(value, bool):
            for c in number_checks:
                problem = c(value)
                if problem is not None:
                    raise ValidationError(_field(parent, name), problem)
        if (is_array_schema and isinstance(value, list)) or (is_object_schema and isinstance(value, dict)):
            path = parent if name is None else _join(parent, name)
            field = path or "(body)"
        if is_array_schema and isinstance(value, list):
            if min_items is not None and len(value) < min_items:
                raise ValidationError(field, "must have at least %d item(s)" % min_items)
            if max_items is not None and len(value) > max_items:
                raise ValidationError(field, "must have at most %d items" % max_items)
            if unique_items:
                seen = set()
                for item in value:
                    marker = json.dumps(item, sort_keys=True)
                    if marker in seen:
                        raise ValidationError(field, "must not repeat an item")
                    seen.add(marker)
            if items is not None:
                item_check = _checker(items)
                for i, item in enumerate(value):
                    item_check(item, "%s[%d]" % (field, i), None)
        if is_object_schema and isinstance(value, dict):
            for prop in required:
                if prop not in value:
                    raise ValidationError(_join(path, prop), "is required")
            if closed is not None:
                for prop in value:
                    if prop not in closed:
                        raise ValidationError(_join(path, prop), "is not an accepted field")
            for prop, sub in properties:
                if prop in value:
                    if sub[1] is None:
                        sub[1] = _checker(sub[0])
                    sub[1](value[prop], path, prop)

    _COMPILED[id(schema)] = (schema, check)
    return check


# ---------------------------------------------------------------------------------------------------------
# Demo cases: the same eight cases as the station's own demo data (src/core/DemoData.cpp), dates relative
# to today, so the README demo lines up with `receiving-cli demo-data`.
# ---------------------------------------------------------------------------------------------------------


def demo_cases(today=None):
    t = today or dt.datetime.now(dt.timezone.utc).date()

    def d(days):
        return (t + dt.timedelta(days=days)).isoformat()

    def item(line, sku, description, serial, quantity=1):
        return {"line": line, "sku": sku, "description": description, "serial": serial, "quantity": quantity}

    def case(number, phase, disposition, status, customer, account, partner, order, due, tracking, items):
        return {
            "case_number": number, "program": "TMIP", "phase": phase, "disposition": disposition,
            "status": status, "customer": {"name": customer, "account_id": account}, "partner": partner,
            "order_date": d(order), "due_date": d(due), "tracking_numbers": tracking, "items": items,
        }

    return [
        case("2026-1103-0001", 2, "trade_in", "open", "Acme Regional Networks", "ACC-104233",
             "Lone Star Integrators", -30, 60, ["1Z999AA10123456784"],
             [item(1, "CHAS-BP3-MX960-S", "MX960 chassis", "JN11F3A2BAFA"),
              item(2, "MPC7E-10G", "MPC7E 40x10GE line card", "CAHZ4512"),
              item(3, "MPC7E-10G", "MPC7E 40x10GE line card", "CAHZ4519"),
              item(4, "SRX345", "SRX345 services gateway", None, 2)]),
        case("2026-1020-0002", 1, "trade_in", "open", "Hill Country Credit Union", "ACC-220871", None,
             -80, 10, ["123456789012"],
             [item(1, "EX4300-48T", "EX4300 48-port switch", "PE3716460123"),
              item(2, "EX4300-48T", "EX4300 48-port switch", "PE3716460124"),
              item(3, "EX4300-48T", "EX4300 48-port switch", "PE3716460125")]),
        case("2026-0610-0003", 1, "trade_in", "open", "Bayou Data Centers", "ACC-330019", None,
             -150, -58, ["9400100000000000000017"],
             [item(1, "QFX5100-48S-AFO", "QFX5100 48-port SFP+", "WS3718090001"),
              item(2, "QFX5100-48S-AFO", "QFX5100 48-port SFP+", "WS3718090002")]),
        case("2026-0815-0004", 1, "trade_in", "closed", "Gulf Coast Telecom", "ACC-118804", None,
             -100, -8, [], [item(1, "SRX345", "SRX345 services gateway", "CW0218AF0042")]),
        case("2026-1001-0005", 2, "destruction", "open", "Permian Energy IT", "ACC-441902", None,
             -40, 50, [], [item(1, "MX480-PREMIUM2-AC", "MX480 chassis", "JN12A7C1DAFB")]),
        case("2026-1012-0006", 1, "trade_in", "cancelled", "Alamo Health Partners", "ACC-553310", None,
             -45, 45, [], [item(1, "EX4300-48T", "EX4300 48-port switch", "PE3716469999")]),
        case("2026-1105-0007", 2, "trade_in", "open", "Acme Regional Networks", "ACC-104233", None,
             -20, 70, ["1Z12345E0205271688"],
             [item(1, "MPC7E-MRATE", "MPC7E multi-rate line card", "CAKB7701"),
              item(2, "MX960-SCBE3", "MX960 switch control board", "CAKC1002")]),
        case("2026-1106-0008", 2, "trade_in", "open", "Acme Regional Networks", "ACC-104233", None,
             -19, 71, [], [item(1, "MPC7E-MRATE", "MPC7E multi-rate line card", "CAKB7701")]),
    ]


# ---------------------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------------------

FAULT_FIELDS = {
    # name: (kind, check)
    "error_rate": ("rate", None),
    "error_phase": ("choice", ("before", "after", "both")),
    "error_statuses": ("statuses", None),
    "rate_limit_rate": ("rate", None),
    "retry_after": ("nonneg_int", None),
    "retry_after_format": ("choice", ("seconds", "http-date", "mixed")),
    "slow_ms": ("nonneg_int", None),
    "slow_rate": ("rate", None),
    "drop_rate": ("rate", None),
    "drop_phase": ("choice", ("before", "after", "both")),
    "token_lifetime": ("pos_int", None),
    "forbid": ("bool", None),
    "strict_closure": ("bool", None),
    "endpoints": ("endpoints", None),
    "seed": ("seed", None),
}


def default_faults():
    return {
        "error_rate": 0.0, "error_phase": "both", "error_statuses": list(DEFAULT_ERROR_STATUSES),
        "rate_limit_rate": 0.0, "retry_after": 1, "retry_after_format": "mixed",
        "slow_ms": 0, "slow_rate": 1.0, "drop_rate": 0.0, "drop_phase": "both",
        "token_lifetime": DEFAULT_TOKEN_LIFETIME, "forbid": False, "strict_closure": False,
        "endpoints": list(ENDPOINTS), "seed": None,
    }


def check_fault_value(name, value):
    """Return the normalised value, or raise ValueError with a message naming the field."""
    if name not in FAULT_FIELDS:
        raise ValueError("%s: unknown fault setting (known: %s)" % (name, ", ".join(sorted(FAULT_FIELDS))))
    kind, choices = FAULT_FIELDS[name]
    if kind == "rate":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise ValueError("%s: must be a number from 0 to 1" % name)
        return float(value)
    if kind in ("nonneg_int", "pos_int"):
        if isinstance(value, bool) or not isinstance(value, int) or value < (1 if kind == "pos_int" else 0):
            raise ValueError("%s: must be an integer >= %d" % (name, 1 if kind == "pos_int" else 0))
        return value
    if kind == "choice":
        if value not in choices:
            raise ValueError("%s: must be one of %s" % (name, ", ".join(choices)))
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("%s: must be true or false" % name)
        return value
    if kind == "statuses":
        if (not isinstance(value, list) or not value
                or any(isinstance(s, bool) or not isinstance(s, int) or not 500 <= s <= 599 for s in value)):
            raise ValueError("%s: must be a non-empty list of 5xx status codes" % name)
        return list(value)
    if kind == "endpoints":
        if not isinstance(value, list) or any(e not in ENDPOINTS for e in value):
            raise ValueError("%s: must be a list drawn from %s" % (name, ", ".join(ENDPOINTS)))
        return list(value)
    if kind == "seed":
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError("%s: must be an integer or null" % name)
        return value
    raise AssertionError(kind)


# ---------------------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status, code, message, field=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or []

    def body(self):
        err = {"code": self.code, "message": self.message}
        if self.field is not None:
            err["field"] = self.field
        return {"error": err}


def check_case(case, path):
    """Schema check plus what a schema cannot say: line numbers are unique within a case."""
    validate(case, SCHEMAS["Case"], path)
    lines = [i["line"] for i in case["items"]]
    if len(set(lines)) != len(lines):
        raise ValidationError(_join(path, "items"), "line numbers must be unique within a case")


def canonical(value):
    """JSON text that tells true from 1 and 1 from 1.0, independent of key order and spacing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class State:
    """Everything the server remembers. One lock guards it; no I/O other than --state writes under it."""

    def __init__(self, seed_cases, state_file, faults, client_id, client_secret, log):
        self.lock = threading.RLock()
        self.seed_cases = seed_cases  # list of case dicts without updated_at (or with one from --cases)
        self.state_file = state_file
        self.startup_faults = dict(faults)
        self.faults = dict(faults)
        self.rng = random.Random(faults.get("seed"))
        self.client_id = client_id
        self.client_secret = client_secret
        self.log = log
        self.tokens = {}  # token -> monotonic expiry
        self.last_ms = 0
        self._reset_data()
        self._reset_counters()
        if state_file and os.path.exists(state_file):
            self._load(state_file)
        else:
            self._seed()
            self._save()

    # -- clock --------------------------------------------------------------------------------------------
    def tick(self):
        """Strictly increasing wall-clock milliseconds: every server_time and updated_at is distinct, and
        any update made after a page's server_time has a later updated_at."""
        now = int(time.time() * 1000)
        self.last_ms = max(now, self.last_ms + 1)
        return self.last_ms

    # -- data ---------------------------------------------------------------------------------------------
    def _reset_data(self):
        self.cases = {}  # case_number -> case dict (updated_at as string)
        self.case_ms = {}  # case_number -> updated_at in ms (for ordering)
        self.idempotency = {}  # key -> {"kind","case_number","request","response"}
        self.events = []
        self.receipted = {}  # case_number -> set of serials with an accepted receipt

    def _reset_counters(self):
        self.requests = 0
        self.replays = 0
        self.tokens_issued = 0
        self.faults_injected = 0
        self.fault_counts = {k: 0 for k in ("error_before", "error_after", "rate_limited", "dropped_before",
                                             "dropped_after", "slow")}
        self.responses = {}

    def _seed(self):
        for c in self.seed_cases:
            self._put_case(copy.deepcopy(c), keep_updated_at=True)

    def _put_case(self, case, keep_updated_at=False):
        if keep_updated_at and isinstance(case.get("updated_at"), str):
            ms = parse_ms(case["updated_at"])
            if ms is None:
                raise ValueError("updated_at: must be an RFC 3339 date-time")
            self.last_ms = max(self.last_ms, ms)
        else:
            ms = self.tick()
        case["updated_at"] = format_ms(ms)
        check_case(case, "case")
        self.cases[case["case_number"]] = case
        self.case_ms[case["case_number"]] = ms

    def _load(self, path):
        with open(path, "r", encoding="utf-8") as f:
            data = json.load(f)
        self.last_ms = int(data.get("last_ms", 0))
        for c in data.get("cases", []):
            self.cases[c["case_number"]] = c
            self.case_ms[c["case_number"]] = parse_ms(c["updated_at"])
        self.idempotency = data.get("idempotency", {})
        self.events = data.get("events", [])
        for e in self.events:
            if e["kind"] == "receipt":
                self.receipted.setdefault(e["case_number"], set()).add(e["serial"])
        # Seeded cases missing from the saved state (e.g. a new --cases file) are added.
        for c in self.seed_cases:
            if c["case_number"] not in self.cases:
                self._put_case(copy.deepcopy(c), keep_updated_at=True)
        self.log("loaded state from %s: %d cases, %d accepted events" % (path, len(self.cases), len(self.events)))

    def _save(self):
        if not self.state_file:
            return
        data = {
            "version": 1, "last_ms": self.last_ms,
            "cases": [self.cases[n] for n in sorted(self.cases)],
            "idempotency": self.idempotency, "events": self.events,
        }
        directory = os.path.dirname(os.path.abspath(self.state_file))
        fd, tmp = tempfile.mkstemp(prefix=".upstream-state-", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.state_file)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def reset(self, restore_faults=True):
        with self.lock:
            self._reset_data()
            self._reset_counters()
            if restore_faults:
                self.faults = dict(self.startup_faults)
                self.rng = random.Random(self.faults.get("seed"))
            self._seed()
            self._save()

    # -- faults -------------------------------------------------------------------------------------------
    def set_faults(self, changes):
        if not isinstance(changes, dict):
            raise ValueError("(body): must be a JSON object of fault settings")
        normalised = {name: check_fault_value(name, value) for name, value in changes.items()}
        with self.lock:
            self.faults.update(normalised)
            if "seed" in normalised:
                self.rng = random.Random(normalised["seed"])
            return dict(self.faults)

    def draw(self, endpoint):
        """Decide the faults for one request. Returns a dict of decisions."""
        with self.lock:
            f = self.faults
            decision = {"drop": None, "rate_limit": False, "error": None, "slow_ms": 0, "retry_after": None}
            if endpoint not in f["endpoints"]:
                return decision
            rng = self.rng
            if f["drop_rate"] > 0 and rng.random() < f["drop_rate"]:
                decision["drop"] = self._phase(f["drop_phase"])
            elif f["rate_limit_rate"] > 0 and rng.random() < f["rate_limit_rate"]:
                decision["rate_limit"] = True
            elif f["error_rate"] > 0 and rng.random() < f["error_rate"]:
                decision["error"] = (self._phase(f["error_phase"]), rng.choice(f["error_statuses"]))
            if f["slow_ms"] > 0 and rng.random() < f["slow_rate"]:
                decision["slow_ms"] = f["slow_ms"]
            fmt = f["retry_after_format"]
            if fmt == "mixed":
                fmt = rng.choice(("seconds", "http-date"))
            decision["retry_after"] = retry_after_value(f["retry_after"], fmt)
            return decision

    def _phase(self, phase):
        return phase if phase != "both" else self.rng.choice(("before", "after"))

    def count_fault(self, name):
        with self.lock:
            self.faults_injected += 1
            self.fault_counts[name] += 1

    def count_response(self, status):
        with self.lock:
            self.responses[str(status)] = self.responses.get(str(status), 0) + 1

    # -- tokens -------------------------------------------------------------------------------------------
    def issue_token(self):
        with self.lock:
            token = secrets.token_urlsafe(32)
            lifetime = self.faults["token_lifetime"]
            self.tokens[token] = time.monotonic() + lifetime
            self.tokens_issued += 1
            now = time.monotonic()
            for t in [t for t, exp in self.tokens.items() if exp < now - 3600]:
                del self.tokens[t]
            return token, lifetime

    def check_token(self, token):
        with self.lock:
            exp = self.tokens.get(token)
            if exp is None:
                return "invalid_token"
            if time.monotonic() >= exp:
                return "token_expired"
            return None

    def revoke_tokens(self):
        with self.lock:
            n = len(self.tokens)
            self.tokens.clear()
            return n

    # -- stats --------------------------------------------------------------------------------------------
    def stats(self):
        with self.lock:
            accepted = {k: 0 for k in EVENT_KINDS}
            by_serial = {}
            by_kind_serial = {"receipt": {}, "unmatched": {}}
            out_of_order = []
            for e in self.events:
                accepted[e["kind"]] += 1
                if e["kind"] in by_kind_serial:
                    # A report superseded by its unit's receipt is the same unit, not a second one.
                    if not e.get("superseded_by"):
                        by_serial[e["serial"]] = by_serial.get(e["serial"], 0) + 1
                    per = by_kind_serial[e["kind"]]
                    per[e["serial"]] = per.get(e["serial"], 0) + 1
                if e["kind"] == "closure" and e["missing_receipts"]:
                    out_of_order.append(e["key"])
            return {
                "accepted": accepted,
                "keys": [e["key"] for e in self.events],
                "by_serial": by_serial,
                "duplicates_by_serial": {s: n for s, n in by_serial.items() if n > 1},
                "by_kind_serial": by_kind_serial,
                "out_of_order_closures": out_of_order,
                "superseded_unmatched": {e["key"]: e["superseded_by"] for e in self.events
                                         if e["kind"] == "unmatched" and e.get("superseded_by")},
                "events": copy.deepcopy(self.events),
                "requests": self.requests,
                "replays": self.replays,
                "tokens_issued": self.tokens_issued,
                "faults_injected": self.faults_injected,
                "faults": dict(self.fault_counts),
                "responses": dict(self.responses),
            }

    # -- cases ----------------------------------------------------------------------------------------------
    def upsert_cases(self, items):
        with self.lock:
            staged = []
            for i, c in enumerate(items):
                if not isinstance(c, dict) or not isinstance(c.get("case_number"), str):
                    raise ValidationError("cases[%d].case_number" % i, "is required")
                merged = copy.deepcopy(self.cases.get(c["case_number"], {}))
                merged.update(copy.deepcopy(c))
                merged.pop("updated_at", None)
                merged["updated_at"] = format_ms(self.last_ms)  # placeholder, replaced by _put_case
                try:
                    check_case(merged, "")
                except ValidationError as e:
                    raise ValidationError("cases[%d].%s" % (i, e.field), e.problem)
                staged.append(merged)
            out = []
            for c in staged:
                self._put_case(c)
                out.append(copy.deepcopy(c))
            self._save()
            return out

    def set_case_status(self, number, status):
        with self.lock:
            case = self.cases.get(number)
            if case is None:
                return None
            case["status"] = status
            self._put_case(case)
            self._save()
            return copy.deepcopy(case)


def retry_after_value(seconds, fmt):
    if fmt == "http-date":
        return email.utils.formatdate(math.ceil(time.time()) + seconds, usegmt=True)
    return str(seconds)


# ---------------------------------------------------------------------------------------------------------
# The public API
# ---------------------------------------------------------------------------------------------------------


def encode_page_token(since_us, status, after_ms, after_number):
    raw = json.dumps({"v": 1, "s": since_us, "st": status, "a": [after_ms, after_number]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_page_token(token):
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(data, dict) or data.get("v") != 1:
            raise ValueError
        since = data["s"]
        status = data["st"]
        after_ms, after_number = data["a"]
        if since is not None and not isinstance(since, int):
            raise ValueError
        if not isinstance(after_ms, int) or not isinstance(after_number, str):
            raise ValueError
        return since, status, after_ms, after_number
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        raise ApiError(422, "invalid", "page_token: is not a token this server issued", "page_token")


class Api:
    def __init__(self, state):
        self.state = state

    # -- token --------------------------------------------------------------------------------------------
    def token(self, headers, body):
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            raise ApiError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
        try:
            form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            raise ApiError(400, "invalid_request", "the form is not UTF-8")
        for name, values in form.items():
            if len(values) > 1:
                raise ApiError(400, "invalid_request", "%s: must appear once" % name, name)
        fields = {k: v[0] for k, v in form.items()}
        try:
            validate(fields, SCHEMAS["TokenRequest"])
        except ValidationError as e:
            if e.field == "grant_type" and "grant_type" in fields:
                raise ApiError(400, "unsupported_grant_type", "grant_type: only client_credentials is supported",
                               "grant_type")
            raise ApiError(400, "invalid_request", str(e), e.field)
        auth = headers.get("Authorization")
        basic = None
        if auth:
            scheme, _, value = auth.partition(" ")
            if scheme.lower() != "basic":
                raise ApiError(401, "invalid_client", "Authorization must use the Basic scheme",
                               headers=[("WWW-Authenticate", 'Basic realm="upstream"')])
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
                cid, sep, secret = decoded.partition(":")
                if not sep:
                    raise ValueError
            except (ValueError, binascii.Error, UnicodeDecodeError):
                raise ApiError(401, "invalid_client", "malformed Basic credentials",
                               headers=[("WWW-Authenticate", 'Basic realm="upstream"')])
            basic = (cid, secret)
        form_creds = ("client_id" in fields) or ("client_secret" in fields)
        if basic and form_creds:
            raise ApiError(400, "invalid_request",
                           "send the client credentials either by HTTP Basic or in the form, not both")
        if basic:
            candidates = [basic, (urllib.parse.unquote_plus(basic[0]), urllib.parse.unquote_plus(basic[1]))]
        elif form_creds:
            candidates = [(fields.get("client_id", ""), fields.get("client_secret", ""))]
        else:
            raise ApiError(401, "invalid_client", "client credentials are required (HTTP Basic or form)",
                           headers=[("WWW-Authenticate", 'Basic realm="upstream"')])
        with self.state.lock:
            expected = (self.state.client_id, self.state.client_secret)
        want = json.dumps(expected).encode("utf-8")
        if not any(secrets.compare_digest(json.dumps(c).encode("utf-8"), want) for c in candidates):
            raise ApiError(401, "invalid_client", "unknown client or wrong secret",
                           headers=[("WWW-Authenticate", 'Basic realm="upstream"')])
        token, lifetime = self.state.issue_token()
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": lifetime}, \
            [("Cache-Control", "no-store"), ("Pragma", "no-cache")]

    # -- auth for /v1 -------------------------------------------------------------------------------------
    def authorise(self, headers):
        with self.state.lock:
            forbid = self.state.faults["forbid"]
        if forbid:
            raise ApiError(403, "forbidden", "this client may not use the API (fault: forbid)")
        challenge = 'Bearer realm="upstream"'
        auth = headers.get("Authorization")
        if not auth:
            raise ApiError(401, "missing_token", "an Authorization: Bearer token is required",
                           headers=[("WWW-Authenticate", challenge)])
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "invalid_token", "Authorization must be 'Bearer <token>'",
                           headers=[("WWW-Authenticate", challenge + ', error="invalid_request"')])
        problem = self.state.check_token(token.strip())
        if problem:
            message = "the access token has expired" if problem == "token_expired" else "unknown access token"
            raise ApiError(401, problem, message, headers=[("WWW-Authenticate", challenge + ', error="invalid_token"')])

    # -- cases --------------------------------------------------------------------------------------------
    def list_cases(self, query):
        q = {k: v[-1] for k, v in query.items()}
        limit = PAGE_LIMIT_DEFAULT
        if "limit" in q:
            if not re.fullmatch(r"[0-9]{1,6}", q["limit"]) or not 1 <= int(q["limit"]) <= PAGE_LIMIT_MAX:
                raise ApiError(422, "invalid", "limit: must be an integer from 1 to %d" % PAGE_LIMIT_MAX, "limit")
            limit = int(q["limit"])
        since_us = None
        if "updated_since" in q:
            since_us = parse_date_time_us(q["updated_since"])
            if since_us is None:
                raise ApiError(422, "invalid", "updated_since: must be an RFC 3339 date-time with a time zone "
                                               "(percent-encode '+' as %2B)", "updated_since")
        status = q.get("status")
        if status is not None and status not in ("open", "closed", "cancelled"):
            raise ApiError(422, "invalid", "status: must be one of open, closed, cancelled", "status")
        after = None
        if "page_token" in q:
            t_since, t_status, a_ms, a_num = decode_page_token(q["page_token"])
            if "updated_since" in q and since_us != t_since:
                raise ApiError(422, "invalid", "page_token: was issued for another updated_since", "page_token")
            if "status" in q and status != t_status:
                raise ApiError(422, "invalid", "page_token: was issued for another status", "page_token")
            since_us, status, after = t_since, t_status, (a_ms, a_num)
        with self.state.lock:
            server_time = format_ms(self.state.tick())
            rows = []
            for number, case in self.state.cases.items():
                ms = self.state.case_ms[number]
                if since_us is not None and ms * 1000 < since_us:
                    continue  # updated_at >= updated_since is kept (see README: boundary)
                if status is not None and case["status"] != status:
                    continue
                if after is not None and (ms, number) <= after:
                    continue
                rows.append((ms, number))
            rows.sort()
            page = rows[:limit]
            cases = [copy.deepcopy(self.state.cases[n]) for _, n in page]
        next_token = None
        if len(rows) > limit:
            last_ms, last_number = page[-1]
            next_token = encode_page_token(since_us, status, last_ms, last_number)
        return 200, {"cases": cases, "next_page_token": next_token, "server_time": server_time}, []

    # -- events -------------------------------------------------------------------------------------------
    def event(self, kind, case_number, headers, body):
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise ApiError(415, "unsupported_media_type", "Content-Type must be application/json")
        key = headers.get("Idempotency-Key")
        if key is None:
            raise ApiError(422, "invalid", "Idempotency-Key: header is required", "Idempotency-Key")
        if not re.match(IDEMPOTENCY_KEY_PATTERN, key):
            raise ApiError(422, "invalid", "Idempotency-Key: must be 1 to 200 visible ASCII characters "
                                           "(a UUID is recommended)", "Idempotency-Key")
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise ApiError(422, "invalid", "(body): is not valid JSON (%s)" % e, "(body)")
        schema_name = {"receipt": "Receipt", "closure": "Closure", "unmatched": "Unmatched"}[kind]
        st = self.state
        with st.lock:
            seen = st.idempotency.get(key)
            if seen is not None:
                if seen["kind"] == kind and seen["case_number"] == case_number and canonical(seen["request"]) == canonical(payload):
                    st.replays += 1
                    # Answers are never changed once stored, and are serialised before anything else runs.
                    return 200, seen["response"], [("Idempotent-Replayed", "true")]
                raise ApiError(422, "idempotency_mismatch",
                               "Idempotency-Key: was already used for a different request (%s%s)"
                               % (seen["kind"], " on case " + seen["case_number"] if seen["case_number"] else ""),
                               "Idempotency-Key")
            try:
                validate(payload, SCHEMAS[schema_name])
            except ValidationError as e:
                raise ApiError(422, "invalid", str(e), e.field)
            case = None
            if kind in ("receipt", "closure"):
                case = st.cases.get(case_number)
                if case is None:
                    raise ApiError(404, "case_not_found", "no case %s" % case_number)
                if case["status"] != "open":
                    raise ApiError(409, "case_closed", "case %s is %s and accepts no more %s"
                                   % (case_number, case["status"], "receipts" if kind == "receipt" else "closures"))
            accepted_ms = st.tick()
            accepted_at = format_ms(accepted_ms)
            event = {"seq": len(st.events) + 1, "kind": kind, "key": key, "arrived_at": accepted_at}
            if kind == "receipt":
                event.update(case_number=case_number, serial=payload["serial"], id=payload["receipt_id"],
                             line=payload["line"])
                supersedes = payload.get("supersedes_unmatched")
                if supersedes:
                    # The unit reported unmatched before its case listed it: that report is superseded.
                    event["supersedes_unmatched"] = supersedes
                    for e in st.events:
                        if e["kind"] == "unmatched" and e["key"] == supersedes:
                            e["superseded_by"] = payload["receipt_id"]
                response = {"case_number": case_number, "receipt": payload, "accepted_at": accepted_at}
                st.receipted.setdefault(case_number, set()).add(payload["serial"])
            elif kind == "closure":
                have = st.receipted.get(case_number, set())
                missing = [s for s in payload["received"] if s not in have]
                if missing and st.faults["strict_closure"]:
                    raise ApiError(409, "receipts_missing",
                                   "closure lists serials with no accepted receipt: %s" % ", ".join(missing[:10]))
                event.update(case_number=case_number, serial=None, id=payload["closure_id"],
                             closure_kind=payload["kind"], received=list(payload["received"]),
                             missing_lines=list(payload["missing_lines"]), missing_receipts=missing)
                case["status"] = "closed"
                st._put_case(case)
                response = {"case_number": case_number, "closure": payload, "case_status": "closed",
                            "accepted_at": accepted_at}
            else:
                event.update(case_number=payload["case_number"], serial=payload["serial"], id=payload["report_id"],
                             case_known=payload["case_number"] in st.cases if payload["case_number"] else None)
                for e in st.events:  # a receipt that superseded this report arrived first
                    if e["kind"] == "receipt" and e.get("supersedes_unmatched") == key:
                        event["superseded_by"] = e["id"]
                response = {"report": payload, "accepted_at": accepted_at}
            st.events.append(event)
            st.idempotency[key] = {"kind": kind, "case_number": case_number, "request": payload,
                                   "response": response}
            st._save()
            return 201, response, []


# ---------------------------------------------------------------------------------------------------------
# HTTP plumbing
# ---------------------------------------------------------------------------------------------------------

_CASE_PATH_RE = re.compile(r"^/v1/cases/([^/]+)/(receipts|closure)$")
_CLOSE_CASE_RE = re.compile(r"^/_control/close-case/([^/]+)$")

RESPONSE_SCHEMA = {"token": "TokenResponse", "cases": "CasePage", "receipt": "ReceiptAccepted",
                   "closure": "ClosureAccepted", "unmatched": "UnmatchedAccepted"}


class Reply:
    """What one request gets: an answer (serialised now, sent after `delay` seconds) or a dropped connection."""

    __slots__ = ("status", "data", "headers", "note", "delay", "drop", "close")

    def __init__(self, status, body, headers=(), note="", delay=0.0, drop=False, close=False):
        self.status = status
        # Serialised at once: a delayed answer shows the state of the moment it was decided.
        self.data = json.dumps(body, separators=(",", ":")).encode("utf-8") if body is not None else b""
        self.headers = headers
        self.note = note
        self.delay = delay
        self.drop = drop
        self.close = close


class Request:
    __slots__ = ("method", "target", "version", "headers", "body", "path", "query", "close")


class _Headers:
    """Case-insensitive header access with .get(name); the first of repeated fields wins."""

    def __init__(self, fields):
        self._f = fields  # lower-case name -> value

    def get(self, name, default=None):
        v = self._f.get(name.lower())
        return default if v is None else v


class BadRequest(Exception):
    """A request this server cannot read: answered with `status` and the connection closed."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Router:
    """Turns a parsed request into a Reply: the public API with its faults, and the control endpoints."""

    def __init__(self, state, api):
        self.state = state
        self.api = api

    def handle(self, req):
        if req.path.startswith("/_control/") or req.path == "/_control":
            return self._control(req)
        return self._public(req)

    @staticmethod
    def _route(path):
        """-> (endpoint name, allowed method, case_number) or None."""
        if path == "/oauth/token":
            return "token", "POST", None
        if path == "/v1/cases":
            return "cases", "GET", None
        if path == "/v1/unmatched":
            return "unmatched", "POST", None
        m = _CASE_PATH_RE.match(path)
        if m:
            number = urllib.parse.unquote(m.group(1))
            return ("receipt" if m.group(2) == "receipts" else "closure"), "POST", number
        return None

    def _public(self, req):
        st = self.state
        with st.lock:
            st.requests += 1
        route = self._route(req.path)
        if route is None:
            return self._answer(404, ApiError(404, "not_found", "no such endpoint: %s" % req.path).body())
        endpoint, method, case_number = route
        if req.method != method:
            return self._answer(405, ApiError(405, "method_not_allowed", "use %s" % method).body(),
                                [("Allow", method)])
        d = st.draw(endpoint)
        if d["drop"] == "before":
            st.count_fault("dropped_before")
            st.count_response("dropped")
            return Reply(0, None, note="(fault: dropped before handling)", drop=True)
        if d["rate_limit"]:
            st.count_fault("rate_limited")
            return self._answer(429, ApiError(429, "rate_limited", "too many requests (fault)").body(),
                                [("Retry-After", d["retry_after"])], "(fault: 429)")
        if d["error"] and d["error"][0] == "before":
            st.count_fault("error_before")
            return self._fault_error(d, "before handling")
        hdrs = req.headers
        try:
            if endpoint == "token":
                status, out, extra = self.api.token(hdrs, req.body)
            else:
                self.api.authorise(hdrs)
                if endpoint == "cases":
                    status, out, extra = self.api.list_cases(
                        urllib.parse.parse_qs(req.query, keep_blank_values=True))
                else:
                    status, out, extra = self.api.event(endpoint, case_number, hdrs, req.body)
            try:
                validate(out, SCHEMAS[RESPONSE_SCHEMA[endpoint]])
            except ValidationError as e:  # a bug in this server: say so loudly
                sys.stderr.write("upstream: BUG: response does not match %s: %s\n" % (RESPONSE_SCHEMA[endpoint], e))
                status, out, extra = 500, ApiError(500, "internal", "response failed self-check: %s" % e).body(), []
        except ApiError as e:
            status, out, extra = e.status, e.body(), e.headers
        if d["drop"] == "after":
            st.count_fault("dropped_after")
            st.count_response("dropped")
            return Reply(0, None, note="(fault: dropped after handling, would have been %d)" % status, drop=True)
        if d["error"] and d["error"][0] == "after":
            st.count_fault("error_after")
            return self._fault_error(d, "after handling (would have been %d)" % status)
        delay = 0.0
        if d["slow_ms"]:
            st.count_fault("slow")
            delay = d["slow_ms"] / 1000.0
        return self._answer(status, out, extra, delay=delay)

    def _fault_error(self, d, when):
        phase, status = d["error"]
        headers = [("Retry-After", d["retry_after"])] if status == 503 else []
        return self._answer(status, ApiError(status, "injected_fault", "injected %d %s" % (status, when)).body(),
                            headers, "(fault: %d %s)" % (status, when), delay=d["slow_ms"] / 1000.0)

    def _answer(self, status, body, headers=(), note="", delay=0.0):
        self.state.count_response(status)
        return Reply(status, body, headers, note, delay)

    def _control(self, req):
        st = self.state
        body = req.body

        def parsed(default=None):
            if not body.strip():
                return default
            try:
                return json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise ApiError(400, "bad_request", "(body): is not valid JSON (%s)" % e)

        path = req.path
        try:
            m = _CLOSE_CASE_RE.match(path)
            key = (req.method, "/_control/close-case" if m else path)
            if key == ("GET", "/_control/health"):
                return Reply(200, {"ok": True})
            if key == ("GET", "/_control/faults"):
                with st.lock:
                    return Reply(200, dict(st.faults))
            if key == ("POST", "/_control/faults"):
                try:
                    return Reply(200, st.set_faults(parsed({})))
                except ValueError as e:
                    raise ApiError(400, "bad_request", str(e))
            if key == ("GET", "/_control/stats"):
                return Reply(200, st.stats())
            if key == ("POST", "/_control/reset"):
                opts = parsed({}) or {}
                st.reset(restore_faults=bool(opts.get("faults", True)) if isinstance(opts, dict) else True)
                return Reply(200, {"ok": True})
            if key == ("GET", "/_control/cases"):
                with st.lock:
                    return Reply(200, {"cases": [st.cases[n] for n in sorted(st.cases)]})
            if key == ("POST", "/_control/cases"):
                data = parsed()
                items = data.get("cases") if isinstance(data, dict) and "cases" in data else [data]
                if not isinstance(items, list):
                    raise ApiError(400, "bad_request", "cases: must be a list")
                try:
                    return Reply(200, {"cases": st.upsert_cases(items)})
                except ValidationError as e:
                    raise ApiError(400, "bad_request", str(e), e.field)
            if key == ("POST", "/_control/close-case"):
                number = urllib.parse.unquote(m.group(1))
                opts = parsed({}) or {}
                status = opts.get("status", "closed") if isinstance(opts, dict) else "closed"
                if status not in ("closed", "cancelled", "open"):
                    raise ApiError(400, "bad_request", "status: must be closed, cancelled or open")
                case = st.set_case_status(number, status)
                if case is None:
                    raise ApiError(404, "case_not_found", "no case %s" % number)
                return Reply(200, case)
            if key == ("POST", "/_control/revoke-tokens"):
                return Reply(200, {"revoked": st.revoke_tokens()})
            if key == ("POST", "/_control/credentials"):
                data = parsed({}) or {}
                if not isinstance(data, dict) or any(
                        k not in ("client_id", "client_secret") or not isinstance(v, str) or not v
                        for k, v in data.items()):
                    raise ApiError(400, "bad_request", "expects {\"client_id\": str, \"client_secret\": str}")
                with st.lock:
                    st.client_id = data.get("client_id", st.client_id)
                    st.client_secret = data.get("client_secret", st.client_secret)
                return Reply(200, {"client_id": st.client_id})
            raise ApiError(404, "not_found", "no such control endpoint: %s %s" % (req.method, path))
        except ApiError as e:
            return Reply(e.status, e.body(), e.headers)


MAX_HEAD_BYTES = 65536
MAX_HEADER_FIELDS = 100
IDLE_TIMEOUT = 120  # idle keep-alive connections are closed after this many seconds
_METHODS = frozenset(("GET", "POST", "PUT", "DELETE", "PATCH"))
_REASONS = {s.value: s.phrase for s in http.HTTPStatus}
_SERVER_NAME = "ReferenceUpstream/1"


class _DateHeader:
    """The Date header's value, formatted once a second."""

    second = None
    value = ""

    @classmethod
    def now(cls):
        t = int(time.time())
        if t != cls.second:
            cls.second, cls.value = t, email.utils.formatdate(t, usegmt=True)
        return cls.value


class Connection(asyncio.Protocol):
    """One client connection: HTTP/1.1 with keep-alive, requests answered one after another in order.

    Everything runs on the event loop's one thread: a request is parsed, handled and answered (one write,
    headers and body together) without any thread hand-off; a slow-fault answer waits on a timer while
    other connections go on."""

    def __init__(self, server):
        self.server = server
        self.transport = None
        self.buf = bytearray()
        self.busy = False  # an answer is waiting for its slow-fault timer
        self.closed = False
        self.continued = False  # "100 Continue" already sent for the request being read
        self.eof = False
        self.last_active = time.monotonic()
        self.peer = ("-", "-")

    # -- asyncio callbacks -----------------------------------------------------------------------------------
    def connection_made(self, transport):
        self.transport = transport
        peer = transport.get_extra_info("peername")
        if peer:
            self.peer = peer[:2]
        self.server.connections.add(self)

    def connection_lost(self, exc):
        self.closed = True
        self.server.connections.discard(self)
        if exc is not None and not self.server.quiet:
            self.server.log("connection from %s:%s ended: %s" % (self.peer[0], self.peer[1], exc))

    def data_received(self, data):
        self.last_active = time.monotonic()
        self.buf += data
        if not self.busy:
            self._process()

    def eof_received(self):
        if self.busy:  # the client half-closed after its request: answer it, then close
            self.eof = True
            return True
        return False  # close our side too

    # -- requests ----------------------------------------------------------------------------------------------
    def _process(self):
        while self.buf and not self.busy and not self.closed:
            started = time.monotonic()
            try:
                req = self._parse()
            except BadRequest as e:
                self._send(Reply(e.status, {"error": {"code": e.code, "message": e.message}}, close=True),
                           "-", "-", started)
                return
            if req is None:
                return  # wait for the rest
            try:
                reply = self.server.router.handle(req)
            except Exception:  # a bug in this server: the traceback goes to stderr, the client gets a 500
                traceback.print_exc()
                reply = Reply(500, ApiError(500, "internal", "the reference upstream failed").body(), close=True)
            if req.close:
                reply.close = True
            if reply.drop:
                self._log(req.method, req.target, "dropped", started, reply.note)
                self.closed = True
                self.transport.close()
                return
            if reply.delay > 0:
                self.busy = True
                asyncio.get_running_loop().call_later(reply.delay, self._send_later, reply, req, started)
                return
            self._send(reply, req.method, req.target, started)

    def _send_later(self, reply, req, started):
        self.busy = False
        if self.closed or self.transport.is_closing():
            self._log(req.method, req.target, reply.status, started, reply.note + " (client gone)")
            return
        self._send(reply, req.method, req.target, started)
        if self.eof and not self.closed:
            self.closed = True
            self.transport.close()
            return
        self._process()

    def _send(self, reply, method, target, started):
        lines = ["HTTP/1.1 %d %s" % (reply.status, _REASONS.get(reply.status, "")),
                 "Server: " + _SERVER_NAME,
                 "Date: " + _DateHeader.now(),
                 "Content-Type: application/json",
                 "Content-Length: %d" % len(reply.data)]
        for name, value in reply.headers:
            lines.append("%s: %s" % (name, value))
        if reply.close:
            lines.append("Connection: close")
        lines.append("\r\n")
        self.transport.write("\r\n".join(lines).encode("latin-1") + reply.data)
        self._log(method, target, reply.status, started, reply.note)
        if reply.close:
            self.closed = True
            self.transport.close()

    def _log(self, method, target, status, started, note=""):
        if not self.server.quiet:
            took = (time.monotonic() - started) * 1000
            sys.stderr.write("%s upstream: %s %s -> %s %.0fms%s\n" % (
                time.strftime("%H:%M:%S"), method, target, status, took, (" " + note) if note else ""))

    def _parse(self):
        """The next complete request in the buffer (removed from it), None while incomplete."""
        buf = self.buf
        while buf[:2] == b"\r\n":  # stray empty lines between requests
            del buf[:2]
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            if len(buf) > MAX_HEAD_BYTES:
                raise BadRequest(431, "http_431", "the request head is too large")
            return None
        if end > MAX_HEAD_BYTES:
            raise BadRequest(431, "http_431", "the request head is too large")
        lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
        words = lines[0].split()
        if len(words) != 3:
            raise BadRequest(400, "bad_request", "Bad request syntax (%r)" % lines[0])
        method, target, version = words
        if not version.startswith("HTTP/1."):
            if version.startswith("HTTP/"):
                raise BadRequest(505, "http_505", "Invalid HTTP version (%s)" % version)
            raise BadRequest(400, "bad_request", "Bad request version (%r)" % version)
        if method not in _METHODS:
            raise BadRequest(501, "http_501", "Unsupported method (%r)" % method)
        if len(lines) - 1 > MAX_HEADER_FIELDS:
            raise BadRequest(431, "http_431", "Too many headers")
        fields = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep or not name or name != name.strip():
                raise BadRequest(400, "bad_request", "malformed header line (%r)" % line[:100])
            fields.setdefault(name.lower(), value.strip())
        start = end + 4
        if "chunked" in fields.get("transfer-encoding", "").lower():
            body, consumed = self._chunked(start)
            if body is None:
                self._maybe_continue(fields, version)
                return None
        else:
            length = fields.get("content-length")
            n = 0
            if length is not None:
                if not length.isdigit():
                    raise BadRequest(400, "bad_request", "Content-Length is not a number")
                n = int(length)
                if n > MAX_BODY_BYTES:
                    raise BadRequest(413, "payload_too_large", "the body is larger than %d bytes" % MAX_BODY_BYTES)
            if len(buf) - start < n:
                self._maybe_continue(fields, version)
                return None
            body, consumed = bytes(buf[start:start + n]), start + n
        del buf[:consumed]
        self.continued = False
        req = Request()
        req.method, req.target, req.version, req.body = method, target, version, body
        req.headers = _Headers(fields)
        url = urllib.parse.urlsplit(target)
        req.path, req.query = url.path, url.query
        connection = fields.get("connection", "").lower()
        req.close = "close" in connection or (version == "HTTP/1.0" and "keep-alive" not in connection)
        return req

    def _chunked(self, pos):
        """-> (body, end offset) of a complete chunked body starting at `pos`, or (None, None)."""
        buf, chunks, total = self.buf, [], 0
        while True:
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                return None, None
            try:
                size = int(bytes(buf[pos:eol]).split(b";", 1)[0].strip() or b"0", 16)
            except ValueError:
                raise BadRequest(400, "bad_request", "malformed request body")
            pos = eol + 2
            if size == 0:
                while True:  # trailer fields up to an empty line
                    eol = buf.find(b"\r\n", pos)
                    if eol < 0:
                        return None, None
                    empty = eol == pos
                    pos = eol + 2
                    if empty:
                        return b"".join(chunks), pos
            total += size
            if total > MAX_BODY_BYTES:
                raise BadRequest(413, "payload_too_large", "the body is larger than %d bytes" % MAX_BODY_BYTES)
            if len(buf) < pos + size + 2:
                return None, None
            chunks.append(bytes(buf[pos:pos + size]))
            pos += size + 2

    def _maybe_continue(self, fields, version):
        if (not self.continued and version != "HTTP/1.0"
                and fields.get("expect", "").lower() == "100-continue"):
            self.continued = True
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")


class UpstreamServer:
    """The listening socket(s) and the open connections, on one asyncio event loop."""

    def __init__(self, router, ssl_context, quiet, log):
        self.router = router
        self.ssl_context = ssl_context
        self.quiet = quiet
        self.log = log
        self.connections = set()
        self.server = None

    async def start(self, host, port):
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(self._loop_error)
        self.server = await loop.create_server(
            lambda: Connection(self), host, port, ssl=self.ssl_context, backlog=128,
            ssl_handshake_timeout=30 if self.ssl_context else None)
        loop.call_later(5, self._close_idle)
        return self.server.sockets[0].getsockname()[1]

    def _close_idle(self):
        now = time.monotonic()
        for c in [c for c in self.connections if not c.busy and now - c.last_active > IDLE_TIMEOUT]:
            c.closed = True
            c.transport.close()
        asyncio.get_running_loop().call_later(5, self._close_idle)

    def _loop_error(self, loop, context):
        exc = context.get("exception")
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError, socket.timeout)):
            self.log("connection ended: %s" % exc)
            return
        loop.default_exception_handler(context)  # anything else is a bug: with its traceback


def make_server(args, log):
    """-> (UpstreamServer, State), not yet listening (UpstreamServer.start binds the port)."""
    faults = default_faults()
    for name in FAULT_FIELDS:
        value = getattr(args, name, None)
        if value is not None:
            faults[name] = check_fault_value(name, value)
    seed_cases = []
    if args.demo:
        seed_cases.extend(demo_cases())
    if args.cases:
        with open(args.cases, "r", encoding="utf-8") as f:
            data = json.load(f)
        items = data.get("cases") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ValueError("%s: expected {\"cases\": [...]}" % args.cases)
        numbers = {c["case_number"] for c in seed_cases}
        for c in items:
            if isinstance(c, dict) and c.get("case_number") in numbers:
                seed_cases = [s for s in seed_cases if s["case_number"] != c["case_number"]]
            seed_cases.append(c)
    state = State(seed_cases, args.state, faults, args.client_id, args.client_secret, log)
    ctx = None
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        ctx.set_alpn_protocols(["http/1.1"])  # this server speaks HTTP/1.1 only; never let a client pick h2
    return UpstreamServer(Router(state, Api(state)), ctx, args.quiet, log), state


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Reference upstream for Receiving Station (see README.md).")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8089, help="port to bind, 0 for any free one (default 8089)")
    p.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this PEM certificate (chain)")
    p.add_argument("--tls-key", metavar="FILE", help="PEM private key for --tls-cert (if not inside it)")
    p.add_argument("--cases", metavar="FILE", help='seed cases from a JSON file {"cases": [Case, ...]}')
    p.add_argument("--demo", action="store_true", help="seed the eight demo cases")
    p.add_argument("--state", metavar="FILE", help="persist cases and accepted events in FILE (JSON) and load them "
                                                   "at start")
    p.add_argument("--client-id", default=DEFAULT_CLIENT_ID, help="accepted client id (default %(default)s)")
    p.add_argument("--client-secret", default=DEFAULT_CLIENT_SECRET,
                   help="accepted client secret (default %(default)s)")
    p.add_argument("--token-lifetime", dest="token_lifetime", type=int, metavar="SECONDS",
                   help="lifetime of issued tokens (default %d)" % DEFAULT_TOKEN_LIFETIME)
    p.add_argument("--error-rate", dest="error_rate", type=float, metavar="P",
                   help="probability of an injected 5xx (default 0)")
    p.add_argument("--error-phase", dest="error_phase", choices=("before", "after", "both"),
                   help="inject 5xx before handling, after handling (the event IS applied), or both at random "
                        "(default both)")
    p.add_argument("--error-statuses", dest="error_statuses", metavar="LIST",
                   type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                   help="comma-separated 5xx codes to draw from (default 500,502,503,504)")
    p.add_argument("--rate-limit-rate", dest="rate_limit_rate", type=float, metavar="P",
                   help="probability of a 429 with Retry-After (default 0)")
    p.add_argument("--retry-after", dest="retry_after", type=int, metavar="SECONDS",
                   help="Retry-After on 429 and injected 503 (default 1)")
    p.add_argument("--retry-after-format", dest="retry_after_format", choices=("seconds", "http-date", "mixed"),
                   help="Retry-After as delta-seconds, as an HTTP date, or either at random (default mixed)")
    p.add_argument("--slow-ms", dest="slow_ms", type=int, metavar="MS",
                   help="delay answers by MS milliseconds (default 0)")
    p.add_argument("--slow-rate", dest="slow_rate", type=float, metavar="P",
                   help="probability that an answer is delayed by --slow-ms (default 1)")
    p.add_argument("--drop-rate", dest="drop_rate", type=float, metavar="P",
                   help="probability of closing the connection without an answer (default 0)")
    p.add_argument("--drop-phase", dest="drop_phase", choices=("before", "after", "both"),
                   help="drop before handling, after handling (the event IS applied), or both at random "
                        "(default both)")
    p.add_argument("--forbid", dest="forbid", action="store_const", const=True,
                   help="answer every /v1 request with 403 (credentials rejected)")
    p.add_argument("--strict-closure", dest="strict_closure", action="store_const", const=True,
                   help="refuse (409 receipts_missing) a closure listing a serial with no accepted receipt")
    p.add_argument("--fault-endpoints", dest="endpoints", metavar="LIST",
                   type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                   help="endpoints subject to faults: any of token,cases,receipt,closure,unmatched (default all)")
    p.add_argument("--seed", dest="seed", type=int, help="seed for the fault generator (default: random)")
    p.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)

    def log(msg):
        sys.stderr.write("upstream: %s\n" % msg)

    try:
        server, state = make_server(args, log)
    except (ValueError, KeyError, TypeError, OSError, ssl.SSLError) as e:
        sys.stderr.write("reference_upstream: %s\n" % e)
        return 2

    async def serve():
        try:
            port = await server.start(args.host, args.port)
        except OSError as e:
            sys.stderr.write("reference_upstream: %s\n" % e)
            return 2
        sys.stdout.write("listening on %d\n" % port)
        sys.stdout.flush()
        log("%s://%s:%d  client_id=%s  cases=%d  faults=%s" % (
            "https" if args.tls_cert else "http", args.host, port, state.client_id, len(state.cases),
            json.dumps({k: v for k, v in state.faults.items() if v != default_faults()[k]})))
        await asyncio.Event().wait()  # until SIGTERM or Ctrl-C
        return 0

    try:
        return asyncio.run(serve())
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
