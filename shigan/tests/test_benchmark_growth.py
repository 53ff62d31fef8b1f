"""Issue 18's "nothing grows with the database" check: `python -m benchmarks.compare
district.json province.json --max-growth 1.5 [--cpu]` exits 1 when any page's p50 in the last
run exceeds 1.5× its p50 in the first, 0 when every page holds. Made-up runs, no database."""

import json

from benchmarks import compare


def _run(scale: str, pages: dict[str, tuple[float, float]]) -> dict:
    rows = [
        {"name": name, "role": "coordinator", "queries": 10, "p50_ms": wall, "cpu_p50_ms": cpu,
         "ratio": 1.0, "peak_kib": 100}
        for name, (wall, cpu) in pages.items()
    ]  # fmt: skip
    return {"scale": scale, "database": "sqlite 3.40.1", "commit": "0" * 40, "rows": rows}


def _files(tmp_path, district: dict, province: dict) -> list[str]:
    paths = []
    for name, run in (("district", district), ("province", province)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(run))
        paths.append(str(path))
    return paths


DISTRICT = {
    "framework floor (trivial view)": (1.0, 1.0),
    "task list: first page (all)": (40.0, 38.0),
    "cockpit (coordinator)": (150.0, 140.0),
}


def test_every_page_within_one_and_a_half_times_passes(tmp_path, capsys):
    province = _run("province", {"framework floor (trivial view)": (9.0, 9.0),  # floor: ignored
                                 "task list: first page (all)": (60.0, 57.0),  # exactly 1.5×
                                 "cockpit (coordinator)": (150.0, 140.0)})  # fmt: skip
    files = _files(tmp_path, _run("district", DISTRICT), province)
    assert compare.main([*files, "--max-growth", "1.5"]) == 0
    assert "every page holds" in capsys.readouterr().out


def test_one_page_over_one_and_a_half_times_fails(tmp_path, capsys):
    province = _run("province", {**DISTRICT, "cockpit (coordinator)": (226.0, 141.0)})
    files = _files(tmp_path, _run("district", DISTRICT), province)
    assert compare.main([*files, "--max-growth", "1.5"]) == 1
    out = capsys.readouterr().out
    assert "FAILS cockpit (coordinator)" in out
    assert "task list" not in out.split("limit 1.5×")[1]
    # judged on CPU time, the same page holds (1.01×): the wall time was a loaded machine
    assert compare.main([*files, "--max-growth", "1.5", "--cpu"]) == 0


def test_a_page_missing_at_province_is_not_a_failure(tmp_path):
    province = _run("province", {"task list: first page (all)": (41.0, 39.0)})
    files = _files(tmp_path, _run("district", DISTRICT), province)
    assert compare.main([*files, "--max-growth", "1.5"]) == 0
