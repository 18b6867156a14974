#!/usr/bin/env python3
"""Turns bench/http.sh's results.tsv into the printed table.

Columns of results.tsv: mode, variant, wrk RESULT line, store commands during the measured run
(or -), server JVM CPU ticks, redis-server CPU ticks, per-command Redis deltas, the bytes
Redis received and sent ("in/out", or - for other stores), and the CPU ticks of the server's JIT
compiler threads (missing in files written before it was recorded).
"""
import sys

BASELINE = "handwritten-redis"
# A run whose JIT compiler took more of the server's CPU than this was measured before the server
# was warm: its CPU per request and its ratios say more about compilation than about the mode.
JIT_WARNING_SHARE = 0.05
VARIANTS = [("cart", "cart: read the cart, append an item, write it back (POST /cart/add)"),
            ("read", "read-only: read the cart (GET /cart)"),
            ("untouched", "untouched: the session is not used (GET /ping)")]


def parse(path, hz):
    rows = []
    with open(path) as results:
        for line in results:
            mode, variant, result, calls, cpu, redis_cpu, breakdown, redis_bytes, *jit = line.rstrip("\n").split("\t")
            fields = dict(item.split("=") for item in result.split()[1:])
            requests = int(fields["requests"])
            seconds = int(fields["duration_us"]) / 1e6
            rows.append({
                "mode": mode, "variant": variant, "requests": requests,
                "rps": requests / seconds,
                "p50": int(fields["p50_us"]) / 1000, "p99": int(fields["p99_us"]) / 1000,
                "errors": int(fields["status_errors"]) + int(fields["socket_errors"]),
                "calls": None if calls == "-" else int(calls) / requests,
                "cpu": int(cpu) * 1000 / hz / requests,
                "redis_cpu": int(redis_cpu) * 1000 / hz / requests if "redis" in mode else None,
                "breakdown": "" if breakdown == "-" else breakdown,
                "redis_bytes": None if redis_bytes == "-" else [int(n) / requests for n in redis_bytes.split("/")],
                "jit_share": int(jit[0]) / int(cpu) if jit and int(cpu) > 0 else None,
            })
    return rows


def ratio(value, base):
    return f"{value / base:.2f}x" if base else "-"


def main():
    rows = parse(sys.argv[1], int(sys.argv[2]))
    header = ["mode", "req/s", "p50 ms", "p99 ms", "store cmds/req", "server CPU ms/req", "redis CPU ms/req",
              "req/s vs hand-written", "p99 vs hand-written", "CPU vs hand-written", "JIT % of CPU", "errors"]
    for variant, title in VARIANTS:
        selected = [row for row in rows if row["variant"] == variant]
        if not selected:
            continue
        base = next((row for row in selected if row["mode"] == BASELINE), None)
        table = [header]
        for row in selected:
            table.append([
                row["mode"], f"{row['rps']:.0f}", f"{row['p50']:.2f}", f"{row['p99']:.2f}",
                "-" if row["calls"] is None else f"{row['calls']:.2f}",
                f"{row['cpu']:.3f}",
                "-" if row["redis_cpu"] is None else f"{row['redis_cpu']:.3f}",
                ratio(row["rps"], base["rps"]) if base else "-",
                ratio(row["p99"], base["p99"]) if base else "-",
                ratio(row["cpu"], base["cpu"]) if base else "-",
                "-" if row["jit_share"] is None else f"{100 * row['jit_share']:.0f}",
                str(row["errors"]),
            ])
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        print(title)
        for number, line in enumerate(table):
            print("| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths)) + " |")
            if number == 0:
                print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
        print()
    warm = [row for row in rows if row["jit_share"] is not None and row["jit_share"] > JIT_WARNING_SHARE]
    if warm:
        print(f"Not warm: the JIT compiler took more than {100 * JIT_WARNING_SHARE:.0f} % of the server's CPU during "
              + ", ".join(f"{row['mode']} {row['variant']}" for row in warm)
              + "; raise BENCH_WARMUP before comparing these rows.")
        print()
    print("Store commands per request, by command (Redis INFO commandstats; rows_written: PostgreSQL rows inserted or updated):")
    for row in rows:
        if row["breakdown"]:
            per_request = " ".join(f"{name} {int(count) / row['requests']:.2f}"
                                   for name, count in (item.split(":") for item in row["breakdown"].split()))
            print(f"  {row['mode']:<29} {row['variant']:<10} {per_request}")
    if any("evalsha" in row["breakdown"] for row in rows):
        print("  (a Lua script counts once as evalsha and once more for each command it runs: SessionKit's cart save is")
        print("   one round trip: a set of the new value pipelined with evalsha, whose script runs getrange, rename")
        print("   and pexpire)")
    if not any(row["redis_bytes"] is not None for row in rows):
        return
    print()
    print("Bytes sent to and received from Redis per request (INFO stats total_net_input_bytes / total_net_output_bytes):")
    for row in rows:
        if row["redis_bytes"] is not None and row["variant"] != "untouched":
            sent, received = row["redis_bytes"]
            print(f"  {row['mode']:<29} {row['variant']:<10} to Redis {sent:8.0f}   from Redis {received:8.0f}")


if __name__ == "__main__":
    main()
