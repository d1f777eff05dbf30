#!/usr/bin/env python3
"""Checks the fake TheHive's state for the sync tests.

    check.py request DATAFILE STATE.json   the request in DATAFILE was sent
    check.py unique STATE.json             one object per ircase marker
    check.py ints STATE.json               every date in every body is an int

A request file gives the method, the path, the headers and the JSON body
that the client must send; "<string>", "<int>", "<epoch-ms>", "<title>",
"<uuid>" and "<...-id>" stand for values that change from run to run.
"""
import json
import os
import re
import sys

DATE_KEYS = ("startDate", "endDate", "dueDate", "date", "includeInTimeline")


def like(want, got):
    if isinstance(want, str) and want.startswith("<") and want.endswith(">"):
        if want == "<int>":
            return isinstance(got, int) and not isinstance(got, bool)
        if want == "<epoch-ms>":
            return isinstance(got, int) and got > 10**12
        return isinstance(got, str)
    if isinstance(want, str) and "<uuid>" in want:
        pat = re.escape(want).replace(re.escape("<uuid>"), "[0-9a-f-]{36}")
        return isinstance(got, str) and re.fullmatch(pat, got) is not None
    if isinstance(want, dict):
        return isinstance(got, dict) and set(want) == set(got) and all(
            like(want[k], got[k]) for k in want)
    if isinstance(want, list):
        return isinstance(got, list) and len(want) == len(got) and all(
            like(w, g) for w, g in zip(want, got))
    return want == got and type(want) == type(got)


def path_like(want, got):
    pat = re.sub(r"<[a-z-]+>", "[^/]+", re.escape(want).replace("\\<", "<")
                 .replace("\\>", ">").replace("\\-", "-"))
    return re.fullmatch(pat, got) is not None


def main():
    mode = sys.argv[1]
    if mode == "request":
        spec = json.load(open(sys.argv[2]))["request"]
        state = json.load(open(sys.argv[3]))
        for r in state["requests"]:
            if r["method"] != spec["method"] or not path_like(spec["path"],
                                                              r["path"]):
                continue
            body = json.loads(r["body"]) if r["body"] else None
            if r["headers"].get("Content-Type") is None:
                continue
            key = os.environ.get("KEY", "")
            if all(r["headers"].get(k) == v.replace("<key>", key) for k, v in
                   spec["headers"].items()) and like(spec["body"], body):
                print("match")
                return 0
        cands = [r for r in state["requests"] if r["method"] ==
                 spec["method"] and path_like(spec["path"], r["path"])]
        print("no match; candidates: %s" % json.dumps(cands[:2])[:600])
        return 1
    state = json.load(open(sys.argv[2]))
    if mode == "unique":
        seen = {}
        for kind, field in (("cases", "tags"), ("tasks", "description"),
                            ("logs", "message")):
            for o in state[kind]:
                v = o.get(field)
                text = " ".join(v) if isinstance(v, list) else (v or "")
                for m in re.findall(r"ircase:[0-9a-f-]{36}(?::[a-z0-9:-]+)?",
                                    text):
                    key = (kind, m)
                    seen[key] = seen.get(key, 0) + 1
        dups = [k for k, n in seen.items() if n > 1]
        obs = {}
        for o in state["observables"]:
            k = (o["_case"], o["dataType"], o["data"])
            obs[k] = obs.get(k, 0) + 1
        dups += [k for k, n in obs.items() if n > 1]
        print("duplicates: %s" % dups if dups else "unique")
        return 1 if dups else 0
    if mode == "ints":
        bad = []
        for r in state["requests"]:
            if not r["body"]:
                continue
            body = json.loads(r["body"])
            for k in DATE_KEYS + ("severity", "tlp", "pap", "order"):
                if isinstance(body, dict) and k in body and not (
                        isinstance(body[k], int) and
                        not isinstance(body[k], bool)):
                    bad.append((r["path"], k, body[k]))
        print("not integers: %s" % bad if bad else "integers")
        return 1 if bad else 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
