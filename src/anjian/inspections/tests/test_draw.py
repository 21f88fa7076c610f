"""The verifiable double-random draw (RULES.md §8): the PRNG and the shuffle against independent
computations, reproducibility and canonical order, n = ⌈N × r⌉, teams of ≥ 2 certified officers,
avoidance, a failing draw naming the subject, verification detecting a wrong seed, a tampered pool
and a changed result — and the stand-alone ``tools/verify_draw.py`` agreeing with the real draw."""

import hashlib
import hmac
import io
import json
import random
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase

from anjian.common.rules import RuleInputError, run_rule
from anjian.inspections import draw as D

TOOL = Path(__file__).resolve().parents[4] / "tools" / "verify_draw.py"
SEED = "00" * 31 + "2a"
OTHER_SEED = "ff" * 32


def make_pool(n, *, grades="AAAAABBBCD", enterprises=200, seed=7):
    rng = random.Random(seed)  # fixture data only; the draw itself never uses ``random``
    return [
        {
            "id": f"S{i:06d}",
            "grade": rng.choice(grades),
            "links": [f"ent:{rng.randrange(enterprises)}", f"town:{i % 7}"],
        }
        for i in range(n)
    ]


def make_officers(n, *, enterprises=200, seed=8):
    rng = random.Random(seed)
    return [
        {
            "id": f"O{i:03d}",
            "certified": i % 5 != 0,
            "unit": f"unit:{i % 4}",
            "relations": [
                {"kind": rng.choice(["former_employer", "relative"]), "to": f"ent:{rng.randrange(enterprises)}"}
            ],
        }
        for i in range(n)
    ]


CONFIG = {"ratios": {"A": 0.05, "B": 0.1, "C": 0.3, "D": 1}, "team_size": 2}


def fisher_yates_first(items, k, key, label):
    """An independent re-statement of the README: copy, swap, with its own HMAC stream."""
    a = list(items)
    counter, buffer = 0, []

    def next64():
        nonlocal counter
        if not buffer:
            block = hmac.new(key, f"{label}|{counter}".encode(), hashlib.sha256).digest()
            buffer.extend(struct.unpack(">4Q", block))
            counter += 1
        return buffer.pop(0)

    for i in range(k):
        m = len(a) - i
        limit = 2**64 - 2**64 % m
        x = next64()
        while x >= limit:
            x = next64()
        j = i + x % m
        a[i], a[j] = a[j], a[i]
    return a[:k]


class PrngTests(SimpleTestCase):
    def test_the_stream_is_hmac_sha256_of_label_and_counter_as_big_endian_uint64(self):
        key = bytes.fromhex(SEED)
        stream = D.integers(key, "subjects|A")
        first = [next(stream) for _ in range(5)]
        block0 = hmac.new(key, b"subjects|A|0", hashlib.sha256).digest()
        block1 = hmac.new(key, b"subjects|A|1", hashlib.sha256).digest()
        self.assertEqual(first[:4], [int.from_bytes(block0[i : i + 8], "big") for i in range(0, 32, 8)])
        self.assertEqual(first[4], int.from_bytes(block1[:8], "big"))

    def test_the_precomputed_hmac_is_rfc_2104_hmac_sha256(self):
        for key in (bytes.fromhex(SEED), bytes(range(32)), b"k" * 64, b"long" * 40):
            for message in (b"", b"team|S1|0", "subjects|甲|12".encode(), b"x" * 200):
                with self.subTest(key=key[:4], message=message[:12]):
                    self.assertEqual(D.SeedKey(key).mac(message), hmac.new(key, message, hashlib.sha256).digest())

    def test_uniform_rejects_the_biased_top_of_the_range(self):
        # 2⁶⁴ mod 3 = 1, so the limit is 2⁶⁴ − 1 and the value 2⁶⁴ − 1 itself is rejected
        self.assertEqual(D.uniform(iter([2**64 - 1, 5]), 3), 2)
        self.assertEqual(D.uniform(iter([2**64 - 2]), 3), (2**64 - 2) % 3)
        self.assertEqual(D.uniform(iter([2**64 - 1]), 1), 0)  # m = 1: limit 2⁶⁴, nothing rejected
        # the shuffle the draw uses rejects the same way, with a small and a large k
        self.assertEqual(D.shuffle_first(["a", "b", "c"], 1, iter([2**64 - 1, 5])), ["c"])
        self.assertEqual(D.shuffle_first(["a", "b", "c"], 3, iter([2**64 - 1, 5, 2**64 - 1, 1, 0])), ["c", "a", "b"])
        many = [str(i) for i in range(30)]
        self.assertEqual(D.shuffle_first(many, 2, iter([2**64 - 1, 14, 7])), ["14", "8"])

    def test_choose_is_the_first_k_of_a_fisher_yates_shuffle(self):
        key = bytes.fromhex(SEED)
        items = [f"x{i}" for i in range(1000)]
        for k in (0, 1, 2, 50, 124, 125, 200, 1000):
            with self.subTest(k=k):
                self.assertEqual(D.choose(items, k, key, "t"), fisher_yates_first(items, k, key, "t"))
        self.assertEqual(sorted(D.choose(items, 1000, key, "t")), sorted(items))  # a permutation
        self.assertEqual(items, [f"x{i}" for i in range(1000)])  # untouched

    def test_seed_and_commitment(self):
        self.assertEqual(D.commitment_of(SEED), hashlib.sha256(bytes.fromhex(SEED)).hexdigest())
        self.assertRegex(D.new_seed(), r"^[0-9a-f]{64}$")
        self.assertNotEqual(D.new_seed(), D.new_seed())
        for bad in ("AB" * 32, "ab" * 31, "zz" * 32, 42, None):
            with self.subTest(seed=bad), self.assertRaisesMessage(D.DrawInputError, "字段 seed"):
                D.draw(bad, make_pool(10), make_officers(5), CONFIG)

    def test_canonical_json_is_the_stdlib_form(self):
        tricky = [['id"\\\n\t\x01\x7f\u2028é中😀', True, None, [["k", "v"]], 12345678901234567890]]
        self.assertEqual(
            D.canonical_json({"b": tricky, "a": 1}),
            json.dumps({"b": tricky, "a": 1}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(),
        )


class DrawTests(SimpleTestCase):
    def setUp(self):
        self.pool = make_pool(2000)
        self.officers = make_officers(30)

    def test_reproducible_and_independent_of_input_order(self):
        first = D.draw(SEED, self.pool, self.officers, CONFIG)
        again = D.draw(SEED, list(reversed(self.pool)), list(reversed(self.officers)), dict(CONFIG))
        self.assertEqual(first, again)
        links_shuffled = [{**s, "links": list(reversed(s["links"])) * 2} for s in self.pool]
        self.assertEqual(D.draw(SEED, links_shuffled, self.officers, CONFIG), first)
        as_arrays = [[s["id"], s["grade"], s["links"]] for s in self.pool]
        self.assertEqual(D.draw(SEED, as_arrays, self.officers, CONFIG), first)
        self.assertNotEqual(D.draw(OTHER_SEED, self.pool, self.officers, CONFIG)["inspections"], first["inspections"])
        self.assertEqual(first["result_digest"], D.result_digest(first))
        self.assertEqual(first["commitment"], D.commitment_of(SEED))

    def test_subjects_are_the_readme_shuffle_of_each_grade_in_canonical_order(self):
        result = D.draw(SEED, self.pool, self.officers, CONFIG)
        key = bytes.fromhex(SEED)
        expected = []
        for grade in "ABCD":
            ids = sorted(s["id"] for s in self.pool if s["grade"] == grade)
            row = next(g for g in result["grades"] if g["grade"] == grade)
            expected += fisher_yates_first(ids, row["drawn"], key, "subjects|" + grade)
        self.assertEqual([i["subject"] for i in result["inspections"]], expected)

    def test_n_is_the_ceiling_of_pool_times_ratio_exactly(self):
        pool = [{"id": f"S{i:03d}", "grade": "A"} for i in range(100)]
        officers = make_officers(10)
        # 0.07 × 100 in binary floating point is 7.000000000000001: the exact ratio gives 7, not 8
        result = D.draw(SEED, pool, officers, {"ratios": {"A": 0.07}})
        self.assertEqual(result["grades"], [{"grade": "A", "pool": 100, "ratio": "7/100", "drawn": 7}])
        self.assertEqual(D.draw(SEED, pool[:41], officers, {"ratios": {"A": 0.05}})["grades"][0]["drawn"], 3)
        self.assertEqual(D.draw(SEED, pool[:40], officers, {"ratios": {"A": 0.05}})["grades"][0]["drawn"], 2)
        self.assertEqual(D.draw(SEED, pool, officers, {"ratios": {"A": "1/3"}})["grades"][0]["drawn"], 34)
        self.assertEqual(D.draw(SEED, pool, officers, {"ratios": {"A": 0}})["inspections"], [])

    def test_a_special_period_multiplies_the_ratios_capped_at_100_percent(self):
        result = D.draw(SEED, self.pool, self.officers, {**CONFIG, "multiplier": 4})
        rows = {g["grade"]: g for g in result["grades"]}
        self.assertEqual(rows["A"]["ratio"], "1/5")
        self.assertEqual(rows["C"]["ratio"], "1/1")  # 0.3 × 4 = 1.2 → 100 %
        self.assertEqual(rows["C"]["drawn"], rows["C"]["pool"])
        self.assertEqual(rows["A"]["drawn"], -(-rows["A"]["pool"] // 5))

    def test_teams_are_distinct_certified_officers_of_the_configured_size(self):
        certified = {o["id"] for o in self.officers if o["certified"]}
        for size in (2, 3):
            result = D.draw(SEED, self.pool, self.officers, {**CONFIG, "team_size": size})
            for inspection in result["inspections"]:
                self.assertEqual(len(set(inspection["team"])), size)
                self.assertLessEqual(set(inspection["team"]), certified)
        with self.assertRaisesMessage(D.DrawInputError, "config/team_size：每组至少 2 名持证执法人员"):
            D.draw(SEED, self.pool, self.officers, {**CONFIG, "team_size": 1})

    def test_teams_are_the_readme_shuffle_of_the_eligible_officers(self):
        key = bytes.fromhex(SEED)
        links = {s["id"]: set(s["links"]) for s in self.pool}
        officers = sorted(self.officers, key=lambda o: o["id"])
        for size in (2, 5, 9):  # 5 and more need a second block of the stream
            result = D.draw(SEED, self.pool, self.officers, {**CONFIG, "team_size": size})
            for inspection in result["inspections"][:300]:
                eligible = [
                    o["id"]
                    for o in officers
                    if o["certified"] and not any(r["to"] in links[inspection["subject"]] for r in o["relations"])
                ]
                expected = fisher_yates_first(eligible, size, key, "team|" + inspection["subject"])
                self.assertEqual(inspection["team"], expected)

    def test_avoidance_excludes_related_officers_by_the_configured_kinds(self):
        subject = {"id": "S-1", "grade": "D", "links": ["ent:X", "unit:owner"]}
        officers = [
            {"id": "O1", "certified": True, "relations": [{"kind": "relative", "to": "ent:X"}]},
            {"id": "O2", "certified": True, "relations": [{"kind": "former_employer", "to": "ent:X"}]},
            {"id": "O3", "certified": True, "relations": [{"kind": "classmate", "to": "ent:X"}]},
            {"id": "O4", "certified": True, "unit": "unit:owner"},
            {"id": "O5", "certified": True, "relations": [{"kind": "relative", "to": "ent:Y"}]},
            {"id": "O6", "certified": False},
        ]
        config = {"ratios": {"D": 1}}
        for seed in (SEED, OTHER_SEED, "12" * 32):
            team = D.draw(seed, [subject], officers, config)["inspections"][0]["team"]
            self.assertEqual(set(team), {"O3", "O4", "O5"} & set(team))
            self.assertEqual(len(team), 2)
        # a configurable kind: classmates and the officer's own unit excluded too → only O5 is left
        with self.assertRaises(D.DrawFailed) as failed:
            D.draw(
                SEED, [subject], officers, {**config, "avoid": ["relative", "former_employer", "classmate", "own_unit"]}
            )
        self.assertEqual(str(failed.exception), "抽取失败：主体 S-1 回避后可选的持证执法人员只有 1 名，少于每组 2 名")
        self.assertEqual(failed.exception.subjects, [("S-1", 1)])
        # without avoidance kinds the related officers may be drawn
        teams = {
            tuple(D.draw(s, [subject], officers, {**config, "avoid": []})["inspections"][0]["team"])
            for s in [f"{i:02x}" * 32 for i in range(40)]
        }
        self.assertTrue({"O1", "O2"} & {o for t in teams for o in t})

    def test_too_few_officers_fails_naming_the_subject_and_the_count(self):
        officers = [{"id": "O1", "certified": True}, {"id": "O2", "certified": False}]
        with self.assertRaises(D.DrawFailed) as failed:
            D.draw(SEED, [{"id": "S1", "grade": "A"}, {"id": "S2", "grade": "A"}], officers, {"ratios": {"A": 1}})
        self.assertIn(
            "回避后可选的持证执法人员只有 1 名，少于每组 2 名（另有 1 个主体同样不足）", str(failed.exception)
        )
        self.assertEqual(sorted(failed.exception.subjects), [("S1", 1), ("S2", 1)])

    def test_invalid_inputs_name_the_field(self):
        officers = make_officers(5)
        cases = [
            ([{"id": "S1", "grade": "A"}, {"id": "", "grade": "A"}], CONFIG, "字段 pool/1/id"),
            ([{"id": "S1", "grade": "A"}, {"id": "S2", "grade": 3}], CONFIG, "字段 pool/1/grade"),
            ([{"id": "S1", "grade": "A", "links": "ent:1"}], CONFIG, "字段 pool/0/links"),
            ([{"id": "S1", "grade": "A"}, "S2"], CONFIG, "字段 pool/1"),
            ([{"id": "S1", "grade": "A"}, {"id": "S1", "grade": "B"}], CONFIG, "主体 S1 出现不止一次"),
            ([{"id": "S1", "grade": "E"}], CONFIG, "缺少风险等级 E 的抽查比例（主体库中有 1 个"),
            ([], {"ratios": {"A": 1.5}}, "字段 config/ratios/A：比例应在 0 与 1 之间"),
            ([], {"ratios": {"A": "half"}}, "字段 config/ratios/A"),
            ([], {"ratios": {}}, "字段 config/ratios"),
            ([], {"ratios": {"A": 0.1}, "multiplier": 0}, "字段 config/multiplier"),
            ([], {"ratios": {"A": 0.1}, "avoid": "relative"}, "字段 config/avoid"),
            ([], {"ratios": {"A": 0.1}, "teams": 2}, "字段 config：不认识的键 teams"),
        ]
        for pool, config, message in cases:
            with self.subTest(message=message), self.assertRaisesMessage(D.DrawInputError, message):
                D.draw(SEED, pool, officers, config)
        bad_officers = [
            ([{"id": "O1"}], "字段 officers/0/certified"),
            ([{"id": "O1", "certified": True, "relations": [{"kind": "relative"}]}], "字段 officers/0/relations/0"),
            ([{"id": "O1", "certified": True}, {"id": "O1", "certified": True}], "执法人员 O1 出现不止一次"),
        ]
        for officers_, message in bad_officers:
            with self.subTest(message=message), self.assertRaisesMessage(D.DrawInputError, message):
                D.draw(SEED, [], officers_, CONFIG)


class VerifyTests(SimpleTestCase):
    def setUp(self):
        self.pool = make_pool(1500)
        self.officers = make_officers(25)
        self.commitment = D.commitment_of(SEED)
        self.result = D.draw(SEED, self.pool, self.officers, CONFIG)

    def verify(self, **changes):
        args = {
            "commitment": self.commitment,
            "seed": SEED,
            "pool": self.pool,
            "officers": self.officers,
            "config": CONFIG,
            "published_result": self.result,
            **changes,
        }
        return D.verify(**args)

    def test_the_published_draw_verifies(self):
        self.assertEqual(self.verify(), (True, []))
        self.assertEqual(self.verify(published_result=json.loads(json.dumps(self.result))), (True, []))

    def test_a_seed_other_than_the_committed_one_is_detected(self):
        ok, reasons = self.verify(seed=OTHER_SEED)
        self.assertFalse(ok)
        self.assertIn("公开的种子与抽取前公布的承诺值（SHA-256）不符", reasons)

    def test_a_removed_subject_is_detected(self):
        drawn = self.result["inspections"][0]["subject"]
        ok, reasons = self.verify(pool=[s for s in self.pool if s["id"] != drawn])
        self.assertFalse(ok)
        self.assertIn("所给主体库与抽取时的主体库不符（摘要不同：主体被增加、删除或改动）", reasons)
        self.assertIn(f"被抽中的主体 {drawn} 不在所给主体库中", reasons)
        self.assertTrue(any(r.startswith("等级 A 的主体数：发布结果") for r in reasons), reasons)

    def test_an_added_subject_is_detected(self):
        ok, reasons = self.verify(pool=[*self.pool, {"id": "S999999", "grade": "C", "links": []}])
        self.assertFalse(ok)
        self.assertIn("所给主体库与抽取时的主体库不符（摘要不同：主体被增加、删除或改动）", reasons)
        self.assertTrue(any("等级 C 的主体数" in r for r in reasons), reasons)

    def test_a_changed_subject_is_detected(self):
        drawn = self.result["inspections"][0]["subject"]
        changed = [{**s, "links": [*s["links"], "ent:new"]} if s["id"] == drawn else s for s in self.pool]
        ok, reasons = self.verify(pool=changed)
        self.assertFalse(ok)
        self.assertIn("所给主体库与抽取时的主体库不符（摘要不同：主体被增加、删除或改动）", reasons)
        regraded = [{**s, "grade": "D"} if s["id"] == drawn and s["grade"] != "D" else s for s in self.pool]
        ok, reasons = self.verify(pool=regraded)
        self.assertFalse(ok)

    def test_a_changed_result_is_detected_with_or_without_a_new_digest(self):
        forged = json.loads(json.dumps(self.result))
        forged["inspections"][3]["team"] = list(reversed(forged["inspections"][3]["team"]))
        ok, reasons = self.verify(published_result=forged)
        self.assertFalse(ok)
        self.assertIn("发布结果的摘要与其内容不符：结果在发布后被改动", reasons)
        self.assertTrue(any(r.startswith("抽取名单第 4 项不符") for r in reasons), reasons)
        forged["result_digest"] = D.result_digest(forged)  # a forger who recomputes the digest
        ok, reasons = self.verify(published_result=forged)
        self.assertFalse(ok)
        self.assertEqual(len(reasons), 1)
        self.assertTrue(reasons[0].startswith("抽取名单第 4 项不符"), reasons)
        dropped = {**self.result, "inspections": self.result["inspections"][:-1]}
        dropped["result_digest"] = D.result_digest(dropped)
        self.assertIn("抽取名单条数不符", self.verify(published_result=dropped)[1][0])

    def test_changed_officers_or_config_are_detected(self):
        officers = [{**o, "certified": True} for o in self.officers]
        self.assertIn("所给执法人员库与抽取时不符（摘要不同）", self.verify(officers=officers)[1])
        self.assertIn("所给抽取配置与抽取时不符（摘要不同）", self.verify(config={**CONFIG, "multiplier": 2})[1])


class DrawRuleTests(SimpleTestCase):
    def command(self, name, payload):
        out = io.StringIO()
        call_command("rule", name, payload=json.dumps(payload), stdout=out)
        return json.loads(out.getvalue())

    def test_the_rules_on_the_command_line_match_the_functions(self):
        pool, officers = make_pool(300), make_officers(12)
        payload = {"seed": SEED, "pool": pool, "officers": officers, "config": CONFIG}
        printed = self.command("double_random_draw", payload)
        self.assertEqual(printed, {"ok": True, "result": D.draw(SEED, pool, officers, CONFIG)})
        check = {**payload, "commitment": D.commitment_of(SEED), "result": printed["result"]}
        self.assertEqual(self.command("verify_draw", check), {"ok": True, "reasons": []})
        tampered = self.command("verify_draw", {**check, "pool": pool[1:]})
        self.assertFalse(tampered["ok"])
        self.assertEqual(
            (tampered["ok"], tampered["reasons"]),
            D.verify(D.commitment_of(SEED), SEED, pool[1:], officers, CONFIG, printed["result"]),
        )

    def test_a_failing_draw_is_a_result_and_bad_input_an_error_naming_the_field(self):
        failed = run_rule(
            "double_random_draw",
            {"seed": SEED, "pool": [{"id": "S1", "grade": "A"}], "officers": [], "config": {"ratios": {"A": 1}}},
        )
        self.assertEqual(
            failed,
            {
                "ok": False,
                "reason": "抽取失败：主体 S1 回避后可选的持证执法人员只有 0 名，少于每组 2 名",
                "subjects": [{"subject": "S1", "eligible": 0}],
            },
        )
        with self.assertRaisesMessage(CommandError, "字段 pool/0/id"):
            self.command(
                "double_random_draw", {"seed": SEED, "pool": [{"grade": "A"}], "officers": [], "config": CONFIG}
            )
        with self.assertRaisesMessage(RuleInputError, "缺少字段 config"):
            run_rule("double_random_draw", {"seed": SEED, "pool": [], "officers": []})


class StandAloneToolTests(SimpleTestCase):
    """``tools/verify_draw.py`` re-implements the draw with the standard library only."""

    def run_tool(self, document, *args):
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as fh:
            json.dump(document, fh, ensure_ascii=False)
        try:
            return subprocess.run(
                [sys.executable, "-I", str(TOOL), fh.name, *args], capture_output=True, text=True, timeout=120
            )
        finally:
            Path(fh.name).unlink()

    def document(self, seed, pool, officers, config):
        return {
            "commitment": D.commitment_of(seed),
            "seed": seed,
            "pool": pool,
            "officers": officers,
            "config": config,
            "result": D.draw(seed, pool, officers, config),
        }

    def test_the_tool_imports_neither_django_nor_anjian(self):
        source = TOOL.read_text(encoding="utf-8")
        self.assertNotRegex(source, r"(?m)^\s*(import|from)\s+(django|anjian)")

    def test_the_tool_recomputes_the_identical_result(self):
        pool = make_pool(4000, enterprises=300)
        pool += [{"id": "项目-浦东-001", "grade": "D", "links": ["ent:1", '企业:"引号"\\']}]
        officers = make_officers(40, enterprises=300)
        for seed, config in (
            (SEED, CONFIG),
            (
                D.new_seed(),
                {
                    "ratios": {"A": "1/30", "B": 0.12, "C": 0.3, "D": 1},
                    "team_size": 3,
                    "multiplier": 1.5,
                    "avoid": ["relative", "former_employer", "own_unit"],
                },
            ),
        ):
            with self.subTest(config=config):
                document = self.document(seed, pool, officers, config)
                completed = self.run_tool(document, "--print")
                self.assertEqual(completed.returncode, 0, completed.stderr)
                self.assertEqual(json.loads(completed.stdout), document["result"])
                self.assertIn("一致 / OK", completed.stderr)

    def test_the_tool_reports_a_tampered_pool_and_a_wrong_seed(self):
        pool, officers = make_pool(1000), make_officers(20)
        document = self.document(SEED, pool, officers, CONFIG)
        drawn = document["result"]["inspections"][0]["subject"]
        tampered = {**document, "pool": [s for s in pool if s["id"] != drawn]}
        completed = self.run_tool(tampered)
        self.assertEqual(completed.returncode, 1)
        self.assertIn("MISMATCH: pool_digest", completed.stderr)
        self.assertIn("MISMATCH: grades", completed.stderr)
        wrong_seed = {**document, "seed": OTHER_SEED}
        completed = self.run_tool(wrong_seed)
        self.assertEqual(completed.returncode, 1)
        self.assertIn("the seed does not match the commitment", completed.stderr)
        self.assertEqual(self.run_tool({"seed": "x"}).returncode, 2)
