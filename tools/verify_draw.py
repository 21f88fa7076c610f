#!/usr/bin/env python3
"""Re-check a published double-random draw (双随机抽取) of Anjian — stand-alone, standard library only.

    python3 tools/verify_draw.py draw.json            # 校验：exit 0 一致 / 1 不符 / 2 输入有误
    python3 tools/verify_draw.py draw.json --print    # also print the recomputed result (JSON)

``draw.json`` = {"commitment", "seed", "pool", "officers", "config", "result"} as published: the
commitment announced before the draw, the seed revealed after it, the pool, the officers and the
configuration drawn from, and the published result. This file re-implements the algorithm from its
description in README.md ("双随机抽取算法 / The random draw") without importing Anjian or Django, so
that anyone can confirm a draw without trusting the platform's code:

1. SHA-256 of the 32 seed bytes must equal the commitment;
2. the canonical pool, officers and config must hash to the digests in the result;
3. the draw recomputed from the seed must give exactly the published grades and inspections;
4. the result's own digest must match its content.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import json
import re
import struct
import sys
from fractions import Fraction

ALGORITHM = "anjian-draw/1"
DEFAULT_AVOID = ["former_employer", "relative", "same_enterprise"]
TWO64 = 1 << 64


class BadInput(ValueError):
    pass


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the PRNG: HMAC-SHA256(seed, label|counter) → 4 × uint64 big-endian; rejection sampling ---------
def integers(key: bytes, label: str):
    for counter in itertools.count():
        block = hmac.new(key, f"{label}|{counter}".encode(), hashlib.sha256).digest()
        yield from struct.unpack(">4Q", block)


def uniform(stream, m: int) -> int:
    limit = TWO64 - TWO64 % m
    while True:
        x = next(stream)
        if x < limit:
            return x % m


def partial_shuffle(items: list, k: int, key: bytes, label: str) -> list:
    """Fisher–Yates on a copy: for i in 0..k-1, j = i + uniform(n - i), swap; return a[0..k-1]."""
    a = list(items)
    stream = integers(key, label)
    for i in range(k):
        j = i + uniform(stream, len(a) - i)
        a[i], a[j] = a[j], a[i]
    return a[:k]


# --- canonical forms ------------------------------------------------------------------------------
def exact(value) -> Fraction:
    if isinstance(value, bool):
        raise BadInput(f"not a number: {value!r}")
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def text(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def canonical(pool: list, officers: list, config: dict):
    subjects = []
    for s in pool:
        sid, grade, links = (s["id"], s["grade"], s.get("links")) if isinstance(s, dict) else s
        subjects.append([sid, grade, sorted(set(links or []))])
    subjects.sort(key=lambda r: r[0])
    people = []
    for o in officers:
        relations = sorted({(r["kind"], r["to"]) for r in o.get("relations") or []})
        people.append([o["id"], o["certified"], o.get("unit"), [list(r) for r in relations]])
    people.sort(key=lambda r: r[0])
    team_size = config.get("team_size", 2)
    if not isinstance(team_size, int) or team_size < 2:
        raise BadInput("team_size must be an integer ≥ 2 (行政处罚法 第42条)")
    conf = {
        "avoid": sorted(set(config.get("avoid", DEFAULT_AVOID))),
        "multiplier": text(exact(config.get("multiplier", 1))),
        "ratios": {g: text(exact(r)) for g, r in config["ratios"].items()},
        "team_size": team_size,
    }
    return subjects, people, conf


# --- the draw -------------------------------------------------------------------------------------
def draw(seed: str, pool: list, officers: list, config: dict) -> dict:
    if not re.fullmatch(r"[0-9a-f]{64}", seed or ""):
        raise BadInput("seed must be 64 lowercase hex characters (32 bytes)")
    key = bytes.fromhex(seed)
    subjects, people, conf = canonical(pool, officers, config)
    multiplier = Fraction(conf["multiplier"])
    grades, drawn = [], []
    for grade in sorted(conf["ratios"]):
        rows = [s for s in subjects if s[1] == grade]
        r = min(Fraction(1), Fraction(conf["ratios"][grade]) * multiplier)
        n = -((-len(rows) * r.numerator) // r.denominator)  # ceil(N × r)
        grades.append({"grade": grade, "pool": len(rows), "ratio": text(r), "drawn": n})
        drawn += partial_shuffle(rows, n, key, "subjects|" + grade)
    unknown = sorted({s[1] for s in subjects} - set(conf["ratios"]))
    if unknown:
        raise BadInput(f"no ratio for grade(s) {unknown}")
    certified = [o for o in people if o[1]]
    inspections, short = [], []
    for sid, grade, links in drawn:
        eligible = []
        for oid, _certified, unit, relations in certified:
            related = relations + ([["own_unit", unit]] if unit is not None else [])
            if not any(kind in conf["avoid"] and to in links for kind, to in related):
                eligible.append(oid)
        if len(eligible) < conf["team_size"]:
            short.append(f"{sid}: {len(eligible)} eligible")
            continue
        team = partial_shuffle(eligible, conf["team_size"], key, "team|" + sid)
        inspections.append({"subject": sid, "grade": grade, "team": team})
    if short:
        raise BadInput("draw fails — too few eligible officers for " + "; ".join(short))
    result = {
        "algorithm": ALGORITHM,
        "commitment": sha256_hex(key),
        "pool_digest": sha256_hex(canonical_json(subjects)),
        "officers_digest": sha256_hex(canonical_json(people)),
        "config_digest": sha256_hex(canonical_json(conf)),
        "grades": grades,
        "inspections": inspections,
    }
    result["result_digest"] = sha256_hex(canonical_json(result))
    return result


def check(document: dict) -> tuple[dict, list[str]]:
    published = document["result"]
    mine = draw(document["seed"], document["pool"], document["officers"], document["config"])
    problems = []
    if sha256_hex(bytes.fromhex(document["seed"])) != document["commitment"]:
        problems.append("种子与事先公布的承诺值不符 / the seed does not match the commitment")
    own = sha256_hex(canonical_json({k: v for k, v in published.items() if k != "result_digest"}))
    if own != published.get("result_digest"):
        problems.append("发布结果的摘要与内容不符 / the published result was changed after its digest")
    for field in ("algorithm", "commitment", "pool_digest", "officers_digest", "config_digest", "grades"):
        if published.get(field) != mine[field]:
            problems.append(f"{field} 不符 / differs: published {published.get(field)!r}, recomputed {mine[field]!r}")
    theirs = published.get("inspections") or []
    for index, (a, b) in enumerate(zip(theirs, mine["inspections"], strict=False)):
        if a != b:
            problems.append(f"inspections[{index}] 不符 / differs: published {a}, recomputed {b}")
            break
    else:
        if len(theirs) != len(mine["inspections"]):
            problems.append(f"inspections: published {len(theirs)}, recomputed {len(mine['inspections'])}")
    return mine, problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="JSON {commitment, seed, pool, officers, config, result}")
    parser.add_argument("--print", action="store_true", help="print the recomputed result as JSON")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as fh:
            document = json.load(fh)
        mine, problems = check(document)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"输入有误 / bad input: {exc}", file=sys.stderr)
        return 2
    if args.print:
        print(json.dumps(mine, ensure_ascii=False, sort_keys=True))
    for problem in problems:
        print("不符 / MISMATCH: " + problem, file=sys.stderr)
    if not problems:
        print(
            f"一致 / OK: {len(mine['inspections'])} inspections, result digest {mine['result_digest']}", file=sys.stderr
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
