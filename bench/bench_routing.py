"""Routing benchmark: `doorstep route` on Augerat's set A, a 250-stop instance, and
`plan_routes` on a 300-delivery day.

Each instance is solved by the real command in a fresh process (so imports count in
the wall time), and every printed solution is checked here independently of the
solver: each customer visited once, no route over capacity, printed cost equal to
the cost recomputed from the file (Euclidean distances rounded to integers).
"""

from __future__ import annotations

import itertools
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import vrplib

from scheduling.routing import Courier, Place, Plan, Stop, plan_routes

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DIR = REPO.parent / "shared" / "cvrp" / "augerat-A"
TARGET_MEAN_GAP = 1.0
TARGET_WALL = 1.0
LARGE_STOPS = 250
TARGET_LARGE_WALL = 2.0
DAY_DELIVERIES, DAY_VOLUNTEERS, TARGET_DAY_SECONDS = 300, 30, 2.0


@dataclass(frozen=True)
class Run:
    """One command run: its routes and printed cost, the recomputed cost, the wall time
    and the CPU time it used (which, unlike the wall time, other load hardly changes)."""

    routes: list[list[int]]
    printed: int
    cost: int
    wall: float
    cpu: float


def instance_dir() -> Path:
    return Path(os.environ.get("DOORSTEP_CVRP_DIR", DEFAULT_DIR))


def solve(path: Path) -> Run:
    """Runs the command on `path` and checks what it printed; raises on a bad answer."""
    command = [sys.executable, "-m", "scheduling.routing", str(path)]
    before, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    wall, cpu = time.perf_counter() - start, _children_cpu() - before
    routes, printed = parse_solution(done.stdout)
    cost = checked_cost(path, routes)
    if cost != printed:
        raise AssertionError(f"{path.name}: printed cost {printed}, recomputed {cost}")
    return Run(routes, printed, cost, wall, cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse_solution(text: str) -> tuple[list[list[int]], int]:
    routes = [
        [int(c) for c in m.group(1).split()]
        for m in re.finditer(r"^Route #\d+:(.*)$", text, flags=re.MULTILINE)
    ]
    cost = re.search(r"^Cost (\d+)$", text, flags=re.MULTILINE)
    if cost is None:
        raise AssertionError(f"no Cost line in:\n{text}")
    return routes, int(cost.group(1))


def checked_cost(path: Path, routes: list[list[int]]) -> int:
    """The routes' cost under the CVRPLIB convention, after checking they are a solution."""
    instance = vrplib.read_instance(str(path))
    coords = np.asarray(instance["node_coord"], dtype=float)
    demand = [int(d) for d in instance["demand"]]
    visits = sorted(c for route in routes for c in route)
    if visits != list(range(1, len(demand))):
        raise AssertionError(f"{path.name}: customers not visited exactly once")
    total = 0
    for route in routes:
        if sum(demand[c] for c in route) > int(instance["capacity"]):
            raise AssertionError(f"{path.name}: a route is over capacity")
        path_nodes = [0, *route, 0]
        for a, b in itertools.pairwise(path_nodes):
            total += math.floor(math.dist(coords[a], coords[b]) + 0.5)
    return total


def optimum(path: Path) -> int:
    """From the `.sol` next to the instance if there is one, else its COMMENT line."""
    solution = path.with_suffix(".sol")
    if solution.exists():
        return parse_solution(solution.read_text())[1]
    found = re.search(r"Optimal value:\s*(\d+)", path.read_text())
    if found is None:
        raise AssertionError(f"{path.name}: no optimum known")
    return int(found.group(1))


def bench_augerat(folder: Path) -> bool:
    """Solves every instance in `folder`; prints the table; True if targets were met."""
    paths = sorted(folder.glob("*.vrp"))
    if not paths:
        print(f"no .vrp files in {folder} (set DOORSTEP_CVRP_DIR)")
        return False
    print(f"doorstep route on {len(paths)} CVRPLIB instances in {folder}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores before the run")
    header = f"{'instance':<12} {'n':>4} {'optimum':>8} {'ours':>8} {'gap %':>7}"
    print(f"{header} {'wall s':>7} {'cpu s':>6}")
    gaps: list[float] = []
    walls: list[float] = []
    for path in paths:
        best, run = optimum(path), solve(path)
        gaps.append(100 * (run.cost - best) / best)
        walls.append(run.wall)
        customers = sum(len(route) for route in run.routes)
        row = f"{path.stem:<12} {customers:>4} {best:>8} {run.cost:>8}"
        print(f"{row} {gaps[-1]:>7.2f} {run.wall:>7.2f} {run.cpu:>6.2f}")
    mean_gap, max_wall = sum(gaps) / len(gaps), max(walls)
    met = mean_gap <= TARGET_MEAN_GAP and max_wall <= TARGET_WALL
    print(
        f"mean gap {mean_gap:.2f} % (target <= {TARGET_MEAN_GAP} %), max wall {max_wall:.2f} s "
        f"(target <= {TARGET_WALL} s): {'met' if met else 'NOT MET'}"
    )
    return met


def write_large_instance(path: Path, customers: int, seed: int = 7) -> None:
    """An X-set-like instance: depot in the centre, customers uniform on a 1000 grid,
    demands 1..10, capacity for about 12 customers a route."""
    rng = np.random.default_rng(seed)
    coords = [
        (500, 500),
        *(tuple(int(v) for v in rng.integers(0, 1001, 2)) for _ in range(customers)),
    ]
    demands = [0, *(int(d) for d in rng.integers(1, 11, customers))]
    lines = [
        f"NAME : random-n{customers + 1}",
        "TYPE : CVRP",
        f"DIMENSION : {customers + 1}",
        "EDGE_WEIGHT_TYPE : EUC_2D",
        "CAPACITY : 66",
        "NODE_COORD_SECTION",
        *(f"{i} {x} {y}" for i, (x, y) in enumerate(coords, start=1)),
        "DEMAND_SECTION",
        *(f"{i} {d}" for i, d in enumerate(demands, start=1)),
        "DEPOT_SECTION",
        "1",
        "-1",
        "EOF",
    ]
    path.write_text("\n".join(lines) + "\n")


def bench_large() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random-n{LARGE_STOPS + 1}.vrp"
        write_large_instance(path, LARGE_STOPS)
        run = solve(path)
    met = run.wall <= TARGET_LARGE_WALL
    print(
        f"doorstep route on a generated {LARGE_STOPS}-customer instance: cost {run.cost}, "
        f"{len(run.routes)} routes, wall {run.wall:.2f} s (target <= {TARGET_LARGE_WALL} s): "
        f"{'met' if met else 'NOT MET'}"
    )
    return met


def community(
    deliveries: int, volunteers: int, seed: int = 3
) -> tuple[Place, list[Stop], list[Courier]]:
    """A 15-minute service circle: deliveries spread over buildings within about a
    kilometre of the canteen, one in five without a map pin, bags of 8 to 14 meals."""
    rng = np.random.default_rng(seed)
    canteen = Place(31.2304, 121.4737)
    buildings = [
        Place(canteen.lat + rng.normal(0, 0.004), canteen.lon + rng.normal(0, 0.0045))
        for _ in range(deliveries // 3)
    ]
    stops = []
    for key in range(deliveries):
        building = int(rng.integers(len(buildings)))
        pinned = rng.random() >= 0.2
        stops.append(Stop(key, f"building {building}", buildings[building] if pinned else None))
    couriers = [Courier(key, int(rng.integers(8, 15))) for key in range(volunteers)]
    return canteen, stops, couriers


def with_history(stops: list[Stop], yesterday: Plan, seed: int = 4) -> list[Stop]:
    """Today's stops: most residents had yesterday's volunteer, a tenth are claimed by them."""
    rng = np.random.default_rng(seed)
    courier_of = {key: c for c, keys in yesterday.routes.items() for key in keys}
    today = []
    for stop in stops:
        last = courier_of.get(stop.key) if rng.random() < 0.85 else None
        claimed = last if last is not None and rng.random() < 0.1 else None
        today.append(replace(stop, last_courier=last, fixed_courier=claimed))
    return today


def bench_day() -> bool:
    """Times `plan_routes` on a day of deliveries with history and claims; checks promises."""
    canteen, stops, couriers = community(DAY_DELIVERIES, DAY_VOLUNTEERS)
    yesterday = plan_routes(canteen, stops, couriers)
    today = with_history(stops, yesterday)
    start = time.perf_counter()
    plan = plan_routes(canteen, today, couriers)
    seconds = time.perf_counter() - start
    check_plan(plan, today, couriers)
    courier_of = {key: c for c, keys in plan.routes.items() for key in keys}
    familiar = [s for s in today if s.last_courier is not None]
    kept = sum(courier_of.get(s.key) == s.last_courier for s in familiar)
    met = seconds <= TARGET_DAY_SECONDS
    print(
        f"plan_routes on {len(today)} deliveries, {len(couriers)} volunteers: "
        f"{seconds:.2f} s (target <= {TARGET_DAY_SECONDS} s, in process), "
        f"walking {sum(plan.walking_metres.values()) / 1000:.1f} km, "
        f"{kept}/{len(familiar)} kept with last time's volunteer, "
        f"{len(plan.unassigned)} unassigned: {'met' if met else 'NOT MET'}"
    )
    return met


def check_plan(plan: Plan, stops: list[Stop], couriers: list[Courier]) -> None:
    """Raises unless every stop is placed once, bags fit, and claims stay put."""
    by_key = {s.key: s for s in stops}
    placed = sorted([*plan.unassigned, *(k for keys in plan.routes.values() for k in keys)])
    if placed != sorted(by_key):
        raise AssertionError("a stop is missing or placed twice")
    for courier in couriers:
        keys = plan.routes[courier.key]
        if sum(by_key[k].demand for k in keys) > courier.capacity:
            raise AssertionError(f"courier {courier.key} is over capacity")
        if any(by_key[k].fixed_courier not in (None, courier.key) for k in keys):
            raise AssertionError(f"courier {courier.key} carries someone else's claim")
    if any(by_key[k].fixed_courier is not None for k in plan.unassigned):
        raise AssertionError("a claimed stop was left unassigned")


def main() -> int:
    """Runs the three routing benchmarks; 0 when all targets were met."""
    results = [bench_augerat(instance_dir()), bench_large(), bench_day()]
    return 0 if all(results) else 1
