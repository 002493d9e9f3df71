"""Instruction keywords written in mixed case, or against the case most of the file uses;
and ``FROM … as name`` whose ``AS`` is not in the case of its ``FROM`` (BuildKit's rules).

``scope: instructions`` counts the keywords written all in upper and all in lower case;
the majority wins (a tie counts as upper case), and every keyword not in that case is
reported. ``scope: from-as`` compares each ``AS`` with its ``FROM`` when the ``FROM`` is
written in one case. Both fixes rewrite the keyword in the expected case.
"""
from __future__ import annotations

from collections.abc import Iterator

from linter.checks import template
from linter.checks._arguments import keyword_text
from linter.model.dockerfile import Dockerfile
from linter.model.finding import Edit, Hit

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["scope"],
    "properties": {"scope": {"enum": ["instructions", "from-as"]}},
}


@template("keyword-casing", unit="dockerfile", params=PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    if params["scope"] == "from-as":
        yield from _from_as(dockerfile)
        return
    written = [(instruction, keyword_text(instruction, dockerfile.lines)) for instruction in dockerfile.instructions]
    lower = sum(1 for _, text in written if text == text.lower())
    upper = sum(1 for _, text in written if text == text.upper())
    majority_lower = lower > upper
    for instruction, text in written:
        expected = text.lower() if majority_lower else text.upper()
        if text != expected:
            case = "lower" if majority_lower else "upper"
            yield Hit(instruction.keyword_span, {"keyword": text, "expected": expected, "case": case},
                      (Edit(instruction.keyword_span, expected),))


def _from_as(dockerfile: Dockerfile) -> Iterator[Hit]:
    for stage in dockerfile.stages:
        instruction = stage.from_instruction
        words = instruction.words
        if stage.alias is None or len(words) < 3:
            continue
        keyword = keyword_text(instruction, dockerfile.lines)
        as_word = words[-2]
        if keyword == keyword.upper():
            expected = as_word.text.upper()
        elif keyword == keyword.lower():
            expected = as_word.text.lower()
        else:
            continue
        if as_word.text != expected:
            yield Hit(as_word.span, {"keyword": keyword, "as": as_word.text, "expected": expected},
                      (Edit(as_word.span, expected),))
