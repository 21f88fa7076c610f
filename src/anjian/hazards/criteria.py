"""Determination criteria versions in the database (RULES.md §0): the packaged files loaded after
every ``migrate``, newer versions loaded by an administrator, and the reader through which the
pure engines of ``rules.py`` see them (``rules.register_criteria_source``).

A criteria file is the same JSON as ``data/criteria/*.json``. ``validate_criteria`` checks its
shape before it is stored — every clause id, text and flag the engines and the checklist read —
so a bad file is refused with the place of each problem, never stored half-usable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from anjian.common.services import save_validated, service
from anjian.common.text import join_list
from anjian.hazards import rules
from anjian.hazards.choices import Standard

CLAUSE_RE = re.compile(r"^\d{1,2}(\.\d{1,2})?$")
FIRE_DIRECT_RE = re.compile(r"^6\.\d{1,2}$")
PLACE_TYPES = ("crowded", "hazardous_goods", "important", "other")
MAX_FILE_BYTES = 2 * 1024 * 1024


# ---------------------------------------------------------------------------
# Shape of a criteria file
# ---------------------------------------------------------------------------
def _check_items(items, where: str, id_re: re.Pattern, problems: list[str]) -> None:
    if not isinstance(items, list) or not items:
        problems.append(_("%(w)s：应为非空列表") % {"w": where})
        return
    seen = set()
    for n, item in enumerate(items, start=1):
        at = _("%(w)s 第 %(n)d 项") % {"w": where, "n": n}
        if not isinstance(item, dict):
            problems.append(_("%(at)s：应为对象") % {"at": at})
            continue
        cid = item.get("id")
        if not isinstance(cid, str) or not id_re.match(cid):
            problems.append(_("%(at)s：条款号 id“%(v)s”格式不对") % {"at": at, "v": cid})
        elif cid in seen:
            problems.append(_("%(at)s：条款号 %(v)s 重复") % {"at": at, "v": cid})
        else:
            seen.add(cid)
        if not isinstance(item.get("text"), str) or not item["text"].strip():
            problems.append(_("%(at)s：缺少条文 text") % {"at": at})
        if not isinstance(item.get("verified"), bool):
            problems.append(_("%(at)s：verified 应为 true 或 false（是否已与正式文本核对）") % {"at": at})


def validate_criteria(data) -> list[str]:
    """Every problem of a criteria document (in the active language), naming where it is; [] when usable."""
    if not isinstance(data, dict):
        return [_("文件内容应为 JSON 对象")]
    problems: list[str] = []
    standard = data.get("standard")
    if standard not in Standard.values:
        problems.append(_("standard 应为 %(v)s 之一") % {"v": join_list(Standard.values)})
    for key in ("version", "name", "document"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(_("缺少字段 %(k)s") % {"k": key})
    if isinstance(data.get("version"), str) and not re.match(r"^[0-9A-Za-z.\-]{1,20}$", data["version"]):
        problems.append(_("version 只能由字母、数字、点和连字符组成（如 2024）"))
    if data.get("effective_date"):
        try:
            dt.date.fromisoformat(str(data["effective_date"]))
        except ValueError:
            problems.append(_("effective_date 应为 YYYY-MM-DD"))
    if standard == Standard.CONSTRUCTION:
        _check_items(data.get("criteria"), "criteria", CLAUSE_RE, problems)
        for n, item in enumerate(data.get("criteria") or [], start=1):
            if isinstance(item, dict) and not isinstance(item.get("article"), int):
                problems.append(_("criteria 第 %(n)d 项：article 应为整数（第几条）") % {"n": n})
    elif standard == Standard.FIRE:
        place_types = data.get("place_types")
        if not isinstance(place_types, dict) or set(place_types) != set(PLACE_TYPES):
            problems.append(_("place_types 应正好包含 %(v)s") % {"v": join_list(PLACE_TYPES)})
        _check_items(data.get("direct"), "direct", FIRE_DIRECT_RE, problems)
        _check_items(data.get("exclusions"), "exclusions", re.compile(r"^E\d{1,2}$"), problems)
        if data.get("elements") is not None:
            _check_items(data.get("elements"), "elements", rules.ELEMENT_RE, problems)
        counting = data.get("counting")
        if not isinstance(counting, list) or not counting:
            problems.append(_("counting：应为非空列表"))
        else:
            for n, rule in enumerate(counting, start=1):
                at = _("counting 第 %(n)d 项") % {"n": n}
                if not isinstance(rule, dict):
                    problems.append(_("%(at)s：应为对象") % {"at": at})
                    continue
                if not isinstance(rule.get("id"), str) or not rule["id"].strip():
                    problems.append(_("%(at)s：缺少 id") % {"at": at})
                kinds = rule.get("place_types")
                if not isinstance(kinds, list) or not kinds or not set(kinds) <= set(PLACE_TYPES):
                    problems.append(_("%(at)s：place_types 应为场所类型列表") % {"at": at})
                source = rule.get("from")
                if source != "any" and (
                    not isinstance(source, list)
                    or not all(isinstance(e, str) and rules.ELEMENT_RE.match(e) for e in source)
                ):
                    problems.append(_('%(at)s：from 应为 "any" 或第7章条款号列表') % {"at": at})
                if not isinstance(rule.get("min"), int) or rule["min"] < 1:
                    problems.append(_("%(at)s：min 应为正整数") % {"at": at})
                if not isinstance(rule.get("verified"), bool):
                    problems.append(_("%(at)s：verified 应为 true 或 false") % {"at": at})
    return problems


def digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# ---------------------------------------------------------------------------
# The database as a source of criteria for rules.get_criteria (cached briefly, like the calendar)
# ---------------------------------------------------------------------------
_CACHE_SECONDS = 60
_lock = threading.Lock()
_cache: dict | None = None
_loaded_at = 0.0


def clear_cache(**_kwargs) -> None:
    global _cache
    with _lock:
        _cache = None


def database_criteria() -> dict[tuple[str, str], dict]:
    """Active versions stored in ``CriteriaVersion``; {} before the table exists (first migrate)."""
    global _cache, _loaded_at
    with _lock:
        if _cache is not None and time.monotonic() - _loaded_at < _CACHE_SECONDS:
            return _cache
        from anjian.hazards.models import CriteriaVersion

        try:
            rows = list(CriteriaVersion.objects.filter(is_active=True).values_list("standard", "edition", "data"))
        except DatabaseError:
            return {}
        _cache = {(standard, version): data for standard, version, data in rows}
        _loaded_at = time.monotonic()
        return _cache


def version_row(standard: str, version: str | None = None):
    """The ``CriteriaVersion`` a determination is judged under (default: the newest active one)."""
    from anjian.hazards.models import CriteriaVersion

    rows = list(CriteriaVersion.objects.filter(standard=standard, is_active=True))
    if version:
        rows = [r for r in rows if r.edition == version]
    if not rows:
        if version:
            message = _("没有可用的“%(s)s” %(v)s 版判定标准，请系统管理员载入")
        else:
            message = _("没有可用的“%(s)s”判定标准，请系统管理员载入")
        raise rules.CriteriaError(message % {"s": Standard(standard).label, "v": version})
    return max(rows, key=lambda r: rules.version_key(r.edition))


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------
def _row_values(data: dict, *, packaged: bool) -> dict:
    effective = data.get("effective_date")
    return {
        "name": data["name"],
        "document": data["document"],
        "effective_date": dt.date.fromisoformat(effective) if effective else None,
        "data": data,
        "sha256": digest(data),
        "packaged": packaged,
        "verification": str(data.get("verification", ""))[:4000],
    }


def sync_packaged() -> tuple[int, int]:
    """Store the packaged criteria files (as the system): new versions are created, and a
    packaged version whose file changed in a release is updated. Returns (created, updated)."""
    from anjian.common import audit
    from anjian.hazards.models import CriteriaVersion

    created = updated = 0
    with audit.audit_context(actor_name="系统（判定标准随版本发布）"):
        for (standard, version), data in rules.packaged_criteria().items():
            row = CriteriaVersion.objects.filter(standard=standard, edition=version).first()
            values = _row_values(data, packaged=True)
            if row is None:
                save_validated(CriteriaVersion(standard=standard, edition=version, **values), bump_version=False)
                created += 1
            elif row.packaged and row.sha256 != values["sha256"]:
                for key, value in values.items():
                    setattr(row, key, value)
                save_validated(row)
                updated += 1
    if created or updated:
        clear_cache()
    return created, updated


def parse_criteria_file(content: bytes) -> dict:
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError({"file": ValidationError(_("文件超过 2 MB，不像是判定标准数据"), code="too_large")})
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError({"file": ValidationError(_("文件应为 UTF-8 编码的 JSON"), code="encoding")}) from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("不是有效的 JSON（第 %(l)d 行第 %(c)d 列）：%(m)s")
                    % {"l": exc.lineno, "c": exc.colno, "m": exc.msg},
                    code="json",
                )
            }
        ) from None
    problems = validate_criteria(data)
    if problems:
        raise ValidationError({"file": [ValidationError(p, code="criteria_shape") for p in problems]})
    return data


@service
def criteria_load(*, actor, content: bytes):
    """Store a new criteria version from a JSON file (system admin). An existing version is never
    overwritten: determinations made under it must stay reproducible."""
    from anjian.common.scope import has_role
    from anjian.hazards.models import CriteriaVersion
    from anjian.orgs.choices import Role

    if actor is not None and not has_role(actor, Role.SYSADMIN):
        raise PermissionDenied(_("只有系统管理员可以载入判定标准"))
    data = parse_criteria_file(content)
    if CriteriaVersion.objects.filter(standard=data["standard"], edition=data["version"]).exists():
        raise ValidationError(
            {
                "file": ValidationError(
                    _("“%(s)s”%(v)s版已经存在；修订请使用新的版本号") % {"s": data["name"], "v": data["version"]},
                    code="version_exists",
                )
            }
        )
    row = CriteriaVersion(standard=data["standard"], edition=data["version"], **_row_values(data, packaged=False))
    save_validated(row, bump_version=False)
    clear_cache()
    return row


@service
def criteria_set_active(*, actor, row, active: bool, version: int | None = None):
    """Withdraw a version from new determinations (or restore it); past determinations keep it."""
    from anjian.common.scope import has_role
    from anjian.common.services import lock_for_update
    from anjian.orgs.choices import Role

    if actor is not None and not has_role(actor, Role.SYSADMIN):
        raise PermissionDenied(_("只有系统管理员可以停用或启用判定标准"))
    row = lock_for_update(row, version)
    row.is_active = active
    save_validated(row)
    clear_cache()
    return row
