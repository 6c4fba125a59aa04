"""Checks of the peer's own reader, checker and model: python bench/peers/test_cpsat_jssp.py"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cpsat_jssp import check, read_instance, solve  # noqa: E402

FT06 = """# instance ft06
6 6
2  1  0  3  1  6  3  7  5  3  4  6
1  8  2  5  4 10  5 10  0 10  3  4
2  5  3  4  5  8  0  9  1  1  4  7
1  5  0  5  2  5  3  3  4  8  5  9
2  9  1  3  4  5  5  4  0  3  3  1
1  3  3  3  5  9  0 10  4  4  2  1
"""
FJSP_ZERO = "3 3\n2 2 0 3 1 5 1 2 4\n3 1 1 2 2 0 6 2 3 1 1 7\n1 3 0 2 1 2 2 2\n"
FJSP_ONE = "3 3 1.8\n2 2 1 3 2 5 1 3 4\n3 1 2 2 2 1 6 3 3 1 2 7\n1 3 1 2 2 2 3 2\n"


class ReaderTest(unittest.TestCase):
    def test_reads_a_job_shop(self):
        m, routes = read_instance(FT06)
        self.assertEqual((m, len(routes)), (6, 6))
        self.assertEqual(routes[0][0], [(2, 1)])
        self.assertEqual(routes[5][5], [(2, 1)])

    def test_reads_flexible_job_shops_numbered_from_0_or_1(self):
        self.assertEqual(read_instance(FJSP_ONE), read_instance(FJSP_ZERO))
        self.assertEqual(read_instance(FJSP_ZERO)[1][1][1], [(0, 6), (2, 3)])


class CheckerTest(unittest.TestCase):
    routes = [[[(0, 3)], [(1, 2)]], [[(1, 2), (0, 4)]]]

    def test_accepts_a_valid_schedule(self):
        self.assertEqual(check(self.routes, [(0, 0, 0, 0, 3), (0, 1, 1, 3, 5), (1, 0, 1, 0, 2)]), [])

    def test_names_every_broken_rule(self):
        problems = check(self.routes, [(0, 0, 0, 0, 3), (0, 1, 1, 2, 4), (1, 0, 1, 1, 4)])
        self.assertTrue(any("before J0/0 ends" in p for p in problems), problems)
        self.assertTrue(any("not one of its alternatives" in p for p in problems), problems)
        self.assertTrue(any("before J1/0 ends" in p or "before J0/1 ends" in p for p in problems), problems)
        self.assertIn("J1/0 is not scheduled", check(self.routes, [(0, 0, 0, 0, 3), (0, 1, 1, 3, 5)]))


class SolveTest(unittest.TestCase):
    def test_finds_the_ft06_optimum(self):
        m, routes = read_instance(FT06)
        status, schedule, _ = solve(routes, m, 10.0, 1, 1)
        self.assertEqual(status, "OPTIMAL")
        self.assertEqual(check(routes, schedule), [])
        self.assertEqual(max(e for *_, e in schedule), 55)


if __name__ == "__main__":
    unittest.main()
