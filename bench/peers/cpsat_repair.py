#!/usr/bin/env python3
"""The peer of `npm run bench:repair`: OR-Tools CP-SAT on the same maintenance repairs.

    npm run bench:repair -- --export /tmp/repair
    python3 -m venv .venv && .venv/bin/pip install -r bench/peers/requirements.txt
    .venv/bin/python bench/peers/cpsat_repair.py /tmp/repair/*.json [--time-limit-ms 60000] [--threads 2]

Each file is a scenario as the solver reads it (bench/support/repair-export.ts): the displaced
bookings with the starts their windows, policies, qualifications and quotas allow on each tool they
may use, the busy calendar that stays, and the weekly quota accounts. The model: an optional interval
per booking and tool, no overlap per tool with the busy intervals, quotas per account and week; then,
one objective after the other, the most kept at each priority level (highest first), the fewest moved
to another tool, the least displacement (minutes from the original start). Changeovers between
bookings are not modelled: on a tool that has them the answer is a relaxation, and says so. Every
answer is checked by the peer's own checker; a line per scenario, then a JSON summary, are printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ortools import __version__ as ortools_version
from ortools.sat.python import cp_model

Placement = tuple[str, int, int]  # booking id, tool index, start


def solve(model: dict, time_limit_s: float, threads: int, seed: int) -> dict:
    """Solves the scenario stage by stage; each stage's optimum is fixed before the next."""
    m = cp_model.CpModel()
    choices = []  # (job, option index, presence, start)
    per_tool: dict[int, list] = {t: [] for t in range(len(model["tools"]))}
    for job in model["jobs"]:
        for k, o in enumerate(job["options"]):
            x = m.new_bool_var(f"{job['id']}@{o['tool']}")
            domain = cp_model.Domain.from_intervals([list(r) for r in o["ranges"]])
            s = m.new_int_var_from_domain(domain, f"s{job['id']}@{o['tool']}")
            per_tool[o["tool"]].append(m.new_optional_fixed_size_interval_var(s, o["footprint"], x, ""))
            choices.append((job, k, x, s))
        m.add_at_most_one(x for j, _, x, _ in choices if j is job)
    for t, busy in enumerate(model["busy"]):
        per_tool[t] += [m.new_fixed_size_interval_var(a, b - a, "") for a, b in busy]
        m.add_no_overlap(per_tool[t])
    for a, account in enumerate(model["accounts"]):
        weeks = [w for w, _ in account["usedByWeek"]]
        for i, (week, used) in enumerate(account["usedByWeek"]):
            end = weeks[i + 1] if i + 1 < len(weeks) else week + 10_080
            terms = []
            for job, k, x, s in choices:
                ranges = job["options"][k]["ranges"]
                if job["account"] != a or ranges[-1][1] + job["duration"] <= week or ranges[0][0] >= end:
                    continue
                # Minutes of the booking inside this week, when it is kept on this tool.
                lo, hi = m.new_int_var(-(2**40), 2**40, ""), m.new_int_var(-(2**40), 2**40, "")
                m.add_max_equality(lo, [s, week])
                m.add_min_equality(hi, [s + job["duration"], end])
                inside = m.new_int_var(0, job["duration"], "")
                m.add_max_equality(inside, [hi - lo, 0])
                counted = m.new_int_var(0, job["duration"], "")
                m.add(counted == inside).only_enforce_if(x)
                m.add(counted == 0).only_enforce_if(~x)
                terms.append(counted)
            if terms:
                m.add(sum(terms) + used <= account["limitMinutes"])
    displacement = []
    for job, k, x, s in choices:
        d = m.new_int_var(0, 2**31, "")
        m.add_abs_equality(d, s - job["target"])
        counted = m.new_int_var(0, 2**31, "")
        m.add(counted == d).only_enforce_if(x)
        m.add(counted == 0).only_enforce_if(~x)
        displacement.append(counted)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = threads
    solver.parameters.random_seed = seed
    stages, kept_by_level = [], []

    def stage(name: str, expr, maximise: bool) -> int:
        (m.maximize if maximise else m.minimize)(expr)
        status = solver.solve(m)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RuntimeError(f"{name}: {solver.status_name(status)}")
        value = round(solver.objective_value)
        stages.append({"stage": name, "value": value, "status": solver.status_name(status),
                       "bound": round(solver.best_objective_bound)})
        m.add(expr >= value if maximise else expr <= value)
        return value

    for level in range(len(model["levels"])):
        kept_by_level.append(stage(f"kept at level {level}", sum(x for j, _, x, _ in choices if j["level"] == level), True))
    changes = [x for j, k, x, _ in choices if j["options"][k]["otherTool"]]
    tool_changes = stage("moved to another tool", sum(changes), False) if changes else 0
    moved = stage("displacement minutes", sum(displacement), False)
    placements = [(j["id"], j["options"][k]["tool"], solver.value(s)) for j, k, x, s in choices if solver.value(x)]
    return {
        "keptByLevel": kept_by_level,
        "kept": sum(kept_by_level),
        "movedToOtherTool": tool_changes,
        "displacementMinutes": moved,
        "stages": stages,
        "placements": placements,
    }


def check(model: dict, placements: list[Placement]) -> list[str]:
    """Everything wrong with the placements: starts outside the allowed ones, overlaps, quotas."""
    problems = []
    jobs = {j["id"]: j for j in model["jobs"]}
    seen = set()
    footprints: dict[int, list[tuple[int, int, str]]] = {t: [(a, b, "busy") for a, b in busy] for t, busy in enumerate(model["busy"])}
    for job_id, tool, start in placements:
        if job_id in seen:
            problems.append(f"{job_id} is placed twice")
        seen.add(job_id)
        option = next((o for o in jobs[job_id]["options"] if o["tool"] == tool), None)
        if option is None:
            problems.append(f"{job_id} may not use tool {tool}")
            continue
        if not any(a <= start <= b for a, b in option["ranges"]):
            problems.append(f"{job_id} starts at {start}, outside its allowed starts")
        footprints[tool].append((start, start + option["footprint"], job_id))
    for tool, spans in footprints.items():
        spans.sort()
        for (a1, b1, n1), (a2, b2, n2) in zip(spans, spans[1:]):
            if a2 < b1:
                problems.append(f"{n2} overlaps {n1} on tool {tool}")
    for a, account in enumerate(model["accounts"]):
        weeks = [w for w, _ in account["usedByWeek"]] + [account["usedByWeek"][-1][0] + 10_080]
        for i, (week, used) in enumerate(account["usedByWeek"]):
            minutes = used
            for job_id, _, start in placements:
                job = jobs[job_id]
                if job["account"] == a:
                    minutes += max(0, min(start + job["duration"], weeks[i + 1]) - max(start, week))
            if minutes > account["limitMinutes"]:
                problems.append(f"account {a}: {minutes} minutes in the week of {week}, allowed {account['limitMinutes']}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--time-limit-ms", type=int, default=60_000, help="per stage")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results = []
    for path in args.files:
        model = json.loads(path.read_text())
        answer = solve(model, args.time_limit_ms / 1000, args.threads, args.seed)
        problems = check(model, answer["placements"])
        relaxed = any(model["changeovers"])
        proven = all(s["value"] == s["bound"] for s in answer["stages"])
        print(f"[cpsat-repair] {model['scenario']}: kept {answer['kept']} {answer['keptByLevel']}, "
              f"{answer['movedToOtherTool']} to another tool, {answer['displacementMinutes']} minutes moved"
              f"{' (all stages proven optimal)' if proven else ''}{' — relaxation: changeovers not modelled' if relaxed else ''}; "
              f"{len(problems)} problems", flush=True)
        for p in problems:
            print(f"[cpsat-repair]   {p}", file=sys.stderr)
        results.append({"scenario": model["scenario"], "displaced": len(model["jobs"]),
                        **{k: answer[k] for k in ("kept", "keptByLevel", "movedToOtherTool", "displacementMinutes", "stages")},
                        "changeoversModelled": not relaxed, "checkerProblems": len(problems)})
    print(json.dumps({"bench": "repair-cpsat", "ortools": ortools_version, "timeLimitMsPerStage": args.time_limit_ms,
                      "threads": args.threads, "scenarios": results}))


if __name__ == "__main__":
    main()
