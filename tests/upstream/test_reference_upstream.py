#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests for the reference upstream and its OpenAPI document (Python standard library only).

Run:  python3 tests/upstream/test_reference_upstream.py        (or: python3 -m unittest discover -s tests/upstream)

Tools the tests drive: openssl (TLS test), node and npm (Redocly lint, schema bundle, Prism proxy). A missing
tool FAILS its test, never skips it. The npm tools are installed into tests/upstream/node_modules from
package-lock.json (`npm ci`) on first use if they are not there yet.
"""

import base64
import datetime as dt
import email.utils
import fcntl
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "reference_upstream.py")
sys.path.insert(0, HERE)
import reference_upstream as ru  # noqa: E402  (for SCHEMAS and the demo data)

CLIENT_ID = ru.DEFAULT_CLIENT_ID
CLIENT_SECRET = ru.DEFAULT_CLIENT_SECRET
OPEN_CASE = "2026-1103-0001"
OPEN_CASE_2 = "2026-1020-0002"
CLOSED_CASE = "2026-0815-0004"
CANCELLED_CASE = "2026-1012-0006"
MS_UTC_RE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"


# ---------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------


class Upstream:
    """A reference upstream process on a free port."""

    def __init__(self, *args, tls=None):
        cmd = [sys.executable, SERVER, "--port", "0", "--quiet"] + list(args)
        if tls:
            cmd += ["--tls-cert", tls[0], "--tls-key", tls[1]]
        self.tls_ca = tls[0] if tls else None
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, cwd=HERE)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on "):
            self.proc.kill()
            self.proc.wait()
            self.log.seek(0)
            raise RuntimeError("server did not start: %r %s" % (line, self.log.read().decode(errors="replace")))
        self.port = int(line.split()[2])

    def stop(self, sig=signal.SIGTERM):
        """Stop the server; fail if it logged a Python traceback (a bug in the server, not a fault)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")
        self.log.close()
        if "Traceback" in text:
            raise AssertionError("the reference upstream logged an exception:\n" + text[-4000:])

    def conn(self, timeout=10):
        if self.tls_ca:
            ctx = ssl.create_default_context(cafile=self.tls_ca)
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def call(self, method, path, body=None, headers=None, conn=None, form=False):
        """-> (status, headers dict lower-cased, parsed JSON or None). One connection per call unless given."""
        own = conn is None
        c = conn or self.conn()
        try:
            hdrs = dict(headers or {})
            data = None
            if body is not None:
                if form:
                    data = body.encode() if isinstance(body, str) else urllib.parse.urlencode(body).encode()
                    hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
                else:
                    data = body if isinstance(body, bytes) else json.dumps(body).encode()
                    hdrs.setdefault("Content-Type", "application/json")
            c.request(method, path, body=data, headers=hdrs)
            r = c.getresponse()
            raw = r.read()
            out = json.loads(raw) if raw else None
            return r.status, {k.lower(): v for k, v in r.getheaders()}, out
        finally:
            if own:
                c.close()

    def control(self, method, path, body=None):
        status, _, out = self.call(method, "/_control/" + path, body)
        if status != 200:
            raise AssertionError("control %s %s -> %s %s" % (method, path, status, out))
        return out

    def token(self):
        status, _, out = self.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                                   headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)})
        assert status == 200, (status, out)
        return out["access_token"]


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def bearer(token):
    return {"Authorization": "Bearer " + token}


def receipt(serial="JN11F3A2BAFA", **over):
    body = {"receipt_id": str(uuid.uuid4()), "serial": serial, "sku": "CHAS-BP3-MX960-S", "line": 1,
            "received_at": "2026-11-03T09:12:44.120Z", "station_id": "DOCK-1", "operator_id": "BADGE-1001",
            "condition": "working", "tracking_number": None, "late": False}
    body.update(over)
    return body


def closure(received, missing=(), kind=None, **over):
    body = {"closure_id": str(uuid.uuid4()), "kind": kind or ("partial" if missing else "complete"),
            "received": list(received), "missing_lines": list(missing), "closed_at": "2026-11-03T09:30:00.000Z",
            "station_id": "DOCK-1", "approved_by": "BADGE-2001" if missing else None}
    body.update(over)
    return body


def unmatched(serial="SRXNEW0001", case_number=OPEN_CASE, **over):
    body = {"report_id": str(uuid.uuid4()), "serial": serial, "sku": None, "case_number": case_number,
            "tracking_number": None, "received_at": "2026-11-03T09:14:02.007Z", "station_id": "DOCK-1",
            "notes": None}
    body.update(over)
    return body


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_tool(test, name):
    path = shutil.which(name)
    if path is None:
        test.fail("%s is not installed: this test needs it (install it; the test does not skip)" % name)
    return path


_npm_lock = threading.Lock()


def ensure_node_tools(test):
    """tests/upstream/node_modules with the pinned Redocly CLI and Prism (npm ci from package-lock.json)."""
    require_tool(test, "node")
    bins = [os.path.join(HERE, "node_modules", ".bin", b) for b in ("prism", "redocly")]
    with _npm_lock:
        if all(os.path.exists(b) for b in bins):
            return bins
        npm = require_tool(test, "npm")
        with open(os.path.join(tempfile.gettempdir(), "receiving-upstream-npm.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another test process may be installing at the same time
            if not all(os.path.exists(b) for b in bins):
                r = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True,
                                   text=True, timeout=600)
                if r.returncode != 0:
                    test.fail("npm ci in %s failed:\n%s\n%s" % (HERE, r.stdout[-3000:], r.stderr[-3000:]))
    for b in bins:
        if not os.path.exists(b):
            test.fail("%s is missing after npm ci" % b)
    return bins


class UpstreamTest(unittest.TestCase):
    """One server per class, reset before every test."""

    server_args = ("--demo",)

    @classmethod
    def setUpClass(cls):
        cls.up = Upstream(*cls.server_args)

    @classmethod
    def tearDownClass(cls):
        cls.up.stop()

    def setUp(self):
        self.up.control("POST", "reset")
        self.tok = self.up.token()

    def post_event(self, path, body, key=None, token=None, headers=None):
        h = dict(bearer(token or self.tok))
        if key is not False:
            h["Idempotency-Key"] = key or str(uuid.uuid4())
        h.update(headers or {})
        return self.up.call("POST", path, body, headers=h)

    def assertError(self, result, status, code, field=None):
        st, _, body = result
        self.assertEqual(st, status, body)
        self.assertEqual(set(body), {"error"})
        self.assertEqual(body["error"]["code"], code, body)
        self.assertIsInstance(body["error"]["message"], str)
        if field is not None:
            self.assertEqual(body["error"].get("field"), field, body)
            self.assertTrue(body["error"]["message"].startswith(field + ":"), body)


# ---------------------------------------------------------------------------------------------------------
# Token endpoint and authentication
# ---------------------------------------------------------------------------------------------------------


class TokenTests(UpstreamTest):
    def test_basic_credentials(self):
        st, h, out = self.up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                                  headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)})
        self.assertEqual(st, 200)
        self.assertEqual(set(out), {"access_token", "token_type", "expires_in"})
        self.assertEqual(out["token_type"], "Bearer")
        self.assertEqual(out["expires_in"], 3600)
        self.assertEqual(h["cache-control"], "no-store")
        self.assertEqual(h["content-type"], "application/json")

    def test_form_credentials(self):
        st, _, out = self.up.call("POST", "/oauth/token", {"grant_type": "client_credentials",
                                                           "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
                                  form=True)
        self.assertEqual(st, 200, out)
        st, _, _ = self.up.call("GET", "/v1/cases", headers=bearer(out["access_token"]))
        self.assertEqual(st, 200)

    def test_bad_token_requests(self):
        r = self.up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                         headers={"Authorization": basic(CLIENT_ID, "wrong")})
        self.assertError(r, 401, "invalid_client")
        self.assertIn("www-authenticate", r[1])
        self.assertError(self.up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True),
                         401, "invalid_client")
        self.assertError(self.up.call("POST", "/oauth/token", "grant_type=password", form=True,
                                      headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)}),
                         400, "unsupported_grant_type", "grant_type")
        self.assertError(self.up.call("POST", "/oauth/token", {"grant_type": "client_credentials",
                                                               "client_id": CLIENT_ID}, form=True,
                                      headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)}),
                         400, "invalid_request")
        self.assertError(self.up.call("POST", "/oauth/token", {"grant_type": "client_credentials"},
                                      headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)}),
                         400, "invalid_request")
        self.assertError(self.up.call("GET", "/oauth/token"), 405, "method_not_allowed")

    def test_bearer_required(self):
        self.assertError(self.up.call("GET", "/v1/cases"), 401, "missing_token")
        self.assertError(self.up.call("GET", "/v1/cases", headers=bearer("nope")), 401, "invalid_token")
        r = self.post_event("/v1/unmatched", unmatched(), token="nope")
        self.assertError(r, 401, "invalid_token")
        self.assertIn("Bearer", r[1]["www-authenticate"])

    def test_revoked_tokens_and_changed_credentials(self):
        self.assertEqual(self.up.call("GET", "/v1/cases", headers=bearer(self.tok))[0], 200)
        self.assertGreaterEqual(self.up.control("POST", "revoke-tokens")["revoked"], 1)
        self.assertError(self.up.call("GET", "/v1/cases", headers=bearer(self.tok)), 401, "invalid_token")
        self.up.control("POST", "credentials", {"client_secret": "rotated"})
        try:
            self.assertError(self.up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                                          headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)}),
                             401, "invalid_client")
            st, _, _ = self.up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                                    headers={"Authorization": basic(CLIENT_ID, "rotated")})
            self.assertEqual(st, 200)
        finally:
            self.up.control("POST", "credentials", {"client_secret": CLIENT_SECRET})

    def test_forbid_fault(self):
        self.up.control("POST", "faults", {"forbid": True})
        self.assertError(self.up.call("GET", "/v1/cases", headers=bearer(self.tok)), 403, "forbidden")
        self.assertError(self.post_event("/v1/unmatched", unmatched()), 403, "forbidden")
        self.assertEqual(self.up.control("GET", "stats")["accepted"]["unmatched"], 0)

    def test_token_lifetime(self):
        self.up.control("POST", "faults", {"token_lifetime": 1})
        st, _, out = self.up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                                  headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)})
        self.assertEqual(out["expires_in"], 1)
        self.assertEqual(self.up.call("GET", "/v1/cases", headers=bearer(out["access_token"]))[0], 200)
        time.sleep(1.1)
        self.assertError(self.up.call("GET", "/v1/cases", headers=bearer(out["access_token"])), 401,
                         "token_expired")


class CommandLineTokenTests(unittest.TestCase):
    def test_client_and_lifetime_flags(self):
        up = Upstream("--client-id", "dock-7", "--client-secret", "s3:cr%tü", "--token-lifetime", "3")
        try:
            st, _, out = up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                                 headers={"Authorization": basic("dock-7", "s3:cr%tü")})
            self.assertEqual((st, out["expires_in"]), (200, 3))
            # RFC 6749 2.3.1 form-encodes id and secret before Basic; both spellings are accepted.
            st, _, _ = up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                               headers={"Authorization": basic("dock-7", urllib.parse.quote_plus("s3:cr%tü"))})
            self.assertEqual(st, 200)
            st, _, _ = up.call("POST", "/oauth/token", "grant_type=client_credentials", form=True,
                               headers={"Authorization": basic(CLIENT_ID, CLIENT_SECRET)})
            self.assertEqual(st, 401)
        finally:
            up.stop()


# ---------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------


class CaseTests(UpstreamTest):
    def pull(self, limit=3, **params):
        """All pages -> (cases, first server_time, page count)."""
        cases, first_time, pages, token = [], None, 0, None
        while True:
            q = dict(params, limit=limit)
            if token:
                q["page_token"] = token
            st, _, out = self.up.call("GET", "/v1/cases?" + urllib.parse.urlencode(q), headers=bearer(self.tok))
            self.assertEqual(st, 200, out)
            self.assertEqual(set(out), {"cases", "next_page_token", "server_time"})
            self.assertRegex(out["server_time"], MS_UTC_RE)
            first_time = first_time or out["server_time"]
            cases += out["cases"]
            pages += 1
            token = out["next_page_token"]
            if token is None:
                return cases, first_time, pages
            self.assertLess(pages, 50)

    def test_pages_cover_every_case_once_in_stable_order(self):
        cases, _, pages = self.pull(limit=3)
        self.assertEqual(pages, 3)  # 8 demo cases: 3 + 3 + 2
        numbers = [c["case_number"] for c in cases]
        self.assertEqual(sorted(numbers), sorted(c["case_number"] for c in ru.demo_cases()))
        keys = [(c["updated_at"], c["case_number"]) for c in cases]
        self.assertEqual(keys, sorted(keys))
        for c in cases:
            ru.validate(c, ru.SCHEMAS["Case"])
            self.assertRegex(c["updated_at"], MS_UTC_RE)
        self.assertEqual({c["status"] for c in cases}, {"open", "closed", "cancelled"})
        # Exactly `limit` cases left: the last full page says there is no next page.
        cases8, _, pages8 = self.pull(limit=8)
        self.assertEqual((len(cases8), pages8), (8, 1))
        cases4, _, pages4 = self.pull(limit=4)
        self.assertEqual((len(cases4), pages4), (8, 2))

    def test_default_limit_and_status_filter(self):
        st, _, out = self.up.call("GET", "/v1/cases", headers=bearer(self.tok))
        self.assertEqual((st, len(out["cases"]), out["next_page_token"]), (200, 8, None))
        open_cases, _, _ = self.pull(limit=2, status="open")
        self.assertTrue(open_cases and all(c["status"] == "open" for c in open_cases))
        self.assertEqual(len(open_cases), 6)
        closed, _, _ = self.pull(status="cancelled")
        self.assertEqual([c["case_number"] for c in closed], [CANCELLED_CASE])

    def test_incremental_pull_sees_updates_and_closures(self):
        _, since, _ = self.pull()
        cases, _, _ = self.pull(updated_since=since)
        self.assertEqual(cases, [])
        self.up.control("POST", "close-case/" + OPEN_CASE)
        self.up.control("POST", "cases", {"case_number": OPEN_CASE_2, "due_date": "2030-01-01"})
        cases, since2, _ = self.pull(updated_since=since)
        self.assertEqual([c["case_number"] for c in cases], [OPEN_CASE, OPEN_CASE_2])
        self.assertEqual(cases[0]["status"], "closed")
        self.assertEqual(cases[1]["due_date"], "2030-01-01")
        self.assertGreater(cases[0]["updated_at"], since)
        self.assertEqual(self.pull(updated_since=since2)[0], [])

    def test_updated_since_boundary_is_inclusive(self):
        st, _, out = self.up.call("GET", "/v1/cases", headers=bearer(self.tok))
        last = out["cases"][-1]
        exact, _, _ = self.pull(updated_since=last["updated_at"])
        self.assertEqual([c["case_number"] for c in exact], [last["case_number"]])
        # Another zone, same instant: still included (percent-encoded '+').
        us = ru.parse_date_time_us(last["updated_at"])
        shifted = (dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=us)).astimezone(
            dt.timezone(dt.timedelta(hours=2))).isoformat(timespec="milliseconds")
        self.assertIn("+02:00", shifted)
        again, _, _ = self.pull(updated_since=shifted)
        self.assertEqual([c["case_number"] for c in again], [last["case_number"]])

    def test_case_updated_during_a_pull_is_not_skipped(self):
        st, _, first = self.up.call("GET", "/v1/cases?limit=3", headers=bearer(self.tok))
        seen = [c["case_number"] for c in first["cases"]]
        # Update a case already delivered and one not yet delivered.
        self.up.control("POST", "cases", {"case_number": seen[0], "partner": "Moved Partner"})
        rest_numbers, token = [], first["next_page_token"]
        while token:
            st, _, out = self.up.call("GET", "/v1/cases?limit=3&page_token=" + token, headers=bearer(self.tok))
            rest_numbers += [c["case_number"] for c in out["cases"]]
            token = out["next_page_token"]
        self.assertEqual(len(set(seen + rest_numbers)), 8)
        self.assertEqual(rest_numbers[-1], seen[0])  # it moved to the end: delivered again, updated

    def test_bad_parameters(self):
        for q, field in (("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"),
                         ("updated_since=yesterday", "updated_since"),
                         ("updated_since=2026-11-03T12:00:00", "updated_since"),
                         ("updated_since=2026-11-03T12:00:00+02:00", "updated_since"),  # '+' unencoded = space
                         ("status=lost", "status"), ("page_token=garbage", "page_token"),
                         ("page_token=" + base64.urlsafe_b64encode(b"[1]").decode(), "page_token"),
                         ("page_token=" + base64.urlsafe_b64encode(b'{"v":1}').decode(), "page_token")):
            self.assertError(self.up.call("GET", "/v1/cases?" + q, headers=bearer(self.tok)), 422, "invalid", field)
        st, _, out = self.up.call("GET", "/v1/cases?limit=1&updated_since=2020-01-01T00:00:00Z",
                                  headers=bearer(self.tok))
        token = out["next_page_token"]
        self.assertError(self.up.call("GET", "/v1/cases?limit=1&updated_since=2021-01-01T00:00:00Z&page_token="
                                      + token, headers=bearer(self.tok)), 422, "invalid", "page_token")
        # Same instant spelled differently with the token: fine (the client repeats its parameters).
        st, _, _ = self.up.call("GET", "/v1/cases?limit=1&updated_since=2020-01-01T00:00:00.000Z&page_token="
                                + token, headers=bearer(self.tok))
        self.assertEqual(st, 200)

    def test_seed_cases_file_and_validation(self):
        case = dict(ru.demo_cases()[0], case_number="1234-5678-901234", updated_at="2026-01-01T00:00:00.000Z")
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "cases.json")
            with open(path, "w") as f:
                json.dump({"cases": [case]}, f)
            up = Upstream("--cases", path)
            try:
                tok = up.token()
                st, _, out = up.call("GET", "/v1/cases", headers=bearer(tok))
                self.assertEqual([c["case_number"] for c in out["cases"]], ["1234-5678-901234"])
                self.assertEqual(out["cases"][0]["updated_at"], "2026-01-01T00:00:00.000Z")
            finally:
                up.stop()
            with open(path, "w") as f:
                json.dump({"cases": [dict(case, phase=3)]}, f)
            r = subprocess.run([sys.executable, SERVER, "--port", "0", "--cases", path], capture_output=True,
                               text=True, timeout=20)
            self.assertEqual(r.returncode, 2)
            self.assertIn("phase", r.stderr)
        with self.assertRaises(AssertionError):
            self.up.control("POST", "cases", {"case_number": "9999-9999-9999", "program": "TMIP"})


# ---------------------------------------------------------------------------------------------------------
# Events: idempotency, validation, case state, stats
# ---------------------------------------------------------------------------------------------------------


class EventTests(UpstreamTest):
    R = "/v1/cases/%s/receipts" % OPEN_CASE
    C = "/v1/cases/%s/closure" % OPEN_CASE

    def test_receipt_created_then_replayed(self):
        body, key = receipt(), str(uuid.uuid4())
        st, h, first = self.post_event(self.R, body, key)
        self.assertEqual(st, 201, first)
        self.assertEqual(first["receipt"], body)
        self.assertEqual(first["case_number"], OPEN_CASE)
        ru.validate(first, ru.SCHEMAS["ReceiptAccepted"])
        self.assertNotIn("idempotent-replayed", h)
        # Same key, same JSON value (other key order, other spacing): the original answer.
        reordered = json.dumps(dict(reversed(list(body.items()))), indent=2).encode()
        st, h, again = self.post_event(self.R, reordered, key)
        self.assertEqual((st, again), (200, first))
        self.assertEqual(h["idempotent-replayed"], "true")
        # Same key, different body / other endpoint / other case: mismatch.
        self.assertError(self.post_event(self.R, dict(body, condition="damaged"), key), 422,
                         "idempotency_mismatch", "Idempotency-Key")
        self.assertError(self.post_event(self.R, dict(body, late=0), key), 422, "idempotency_mismatch")
        self.assertError(self.post_event("/v1/cases/%s/receipts" % OPEN_CASE_2, body, key), 422,
                         "idempotency_mismatch")
        self.assertError(self.post_event("/v1/unmatched", unmatched(), key), 422, "idempotency_mismatch")
        stats = self.up.control("GET", "stats")
        self.assertEqual(stats["accepted"], {"receipt": 1, "closure": 0, "unmatched": 0})
        self.assertEqual(stats["keys"], [key])
        self.assertEqual(stats["by_serial"], {"JN11F3A2BAFA": 1})
        self.assertEqual(stats["replays"], 1)

    def test_unknown_and_closed_cases(self):
        self.assertError(self.post_event("/v1/cases/2026-9999-0001/receipts", receipt()), 404, "case_not_found")
        self.assertError(self.post_event("/v1/cases/2026-9999-0001/closure", closure([])), 404, "case_not_found")
        self.assertError(self.post_event("/v1/cases/%s/receipts" % CLOSED_CASE, receipt("CW0218AF0042")), 409,
                         "case_closed")
        self.assertError(self.post_event("/v1/cases/%s/receipts" % CANCELLED_CASE, receipt()), 409, "case_closed")
        self.assertError(self.post_event("/v1/cases/%s/closure" % CANCELLED_CASE, closure([])), 409, "case_closed")
        self.assertEqual(self.up.control("GET", "stats")["keys"], [])

    def test_closure_closes_the_case(self):
        keys = [str(uuid.uuid4()) for _ in range(3)]
        bodies = [receipt("JN11F3A2BAFA", line=1), receipt("CAHZ4512", line=2, sku="MPC7E-10G")]
        for k, b in zip(keys, bodies):
            self.assertEqual(self.post_event(self.R, b, k)[0], 201)
        c = closure(["JN11F3A2BAFA", "CAHZ4512"], missing=[3, 4])
        st, _, out = self.post_event(self.C, c, keys[2])
        self.assertEqual(st, 201, out)
        self.assertEqual(out["case_status"], "closed")
        ru.validate(out, ru.SCHEMAS["ClosureAccepted"])
        st, _, cases = self.up.call("GET", "/v1/cases?status=closed", headers=bearer(self.tok))
        self.assertIn(OPEN_CASE, [x["case_number"] for x in cases["cases"]])
        # New receipts and closures are refused; replays of accepted ones still answer 200.
        self.assertError(self.post_event(self.R, receipt("CAHZ4519", line=3)), 409, "case_closed")
        self.assertError(self.post_event(self.C, closure([])), 409, "case_closed")
        self.assertEqual(self.post_event(self.R, bodies[0], keys[0])[0], 200)
        self.assertEqual(self.post_event(self.C, c, keys[2])[0], 200)
        stats = self.up.control("GET", "stats")
        self.assertEqual(stats["accepted"], {"receipt": 2, "closure": 1, "unmatched": 0})
        self.assertEqual([e["seq"] for e in stats["events"]], [1, 2, 3])
        self.assertEqual([e["kind"] for e in stats["events"]], ["receipt", "receipt", "closure"])
        self.assertEqual(stats["events"][2]["missing_receipts"], [])
        self.assertEqual(stats["out_of_order_closures"], [])

    def test_closure_before_its_receipts_is_recorded(self):
        c = closure(["JN11F3A2BAFA"])
        st, _, _ = self.post_event(self.C, c)
        self.assertEqual(st, 201)
        stats = self.up.control("GET", "stats")
        self.assertEqual(stats["events"][0]["missing_receipts"], ["JN11F3A2BAFA"])
        self.assertEqual(stats["out_of_order_closures"], [stats["keys"][0]])
        # With strict_closure the upstream refuses it instead.
        self.up.control("POST", "faults", {"strict_closure": True})
        self.assertError(self.post_event("/v1/cases/%s/closure" % OPEN_CASE_2, closure(["PE3716460123"])), 409,
                         "receipts_missing")

    def test_unmatched(self):
        for case_number in (OPEN_CASE, None, CLOSED_CASE, "2026-9999-000001"):
            st, _, out = self.post_event("/v1/unmatched", unmatched(case_number=case_number))
            self.assertEqual(st, 201, out)
            ru.validate(out, ru.SCHEMAS["UnmatchedAccepted"])
        stats = self.up.control("GET", "stats")
        self.assertEqual(stats["accepted"]["unmatched"], 4)
        self.assertEqual([e["case_known"] for e in stats["events"]], [True, None, True, False])
        self.assertEqual(stats["by_serial"], {"SRXNEW0001": 4})
        self.assertEqual(stats["duplicates_by_serial"], {"SRXNEW0001": 4})
        self.assertEqual(stats["by_kind_serial"]["unmatched"], {"SRXNEW0001": 4})

    def test_receipt_supersedes_an_unmatched_report(self):
        # Reported unmatched, then received on its case once the case listed it: the report is superseded,
        # whether it arrived before the receipt or after it.
        first = unmatched(serial="CAHZ4512")
        st, _, _ = self.post_event("/v1/unmatched", first, key=first["report_id"])
        self.assertEqual(st, 201)
        r1 = receipt("CAHZ4512", supersedes_unmatched=first["report_id"])
        st, _, out = self.post_event(self.R, r1)
        self.assertEqual(st, 201, out)
        ru.validate(out, ru.SCHEMAS["ReceiptAccepted"])
        late = unmatched(serial="CAHZ4519")
        r2 = receipt("CAHZ4519", supersedes_unmatched=late["report_id"])
        self.assertEqual(self.post_event(self.R, r2)[0], 201)
        self.assertEqual(self.post_event("/v1/unmatched", late, key=late["report_id"])[0], 201)
        self.assertEqual(self.post_event(self.R, receipt("JN11F3A2BAFA", supersedes_unmatched=None))[0], 201)
        stats = self.up.control("GET", "stats")
        self.assertEqual(stats["superseded_unmatched"],
                         {first["report_id"]: r1["receipt_id"], late["report_id"]: r2["receipt_id"]})
        self.assertEqual(stats["duplicates_by_serial"], {})  # a superseded report and its receipt: one unit
        self.assertEqual(stats["by_kind_serial"]["unmatched"], {"CAHZ4512": 1, "CAHZ4519": 1})
        self.assertError(self.post_event(self.R, receipt("CAHZ4512", supersedes_unmatched="")), 422, "invalid")

    def test_duplicate_serials_are_counted(self):
        self.post_event(self.R, receipt("CAHZ4512"))
        self.post_event(self.R, receipt("CAHZ4512"))
        self.post_event(self.R, receipt("CAHZ4519"))
        stats = self.up.control("GET", "stats")
        self.assertEqual(stats["by_serial"], {"CAHZ4512": 2, "CAHZ4519": 1})
        self.assertEqual(stats["duplicates_by_serial"], {"CAHZ4512": 2})

    def test_validation_names_the_field(self):
        base = receipt()
        cases = [
            ({k: v for k, v in base.items() if k != "serial"}, "serial"),
            (dict(base, serial=None), "serial"),
            (dict(base, serial=""), "serial"),
            (dict(base, serial=7), "serial"),
            (dict(base, extra=1), "extra"),
            (dict(base, receipt_id="not-a-uuid"), "receipt_id"),
            (dict(base, received_at="2026-11-03 09:12"), "received_at"),
            (dict(base, received_at="2026-11-03T09:12:44"), "received_at"),
            (dict(base, received_at="2026-02-30T09:12:44Z"), "received_at"),
            (dict(base, line=0), "line"),
            (dict(base, line=1.5), "line"),
            (dict(base, late=1), "late"),
            (dict(base, condition="broken"), "condition"),
            ({k: v for k, v in base.items() if k != "operator_id"}, "operator_id"),  # nullable, still required
            (dict(base, station_id="x" * 201), "station_id"),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=body):
                self.assertError(self.post_event(self.R, body), 422, "invalid", field)
        self.assertError(self.post_event(self.R, [base]), 422, "invalid", "(body)")
        self.assertError(self.post_event(self.R, b"{not json"), 422, "invalid", "(body)")
        self.assertError(self.post_event(self.C, closure(["A"], missing=[0])), 422, "invalid", "missing_lines[0]")
        self.assertError(self.post_event(self.C, closure(["A"], kind="most")), 422, "invalid", "kind")
        self.assertError(self.post_event(self.C, closure([""])), 422, "invalid", "received[0]")
        self.assertError(self.post_event("/v1/unmatched", unmatched(case_number="12-34")), 422, "invalid",
                         "case_number")
        self.assertError(self.post_event("/v1/unmatched", unmatched(notes="n" * 2001)), 422, "invalid", "notes")
        self.assertError(self.post_event(self.R, receipt(), key=False), 422, "invalid", "Idempotency-Key")
        self.assertError(self.post_event(self.R, receipt(), key="has space"), 422, "invalid", "Idempotency-Key")
        self.assertError(self.post_event(self.R, receipt(), key="k" * 201), 422, "invalid", "Idempotency-Key")
        self.assertError(self.post_event(self.R, receipt(), headers={"Content-Type": "text/plain"}), 415,
                         "unsupported_media_type")
        self.assertEqual(self.up.control("GET", "stats")["keys"], [])
        # A key refused once may be used again once the request is right.
        key = str(uuid.uuid4())
        self.assertEqual(self.post_event(self.R, dict(base, late="no"), key)[0], 422)
        self.assertEqual(self.post_event(self.R, base, key)[0], 201)

    def test_unknown_paths_and_methods(self):
        self.assertError(self.up.call("GET", "/v2/cases", headers=bearer(self.tok)), 404, "not_found")
        self.assertError(self.up.call("GET", self.R, headers=bearer(self.tok)), 405, "method_not_allowed")
        self.assertEqual(self.up.call("GET", "/_control/nothing")[0], 404)

    def test_keep_alive(self):
        conn = self.up.conn()
        try:
            for _ in range(3):
                st, h, _ = self.up.call("GET", "/v1/cases?limit=1", headers=bearer(self.tok), conn=conn)
                self.assertEqual(st, 200)
                self.assertIn("content-length", h)
                self.assertNotEqual(h.get("connection"), "close")
            st, h, _ = self.up.call("POST", self.R, receipt(), conn=conn,
                                    headers=dict(bearer(self.tok), **{"Idempotency-Key": str(uuid.uuid4())}))
            self.assertEqual(st, 201)
            st, h, _ = self.up.call("GET", "/nope", conn=conn)
            self.assertEqual(st, 404)
            self.assertIn("content-length", h)
        finally:
            conn.close()

    def test_reset(self):
        self.post_event(self.R, receipt())
        self.up.control("POST", "close-case/" + OPEN_CASE_2, {"status": "cancelled"})
        self.up.control("POST", "faults", {"error_rate": 0.5})
        self.up.control("POST", "reset")
        stats = self.up.control("GET", "stats")
        self.assertEqual((stats["keys"], stats["events"], stats["requests"]), ([], [], 0))
        self.assertEqual(self.up.control("GET", "faults")["error_rate"], 0.0)
        cases = {c["case_number"]: c for c in self.up.control("GET", "cases")["cases"]}
        self.assertEqual(cases[OPEN_CASE_2]["status"], "open")
        self.assertEqual(len(cases), 8)


# ---------------------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------------------


class FaultTests(UpstreamTest):
    R = "/v1/cases/%s/receipts" % OPEN_CASE

    def test_faults_roundtrip_and_validation(self):
        f = self.up.control("GET", "faults")
        self.assertEqual(set(f), set(ru.FAULT_FIELDS))
        f2 = self.up.control("POST", "faults", {"error_rate": 0.25, "slow_ms": 10, "endpoints": ["receipt"]})
        self.assertEqual((f2["error_rate"], f2["slow_ms"], f2["endpoints"]), (0.25, 10, ["receipt"]))
        self.assertEqual(self.up.control("GET", "faults"), f2)
        for bad in ({"error_rate": 2}, {"nope": 1}, {"error_phase": "during"}, {"error_statuses": [404]},
                    {"endpoints": ["oauth"]}, {"token_lifetime": 0}, {"forbid": "yes"}):
            st, _, out = self.up.call("POST", "/_control/faults", bad)
            self.assertEqual(st, 400, bad)
            self.assertEqual(out["error"]["code"], "bad_request")

    def test_error_before_does_not_apply(self):
        self.up.control("POST", "faults", {"error_rate": 1.0, "error_phase": "before", "seed": 1})
        statuses = set()
        for _ in range(12):
            st, h, out = self.post_event(self.R, receipt())
            statuses.add(st)
            self.assertEqual(out["error"]["code"], "injected_fault")
            if st == 503:
                self.assertIn("retry-after", h)
        self.assertTrue(statuses <= {500, 502, 503, 504} and len(statuses) >= 2, statuses)
        stats = self.up.control("GET", "stats")
        self.assertEqual(stats["keys"], [])
        self.assertEqual(stats["faults"]["error_before"], 12)

    def test_error_after_applies_and_retry_replays(self):
        self.up.control("POST", "faults", {"error_rate": 1.0, "error_phase": "after", "endpoints": ["receipt"],
                                           "error_statuses": [502]})
        body, key = receipt(), str(uuid.uuid4())
        st, _, _ = self.post_event(self.R, body, key)
        self.assertEqual(st, 502)
        self.assertEqual(self.up.control("GET", "stats")["keys"], [key])  # accepted, the answer was lost
        self.up.control("POST", "faults", {"error_rate": 0.0})
        st, h, out = self.post_event(self.R, body, key)
        self.assertEqual((st, h.get("idempotent-replayed")), (200, "true"))
        self.assertEqual(self.up.control("GET", "stats")["accepted"]["receipt"], 1)

    def test_rate_limit_retry_after_formats(self):
        self.up.control("POST", "faults", {"rate_limit_rate": 1.0, "retry_after": 2, "retry_after_format": "seconds"})
        r = self.post_event(self.R, receipt())
        self.assertError(r, 429, "rate_limited")
        self.assertEqual(r[1]["retry-after"], "2")
        self.up.control("POST", "faults", {"retry_after_format": "http-date"})
        st, h, _ = self.up.call("GET", "/v1/cases", headers=bearer(self.tok))
        self.assertEqual(st, 429)
        when = email.utils.parsedate_to_datetime(h["retry-after"]).timestamp()
        self.assertTrue(time.time() + 0.5 <= when <= time.time() + 3.5, h["retry-after"])
        self.up.control("POST", "faults", {"retry_after_format": "mixed", "seed": 3})
        seen = set()
        for _ in range(20):
            seen.add(self.up.call("GET", "/v1/cases", headers=bearer(self.tok))[1]["retry-after"].isdigit())
        self.assertEqual(seen, {True, False})
        self.assertEqual(self.up.control("GET", "stats")["keys"], [])

    def test_slow(self):
        self.up.control("POST", "faults", {"slow_ms": 300})
        t0 = time.monotonic()
        self.assertEqual(self.up.call("GET", "/v1/cases", headers=bearer(self.tok))[0], 200)
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        # A client that gives up early sees a timeout; the event was applied all the same.
        conn = self.up.conn(timeout=0.1)
        key = str(uuid.uuid4())
        with self.assertRaises((socket.timeout, TimeoutError)):
            self.up.call("POST", self.R, receipt(), conn=conn,
                         headers=dict(bearer(self.tok), **{"Idempotency-Key": key}))
        conn.close()
        self.assertEqual(self.up.control("GET", "stats")["keys"], [key])

    def test_drops(self):
        self.up.control("POST", "faults", {"drop_rate": 1.0, "drop_phase": "before", "endpoints": ["receipt"]})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.post_event(self.R, receipt())
        self.assertEqual(self.up.control("GET", "stats")["keys"], [])
        self.up.control("POST", "faults", {"drop_phase": "after"})
        body, key = receipt(), str(uuid.uuid4())
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.post_event(self.R, body, key)
        self.assertEqual(self.up.control("GET", "stats")["keys"], [key])
        self.up.control("POST", "faults", {"drop_rate": 0.0})
        self.assertEqual(self.post_event(self.R, body, key)[0], 200)
        stats = self.up.control("GET", "stats")
        self.assertEqual((stats["faults"]["dropped_before"], stats["faults"]["dropped_after"]), (1, 1))
        self.assertEqual(stats["faults_injected"], 2)

    def test_endpoints_scope(self):
        self.up.control("POST", "faults", {"error_rate": 1.0, "endpoints": ["cases"]})
        self.assertIn(self.up.call("GET", "/v1/cases", headers=bearer(self.tok))[0], (500, 502, 503, 504))
        self.up.token()
        self.assertEqual(self.post_event(self.R, receipt())[0], 201)
        self.assertEqual(self.up.call("GET", "/_control/stats")[0], 200)  # control is never faulted

    def test_seed_makes_faults_repeatable(self):
        def run():
            self.up.control("POST", "faults", {"error_rate": 0.5, "seed": 42, "endpoints": ["cases"]})
            return [self.up.call("GET", "/v1/cases", headers=bearer(self.tok))[0] for _ in range(15)]

        first = run()
        self.assertEqual(run(), first)
        self.assertTrue({200} < set(first), first)


class CommandLineFaultTests(unittest.TestCase):
    def test_flags_set_faults(self):
        up = Upstream("--demo", "--error-rate", "1", "--error-phase", "before", "--error-statuses", "503",
                      "--retry-after", "4", "--retry-after-format", "seconds", "--fault-endpoints", "cases",
                      "--slow-ms", "5", "--slow-rate", "0.5", "--drop-rate", "0", "--drop-phase", "after",
                      "--rate-limit-rate", "0", "--token-lifetime", "60", "--seed", "7", "--strict-closure")
        try:
            f = up.control("GET", "faults")
            self.assertEqual(f["error_statuses"], [503])
            self.assertEqual(f["endpoints"], ["cases"])
            self.assertEqual((f["slow_ms"], f["slow_rate"], f["seed"], f["strict_closure"]), (5, 0.5, 7, True))
            st, h, _ = up.call("GET", "/v1/cases", headers=bearer(up.token()))
            self.assertEqual((st, h["retry-after"]), (503, "4"))
            # reset restores the command-line faults
            up.control("POST", "faults", {"error_rate": 0})
            up.control("POST", "reset")
            self.assertEqual(up.control("GET", "faults")["error_rate"], 1.0)
        finally:
            up.stop()
        r = subprocess.run([sys.executable, SERVER, "--port", "0", "--error-rate", "3"], capture_output=True,
                           text=True, timeout=20)
        self.assertEqual(r.returncode, 2)
        self.assertIn("error_rate", r.stderr)

    def test_forbid_flag(self):
        up = Upstream("--demo", "--forbid")
        try:
            self.assertEqual(up.call("GET", "/v1/cases", headers=bearer(up.token()))[0], 403)
        finally:
            up.stop()


# ---------------------------------------------------------------------------------------------------------
# Chaos: a retrying client delivers everything exactly once
# ---------------------------------------------------------------------------------------------------------


class RetryingClient:
    """A minimal client following the contract: token cache, one refresh on 401, retries with Retry-After."""

    RETRY = {408, 425, 429, 500, 502, 503, 504}

    def __init__(self, up, deadline):
        self.up = up
        self.deadline = deadline
        self.token = None
        self.token_expiry = 0.0
        self.conn = None
        self.attempts = 0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _request(self, method, path, body, headers, form=False):
        if self.conn is None:
            self.conn = self.up.conn(timeout=5)
        try:
            return self.up.call(method, path, body, headers=headers, conn=self.conn, form=form)
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = None
            return None

    def _wait(self, result, attempt):
        delay = min(0.05 * (2 ** min(attempt, 4)), 0.5)
        if result is not None and "retry-after" in result[1]:
            value = result[1]["retry-after"]
            if value.isdigit():
                delay = int(value)
            else:
                delay = max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
        time.sleep(min(delay, 2.0))

    def ensure_token(self):
        attempt = 0
        while self.token is None or time.monotonic() > self.token_expiry:
            assert time.monotonic() < self.deadline, "chaos test ran out of time fetching a token"
            r = self._request("POST", "/oauth/token", "grant_type=client_credentials",
                              {"Authorization": basic(CLIENT_ID, CLIENT_SECRET)}, form=True)
            if r is not None and r[0] == 200:
                self.token = r[2]["access_token"]
                lifetime = r[2]["expires_in"]
                self.token_expiry = time.monotonic() + lifetime - min(30, lifetime / 5)
                return
            assert r is None or r[0] in self.RETRY, r
            attempt += 1
            self._wait(r, attempt)

    def send(self, path, body, key):
        """Deliver one event; -> final status (2xx)."""
        attempt, refreshed = 0, False
        while True:
            assert time.monotonic() < self.deadline, "chaos test ran out of time delivering %s" % key
            self.ensure_token()
            self.attempts += 1
            r = self._request("POST", path, body, {"Authorization": "Bearer " + self.token, "Idempotency-Key": key})
            if r is not None and 200 <= r[0] < 300:
                return r[0]
            if r is not None and r[0] == 401:
                # The token died on the way (they live 3 s here): one fresh token, then retry. Two 401s in a
                # row would mean rejected credentials, which this server never does in this test.
                assert not refreshed, ("401 with a fresh token", path, r)
                self.token, refreshed = None, True
                continue
            refreshed = False
            assert r is None or r[0] in self.RETRY, (path, r)
            attempt += 1
            self._wait(r, attempt)


class ChaosTests(unittest.TestCase):
    def test_everything_accepted_exactly_once_in_order(self):
        cases = []
        for n in range(6):
            items = [{"line": i, "sku": "SKU-%d" % i, "description": "unit", "serial": "CH%02d%02d" % (n, i),
                      "quantity": 1} for i in (1, 2, 3)]
            cases.append(dict(ru.demo_cases()[1], case_number="3000-0000-%04d" % n, items=items))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "cases.json")
            with open(path, "w") as f:
                json.dump({"cases": cases}, f)
            up = Upstream("--cases", path, "--error-rate", "0.3", "--drop-rate", "0.1", "--rate-limit-rate", "0.1",
                          "--retry-after", "0", "--retry-after-format", "seconds", "--token-lifetime", "3",
                          "--seed", "2024")
            try:
                deadline = time.monotonic() + 150
                sent = {"receipt": [], "closure": [], "unmatched": []}
                errors = []

                def station(case_slice):
                    client = RetryingClient(up, deadline)
                    try:
                        for case in case_slice:
                            number = case["case_number"]
                            serials = [i["serial"] for i in case["items"]]
                            for i, serial in enumerate(serials):
                                key = str(uuid.uuid4())
                                client.send("/v1/cases/%s/receipts" % number,
                                            receipt(serial, line=i + 1, sku="SKU-%d" % (i + 1)), key)
                                sent["receipt"].append((key, serial))
                                if i == 1:
                                    key = str(uuid.uuid4())
                                    client.send("/v1/unmatched", unmatched("UM-" + number, number), key)
                                    sent["unmatched"].append((key, "UM-" + number))
                            key = str(uuid.uuid4())
                            client.send("/v1/cases/%s/closure" % number, closure(serials), key)
                            sent["closure"].append((key, number))
                    except BaseException as e:  # reported below
                        errors.append(e)
                    finally:
                        client.close()

                threads = [threading.Thread(target=station, args=(cases[i::2],)) for i in range(2)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(200)
                self.assertEqual(errors, [])
                stats = up.control("GET", "stats")
                self.assertEqual(stats["accepted"], {"receipt": 18, "closure": 6, "unmatched": 6})
                all_keys = [k for kind in sent.values() for k, _ in kind]
                self.assertEqual(len(stats["keys"]), 30)
                self.assertEqual(sorted(stats["keys"]), sorted(all_keys))
                self.assertEqual(stats["duplicates_by_serial"], {})
                expected_serials = {s for _, s in sent["receipt"]} | {s for _, s in sent["unmatched"]}
                self.assertEqual(stats["by_serial"], {s: 1 for s in expected_serials})
                self.assertEqual(stats["out_of_order_closures"], [])
                # Every closure arrived after every receipt of its case.
                seq = {}
                for e in stats["events"]:
                    if e["kind"] == "receipt":
                        seq.setdefault(e["case_number"], []).append(e["seq"])
                for e in stats["events"]:
                    if e["kind"] == "closure":
                        self.assertEqual(len(seq[e["case_number"]]), 3)
                        self.assertGreater(e["seq"], max(seq[e["case_number"]]))
                f = stats["faults"]
                self.assertGreater(stats["faults_injected"], 10)
                self.assertGreater(f["error_after"] + f["dropped_after"], 0)
                self.assertGreater(stats["replays"], 0)
                self.assertGreaterEqual(stats["tokens_issued"], 2)  # one per station at least; more as they expire
            finally:
                up.stop()


# ---------------------------------------------------------------------------------------------------------
# Persistence, TLS
# ---------------------------------------------------------------------------------------------------------


class StateFileTests(unittest.TestCase):
    def test_accepted_keys_survive_a_crash(self):
        with tempfile.TemporaryDirectory() as d:
            state = os.path.join(d, "state.json")
            up = Upstream("--demo", "--state", state)
            body, key = receipt(), str(uuid.uuid4())
            tok = up.token()
            h = dict(bearer(tok), **{"Idempotency-Key": key})
            self.assertEqual(up.call("POST", "/v1/cases/%s/receipts" % OPEN_CASE, body, headers=h)[0], 201)
            ckey = str(uuid.uuid4())
            h2 = dict(bearer(tok), **{"Idempotency-Key": ckey})
            self.assertEqual(up.call("POST", "/v1/cases/%s/closure" % OPEN_CASE, closure([body["serial"]]),
                                     headers=h2)[0], 201)
            up.stop(signal.SIGKILL)
            up = Upstream("--demo", "--state", state)
            try:
                tok = up.token()  # tokens are not persisted
                h["Authorization"] = h2["Authorization"] = "Bearer " + tok
                st, hh, _ = up.call("POST", "/v1/cases/%s/receipts" % OPEN_CASE, body, headers=h)
                self.assertEqual((st, hh.get("idempotent-replayed")), (200, "true"))
                stats = up.control("GET", "stats")
                self.assertEqual(stats["keys"], [key, ckey])
                self.assertEqual(stats["accepted"], {"receipt": 1, "closure": 1, "unmatched": 0})
                cases = {c["case_number"]: c for c in up.control("GET", "cases")["cases"]}
                self.assertEqual(cases[OPEN_CASE]["status"], "closed")
                self.assertEqual(up.call("POST", "/v1/cases/%s/receipts" % OPEN_CASE, receipt("X1"),
                                         headers=dict(bearer(tok), **{"Idempotency-Key": "new"}))[0], 409)
                up.control("POST", "reset")
            finally:
                up.stop()
            up = Upstream("--demo", "--state", state)
            try:
                self.assertEqual(up.control("GET", "stats")["keys"], [])
            finally:
                up.stop()


class TlsTests(unittest.TestCase):
    def test_https_with_self_signed_certificate(self):
        openssl = require_tool(self, "openssl")
        with tempfile.TemporaryDirectory() as d:
            cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
            r = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                                cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                                "subjectAltName=IP:127.0.0.1,DNS:localhost"], capture_output=True, text=True,
                               timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            up = Upstream("--demo", tls=(cert, key))
            try:
                tok = up.token()
                conn = up.conn()
                for _ in range(2):  # keep-alive over TLS
                    st, _, out = up.call("GET", "/v1/cases?limit=2", headers=bearer(tok), conn=conn)
                    self.assertEqual((st, len(out["cases"])), (200, 2))
                conn.close()
                st, _, _ = up.call("POST", "/v1/unmatched", unmatched(),
                                   headers=dict(bearer(tok), **{"Idempotency-Key": str(uuid.uuid4())}))
                self.assertEqual(st, 201)
                # A client that does not trust the certificate is refused by its own TLS check.
                strict = http.client.HTTPSConnection("127.0.0.1", up.port, timeout=5,
                                                     context=ssl.create_default_context())
                with self.assertRaises(ssl.SSLError):
                    strict.request("GET", "/v1/cases")
                strict.close()
                # Plain HTTP to the TLS port gets no answer, and the server keeps serving.
                plain = http.client.HTTPConnection("127.0.0.1", up.port, timeout=5)
                with self.assertRaises((http.client.HTTPException, OSError)):
                    plain.request("GET", "/v1/cases")
                    plain.getresponse().read()
                plain.close()
                self.assertEqual(up.call("GET", "/_control/health")[0], 200)
            finally:
                up.stop()


# ---------------------------------------------------------------------------------------------------------
# The OpenAPI document: lint, agreement with the server, and Prism's validating proxy
# ---------------------------------------------------------------------------------------------------------


def _strip_annotations(node):
    """Schema without description/example(s); keys inside `properties` are property names, kept as they are."""
    if isinstance(node, list):
        return [_strip_annotations(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k in ("description", "example", "examples"):
            continue
        if k == "properties":
            out[k] = {name: _strip_annotations(s) for name, s in v.items()}
        else:
            out[k] = _strip_annotations(v)
    return out


class OpenApiDocumentTests(unittest.TestCase):
    def test_redocly_lint_passes(self):
        _, redocly = ensure_node_tools(self)
        r = subprocess.run([redocly, "lint", "openapi.yaml", "--config", "redocly.yaml", "--format", "stylish"],
                           cwd=HERE, capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertNotRegex(r.stdout, r"\b(error|warning)\b ", r.stdout)

    def test_server_schemas_match_the_document(self):
        _, redocly = ensure_node_tools(self)
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "openapi.json")
            r = subprocess.run([redocly, "bundle", "openapi.yaml", "--ext", "json", "-o", out], cwd=HERE,
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(out) as f:
                spec = json.load(f)
        self.assertEqual(spec["openapi"], "3.0.3")
        schemas = _strip_annotations(spec["components"]["schemas"])
        self.assertEqual(sorted(schemas), sorted(ru.SCHEMAS))
        for name, schema in schemas.items():
            with self.subTest(schema=name):
                self.assertEqual(schema, ru.SCHEMAS[name])
        params = spec["components"]["parameters"]
        self.assertEqual(params["CaseNumber"]["schema"]["pattern"], ru.CASE_NUMBER_PATTERN)
        self.assertEqual(params["IdempotencyKey"]["schema"]["pattern"], ru.IDEMPOTENCY_KEY_PATTERN)
        self.assertTrue(params["IdempotencyKey"]["required"])
        # Every status code the contract names is documented where it applies.
        ops = {("post", "/oauth/token"): {"200", "400", "401", "429", "500", "502", "503", "504"},
               ("get", "/v1/cases"): {"200", "401", "403", "408", "422", "425", "429", "500", "502", "503", "504"},
               ("post", "/v1/cases/{case_number}/receipts"): {"200", "201", "401", "403", "404", "408", "409",
                                                              "422", "425", "429", "500", "502", "503", "504"},
               ("post", "/v1/cases/{case_number}/closure"): {"200", "201", "401", "403", "404", "408", "409", "422",
                                                             "425", "429", "500", "502", "503", "504"},
               ("post", "/v1/unmatched"): {"200", "201", "401", "403", "408", "422", "425", "429", "500", "502",
                                           "503", "504"}}
        self.assertEqual(set(spec["paths"]), {p for _, p in ops})
        for (method, path), codes in ops.items():
            with self.subTest(path=path):
                op = spec["paths"][path][method]
                self.assertLessEqual(codes, set(op["responses"]))
                self.assertIn("default", op["responses"])
                for code in ("429", "503"):
                    ref = op["responses"][code]["$ref"].rsplit("/", 1)[1]
                    self.assertIn("Retry-After", spec["components"]["responses"][ref]["headers"])
                if path != "/oauth/token":
                    self.assertNotIn("security", op)  # the global OAuth2 / bearer requirement applies
                    if method == "post":
                        names = [p["$ref"].rsplit("/", 1)[1] for p in op["parameters"]]
                        self.assertIn("IdempotencyKey", names)
                        body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                        self.assertFalse(ru.SCHEMAS[body.rsplit("/", 1)[1]]["additionalProperties"])
        schemes = spec["components"]["securitySchemes"]
        self.assertEqual(schemes["oauth2ClientCredentials"]["flows"]["clientCredentials"]["tokenUrl"], "/oauth/token")
        self.assertEqual(schemes["bearerToken"]["scheme"], "bearer")


class PrismProxyTests(unittest.TestCase):
    """The reference upstream behind `prism proxy` (@stoplight/prism-cli 5.14.2): requests and responses that
    follow the document carry no sl-violations header; requests that break it do."""

    @classmethod
    def setUpClass(cls):
        cls.up = None
        cls.prism = None

    @classmethod
    def tearDownClass(cls):
        if cls.prism is not None and cls.prism.poll() is None:
            cls.prism.terminate()
            try:
                cls.prism.wait(10)
            except subprocess.TimeoutExpired:
                cls.prism.kill()
                cls.prism.wait()
        if cls.prism is not None:
            cls.prism_log.close()
            os.unlink(cls.prism_log.name)
        if cls.up is not None:
            cls.up.stop()

    def setUp(self):
        cls = type(self)
        if cls.prism is None:
            prism, _ = ensure_node_tools(self)
            cls.up = Upstream("--demo")
            cls.port = free_port()
            cls.prism_log = tempfile.NamedTemporaryFile(prefix="prism-", suffix=".log", delete=False)
            cls.prism = subprocess.Popen([prism, "proxy", "openapi.yaml", "http://127.0.0.1:%d" % cls.up.port,
                                          "--errors=false", "-h", "127.0.0.1", "-p", str(cls.port)],
                                         cwd=HERE, stdout=cls.prism_log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 90
            while True:
                if cls.prism.poll() is not None:
                    self.fail("prism exited: " + self.prism_output())
                try:
                    with socket.create_connection(("127.0.0.1", cls.port), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        self.fail("prism did not start: " + self.prism_output())
                    time.sleep(0.3)
        self.up.control("POST", "reset")

    def prism_output(self):
        with open(type(self).prism_log.name, errors="replace") as f:
            return f.read()[-4000:]

    def via(self, method, path, body=None, headers=None, form=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            hdrs = dict(headers or {})
            data = None
            if body is not None:
                if form:
                    data = body.encode()
                    hdrs.setdefault("Content-Type", "application/x-www-form-urlencoded")
                else:
                    data = json.dumps(body).encode()
                    hdrs.setdefault("Content-Type", "application/json")
            c.request(method, path, body=data, headers=hdrs)
            r = c.getresponse()
            raw = r.read()
            h = {k.lower(): v for k, v in r.getheaders()}
            violations = json.loads(h["sl-violations"]) if "sl-violations" in h else []
            return r.status, h, (json.loads(raw) if raw else None), violations
        finally:
            c.close()

    def token(self):
        st, _, out, v = self.via("POST", "/oauth/token", "grant_type=client_credentials",
                                 {"Authorization": basic(CLIENT_ID, CLIENT_SECRET)}, form=True)
        self.assertEqual((st, v), (200, []), out)
        return out["access_token"]

    def assertClean(self, result, status):
        st, _, body, violations = result
        self.assertEqual(st, status, body)
        self.assertEqual(violations, [], "Prism reported violations: %s" % json.dumps(violations))

    def test_valid_traffic_has_no_violations(self):
        tok = self.token()
        self.assertClean(self.via("POST", "/oauth/token", "grant_type=client_credentials&client_id=%s&client_secret=%s"
                                  % (CLIENT_ID, CLIENT_SECRET), form=True), 200)
        auth = bearer(tok)
        st, _, page, v = self.via("GET", "/v1/cases?limit=3&updated_since=2020-01-01T00%3A00%3A00.000Z", headers=auth)
        self.assertClean((st, None, page, v), 200)
        self.assertClean(self.via("GET", "/v1/cases?limit=3&updated_since=2020-01-01T00%3A00%3A00.000Z&page_token="
                                  + page["next_page_token"], headers=auth), 200)
        self.assertClean(self.via("GET", "/v1/cases?status=open", headers=auth), 200)
        r = "/v1/cases/%s/receipts" % OPEN_CASE
        body, key = receipt(operator_id=None, sku=None, line=None, tracking_number="1Z999AA10123456784"), \
            str(uuid.uuid4())
        self.assertClean(self.via("POST", r, body, dict(auth, **{"Idempotency-Key": key})), 201)
        self.assertClean(self.via("POST", r, body, dict(auth, **{"Idempotency-Key": key})), 200)
        self.assertClean(self.via("POST", "/v1/unmatched", unmatched(case_number=None, notes="no label"),
                                  dict(auth, **{"Idempotency-Key": str(uuid.uuid4())})), 201)
        self.assertClean(self.via("POST", "/v1/cases/%s/closure" % OPEN_CASE, closure([body["serial"]], missing=[2, 3]),
                                  dict(auth, **{"Idempotency-Key": str(uuid.uuid4())})), 201)
        # Documented error answers are valid responses too.
        self.assertClean(self.via("POST", r, receipt(), dict(auth, **{"Idempotency-Key": str(uuid.uuid4())})), 409)
        self.assertClean(self.via("POST", "/v1/cases/2026-9999-0001/receipts", receipt(),
                                  dict(auth, **{"Idempotency-Key": str(uuid.uuid4())})), 404)
        self.assertClean(self.via("POST", r, dict(body, serial="other"), dict(auth, **{"Idempotency-Key": key})), 422)
        self.assertEqual(self.up.control("GET", "stats")["accepted"], {"receipt": 1, "closure": 1, "unmatched": 1})

    def test_injected_faults_are_documented_answers(self):
        auth = bearer(self.token())
        r = "/v1/cases/%s/receipts" % OPEN_CASE_2
        for faults, status in (({"rate_limit_rate": 1.0, "retry_after_format": "http-date"}, 429),
                               ({"rate_limit_rate": 0.0, "error_rate": 1.0, "error_statuses": [503]}, 503),
                               ({"error_statuses": [500]}, 500), ({"error_statuses": [502]}, 502),
                               ({"error_statuses": [504], "error_phase": "after"}, 504)):
            self.up.control("POST", "faults", faults)
            result = self.via("POST", r, receipt("PE3716460123"), dict(auth, **{"Idempotency-Key": str(uuid.uuid4())}))
            self.assertClean(result, status)
            if status in (429, 503):
                self.assertIn("retry-after", result[1])
        self.up.control("POST", "faults", {"error_rate": 0.0, "token_lifetime": 1})
        tok = self.token()
        time.sleep(1.1)
        self.assertClean(self.via("GET", "/v1/cases", headers=bearer(tok)), 401)
        self.up.control("POST", "faults", {"forbid": True})
        self.assertClean(self.via("GET", "/v1/cases", headers=bearer(self.token())), 403)

    def test_invalid_requests_are_reported(self):
        auth = bearer(self.token())
        r = "/v1/cases/%s/receipts" % OPEN_CASE
        body = receipt()
        del body["serial"]
        st, _, out, v = self.via("POST", r, body, dict(auth, **{"Idempotency-Key": str(uuid.uuid4())}))
        self.assertEqual((st, out["error"]["field"]), (422, "serial"))
        self.assertTrue(any(x["location"][:2] == ["request", "body"] and "serial" in x["message"] for x in v), v)
        self.assertFalse([x for x in v if x["location"][0] == "response"], v)
        for bad, what in ((dict(receipt(), late="no"), "late"), (dict(receipt(), receipt_id="x"), "receipt_id"),
                          (dict(receipt(), extra=True), "extra")):
            st, _, out, v = self.via("POST", r, bad, dict(auth, **{"Idempotency-Key": str(uuid.uuid4())}))
            self.assertEqual(st, 422)
            self.assertTrue(v, "no violation for %s" % what)
        # Missing Idempotency-Key, missing bearer token, malformed query: all reported.
        self.assertTrue(self.via("POST", r, receipt(), auth)[3])
        self.assertTrue(self.via("GET", "/v1/cases")[3])
        self.assertTrue(self.via("GET", "/v1/cases?limit=0", headers=auth)[3])
        self.assertEqual(self.up.control("GET", "stats")["keys"], [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
