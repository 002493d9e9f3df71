"""The image-size estimator against measured and published sizes (benchmarks/size_accuracy).

The ground truth is committed; the harness that measured it needs root and the network and is
never run here. These tests run the estimator with the committed correction factors over the
held-out ``score`` items and hold it to the targets of the cost issue: at most 15% median
absolute percentage error on apt layers and at most 25% on image totals.
"""
from __future__ import annotations

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCORE_PY = os.path.join(ROOT, "benchmarks", "size_accuracy", "score.py")

if not os.path.exists(SCORE_PY):  # an sdist ships tests/ without benchmarks/
    pytest.skip("benchmarks/size_accuracy is not part of this tree", allow_module_level=True)

APT_TARGET = 0.15
IMAGE_TARGET = 0.25


def _load_score():
    spec = importlib.util.spec_from_file_location("size_accuracy_score", SCORE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


score = _load_score()


@pytest.fixture(scope="module")
def truth():
    return score.load()


@pytest.fixture(scope="module")
def rows(truth):
    return score.observations(truth)


def held_out(rows, group, measure):
    return score.stats(score.select(rows, "score", group, measure))


# -- the ground truth itself -------------------------------------------------------------------------

def test_every_item_says_where_its_numbers_come_from(truth):
    for item in truth["items"]:
        source = item["source"]
        assert item["split"] in ("fit", "score"), item["id"]
        assert item["arch"] == "amd64", item["id"]
        assert item["dockerfile"].startswith("FROM "), item["id"]
        if source["kind"] == "repo-info":
            assert source["path"].startswith("repos/") and len(source["commit"]) == 40, item["id"]
            assert sum(layer["compressed"] for layer in item["layers"]) == item["image"]["compressed"], item["id"]
        else:
            assert source["date"] == "2026-11-27", item["id"]
        for layer in item["layers"]:
            assert layer.get("compressed") or layer.get("uncompressed"), (item["id"], layer["line"])


def test_harness_items_record_the_archive_snapshot_they_were_built_from(truth):
    harness = [item for item in truth["items"] if item["source"]["kind"] == "harness"]
    assert len(harness) == 18
    for item in harness:
        suites = item["source"]["suites"]
        assert set(suites) == {"bookworm", "bookworm-updates", "bookworm-security"}, item["id"]
        assert item["source"]["mirror"] == "http://deb.debian.org"


def test_the_held_out_set_is_large_enough_and_untouched_by_fitting(truth):
    held = [item for item in truth["items"] if item["split"] == "score"]
    assert len(held) >= 5
    # the published images are never fitted on: §5.3 fits only on harness measurements
    assert all(item["split"] == "score" for item in truth["items"] if item["source"]["kind"] == "repo-info")


# -- the scoring arithmetic --------------------------------------------------------------------------

def test_stats_leave_unknown_layers_out_of_the_error_and_count_their_bytes():
    rows = [score.Observation("a", "score", "g", "compressed", 100, 110),
            score.Observation("b", "score", "g", "compressed", 100, 80),
            score.Observation("c", "score", "g", "compressed", 100, None)]
    figures = score.stats(rows)
    assert figures.n == 2
    assert figures.mdape == pytest.approx(0.15)
    assert figures.p90 == pytest.approx(0.19)
    assert figures.bias == pytest.approx(-0.05)
    assert figures.unknown_share == pytest.approx(1 / 3)
    assert figures.unknown_n == 1


def test_an_image_total_is_scored_on_its_estimable_layers():
    total = score.image_total({"id": "i", "split": "score"}, score.IMAGES, "compressed",
                         [(40, 44), (50, None), (10, 9)])
    assert (total.truth, total.estimate, total.whole) == (50, 53, 100)
    assert score.stats([total]).unknown_share == pytest.approx(0.5)


# -- the targets, on the held-out items ----------------------------------------------------------------

@pytest.mark.parametrize("measure", ["uncompressed", "compressed"])
def test_apt_layers_meet_the_15_percent_target(rows, measure):
    figures = held_out(rows, score.APT, measure)
    assert figures.n >= 8
    assert figures.mdape <= APT_TARGET


def test_official_images_sized_in_full_meet_the_25_percent_target(rows):
    figures = held_out(rows, score.IMAGES, "compressed")
    assert figures.n == 3  # buildpack-deps:bookworm and :noble, golang: no layer left unknown
    assert figures.mdape <= IMAGE_TARGET


@pytest.mark.parametrize("measure", ["uncompressed", "compressed"])
def test_harness_built_image_totals_meet_the_25_percent_target(rows, measure):
    figures = held_out(rows, score.HARNESS_IMAGES, measure)
    assert figures.n == 5
    assert figures.mdape <= IMAGE_TARGET


# -- coverage: errors leave unknown layers out, so saying "unknown" more often must not pass unseen ------

@pytest.mark.parametrize("measure", ["uncompressed", "compressed"])
def test_few_apt_bytes_are_left_unknown(rows, measure):
    assert held_out(rows, score.APT, measure).unknown_share <= 0.05


def test_unknown_share_of_official_images_stays_at_its_measured_level(rows):
    # 21.8% on 2026-11-27: source builds, tarballs inside mixed layers, third-party apt repositories
    assert held_out(rows, score.IMAGES_ESTIMABLE, "compressed").unknown_share <= 0.25
