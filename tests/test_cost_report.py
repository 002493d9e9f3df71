"""``dlint cost`` rendering: the text table and the JSON document."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from linter.cost.context import load_context
from linter.cost.image import estimate_image, rebuild_cost, source_edit
from linter.parsers.dockerfile import parse_dockerfile
from linter.report.cost import format_size, render_json, render_text

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "cost.schema.json").read_text())

APP = ("FROM debian:bookworm-slim\n"
       "RUN apt-get update && apt-get install -y curl\n"
       "WORKDIR /app\n"
       "COPY src/ ./src\n"
       "RUN make -C src\n"
       "CMD [\"./src/app\"]\n")


@pytest.fixture
def context(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.c").write_bytes(b"int main(){}\n" * 100)
    return load_context(str(tmp_path), None)


def estimate(text, context=None):
    return estimate_image(parse_dockerfile(text, "Dockerfile"), context)


@pytest.mark.parametrize(("size", "shown"), [
    (0, "0 B"), (999, "999 B"), (4_100, "4.1 kB"), (12_345_678, "12.3 MB"), (74_830_000, "74.8 MB"),
    (1_250_000_000, "1.25 GB"),
])
def test_sizes_are_shown_in_decimal_units_as_docker_does(size, shown):
    assert format_size(size) == shown


def test_text_table_has_a_row_per_instruction_with_sizes_totals_and_notes(context):
    image = estimate(APP, context)
    text = render_text(image, "Dockerfile")
    lines = text.splitlines()
    assert lines[0] == "Dockerfile: estimated image size (linux/amd64)"
    assert lines[2].split() == ["stage", "line", "instruction", "added", "total", "confidence", "note"]
    from_row = lines[3].split()
    assert from_row[:7] == ["0", "1", "FROM", "debian:bookworm-slim", "74.8", "MB", "74.8"]
    run_row = next(line for line in lines if "RUN apt-get update && apt-get install -y cu…" in line)
    assert "35.5 MB" in run_row and "110.3 MB" in run_row and "medium" in run_row
    assert "apt lists kept: +19.9 MB" in text
    assert "recommends installed: +3.8 MB (6 packages)" in text
    copy_row = next(line for line in lines if "COPY src/ ./src" in line)
    assert "1.3 kB" in copy_row
    make_row = next(line for line in lines if "RUN make -C src" in line)
    assert "unknown" in make_row and "make: builds from the files in the image" in make_row
    assert lines[-1] == ("Final image: unknown uncompressed (at least 110.3 MB), unknown compressed "
                         "(at least 49.0 MB); 1 layer unknown")


def test_text_total_line_of_a_fully_known_image():
    text = render_text(estimate("FROM debian:bookworm-slim\nENV A=1\n"), "Dockerfile")
    assert text.splitlines()[-1] == "Final image: 74.8 MB uncompressed, 28.2 MB compressed (high confidence)"


def test_text_names_the_shipping_stage_and_the_rebuild(context):
    image = estimate("FROM debian:bookworm-slim AS build\nCOPY src/ /src\nFROM debian:bookworm-slim\n"
                     "COPY --from=build /src /src\n", context)
    rebuild = rebuild_cost(image, source_edit(image))
    lines = render_text(image, "Dockerfile", rebuild).splitlines()
    assert lines[-4] == "Final image (stage 1): 74.8 MB uncompressed, 28.2 MB compressed (medium confidence)"
    assert lines[-2] == ("Rebuild after an edit to a file under src/: 2 layers rebuild (lines 2, 4), "
                         "downloading 0 B again and writing 2.6 kB.")
    assert lines[-1] == "  first invalidated: line 2, COPY src/ /src"


def test_json_output_follows_the_schema_with_null_for_unknown(context):
    image = estimate(APP, context)
    rebuild = rebuild_cost(image, source_edit(image))
    document = json.loads(render_json(image, rebuild, "Dockerfile", "1.2.3"))
    jsonschema.validate(document, SCHEMA)
    assert document["image"]["uncompressed"] is None
    assert document["image"]["known_uncompressed"] == 74_830_000 + 35_460_263 + 1_300
    assert document["image"]["unknown_layers"] == 1
    layers = document["stages"][0]["layers"]
    assert [layer["line"] for layer in layers] == [1, 2, 3, 4, 5, 6]
    assert layers[1]["added"] == 35_460_263 and layers[1]["confidence"] == "medium"
    assert layers[4]["added"] is None and layers[4]["unknown"] is True
    assert document["rebuild"]["trigger_line"] == 4
    assert [layer["line"] for layer in document["rebuild"]["layers"]] == [4, 5, 6]
    assert document["rebuild"]["write"] is None and document["rebuild"]["write_known"] == 1_300


def test_json_of_stages_built_from_each_other_without_a_rebuild():
    image = estimate("FROM scratch AS empty\nFROM empty AS app\nLABEL a=b\n")
    document = json.loads(render_json(image, None, "Dockerfile", "1.2.3"))
    jsonschema.validate(document, SCHEMA)
    assert document["rebuild"] is None
    assert [(stage["name"], stage["from_stage"], stage["ships"]) for stage in document["stages"]] == [
        ("empty", None, False), ("app", "empty", True)]
    assert document["image"] == {"stage": "app", "uncompressed": 0, "compressed": 0, "known_uncompressed": 0,
                                 "known_compressed": 0, "unknown_layers": 0, "confidence": "high"}
