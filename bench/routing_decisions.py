"""Routing benchmark: decisions per second on the plain core with 200 rules, against baselines.

Builds 200 ordered rules with subject words in Lithuanian, Latvian, Georgian
and Albanian (8 words each, some rules also restricted by kind or language),
the rule that matches placed 5th from the end, so a decision walks past 194
rules first. It times ``routing.domain.rules.decide`` one call at a time for
``--seconds`` over a mix of subjects in the four languages, and in the same
run two baselines:

- naive: the same rules as plain lists, ``fold(subject)`` once per letter and a
  ``word in folded`` substring test per word (no precompiled patterns, no
  explanations);
- decide with 1 rule: the same letters against only the matching rule.

Prints decisions/s, p50 and p99 per decision, and the ratios.

    .venv/bin/python bench/routing_decisions.py --seconds 5
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile
from chancery.text import fold
from routing.domain.rules import LetterFacts, Rule, decide

RULES = 200
MATCHING_POSITION = RULES - 5  # 0-based: the 196th rule takes every letter below
KINDS = ("letter", "application", "complaint", "proposal", "information_request")
# Stems in the four languages; rule words are built from them with a rule-specific suffix so
# that every rule has its own words and only the matching rule's words occur in the subjects.
STEMS = {
    "lt": [
        "gatvė",
        "apšvietimas",
        "šiukšlės",
        "mokykla",
        "darželis",
        "pašalpa",
        "leidimas",
        "šaligatvis",
        "žemės sklypas",
        "medžių kirtimas",
        "triukšmas",
        "vanduo",
    ],
    "lv": [
        "iela",
        "apgaismojums",
        "atkritumi",
        "skola",
        "bērnudārzs",
        "pabalsts",
        "būvatļauja",
        "ietve",
        "zemes gabals",
        "koku zāģēšana",
        "troksnis",
        "ūdensvads",
    ],
    "ka": [
        "ქუჩა",
        "განათება",
        "ნაგავი",
        "სკოლა",
        "ბაღი",
        "დახმარება",
        "ნებართვა",
        "ტროტუარი",
        "მიწის ნაკვეთი",
        "ხეების ჭრა",
        "ხმაური",
        "წყალი",
    ],
    "sq": [
        "rruga",
        "ndriçimi",
        "mbeturinat",
        "shkolla",
        "kopshti",
        "ndihma",
        "leja",
        "trotuari",
        "toka",
        "prerja e pemëve",
        "zhurma",
        "ujësjellësi",
    ],
}
SUFFIXES = "abcdefghijklmnopqrstuvwxyz"
# Word starts: "dzūkų skver" finds "DZŪKŲ SKVERO" and "Dzūkų skverą".
MATCHING_WORDS = ["Dzūkų skver", "Ķemeru park", "ლაგოდეხის პარკ", "parku i Vlor", "Parkut të Vlor"]
SUBJECTS = [
    ("lt", "Skundas dėl apleisto DZŪKŲ SKVERO šalia Jaunimo parko"),
    ("lt", "Prašymas sutvarkyti Dzūkų skverą ir pastatyti suoliukus"),
    ("lv", "Iesniegums par Ķemeru parka soliņu remontu un apgaismojumu"),
    ("lv", "Sūdzība: Kemeru parks netiek uzkopts jau mēnesi"),
    ("ka", "განცხადება ლაგოდეხის პარკის სკამების შეკეთების შესახებ"),
    ("ka", "საჩივარი ლაგოდეხის პარკში ნაგვის შესახებ"),
    ("sq", "Kërkesë për ndriçimin e Parkut të Vlorës pranë detit"),
    ("sq", "Ankesë: parku i Vlorës nuk pastrohet prej javësh"),
]


def build_rules(count: int, matching_position: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` rule definitions; only the one at ``matching_position`` fits the subjects."""
    generator = random.Random(seed)
    languages = list(STEMS)
    rules = []
    for position in range(count):
        language = languages[position % len(languages)]
        suffix = SUFFIXES[position % 26] + SUFFIXES[(position // 26) % 26]
        words = [f"{stem}{suffix}" for stem in generator.sample(STEMS[language], 8)]
        match: dict[str, list[str]] = {"subject_words": words}
        if position % 5 == 1:
            match["kinds"] = list(generator.sample(KINDS, 3))
        if position % 7 == 3:
            match["languages"] = [language]
        rules.append(
            {
                "name": f"Taisyklė {position + 1}",
                "match": match,
                "responsible": f"DEP{position % 40:02d}",
            }
        )
    rules[matching_position] = {
        "name": f"Taisyklė {matching_position + 1}: parkai",
        "match": {"subject_words": MATCHING_WORDS},
        "responsible": "PARKS",
    }
    return rules


def as_rules(definitions: Sequence[dict[str, Any]]) -> list[Rule]:
    return [
        Rule(
            id=str(position),
            position=position,
            name=d["name"],
            match=d["match"],
            responsible=d["responsible"],
        )
        for position, d in enumerate(definitions)
    ]


def naive_decide(definitions: Sequence[dict[str, Any]], facts: LetterFacts) -> str | None:
    """First rule whose conditions hold, by substring tests on the folded subject."""
    folded = fold(facts.subject)
    for rule in definitions:
        match = rule["match"]
        if match.get("kinds") and facts.kind not in match["kinds"]:
            continue
        if match.get("languages") and facts.language not in match["languages"]:
            continue
        words = match.get("folded_words", ())
        if words and not any(word in folded for word in words):
            continue
        return rule["responsible"]
    return facts.addressee_department


def letters() -> list[LetterFacts]:
    return [
        LetterFacts(
            kind=KINDS[i % len(KINDS)],
            addressee_kind="mayor",
            addressee_department=None,
            language=language,
            sender_organisation=None,
            confidentiality="normal",
            subject=subject,
        )
        for i, (language, subject) in enumerate(SUBJECTS)
    ]


def timed(
    decide_one: Callable[[LetterFacts], Any], facts: Sequence[LetterFacts], seconds: float
) -> dict[str, float]:
    """Call ``decide_one`` round-robin over ``facts`` for ``seconds``; rate and percentiles."""
    for item in facts:  # warm-up, and a check that every letter is decided
        decide_one(item)
    durations: list[int] = []
    clock = time.perf_counter_ns
    end = clock() + int(seconds * 1e9)
    index, count = 0, len(facts)
    started = clock()
    while True:
        before = clock()
        decide_one(facts[index])
        after = clock()
        durations.append(after - before)
        index = (index + 1) % count
        if after >= end:
            break
    elapsed = (clock() - started) / 1e9
    return {
        "decisions_per_second": len(durations) / elapsed,
        "p50_us": percentile(durations, 0.50) / 1000,
        "p99_us": percentile(durations, 0.99) / 1000,
        "decisions": float(len(durations)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per variant")
    args = parser.parse_args()
    definitions = build_rules(RULES, MATCHING_POSITION)
    rules = as_rules(definitions)
    naive_rules = [
        {
            **d,
            "match": {
                **d["match"],
                "folded_words": [fold(w) for w in d["match"].get("subject_words", [])],
            },
        }
        for d in definitions
    ]
    one_rule = [rules[MATCHING_POSITION]]
    facts = letters()
    for item in facts:
        decision = decide(rules, item)
        assert decision.department == "PARKS", (item.subject, decision.reasons)
        assert len(decision.rejected) == MATCHING_POSITION
        assert naive_decide(naive_rules, item) == "PARKS", item.subject
    results = {
        f"decide, {RULES} rules": timed(lambda f: decide(rules, f), facts, args.seconds),
        f"naive, {RULES} rules": timed(lambda f: naive_decide(naive_rules, f), facts, args.seconds),
        "decide, 1 rule": timed(lambda f: decide(one_rule, f), facts, args.seconds),
    }
    print(
        f"\n{RULES} rules, the matching one at position {MATCHING_POSITION + 1}; "
        f"{len(facts)} subjects (lt, lv, ka, sq); {args.seconds:g} s per variant"
    )
    print(f"{'variant':<20} {'decisions/s':>12} {'p50 µs':>9} {'p99 µs':>9} {'decisions':>10}")
    for name, figures in results.items():
        print(
            f"{name:<20} {figures['decisions_per_second']:>12,.0f} {figures['p50_us']:>9.1f} "
            f"{figures['p99_us']:>9.1f} {figures['decisions']:>10,.0f}"
        )
    core = results[f"decide, {RULES} rules"]["decisions_per_second"]
    print(
        f"ratio decide / naive ({RULES} rules): "
        f"{core / results[f'naive, {RULES} rules']['decisions_per_second']:.2f}"
    )
    print(
        f"ratio decide {RULES} rules / decide 1 rule: "
        f"{core / results['decide, 1 rule']['decisions_per_second']:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
