"""The verifiable double-random draw (双随机, RULES.md §8; SPEC §2.5): a deterministic function of a
seed and the canonical forms of the pool, the officers and the configuration.

Pure: no models, no database, no clock, no ``random``. The README section "双随机抽取算法 / The
random draw" states the algorithm for re-implementation, and ``tools/verify_draw.py`` re-implements
it with the standard library only; the tests hold the two to identical results. In short:

1. **Seed** — 32 random bytes written as 64 lowercase hex characters (``new_seed``). The
   **commitment** published before the draw is the lowercase hex SHA-256 of the 32 bytes.
2. **Canonical forms** — the pool as ``[[id, grade, [links…]]…]`` sorted by id, links sorted and
   unique; the officers as ``[[id, certified, unit, [[kind, to]…]]…]`` sorted by id, relations
   sorted and unique; the config as ``{"avoid", "multiplier", "ratios", "team_size"}`` with the
   kinds sorted and every ratio an exact reduced fraction ``"p/q"``. Strings sort by code point.
   Canonical JSON = keys sorted, no whitespace (separators ``,`` ``:``), UTF-8, non-ASCII unescaped,
   only ``"`` ``\\`` and U+0000–U+001F escaped (``\\b \\t \\n \\f \\r``, else ``\\u00xx``) — what
   ``json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()`` gives.
   Each digest is the lowercase hex SHA-256 of those bytes.
3. **PRNG** — the stream of label L: block i = HMAC-SHA256(key = seed bytes, message = UTF-8 of
   ``L + "|" + str(i)``) for i = 0, 1, 2…; each block gives four unsigned 64-bit big-endian integers
   in order. ``uniform(m)``: limit = 2⁶⁴ − (2⁶⁴ mod m); take integers until one x < limit; return
   x mod m (rejection sampling, no modulo bias).
4. **Subjects** — per grade in code-point order: the N subjects of the grade in canonical order,
   r = min(1, ratio × multiplier), n = ⌈N × r⌉ (exact); a partial Fisher–Yates shuffle with the
   stream ``"subjects|" + grade``: for i in 0…n−1: j = i + uniform(N − i), swap a[i] and a[j]; the
   drawn subjects are a[0…n−1] in that order.
5. **Teams** — per drawn subject: the certified officers in canonical order, without those an
   avoidance relation excludes (a relation ``[kind, to]`` of a kind in ``avoid`` whose ``to`` is one
   of the subject's links; the officer's own ``unit`` counts as a relation of kind ``own_unit``);
   fewer than ``team_size`` left → the draw fails naming the subject and the count; otherwise a
   partial Fisher–Yates of ``team_size`` with the stream ``"team|" + subject id``.
6. **Result** — the algorithm name, the commitment, the three digests, per grade
   ``{grade, pool, ratio, drawn}``, the inspections ``{subject, grade, team}`` grade by grade in draw
   order, and ``result_digest`` = SHA-256 of the canonical JSON of the result without that key.

Team size is at least 2 (行政处罚法 第42条: two officers holding enforcement certificates); the
ratios per risk grade are configuration (差异化监管), multiplied in special periods and capped at 100 %.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import operator
import re
import secrets
import struct
from fractions import Fraction

from django.utils.translation import gettext

try:  # orjson gives the same bytes as the json call below for these values (the tests hold them equal)
    import orjson

    def canonical_json(value) -> bytes:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)

except ImportError:  # pragma: no cover - orjson is a dependency; the stdlib form is the definition

    def canonical_json(value) -> bytes:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


ALGORITHM = "anjian-draw/1"
DEFAULT_AVOID = ("former_employer", "relative", "same_enterprise")
OWN_UNIT = "own_unit"
MIN_TEAM = 2  # 行政处罚法 第42条
SEED_RE = re.compile(r"[0-9a-f]{64}")
TWO64 = 1 << 64
_FIRST, _SECOND, _THIRD = operator.itemgetter(0), operator.itemgetter(1), operator.itemgetter(2)
_QUAD = struct.Struct(">4Q")


class DrawInputError(ValueError):
    """The pool, the officers, the config or the seed is malformed; the message names the field."""


class DrawFailed(ValueError):
    """The draw cannot be made as configured (too few eligible officers); ``subjects`` lists
    ``(subject id, eligible officers)`` for every subject concerned."""

    def __init__(self, message: str, subjects: list[tuple[str, int]]):
        super().__init__(message)
        self.subjects = subjects


# ---------------------------------------------------------------------------
# Seed, commitment and the PRNG
# ---------------------------------------------------------------------------
def new_seed() -> str:
    """32 bytes from the operating system's CSPRNG, as 64 lowercase hex characters."""
    return secrets.token_hex(32)


def seed_bytes(seed) -> bytes:
    if not isinstance(seed, str) or not SEED_RE.fullmatch(seed):
        raise DrawInputError(gettext("字段 seed：应为 64 位小写十六进制（32 字节随机数）"))
    return bytes.fromhex(seed)


def commitment_of(seed: str) -> str:
    """The commitment published before the draw: SHA-256 of the 32 seed bytes, lowercase hex."""
    return hashlib.sha256(seed_bytes(seed)).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SeedKey:
    """HMAC-SHA256 (RFC 2104) under the seed, with the two padded key states computed once: the
    draw computes tens of thousands of MACs under one key, and this is twice as fast as
    ``hmac.digest`` (the tests hold the two equal)."""

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes):
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def mac(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


def integers(key: bytes | SeedKey, label: str):
    """The stream of ``label``: unsigned 64-bit big-endian integers, four from each block
    HMAC-SHA256(key, UTF-8 of label + "|" + counter), counter = 0, 1, 2…"""
    mac = (key if isinstance(key, SeedKey) else SeedKey(key)).mac
    prefix = label + "|"
    for counter in itertools.count():
        yield from _QUAD.unpack(mac((prefix + str(counter)).encode("utf-8")))


def uniform(stream, m: int) -> int:
    """An integer in [0, m) from ``stream``, uniformly: rejection sampling below 2⁶⁴ − (2⁶⁴ mod m)."""
    limit = TWO64 - TWO64 % m
    x = next(stream)
    while x >= limit:
        x = next(stream)
    return x % m


def choose(items, k: int, key: bytes | SeedKey, label: str) -> list:
    """The first ``k`` of a Fisher–Yates shuffle of ``items`` with the stream of ``label``."""
    return shuffle_first(items, k, integers(key, label))


def shuffle_first(items, k: int, stream) -> list:
    """For i < k: j = i + uniform(n − i), swap a[i] and a[j]; return a[0…k−1]. ``items`` is not
    changed: a small ``k`` keeps its swaps in a dict, a large one shuffles a copy (same result)."""
    n = len(items)
    sparse = k * 8 < n
    moved: dict[int, int] = {}
    a = None if sparse else list(items)
    out = []
    for i in range(k):
        m = n - i
        limit = TWO64 - TWO64 % m  # uniform(m), inline: rejection sampling
        x = next(stream)
        while x >= limit:
            x = next(stream)
        j = i + x % m
        if sparse:
            at_j = moved.get(j, j)
            moved[j] = moved.get(i, i)
            out.append(items[at_j])
        else:
            a[i], a[j] = a[j], a[i]
    return out if sparse else a[:k]


@contextlib.contextmanager
def paused_gc():
    """The draw builds a few hundred thousand small containers and frees none until it ends; the
    cyclic collector would walk all of them again and again (most of the time at 500 000 subjects).
    A caller that builds a large pool (reading the registry) does it inside this block too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ---------------------------------------------------------------------------
# Canonical forms
# ---------------------------------------------------------------------------
def _ratio(value, field: str) -> Fraction:
    """A ratio at the exact decimal it is written as: 0.05 → 1/20; "1/3" is accepted too."""
    try:
        if isinstance(value, bool):
            raise TypeError
        if isinstance(value, float):
            value = repr(value)
        if isinstance(value, str | int):
            return Fraction(value)
        raise TypeError
    except (TypeError, ValueError, ZeroDivisionError):
        raise DrawInputError(gettext('字段 %(f)s：应为数值（如 0.05）或分数（如 "1/20"）') % {"f": field}) from None


def fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def canonical_config(config) -> dict:
    if not isinstance(config, dict):
        raise DrawInputError(gettext("字段 config：应为对象"))
    unknown = sorted(set(config) - {"ratios", "team_size", "multiplier", "avoid"})
    if unknown:
        raise DrawInputError(gettext("字段 config：不认识的键 %(k)s") % {"k": "、".join(unknown)})
    ratios = config.get("ratios")
    if not isinstance(ratios, dict) or not ratios:
        raise DrawInputError(gettext('字段 config/ratios：应为各风险等级的抽查比例，如 {"A": 0.05}'))
    canonical_ratios = {}
    for grade, value in ratios.items():
        ratio = _ratio(value, f"config/ratios/{grade}")
        if not 0 <= ratio <= 1:
            raise DrawInputError(gettext("字段 %(f)s：比例应在 0 与 1 之间") % {"f": f"config/ratios/{grade}"})
        canonical_ratios[grade] = fraction_text(ratio)
    team_size = config.get("team_size", MIN_TEAM)
    if isinstance(team_size, bool) or not isinstance(team_size, int) or team_size < MIN_TEAM:
        raise DrawInputError(
            gettext("字段 config/team_size：每组至少 %(n)s 名持证执法人员（行政处罚法第四十二条）") % {"n": MIN_TEAM}
        )
    multiplier = _ratio(config.get("multiplier", 1), "config/multiplier")
    if multiplier <= 0:
        raise DrawInputError(gettext("字段 config/multiplier：倍数应大于 0"))
    avoid = config.get("avoid", list(DEFAULT_AVOID))
    if not isinstance(avoid, list) or not all(isinstance(k, str) and k for k in avoid):
        raise DrawInputError(gettext('字段 config/avoid：应为回避关系种类的列表，如 ["relative"]'))
    return {
        "avoid": sorted(set(avoid)),
        "multiplier": fraction_text(multiplier),
        "ratios": canonical_ratios,
        "team_size": team_size,
    }


def canonical_pool(pool) -> list[tuple]:
    """``[[id, grade, sorted unique links]…]`` sorted by id; field errors name ``pool/INDEX/…``.

    A subject is ``{"id", "grade", "links"}`` (links optional) or the array ``[id, grade, links]``."""
    if not isinstance(pool, list):
        raise DrawInputError(gettext("字段 pool：应为主体列表"))
    try:
        rows = _fast_pool(pool)
    except (KeyError, TypeError, ValueError, IndexError):
        rows = None
    if rows is None:
        _check_pool(pool)  # raises naming the field; the fast path only says "something is wrong"
        raise DrawInputError(gettext("字段 pool：主体格式不正确"))  # pragma: no cover - _check_pool finds it
    rows.sort(key=_FIRST)
    ids = list(map(_FIRST, rows))
    if any(map(operator.eq, ids, itertools.islice(ids, 1, None))):
        for a, b in zip(rows, rows[1:], strict=False):
            if a[0] == b[0]:
                raise DrawInputError(gettext("字段 pool：主体 %(id)s 出现不止一次") % {"id": a[0]})
    return rows


def _fast_pool(pool: list) -> list[tuple] | None:
    """The canonical rows in bulk (a pool of 500 000 in a fraction of a second), or None when any
    subject is malformed (``str.join`` is the type check: it accepts strings only)."""
    if not pool:
        return []
    kinds = set(map(type, pool))
    if kinds == {dict}:
        triples = [(s["id"], s["grade"], s.get("links") or []) for s in pool]
    elif kinds <= {list, tuple}:
        if set(map(len, pool)) != {3}:
            return None
        triples = pool
    else:
        return None
    ids, grades, links = list(map(_FIRST, triples)), list(map(_SECOND, triples)), list(map(_THIRD, triples))
    link_types = set(map(type, links))
    if type(None) in link_types:
        triples = [(i, g, x or []) for i, g, x in triples]
        links = list(map(_THIRD, triples))
        link_types = set(map(type, links))
    if link_types != {list} or not all(ids) or not all(grades):
        return None
    "".join(ids), "".join(grades), "".join(itertools.chain.from_iterable(links))  # TypeError unless all str
    return [
        (
            i,
            g,
            x
            if len(x) < 2
            else (x if x[0] < x[1] else [x[1], x[0]] if x[1] < x[0] else [x[0]])
            if len(x) == 2
            else sorted(set(x)),
        )
        for i, g, x in triples
    ]


def _check_pool(pool: list) -> None:
    for index, subject in enumerate(pool):
        if type(subject) is dict:
            sid, grade, links = subject.get("id"), subject.get("grade"), subject.get("links") or []
        elif type(subject) in (list, tuple) and len(subject) == 3:
            sid, grade, links = subject[0], subject[1], subject[2] or []
        else:
            raise DrawInputError(gettext("字段 %(f)s：应为对象 {id, grade, links}") % {"f": f"pool/{index}"})
        if type(sid) is not str or not sid:
            raise DrawInputError(gettext("字段 %(f)s：应为非空字符串") % {"f": f"pool/{index}/id"})
        if type(grade) is not str or not grade:
            raise DrawInputError(gettext("字段 %(f)s：应为风险等级（字符串）") % {"f": f"pool/{index}/grade"})
        if type(links) is not list or not all(type(x) is str for x in links):
            raise DrawInputError(gettext("字段 %(f)s：应为字符串列表") % {"f": f"pool/{index}/links"})


def canonical_officers(officers) -> list[list]:
    """``[[id, certified, unit or null, sorted unique [kind, to] relations]…]`` sorted by id."""
    if not isinstance(officers, list):
        raise DrawInputError(gettext("字段 officers：应为执法人员列表"))
    rows = []
    for index, officer in enumerate(officers):
        where = f"officers/{index}"
        if type(officer) is not dict:
            raise DrawInputError(gettext("字段 %(f)s：应为对象 {id, certified, unit, relations}") % {"f": where})
        oid, certified, unit = officer.get("id"), officer.get("certified"), officer.get("unit")
        if type(oid) is not str or not oid:
            raise DrawInputError(gettext("字段 %(f)s：应为非空字符串") % {"f": f"{where}/id"})
        if type(certified) is not bool:
            raise DrawInputError(
                gettext("字段 %(f)s：应为 true 或 false（是否持有执法证）") % {"f": f"{where}/certified"}
            )
        if unit is not None and (type(unit) is not str or not unit):
            raise DrawInputError(gettext("字段 %(f)s：应为单位标识（字符串）或 null") % {"f": f"{where}/unit"})
        relations = set()
        for r_index, relation in enumerate(officer.get("relations") or []):
            if (
                type(relation) is not dict
                or set(relation) != {"kind", "to"}
                or not all(type(relation[k]) is str and relation[k] for k in ("kind", "to"))
            ):
                raise DrawInputError(
                    gettext('字段 %(f)s：应为 {"kind": 关系种类, "to": 关联对象}')
                    % {"f": f"{where}/relations/{r_index}"}
                )
            relations.add((relation["kind"], relation["to"]))
        rows.append([oid, certified, unit, [list(r) for r in sorted(relations)]])
    rows.sort(key=lambda r: r[0])
    for a, b in zip(rows, rows[1:], strict=False):
        if a[0] == b[0]:
            raise DrawInputError(gettext("字段 officers：执法人员 %(id)s 出现不止一次") % {"id": a[0]})
    return rows


def digests(pool_rows: list, officer_rows: list, config: dict) -> dict:
    return {
        "pool_digest": sha256_hex(canonical_json(pool_rows)),
        "officers_digest": sha256_hex(canonical_json(officer_rows)),
        "config_digest": sha256_hex(canonical_json(config)),
    }


def result_digest(result: dict) -> str:
    return sha256_hex(canonical_json({k: v for k, v in result.items() if k != "result_digest"}))


# ---------------------------------------------------------------------------
# The draw
# ---------------------------------------------------------------------------
def _draw_canonical(key: bytes, pool_rows: list, officer_rows: list, config: dict) -> tuple[list, list]:
    key = SeedKey(key)
    mac = key.mac
    ratios = {g: Fraction(r) for g, r in config["ratios"].items()}
    multiplier = Fraction(config["multiplier"])
    by_grade: dict[str, list] = {g: [] for g in ratios}
    try:
        for row in pool_rows:  # in canonical (id) order, so each grade's list is too
            by_grade[row[1]].append(row)
    except KeyError as exc:
        grade = exc.args[0]
        raise DrawInputError(
            gettext("字段 config/ratios：缺少风险等级 %(g)s 的抽查比例（主体库中有 %(n)s 个该等级主体）")
            % {"g": grade, "n": sum(1 for r in pool_rows if r[1] == grade)}
        ) from None
    grades, drawn = [], []
    for grade in sorted(by_grade):
        rows = by_grade[grade]
        ratio = min(Fraction(1), ratios[grade] * multiplier)
        n = -((-len(rows) * ratio.numerator) // ratio.denominator)  # ⌈N × r⌉, exactly
        grades.append({"grade": grade, "pool": len(rows), "ratio": fraction_text(ratio), "drawn": n})
        drawn.extend(choose(rows, n, key, "subjects|" + grade))

    avoid = set(config["avoid"])
    team_size = config["team_size"]
    certified = [o for o in officer_rows if o[1]]
    ids = [o[0] for o in certified]
    excluded_by: dict[str, set[int]] = {}  # a link → positions of the certified officers it excludes
    for position, officer in enumerate(certified):
        relations = list(officer[3]) + ([[OWN_UNIT, officer[2]]] if officer[2] is not None else [])
        for kind, to in relations:
            if kind in avoid:
                excluded_by.setdefault(to, set()).add(position)
    inspections, short = [], []
    for sid, grade, links in drawn:
        excluded = set()
        for link in links:
            hit = excluded_by.get(link)
            if hit:
                excluded |= hit
        eligible = [i for p, i in enumerate(ids) if p not in excluded] if excluded else ids
        if len(eligible) < team_size:
            short.append((sid, len(eligible)))
            continue
        try:  # the first block of the stream nearly always suffices (no rejection, k ≤ 4)
            team = shuffle_first(eligible, team_size, iter(_QUAD.unpack(mac(b"team|" + sid.encode("utf-8") + b"|0"))))
        except StopIteration:  # it did not: the whole stream, from its first block again
            team = shuffle_first(eligible, team_size, integers(key, "team|" + sid))
        inspections.append({"subject": sid, "grade": grade, "team": team})
    if short:
        first, count = short[0]
        message = gettext("抽取失败：主体 %(id)s 回避后可选的持证执法人员只有 %(n)s 名，少于每组 %(k)s 名") % {
            "id": first,
            "n": count,
            "k": team_size,
        }
        if len(short) > 1:
            message += gettext("（另有 %(m)s 个主体同样不足）") % {"m": len(short) - 1}
        raise DrawFailed(message, short)
    return grades, inspections


def draw(seed: str, pool: list, officers: list, config: dict) -> dict:
    """The draw (module docstring): the result to publish, with its ``result_digest``.

    Raises ``DrawInputError`` for malformed input (naming the field) and ``DrawFailed`` when a drawn
    subject has fewer eligible officers than a team needs."""
    key = seed_bytes(seed)
    canonical = canonical_config(config)
    with paused_gc():
        pool_rows, officer_rows = canonical_pool(pool), canonical_officers(officers)
        grades, inspections = _draw_canonical(key, pool_rows, officer_rows, canonical)
    result = {
        "algorithm": ALGORITHM,
        "commitment": hashlib.sha256(key).hexdigest(),
        **digests(pool_rows, officer_rows, canonical),
        "grades": grades,
        "inspections": inspections,
    }
    result["result_digest"] = result_digest(result)
    return result


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------
def verify(commitment: str, seed: str, pool: list, officers: list, config: dict, published_result: dict):
    """Recompute the draw from what was published and compare: ``(ok, reasons)``.

    Detects a seed that does not match the commitment published before the draw, a result whose
    digest does not match its content, a pool, officer list or config other than the one drawn from
    (with the grade counts and the drawn subjects that differ), and a result other than the one the
    seed gives (naming the first inspection that differs)."""
    with paused_gc():
        return _verify(commitment, seed, pool, officers, config, published_result)


def _verify(commitment, seed, pool, officers, config, published_result):
    reasons: list[str] = []
    if not isinstance(published_result, dict):
        return False, [gettext("发布结果应为对象")]
    try:
        key = seed_bytes(seed)
    except DrawInputError as exc:
        return False, [str(exc)]
    seed_ok = hashlib.sha256(key).hexdigest() == commitment
    if not seed_ok:
        reasons.append(gettext("公开的种子与抽取前公布的承诺值（SHA-256）不符"))
    if published_result.get("commitment") != commitment:
        reasons.append(gettext("发布结果中的承诺值与抽取前公布的承诺值不符"))
    if published_result.get("algorithm") != ALGORITHM:
        reasons.append(
            gettext("发布结果的算法为 %(a)s，本程序实现 %(b)s")
            % {"a": published_result.get("algorithm"), "b": ALGORITHM}
        )
    if published_result.get("result_digest") != result_digest(published_result):
        reasons.append(gettext("发布结果的摘要与其内容不符：结果在发布后被改动"))
    try:
        canonical = canonical_config(config)
        pool_rows, officer_rows = canonical_pool(pool), canonical_officers(officers)
    except DrawInputError as exc:
        return False, [*reasons, str(exc)]
    now = digests(pool_rows, officer_rows, canonical)
    if now["pool_digest"] != published_result.get("pool_digest"):
        reasons.append(gettext("所给主体库与抽取时的主体库不符（摘要不同：主体被增加、删除或改动）"))
        reasons.extend(_pool_differences(pool_rows, published_result))
    if now["officers_digest"] != published_result.get("officers_digest"):
        reasons.append(gettext("所给执法人员库与抽取时不符（摘要不同）"))
    if now["config_digest"] != published_result.get("config_digest"):
        reasons.append(gettext("所给抽取配置与抽取时不符（摘要不同）"))
    if seed_ok:
        try:
            grades, inspections = _draw_canonical(key, pool_rows, officer_rows, canonical)
        except (DrawInputError, DrawFailed) as exc:
            reasons.append(gettext("按所给数据重算抽取失败：%(e)s") % {"e": exc})
        else:
            if grades != published_result.get("grades"):
                reasons.append(gettext("重算的各等级抽取数量与发布结果不符"))
            reasons.extend(_result_differences(inspections, published_result.get("inspections")))
    return not reasons, reasons


def _pool_differences(pool_rows: list, published: dict) -> list[str]:
    out = []
    counts: dict[str, int] = {}
    grade_of = {}
    for sid, grade, _links in pool_rows:
        counts[grade] = counts.get(grade, 0) + 1
        grade_of[sid] = grade
    for row in published.get("grades") or []:
        if isinstance(row, dict) and counts.get(row.get("grade"), 0) != row.get("pool"):
            out.append(
                gettext("等级 %(g)s 的主体数：发布结果 %(a)s 个，所给主体库 %(b)s 个")
                % {"g": row.get("grade"), "a": row.get("pool"), "b": counts.get(row.get("grade"), 0)}
            )
    for item in published.get("inspections") or []:
        if not isinstance(item, dict):
            continue
        sid = item.get("subject")
        if sid not in grade_of:
            out.append(gettext("被抽中的主体 %(id)s 不在所给主体库中") % {"id": sid})
        elif grade_of[sid] != item.get("grade"):
            out.append(
                gettext("主体 %(id)s 的风险等级：发布结果 %(a)s，所给主体库 %(b)s")
                % {"id": sid, "a": item.get("grade"), "b": grade_of[sid]}
            )
    return out


def _result_differences(inspections: list, published) -> list[str]:
    if not isinstance(published, list):
        return [gettext("发布结果缺少抽取名单")]
    if inspections == published:
        return []
    for index, (mine, theirs) in enumerate(zip(inspections, published, strict=False)):
        if mine != theirs:
            return [
                gettext("抽取名单第 %(n)s 项不符：发布为 %(a)s，重算为 %(b)s")
                % {"n": index + 1, "a": _show(theirs), "b": _show(mine)}
            ]
    return [gettext("抽取名单条数不符：发布 %(a)s 条，重算 %(b)s 条") % {"a": len(published), "b": len(inspections)}]


def _show(item) -> str:
    if isinstance(item, dict):
        return f"{item.get('subject')}（{item.get('grade')}；{'、'.join(map(str, item.get('team') or []))}）"
    return json.dumps(item, ensure_ascii=False)
