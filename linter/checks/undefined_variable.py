"""A ``$VAR`` that nothing defines where the builder expands it (BuildKit's
UndefinedArgInFrom and UndefinedVar): it silently becomes an empty string.

``scope: from`` reads the image and ``--platform`` of every ``FROM``: only the ``ARG``s
before the first ``FROM`` and BuildKit's platform arguments (``TARGETARCH``…) exist there.

``scope: instructions`` reads what the builder itself expands — ``ADD``/``COPY`` (and their
``--from``, ``--chown``, ``--chmod``), ``ENV``, ``ARG`` defaults, ``LABEL``, ``EXPOSE``,
``USER``, ``VOLUME``, ``WORKDIR``, ``STOPSIGNAL`` — not ``RUN``/``CMD``, which a shell
expands at run time. The base image's own ``ENV`` is unknown, so a name that no ``ARG`` or
``ENV`` of the stage (or of the stages it is built ``FROM``) defines is reported only when
that is certainly wrong:

* it is a platform argument (``TARGETARCH``…), which a stage sees only after ``ARG NAME``;
* the stage is rooted in ``scratch``, so there is no base image environment at all;
* it is an ``ARG`` declared before the first ``FROM`` and not declared again in the stage,
  no ``FROM`` uses it, and it does not look like an official image's own ``ENV`` (a name
  that picks the base image often is one — ``ARG NODE_VERSION`` / ``FROM
  node:${NODE_VERSION}`` — and so are ``*_VERSION``/``*_HOME``/``*_MAJOR`` names starting
  with the base image's name, ``PYTHON_VERSION`` on ``python``);
* it differs from a defined name only by case or by one typing mistake (see ``_typo``).

References with an operator (``${VAR:-default}``, ``${VAR:+x}``) and ``PATH`` and the proxy
arguments are never reported.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from linter.checks import template
from linter.checks._arguments import PLATFORM_ARGS, PREDEFINED, ancestry, references
from linter.model.dockerfile import Dockerfile, Instruction, Word
from linter.model.finding import Hit
from linter.model.span import Span

PARAMS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["scope"],
    "properties": {"scope": {"enum": ["from", "instructions"]}},
}

_EXPANDED = frozenset({"ADD", "COPY", "ENV", "ARG", "LABEL", "EXPOSE", "USER", "VOLUME", "WORKDIR", "STOPSIGNAL"})
_FLAGS = frozenset({"from", "chown", "chmod"})


@template("undefined-variable", unit="dockerfile", params=PARAMS)
def check(dockerfile: Dockerfile, params: dict) -> Iterator[Hit]:
    global_names = {name for instruction in dockerfile.global_args for name in _declared(instruction)}
    if params["scope"] == "from":
        yield from _from(dockerfile, global_names)
    else:
        yield from _instructions(dockerfile, global_names)


def _from(dockerfile: Dockerfile, global_names: set[str]) -> Iterator[Hit]:
    defined = global_names | set(PLATFORM_ARGS)
    for stage in dockerfile.stages:
        for span, raw in _from_texts(dockerfile, stage.from_instruction):
            for ref in references(raw, dockerfile.escape):
                if ref.name not in defined:
                    yield _hit(span, raw, ref, _suggestion(ref.name, defined),
                               "only ARGs declared before the first FROM can be used in FROM")


def _instructions(dockerfile: Dockerfile, global_names: set[str]) -> Iterator[Hit]:
    in_from = {ref.name for stage in dockerfile.stages
               for _, raw in _from_texts(dockerfile, stage.from_instruction) for ref in references(raw)}
    env_of: dict[int, set[str]] = {}
    for stage in dockerfile.stages:
        chain = ancestry(stage, dockerfile.stages)
        scratch = chain[-1].base.is_scratch
        image = (chain[-1].base.repository or "").rsplit("/", 1)[-1].split("-")[0].upper()
        env = set().union(*(env_of.get(parent.index, set()) for parent in chain[1:]))
        args: set[str] = set()
        for instruction in stage.instructions[1:]:
            if instruction.keyword in _EXPANDED:
                for span, raw, own in _texts(dockerfile, instruction):
                    for ref in references(raw, dockerfile.escape):
                        if not ref.plain or ref.name in args or ref.name in env or ref.name in own \
                                or ref.name in PREDEFINED:
                            continue
                        # The union is built only here: built for every instruction, it made a
                        # stage of many ARG/ENV quadratic.
                        reason = _reason(ref.name, scratch, global_names - _base_like(global_names, image), in_from,
                                         args | env)
                        if reason is not None:
                            yield _hit(span, raw, ref, *reason)
            if instruction.keyword == "ARG":
                args.update(_declared(instruction))
            elif instruction.keyword == "ENV":
                env.update(_declared(instruction))
        env_of[stage.index] = env


def _reason(name: str, scratch: bool, global_names: set[str], in_from: set[str], defined: set[str],
            ) -> tuple[str, str] | None:
    """(suggestion, why) when the reference is certainly undefined, else None."""
    if name in PLATFORM_ARGS:
        return f" (add `ARG {name}` to the stage)", "BuildKit defines it in a stage only after `ARG " + name + "`"
    if name in global_names and name not in in_from:
        return f" (add `ARG {name}` to the stage)", "an ARG declared before the first FROM must be declared again " \
                                                     "inside the stage to be used there"
    suggestion = _suggestion(name, defined | global_names)
    if scratch:
        return suggestion, "the stage starts from scratch, so no base image defines it"
    if suggestion:
        return suggestion, "no ARG or ENV before it defines it"
    return None


def _base_like(names: set[str], image: str) -> set[str]:
    """Global ARG names an official base image may set as ``ENV`` itself: ``PYTHON_VERSION``
    on ``python``, ``NGINX_VERSION`` on ``nginx``, ``JAVA_HOME`` anywhere."""
    out = set()
    for name in names:
        upper = name.upper()
        if upper.startswith("JAVA_") or image and upper.startswith(image + "_") and upper.endswith(_BASE_SUFFIXES):
            out.add(name)
    return out


_BASE_SUFFIXES = ("_VERSION", "_HOME", "_MAJOR", "_DIR", "_PATH", "_SHA256")


def _hit(span: Span, raw: str, ref, suggestion: str, why: str) -> Hit:
    if span.line == span.end_line and span.end_column - span.column == len(raw):
        span = Span(span.path, span.line, span.column + ref.start, span.line, span.column + ref.end)
    return Hit(span, {"variable": ref.name, "suggestion": suggestion, "why": why})


def _suggestion(name: str, candidates: set[str]) -> str:
    for candidate in sorted(candidates):
        if candidate != name and (candidate.lower() == name.lower() or _typo(name, candidate)):
            return f" (did you mean `${candidate}`?)"
    return ""


def _typo(name: str, candidate: str) -> bool:
    """One typing mistake apart — but not siblings such as ``NB_UID``/``NB_GID`` or
    ``PYTHON2``/``PYTHON3``, where the other name is usually meant (and set by the base)."""
    if len(name) < 5 or not _one_edit(name, candidate):
        return False
    if name.replace("UID", "GID") == candidate or name.replace("GID", "UID") == candidate:
        return False
    different = set(name) ^ set(candidate)
    return not any(char.isdigit() for char in different)


def _one_edit(a: str, b: str) -> bool:
    """One insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
            and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    index = next((i for i in range(len(short)) if short[i] != long[i]), len(short))
    return short[index:] == long[index + 1:]


def _declared(instruction: Instruction) -> list[str]:
    if instruction.keyword == "ENV" and instruction.words and "=" not in instruction.words[0].text:
        return [instruction.words[0].text]
    return [word.text.partition("=")[0] for word in instruction.words if word.text.partition("=")[0]]


def _raw(dockerfile: Dockerfile, span: Span, fallback: str) -> str:
    if span.line == span.end_line and span.line <= len(dockerfile.lines):
        return dockerfile.lines[span.line - 1][span.column - 1:span.end_column - 1]
    return fallback


def _from_texts(dockerfile: Dockerfile, instruction: Instruction) -> list[tuple[Span, str]]:
    out = []
    if instruction.words:
        word = instruction.words[0]
        out.append((word.span, _raw(dockerfile, word.span, word.text)))
    flag = instruction.flag("platform")
    if flag is not None:
        out.append((flag.span, _raw(dockerfile, flag.span, f"--platform={flag.value or ''}")))
    return out


def _texts(dockerfile: Dockerfile, instruction: Instruction) -> Iterator[tuple[Span, str, Sequence[str]]]:
    """(span, raw text, names defined earlier in the same instruction) of what is expanded."""
    for flag in instruction.flags:
        if flag.name in _FLAGS:
            yield flag.span, _raw(dockerfile, flag.span, f"--{flag.name}={flag.value or ''}"), ()
    words: Sequence[Word] = instruction.words
    if instruction.keyword in ("COPY", "ADD"):
        words = [word for word in words if not word.text.startswith("<<")]
    own: list[str] = []
    for word in words:
        yield word.span, _raw(dockerfile, word.span, word.text), tuple(own)
        if instruction.keyword in ("ENV", "ARG"):
            own.append(word.text.partition("=")[0])
