#!/usr/bin/env python3
"""A fake TheHive 4 / TheHive 5 server for ircase's sync tests.

Standard library only.  It listens on 127.0.0.1, keeps every object in
memory and answers the endpoints that ircase's client calls, in the shapes
that the TheHive 4.1 source (v1 and v0 routers and DTOs) and the TheHive 5
OpenAPI specification describe.  Where a behaviour of the real servers is
not known, the spot says so in a NOTE.

Usage:
    fakehive.py [--port N] [--version 4|5|5.2] [--key KEY[=LOGIN]]...
                [--org ORG] [--custom-field NAME] [--max-body BYTES]
                [--latency-ms MS]

With --port 0 (the default) the chosen port is printed on standard output
as "port N" once the server listens.

Test hooks (no authentication, never part of TheHive):
    GET  /_fake/state      every stored object and every request received
    POST /_fake/fault      queue a fault: {"method", "path" (a regex),
                           "times", "status", "body", "content_type",
                           "delay_ms", "drop", "retry_after", "commit",
                           "commit_first", "body_bytes", "body_match"}
                           With "commit" the request is carried out after
                           the delay, then the fault answers (a slow server
                           that stores late); with "commit_first" it is
                           carried out before the delay (a server that
                           stores at once but answers late).  "body_bytes"
                           answers N bytes of "x" instead of "body";
                           "body_match" (a regex) limits the fault to
                           requests whose body it is found in.
    POST /_fake/latency    {"ms": N}: sleep N ms before every answer
    POST /_fake/reset      forget every object, request and fault
    POST /_fake/clear-requests
"""

import argparse
import http.client
import json
import re
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def now_ms():
    return int(time.time() * 1000)


class HiveError(Exception):
    """An error answered as TheHive's JSON error body {type, message}."""

    def __init__(self, status, etype, message, extra=None):
        super().__init__(message)
        self.status = status
        self.etype = etype
        self.message = message
        self.extra = extra or {}


class Store:
    """Every object the fake holds, per organisation, and the request log."""

    def __init__(self, args):
        self.args = args
        self.reset()

    def reset(self):
        self.next_id = 4096
        self.numbers = {}
        self.cases = {}
        self.tasks = {}
        self.logs = {}
        self.observables = {}
        self.alerts = {}
        self.requests = []
        self.faults = []
        self.latency_ms = self.args.latency_ms

    def new_id(self):
        # TheHive ids are strings that start with '~' (ScalliGraph EntityId).
        self.next_id += 8
        return "~%d" % self.next_id

    def next_number(self, org):
        self.numbers[org] = self.numbers.get(org, 0) + 1
        return self.numbers[org]

    def snapshot(self):
        def strip(objs):
            return [dict(v) for v in objs.values()]
        return {
            "version": self.args.version,
            "cases": strip(self.cases),
            "tasks": strip(self.tasks),
            "logs": strip(self.logs),
            "observables": strip(self.observables),
            "alerts": strip(self.alerts),
            "requests": self.requests,
            "faults_left": len(self.faults),
        }


# Version-specific vocabularies (thehive-api.md 2.2, 2.4, 3.2).
CASE_STATUS_4 = ["Open", "Resolved", "Duplicated"]
RESOLUTION_4 = ["Indeterminate", "FalsePositive", "TruePositive", "Other",
                "Duplicated"]
CASE_STATUS_5 = {"New": "New", "InProgress": "InProgress",
                 "Indeterminate": "Closed", "FalsePositive": "Closed",
                 "TruePositive": "Closed", "Other": "Closed",
                 "Duplicated": "Closed"}
IMPACT = ["NoImpact", "WithImpact", "NotApplicable"]
TASK_STATUS = ["Waiting", "InProgress", "Completed", "Cancel"]
OBSERVABLE_TYPES = ["url", "other", "user-agent", "regexp", "mail-subject",
                    "registry", "mail", "autonomous-system", "domain", "ip",
                    "uri_path", "filename", "hash", "file", "fqdn",
                    "hostname"]
TLP_LABEL_5 = {0: "CLEAR", 1: "GREEN", 2: "AMBER", 3: "AMBER+STRICT",
               4: "RED"}
TLP_LABEL_OLD = {0: "WHITE", 1: "GREEN", 2: "AMBER", 3: "RED"}


def is_v4(args):
    return args.version == "4"


def tlp_max(args):
    # TheHive 5.2 added AMBER+STRICT as 3 and moved RED to 4.
    return 4 if args.version == "5.2" else 3


def check_type(body, field, kind, errors):
    """Records an AttributeCheckingError entry when body[field] has the
    wrong JSON type.  Dates must be integers: ScalliGraph's date parser
    takes a number (or a numeric string on TheHive 4), and an ISO string
    gives "Invalid format for date"."""
    if field not in body or body[field] is None:
        return
    v = body[field]
    ok = True
    if kind in ("int", "date"):
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif kind == "str":
        ok = isinstance(v, str)
    elif kind == "bool":
        ok = isinstance(v, bool)
    elif kind == "list":
        ok = isinstance(v, list)
    if not ok:
        fmt = "date" if kind == "date" else kind
        errors.append({"name": field, "format": fmt, "acceptedInput": [fmt],
                       "field": repr(v), "type": "InvalidFormatAttributeError"})


def raise_attribute_errors(errors):
    if errors:
        msg = "[" + ", ".join("Invalid format for %s: %s, expected %s" %
                              (e["name"], e["field"], e["format"])
                              for e in errors) + "]"
        raise HiveError(400, "AttributeCheckingError", msg,
                        {"errors": errors})


def check_enum(body, field, values):
    if field in body and body[field] is not None and body[field] not in values:
        raise HiveError(400, "AttributeCheckingError",
                        "[Invalid format for %s: %s]" % (field, body[field]),
                        {"errors": [{"name": field, "format": field,
                                     "acceptedInput": list(values),
                                     "field": str(body[field]),
                                     "type": "InvalidFormatAttributeError"}]})


def check_range(body, field, lo, hi):
    v = body.get(field)
    if isinstance(v, int) and not (lo <= v <= hi):
        raise HiveError(400, "BadRequest",
                        "%s must be between %d and %d" % (field, lo, hi))


class Hive:
    """The API itself: one method per route, all under LOCK."""

    def __init__(self, store, args):
        self.s = store
        self.args = args
        self.keys = {}
        for spec in args.key:
            key, _, login = spec.partition("=")
            self.keys[key] = login or "sync@soc"
        # Which organisations each user belongs to; the first is the default.
        self.user_orgs = {login: [args.org] for login in self.keys.values()}
        for spec in args.member:
            login, _, org = spec.partition("=")
            self.user_orgs.setdefault(login, []).append(org)

    # -- authentication -------------------------------------------------

    def auth(self, headers):
        value = headers.get("Authorization", "")
        if not value.startswith("Bearer "):
            raise HiveError(401, "AuthenticationError",
                            "Authentication failure")
        login = self.keys.get(value[len("Bearer "):])
        if login is None:
            raise HiveError(401, "AuthenticationError",
                            "Authentication failure")
        orgs = self.user_orgs.get(login, [self.args.org])
        org = headers.get("X-Organisation")
        if org is None:
            org = orgs[0]
        elif org not in orgs:
            # NOTE: the exact status and body TheHive returns for an
            # organisation the user is not in are not known; 401 with an
            # AuthenticationError is a guess.
            raise HiveError(401, "AuthenticationError",
                            "User %s is not a member of organisation %s" %
                            (login, org))
        return login, org

    # -- helpers ------------------------------------------------------------

    def find_case(self, org, id_or_name):
        if id_or_name.startswith("~"):
            c = self.s.cases.get(id_or_name)
        else:
            c = None
            try:
                n = int(id_or_name)
            except ValueError:
                n = None
            for v in self.s.cases.values():
                if v["number"] == n and v["_org"] == org:
                    c = v
        if c is None or c["_org"] != org:
            raise HiveError(404, "NotFoundError", "Case not found")
        return c

    def find_task(self, org, tid):
        t = self.s.tasks.get(tid)
        if t is None or t["_org"] != org:
            raise HiveError(404, "NotFoundError", "Task not found")
        return t

    def base(self, login, org, kind):
        t = now_ms()
        return {"_id": self.s.new_id(), "_type": kind, "_createdBy": login,
                "_createdAt": t, "_org": org}

    def touch(self, obj, login):
        obj["_updatedBy"] = login
        obj["_updatedAt"] = now_ms()

    # -- status and user ------------------------------------------------

    def status_public(self):
        if is_v4(self.args):
            # TheHive 4 has no /status/public: the router answers 404.
            raise HiveError(404, "NotFoundError", "/api/v1/status/public")
        return 200, {"version": self.version_string(), "sso": False,
                     "ssoProviders": [], "imports": []}

    def version_string(self):
        return {"4": "4.1.24-1", "5": "5.1.9-1", "5.2": "5.2.16-1"}[
            self.args.version]

    def status(self, headers):
        if is_v4(self.args):
            return 200, {"versions": {"Scalligraph": "4.1.24-1",
                                      "TheHive": self.version_string(),
                                      "Play": "2.8.x"},
                         "connectors": {}, "config": {}, "cluster": {},
                         "schemaStatus": []}
        self.auth(headers)
        return 200, {"version": self.version_string(),
                     "gitDescription": "fake", "connectors": {},
                     "config": {}, "license": {}, "features": {}}

    def user_current(self, login, org):
        return 200, {"_id": "~8", "_type": "User", "login": login,
                     "name": login.split("@")[0], "organisation": org,
                     "profile": "analyst", "locked": False,
                     "organisations": [{"organisation": o}
                                       for o in self.user_orgs.get(login, [])]}

    # -- case -----------------------------------------------------------

    def case_out(self, c):
        out = {k: v for k, v in c.items() if not k.startswith("_org")}
        if not is_v4(self.args):
            out["tlpLabel"] = (TLP_LABEL_5 if self.args.version == "5.2"
                               else TLP_LABEL_OLD).get(c["tlp"])
            out["stage"] = CASE_STATUS_5.get(c["status"], "InProgress")
        out["customFields"] = [
            {"_id": "~cf%d" % i, "name": k, "type": "string", "value": v,
             "order": i} for i, (k, v) in enumerate(c["_cf"].items())]
        out.pop("_cf", None)
        return out

    def custom_fields_in(self, value):
        """Reads a customFields value: the object or the array form."""
        fields = {}
        if isinstance(value, dict):
            items = value.items()
        elif isinstance(value, list):
            items = [(e.get("name"), e.get("value")) for e in value]
        else:
            raise HiveError(400, "BadRequest", "Invalid customFields")
        for name, v in items:
            if name not in self.args.custom_field:
                raise HiveError(404, "NotFoundError",
                                "CustomField %s not found" % name)
            fields[name] = v
        return fields

    def case_create(self, login, org, body):
        errors = []
        for f, k in (("title", "str"), ("description", "str"),
                     ("severity", "int"), ("startDate", "date"),
                     ("endDate", "date"), ("tlp", "int"), ("pap", "int"),
                     ("flag", "bool"), ("tags", "list"),
                     ("summary", "str")):
            check_type(body, f, k, errors)
        raise_attribute_errors(errors)
        for f in ("title", "description"):
            if not body.get(f):
                raise HiveError(400, "AttributeCheckingError",
                                "[Missing attribute %s]" % f)
        check_range(body, "severity", 1, 4)
        check_range(body, "tlp", 0, tlp_max(self.args))
        check_range(body, "pap", 0, 3)
        if is_v4(self.args):
            check_enum(body, "status", CASE_STATUS_4)
            # TheHive 4.1 reads the assignee from "user"; "assignee" in a
            # create body is not a field of its InputCase.
            cf_key = "customFieldValues"
        else:
            check_enum(body, "status", list(CASE_STATUS_5))
            cf_key = "customFields"
        c = self.base(login, org, "Case")
        c.update({"number": self.s.next_number(org), "title": body["title"],
                  "description": body["description"],
                  "severity": body.get("severity", 2),
                  "startDate": body.get("startDate", c["_createdAt"]),
                  "endDate": body.get("endDate"),
                  "tags": list(dict.fromkeys(body.get("tags") or [])),
                  "flag": body.get("flag", False),
                  "tlp": body.get("tlp", 2), "pap": body.get("pap", 2),
                  "status": body.get("status",
                                     "Open" if is_v4(self.args) else "New"),
                  "summary": body.get("summary"),
                  "impactStatus": None,
                  "assignee": body.get("user" if is_v4(self.args)
                                       else "assignee", login),
                  "extraData": {}, "_cf": {}})
        if is_v4(self.args):
            c["resolutionStatus"] = None
        if cf_key in body and body[cf_key] is not None:
            c["_cf"] = self.custom_fields_in(body[cf_key])
        self.s.cases[c["_id"]] = c
        for i, t in enumerate(body.get("tasks") or []):
            self.task_insert(login, org, c, t, i)
        return 201, self.case_out(c)

    def case_get(self, login, org, id_or_name):
        return 200, self.case_out(self.find_case(org, id_or_name))

    def case_delete(self, login, org, id_or_name):
        """DELETE /api/v1/case/{id}: 204, with its tasks, logs and
        observables (OAS5; TheHive 5 deletes them with the case)."""
        c = self.find_case(org, id_or_name)
        tasks = {t for t, v in self.s.tasks.items() if v["_case"] == c["_id"]}
        for lid in [k for k, v in self.s.logs.items() if v["_task"] in tasks]:
            del self.s.logs[lid]
        for oid in [k for k, v in self.s.observables.items()
                    if v["_case"] == c["_id"]]:
            del self.s.observables[oid]
        for tid in tasks:
            del self.s.tasks[tid]
        del self.s.cases[c["_id"]]
        return 204, None

    def case_patch(self, login, org, id_or_name, body):
        c = self.find_case(org, id_or_name)
        errors = []
        for f, k in (("title", "str"), ("description", "str"),
                     ("severity", "int"), ("startDate", "date"),
                     ("endDate", "date"), ("tlp", "int"), ("pap", "int"),
                     ("flag", "bool"), ("tags", "list")):
            check_type(body, f, k, errors)
        raise_attribute_errors(errors)
        check_range(body, "severity", 1, 4)
        check_range(body, "tlp", 0, tlp_max(self.args))
        if is_v4(self.args):
            check_enum(body, "status", CASE_STATUS_4)
            check_enum(body, "resolutionStatus", RESOLUTION_4)
            if "addTags" in body or "removeTags" in body:
                # TheHive 4.1 v1 has only "tags" (v1/Properties.scala).
                raise HiveError(400, "AttributeCheckingError",
                                "[Unknown attribute addTags]")
        else:
            check_enum(body, "status", list(CASE_STATUS_5))
            if "resolutionStatus" in body:
                # NOTE: TheHive 5's InputUpdateCase has no resolutionStatus;
                # whether it rejects or ignores the key is not known.
                raise HiveError(400, "AttributeCheckingError",
                                "[Unknown attribute resolutionStatus]")
        check_enum(body, "impactStatus", IMPACT)
        for k, v in body.items():
            if k == "customFields":
                c["_cf"].update(self.custom_fields_in(v))
            elif k.startswith("customFields."):
                c["_cf"].update(self.custom_fields_in(
                    {k[len("customFields."):]: v}))
            elif k == "addTags":
                c["tags"] = list(dict.fromkeys(c["tags"] + v))
            elif k == "removeTags":
                c["tags"] = [t for t in c["tags"] if t not in v]
            elif k in ("title", "description", "severity", "startDate",
                       "endDate", "tags", "flag", "tlp", "pap", "status",
                       "summary", "impactStatus", "resolutionStatus",
                       "assignee"):
                c[k] = v
            else:
                raise HiveError(400, "AttributeCheckingError",
                                "[Unknown attribute %s]" % k)
        closed = (c["status"] == "Resolved" if is_v4(self.args)
                  else CASE_STATUS_5.get(c["status"]) == "Closed")
        if closed and not c.get("endDate"):
            c["endDate"] = now_ms()
        if closed and not is_v4(self.args):
            # TheHive 5 closes the pending tasks of a closed case.
            for t in self.s.tasks.values():
                if t["_case"] == c["_id"] and t["status"] in ("Waiting",
                                                              "InProgress"):
                    t["status"] = "Cancel"
        self.touch(c, login)
        return 204, None

    # -- task -----------------------------------------------------------

    def task_insert(self, login, org, case, body, order_default=0):
        errors = []
        for f, k in (("title", "str"), ("group", "str"),
                     ("description", "str"), ("status", "str"),
                     ("flag", "bool"), ("startDate", "date"),
                     ("endDate", "date"), ("order", "int"),
                     ("dueDate", "date"), ("mandatory", "bool")):
            check_type(body, f, k, errors)
        raise_attribute_errors(errors)
        if not body.get("title"):
            raise HiveError(400, "AttributeCheckingError",
                            "[Missing attribute title]")
        if len(body["title"]) > 128:
            raise HiveError(400, "AttributeCheckingError",
                            "[Invalid format for title: too long]")
        check_enum(body, "status", TASK_STATUS)
        if is_v4(self.args) and "mandatory" in body:
            raise HiveError(400, "AttributeCheckingError",
                            "[Unknown attribute mandatory]")
        t = self.base(login, org, "Task")
        t.update({"title": body["title"],
                  "group": body.get("group") or "default",
                  "description": body.get("description"),
                  "status": body.get("status", "Waiting"),
                  "flag": body.get("flag", False),
                  "startDate": body.get("startDate"),
                  "endDate": body.get("endDate"),
                  "order": body.get("order", order_default),
                  "dueDate": body.get("dueDate"),
                  "assignee": body.get("assignee", body.get("owner")),
                  "extraData": {}, "_case": case["_id"]})
        if not is_v4(self.args):
            t["mandatory"] = body.get("mandatory", False)
        self.s.tasks[t["_id"]] = t
        return t

    def task_out(self, t, v0=False):
        out = {k: v for k, v in t.items() if k not in ("_org", "_case")}
        if v0:
            # The v0 shapes: "id" beside "_id", "case_task" as the type,
            # "owner" for the assignee, createdBy/createdAt without "_".
            out["id"] = t["_id"]
            out["_type"] = "case_task"
            out["owner"] = out.pop("assignee", None)
            out["createdBy"] = out.pop("_createdBy")
            out["createdAt"] = out.pop("_createdAt")
        return out

    def task_create(self, login, org, case_id, body, v0):
        if not v0 and is_v4(self.args):
            # TheHive 4.1's v1 router has no POST /case/{id}/task.
            raise HiveError(404, "NotFoundError",
                            "/api/v1/case/%s/task" % case_id)
        c = self.find_case(org, case_id)
        t = self.task_insert(login, org, c, body)
        return 201, self.task_out(t, v0)

    def task_patch(self, login, org, tid, body):
        t = self.find_task(org, tid)
        check_enum(body, "status", TASK_STATUS)
        errors = []
        for f, k in (("title", "str"), ("order", "int"),
                     ("startDate", "date"), ("endDate", "date")):
            check_type(body, f, k, errors)
        raise_attribute_errors(errors)
        for k, v in body.items():
            if k not in ("title", "group", "description", "status", "flag",
                         "startDate", "endDate", "order", "dueDate",
                         "assignee", "mandatory"):
                raise HiveError(400, "AttributeCheckingError",
                                "[Unknown attribute %s]" % k)
            t[k] = v
        self.touch(t, login)
        return 204, None

    # -- task log ----------------------------------------------------------

    def log_create(self, login, org, tid, body):
        t = self.find_task(org, tid)
        errors = []
        check_type(body, "message", "str", errors)
        check_type(body, "startDate", "date", errors)
        check_type(body, "includeInTimeline", "date", errors)
        raise_attribute_errors(errors)
        if not body.get("message"):
            raise HiveError(400, "AttributeCheckingError",
                            "[Missing attribute message]")
        if is_v4(self.args) and "includeInTimeline" in body:
            raise HiveError(400, "AttributeCheckingError",
                            "[Unknown attribute includeInTimeline]")
        lg = self.base(login, org, "Log")
        lg.update({"message": body["message"],
                   "date": body.get("startDate", lg["_createdAt"]),
                   "owner": login, "extraData": {}, "_task": t["_id"]})
        self.s.logs[lg["_id"]] = lg
        return 201, self.log_out(lg)

    def log_out(self, lg):
        return {k: v for k, v in lg.items() if k not in ("_org", "_task")}

    # -- observable ---------------------------------------------------------

    def observable_create(self, login, org, case_id, body):
        c = self.find_case(org, case_id)
        errors = []
        for f, k in (("dataType", "str"), ("message", "str"),
                     ("startDate", "date"), ("tlp", "int"), ("pap", "int"),
                     ("ioc", "bool"), ("sighted", "bool"),
                     ("tags", "list")):
            check_type(body, f, k, errors)
        raise_attribute_errors(errors)
        if body.get("dataType") not in OBSERVABLE_TYPES:
            raise HiveError(404, "NotFoundError", "ObservableType %s not found"
                            % body.get("dataType"))
        check_range(body, "tlp", 0, tlp_max(self.args))
        values = body.get("data")
        if isinstance(values, str):
            values = [values]
        created, failed = [], []
        for v in values or []:
            if not v.strip():
                continue
            dup = [o for o in self.s.observables.values()
                   if o["_case"] == c["_id"] and o["dataType"] ==
                   body["dataType"] and o["data"] == v]
            if dup:
                failed.append({"type": "CreateError",
                               "message": "Observable already exists",
                               "object": {"data": v}})
                continue
            o = self.base(login, org, "Observable")
            o.update({"dataType": body["dataType"], "data": v,
                      "message": body.get("message"),
                      "startDate": body.get("startDate", o["_createdAt"]),
                      "tlp": body.get("tlp", 2), "pap": body.get("pap", 2),
                      "tags": body.get("tags") or [],
                      "ioc": body.get("ioc", False),
                      "sighted": body.get("sighted", False),
                      "reports": {}, "extraData": {}, "_case": c["_id"]})
            self.s.observables[o["_id"]] = o
            created.append(self.obs_out(o))
        if failed:
            if is_v4(self.args):
                # TheHive 4.1 v1 answers 207 as soon as one value fails.
                return 207, {"success": created, "failure": failed}
            # NOTE: TheHive 5's answer to a duplicate observable is not
            # documented; a 400 CreateError like the v0 route's is a guess.
            raise HiveError(400, "CreateError", "Observable already exists")
        return 201, created

    def obs_out(self, o):
        return {k: v for k, v in o.items() if k not in ("_org", "_case")}

    # -- alert --------------------------------------------------------------

    def alert_create(self, login, org, body):
        for f in ("type", "source", "sourceRef", "title", "description"):
            if not body.get(f):
                raise HiveError(400, "AttributeCheckingError",
                                "[Missing attribute %s]" % f)
        for a in self.s.alerts.values():
            if a["_org"] == org and (a["type"], a["source"], a["sourceRef"]) \
                    == (body["type"], body["source"], body["sourceRef"]):
                raise HiveError(400, "CreateError",
                                "Alert %s:%s:%s already exist in "
                                "organisation %s" % (body["type"],
                                                     body["source"],
                                                     body["sourceRef"], org))
        a = self.base(login, org, "Alert")
        a.update({k: body.get(k) for k in ("type", "source", "sourceRef",
                                           "title", "description")})
        a.update({"severity": body.get("severity", 2),
                  "date": body.get("date", a["_createdAt"]),
                  "tags": body.get("tags") or [], "tlp": body.get("tlp", 2),
                  "pap": body.get("pap", 2), "status": "New",
                  "caseId": None})
        self.s.alerts[a["_id"]] = a
        return 201, {k: v for k, v in a.items() if k != "_org"}

    # -- query --------------------------------------------------------------

    def query(self, login, org, body):
        steps = body.get("query") if isinstance(body, dict) else None
        if not isinstance(steps, list) or not steps:
            raise HiveError(400, "BadRequest", "Invalid query")
        kind, items = None, []
        for st in steps:
            name = st.get("_name")
            if name == "listCase":
                kind, items = "case", [c for c in self.s.cases.values()
                                       if c["_org"] == org]
            elif name == "getCase":
                kind = "case"
                items = [self.find_case(org, str(st.get("idOrName")))]
            elif name == "getTask":
                kind = "task"
                items = [self.find_task(org, str(st.get("idOrName")))]
            elif name == "listTask":
                kind, items = "task", [t for t in self.s.tasks.values()
                                       if t["_org"] == org]
            elif name == "tasks" and kind == "case":
                ids = {c["_id"] for c in items}
                kind = "task"
                items = [t for t in self.s.tasks.values()
                         if t["_case"] in ids]
            elif name == "logs" and kind == "task":
                ids = {t["_id"] for t in items}
                kind = "log"
                items = [lg for lg in self.s.logs.values()
                         if lg["_task"] in ids]
            elif name == "observables" and kind == "case":
                ids = {c["_id"] for c in items}
                kind = "observable"
                items = [o for o in self.s.observables.values()
                         if o["_case"] in ids]
            elif name == "filter":
                cond = {k: v for k, v in st.items() if k != "_name"}
                items = [o for o in items if self.match(o, cond)]
            elif name == "sort":
                for spec in reversed(st.get("_fields", [])):
                    for field, order in spec.items():
                        items = sorted(items, key=lambda o, f=field:
                                       (o.get(f) is None, o.get(f)),
                                       reverse=(order == "desc"))
            elif name == "page":
                items = items[st.get("from", 0):st.get("to", len(items))]
            elif name == "count":
                return 200, len(items)
            else:
                raise HiveError(400, "SearchError",
                                "Unknown query step %s" % name)
        out = {"case": self.case_out, "task": self.task_out,
               "log": self.log_out, "observable": self.obs_out}.get(kind)
        return 200, [out(o) for o in items]

    def field(self, obj, name):
        if name.startswith("customFields."):
            return obj.get("_cf", {}).get(name[len("customFields."):])
        return obj.get(name)

    def match(self, obj, cond):
        """Evaluates a filter as ScalliGraph's Filter.scala reads it."""
        for op, arg in cond.items():
            if op == "_and":
                if not all(self.match(obj, c) for c in arg):
                    return False
            elif op == "_or":
                if not any(self.match(obj, c) for c in arg):
                    return False
            elif op == "_not":
                if self.match(obj, arg):
                    return False
            elif op in ("_is", "_eq", "_like"):
                if op == "_eq" and is_v4(self.args):
                    # TheHive 4.1's filter parser has no _eq.
                    # NOTE: the exact error for an unknown operator is not
                    # known; SearchError is a guess.
                    raise HiveError(400, "SearchError",
                                    "Invalid filter _eq")
                v = self.field(obj, arg["_field"])
                want = arg["_value"]
                if op == "_like" and isinstance(want, str) and "*" in want:
                    pat = "^" + ".*".join(map(re.escape, want.split("*"))) \
                        + "$"
                    vals = v if isinstance(v, list) else [v]
                    if not any(isinstance(x, str) and re.match(pat, x)
                               for x in vals):
                        return False
                elif isinstance(v, list):
                    if want not in v:
                        return False
                elif v != want:
                    return False
            elif op in ("_gt", "_gte", "_lt", "_lte"):
                ((f, want),) = arg.items()
                v = self.field(obj, f)
                if v is None:
                    return False
                if not {"_gt": v > want, "_gte": v >= want,
                        "_lt": v < want, "_lte": v <= want}[op]:
                    return False
            elif op == "_in":
                if self.field(obj, arg["_field"]) not in arg["_values"]:
                    return False
            elif op == "_field":
                if self.field(obj, arg) != cond.get("_value"):
                    return False
            elif op == "_value":
                continue
            else:
                raise HiveError(400, "SearchError", "Invalid filter %s" % op)
        return True


class FastHeaders(dict):
    """Request headers by lower-case name; get() ignores case."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)

    def __getitem__(self, name):
        return dict.get(self, name.lower())


def fast_parse_headers(fp, _class=None):
    """Reads header lines up to the blank line, as http.client.parse_headers
    does, without the email parser: that parser was about half of the
    fake's CPU time per request (cProfile, 2,000 task logs)."""
    headers = FastHeaders()
    for _ in range(101):
        line = fp.readline(65537)
        if len(line) > 65536:
            raise http.client.LineTooLong("header line")
        if line in (b"\r\n", b"\n", b""):
            return headers
        name, _, value = line.decode("iso-8859-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    raise http.client.HTTPException("got more than 100 headers")


# http.server reads request headers through this name.
http.client.parse_headers = fast_parse_headers

ROUTES = [
    ("GET", r"/api/v1/status/public", "status_public"),
    ("GET", r"/api/v1/status", "status"),
    ("GET", r"/api/status", "status"),
    ("GET", r"/api/v1/user/current", "user_current"),
    ("POST", r"/api/v1/case", "case_create"),
    ("GET", r"/api/v1/case/(?P<cid>[^/]+)", "case_get"),
    ("PATCH", r"/api/v1/case/(?P<cid>[^/]+)", "case_patch"),
    ("DELETE", r"/api/v1/case/(?P<cid>[^/]+)", "case_delete"),
    ("POST", r"/api/v1/case/(?P<cid>[^/]+)/task", "task_create_v1"),
    ("POST", r"/api/case/(?P<cid>[^/]+)/task", "task_create_v0"),
    ("PATCH", r"/api/v1/task/(?P<tid>[^/]+)", "task_patch"),
    ("POST", r"/api/v1/task/(?P<tid>[^/]+)/log", "log_create"),
    ("POST", r"/api/v1/case/(?P<cid>[^/]+)/observable", "observable_create"),
    ("POST", r"/api/v1/alert", "alert_create"),
    ("POST", r"/api/v1/query", "query"),
]


ROUTES_COMPILED = [(m, re.compile(p), name) for m, p, name in ROUTES]
DATE_CACHE = [0, ""]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fakehive"
    # Without TCP_NODELAY a small answer can wait for the client's delayed
    # ACK (40 ms on Linux).
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if self.server.args.verbose:
            sys.stderr.write("fakehive: " + (fmt % args) + "\n")

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_DELETE(self):
        self.handle_any("DELETE")

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def date_time_string(self, timestamp=None):
        """The Date header, formatted once per second."""
        now = int(time.time())
        if DATE_CACHE[0] != now:
            DATE_CACHE[:] = [now, formatdate(now, usegmt=True)]
        return DATE_CACHE[1]

    def send(self, status, body, content_type="application/json",
             extra_headers=None):
        if body is None:
            data = b""
        elif isinstance(body, (bytes, str)):
            data = body.encode() if isinstance(body, str) else body
        else:
            data = json.dumps(body).encode()
        if self.server.args.verbose:
            self.log_request(status)
        # One write for the status line, the headers and the body.
        head = ["HTTP/1.1 %d %s" % (status, self.responses.get(
            status, ("",))[0]), "Server: fakehive",
            "Date: " + self.date_time_string()]
        if data or status != 204:
            head.append("Content-Type: " + content_type)
        head.append("Content-Length: %d" % len(data))
        for k, v in (extra_headers or {}).items():
            head.append("%s: %s" % (k, v))
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode(
            "latin-1") + data)

    def drop(self):
        """Closes the connection without an answer (curl: empty reply)."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(2)
        except OSError:
            pass

    def take_fault(self, method, path, raw):
        store = self.server.store
        for f in store.faults:
            if f.get("method", method) != method:
                continue
            if not re.fullmatch(f.get("path", ".*"), path):
                continue
            if "body_match" in f and not re.search(
                    f["body_match"], raw.decode("utf-8", "replace")):
                continue
            f["times"] = f.get("times", 1) - 1
            if f["times"] <= 0:
                store.faults.remove(f)
            return dict(f)
        return None

    def handle_fake(self, method, path, raw):
        store = self.server.store
        body = json.loads(raw) if raw else {}
        with LOCK:
            if path == "/_fake/state" and method == "GET":
                return self.send(200, store.snapshot())
            if path == "/_fake/fault" and method == "POST":
                store.faults.append(body)
                return self.send(200, {"queued": len(store.faults)})
            if path == "/_fake/latency" and method == "POST":
                store.latency_ms = float(body.get("ms", 0))
                return self.send(200, {"ms": store.latency_ms})
            if path == "/_fake/reset" and method == "POST":
                store.reset()
                return self.send(200, {})
            if path == "/_fake/clear-requests" and method == "POST":
                store.requests = []
                return self.send(200, {})
        return self.send(404, {"type": "NotFoundError", "message": path})

    def handle_any(self, method):
        raw = self.read_body()
        path, _, query = self.path.partition("?")
        if path.startswith("/_fake/"):
            return self.handle_fake(method, path, raw)
        store = self.server.store
        args = self.server.args
        with LOCK:
            fault = self.take_fault(method, path, raw)
            latency = store.latency_ms
            store.requests.append({
                "method": method, "path": self.path,
                "headers": {k: self.headers.get(k) for k in
                            ("Authorization", "X-Organisation",
                             "Content-Type", "Accept")
                            if self.headers.get(k) is not None},
                "body": raw.decode("utf-8", "replace") if raw else None,
            })
        if latency:
            time.sleep(latency / 1000.0)
        if fault and fault.get("commit_first"):
            self.dispatch(method, path, raw)
            if fault.get("delay_ms"):
                time.sleep(fault["delay_ms"] / 1000.0)
            return self.answer_fault(fault)
        if fault and fault.get("delay_ms"):
            time.sleep(fault["delay_ms"] / 1000.0)
        if fault and not fault.get("commit"):
            return self.answer_fault(fault)
        if args.max_body and len(raw) > args.max_body:
            # What nginx in front of TheHive sends for client_max_body_size.
            return self.send(413, "<html>\r\n<head><title>413 Request Entity "
                             "Too Large</title></head>\r\n<body>\r\n<center>"
                             "<h1>413 Request Entity Too Large</h1></center>"
                             "\r\n<hr><center>nginx</center>\r\n</body>\r\n"
                             "</html>\r\n", "text/html")
        status, reply, headers = self.dispatch(method, path, raw)
        if fault:
            # "Commit then fail": the object is stored, the answer is lost.
            return self.answer_fault(fault)
        ctype = "application/json"
        self.send(status, reply, ctype, headers)

    def answer_fault(self, f):
        if f.get("drop"):
            return self.drop()
        headers = {}
        if "retry_after" in f:
            headers["Retry-After"] = str(f["retry_after"])
        status = f.get("status", 500)
        body = f.get("body")
        if f.get("body_bytes"):
            body = b"x" * int(f["body_bytes"])
        ctype = f.get("content_type") or ("application/json"
                                          if not isinstance(body, str)
                                          else "text/html")
        if body is None:
            body = {"type": "InternalError", "message": "fault injected"}
        self.send(status, body, ctype, headers)

    def dispatch(self, method, path, raw):
        hive = self.server.hive
        try:
            for m, pattern, name in ROUTES_COMPILED:
                if m != method:
                    continue
                mo = pattern.fullmatch(path)
                if mo:
                    break
            else:
                raise HiveError(404, "NotFoundError", path)
            with LOCK:
                return self.call(hive, name, mo.groupdict(), raw)
        except HiveError as e:
            body = {"type": e.etype, "message": e.message}
            body.update(e.extra)
            return e.status, body, {}

    def call(self, hive, name, groups, raw):
        if name == "status_public":
            return hive.status_public() + ({},)
        if name == "status":
            return hive.status(self.headers) + ({},)
        login, org = hive.auth(self.headers)
        body = None
        if raw:
            ctype = self.headers.get("Content-Type", "")
            if not ctype.startswith("application/json"):
                # Without the JSON type TheHive parses a form body and
                # every value arrives as a string.
                raise HiveError(400, "AttributeCheckingError",
                                "[Invalid format: body is not JSON]")
            try:
                body = json.loads(raw)
            except ValueError:
                raise HiveError(400, "BadRequest", "Invalid Json")
        body = body if body is not None else {}
        if name == "user_current":
            return hive.user_current(login, org) + ({"X-Organisation": org},)
        if name == "case_create":
            r = hive.case_create(login, org, body)
        elif name == "case_get":
            r = hive.case_get(login, org, groups["cid"])
        elif name == "case_patch":
            r = hive.case_patch(login, org, groups["cid"], body)
        elif name == "case_delete":
            r = hive.case_delete(login, org, groups["cid"])
        elif name == "task_create_v1":
            r = hive.task_create(login, org, groups["cid"], body, False)
        elif name == "task_create_v0":
            r = hive.task_create(login, org, groups["cid"], body, True)
        elif name == "task_patch":
            r = hive.task_patch(login, org, groups["tid"], body)
        elif name == "log_create":
            r = hive.log_create(login, org, groups["tid"], body)
        elif name == "observable_create":
            r = hive.observable_create(login, org, groups["cid"], body)
        elif name == "alert_create":
            r = hive.alert_create(login, org, body)
        else:
            r = hive.query(login, org, body)
        return r + ({},)


class FakeServer(ThreadingHTTPServer):
    """The HTTP server, with a listen backlog of a real server's size.

    socketserver listens with a backlog of 5.  A client that opens 8
    connections at once could then have a SYN dropped while the accept
    thread waits for the GIL, and Linux resends it only after a second.
    nginx listens with 511 on Linux; TheHive's own backlog (Akka HTTP)
    was not checked, so this takes 128, Linux's somaxconn before 5.4.
    """

    request_queue_size = 128


def main():
    p = argparse.ArgumentParser(description="fake TheHive for tests")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--version", choices=["4", "5", "5.2"], default="5.2")
    p.add_argument("--key", action="append", default=[],
                   help="API key, optionally KEY=LOGIN (repeatable)")
    p.add_argument("--member", action="append", default=[],
                   help="LOGIN=ORG: one more organisation of a user")
    p.add_argument("--org", default="SOC")
    p.add_argument("--custom-field", action="append", default=[])
    p.add_argument("--max-body", type=int, default=0,
                   help="answer 413 (HTML, as nginx does) above this size")
    p.add_argument("--latency-ms", type=float, default=0)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    if not args.key:
        args.key = ["fake-key=sync@soc"]

    server = FakeServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.args = args
    server.store = Store(args)
    server.hive = Hive(server.store, args)
    print("port %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
