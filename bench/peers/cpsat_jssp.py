#!/usr/bin/env python3
"""The peer of `npm run bench:jssp`: OR-Tools CP-SAT on the same JSSP / FJSP instances, bounds and budget.

    python3 -m venv .venv && .venv/bin/pip install -r bench/peers/requirements.txt
    .venv/bin/python bench/peers/cpsat_jssp.py [--dir FOLDER] [--instances ta01-ta10] \
        [--time-limit-ms 10000] [--threads N] [--seed S]

Reads each instance file itself, solves the classic CP-SAT model (interval per operation, optional
intervals per eligible machine, no-overlap per machine, route precedences, minimise the makespan),
checks each schedule with its own checker, prints a line per instance and a JSON summary last, in
the shape of bench:jssp's: gaps to the best-known makespans over feasible schedules only, overall
and per instance family (ft, la, ta, mk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ortools import __version__ as ortools_version
from ortools.sat.python import cp_model

# One job: its operations in order, each a list of (machine, duration) it may run on.
Route = list[list[tuple[int, int]]]


@dataclass
class Instance:
    name: str
    file: Path
    lower_bound: int | None
    upper_bound: int | None


# --- instances and bounds (the same files and bks.json entries bench:jssp uses) -------------------


def find_default_root() -> Path:
    for folder in [Path(__file__).resolve(), *Path(__file__).resolve().parents]:
        candidate = folder / "shared" / "benchmarks" / "instances"
        if candidate.is_dir():
            return candidate
    sys.exit("no shared/benchmarks/instances above this script: pass --dir")


def read_bks(path: Path) -> dict[str, tuple[int | None, int | None]]:
    entries = json.loads(path.read_text())
    return {e["instance"].lower(): (e.get("lower_bound"), e.get("upper_bound")) for e in entries}


def list_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.suffix != ".json" and not p.name.startswith(".") and "readme" not in p.name.lower()
    )


def with_bounds(file: Path, bks: dict[str, tuple[int | None, int | None]]) -> Instance:
    name = file.stem
    key = name.lower()
    # Taillard names carry a `js` suffix in ScheduleOpt's files.
    lower, upper = bks.get(key) or bks.get(key + "js") or bks.get(re.sub(r"js$", "", key)) or (None, None)
    return Instance(name, file, lower, upper)


def default_instances(root: Path) -> list[Instance]:
    bks = {
        **read_bks(root / "ScheduleOpt-benchmarks/jobshop/solutions/bks.json"),
        **read_bks(root / "ScheduleOpt-benchmarks/flexible-jobshop/solutions/bks.json"),
    }
    files = list_files(root / "tamy0612-JSPLIB/instances") + list_files(root / "SchedulingLab-fjsp-instances/brandimarte")
    return [with_bounds(f, bks) for f in files]


def folder_instances(folder: Path) -> list[Instance]:
    bks = read_bks(folder / "bks.json") if (folder / "bks.json").exists() else {}
    return [with_bounds(f, bks) for f in list_files(folder)]


def expand_selection(selection: str) -> list[str]:
    """`ta01-ta10`, `ft10,mk01-mk10`, `la01-05`: names and zero-padded numeric ranges."""
    names: list[str] = []
    for item in (x.strip() for x in selection.split(",")):
        if not item:
            continue
        match = re.fullmatch(r"([a-z_]*?)(\d+)-([a-z_]*?)(\d+)", item, re.IGNORECASE)
        if not match:
            names.append(item)
            continue
        prefix, first, prefix2, last = match.groups()
        if prefix2 and prefix2.lower() != prefix.lower():
            sys.exit(f"range {item} mixes prefixes")
        names += [f"{prefix}{str(k).zfill(len(first))}" for k in range(int(first), int(last) + 1)]
    return names


def select(instances: list[Instance], selection: str | None) -> list[Instance]:
    if selection is None:
        return instances
    by_name = {i.name.lower(): i for i in instances}
    chosen = []
    for name in expand_selection(selection):
        key = name.lower()
        found = by_name.get(key) or by_name.get(key + "js") or by_name.get(re.sub(r"js$", "", key))
        if found is None:
            sys.exit(f"instance {name} not found")
        chosen.append(found)
    return chosen


# --- reading an instance file (JSPLIB, Taillard's layout, FJSP) ----------------------------------


def read_instance(text: str) -> tuple[int, list[Route]]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if any(re.fullmatch(r"times", ln, re.IGNORECASE) for ln in lines):
        return read_taillard(lines)
    rows = []
    for ln in lines:
        try:
            rows.append([int(float(x)) for x in ln.split()])
        except ValueError:
            continue
    n, m = rows[0][0], rows[0][1]
    job_rows = rows[1 : 1 + n]
    job_shop = len(rows[0]) == 2 and len(job_rows) == n and all(
        len(r) == 2 * m and len(set(r[0::2])) == m for r in job_rows
    )
    if job_shop:
        return m, with_base([[[(r[2 * k], r[2 * k + 1])] for k in range(m)] for r in job_rows], m)
    tokens = [x for r in rows[1:] for x in r]
    at = 0
    routes: list[Route] = []
    for _ in range(n):
        ops: Route = []
        n_ops, at = tokens[at], at + 1
        for _ in range(n_ops):
            n_alt, at = tokens[at], at + 1
            ops.append([(tokens[at + 2 * a], tokens[at + 2 * a + 1]) for a in range(n_alt)])
            at += 2 * n_alt
        routes.append(ops)
    if at != len(tokens):
        raise ValueError(f"{len(tokens) - at} numbers after the last job")
    return m, with_base(routes, m)


def read_taillard(lines: list[str]) -> tuple[int, list[Route]]:
    numeric = []
    for ln in lines:
        try:
            numeric.append([int(x) for x in ln.split()])
        except ValueError:
            continue
    n, m = numeric[0][0], numeric[0][1]
    times, machines = numeric[1 : 1 + n], numeric[1 + n : 1 + 2 * n]
    return m, with_base([[[(machines[j][k], times[j][k])] for k in range(m)] for j in range(n)], m)


def with_base(routes: list[Route], m: int) -> list[Route]:
    """Machines numbered from 0, or from 1 in files that never name 0 but do name m."""
    machines = {mc for ops in routes for alts in ops for mc, _ in alts}
    base = 1 if 0 not in machines and m in machines else 0
    shifted = [[[(mc - base, d) for mc, d in alts] for alts in ops] for ops in routes]
    for ops in shifted:
        for alts in ops:
            for mc, _ in alts:
                if not 0 <= mc < m:
                    raise ValueError(f"machine {mc + base} outside the {m} machines")
    return shifted


# --- the model ---------------------------------------------------------------------------------


def solve(routes: list[Route], m: int, time_limit_s: float, threads: int, seed: int):
    model = cp_model.CpModel()
    horizon = sum(max(d for _, d in alts) for ops in routes for alts in ops)
    per_machine: list[list] = [[] for _ in range(m)]
    starts, chosen = {}, {}
    ends = []
    for j, ops in enumerate(routes):
        prev_end = None
        for k, alts in enumerate(ops):
            start = model.new_int_var(0, horizon, f"s{j}_{k}")
            end = model.new_int_var(0, horizon, f"e{j}_{k}")
            if len(alts) == 1:
                mc, d = alts[0]
                per_machine[mc].append(model.new_interval_var(start, d, end, f"i{j}_{k}"))
                chosen[j, k] = [(mc, d, None)]
            else:
                options = []
                for mc, d in alts:
                    present = model.new_bool_var(f"p{j}_{k}_{mc}")
                    per_machine[mc].append(model.new_optional_interval_var(start, d, end, present, f"i{j}_{k}_{mc}"))
                    options.append((mc, d, present))
                model.add_exactly_one(p for _, _, p in options)
                chosen[j, k] = options
            starts[j, k] = start
            if prev_end is not None:
                model.add(start >= prev_end)
            prev_end = end
        ends.append(prev_end)
    for intervals in per_machine:
        if len(intervals) > 1:
            model.add_no_overlap(intervals)
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, ends)
    model.minimize(makespan)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = threads
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver.status_name(status), None, None
    schedule = []
    for (j, k), options in chosen.items():
        mc, d = next((mc, d) for mc, d, p in options if p is None or solver.value(p))
        s = solver.value(starts[j, k])
        schedule.append((j, k, mc, s, s + d))
    return solver.status_name(status), schedule, int(solver.best_objective_bound)


# --- the checker (from the problem's definition, not the model's) ------------------------------


def check(routes: list[Route], schedule: list[tuple[int, int, int, int, int]]) -> list[str]:
    problems = []
    placed = {(j, k): (mc, s, e) for j, k, mc, s, e in schedule}
    if len(placed) != len(schedule):
        problems.append("an operation is scheduled twice")
    for j, ops in enumerate(routes):
        for k, alts in enumerate(ops):
            if (j, k) not in placed:
                problems.append(f"J{j}/{k} is not scheduled")
                continue
            mc, s, e = placed[j, k]
            if s < 0:
                problems.append(f"J{j}/{k} starts before 0")
            if (mc, e - s) not in alts:
                problems.append(f"J{j}/{k} on M{mc} for {e - s} is not one of its alternatives")
            if k > 0 and (j, k - 1) in placed and s < placed[j, k - 1][2]:
                problems.append(f"J{j}/{k} starts before J{j}/{k - 1} ends")
    by_machine: dict[int, list[tuple[int, int, str]]] = {}
    for j, k, mc, s, e in schedule:
        by_machine.setdefault(mc, []).append((s, e, f"J{j}/{k}"))
    for mc, runs in by_machine.items():
        runs.sort()
        for (s1, e1, a), (s2, _, b) in zip(runs, runs[1:]):
            if s2 < e1:
                problems.append(f"M{mc}: {b} starts at {s2} before {a} ends at {e1}")
    return problems


# --- the run -------------------------------------------------------------------------------------


def figures(results: list[dict]) -> dict:
    gaps = [r["gapPct"] for r in results if r["feasible"] and r["gapPct"] is not None]
    return {
        "instances": len(results),
        "meanGapPct": round(sum(gaps) / len(gaps), 3) if gaps else None,
        "maxGapPct": round(max(gaps), 3) if gaps else None,
        "atBks": sum(1 for r in results if r["feasible"] and r["bks"] is not None and r["makespan"] <= r["bks"]),
        "infeasible": [r["name"] for r in results if not r["feasible"]],
    }


def group_of(name: str) -> str:
    match = re.match(r"[a-z]+", name, re.IGNORECASE)
    return match.group(0).lower() if match else name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--instances")
    parser.add_argument("--time-limit-ms", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    instances = select(folder_instances(args.dir) if args.dir else default_instances(find_default_root()), args.instances)
    solver_name = f"OR-Tools CP-SAT {ortools_version}"
    print(f"jssp peer ({solver_name}): {len(instances)} instances, {args.time_limit_ms} ms each, "
          f"{args.threads} workers, seed {args.seed}, load {os.getloadavg()[0]:.2f}", flush=True)
    results = []
    for inst in instances:
        m, routes = read_instance(inst.file.read_text())
        t0 = time.perf_counter()
        status, schedule, bound = solve(routes, m, args.time_limit_ms / 1000, args.threads, args.seed)
        elapsed_ms = round((time.perf_counter() - t0) * 1000)
        problems = check(routes, schedule) if schedule is not None else ["no schedule found"]
        makespan = max(e for *_, e in schedule) if schedule else None
        bks = inst.upper_bound
        gap = None if bks is None or makespan is None else round(100 * (makespan - bks) / bks, 3)
        results.append({
            "name": inst.name,
            "size": f"{len(routes)}x{m}",
            "makespan": makespan,
            "bks": bks,
            "lowerBound": inst.lower_bound,
            "solverBound": bound,
            "gapPct": gap,
            "feasible": not problems,
            **({"violations": problems[:5]} if problems else {}),
            "status": status,
            "timeMs": elapsed_ms,
        })
        print(f"{inst.name:<8} {results[-1]['size']:<6} makespan {makespan!s:<6} bks {bks!s:<6} "
              f"gap {'?' if gap is None else f'{gap:.2f}%':<8} {elapsed_ms / 1000:.1f}s {status:<9} "
              f"{'valid' if not problems else 'INVALID: ' + '; '.join(problems[:3])}", flush=True)
    groups = {g: figures([r for r in results if group_of(r["name"]) == g]) for g in sorted({group_of(r["name"]) for r in results})}
    print(json.dumps({
        "bench": "jssp-peer",
        "solver": solver_name,
        **figures(results),
        "timeLimitMs": args.time_limit_ms,
        "threads": args.threads,
        "seed": args.seed,
        "loadAverage": round(os.getloadavg()[0], 2),
        "groups": groups,
        "perInstance": results,
    }))


if __name__ == "__main__":
    main()
