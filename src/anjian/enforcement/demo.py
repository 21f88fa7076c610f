"""Demo discretion benchmark: the example rows of RULES.md §9 (《建设工程安全生产管理条例》第五十五条 and
第六十五条, each statutory range split into four equal parts by level), marked 示例, in effect — so the
calculator has something to compute on. Idempotent (matched by edition)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from anjian.enforcement import services
from anjian.enforcement.models import PenaltyBenchmark

EXAMPLES = Path(__file__).resolve().parent / "data" / "benchmark_examples.json"


def load_examples(actor=None) -> PenaltyBenchmark:
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    existing = PenaltyBenchmark.objects.filter(edition=data["edition"]).first()
    if existing is not None:
        return existing
    header = {k: data[k] for k in ("title", "document_no", "edition", "notes")}
    header.update(effective_from=dt.date.fromisoformat(data["effective_from"]), is_example=True)
    benchmark = services.benchmark_save(actor=actor, data=header)
    _rows, errors = services.rows_register(actor=actor, benchmark=benchmark, rows=data["rows"])
    if errors:
        raise ValueError(f"example benchmark rows refused: {errors}")
    return services.benchmark_activate(actor=actor, benchmark=benchmark)


def load(password=None, stdout=None) -> None:
    benchmark = load_examples()
    if stdout is not None:
        stdout.write(f"  裁量基准（示例）：{benchmark.rows.count()} 行")
