"""The routing engine: promises kept (capacity, claims), preferences weighed
(buildings, familiar volunteers), and the CVRPLIB command's output."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from scheduling.routing import Courier, Place, Plan, Stop, plan_routes
from scheduling.routing.__main__ import main as route_main
from scheduling.routing.command import run

CANTEEN = Place(31.2304, 121.4737)
METRES_PER_DEGREE = 111_195.0
A, B = 1, 2


def at(north: float = 0.0, east: float = 0.0) -> Place:
    """A place `north` and `east` metres from the canteen."""
    lat = CANTEEN.lat + north / METRES_PER_DEGREE
    lon = CANTEEN.lon + east / (METRES_PER_DEGREE * math.cos(math.radians(CANTEEN.lat)))
    return Place(lat, lon)


def courier_of(plan: Plan, key: int) -> int | None:
    return next((c for c, keys in plan.routes.items() if key in keys), None)


def test_no_courier_carries_more_than_their_capacity() -> None:
    stops = [Stop(k, f"b{k}", at(north=10 * k), demand=1 + k % 3) for k in range(12)]
    couriers = [Courier(A, 7), Courier(B, 9), Courier(3, 8)]
    plan = plan_routes(CANTEEN, stops, couriers)
    demand = {s.key: s.demand for s in stops}
    for courier in couriers:
        assert sum(demand[k] for k in plan.routes[courier.key]) <= courier.capacity
    assert sorted(k for keys in plan.routes.values() for k in keys) == list(range(12))


def test_claimed_stops_stay_with_their_claimant_even_when_splitting_costs_more() -> None:
    stops = [
        Stop(1, "north", at(north=1000), fixed_courier=A),
        Stop(2, "north", at(north=1010), fixed_courier=B),
    ]
    plan = plan_routes(CANTEEN, stops, [Courier(A, 5), Courier(B, 5)])
    assert plan.routes == {A: [1], B: [2]}


def test_claimed_stops_are_reordered_to_shorten_the_walk() -> None:
    stops = [Stop(k, f"b{k}", at(north=300 * k), fixed_courier=A) for k in (3, 1, 2)]
    plan = plan_routes(CANTEEN, stops, [Courier(A, 5), Courier(B, 5)])
    assert plan.routes[A] == [1, 2, 3]


def test_stop_without_a_place_is_routed_with_its_building() -> None:
    stops = [
        Stop(1, "Block 7", None),
        Stop(2, "Block 7", at(east=1000)),
        Stop(3, "Block 5", at(east=500)),
        Stop(4, "Block 9", at(east=-1000)),
    ]
    plan = plan_routes(CANTEEN, stops, [Courier(A, 3), Courier(B, 3)])
    route = plan.routes[courier_of(plan, 2) or 0]
    assert 1 in route
    assert route.index(1) > route.index(3)  # at the building, not at the canteen


def test_stop_without_a_place_or_a_located_neighbour_is_placed_at_the_canteen() -> None:
    plan = plan_routes(CANTEEN, [Stop(1, "Block 3", None)], [Courier(A, 2)])
    assert plan.routes[A] == [1]
    assert plan.walking_metres[A] == 0.0


def test_walk_ends_at_the_last_door_and_counts_the_walking_factor() -> None:
    plan = plan_routes(CANTEEN, [Stop(1, "b", at(north=1000))], [Courier(A, 1)])
    assert plan.walking_metres[A] == pytest.approx(1300, rel=0.01)


def test_last_volunteer_is_kept_when_that_costs_little() -> None:
    stops = [
        Stop(1, "b1", at(north=60), last_courier=A),
        Stop(2, "b2", at(north=70), last_courier=B),
    ]
    plan = plan_routes(CANTEEN, stops, [Courier(A, 2), Courier(B, 2)])
    assert plan.routes == {A: [1], B: [2]}


def test_last_volunteer_is_not_kept_when_that_costs_a_lot() -> None:
    stops = [
        Stop(1, "b1", at(north=1000), last_courier=A),
        Stop(2, "b2", at(north=1010), last_courier=B),
    ]
    plan = plan_routes(CANTEEN, stops, [Courier(A, 2), Courier(B, 2)])
    assert sorted(len(keys) for keys in plan.routes.values()) == [0, 2]


def test_meals_beyond_total_capacity_are_returned_unassigned() -> None:
    stops = [Stop(k, f"b{k}", at(east=100 * k)) for k in range(5)]
    plan = plan_routes(CANTEEN, stops, [Courier(A, 3)])
    assert len(plan.routes[A]) == 3
    assert len(plan.unassigned) == 2
    assert sorted([*plan.routes[A], *plan.unassigned]) == list(range(5))


def test_meals_that_fit_in_total_but_not_bag_by_bag_leave_the_fewest_unassigned() -> None:
    stops = [Stop(k, f"b{k}", at(north=100 * k), demand=2) for k in range(3)]
    plan = plan_routes(CANTEEN, stops, [Courier(A, 3), Courier(B, 3)])
    assert [len(plan.routes[A]), len(plan.routes[B]), len(plan.unassigned)] == [1, 1, 1]


def test_same_inputs_and_seed_give_the_same_plan() -> None:
    stops = [
        Stop(
            k,
            f"b{k % 13}",
            at(north=(k * 37) % 900, east=(k * 53) % 800),
            last_courier=k % 4 or None,
        )
        for k in range(40)
    ]
    couriers = [Courier(k, 12) for k in range(4)]
    first = plan_routes(CANTEEN, stops, couriers, seed=5)
    assert plan_routes(CANTEEN, stops, couriers, seed=5) == first


def test_unknown_claimant_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown courier"):
        plan_routes(CANTEEN, [Stop(1, "b", fixed_courier=9)], [Courier(A, 1)])


SMALL_CVRP = """NAME : tiny
TYPE : CVRP
DIMENSION : 7
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 50 50
2 10 10
3 12 18
4 90 85
5 85 95
6 50 95
7 5 60
DEMAND_SECTION
1 0
2 4
3 5
4 3
5 6
6 2
7 4
DEPOT_SECTION
1
-1
EOF
"""


def test_cvrp_file_is_printed_in_sol_format_with_its_true_cost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tiny.vrp"
    path.write_text(SMALL_CVRP)
    assert run(str(path), seconds=0.2) == 0
    out = capsys.readouterr().out.strip().splitlines()
    routes = [[int(c) for c in line.split(":")[1].split()] for line in out[:-1]]
    assert all(re.fullmatch(r"Route #\d+: \d+( \d+)*", line) for line in out[:-1])
    assert sorted(c for r in routes for c in r) == [1, 2, 3, 4, 5, 6]
    xy = [(50, 50), (10, 10), (12, 18), (90, 85), (85, 95), (50, 95), (5, 60)]
    demand = [0, 4, 5, 3, 6, 2, 4]
    assert all(sum(demand[c] for c in r) <= 10 for r in routes)
    cost = sum(
        math.floor(math.dist(xy[a], xy[b]) + 0.5)
        for r in routes
        for a, b in zip([0, *r], [*r, 0], strict=True)
    )
    assert out[-1] == f"Cost {cost}"


def test_missing_file_exits_with_code_2_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert route_main(["/nonexistent/instance.vrp"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unreadable_instance_exits_with_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.vrp"
    path.write_text("NAME : broken\nTYPE : CVRP\n")
    assert run(str(path)) == 2
    assert "broken.vrp" in capsys.readouterr().err
