"""Checks of the repair peer's model and checker: python bench/peers/test_cpsat_repair.py"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cpsat_repair import check, solve  # noqa: E402


def job(id, level, target, ranges, tool=0, footprint=30, account=-1, other=False):
    return {"id": id, "level": level, "target": target, "duration": footprint, "account": account,
            "options": [{"tool": tool, "footprint": footprint, "otherTool": other, "ranges": ranges}]}


# One tool busy until 100 and from 130: room for one 30-minute booking at 100.
ONE_ROOM = {"scenario": "one-room", "tools": ["T"], "changeovers": [False], "levels": [3, 1],
            "busy": [[[0, 100], [130, 500]]], "accounts": [],
            "jobs": [job("low", 1, 40, [[90, 100]]), job("high", 0, 60, [[60, 100]])]}


class SolveTest(unittest.TestCase):
    def test_gives_the_only_room_to_the_higher_priority(self):
        answer = solve(ONE_ROOM, 10.0, 1, 1)
        self.assertEqual(answer["keptByLevel"], [1, 0])
        self.assertEqual(answer["placements"], [("high", 0, 100)])
        self.assertEqual(answer["displacementMinutes"], 40)
        self.assertEqual(check(ONE_ROOM, answer["placements"]), [])

    def test_keeps_a_quota(self):
        model = {**ONE_ROOM, "busy": [[]], "accounts": [{"limitMinutes": 40, "usedByWeek": [[0, 0]]}],
                 "jobs": [job("a", 0, 0, [[0, 200]], account=0), job("b", 0, 50, [[0, 200]], account=0)]}
        answer = solve(model, 10.0, 1, 1)
        self.assertEqual(answer["kept"], 1)
        self.assertEqual(check(model, answer["placements"]), [])


class CheckerTest(unittest.TestCase):
    def test_names_every_broken_rule(self):
        problems = check(ONE_ROOM, [("high", 0, 95), ("low", 0, 110), ("low", 0, 100)])
        self.assertTrue(any("outside its allowed starts" in p for p in problems), problems)
        self.assertTrue(any("overlaps" in p for p in problems), problems)
        self.assertTrue(any("placed twice" in p for p in problems), problems)


if __name__ == "__main__":
    unittest.main()
